"""Writes of the audits: creating them from the approved plan, the record the auditors keep,
and the report's way through submission, the owner's acknowledgement, WOU's evaluation and
closure."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import selectors
from audits.models import Audit, AuditPlan
from audits.selectors.audits import audit_get, can_edit_audit
from audits.selectors.plans import plan_entries
from qms.models import User
from qms.services import (
    create_recorded,
    lock,
    require,
    require_state,
    require_text,
    save_versioned,
    transition,
)


@transaction.atomic
def audits_create_from_plan(*, plan: AuditPlan, by: User) -> list[Audit]:
    """Create an audit for each entry of the approved plan that has none yet. Numbers are
    A/<year>/<nn>, allocated under a lock on the plan so they never repeat."""
    require(selectors.can_prepare_programme(by))
    current = lock(plan)
    require_state(current, AuditPlan.Status.APPROVED)
    done = set(Audit.objects.filter(year=plan.year).values_list("entry_key", flat=True))
    count = Audit.objects.filter(year=plan.year).count()
    created = []
    for entry in plan_entries(current):
        if entry.entry_key in done:
            continue
        count += 1
        audit = create_recorded(
            Audit(
                number=f"A/{plan.year}/{count:02d}",
                year=plan.year,
                planned_entry=entry,
                entry_key=entry.entry_key,
                scope=entry.scope,
                criteria=entry.criteria,
                planned_month=entry.planned_month,
                lead_auditor=entry.lead_auditor,
            ),
            by=by,
        )
        audit.processes.set(entry.processes.all())
        audit.units.set(entry.units.all())
        audit.team.set(entry.team.all())
        created.append(audit)
    return created


AUDIT_FIELDS = {
    "objectives",
    "start_date",
    "end_date",
    "opening_meeting",
    "closing_meeting",
    "auditee_representatives",
    "evidence",
    "followup",
    "conclusions",
}


def require_audit_editor(by: User, audit: Audit) -> Audit:
    """The audit as it is now, if ``by`` may edit it (an auditor on it, while it is open)."""
    fresh = audit_get(user=by, pk=audit.pk)
    require(can_edit_audit(by, fresh))
    return fresh


@transaction.atomic
def audit_update(*, audit: Audit, by: User, expected_version: int, **fields: Any) -> Audit:
    """The auditors record dates, meetings, evidence, follow-up and conclusions while the
    audit is planned or in progress."""
    lock(audit)
    require_audit_editor(by, audit)
    for name, value in fields.items():
        if name not in AUDIT_FIELDS:
            raise ValueError(name)
        setattr(audit, name, value)
    if audit.start_date and audit.end_date and audit.end_date < audit.start_date:
        raise ValidationError({"end_date": _("The audit cannot end before it starts.")})
    return save_versioned(audit, expected_version=expected_version, by=by)


def audit_start(*, audit: Audit, by: User, expected_version: int) -> Audit:
    """The lead auditor opens the audit."""
    return transition(
        audit,
        by=by,
        expected_version=expected_version,
        allowed=audit.lead_auditor_id == by.pk,
        source=[Audit.Status.PLANNED],
        status=Audit.Status.IN_PROGRESS,
        start_date=audit.start_date or timezone.localdate(),
    )


def _check_report_complete(audit: Audit) -> None:
    missing = [
        str(Audit._meta.get_field(name).verbose_name)
        for name in ("start_date", "end_date", "conclusions")
        if not getattr(audit, name)
    ]
    if missing:
        raise ValidationError(
            _("Fill in before submitting the report: %(fields)s.") % {"fields": ", ".join(missing)}
        )


def audit_submit_report(*, audit: Audit, by: User, expected_version: int) -> Audit:
    """The lead auditor submits the report: the audit's record is then frozen for the
    auditors."""
    return transition(
        audit,
        by=by,
        expected_version=expected_version,
        allowed=audit.lead_auditor_id == by.pk,
        source=[Audit.Status.IN_PROGRESS],
        check=_check_report_complete,
        status=Audit.Status.REPORT_SUBMITTED,
        report_submitted_at=timezone.now(),
    )


def audit_acknowledge(*, audit: Audit, by: User, expected_version: int) -> Audit:
    """The owner of an audited process acknowledges the report."""
    return transition(
        audit,
        by=by,
        expected_version=expected_version,
        allowed=audit.processes.filter(owner=by).exists(),
        source=[Audit.Status.REPORT_SUBMITTED],
        status=Audit.Status.ACKNOWLEDGED,
        acknowledged_by=by,
        acknowledged_at=timezone.now(),
    )


def audit_evaluate(
    *, audit: Audit, by: User, expected_version: int, assessment: str, comment: str
) -> Audit:
    """WOU's assessment of the audit on its merits (ocena merytoryczna)."""

    def check(_current: Audit) -> None:
        if assessment not in Audit.Assessment.values:
            raise ValidationError({"assessment": _("Choose the assessment.")})
        if assessment != Audit.Assessment.POSITIVE:
            require_text(
                comment, field="comment", message=_("Explain an assessment that is not positive.")
            )

    return transition(
        audit,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_prepare_programme(by),
        source=[Audit.Status.ACKNOWLEDGED],
        check=check,
        status=Audit.Status.EVALUATED,
        assessment=assessment,
        assessment_comment=comment.strip(),
        evaluated_by=by,
        evaluated_at=timezone.now(),
    )


def audit_close(*, audit: Audit, by: User, expected_version: int) -> Audit:
    return transition(
        audit,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_close_audits(by),
        source=[Audit.Status.EVALUATED],
        status=Audit.Status.CLOSED,
        closed_at=timezone.now(),
    )
