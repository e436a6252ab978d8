"""Reads of management reviews (przegląd zarządzania, Księga Jakości §29): who may see and do
what, the access helpers the views use, the start-page sections, and the plain queries the
compilation of the inputs a–j needs (``reviews.selectors.review_inputs``, which also renders
the minutes).

Top management and the Pełnomocnik read every review; the Pełnomocnik prepares them; only the
Prezydent approves the minutes; a decision's owner sees and completes their own decisions.
Every query here is a fixed number of statements whatever the number of records.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
)
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from audits.models import Audit, Finding
from nonconformities.models import CorrectiveAction, Nonconformity
from processes.models import Process
from qms import roles
from qms.models import User
from qms.queries import count_of
from reviews.models import (
    ContextIssue,
    Feedback,
    InterestedParty,
    ManagementReview,
    QualityObjective,
    ReviewDecision,
)
from reviews.selectors import (
    is_pelnomocnik,
    is_prezydent,
    midnight,
    reads_everything,
)

R = ManagementReview.Status
D = ReviewDecision.Status

# --- who may do what ------------------------------------------------------------------------


def can_prepare_reviews(user: User) -> bool:
    """Creates, comments and convenes reviews and records their decisions (Pełnomocnik)."""
    return is_pelnomocnik(user)


def can_approve_reviews(user: User) -> bool:
    """Approves the minutes (Prezydent only)."""
    return is_prezydent(user)


def is_top_management(user: User) -> bool:
    """May take part in a review: the Prezydent, top management and the Pełnomocnik."""
    return reads_everything(user)


def top_management() -> QuerySet[User]:
    """The people who may be named as participants."""
    return (
        User.objects.filter(
            is_active=True,
            groups__name__in=[roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO, roles.PELNOMOCNIK],
        )
        .distinct()
        .select_related("unit")
        .order_by("last_name", "first_name", "username")
    )


# --- access helpers -------------------------------------------------------------------------


def reviews_visible(*, user: User) -> QuerySet[ManagementReview]:
    """Every review for top management and the Pełnomocnik, none for anyone else."""
    if not reads_everything(user):
        return ManagementReview.objects.none()
    return ManagementReview.objects.select_related("prepared_by", "approved_by").annotate(
        decisions_total=Count("decisions", distinct=True),
        decisions_open=Count("decisions", filter=Q(decisions__status=D.OPEN), distinct=True),
    )


def review_get(*, user: User, pk: int) -> ManagementReview:
    """A review with its participants and decisions; 404 if there is none,
    ``PermissionDenied`` unless ``user`` reads everything."""
    if not reads_everything(user):
        raise PermissionDenied
    decisions = ReviewDecision.objects.select_related("owner").order_by("type", "id")
    return get_object_or_404(
        ManagementReview.objects.select_related("prepared_by", "approved_by").prefetch_related(
            Prefetch("participants", queryset=User.objects.select_related("unit")),
            Prefetch("decisions", queryset=decisions),
        ),
        pk=pk,
    )


def decision_get(*, user: User, pk: int) -> ReviewDecision:
    """A decision for top management, the Pełnomocnik or its owner; 404 / ``PermissionDenied``."""
    if not roles.signed_in(user):
        raise PermissionDenied
    decision = get_object_or_404(ReviewDecision.objects.select_related("review", "owner"), pk=pk)
    if not (reads_everything(user) or decision.owner_id == user.pk):
        raise PermissionDenied
    return decision


def can_complete_decision(user: User, decision: ReviewDecision) -> bool:
    """The owner records an open decision of a held or approved review as done."""
    return (
        roles.signed_in(user)
        and decision.owner_id == user.pk
        and decision.status == D.OPEN
        and decision.review.status in (R.HELD, R.APPROVED)
    )


def my_decisions(*, user: User) -> QuerySet[ReviewDecision]:
    """Decisions ``user`` owns, of reviews that were held (a draft's decisions are proposals)."""
    if not roles.signed_in(user):
        return ReviewDecision.objects.none()
    return (
        ReviewDecision.objects.filter(owner=user, review__status__in=[R.HELD, R.APPROVED])
        .select_related("review")
        .order_by("status", "deadline", "id")
    )


def review_dashboard_sections(*, user: User, today: datetime.date) -> dict:
    """What the reviews ask of ``user`` now (a fixed number of queries): their open review
    decisions, split into overdue and not yet due, and — for the Prezydent — minutes waiting
    for approval, for the Pełnomocnik — reviews being prepared."""
    open_decisions = my_decisions(user=user).filter(status=D.OPEN).order_by("deadline", "id")
    sections = {
        "review_decisions_overdue": list(open_decisions.filter(deadline__lt=today)[:10]),
        "review_decisions_open": list(open_decisions.filter(deadline__gte=today)[:10]),
        "reviews_to_approve": [],
        "reviews_in_preparation": [],
    }
    if can_approve_reviews(user):
        sections["reviews_to_approve"] = list(
            ManagementReview.objects.filter(status=R.HELD).order_by("meeting_date")
        )
    if can_prepare_reviews(user):
        sections["reviews_in_preparation"] = list(
            ManagementReview.objects.filter(status__in=[R.DRAFT, R.HELD]).order_by("meeting_date")
        )
    return sections


# --- the period -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """The review's period: dates inclusive, and the matching half-open range of moments in
    the city hall's time zone for timestamps (``start <= t < end``)."""

    first_day: datetime.date
    last_day: datetime.date

    @property
    def start(self) -> datetime.datetime:
        return midnight(self.first_day)

    @property
    def end(self) -> datetime.datetime:
        return midnight(self.last_day + datetime.timedelta(days=1))

    def moments(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def days(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.last_day})


def review_period(review: ManagementReview) -> Period:
    return Period(review.period_start, review.period_end)


# --- figures read together ----------------------------------------------------------------


def figures(review: ManagementReview, counts: dict[str, QuerySet]) -> dict[str, int]:
    """Each of ``counts`` (name → queryset) counted, all in one query."""
    if not counts:
        return {}
    row = (
        ManagementReview.objects.filter(pk=review.pk)
        .annotate(**{name: count_of(queryset) for name, queryset in counts.items()})
        .values(*counts)
        .get()
    )
    return {name: value or 0 for name, value in row.items()}


# --- a) and g): decisions of earlier reviews --------------------------------------------------


def earlier_decisions(review: ManagementReview) -> list[ReviewDecision]:
    """Decisions of the reviews held before this one that this review has to look at: those
    still open, and those closed (done or cancelled) since the previous review's meeting, so
    every decision is reported at least once after it was made (1 query)."""
    earlier = ManagementReview.objects.filter(
        meeting_date__lt=review.meeting_date, status__in=[R.HELD, R.APPROVED]
    ).exclude(pk=review.pk)
    previous_meeting = Subquery(earlier.order_by("-meeting_date").values("meeting_date")[:1])
    return list(
        ReviewDecision.objects.filter(review__in=earlier)
        .filter(Q(status=D.OPEN) | Q(completed_at__date__gte=previous_meeting))
        .select_related("review", "owner")
        .order_by("review__meeting_date", "type", "id")
    )


# --- b) the context register ----------------------------------------------------------------


def context_changes(model: type[ContextIssue] | type[InterestedParty], period: Period) -> list:
    """Records of ``model`` (context issues or interested parties) created, changed,
    reviewed or retired in the period, from their history rows — so a record changed in the
    period and again after it still counts (1 query). Each record gets ``created_in``,
    ``changed_in``, ``active_before`` and ``active_at_end`` (its ``is_active`` as the period
    began and ended; None when it did not exist yet)."""
    history = model.history.model  # type: ignore[attr-defined]
    rows = history.objects.filter(id=OuterRef("pk"))
    in_period = rows.filter(period.moments("history_date"))
    latest = ("-history_date", "-history_id")
    return list(
        model.objects.annotate(
            created_in=Exists(in_period.filter(history_type="+")),
            changed_in=Exists(in_period.filter(history_type="~")),
            active_before=Subquery(
                rows.filter(history_date__lt=period.start).order_by(*latest).values("is_active")[:1]
            ),
            active_at_end=Subquery(
                rows.filter(history_date__lt=period.end).order_by(*latest).values("is_active")[:1]
            ),
        )
        .filter(Exists(in_period) | period.days("last_reviewed"))
        .order_by(*model._meta.ordering)
    )


# --- c) and j): audits and their findings ---------------------------------------------------


def audits_in_period(period: Period) -> QuerySet[Audit]:
    """Audits of the period: by their start date, or — not started yet — by the planned
    month (so the review also sees the audits of the plan that did not take place)."""
    first = period.first_day.year * 100 + period.first_day.month
    last = period.last_day.year * 100 + period.last_day.month
    return Audit.objects.annotate(planned_ym=F("year") * 100 + F("planned_month")).filter(
        period.days("start_date")
        | Q(start_date__isnull=True, planned_ym__gte=first, planned_ym__lte=last)
    )


def audits_with_findings(period: Period) -> QuerySet[Audit]:
    """The period's audits, latest first, with their processes and the number of (not
    withdrawn) findings (2 queries when read; the count is worked out for the rows read)."""
    findings = Finding.objects.filter(audit=OuterRef("pk"), withdrawn=False)
    return (
        audits_in_period(period)
        .select_related("lead_auditor")
        .prefetch_related(Prefetch("processes", queryset=Process.objects.order_by("sort_key")))
        .annotate(findings_count=count_of(findings))
        .order_by("-year", "-planned_month", "-number")
    )


def finding_counts(period: Period) -> dict[str, int]:
    """The findings of the period's audits (not withdrawn) by type, and the nonconformities
    by grade as ``grade_<grade>`` (1 query)."""
    nonconformity = Q(type=Finding.Type.NONCONFORMITY)
    return Finding.objects.filter(
        audit__in=audits_in_period(period).values("pk"), withdrawn=False
    ).aggregate(
        **{value: Count("id", filter=Q(type=value)) for value in Finding.Type.values},
        **{
            f"grade_{value}": Count("id", filter=nonconformity & Q(grade=value))
            for value in Finding.Grade.values
        },
    )


def improvement_findings(period: Period) -> QuerySet[Finding]:
    """Opportunities for improvement found by the period's audits."""
    return (
        Finding.objects.filter(
            audit__in=audits_in_period(period).values("pk"),
            type=Finding.Type.IMPROVEMENT,
            withdrawn=False,
        )
        .select_related("audit", "process")
        .order_by("audit__number", "number")
    )


# --- d) nonconformity cards and corrective actions ------------------------------------------

OPEN_ACTION = [CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS]


def verifications_in_period(period: Period) -> QuerySet:
    """Every verification of effectiveness made in the period, effective or not, from the
    cards' history: a card found not effective and verified again counts twice. Rows of
    ``{"id", "number", "verified_at", "verification_effective"}``, those found not effective
    first, then the latest."""
    history = Nonconformity.history.model  # type: ignore[attr-defined]
    return (
        history.objects.filter(period.moments("verified_at"))
        .values("id", "number", "verified_at", "verification_effective")
        .distinct()
        .order_by("verification_effective", "-verified_at", "id")
    )


def overdue_actions(as_of: datetime.date) -> QuerySet[CorrectiveAction]:
    """Open actions of open cards past their deadline on ``as_of``, the longest overdue first."""
    return (
        CorrectiveAction.objects.filter(
            status__in=OPEN_ACTION,
            card__status__in=Nonconformity.OPEN_STATUSES,
            deadline__lt=as_of,
        )
        .select_related("card__process", "responsible")
        .order_by("deadline", "id")
    )


# --- e) and f) customer feedback ------------------------------------------------------------

CASE_KINDS = [Feedback.Kind.COMPLAINT, Feedback.Kind.REQUEST, Feedback.Kind.PETITION]


def feedback_to_show(period: Period, limit: int) -> dict[str, list[Feedback]]:
    """The period's first ``limit`` satisfaction surveys (``"surveys"``) and first ``limit``
    cases to note (``"cases"``: complaints, requests and petitions found justified or that led
    to a nonconformity card), oldest first, read together in one query: each kind's first
    ``limit`` rows are numbered within the kind, and the cases' first rows lie among them."""
    noteworthy = Q(kind__in=CASE_KINDS) & (
        Q(outcome=Feedback.Outcome.JUSTIFIED) | Q(nonconformity__isnull=False)
    )
    rows = (
        Feedback.objects.filter(period.days("received"))
        .filter(Q(kind=Feedback.Kind.SURVEY) | noteworthy)
        .annotate(
            place=Window(RowNumber(), partition_by=[F("kind")], order_by=[F("received"), F("id")])
        )
        .filter(place__lte=limit)
        .select_related("unit", "process", "nonconformity")
        .order_by("received", "id")
    )
    surveys, cases = [], []
    for row in rows:
        (surveys if row.kind == Feedback.Kind.SURVEY else cases).append(row)
    return {"surveys": surveys, "cases": cases[:limit]}


# --- i) quality objectives ------------------------------------------------------------------


def objectives_of_period(period: Period) -> QuerySet[QualityObjective]:
    """Current objectives of the years the period touches (measurements are prefetched by
    ``reviews.selectors.objectives.objectives_with_status``)."""
    return (
        QualityObjective.objects.filter(
            is_active=True, year__gte=period.first_day.year, year__lte=period.last_day.year
        )
        .select_related("owner", "unit")
        .order_by("year", "title", "id")
    )
