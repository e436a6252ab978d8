"""Print, as JSON, what the benchmark requests on one database: each page with the persona
who opens it and its admin baseline, chosen the same way at every size so that the small and
the large data set are compared on the same kind of record.

Run by ``bench.run`` as ``python -m bench.targets`` with the benchmark's settings and
``DATABASE_URL``.
"""

from __future__ import annotations

import json
import sys

import django


def _admin(model: str, **filters: int) -> str:
    query = "&".join(f"{field}__id__exact={value}" for field, value in filters.items())
    return f"/admin/{model}/" + (f"?{query}" if query else "")


def collect() -> dict:
    from django.db.models import Count
    from django.urls import reverse

    from audits.models import Audit, AuditPlan
    from nonconformities.models import Nonconformity
    from qms.models import User
    from reviews.models import ManagementReview

    people = {u.username: u for u in User.objects.filter(username__in=PERSONAS + ["admin"])}
    missing = [name for name in [*PERSONAS, "admin"] if name not in people]
    if missing:
        raise SystemExit(f"bench: no user {', '.join(missing)} — was seed_scale run?")
    year = Audit.objects.order_by("-year").values_list("year", flat=True).first()
    plan = AuditPlan.objects.filter(year=year).order_by("-revision").first()
    # A finished audit and a card of the year before: their pages show everything at once.
    audit = (
        Audit.objects.filter(year=year - 1, status=Audit.Status.CLOSED)
        .annotate(n=Count("findings"))
        .order_by("-n", "number")
        .first()
    )
    card = (
        Nonconformity.objects.filter(year=year - 1)
        .annotate(n=Count("actions"))
        .order_by("-n", "number")
        .first()
    )
    review = ManagementReview.objects.order_by("-meeting_date").first()
    draft = (
        ManagementReview.objects.exclude(status=ManagementReview.Status.APPROVED)
        .order_by("-meeting_date")
        .first()
    )
    if not (plan and audit and card and review and draft):
        raise SystemExit("bench: the data set lacks a plan, audit, card or review to measure")

    pages: dict[str, dict] = {}

    def page(key, label, persona, path, baseline):
        pages[key] = {"label": label, "persona": persona, "path": path, "baseline": baseline}

    baselines: dict[str, str] = {}
    # The start page gathers what a person has to do from several registers; the admin shows
    # the same rows on one changelist each: their corrective actions, the audits they lead and
    # the review decisions they own.
    for name in PERSONAS:
        person = people[name].pk
        own = {
            f"actions of {name}": _admin("nonconformities/correctiveaction", responsible=person),
            f"audits led by {name}": _admin("audits/audit", lead_auditor=person),
            f"decisions of {name}": _admin("reviews/reviewdecision", owner=person),
        }
        baselines.update(own)
        page(f"start ({name})", "Start page", name, reverse("dashboard"), list(own))
    baselines["processes"] = _admin("processes/process")
    page("register", "Process register", "koordynator", reverse("processes:list"), "processes")
    baselines["plan entries"] = _admin("audits/plannedaudit", plan=plan.pk)
    page(
        "plan",
        f"Audit plan {plan.year}",
        "pelnomocnik",
        reverse("audits:plan", args=[plan.pk]),
        "plan entries",
    )
    baselines["audits"] = _admin("audits/audit")
    page("audits", "Audit list", "pelnomocnik", reverse("audits:list"), "audits")
    # The audit page shows the audit's findings and its checklist: two changelists.
    baselines["findings"] = _admin("audits/finding", audit=audit.pk)
    baselines["checklist"] = _admin("audits/checklistitem", audit=audit.pk)
    page(
        "audit",
        f"Audit {audit.number}",
        "pelnomocnik",
        reverse("audits:detail", args=[audit.pk]),
        ["findings", "checklist"],
    )
    baselines["cards"] = _admin("nonconformities/nonconformity")
    page("cards", "Card list", "pelnomocnik", reverse("nonconformities:list"), "cards")
    page("cards (owner)", "Card list", "wlasciciel", reverse("nonconformities:list"), "cards")
    baselines["card actions"] = _admin("nonconformities/correctiveaction", card=card.pk)
    page(
        "card",
        f"Card {card.number}",
        "pelnomocnik",
        reverse("nonconformities:detail", args=[card.pk]),
        "card actions",
    )
    # The review page compiles the year's records of eight registers; the admin needs one
    # changelist for each of them, so its baseline is their sum.
    year_of_review = review.period_end.year
    review_baselines = {
        "review decisions": _admin("reviews/reviewdecision", review=review.pk),
        "audits of the year": f"/admin/audits/audit/?year__exact={year_of_review}",
        "cards of the year": f"/admin/nonconformities/nonconformity/?year__exact={year_of_review}",
        "corrective actions": "/admin/nonconformities/correctiveaction/",
        "feedback": "/admin/reviews/feedback/",
        "risks": "/admin/reviews/risk/",
        "objectives of the year": f"/admin/reviews/qualityobjective/?year__exact={year_of_review}",
        "improvement proposals": "/admin/reviews/improvementproposal/",
    }
    baselines.update(review_baselines)
    page(
        "review",
        f"Management review {review.number}",
        "kierownictwo",
        reverse("reviews:review_detail", args=[review.pk]),
        list(review_baselines),
    )
    return {
        "year": year,
        "pages": pages,
        "baselines": baselines,
        "pdf": {
            "label": f"Minutes of {draft.number} (draft, rendered live)",
            "persona": "pelnomocnik",
            "path": reverse("reviews:review_minutes", args=[draft.pk]),
        },
    }


PERSONAS = [
    "prezydent",
    "kierownictwo",
    "pelnomocnik",
    "koordynator",
    "wlasciciel",
    "auditor",
    "pracownik",
]


if __name__ == "__main__":
    django.setup()
    json.dump(collect(), sys.stdout)
