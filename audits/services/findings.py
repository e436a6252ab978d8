"""Writes of an audit's checklist and findings, while the auditors may edit the audit."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from audits.models import Audit, ChecklistItem, Finding
from audits.selectors.findings import previous_audit_with_checklist
from audits.services.audits import require_audit_editor
from qms.models import User
from qms.services import create_recorded, lock, require_text, save_versioned


@transaction.atomic
def checklist_item_save(
    *,
    audit: Audit,
    by: User,
    item: ChecklistItem | None = None,
    expected_version: int | None = None,
    question: str,
    requirement: str = "",
    answer: str = "",
) -> ChecklistItem:
    lock(audit)
    require_audit_editor(by, audit)
    if item is None:
        position = audit.checklist.count() + 1
        return create_recorded(
            ChecklistItem(
                audit=audit,
                position=position,
                question=question,
                requirement=requirement,
                answer=answer,
            ),
            by=by,
        )
    if item.audit_id != audit.pk:
        raise PermissionDenied
    item.question, item.requirement, item.answer = question, requirement, answer
    return save_versioned(item, expected_version=expected_version or item.version, by=by)


@transaction.atomic
def checklist_copy_from_previous(*, audit: Audit, by: User) -> int:
    """Copy the questions of the latest earlier audit of the same process, answers empty."""
    lock(audit)
    fresh = require_audit_editor(by, audit)
    previous = previous_audit_with_checklist(fresh)
    if previous is None:
        raise ValidationError(_("No earlier audit of these processes has a checklist."))
    start = fresh.checklist.count()
    for offset, item in enumerate(previous.checklist.order_by("position", "id"), start=1):
        create_recorded(
            ChecklistItem(
                audit=fresh,
                position=start + offset,
                question=item.question,
                requirement=item.requirement,
            ),
            by=by,
            change_reason=f"Skopiowano z auditu {previous.number}",
        )
    return previous.checklist.count()


FINDING_FIELDS = ("type", "grade", "process", "requirement", "description", "evidence")


def _check_finding(audit: Audit, fields: dict) -> None:
    errors = {}
    if (
        fields["type"] == Finding.Type.NONCONFORMITY
        and fields.get("grade") not in Finding.Grade.values
    ):
        errors["grade"] = _("A nonconformity needs its grade: minor or major.")
    if fields["type"] != Finding.Type.NONCONFORMITY:
        fields["grade"] = ""
    if fields["process"].pk not in {p.pk for p in audit.processes.all()}:
        errors["process"] = _("Choose one of the audited processes.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_add(*, audit: Audit, by: User, **fields: Any) -> Finding:
    """File a finding on the audit's form (auditors on the audit, while it is open)."""
    lock(audit)
    fresh = require_audit_editor(by, audit)
    data = {k: fields.get(k, "") for k in FINDING_FIELDS}
    _check_finding(fresh, data)
    number = (fresh.findings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return create_recorded(Finding(audit=fresh, number=number, created_by=by, **data), by=by)


@transaction.atomic
def finding_update(*, finding: Finding, by: User, expected_version: int, **fields: Any) -> Finding:
    lock(finding.audit)
    fresh = require_audit_editor(by, finding.audit)
    data = {k: fields.get(k, getattr(finding, k)) for k in FINDING_FIELDS}
    _check_finding(fresh, data)
    for name, value in data.items():
        setattr(finding, name, value)
    return save_versioned(finding, expected_version=expected_version, by=by)


@transaction.atomic
def finding_withdraw(*, finding: Finding, by: User, expected_version: int, reason: str) -> Finding:
    """A finding filed by mistake is withdrawn with a reason, never deleted."""
    lock(finding.audit)
    require_audit_editor(by, finding.audit)
    reason = require_text(reason, field="reason", message=_("Give the reason for the withdrawal."))
    finding.withdrawn = True
    finding.withdrawal_reason = reason
    return save_versioned(finding, expected_version=expected_version, by=by)
