"""Writes to the process records. Each service checks who may act, validates, and records the
acting user in history in one transaction. Views and the admin never write these records
another way."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from processes.models import Process
from processes.selectors import (
    DESCRIPTION_PERM,
    process_can_edit_description,
    process_can_manage,
)
from qms.models import User
from qms.services import create_recorded, require, require_text, save_versioned

DESCRIPTION_FIELDS = ("purpose", "inputs", "outputs")
REGISTER_FIELDS = ("category", "code", "name", "owner_unit", "owner", *DESCRIPTION_FIELDS)


def sync_owner_permission(process: Process, previous_owner: User | None) -> None:
    """Object permission follows ownership: the new owner gets it, the previous one loses it."""
    if previous_owner is not None and previous_owner != process.owner:
        remove_perm(DESCRIPTION_PERM, previous_owner, process)
    if process.owner is not None and process.is_active:
        assign_perm(DESCRIPTION_PERM, process.owner, process)


def _related_reason(process: Process, related: Iterable[Process]) -> str | None:
    before = {p.code for p in process.related.all()} if process.pk else set()
    after = {p.code for p in related}
    if before == after:
        return None
    parts = [f"+{c}" for c in sorted(after - before)] + [f"−{c}" for c in sorted(before - after)]
    # Stored in the register's language: it is part of the record, not of the interface.
    return "Powiązane procesy: " + ", ".join(parts)


def _check_related(process: Process, related: Iterable[Process]) -> list[Process]:
    related = list(related)
    if process.pk and any(p.pk == process.pk for p in related):
        raise ValidationError({"related": _("A process cannot be related to itself.")})
    return related


@transaction.atomic
def process_create(*, by: User, related: Iterable[Process] = (), **fields: Any) -> Process:
    """Add a process to the register (register keepers only)."""
    require(process_can_manage(by))
    process = Process(**{k: v for k, v in fields.items() if k in REGISTER_FIELDS})
    related = _check_related(process, related)
    create_recorded(process, by=by)
    if related:
        process.related.set(related)
    sync_owner_permission(process, None)
    return process


@transaction.atomic
def process_update(
    *,
    process: Process,
    by: User,
    expected_version: int,
    related: Iterable[Process] | None = None,
    **fields: Any,
) -> Process:
    """Change any register field of ``process`` (register keepers only).

    A change of owner moves the owner's object permission in the same transaction.
    """
    require(process_can_manage(by))
    # Read the owner as stored: a bound ModelForm has already copied the new one onto
    # ``process``, and the permission must be taken from whoever really held it.
    stored_owner_id = (
        Process.objects.filter(pk=process.pk).values_list("owner_id", flat=True).first()
    )
    previous_owner = User.objects.filter(pk=stored_owner_id).first() if stored_owner_id else None
    for name, value in fields.items():
        if name not in REGISTER_FIELDS:
            raise ValueError(f"{name} is not a register field")
        setattr(process, name, value)
    reason = None
    if related is not None:
        related = _check_related(process, related)
        reason = _related_reason(process, related)
    save_versioned(process, expected_version=expected_version, by=by, change_reason=reason)
    if related is not None:
        process.related.set(related)
    sync_owner_permission(process, previous_owner)
    return process


@transaction.atomic
def process_update_description(
    *, process: Process, by: User, expected_version: int, **fields: Any
) -> Process:
    """Change the descriptive fields of ``process`` (its owner, or a register keeper)."""
    require(process_can_edit_description(by, process))
    for name, value in fields.items():
        if name not in DESCRIPTION_FIELDS:
            raise PermissionDenied(_("You are not allowed to do this."))
        setattr(process, name, value)
    return save_versioned(
        process, expected_version=expected_version, by=by, update_fields=fields.keys()
    )


@transaction.atomic
def process_withdraw(*, process: Process, by: User, expected_version: int, reason: str) -> Process:
    """Withdraw a process from use. It stays in the register, visible as withdrawn."""
    require(process_can_manage(by))
    if not process.is_active:
        raise ValidationError(_("This process is already withdrawn."))
    reason = require_text(reason, field="reason", message=_("Give the reason for the withdrawal."))
    process.status = Process.Status.WITHDRAWN
    process.withdrawal_reason = reason
    save_versioned(
        process,
        expected_version=expected_version,
        by=by,
        update_fields=["status", "withdrawal_reason"],
        change_reason=reason,
    )
    if process.owner is not None:
        remove_perm(DESCRIPTION_PERM, process.owner, process)
    return process


@transaction.atomic
def process_restore(*, process: Process, by: User, expected_version: int) -> Process:
    """Bring a withdrawn process back into use."""
    require(process_can_manage(by))
    if process.is_active:
        raise ValidationError(_("This process is already active."))
    process.status = Process.Status.ACTIVE
    process.withdrawal_reason = ""
    save_versioned(
        process,
        expected_version=expected_version,
        by=by,
        update_fields=["status", "withdrawal_reason"],
    )
    sync_owner_permission(process, None)
    return process
