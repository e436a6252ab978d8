"""Writes of the audit programme. Every state change is a guarded service: it checks who acts
and from which state, validates the appointment and impartiality rules, and records the acting
user in history, in one transaction. A refusal is a ``ValidationError`` (wrong state or data)
or ``PermissionDenied`` (wrong person), with a Polish message."""

import datetime
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import selectors
from audits.models import (
    Audit,
    AuditorCandidate,
    AuditorList,
    AuditPlan,
    ChecklistItem,
    Finding,
    PlannedAudit,
)
from processes.models import Process
from qms.models import OrganisationalUnit, User
from qms.services import create_recorded, require, require_state, save_versioned


def _lock(obj: Any) -> Any:
    """Re-read ``obj`` under a row lock: a transition decides on the state as it is now."""
    return type(obj)._default_manager.select_for_update().get(pk=obj.pk)


def _transition(obj: Any, *, by: User | None, expected_version: int | None, **changes: Any) -> Any:
    current = _lock(obj)
    for name, value in changes.items():
        setattr(current, name, value)
    return save_versioned(
        current,
        expected_version=current.version if expected_version is None else expected_version,
        by=by,
    )


# --- auditor appointments -------------------------------------------------------------------


@transaction.atomic
def auditor_list_create(*, year: int, by: User) -> AuditorList:
    """Start an empty candidate list for ``year`` (Koordynator WOU)."""
    require(selectors.can_prepare_programme(by))
    if AuditorList.objects.filter(year=year).exists():
        raise ValidationError(_("A candidate list for %(year)s already exists.") % {"year": year})
    return create_recorded(AuditorList(year=year), by=by)


@transaction.atomic
def auditor_list_carry_over(*, year: int, by: User) -> AuditorList:
    """Start ``year``'s list from the previous year's auditors in one action. Every carried
    candidate is marked as not yet reviewed: the list cannot be submitted until each one was
    looked at again (certificate still valid, person still employed)."""
    require(selectors.can_prepare_programme(by))
    previous = AuditorList.objects.filter(year=year - 1).first()
    if previous is None:
        raise ValidationError(
            _("There is no candidate list for %(year)s to carry over.") % {"year": year - 1}
        )
    new_list = auditor_list_create(year=year, by=by)
    for candidate in previous.candidates.filter(removed=False, person__is_active=True):
        create_recorded(
            AuditorCandidate(
                auditor_list=new_list,
                person=candidate.person,
                qualification=candidate.qualification,
                certificate_date=candidate.certificate_date,
                notes=candidate.notes,
                reviewed=False,
            ),
            by=by,
            change_reason=f"Przeniesiono z listy {previous.year}",
        )
    return new_list


def _require_draft_list(auditor_list: AuditorList) -> None:
    require_state(auditor_list, AuditorList.Status.DRAFT)


@transaction.atomic
def auditor_candidate_add(
    *,
    auditor_list: AuditorList,
    person: User,
    by: User,
    qualification: str,
    certificate_date: datetime.date,
    notes: str = "",
) -> AuditorCandidate:
    require(selectors.can_prepare_programme(by))
    _require_draft_list(_lock(auditor_list))
    existing = auditor_list.candidates.filter(person=person).first()
    if existing is not None and not existing.removed:
        raise ValidationError({"person": _("This person is already on the list.")})
    if existing is not None:
        # Put back someone removed earlier: the same row keeps their history.
        return auditor_candidate_update(
            candidate=existing,
            by=by,
            expected_version=existing.version,
            qualification=qualification,
            certificate_date=certificate_date,
            notes=notes,
            removed=False,
            reviewed=True,
        )
    return create_recorded(
        AuditorCandidate(
            auditor_list=auditor_list,
            person=person,
            qualification=qualification,
            certificate_date=certificate_date,
            notes=notes,
        ),
        by=by,
    )


@transaction.atomic
def auditor_candidate_update(
    *, candidate: AuditorCandidate, by: User, expected_version: int, **fields: Any
) -> AuditorCandidate:
    """Change a candidate's evidence; saving it marks the candidate as reviewed."""
    require(selectors.can_prepare_programme(by))
    _require_draft_list(_lock(candidate.auditor_list))
    allowed = {"qualification", "certificate_date", "notes", "reviewed", "removed"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(candidate, name, value)
    fields.setdefault("reviewed", True)
    candidate.reviewed = fields["reviewed"]
    return save_versioned(candidate, expected_version=expected_version, by=by)


@transaction.atomic
def auditor_candidate_remove(
    *, candidate: AuditorCandidate, by: User, expected_version: int
) -> AuditorCandidate:
    """Take a candidate off a draft list. The row stays, marked removed, with its history."""
    return auditor_candidate_update(
        candidate=candidate, by=by, expected_version=expected_version, removed=True
    )


@transaction.atomic
def auditor_list_submit(
    *, auditor_list: AuditorList, by: User, expected_version: int
) -> AuditorList:
    """Send the list to the Prezydent. Every candidate must have been reviewed."""
    require(selectors.can_prepare_programme(by))
    current = _lock(auditor_list)
    _require_draft_list(current)
    active = current.candidates.filter(removed=False)
    if not active.exists():
        raise ValidationError(_("The list has no candidates."))
    unreviewed = active.filter(reviewed=False).select_related("person")
    if unreviewed:
        raise ValidationError(
            _("Review every candidate carried over from last year first: %(names)s.")
            % {"names": ", ".join(str(c.person) for c in unreviewed)}
        )
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=AuditorList.Status.SUBMITTED,
        return_comment="",
    )


@transaction.atomic
def auditor_list_return(
    *, auditor_list: AuditorList, by: User, expected_version: int, comment: str
) -> AuditorList:
    """The Prezydent sends the list back for corrections, saying why."""
    require(selectors.can_approve_programme(by))
    require_state(_lock(auditor_list), AuditorList.Status.SUBMITTED)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to be corrected.")})
    return _transition(
        auditor_list,
        by=by,
        expected_version=expected_version,
        status=AuditorList.Status.DRAFT,
        return_comment=comment.strip(),
    )


@transaction.atomic
def auditor_list_appoint(
    *,
    auditor_list: AuditorList,
    by: User,
    expected_version: int,
    ordinance_number: str,
    ordinance_date: datetime.date,
) -> AuditorList:
    """The Prezydent appoints the listed candidates as the year's auditors by ordinance."""
    require(selectors.can_approve_programme(by))
    require_state(_lock(auditor_list), AuditorList.Status.SUBMITTED)
    if not ordinance_number.strip():
        raise ValidationError({"ordinance_number": _("Give the ordinance number.")})
    return _transition(
        auditor_list,
        by=by,
        expected_version=expected_version,
        status=AuditorList.Status.APPOINTED,
        ordinance_number=ordinance_number.strip(),
        ordinance_date=ordinance_date,
        appointed_by=by,
        appointed_at=timezone.now(),
    )


# --- the annual plan ------------------------------------------------------------------------


@transaction.atomic
def audit_plan_create(*, year: int, by: User) -> AuditPlan:
    """Start the first revision of ``year``'s plan (Koordynator WOU)."""
    require(selectors.can_prepare_programme(by))
    if AuditPlan.objects.filter(year=year).exists():
        raise ValidationError(_("A plan for %(year)s already exists.") % {"year": year})
    return create_recorded(AuditPlan(year=year, prepared_by=by), by=by)


def check_auditors(
    *,
    year: int,
    processes: Iterable[Process],
    lead_auditor: User | None,
    team: Iterable[User],
    appointed: set[int] | None = None,
) -> None:
    """The appointment and impartiality rules (ISO 19011 5.5.2, 7.2): every auditor must be
    appointed for ``year`` and none may belong to the unit owning an audited process."""
    appointed = selectors.appointed_auditor_ids(year) if appointed is None else appointed
    errors: dict[str, list[str]] = {}
    owner_units = {p.owner_unit_id: p for p in processes}
    for field, people in (("lead_auditor", [lead_auditor] if lead_auditor else []), ("team", team)):
        for person in people:
            if person.pk not in appointed:
                errors.setdefault(field, []).append(
                    _("%(person)s is not appointed as an auditor for %(year)s.")
                    % {"person": person, "year": year}
                )
            if person.unit_id in owner_units:
                process = owner_units[person.unit_id]
                errors.setdefault(field, []).append(
                    _(
                        "%(person)s works in %(unit)s, which owns the audited process "
                        "%(process)s: an auditor cannot audit their own unit's process."
                    )
                    % {"person": person, "unit": process.owner_unit.code, "process": process.code}
                )
    if lead_auditor and any(member.pk == lead_auditor.pk for member in team):
        errors.setdefault("team", []).append(
            _("The lead auditor is already on the audit; do not add them to the team.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def planned_audit_save(
    *,
    plan: AuditPlan,
    by: User,
    entry: PlannedAudit | None = None,
    expected_version: int | None = None,
    processes: Iterable[Process],
    units: Iterable[OrganisationalUnit],
    scope: str,
    criteria: str,
    planned_month: int,
    lead_auditor: User | None,
    team: Iterable[User],
) -> PlannedAudit:
    """Add an entry to a draft plan, or change one. The rules are checked now, so a plan
    never holds an assignment it could not be approved with."""
    require(selectors.can_prepare_programme(by))
    require_state(_lock(plan), AuditPlan.Status.DRAFT)
    processes, units, team = list(processes), list(units), list(team)
    if not processes:
        raise ValidationError({"processes": _("Choose at least one process.")})
    check_auditors(year=plan.year, processes=processes, lead_auditor=lead_auditor, team=team)
    fields = {
        "scope": scope,
        "criteria": criteria,
        "planned_month": planned_month,
        "lead_auditor": lead_auditor,
    }
    if entry is None:
        entry = create_recorded(PlannedAudit(plan=plan, **fields), by=by)
    else:
        if entry.plan_id != plan.pk:
            raise PermissionDenied
        for name, value in fields.items():
            setattr(entry, name, value)
        save_versioned(entry, expected_version=expected_version or entry.version, by=by)
    entry.processes.set(processes)
    entry.units.set(units or {p.owner_unit for p in processes})
    entry.team.set(team)
    return entry


@transaction.atomic
def planned_audit_remove(*, entry: PlannedAudit, by: User, expected_version: int) -> PlannedAudit:
    """Take an entry out of a draft plan (it stays on record as removed)."""
    require(selectors.can_prepare_programme(by))
    require_state(_lock(entry.plan), AuditPlan.Status.DRAFT)
    entry.withdrawn = True
    return save_versioned(entry, expected_version=expected_version, by=by)


@transaction.atomic
def audit_plan_submit(*, plan: AuditPlan, by: User, expected_version: int) -> AuditPlan:
    """Send the draft to the Prezydent. Every entry needs a lead auditor and must still pass
    the appointment and impartiality rules."""
    require(selectors.can_prepare_programme(by))
    current = _lock(plan)
    require_state(current, AuditPlan.Status.DRAFT)
    entries = list(selectors.plan_entries(current))
    if not entries:
        raise ValidationError(_("The plan has no audits."))
    appointed = selectors.appointed_auditor_ids(current.year)
    problems = []
    for entry in entries:
        codes = ", ".join(p.code for p in entry.processes.all())
        if entry.lead_auditor is None:
            problems.append(_("%(processes)s: no lead auditor.") % {"processes": codes})
            continue
        try:
            check_auditors(
                year=current.year,
                processes=entry.processes.all(),
                lead_auditor=entry.lead_auditor,
                team=entry.team.all(),
                appointed=appointed,
            )
        except ValidationError as error:
            problems += [f"{codes}: {m}" for m in error.messages]
    if problems:
        raise ValidationError(problems)
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=AuditPlan.Status.SUBMITTED,
        submitted_at=timezone.now(),
        return_comment="",
    )


@transaction.atomic
def audit_plan_return(
    *, plan: AuditPlan, by: User, expected_version: int, comment: str
) -> AuditPlan:
    """The Prezydent sends a submitted plan back for corrections, saying why."""
    require(selectors.can_approve_programme(by))
    require_state(_lock(plan), AuditPlan.Status.SUBMITTED)
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to be corrected.")})
    return _transition(
        plan,
        by=by,
        expected_version=expected_version,
        status=AuditPlan.Status.DRAFT,
        return_comment=comment.strip(),
    )


@transaction.atomic
def audit_plan_approve(
    *,
    plan: AuditPlan,
    by: User,
    expected_version: int,
    ordinance_number: str,
    ordinance_date: datetime.date,
) -> AuditPlan:
    """The Prezydent approves the plan by ordinance; an earlier approved revision of the same
    year becomes superseded (and stays readable)."""
    require(selectors.can_approve_programme(by))
    require_state(_lock(plan), AuditPlan.Status.SUBMITTED)
    if not ordinance_number.strip():
        raise ValidationError({"ordinance_number": _("Give the ordinance number.")})
    for older in AuditPlan.objects.select_for_update().filter(
        year=plan.year, status=AuditPlan.Status.APPROVED
    ):
        _transition(older, by=by, expected_version=None, status=AuditPlan.Status.SUPERSEDED)
    return _transition(
        plan,
        by=by,
        expected_version=expected_version,
        status=AuditPlan.Status.APPROVED,
        approved_by=by,
        approved_at=timezone.now(),
        ordinance_number=ordinance_number.strip(),
        ordinance_date=ordinance_date,
    )


@transaction.atomic
def audit_plan_revise(*, plan: AuditPlan, by: User, reason: str) -> AuditPlan:
    """Start a new revision of an approved plan: a draft copy of its entries. The approved
    revision stays in force, unchanged, until the new one is approved."""
    require(selectors.can_prepare_programme(by))
    current = _lock(plan)
    require_state(current, AuditPlan.Status.APPROVED)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the plan is being changed.")})
    if AuditPlan.objects.filter(
        year=plan.year, status__in=[AuditPlan.Status.DRAFT, AuditPlan.Status.SUBMITTED]
    ).exists():
        raise ValidationError(_("A revision of this plan is already being prepared."))
    latest = AuditPlan.objects.filter(year=plan.year).order_by("-revision").first()
    revision = create_recorded(
        AuditPlan(
            year=plan.year,
            revision=latest.revision + 1,
            prepared_by=by,
            change_reason=reason.strip(),
        ),
        by=by,
    )
    for entry in selectors.plan_entries(current):
        copy = create_recorded(
            PlannedAudit(
                plan=revision,
                entry_key=entry.entry_key,
                scope=entry.scope,
                criteria=entry.criteria,
                planned_month=entry.planned_month,
                lead_auditor=entry.lead_auditor,
            ),
            by=by,
        )
        copy.processes.set(entry.processes.all())
        copy.units.set(entry.units.all())
        copy.team.set(entry.team.all())
    return revision


# --- audits ---------------------------------------------------------------------------------


@transaction.atomic
def audits_create_from_plan(*, plan: AuditPlan, by: User) -> list[Audit]:
    """Create an audit for each entry of the approved plan that has none yet. Numbers are
    A/<year>/<nn>, allocated under a lock on the plan so they never repeat."""
    require(selectors.can_prepare_programme(by))
    current = _lock(plan)
    require_state(current, AuditPlan.Status.APPROVED)
    done = set(Audit.objects.filter(year=plan.year).values_list("entry_key", flat=True))
    count = Audit.objects.filter(year=plan.year).count()
    created = []
    for entry in selectors.plan_entries(current):
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


def _require_audit_editor(by: User, audit: Audit) -> Audit:
    fresh = selectors.audit_get(user=by, pk=audit.pk)
    require(selectors.can_edit_audit(by, fresh))
    return fresh


@transaction.atomic
def audit_update(*, audit: Audit, by: User, expected_version: int, **fields: Any) -> Audit:
    """The auditors record dates, meetings, evidence, follow-up and conclusions while the
    audit is planned or in progress."""
    _lock(audit)
    _require_audit_editor(by, audit)
    for name, value in fields.items():
        if name not in AUDIT_FIELDS:
            raise ValueError(name)
        setattr(audit, name, value)
    if audit.start_date and audit.end_date and audit.end_date < audit.start_date:
        raise ValidationError({"end_date": _("The audit cannot end before it starts.")})
    return save_versioned(audit, expected_version=expected_version, by=by)


@transaction.atomic
def audit_start(*, audit: Audit, by: User, expected_version: int) -> Audit:
    """The lead auditor opens the audit."""
    current = _lock(audit)
    require(current.lead_auditor_id == by.pk)
    require_state(current, Audit.Status.PLANNED)
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=Audit.Status.IN_PROGRESS,
        start_date=current.start_date or timezone.localdate(),
    )


@transaction.atomic
def audit_submit_report(*, audit: Audit, by: User, expected_version: int) -> Audit:
    """The lead auditor submits the report: the audit's record is then frozen for the
    auditors."""
    current = _lock(audit)
    require(current.lead_auditor_id == by.pk)
    require_state(current, Audit.Status.IN_PROGRESS)
    missing = [
        str(Audit._meta.get_field(name).verbose_name)
        for name in ("start_date", "end_date", "conclusions")
        if not getattr(current, name)
    ]
    if missing:
        raise ValidationError(
            _("Fill in before submitting the report: %(fields)s.") % {"fields": ", ".join(missing)}
        )
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=Audit.Status.REPORT_SUBMITTED,
        report_submitted_at=timezone.now(),
    )


@transaction.atomic
def audit_acknowledge(*, audit: Audit, by: User, expected_version: int) -> Audit:
    """The owner of an audited process acknowledges the report."""
    current = _lock(audit)
    require(current.processes.filter(owner=by).exists())
    require_state(current, Audit.Status.REPORT_SUBMITTED)
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=Audit.Status.ACKNOWLEDGED,
        acknowledged_by=by,
        acknowledged_at=timezone.now(),
    )


@transaction.atomic
def audit_evaluate(
    *, audit: Audit, by: User, expected_version: int, assessment: str, comment: str
) -> Audit:
    """WOU's assessment of the audit on its merits (ocena merytoryczna)."""
    require(selectors.can_prepare_programme(by))
    current = _lock(audit)
    require_state(current, Audit.Status.ACKNOWLEDGED)
    if assessment not in Audit.Assessment.values:
        raise ValidationError({"assessment": _("Choose the assessment.")})
    if assessment != Audit.Assessment.POSITIVE and not comment.strip():
        raise ValidationError({"comment": _("Explain an assessment that is not positive.")})
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=Audit.Status.EVALUATED,
        assessment=assessment,
        assessment_comment=comment.strip(),
        evaluated_by=by,
        evaluated_at=timezone.now(),
    )


@transaction.atomic
def audit_close(*, audit: Audit, by: User, expected_version: int) -> Audit:
    require(selectors.can_close_audits(by))
    current = _lock(audit)
    require_state(current, Audit.Status.EVALUATED)
    return _transition(
        current,
        by=by,
        expected_version=expected_version,
        status=Audit.Status.CLOSED,
        closed_at=timezone.now(),
    )


# --- checklist and findings -----------------------------------------------------------------


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
    _lock(audit)
    _require_audit_editor(by, audit)
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
    _lock(audit)
    fresh = _require_audit_editor(by, audit)
    previous = selectors.previous_audit_with_checklist(fresh)
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
    _lock(audit)
    fresh = _require_audit_editor(by, audit)
    data = {k: fields.get(k, "") for k in FINDING_FIELDS}
    _check_finding(fresh, data)
    number = (fresh.findings.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    return create_recorded(Finding(audit=fresh, number=number, created_by=by, **data), by=by)


@transaction.atomic
def finding_update(*, finding: Finding, by: User, expected_version: int, **fields: Any) -> Finding:
    _lock(finding.audit)
    fresh = _require_audit_editor(by, finding.audit)
    data = {k: fields.get(k, getattr(finding, k)) for k in FINDING_FIELDS}
    _check_finding(fresh, data)
    for name, value in data.items():
        setattr(finding, name, value)
    return save_versioned(finding, expected_version=expected_version, by=by)


@transaction.atomic
def finding_withdraw(*, finding: Finding, by: User, expected_version: int, reason: str) -> Finding:
    """A finding filed by mistake is withdrawn with a reason, never deleted."""
    _lock(finding.audit)
    _require_audit_editor(by, finding.audit)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the withdrawal.")})
    finding.withdrawn = True
    finding.withdrawal_reason = reason.strip()
    return save_versioned(finding, expected_version=expected_version, by=by)


@transaction.atomic
def calendar_token_reset(*, user: User) -> str:
    """Give ``user`` a new secret for their calendar feed; the old address stops working."""
    user.calendar_token = secrets.token_urlsafe(32)
    # A plain update: the token is a credential, not part of the person's record history.
    User.objects.filter(pk=user.pk).update(calendar_token=user.calendar_token)
    return user.calendar_token
