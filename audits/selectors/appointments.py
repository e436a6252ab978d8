"""Reads of the auditor appointments: the yearly candidate lists and who is appointed."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from audits.models import AuditorCandidate, AuditorList
from audits.selectors import can_prepare_programme, can_see_whole_programme
from qms.models import User
from qms.roles import signed_in


def appointed_auditor_ids(year: int) -> set[int]:
    """Ids of the people appointed as auditors for ``year`` (one query)."""
    return set(
        AuditorCandidate.objects.filter(
            auditor_list__year=year,
            auditor_list__status=AuditorList.Status.APPOINTED,
            removed=False,
        ).values_list("person_id", flat=True)
    )


def is_appointed_auditor(user: User, year: int) -> bool:
    return signed_in(user) and user.pk in appointed_auditor_ids(year)


def auditor_lists(*, user: User) -> QuerySet[AuditorList]:
    if not can_see_whole_programme(user):
        raise PermissionDenied
    return AuditorList.objects.all()


def auditor_list_get(*, user: User, pk: int) -> AuditorList:
    if not can_see_whole_programme(user):
        raise PermissionDenied
    candidates = AuditorCandidate.objects.select_related("person__unit").order_by(
        "removed", "person__last_name", "person__first_name"
    )
    return get_object_or_404(
        AuditorList.objects.select_related("appointed_by").prefetch_related(
            Prefetch("candidates", queryset=candidates)
        ),
        pk=pk,
    )


def candidate_get_for_edit(*, user: User, pk: int) -> AuditorCandidate:
    if not can_prepare_programme(user):
        raise PermissionDenied
    return get_object_or_404(
        AuditorCandidate.objects.select_related("auditor_list", "person"), pk=pk
    )
