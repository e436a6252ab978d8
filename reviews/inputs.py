"""The inputs a–j of a management review (Księga Jakości §29), compiled from the live records
of the review's period and commented by people.

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
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Avg, Count, F, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from audits.models import Audit, Finding
from nonconformities.models import Nonconformity
from reviews.charts import trend_svg
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    ManagementReview,
    ReviewDecision,
    Risk,
)
from reviews.selectors import review as queries
from reviews.selectors.feedback import feedback_for_period
from reviews.selectors.objectives import (
    ObjectiveStatus,
    annotate_status,
    objectives_with_status,
)
from reviews.selectors.proposals import proposals_for_period
from reviews.selectors.risks import BANDS, band_for, risks_for_period

INPUT_CODES = ("a", "b", "c", "d", "e", "f", "g", "h", "i", "j")
ROWS_SHOWN = 15

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
            url = reverse(url_name, args=[record.pk])
            data["counts"][change] += 1
            rows.append(
                {
                    "record": record,
                    "change": change,
                    "change_label": CHANGE_LABELS[change],
                    "url": url,
                }
            )
            links.append(Link(str(record), url))
        data[key] = rows
    data["total"] = sum(data["counts"].values())
    return run.section("b", data, links)


# --- c) audits ------------------------------------------------------------------------------

OTHER_CHECKS = [Nonconformity.Source.INTERNAL_CONTROL, Nonconformity.Source.EXTERNAL_AUDIT]


def _input_c(run: _Compilation) -> Section:
    counts = queries.audit_counts(run.period)
    statuses, assessments = Counter(), Counter()
    for row in counts:
        statuses[row["status"]] += row["n"]
        assessments[row["assessment"]] += row["n"]
    total = sum(statuses.values())
    # The audits with the most findings, told in the order they took place.
    audits = sorted(
        queries.audits_with_findings(run.period)[:ROWS_SHOWN],
        key=lambda a: (a.year, a.planned_month, a.start_date or datetime.date.max, a.number),
    )
    found = queries.findings_by_type(run.period)
    by_type = Counter()
    by_grade = Counter()
    for row in found:
        by_type[row["type"]] += row["n"]
        if row["grade"]:
            by_grade[row["grade"]] += row["n"]
    other = queries.cards_by_source(run.period, OTHER_CHECKS)
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
            (label, by_grade[value]) for value, label in Finding.Grade.choices
        ],
        "assessments": [(label, assessments[value]) for value, label in Audit.Assessment.choices],
        "not_evaluated": assessments[""],
        "other_checks": [
            (label, other.get(value, 0))
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
    cards = queries.card_counts(run.period)
    actions = queries.action_counts(run.period, run.as_of)
    checked = queries.verifications_in_period(run.period)
    effective = checked.filter(verification_effective=True).count()
    not_effective = checked.filter(verification_effective=False).count()
    verifications = [
        {**row, "url": reverse("nonconformities:detail", args=[row["id"]])}
        for row in checked[:ROWS_SHOWN]
    ]
    overdue = [
        {"action": action, "url": reverse("nonconformities:detail", args=[action.card_id])}
        for action in queries.overdue_actions(run.as_of)[:ROWS_SHOWN]
    ]
    data = {
        "cards_open": cards["open"],
        "cards_raised": cards["raised"],
        "verified_effective": effective,
        "verified_not_effective": not_effective,
        "verifications": verifications,
        "verifications_more": effective + not_effective - len(verifications),
        "actions_open": actions["open"],
        "actions_overdue": actions["overdue"],
        "actions_done": actions["done"],
        "overdue_rows": overdue,
        "overdue_more": actions["overdue"] - len(overdue),
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
    surveys = run.feedback["surveys"]
    scored = Q(score__isnull=False, score_max__gt=0)
    figures = surveys.aggregate(
        total=Count("id"),
        respondents=Sum("respondents"),
        average=Avg(F("score") * 100 / F("score_max"), filter=scored),
    )
    rows = [
        {
            "survey": survey,
            "percent": _percent(survey),
            "url": reverse("reviews:feedback", args=[survey.pk]),
        }
        for survey in surveys[:ROWS_SHOWN]
    ]
    average = figures["average"]
    data = {
        "rows": rows,
        "total": figures["total"],
        "more": figures["total"] - len(rows),
        "more_url": reverse("reviews:feedback_list"),
        "respondents": figures["respondents"] or 0,
        "average_percent": Decimal(average).quantize(Decimal("0.1"))
        if average is not None
        else None,
    }
    links = [Link(str(row["survey"]), row["url"]) for row in rows]
    return run.section("e", data, links)


# --- f) complaints and requests -------------------------------------------------------------


def _input_f(run: _Compilation) -> Section:
    kinds = run.feedback["kinds"]
    cases = queries.cases_to_note(run.period)
    noted = [
        {"case": case, "url": reverse("reviews:feedback", args=[case.pk])}
        for case in cases[:ROWS_SHOWN]
    ]
    noted_total = cases.count()
    data = {
        "kinds": kinds,
        "total": sum(kind["total"] for kind in kinds),
        "complaints_with_card": run.feedback["complaints_with_card"],
        "noted": noted,
        "more": noted_total - len(noted),
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
    band_counts = {
        f"band_{band.key}": Count("id", filter=Q(score_value__range=(band.low, band.high)))
        for band in BANDS
    }
    figures = risks.aggregate(
        total=Count("id"),
        risks=Count("id", filter=Q(kind=Risk.Kind.RISK)),
        opportunities=Count("id", filter=Q(kind=Risk.Kind.OPPORTUNITY)),
        assessed_in_period=Count("id", filter=Q(assessments_in_period__gt=0)),
        controls_effective=Count("id", filter=Q(last_controls_effective=True)),
        controls_not_effective=Count("id", filter=Q(last_controls_effective=False)),
        controls_not_judged=Count("id", filter=Q(last_controls_effective__isnull=True)),
        review_overdue=Count("id", filter=Q(next_review__lt=run.as_of)),
        **band_counts,
    )
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
        "total": figures["total"],
        "more": figures["total"] - len(rows),
        "more_url": reverse("reviews:risks"),
        "risks": figures["risks"],
        "opportunities": figures["opportunities"],
        "assessed_in_period": figures["assessed_in_period"],
        "controls_effective": figures["controls_effective"],
        "controls_not_effective": figures["controls_not_effective"],
        "controls_not_judged": figures["controls_not_judged"],
        "review_overdue": figures["review_overdue"],
        "by_band": [(band.label, figures[f"band_{band.key}"]) for band in BANDS],
    }
    links = [Link(str(row["risk"]), row["url"]) for row in rows]
    return run.section("h", data, links)


# --- i) quality objectives ------------------------------------------------------------------


def _input_i(run: _Compilation) -> Section:
    period_objectives = annotate_status(queries.objectives_of_period(run.period), run.as_of)
    statuses = Counter(
        {
            row["status_code"]: row["n"]
            for row in period_objectives.order_by()
            .values("status_code")
            .annotate(n=Count("id"))
            .values("status_code", "n")
        }
    )
    shown = period_objectives.order_by("status_rank", "year", "title", "id")[:ROWS_SHOWN]
    objectives = objectives_with_status(shown, run.as_of)
    rows = [
        {
            "objective": objective,
            "chart": trend_svg(objective, objective.measurement_list),
            "url": reverse("reviews:objective", args=[objective.pk]),
        }
        for objective in objectives
    ]
    total = sum(statuses.values())
    data = {
        "rows": rows,
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
    period_proposals = proposals_for_period(run.period.first_day, run.period.last_day)
    statuses = Counter(
        {
            row["status"]: row["n"]
            for row in period_proposals.order_by().values("status").annotate(n=Count("id"))
        }
    )
    proposals = [
        {"proposal": p, "url": reverse("reviews:proposal", args=[p.pk])}
        for p in period_proposals[:ROWS_SHOWN]
    ]
    improvement = queries.improvement_findings(run.period)
    findings = [
        {"finding": f, "url": reverse("audits:detail", args=[f.audit_id])}
        for f in improvement[:ROWS_SHOWN]
    ]
    findings_total = improvement.count()
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
        "findings_total": findings_total,
        "findings_more": findings_total - len(findings),
        "findings_url": reverse("audits:list"),
    }
    links = [Link(str(row["proposal"]), row["url"]) for row in proposals]
    links += [Link(str(row["finding"]), row["url"]) for row in findings]
    return run.section("j", data, links)
