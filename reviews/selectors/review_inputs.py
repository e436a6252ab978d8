"""The inputs a–j of a management review (Księga Jakości §29), compiled from the live records
of the review's period and commented by people, and the minutes that print them.

``compile_inputs(review)`` returns one ``Section`` per input, in the manual's order, each with
its figures (``data``), links to the records behind them and the commentary typed for it. The
whole compilation reads the database a fixed number of times whatever the number of records:
counts are aggregated in SQL and related rows are prefetched.

The figures count every record of the period; the lists under them show at most
``ROWS_SHOWN`` records each — the ones a review reads first (most findings, not effective,
longest overdue, highest score, objectives missed) — and say how many more there are, with a
link to the register that holds them all. A city hall ten times larger gets the same minutes,
not ten times longer ones.

"Overdue" is judged on the meeting day once the meeting is past (today before it), so a held
review keeps saying what was late when it met.

The plain queries behind the figures are in ``reviews.selectors.review``; this module reads
through them (never the other way round).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from audits.models import Audit, Finding
from nonconformities.models import CorrectiveAction, Nonconformity
from qms.pdf import field_labels, render_pdf
from reviews.charts import trend_svg
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    ManagementReview,
    Measurement,
    ReviewDecision,
)
from reviews.selectors import review as queries
from reviews.selectors.feedback import feedback_for_period
from reviews.selectors.objectives import (
    ObjectiveStatus,
    annotate_status,
    objectives_with_status,
)
from reviews.selectors.proposals import proposals_for_period
from reviews.selectors.risks import BANDS, band_for, risk_figures, risks_for_period

INPUT_CODES = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
ROWS_SHOWN = 10
# Trend charts are the heaviest part of the minutes: drawn for the first objectives listed only
# (the missed and at-risk ones come first); every objective's page has its own.
CHARTS_SHOWN = 3

# The manual's list (§29), in English here; the Polish catalogue carries the manual's wording.
INPUT_TITLES: dict[str, Promise] = {
    "a": _("status of actions taken as a result of earlier management reviews"),
    "b": _("changes in external and internal issues relevant to the QMS"),
    "c": _("results of quality audits, internal audits and internal controls"),
    "d": _("information on the progress and degree of completion of corrective actions"),
    "e": _("information on the satisfaction of customers and interested parties"),
    "f": _("information on complaints and requests submitted by customers"),
    "g": _("information on the adequacy of resources"),
    "h": _(
        "information on the effectiveness of actions taken to address identified risks "
        "and opportunities"
    ),
    "i": _("information on the degree of achievement of quality objectives"),
    "j": _("opportunities for improvement"),
}

CHANGE_LABELS: dict[str, Promise] = {
    "added": pgettext_lazy("context register change", "added"),
    "changed": pgettext_lazy("context register change", "changed or reviewed"),
    "retired": pgettext_lazy("context register change", "retired"),
}


@dataclass
class Link:
    label: str
    url: str


@dataclass
class Section:
    """One input: ``code`` (a–j), ``title`` (translated), ``data`` (what the section's
    template shows), ``links`` (every record the figures come from), ``commentary`` (typed by
    people) and ``note`` (what the system cannot compile for this input, said plainly)."""

    code: str
    title: str
    data: dict
    links: list[Link] = field(default_factory=list)
    commentary: str = ""
    note: str = ""

    @property
    def heading(self) -> str:
        return f"{self.code}) {self.title}"

    @property
    def template(self) -> str:
        return f"reviews/review/input_{self.code}.html"


@dataclass
class _Compilation:
    """What several sections share, read once."""

    review: ManagementReview
    period: queries.Period
    as_of: datetime.date

    @cached_property
    def decisions(self) -> list[ReviewDecision]:
        return queries.earlier_decisions(self.review)

    @cached_property
    def feedback(self) -> dict:
        return feedback_for_period(self.period.first_day, self.period.last_day)

    @cached_property
    def feedback_rows(self) -> dict[str, list[Feedback]]:
        return queries.feedback_to_show(self.period, ROWS_SHOWN)

    @cached_property
    def findings(self) -> dict[str, int]:
        """The period's findings by type and the nonconformities by grade (one query)."""
        return queries.finding_counts(self.period)

    @cached_property
    def figures(self) -> dict[str, int]:
        """Every count the sections show, read in one statement (see ``_counts``)."""
        return queries.figures(self.review, _counts(self))

    def section(self, code: str, data: dict, links: list[Link], note: str = "") -> Section:
        commentary = (self.review.commentary or {}).get(code, "")
        return Section(
            code=code,
            title=str(INPUT_TITLES[code]),
            data=data,
            links=links,
            commentary=commentary,
            note=note,
        )


def as_of_date(review: ManagementReview, today: datetime.date | None = None) -> datetime.date:
    """The day deadlines are judged on: the meeting day once it is past, today before it."""
    return min(today or timezone.localdate(), review.meeting_date)


def compile_inputs(
    review: ManagementReview, *, today: datetime.date | None = None
) -> list[Section]:
    """The inputs a–j of ``review`` from the records of its period, in the manual's order.

    Guarantees: exactly ten sections with codes a–j; each section's commentary is
    ``review.commentary[code]`` (empty if none); a fixed number of queries whatever the number
    of audits, cards, feedback, risks, objectives and proposals.
    """
    run = _Compilation(
        review=review, period=queries.review_period(review), as_of=as_of_date(review, today)
    )
    builders = (
        _input_a,
        _input_b,
        _input_c,
        _input_d,
        _input_e,
        _input_f,
        _input_g,
        _input_h,
        _input_i,
        _input_j,
    )
    return [build(run) for build in builders]


def _counts(run: _Compilation) -> dict[str, QuerySet]:
    """The querysets behind every figure of inputs c), d), i) and j), by name."""
    period, as_of = run.period, run.as_of
    audits = queries.audits_in_period(period)
    cards = Nonconformity.objects.all()
    open_actions = CorrectiveAction.objects.filter(
        status__in=queries.OPEN_ACTION, card__status__in=Nonconformity.OPEN_STATUSES
    )
    objectives = queries.objectives_of_period(period)
    measured = Measurement.objects.filter(objective=OuterRef("pk"))
    proposals = proposals_for_period(period.first_day, period.last_day)
    counts: dict[str, QuerySet] = {
        "cards_open": cards.filter(status__in=Nonconformity.OPEN_STATUSES),
        "cards_raised": cards.filter(period.moments("created_at")),
        "actions_open": open_actions,
        "actions_overdue": open_actions.filter(deadline__lt=as_of),
        "actions_done": CorrectiveAction.objects.filter(
            period.moments("completed_at"), status=CorrectiveAction.Status.DONE
        ),
    }
    for source in OTHER_CHECKS:
        counts[f"cards_{source}"] = cards.filter(period.moments("created_at"), source=source)
    for value in Audit.Status.values:
        counts[f"audits_{value}"] = audits.filter(status=value)
    for value in [*Audit.Assessment.values, ""]:
        counts[f"assessment_{value}"] = audits.filter(assessment=value)
    for value in ObjectiveStatus.values:
        if value == ObjectiveStatus.AT_RISK:
            continue  # what is left of the total (below): one status less to work out per row
        if value == ObjectiveStatus.NO_DATA:
            counts[f"objectives_{value}"] = objectives.exclude(Exists(measured))
        else:
            counts[f"objectives_{value}"] = annotate_status(objectives, as_of).filter(
                status_code=value
            )
    counts["objectives"] = objectives
    for value in ImprovementProposal.Status.values:
        counts[f"proposals_{value}"] = proposals.filter(status=value)
    return counts


# --- a) status of actions from earlier reviews ------------------------------------------------


def _decision_row(decision: ReviewDecision, as_of: datetime.date) -> dict:
    url = reverse("reviews:review_detail", args=[decision.review_id]) + f"#decision-{decision.pk}"
    overdue = decision.status == ReviewDecision.Status.OPEN and decision.deadline < as_of
    return {"decision": decision, "overdue": overdue, "url": url}


def _decision_link(row: dict) -> Link:
    decision = row["decision"]
    return Link(f"{decision.review.number}: {decision.description[:80]}", row["url"])


def _input_a(run: _Compilation) -> Section:
    rows = [_decision_row(d, run.as_of) for d in run.decisions]
    statuses = Counter(row["decision"].status for row in rows)
    data = {
        "rows": rows,
        "total": len(rows),
        "open": statuses[ReviewDecision.Status.OPEN],
        "overdue": sum(row["overdue"] for row in rows),
        "done": statuses[ReviewDecision.Status.DONE],
        "cancelled": statuses[ReviewDecision.Status.CANCELLED],
    }
    return run.section("a", data, [_decision_link(row) for row in rows])


# --- b) changes in the context register -----------------------------------------------------


def _change_kind(record) -> str | None:
    if record.active_at_end is False and record.active_before is not False:
        return "retired"
    if record.created_in:
        return "added"
    return "changed"


def _input_b(run: _Compilation) -> Section:
    groups = {
        "issues": (ContextIssue, "reviews:context_issue"),
        "parties": (InterestedParty, "reviews:context_party"),
    }
    data: dict = {"counts": dict.fromkeys(CHANGE_LABELS, 0)}
    links = []
    for key, (model, url_name) in groups.items():
        rows = []
        for record in queries.context_changes(model, run.period):
            change = _change_kind(record)
            data["counts"][change] += 1
            rows.append({"record": record, "change": change, "change_label": CHANGE_LABELS[change]})
        # Additions and retirements first: a review reads them before the routine reviews.
        rows.sort(key=lambda row: row["change"] == "changed")
        shown = rows[:ROWS_SHOWN]
        for row in shown:
            row["url"] = reverse(url_name, args=[row["record"].pk])
            links.append(Link(str(row["record"]), row["url"]))
        data[key] = shown
        data[f"{key}_more"] = len(rows) - len(shown)
    data["total"] = sum(data["counts"].values())
    data["more_url"] = reverse("reviews:context")
    return run.section("b", data, links)


# --- c) audits ------------------------------------------------------------------------------

OTHER_CHECKS = [Nonconformity.Source.INTERNAL_CONTROL, Nonconformity.Source.EXTERNAL_AUDIT]


def _input_c(run: _Compilation) -> Section:
    f = run.figures
    statuses = {value: f[f"audits_{value}"] for value in Audit.Status.values}
    assessments = {value: f[f"assessment_{value}"] for value in [*Audit.Assessment.values, ""]}
    total = sum(statuses.values())
    # The latest audits of the period, told in the order they took place.
    audits = sorted(
        queries.audits_with_findings(run.period)[:ROWS_SHOWN],
        key=lambda a: (a.year, a.planned_month, a.start_date or datetime.date.max, a.number),
    )
    by_type = {value: run.findings[value] for value in Finding.Type.values}
    rows = [{"audit": a, "url": reverse("audits:detail", args=[a.pk])} for a in audits]
    data = {
        "rows": rows,
        "total": total,
        "more": total - len(rows),
        "more_url": reverse("audits:list"),
        "by_status": [(label, statuses[value]) for value, label in Audit.Status.choices],
        "findings": [(value, label, by_type[value]) for value, label in Finding.Type.choices],
        "findings_total": sum(by_type.values()),
        "nonconformities_by_grade": [
            (label, run.findings[f"grade_{value}"]) for value, label in Finding.Grade.choices
        ],
        "assessments": [(label, assessments[value]) for value, label in Audit.Assessment.choices],
        "not_evaluated": assessments[""],
        "other_checks": [
            (label, f[f"cards_{value}"])
            for value, label in Nonconformity.Source.choices
            if value in OTHER_CHECKS
        ],
        "cards_url": reverse("nonconformities:list"),
    }
    note = _(
        "Internal audits (audyt wewnętrzny) and internal controls are carried out outside the "
        "QMS system: only the nonconformity cards raised from them are counted here. Summarise "
        "their results in the commentary."
    )
    links = [Link(a.number, row["url"]) for a, row in zip(audits, rows, strict=True)]
    return run.section("c", data, links, note=str(note))


# --- d) corrective actions ------------------------------------------------------------------


def _input_d(run: _Compilation) -> Section:
    f = run.figures
    checked = queries.verifications_in_period(run.period)
    outcome = checked.aggregate(
        effective=Count("id", filter=Q(verification_effective=True)),
        not_effective=Count("id", filter=Q(verification_effective=False)),
    )
    verifications = [
        {**row, "url": reverse("nonconformities:detail", args=[row["id"]])}
        for row in checked[:ROWS_SHOWN]
    ]
    overdue = [
        {"action": action, "url": reverse("nonconformities:detail", args=[action.card_id])}
        for action in queries.overdue_actions(run.as_of)[:ROWS_SHOWN]
    ]
    verified = outcome["effective"] + outcome["not_effective"]
    data = {
        "cards_open": f["cards_open"],
        "cards_raised": f["cards_raised"],
        "verified_effective": outcome["effective"],
        "verified_not_effective": outcome["not_effective"],
        "verifications": verifications,
        "verifications_more": verified - len(verifications),
        "actions_open": f["actions_open"],
        "actions_overdue": f["actions_overdue"],
        "actions_done": f["actions_done"],
        "overdue_rows": overdue,
        "overdue_more": f["actions_overdue"] - len(overdue),
        "cards_url": reverse("nonconformities:list"),
    }
    links = [Link(v["number"], v["url"]) for v in verifications]
    links += [Link(row["action"].card.number, row["url"]) for row in overdue]
    return run.section("d", data, links)


# --- e) satisfaction ------------------------------------------------------------------------


def _percent(survey: Feedback) -> Decimal | None:
    if survey.score is None or not survey.score_max:
        return None
    return (survey.score / survey.score_max * 100).quantize(Decimal("0.1"))


def _input_e(run: _Compilation) -> Section:
    surveys = run.feedback["survey_figures"]
    rows = [
        {
            "survey": survey,
            "percent": _percent(survey),
            "url": reverse("reviews:feedback", args=[survey.pk]),
        }
        for survey in run.feedback_rows["surveys"]
    ]
    average = surveys["average_percent"]
    data = {
        "rows": rows,
        "total": surveys["total"],
        "more": surveys["total"] - len(rows),
        "more_url": reverse("reviews:feedback_list"),
        "respondents": surveys["respondents"],
        "average_percent": average.quantize(Decimal("0.1")) if average is not None else None,
    }
    links = [Link(str(row["survey"]), row["url"]) for row in rows]
    return run.section("e", data, links)


# --- f) complaints and requests -------------------------------------------------------------


def _input_f(run: _Compilation) -> Section:
    kinds = run.feedback["kinds"]
    noted = [
        {"case": case, "url": reverse("reviews:feedback", args=[case.pk])}
        for case in run.feedback_rows["cases"]
    ]
    data = {
        "kinds": kinds,
        "total": sum(kind["total"] for kind in kinds),
        "complaints_with_card": run.feedback["complaints_with_card"],
        "noted": noted,
        "more": run.feedback["cases_to_note"] - len(noted),
        "more_url": reverse("reviews:feedback_list"),
    }
    links = [Link(str(row["case"]), row["url"]) for row in noted]
    return run.section("f", data, links)


# --- g) resources ---------------------------------------------------------------------------


def _input_g(run: _Compilation) -> Section:
    rows = [
        _decision_row(d, run.as_of)
        for d in run.decisions
        if d.type == ReviewDecision.Type.RESOURCES
    ]
    note = _(
        "The system holds no data on resources beyond the resource decisions of earlier "
        "reviews listed here. Describe the adequacy of people, infrastructure, working "
        "environment and budget in the commentary."
    )
    return run.section(
        "g", {"rows": rows, "total": len(rows)}, [_decision_link(r) for r in rows], note=str(note)
    )


# --- h) risks and opportunities -------------------------------------------------------------


def _input_h(run: _Compilation) -> Section:
    risks = risks_for_period(run.period.first_day, run.period.last_day)
    f = risk_figures(run.period.first_day, run.period.last_day, run.as_of)
    rows = [
        {
            "risk": risk,
            "band": band_for(risk.score_value),
            "review_overdue": risk.next_review < run.as_of,
            "url": reverse("reviews:risk", args=[risk.pk]),
        }
        for risk in risks[:ROWS_SHOWN]
    ]
    data = {
        "rows": rows,
        "total": f["total"],
        "more": f["total"] - len(rows),
        "more_url": reverse("reviews:risks"),
        "risks": f["risk"],
        "opportunities": f["opportunity"],
        "assessed_in_period": f["assessed"],
        "controls_effective": f["effective"],
        "controls_not_effective": f["not_effective"],
        "controls_not_judged": f["not_judged"],
        "review_overdue": f["review_overdue"],
        "by_band": [(band.label, f[f"band_{band.key}"]) for band in BANDS],
    }
    links = [Link(str(row["risk"]), row["url"]) for row in rows]
    return run.section("h", data, links)


# --- i) quality objectives ------------------------------------------------------------------


def _input_i(run: _Compilation) -> Section:
    f = run.figures
    statuses = {
        value: f[f"objectives_{value}"]
        for value in ObjectiveStatus.values
        if value != ObjectiveStatus.AT_RISK
    }
    statuses[ObjectiveStatus.AT_RISK] = f["objectives"] - sum(statuses.values())
    shown = annotate_status(queries.objectives_of_period(run.period), run.as_of).order_by(
        "status_rank", "year", "title", "id"
    )[:ROWS_SHOWN]
    rows = [
        {
            "objective": objective,
            "chart": trend_svg(objective, objective.measurement_list) if n < CHARTS_SHOWN else None,
            "url": reverse("reviews:objective", args=[objective.pk]),
        }
        for n, objective in enumerate(objectives_with_status(shown, run.as_of))
    ]
    total = sum(statuses.values())
    data = {
        "rows": rows,
        "charts": [row for row in rows if row["chart"] is not None],
        "total": total,
        "more": total - len(rows),
        "more_url": reverse("reviews:objectives"),
        "by_status": [(label, statuses[value]) for value, label in ObjectiveStatus.choices],
        "achieved": statuses[ObjectiveStatus.ACHIEVED],
        "missed": statuses[ObjectiveStatus.NOT_ACHIEVED],
    }
    links = [Link(str(row["objective"]), row["url"]) for row in rows]
    return run.section("i", data, links)


# --- j) opportunities for improvement -------------------------------------------------------


def _input_j(run: _Compilation) -> Section:
    f = run.figures
    statuses = {value: f[f"proposals_{value}"] for value in ImprovementProposal.Status.values}
    proposals = [
        {"proposal": p, "url": reverse("reviews:proposal", args=[p.pk])}
        for p in proposals_for_period(run.period.first_day, run.period.last_day)[:ROWS_SHOWN]
    ]
    findings = [
        {"finding": finding, "url": reverse("audits:detail", args=[finding.audit_id])}
        for finding in queries.improvement_findings(run.period)[:ROWS_SHOWN]
    ]
    proposals_total = sum(statuses.values())
    data = {
        "proposals": proposals,
        "proposals_total": proposals_total,
        "proposals_more": proposals_total - len(proposals),
        "proposals_url": reverse("reviews:proposals"),
        "by_status": [
            (label, statuses[value]) for value, label in ImprovementProposal.Status.choices
        ],
        "findings": findings,
        "findings_total": run.findings[Finding.Type.IMPROVEMENT],
        "findings_more": run.findings[Finding.Type.IMPROVEMENT] - len(findings),
        "findings_url": reverse("audits:list"),
    }
    links = [Link(str(row["proposal"]), row["url"]) for row in proposals]
    links += [Link(str(row["finding"]), row["url"]) for row in findings]
    return run.section("j", data, links)


# --- the minutes ----------------------------------------------------------------------------

MINUTES_TEMPLATE = "reviews/review/pdf/minutes.html"


def minutes_context(review: ManagementReview, *, final: bool) -> dict:
    """What ``reviews/review/pdf/minutes.html`` needs: the compiled inputs, the decisions, the
    participants and the signatures. Reads the review's fields as they are in memory (the
    approval renders before it saves) and its participants and decisions from the database."""
    participants = list(
        review.participants.select_related("unit").order_by("last_name", "first_name")
    )
    decisions = list(
        ReviewDecision.objects.filter(review=review).select_related("owner").order_by("type", "id")
    )
    title = gettext("Minutes of management review %(number)s") % {"number": review.number}
    identity = gettext("Minutes of management review %(number)s of %(date)s") % {
        "number": review.number,
        "date": date_format(review.meeting_date, "DATE_FORMAT"),
    }
    return {
        "review": review,
        "sections": compile_inputs(review),
        "decisions": decisions,
        # Every kind of output of §29 is printed, with "none" when the review decided nothing.
        "decisions_by_type": [
            (label, [d for d in decisions if d.type == value])
            for value, label in ReviewDecision.Type.choices
        ],
        "participants": participants,
        "labels": {
            "review": field_labels(ManagementReview),
            "decision": field_labels(ReviewDecision),
        },
        "signatures": [
            (gettext("Prepared by: Quality management representative"), review.prepared_by),
            (gettext("Approved by: Mayor of the City"), review.approved_by if final else None),
        ],
        "draft": not final,
        "pdf": True,
        "pdf_title": title,
        "pdf_identity": identity,
    }


def minutes_pdf(review: ManagementReview, *, final: bool) -> bytes:
    """The minutes as a PDF. ``final`` is the approved document, always in the official
    language (Polish) whoever approves it; a draft is in the reader's language and marked as
    a draft on every page."""
    if final:
        with translation.override(settings.LANGUAGE_CODE):
            return render_pdf(MINUTES_TEMPLATE, minutes_context(review, final=True))
    return render_pdf(MINUTES_TEMPLATE, minutes_context(review, final=False))
