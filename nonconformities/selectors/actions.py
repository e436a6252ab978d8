"""Reads of corrective actions and their evidence files: each readable as far as its card is."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from nonconformities.models import CorrectiveAction, Evidence, Nonconformity
from nonconformities.selectors.cards import card_get
from qms.models import User
from qms.roles import signed_in


def action_get(*, user: User, pk: int) -> CorrectiveAction:
    action = get_object_or_404(CorrectiveAction.objects.select_related("card"), pk=pk)
    card_get(user=user, pk=action.card_id)  # raises unless the card is readable
    return action


def evidence_get(*, user: User, pk: int) -> Evidence:
    evidence = get_object_or_404(Evidence.objects.select_related("action"), pk=pk)
    card_get(user=user, pk=evidence.action.card_id)
    return evidence


def my_actions(*, user: User) -> QuerySet[CorrectiveAction]:
    """Open actions ``user`` is responsible for, and open actions on cards of processes they own."""
    if not signed_in(user):
        return CorrectiveAction.objects.none()
    return (
        CorrectiveAction.objects.filter(
            Q(responsible=user) | Q(card__process__owner=user),
            status__in=[CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS],
        )
        .exclude(card__status__in=[Nonconformity.Status.CLOSED, Nonconformity.Status.CANCELLED])
        .select_related("card__process", "responsible")
        .order_by("deadline", "id")
    )
