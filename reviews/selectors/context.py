"""Reads of the context register (Księga Jakości §3, §4): external and internal issues and the
interested parties with their needs — input b) of the management review.

The register keepers (Pełnomocnik, Koordynator WOU) maintain it; they and top management read
it. Nothing is deleted: a retired entry stays readable, marked as no longer current.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from qms.models import User
from reviews.models import ContextIssue, InterestedParty
from reviews.selectors import keeps_registers, reads_everything


def can_read_context(user: User) -> bool:
    """Top management, the Pełnomocnik and the register keepers."""
    return reads_everything(user) or keeps_registers(user)


def can_keep_context(user: User) -> bool:
    """Adds, edits, marks reviewed and retires entries (Pełnomocnik, Koordynator WOU)."""
    return keeps_registers(user)


def context_issues(*, user: User, current: bool = True) -> QuerySet[ContextIssue]:
    """Issues ``user`` may read: the current ones, or (``current=False``) the retired ones."""
    if not can_read_context(user):
        return ContextIssue.objects.none()
    return ContextIssue.objects.filter(is_active=current).order_by("kind", "title")


def interested_parties(*, user: User, current: bool = True) -> QuerySet[InterestedParty]:
    """Interested parties ``user`` may read: the current ones, or the retired ones."""
    if not can_read_context(user):
        return InterestedParty.objects.none()
    return InterestedParty.objects.filter(is_active=current).order_by("name")


def context_issue_get(*, user: User, pk: int) -> ContextIssue:
    """One issue, or 404; ``PermissionDenied`` for a person who may not read the register."""
    if not can_read_context(user):
        raise PermissionDenied
    return get_object_or_404(ContextIssue, pk=pk)


def interested_party_get(*, user: User, pk: int) -> InterestedParty:
    """One interested party, or 404; ``PermissionDenied`` as for the issues."""
    if not can_read_context(user):
        raise PermissionDenied
    return get_object_or_404(InterestedParty, pk=pk)


def context_for_period(start: datetime.date, end: datetime.date) -> dict[str, list]:
    """The entries of the context register that were added, changed or reviewed between
    ``start`` and ``end`` (inclusive), for input b) of the management review: ``{"issues":
    [...], "parties": [...]}``, each record as it is now with ``added_in_period`` set (a
    retired one has ``is_active`` False). No permission filtering: the review's own page
    decides who reads it."""

    def touched(model: type[ContextIssue] | type[InterestedParty]) -> list:
        in_period = (
            Q(created_at__date__range=(start, end))
            | Q(updated_at__date__range=(start, end))
            | Q(last_reviewed__range=(start, end))
        )
        rows = list(model.objects.filter(in_period))
        for row in rows:
            row.added_in_period = start <= timezone.localdate(row.created_at) <= end
        return rows

    return {"issues": touched(ContextIssue), "parties": touched(InterestedParty)}
