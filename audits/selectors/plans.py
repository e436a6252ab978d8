"""Reads of the annual audit plan: its revisions as each person may see them, the entries, and
what changed between two revisions."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from audits.models import Audit, AuditPlan, PlannedAudit
from audits.selectors import can_prepare_programme, can_see_whole_programme
from processes.models import Process
from qms.models import User
from qms.roles import signed_in


def plans_visible(*, user: User) -> QuerySet[AuditPlan]:
    """Every revision for those who see the programme; approved (and superseded, which were
    approved once) revisions for everyone else."""
    if not signed_in(user):
        return AuditPlan.objects.none()
    plans = AuditPlan.objects.select_related("approved_by")
    if can_see_whole_programme(user):
        return plans
    return plans.filter(status__in=[AuditPlan.Status.APPROVED, AuditPlan.Status.SUPERSEDED])


def plan_get(*, user: User, pk: int) -> AuditPlan:
    plan = get_object_or_404(plans_visible(user=user), pk=pk)
    return plan


def plan_entries(plan: AuditPlan) -> QuerySet[PlannedAudit]:
    return (
        plan.entries.filter(withdrawn=False)
        .select_related("lead_auditor__unit")
        .prefetch_related(
            Prefetch("processes", queryset=Process.objects.select_related("owner_unit")),
            "units",
            Prefetch("team", queryset=User.objects.select_related("unit")),
        )
        .order_by("planned_month", "id")
    )


def plan_has_entries_without_audit(plan: AuditPlan) -> bool:
    """Whether an entry of ``plan`` still lacks its audit, by the rule
    ``services.audits.audits_create_from_plan`` creates them by: no audit of the year carries the
    entry's key (an audit created from an earlier revision counts). One query."""
    has_audit = Exists(Audit.objects.filter(year=plan.year, entry_key=OuterRef("entry_key")))
    return plan.entries.filter(withdrawn=False).exclude(has_audit).exists()


def entry_get_for_edit(*, user: User, pk: int) -> PlannedAudit:
    if not can_prepare_programme(user):
        raise PermissionDenied
    return get_object_or_404(PlannedAudit.objects.select_related("plan"), pk=pk)


def approved_plan(year: int) -> AuditPlan | None:
    return AuditPlan.objects.filter(year=year, status=AuditPlan.Status.APPROVED).first()


# The fields two revisions of an entry are compared on, in the order the page names them.
_DIFF_FIELDS = ("processes", "units", "scope", "criteria", "planned_month", "lead_auditor", "team")
_DIFF_RELATIONS = ("processes", "units", "team")


def _diff_values(entry: PlannedAudit) -> dict:
    """An entry's compared values: its relations as sets of ids (from the prefetch), the
    other fields as stored (the lead auditor by id)."""
    return {
        name: {other.pk for other in getattr(entry, name).all()}
        if name in _DIFF_RELATIONS
        else getattr(entry, PlannedAudit._meta.get_field(name).attname)
        for name in _DIFF_FIELDS
    }


def plan_diff(older: AuditPlan, newer: AuditPlan) -> dict[str, list]:
    """What changed between two revisions: entries added, removed and changed (with the
    names of the changed fields), matched by ``entry_key``. Removed entries come from
    ``older``, the others from ``newer``; each has its processes prefetched.

    A revision starts as a copy of the one before (``audit_plan_revise``), and an entry of it
    changes only through ``planned_audit_save`` or ``planned_audit_remove``, which raise its
    version. So one query (and its prefetches, four in all) reads just the entries that can
    differ: the newer revision's edited or new ones, and the older one's twins of those or
    entries the newer lacks. A plan of hundreds of audits costs the page what its changes
    cost, not what its size does."""
    in_older = PlannedAudit.objects.filter(plan=older, withdrawn=False)
    in_newer = PlannedAudit.objects.filter(plan=newer)
    edited = in_newer.filter(version__gt=1)
    candidates = (
        PlannedAudit.objects.filter(
            (
                Q(plan=newer)
                & (Q(version__gt=1) | ~Exists(in_older.filter(entry_key=OuterRef("entry_key"))))
            )
            | (
                Q(plan=older, withdrawn=False)
                & (
                    Q(entry_key__in=edited.values("entry_key"))
                    | ~Exists(in_newer.filter(entry_key=OuterRef("entry_key")))
                )
            )
        )
        .prefetch_related("processes", "units", "team")
        .order_by("planned_month", "pk")
    )
    old: dict = {}
    new: dict = {}
    for entry in candidates:
        (new if entry.plan_id == newer.pk else old)[entry.entry_key] = entry
    labels = {f: str(PlannedAudit._meta.get_field(f).verbose_name) for f in _DIFF_FIELDS}
    added, removed, changed = [], [], []
    for key, entry in new.items():
        if entry.withdrawn:
            continue
        twin = old.get(key)
        if twin is None:
            added.append(entry)
            continue
        before, after = _diff_values(twin), _diff_values(entry)
        fields = [labels[f] for f in _DIFF_FIELDS if before[f] != after[f]]
        if fields:
            changed.append({"entry": entry, "fields": fields})
    for key, entry in old.items():
        twin = new.get(key)
        if twin is None or twin.withdrawn:
            removed.append(entry)
    return {"added": added, "removed": removed, "changed": changed}
