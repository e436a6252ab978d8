"""Risk-based planning help that writes: filling a draft plan with the processes that stand out
in the coverage table (Księga Jakości §28; ISO 9001 9.2.2 a)."""

from django.db import transaction

from audits import selectors
from audits.models import AuditPlan, PlannedAudit
from audits.selectors.coverage import processes_to_prefill
from audits.services.plans import planned_audit_save
from processes.models import Process
from qms.models import User
from qms.services import lock, require, require_state

# Months the prefill spreads new entries over: January goes to closing the previous year's
# audits and August to holidays, so neither gets new ones.
PREFILL_MONTHS = (2, 3, 4, 5, 6, 7, 9, 10, 11, 12)


def prefill_months(count: int) -> list[int]:
    """``count`` planned months spread evenly over PREFILL_MONTHS, in order (deterministic)."""
    slots = len(PREFILL_MONTHS)
    return [PREFILL_MONTHS[index * slots // count] for index in range(count)]


def _entry_texts(process: Process) -> tuple[str, str]:
    # Stored in Polish whatever the coordinator's interface language: the plan is an official
    # document of the city hall, approved by ordinance (as in ``audits.services.plans``).
    scope = f"Realizacja procesu {process.code} {process.name}"
    criteria = f"PN-EN ISO 9001:2015; procedury procesu {process.code}"
    return scope, criteria


@transaction.atomic
def plan_prefill(*, plan: AuditPlan, by: User) -> list[PlannedAudit]:
    """Add to a draft ``plan`` one entry per process that stands out and is not in the plan
    yet, with scope, criteria and month filled in and no auditors (the coordinator assigns
    them afterwards). Running it again adds nothing new.

    Koordynator WOU only (``PermissionDenied``); the plan must be a draft (``ValidationError``,
    nothing written). The plan row is locked first, so two prefills at once cannot both add
    the same processes."""
    require(selectors.can_prepare_programme(by))
    current = lock(plan)
    # Checked here as well as in planned_audit_save: with nothing to add, that one never runs.
    require_state(current, AuditPlan.Status.DRAFT)
    processes = processes_to_prefill(current)
    added = []
    for process, month in zip(processes, prefill_months(len(processes)), strict=True):
        scope, criteria = _entry_texts(process)
        added.append(
            planned_audit_save(
                plan=current,
                by=by,
                processes=[process],
                units=[],
                scope=scope,
                criteria=criteria,
                planned_month=month,
                lead_auditor=None,
                team=[],
            )
        )
    return added
