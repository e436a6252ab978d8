"""Writes of the annual audit plan: drafting its entries under the appointment and impartiality
rules, submission, the Prezydent's return or approval by ordinance, and revisions."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import selectors
from audits.models import AuditPlan, PlannedAudit
from audits.selectors.appointments import appointed_auditor_ids
from audits.selectors.plans import plan_entries
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
    appointed = appointed_auditor_ids(year) if appointed is None else appointed
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
    require_state(lock(plan), AuditPlan.Status.DRAFT)
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
    require_state(lock(entry.plan), AuditPlan.Status.DRAFT)
    entry.withdrawn = True
    return save_versioned(entry, expected_version=expected_version, by=by)


def _check_entries(plan: AuditPlan) -> None:
    """Every entry needs a lead auditor and must still pass the appointment and impartiality
    rules; all the problems are named at once."""
    entries = list(plan_entries(plan))
    if not entries:
        raise ValidationError(_("The plan has no audits."))
    appointed = appointed_auditor_ids(plan.year)
    problems = []
    for entry in entries:
        codes = ", ".join(p.code for p in entry.processes.all())
        if entry.lead_auditor is None:
            problems.append(_("%(processes)s: no lead auditor.") % {"processes": codes})
            continue
        try:
            check_auditors(
                year=plan.year,
                processes=entry.processes.all(),
                lead_auditor=entry.lead_auditor,
                team=entry.team.all(),
                appointed=appointed,
            )
        except ValidationError as error:
            problems += [f"{codes}: {m}" for m in error.messages]
    if problems:
        raise ValidationError(problems)


def audit_plan_submit(*, plan: AuditPlan, by: User, expected_version: int) -> AuditPlan:
    """Send the draft to the Prezydent. Every entry needs a lead auditor and must still pass
    the appointment and impartiality rules."""
    return transition(
        plan,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_prepare_programme(by),
        source=[AuditPlan.Status.DRAFT],
        check=_check_entries,
        status=AuditPlan.Status.SUBMITTED,
        submitted_at=timezone.now(),
        return_comment="",
    )


def audit_plan_return(
    *, plan: AuditPlan, by: User, expected_version: int, comment: str
) -> AuditPlan:
    """The Prezydent sends a submitted plan back for corrections, saying why."""
    return transition(
        plan,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_approve_programme(by),
        source=[AuditPlan.Status.SUBMITTED],
        check=lambda _current: require_text(
            comment, field="comment", message=_("Say what needs to be corrected.")
        ),
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
    year becomes superseded (and stays readable), in the same transaction."""
    approved = transition(
        plan,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_approve_programme(by),
        source=[AuditPlan.Status.SUBMITTED],
        check=lambda _current: require_text(
            ordinance_number, field="ordinance_number", message=_("Give the ordinance number.")
        ),
        status=AuditPlan.Status.APPROVED,
        approved_by=by,
        approved_at=timezone.now(),
        ordinance_number=ordinance_number.strip(),
        ordinance_date=ordinance_date,
    )
    older = AuditPlan.objects.filter(year=plan.year, status=AuditPlan.Status.APPROVED)
    for revision in older.exclude(pk=approved.pk).select_for_update():
        transition(revision, by=by, expected_version=None, status=AuditPlan.Status.SUPERSEDED)
    return approved


@transaction.atomic
def audit_plan_revise(*, plan: AuditPlan, by: User, reason: str) -> AuditPlan:
    """Start a new revision of an approved plan: a draft copy of its entries. The approved
    revision stays in force, unchanged, until the new one is approved."""
    require(selectors.can_prepare_programme(by))
    current = lock(plan)
    require_state(current, AuditPlan.Status.APPROVED)
    reason = require_text(reason, field="reason", message=_("Say why the plan is being changed."))
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
            change_reason=reason,
        ),
        by=by,
    )
    for entry in plan_entries(current):
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
