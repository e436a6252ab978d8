"""Writes of nonconformity cards. Every step is a guarded service: it checks who acts and from
which state, writes the change with its history in one transaction, and refuses with a Polish
``ValidationError`` (wrong state or data) or ``PermissionDenied`` (wrong person)."""

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Finding
from nonconformities import selectors
from nonconformities.models import (
    CardNumber,
    CorrectiveAction,
    DeadlineExtension,
    Evidence,
    Nonconformity,
)
from processes.models import Process
from qms.models import OrganisationalUnit, User
from qms.services import create_recorded, require, require_state, save_versioned

S = Nonconformity.Status
A = CorrectiveAction.Status


def _locked_card(card: Nonconformity, by: User) -> Nonconformity:
    """The card as it is now, locked, with what the permission rules read."""
    Nonconformity.objects.select_for_update().filter(pk=card.pk).first()
    return selectors.card_get(user=by, pk=card.pk)


def _next_number(year: int) -> str:
    # Insert the year's counter if missing (a concurrent insert is ignored), then lock it: the
    # number is taken in the same transaction as the card, so a rollback returns it.
    CardNumber.objects.bulk_create([CardNumber(year=year)], ignore_conflicts=True)
    counter = CardNumber.objects.select_for_update().get(year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"KN/{year}/{counter.last:03d}"


@transaction.atomic
def card_raise(
    *,
    by: User,
    source: str,
    process: Process,
    requirement: str,
    description: str,
    evidence: str,
    grade: str,
    unit: OrganisationalUnit | None = None,
    external_reference: str = "",
    finding: Finding | None = None,
    today: datetime.date | None = None,
) -> Nonconformity:
    """Raise a numbered card. From an audit finding: one card per finding, raised by an auditor
    on that audit (or a keeper), with the finding's content."""
    today = today or timezone.localdate()
    if finding is not None:
        finding = Finding.objects.select_for_update().select_related("audit").get(pk=finding.pk)
        require(selectors.can_raise_card(by, audit=finding.audit))
        if finding.type != Finding.Type.NONCONFORMITY or finding.withdrawn:
            raise ValidationError(_("Only a nonconformity finding becomes a card."))
        if Nonconformity.objects.filter(finding=finding).exists():
            raise ValidationError(_("A card was already raised for this finding."))
        source = Nonconformity.Source.AUDIT_FINDING
    else:
        require(selectors.can_raise_card(by, process=process))
        if source == Nonconformity.Source.AUDIT_FINDING:
            raise ValidationError({"source": _("A card from an audit is raised from its finding.")})
    card = Nonconformity(
        number=_next_number(today.year),
        year=today.year,
        source=source,
        finding=finding,
        external_reference=external_reference,
        process=process,
        unit=unit or process.owner_unit,
        requirement=requirement,
        description=description,
        evidence=evidence,
        grade=grade,
        raised_by=by,
    )
    return create_recorded(card, by=by)


CARD_FIELDS = {"requirement", "description", "evidence", "grade", "external_reference", "unit"}
ANALYSIS_FIELDS = {
    "correction",
    "correction_by",
    "correction_date",
    "root_cause",
    "five_whys",
    "similar",
}


@transaction.atomic
def card_update(
    *, card: Nonconformity, by: User, expected_version: int, **fields: Any
) -> Nonconformity:
    """Correct what the card says while it is newly reported."""
    current = _locked_card(card, by)
    require(selectors.can_manage_card(by, current))
    require_state(current, S.REPORTED)
    for name, value in fields.items():
        if name not in CARD_FIELDS:
            raise ValueError(name)
        setattr(current, name, value)
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def card_record_analysis(
    *, card: Nonconformity, by: User, expected_version: int, **fields: Any
) -> Nonconformity:
    """Record the correction, the root-cause analysis (optionally as 5 × why) and whether
    similar nonconformities exist. A reported card moves to root-cause analysis."""
    current = _locked_card(card, by)
    require(selectors.can_manage_card(by, current))
    require_state(current, S.REPORTED, S.ANALYSIS, S.REOPENED)
    for name, value in fields.items():
        if name not in ANALYSIS_FIELDS:
            raise ValueError(name)
        setattr(current, name, value)
    current.five_whys = [w.strip() for w in (current.five_whys or []) if w and w.strip()][:5]
    if current.status == S.REPORTED:
        current.status = S.ANALYSIS
    return save_versioned(current, expected_version=expected_version, by=by)


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
    current = _locked_card(card, by)
    require(selectors.can_manage_card(by, current))
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
    card = _locked_card(action.card, by)
    require(selectors.can_manage_card(by, card))
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
    card = _locked_card(action.card, by)
    require(selectors.can_manage_card(by, card))
    if not action.is_open:
        raise ValidationError(_("A finished action cannot be changed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the extension.")})
    _check_deadline(new_deadline, today)
    if new_deadline <= action.deadline:
        raise ValidationError(
            {"new_deadline": _("The new deadline must be later than the current one.")}
        )
    extension = DeadlineExtension(
        action=action,
        previous_deadline=action.deadline,
        new_deadline=new_deadline,
        reason=reason.strip(),
        extended_by=by,
    )
    create_recorded(extension, by=by)
    action.deadline = new_deadline
    return save_versioned(
        action, expected_version=expected_version, by=by, change_reason=reason.strip()
    )


@transaction.atomic
def card_plan_actions(*, card: Nonconformity, by: User, expected_version: int) -> Nonconformity:
    """Close the analysis: the root cause is known and the round's actions are planned."""
    current = _locked_card(card, by)
    require(selectors.can_manage_card(by, current))
    require_state(current, S.ANALYSIS, S.REOPENED)
    if not current.root_cause.strip():
        raise ValidationError(_("Record the root cause first."))
    if not [a for a in current.actions.all() if a.round == current.round and a.is_open]:
        raise ValidationError(_("Plan at least one corrective action."))
    current.status = S.PLANNED
    return save_versioned(current, expected_version=expected_version, by=by)


def _require_responsible(action: CorrectiveAction, by: User) -> CorrectiveAction:
    """The action as it is now (locked), if ``by`` is its responsible person and it is open."""
    current = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    require(current.responsible_id == by.pk)
    if not current.is_open:
        raise ValidationError(_("This action is already finished."))
    return current


@transaction.atomic
def action_start(*, action: CorrectiveAction, by: User, expected_version: int) -> CorrectiveAction:
    """The responsible person starts the action; the card's actions are then in progress."""
    card = _locked_card(action.card, by)
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
    card = _locked_card(action.card, by)
    action = _require_responsible(action, by)
    require_state(card, S.PLANNED, S.IN_PROGRESS)
    if not note.strip():
        raise ValidationError({"note": _("Describe what was done and where the evidence is.")})
    for upload in files:
        evidence = Evidence(action=action, file=upload, uploaded_by=by)
        evidence.full_clean()  # size, type and content checks before anything is stored
    action.status = A.DONE
    action.completion_note = note.strip()
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


@transaction.atomic
def card_verify(
    *,
    card: Nonconformity,
    by: User,
    expected_version: int,
    effective: bool,
    note: str,
    today: datetime.date | None = None,
) -> Nonconformity:
    """Verify the effectiveness of the actions (the Pełnomocnik or an auditor, never an
    implementer). Effective closes the card; not effective reopens it for a new round."""
    today = today or timezone.localdate()
    current = _locked_card(card, by)
    if "implementer" in selectors.card_relations(by, current):
        raise PermissionDenied(
            _("You implemented actions on this card, so you cannot verify their effectiveness.")
        )
    require(selectors.can_verify(by, current, today=today))
    require_state(current, S.VERIFICATION)
    if not note.strip():
        raise ValidationError({"note": _("Describe how the effectiveness was checked.")})
    current.verified_by, current.verified_at = by, timezone.now()
    current.verification_effective, current.verification_note = effective, note.strip()
    if effective:
        current.status = S.CLOSED
    else:
        current.status = S.REOPENED
        current.round += 1
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def card_cancel(
    *, card: Nonconformity, by: User, expected_version: int, reason: str
) -> Nonconformity:
    """A card raised by mistake is cancelled with a reason (a keeper only); never deleted."""
    current = _locked_card(card, by)
    require(selectors.is_keeper(by))
    require_state(current, *Nonconformity.OPEN_STATUSES)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the cancellation.")})
    current.status = S.CANCELLED
    current.cancellation_reason = reason.strip()
    for action in current.actions.all():
        if action.is_open:
            action.status = A.CANCELLED
            save_versioned(
                action, expected_version=action.version, by=by, change_reason=reason.strip()
            )
    return save_versioned(
        current, expected_version=expected_version, by=by, change_reason=reason.strip()
    )
