"""Reads of the process register, and the rules that say who may do what with it.

Every signed-in employee reads the register (Księga Jakości §10: "Pracownik" reads the register).
Koordynator WOU and the Pełnomocnik keep it; a process owner edits the description of their own
processes, through an object permission that ``processes.services`` grants and revokes.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from processes.models import GoverningDocument, Process
from qms import roles
from qms.models import User

DESCRIPTION_PERM = "processes.change_process_description"


def process_can_manage(user: User) -> bool:
    """May keep the register: create, edit every field, withdraw, import."""
    return user.is_authenticated and user.has_role(*roles.REGISTER_KEEPERS)


def process_can_edit_description(user: User, process: Process) -> bool:
    """May edit the descriptive fields (purpose, inputs, outputs, documents) of ``process``."""
    if process_can_manage(user):
        return True
    return user.is_authenticated and process.is_active and user.has_perm(DESCRIPTION_PERM, process)


def process_list(*, user: User) -> QuerySet[Process]:
    """The register as ``user`` may read it, with what a list row shows joined in."""
    if not user.is_authenticated:
        return Process.objects.none()
    return Process.objects.select_related("owner_unit", "owner")


def process_get(*, user: User, pk: int) -> Process:
    """One process for its detail page, or 404. Raises ``PermissionDenied`` for the anonymous."""
    if not user.is_authenticated:
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


def document_get_for_download(*, user: User, pk: int) -> GoverningDocument:
    """A governing document every signed-in employee may download."""
    if not user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(GoverningDocument.objects.select_related("process"), pk=pk)


def document_get_for_edit(*, user: User, pk: int) -> GoverningDocument:
    document = get_object_or_404(GoverningDocument.objects.select_related("process"), pk=pk)
    if not process_can_edit_description(user, document.process):
        raise PermissionDenied
    return document


def processes_owned_by(*, user: User) -> QuerySet[Process]:
    """The active processes ``user`` owns: the start page's first section."""
    return (
        Process.objects.filter(owner=user, status=Process.Status.ACTIVE)
        .select_related("owner_unit")
        .order_by("sort_key", "code")
    )


def process_history(*, process: Process, limit: int = 100) -> list[dict]:
    """The newest ``limit`` changes of ``process`` as rows of who, when, what changed.

    Diffs are computed in Python from rows fetched in one query, so the page's query count
    does not depend on how often the process was edited.
    """
    records = list(
        process.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : limit + 1
        ]
    )
    rows = []
    hidden = {"version", "updated_at", "created_at"}
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(rows) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older, excluded_fields=[*hidden, "related"])
            for change in delta.changes:
                field = Process._meta.get_field(change.field)
                changes.append(str(field.verbose_name))
        rows.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": newer.get_history_type_display(),
                "reason": newer.history_change_reason,
                "changes": changes,
            }
        )
    return rows
