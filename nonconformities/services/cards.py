"""Raising a card and working it: correction, root cause, planning, verification,
cancellation."""

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.models import Finding
from nonconformities.models import CardNumber, CorrectiveAction, Nonconformity
from nonconformities.selectors import is_keeper
from nonconformities.selectors.cards import (
    can_manage_card,
    can_raise_card,
    can_verify,
    card_get,
    card_relations,
)
from processes.models import Process
from qms.models import OrganisationalUnit, User
from qms.services import (
    create_recorded,
    lock,
    require,
    require_state,
    require_text,
    save_versioned,
    transition,
)

S = Nonconformity.Status
A = CorrectiveAction.Status


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
        require(can_raise_card(by, audit=finding.audit))
        if finding.type != Finding.Type.NONCONFORMITY or finding.withdrawn:
            raise ValidationError(_("Only a nonconformity finding becomes a card."))
        if Nonconformity.objects.filter(finding=finding).exists():
            raise ValidationError(_("A card was already raised for this finding."))
        source = Nonconformity.Source.AUDIT_FINDING
    else:
        require(can_raise_card(by, process=process))
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
    lock(card)
    current = card_get(user=by, pk=card.pk)  # as it is now, with what the permission rules read
    require(can_manage_card(by, current))
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
    lock(card)
    current = card_get(user=by, pk=card.pk)
    require(can_manage_card(by, current))
    require_state(current, S.REPORTED, S.ANALYSIS, S.REOPENED)
    for name, value in fields.items():
        if name not in ANALYSIS_FIELDS:
            raise ValueError(name)
        setattr(current, name, value)
    current.five_whys = [w.strip() for w in (current.five_whys or []) if w and w.strip()][:5]
    if current.status == S.REPORTED:
        current.status = S.ANALYSIS
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def card_plan_actions(*, card: Nonconformity, by: User, expected_version: int) -> Nonconformity:
    """Close the analysis: the root cause is known and the round's actions are planned."""

    def planned(current: Nonconformity) -> None:
        if not current.root_cause.strip():
            raise ValidationError(_("Record the root cause first."))
        if not current.actions.filter(
            round=current.round, status__in=(A.PLANNED, A.IN_PROGRESS)
        ).exists():
            raise ValidationError(_("Plan at least one corrective action."))

    return transition(
        card,
        by=by,
        expected_version=expected_version,
        allowed=can_manage_card(by, card_get(user=by, pk=card.pk)),
        source=(S.ANALYSIS, S.REOPENED),
        check=planned,
        status=S.PLANNED,
    )


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
    current = card_get(user=by, pk=card.pk)
    if "implementer" in card_relations(by, current):
        raise PermissionDenied(
            _("You implemented actions on this card, so you cannot verify their effectiveness.")
        )
    outcome: dict[str, Any] = (
        {"status": S.CLOSED} if effective else {"status": S.REOPENED, "round": current.round + 1}
    )
    return transition(
        card,
        by=by,
        expected_version=expected_version,
        allowed=can_verify(by, current, today=today),
        source=(S.VERIFICATION,),
        check=lambda _card: require_text(
            note, field="note", message=_("Describe how the effectiveness was checked.")
        ),
        verified_by=by,
        verified_at=timezone.now(),
        verification_effective=effective,
        verification_note=note.strip(),
        **outcome,
    )


@transaction.atomic
def card_cancel(
    *, card: Nonconformity, by: User, expected_version: int, reason: str
) -> Nonconformity:
    """A card raised by mistake is cancelled with a reason (a keeper only); never deleted.
    Its open actions are cancelled with it."""
    reason = reason.strip()
    cancelled = transition(
        card,
        by=by,
        expected_version=expected_version,
        allowed=is_keeper(by),
        source=Nonconformity.OPEN_STATUSES,
        check=lambda _card: require_text(
            reason, field="reason", message=_("Give the reason for the cancellation.")
        ),
        change_reason=reason,
        status=S.CANCELLED,
        cancellation_reason=reason,
    )
    for action in cancelled.actions.filter(status__in=(A.PLANNED, A.IN_PROGRESS)):
        action.status = A.CANCELLED
        save_versioned(action, expected_version=action.version, by=by, change_reason=reason)
    return cancelled
