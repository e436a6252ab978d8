"""Corrective actions: planned by the card's owner (or a keeper), carried out by their
responsible persons with evidence; when the round's last action is done, the card waits for
verification."""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nonconformities.models import CorrectiveAction, DeadlineExtension, Evidence, Nonconformity
from nonconformities.selectors.cards import can_manage_card, card_get
from qms.models import User
from qms.services import (
    create_recorded,
    lock,
    require,
    require_state,
    require_text,
    save_versioned,
)

S = Nonconformity.Status
A = CorrectiveAction.Status


def _check_deadline(deadline: datetime.date, today: datetime.date) -> None:
    if deadline < today:
        raise ValidationError({"deadline": _("The deadline cannot be in the past.")})


@transaction.atomic
def action_add(
    *,
    card: Nonconformity,
    by: User,
    description: str,
    responsible: User,
    deadline: datetime.date,
    today: datetime.date | None = None,
) -> CorrectiveAction:
    """Add a corrective action to the card's current round (its owner or a keeper)."""
    today = today or timezone.localdate()
    lock(card)
    current = card_get(user=by, pk=card.pk)  # as it is now, with what the permission rules read
    require(can_manage_card(by, current))
    require_state(current, S.ANALYSIS, S.PLANNED, S.IN_PROGRESS, S.REOPENED)
    if not responsible.is_active:
        raise ValidationError({"responsible": _("Choose an active employee.")})
    _check_deadline(deadline, today)
    action = create_recorded(
        CorrectiveAction(
            card=current,
            round=current.round,
            description=description,
            responsible=responsible,
            deadline=deadline,
        ),
        by=by,
    )
    return action


@transaction.atomic
def action_update(
    *,
    action: CorrectiveAction,
    by: User,
    expected_version: int,
    description: str,
    responsible: User,
) -> CorrectiveAction:
    """Change what an open action is and who does it (the deadline moves only by extension)."""
    lock(action.card)
    card = card_get(user=by, pk=action.card_id)
    require(can_manage_card(by, card))
    if not action.is_open:
        raise ValidationError(_("A finished action cannot be changed."))
    action.description, action.responsible = description, responsible
    return save_versioned(action, expected_version=expected_version, by=by)


@transaction.atomic
def action_extend_deadline(
    *,
    action: CorrectiveAction,
    by: User,
    expected_version: int,
    new_deadline: datetime.date,
    reason: str,
    today: datetime.date | None = None,
) -> CorrectiveAction:
    """Move a deadline, always with a reason; the extension is kept as its own record."""
    today = today or timezone.localdate()
    lock(action.card)
    card = card_get(user=by, pk=action.card_id)
    require(can_manage_card(by, card))
    if not action.is_open:
        raise ValidationError(_("A finished action cannot be changed."))
    reason = require_text(reason, field="reason", message=_("Give the reason for the extension."))
    _check_deadline(new_deadline, today)
    if new_deadline <= action.deadline:
        raise ValidationError(
            {"new_deadline": _("The new deadline must be later than the current one.")}
        )
    extension = DeadlineExtension(
        action=action,
        previous_deadline=action.deadline,
        new_deadline=new_deadline,
        reason=reason,
        extended_by=by,
    )
    create_recorded(extension, by=by)
    action.deadline = new_deadline
    return save_versioned(action, expected_version=expected_version, by=by, change_reason=reason)


def _require_responsible(action: CorrectiveAction, by: User) -> CorrectiveAction:
    """The action as it is now (locked), if ``by`` is its responsible person and it is open."""
    current = lock(action)
    require(current.responsible_id == by.pk)
    if not current.is_open:
        raise ValidationError(_("This action is already finished."))
    return current


@transaction.atomic
def action_start(*, action: CorrectiveAction, by: User, expected_version: int) -> CorrectiveAction:
    """The responsible person starts the action; the card's actions are then in progress."""
    lock(action.card)
    card = card_get(user=by, pk=action.card_id)
    action = _require_responsible(action, by)
    require_state(card, S.PLANNED, S.IN_PROGRESS)
    action.status = A.IN_PROGRESS
    save_versioned(action, expected_version=expected_version, by=by)
    if card.status == S.PLANNED:
        card.status = S.IN_PROGRESS
        save_versioned(card, expected_version=card.version, by=by)
    return action


@transaction.atomic
def action_complete(
    *,
    action: CorrectiveAction,
    by: User,
    expected_version: int,
    note: str,
    files: Sequence[UploadedFile] = (),
) -> CorrectiveAction:
    """The responsible person records the action as done, with evidence (a note and files).
    When the round's last action is done, the card waits for effectiveness verification."""
    lock(action.card)
    card = card_get(user=by, pk=action.card_id)
    action = _require_responsible(action, by)
    require_state(card, S.PLANNED, S.IN_PROGRESS)
    note = require_text(
        note, field="note", message=_("Describe what was done and where the evidence is.")
    )
    for upload in files:
        evidence = Evidence(action=action, file=upload, uploaded_by=by)
        evidence.full_clean()  # size, type and content checks before anything is stored
    action.status = A.DONE
    action.completion_note = note
    action.completed_by = by
    action.completed_at = timezone.now()
    # The version check comes before any file reaches the disk: a refused save stores nothing.
    save_versioned(action, expected_version=expected_version, by=by)
    for upload in files:
        create_recorded(Evidence(action=action, file=upload, uploaded_by=by), by=by)
    remaining = CorrectiveAction.objects.filter(
        card=card, round=card.round, status__in=[A.PLANNED, A.IN_PROGRESS]
    )
    if not remaining.exists():
        card.status = S.VERIFICATION
        save_versioned(card, expected_version=card.version, by=by)
    elif card.status == S.PLANNED:
        card.status = S.IN_PROGRESS
        save_versioned(card, expected_version=card.version, by=by)
    return action
