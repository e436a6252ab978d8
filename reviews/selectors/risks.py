"""Reads of the register of risks and opportunities (Księga Jakości §11; ISO 9001 6.1; the same
register serves kontrola zarządcza).

Top management, the Pełnomocnik and the register keepers read the whole register; a risk's
owner and the owner of its process read that risk. The keepers maintain the register; a risk
is assessed by its owner or a keeper.
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.shortcuts import get_object_or_404
from django.utils.translation import pgettext_lazy

from qms.models import User
from qms.queries import count_of
from qms.roles import signed_in
from reviews.models import Risk, RiskAssessment
from reviews.selectors import keeps_registers, midnight, reads_everything

SCALE = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class Band:
    """A range of scores (likelihood × impact) that is read the same way."""

    key: str
    label: str
    low: int
    high: int


# 5 × 5 scores: 1–4 tolerable, 5–9 to watch, 10–16 to act on, 20–25 to act on at once (no
# product of two numbers from 1 to 5 falls between 16 and 20).
BANDS = (
    Band("low", pgettext_lazy("risk score band", "low"), 1, 4),
    Band("medium", pgettext_lazy("risk score band", "medium"), 5, 9),
    Band("high", pgettext_lazy("risk score band", "high"), 10, 16),
    Band("critical", pgettext_lazy("risk score band", "critical"), 20, 25),
)
BAND_CHOICES = [(b.key, b.label) for b in BANDS]


def band_for(score: int) -> Band:
    return next(b for b in BANDS if b.low <= score <= b.high)


def reads_all_risks(user: User) -> bool:
    return reads_everything(user) or keeps_registers(user)


def can_keep_risks(user: User) -> bool:
    """Adds risks, edits what they say, closes and reopens them (Pełnomocnik, Koordynator)."""
    return keeps_registers(user)


def can_assess_risk(user: User, risk: Risk) -> bool:
    """Assesses an active risk: its owner or a register keeper."""
    if not signed_in(user) or risk.status != Risk.Status.ACTIVE:
        return False
    return keeps_registers(user) or risk.owner_id == user.pk


def with_score(risks: QuerySet[Risk]) -> QuerySet[Risk]:
    """``risks`` annotated with ``score_value`` (likelihood × impact), for filtering and sorting
    in SQL (``Risk.score`` is the same value computed in Python)."""
    return risks.annotate(score_value=F("likelihood") * F("impact"))


def risks_visible(*, user: User) -> QuerySet[Risk]:
    """The risks ``user`` may read (see the module docstring), with what a list row shows."""
    if not signed_in(user):
        return Risk.objects.none()
    risks = with_score(Risk.objects.select_related("process", "owner", "objective"))
    if reads_all_risks(user):
        return risks
    return risks.filter(Q(owner=user) | Q(process__owner=user))


def risk_get(*, user: User, pk: int) -> Risk:
    """One risk with its assessments (newest first, each with its assessor), or 404;
    ``PermissionDenied`` unless ``user`` may read it."""
    if not signed_in(user):
        raise PermissionDenied
    assessments = RiskAssessment.objects.select_related("assessed_by").order_by(
        "-assessed_at", "-id"
    )
    risk = get_object_or_404(
        Risk.objects.select_related("process__owner", "owner", "objective").prefetch_related(
            Prefetch("assessments", queryset=assessments)
        ),
        pk=pk,
    )
    if not (
        reads_all_risks(user)
        or risk.owner_id == user.pk
        or (risk.process is not None and risk.process.owner_id == user.pk)
    ):
        raise PermissionDenied
    return risk


def risk_get_for_keeping(*, user: User, pk: int) -> Risk:
    """A risk for the keepers' edit, close or reopen, or ``PermissionDenied``/404."""
    if not can_keep_risks(user):
        raise PermissionDenied
    return get_object_or_404(Risk.objects.select_related("process", "owner"), pk=pk)


def risk_matrix(risks: QuerySet[Risk]) -> list[dict]:
    """The 5 × 5 grid of ``risks`` counted per (likelihood, impact) in one query: rows from the
    most likely down, each ``{"likelihood", "cells": [{"impact", "score", "band", "count"}]}``."""
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in risks.order_by()
        .values("likelihood", "impact")
        .annotate(n=Count("id"))
        .values("likelihood", "impact", "n")
    }
    return [
        {
            "likelihood": likelihood,
            "cells": [
                {
                    "impact": impact,
                    "score": likelihood * impact,
                    "band": band_for(likelihood * impact),
                    "count": counts.get((likelihood, impact), 0),
                }
                for impact in SCALE
            ],
        }
        for likelihood in reversed(SCALE)
    ]


def risks_for_period(start: datetime.date, end: datetime.date) -> QuerySet[Risk]:
    """Input h) of the management review: the risks and opportunities active now and already
    identified by ``end``, highest score first, each annotated from its latest assessment made
    on or before ``end``:

    - ``last_assessed_at`` (None if never assessed), ``last_likelihood``, ``last_impact``,
      ``last_controls_effective`` (True, False or None when not judged);
    - ``assessments_in_period``: how many assessments were made between ``start`` and ``end``.

    No permission filtering: the review's own page decides who reads it.
    """
    latest = RiskAssessment.objects.filter(
        risk=OuterRef("pk"), assessed_at__date__lte=end
    ).order_by("-assessed_at", "-id")
    return (
        with_score(Risk.objects.select_related("process", "owner"))
        .filter(status=Risk.Status.ACTIVE, created_at__date__lte=end)
        .annotate(
            last_assessed_at=Subquery(latest.values("assessed_at")[:1]),
            last_likelihood=Subquery(latest.values("likelihood")[:1], output_field=IntegerField()),
            last_impact=Subquery(latest.values("impact")[:1], output_field=IntegerField()),
            last_controls_effective=Subquery(latest.values("controls_effective")[:1]),
            # A subquery, not a join with GROUP BY: the register is then not grouped whole
            # before the review's first rows are cut from it.
            assessments_in_period=count_of(
                RiskAssessment.objects.filter(
                    risk=OuterRef("pk"), assessed_at__date__range=(start, end)
                )
            ),
        )
        .order_by("-score_value", "title")
    )


def risk_figures(start: datetime.date, end: datetime.date, as_of: datetime.date) -> dict:
    """The figures of input h) for the risks of ``risks_for_period``: how many, of each kind
    and score band, assessed in the period, with controls judged effective, not effective or
    not judged by the latest assessment, and overdue for review on ``as_of`` (1 query, the
    latest assessment looked up once per risk)."""
    # Moments, not dates of moments: compared as they are, they use the (risk, assessed_at)
    # index for every risk's latest assessment.
    after_start, after_end = midnight(start), midnight(end + datetime.timedelta(days=1))
    latest = RiskAssessment.objects.filter(risk=OuterRef("pk"), assessed_at__lt=after_end).order_by(
        "-assessed_at", "-id"
    )
    risks = with_score(
        Risk.objects.filter(status=Risk.Status.ACTIVE, created_at__date__lte=end)
    ).annotate(
        latest_effective=Subquery(latest.values("controls_effective")[:1]),
        assessed_lately=Exists(
            RiskAssessment.objects.filter(
                risk=OuterRef("pk"), assessed_at__gte=after_start, assessed_at__lt=after_end
            )
        ),
    )
    return risks.aggregate(
        total=Count("id"),
        risk=Count("id", filter=Q(kind=Risk.Kind.RISK)),
        opportunity=Count("id", filter=Q(kind=Risk.Kind.OPPORTUNITY)),
        assessed=Count("id", filter=Q(assessed_lately=True)),
        effective=Count("id", filter=Q(latest_effective=True)),
        not_effective=Count("id", filter=Q(latest_effective=False)),
        not_judged=Count("id", filter=Q(latest_effective__isnull=True)),
        review_overdue=Count("id", filter=Q(next_review__lt=as_of)),
        **{
            f"band_{band.key}": Count("id", filter=Q(score_value__range=(band.low, band.high)))
            for band in BANDS
        },
    )


def risks_due(*, user: User | None = None, today: datetime.date) -> QuerySet[Risk]:
    """Active risks whose next review is ``today`` or earlier, for reminders and the start
    page; only those ``user`` owns when given. Most overdue first."""
    risks = Risk.objects.select_related("process", "owner").filter(
        status=Risk.Status.ACTIVE, next_review__lte=today
    )
    if user is not None:
        risks = risks.filter(owner=user)
    return risks.order_by("next_review", "id")
