"""Reads of customer feedback (Księga Jakości §8, §27): complaints, requests and petitions by
their case number (znak sprawy — the case is registered in EZD, not here again) and the results
of satisfaction surveys; inputs e) and f) of the management review.

The Pełnomocnik (and the other register keeper, Koordynator WOU) enters feedback; they and top
management read it.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from qms.models import User
from reviews.models import Feedback
from reviews.selectors import is_pelnomocnik, keeps_registers, reads_everything

K = Feedback.Kind
O = Feedback.Outcome  # noqa: E741

CASE_KINDS = (K.COMPLAINT, K.REQUEST, K.PETITION)
# The outcomes that make sense for each kind; the services refuse the others.
OUTCOMES_BY_KIND = {
    K.COMPLAINT: (O.PENDING, O.JUSTIFIED, O.UNJUSTIFIED),
    K.REQUEST: (O.PENDING, O.ACCEPTED, O.DECLINED),
    K.PETITION: (O.PENDING, O.ACCEPTED, O.DECLINED),
    K.SURVEY: (O.NOT_APPLICABLE,),
}


def can_read_feedback(user: User) -> bool:
    return reads_everything(user) or keeps_registers(user)


def can_enter_feedback(user: User) -> bool:
    """Enters and edits feedback: the Pełnomocnik (§27), or a register keeper on their behalf."""
    return is_pelnomocnik(user) or keeps_registers(user)


def can_raise_card_from(user: User, feedback: Feedback) -> bool:
    """A complaint without a card yet may raise one, by someone who enters feedback (the
    card's own service checks again that they may raise cards)."""
    return (
        can_enter_feedback(user)
        and feedback.kind == K.COMPLAINT
        and feedback.nonconformity_id is None
    )


def feedback_list(*, user: User) -> QuerySet[Feedback]:
    """The feedback ``user`` may read, newest first, with what a list row shows."""
    if not can_read_feedback(user):
        return Feedback.objects.none()
    return Feedback.objects.select_related("unit", "process", "nonconformity").order_by(
        "-received", "-id"
    )


def feedback_get(*, user: User, pk: int) -> Feedback:
    """One record, or 404; ``PermissionDenied`` unless ``user`` may read feedback."""
    if not can_read_feedback(user):
        raise PermissionDenied
    return get_object_or_404(
        Feedback.objects.select_related("unit", "process", "nonconformity", "entered_by"), pk=pk
    )


def feedback_get_for_entry(*, user: User, pk: int) -> Feedback:
    """One record for editing or raising a card, or ``PermissionDenied``/404."""
    if not can_enter_feedback(user):
        raise PermissionDenied
    return get_object_or_404(
        Feedback.objects.select_related("unit", "process", "nonconformity"), pk=pk
    )


def feedback_for_period(start: datetime.date, end: datetime.date) -> dict:
    """Inputs e) and f) of the management review: the feedback received between ``start`` and
    ``end`` (inclusive, by its date), as

    - ``"kinds"``: one row per kind of case (complaint, request, petition), always all three,
      ``{"kind", "label", "total", "outcomes": [{"outcome", "label", "count"}]}`` with every
      outcome that kind can have;
    - ``"complaints_with_card"``: how many of the complaints raised a nonconformity card;
    - ``"cases_to_note"``: how many cases were found justified or raised a card;
    - ``"survey_figures"``: ``{"total", "respondents", "average_percent"}`` of the surveys
      (``reviews.selectors.review.feedback_to_show`` lists them).

    One query whatever the period holds. No
    permission filtering: the review's own page decides who reads it.
    """
    in_period = Feedback.objects.filter(received__range=(start, end))
    scored = Q(score__isnull=False, score_max__gt=0)
    grouped = list(
        in_period.order_by()
        .values("kind", "outcome")
        .annotate(
            n=Count("id"),
            cards=Count("nonconformity"),
            respondents=Sum("respondents"),
            scored=Count("id", filter=scored),
            percent_sum=Sum(F("score") * 100 / F("score_max"), filter=scored),
        )
        .values("kind", "outcome", "n", "cards", "respondents", "scored", "percent_sum")
    )
    rows = [row for row in grouped if row["kind"] != K.SURVEY]
    survey_rows = [row for row in grouped if row["kind"] == K.SURVEY]
    scored_count = sum(row["scored"] for row in survey_rows)
    percent_sum = sum((row["percent_sum"] or 0 for row in survey_rows), Decimal(0))
    counts = {(row["kind"], row["outcome"]): row["n"] for row in rows}
    kinds = []
    for kind in CASE_KINDS:
        kinds.append(
            {
                "kind": kind.value,
                "label": kind.label,
                # Counted from every row of the kind, so an outcome outside the usual set
                # (data from before the rules) still counts in the total.
                "total": sum(row["n"] for row in rows if row["kind"] == kind.value),
                "outcomes": [
                    {
                        "outcome": outcome.value,
                        "label": outcome.label,
                        "count": counts.get((kind.value, outcome.value), 0),
                    }
                    for outcome in OUTCOMES_BY_KIND[kind]
                ],
            }
        )
    return {
        "kinds": kinds,
        "complaints_with_card": sum(row["cards"] for row in rows if row["kind"] == K.COMPLAINT),
        # Justified cases and those that raised a card (a justified one with a card once).
        "cases_to_note": sum(
            row["n"] if row["outcome"] == O.JUSTIFIED else row["cards"] for row in rows
        ),
        "survey_figures": {
            "total": sum(row["n"] for row in survey_rows),
            "respondents": sum(row["respondents"] or 0 for row in survey_rows),
            "average_percent": percent_sum / scored_count if scored_count else None,
        },
    }
