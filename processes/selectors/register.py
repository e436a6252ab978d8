"""Reads of the process records: the register as a list, one process with its documents and
history, and a process as the person may change it."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from processes.models import GoverningDocument, Process
from processes.selectors import process_can_edit_description, process_can_manage
from qms import roles
from qms.history import HIDDEN_IN_HISTORY, history_rows
from qms.models import User


def process_list(*, user: User) -> QuerySet[Process]:
    """The register as ``user`` may read it, with what a list row shows joined in."""
    if not roles.signed_in(user):
        return Process.objects.none()
    return Process.objects.select_related("owner_unit", "owner")


def process_get(*, user: User, pk: int) -> Process:
    """One process for its detail page, or 404. Raises ``PermissionDenied`` for the anonymous."""
    if not roles.signed_in(user):
        raise PermissionDenied
    documents = GoverningDocument.objects.order_by("-in_force", "code", "-effective_date")
    queryset = Process.objects.select_related("owner_unit", "owner").prefetch_related(
        Prefetch("related", queryset=Process.objects.order_by("sort_key", "code")),
        Prefetch("documents", queryset=documents),
    )
    return get_object_or_404(queryset, pk=pk)


def process_get_for_description(*, user: User, pk: int) -> Process:
    """A process ``user`` may describe, or ``PermissionDenied``/404."""
    process = get_object_or_404(Process.objects.select_related("owner_unit", "owner"), pk=pk)
    if not process_can_edit_description(user, process):
        raise PermissionDenied
    return process


def process_get_for_management(*, user: User, pk: int) -> Process:
    """A process for the register keepers' full edit, or ``PermissionDenied``/404."""
    if not process_can_manage(user):
        raise PermissionDenied
    return get_object_or_404(Process.objects.select_related("owner_unit", "owner"), pk=pk)


def process_history(*, process: Process, limit: int = 100) -> list[dict[str, Any]]:
    """The newest ``limit`` changes of ``process`` as rows of who, when, what changed.

    A change of related processes is told by the row's reason (``services.register``), not
    listed as a changed field.
    """
    return history_rows(process, limit=limit, hidden=(*HIDDEN_IN_HISTORY, "related"))
