"""Reads of the audit programme and the rules that say who may do what with it.

Koordynator WOU drafts plans and candidate lists and coordinates audits; the Prezydent approves
plans and appoints auditors; the Pełnomocnik and top management see everything; auditors work on
the audits they are on; process owners see the audits of their processes and acknowledge the
reports; every signed-in employee reads the approved plan.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from audits.models import (
    Audit,
    AuditorCandidate,
    AuditorList,
    AuditPlan,
    Finding,
    PlannedAudit,
)
from processes.models import Process
from qms import roles
from qms.models import User


def _signed_in(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def can_prepare_programme(user: User) -> bool:
    """Drafts plans and candidate lists, creates audits, evaluates reports (Koordynator WOU)."""
    return _signed_in(user) and user.has_role(roles.KOORDYNATOR_WOU)


def can_approve_programme(user: User) -> bool:
    """Approves plans and appoints auditors (Prezydent)."""
    return _signed_in(user) and user.has_role(roles.PREZYDENT)


def can_see_whole_programme(user: User) -> bool:
    """Sees every plan revision, list and audit."""
    return _signed_in(user) and user.has_role(roles.KOORDYNATOR_WOU, *roles.OVERSEERS)


def can_close_audits(user: User) -> bool:
    return _signed_in(user) and user.has_role(roles.KOORDYNATOR_WOU, roles.PELNOMOCNIK)


# --- auditor appointments -------------------------------------------------------------------


def appointed_auditor_ids(year: int) -> set[int]:
    """Ids of the people appointed as auditors for ``year`` (one query)."""
    return set(
        AuditorCandidate.objects.filter(
            auditor_list__year=year,
            auditor_list__status=AuditorList.Status.APPOINTED,
            removed=False,
        ).values_list("person_id", flat=True)
    )


def is_appointed_auditor(user: User, year: int) -> bool:
    return _signed_in(user) and user.pk in appointed_auditor_ids(year)


def auditor_lists(*, user: User) -> QuerySet[AuditorList]:
    if not can_see_whole_programme(user):
        raise PermissionDenied
    return AuditorList.objects.all()


def auditor_list_get(*, user: User, pk: int) -> AuditorList:
    if not can_see_whole_programme(user):
        raise PermissionDenied
    candidates = AuditorCandidate.objects.select_related("person__unit").order_by(
        "removed", "person__last_name", "person__first_name"
    )
    return get_object_or_404(
        AuditorList.objects.select_related("appointed_by").prefetch_related(
            Prefetch("candidates", queryset=candidates)
        ),
        pk=pk,
    )


def candidate_get_for_edit(*, user: User, pk: int) -> AuditorCandidate:
    if not can_prepare_programme(user):
        raise PermissionDenied
    return get_object_or_404(
        AuditorCandidate.objects.select_related("auditor_list", "person"), pk=pk
    )


# --- plans ----------------------------------------------------------------------------------


def plans_visible(*, user: User) -> QuerySet[AuditPlan]:
    """Every revision for those who see the programme; approved (and superseded, which were
    approved once) revisions for everyone else."""
    if not _signed_in(user):
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
    ``services.audits_create_from_plan`` creates them by: no audit of the year carries the
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


# --- audits ---------------------------------------------------------------------------------


def _owner_of_audited_process(user: User) -> Exists:
    return Exists(Process.objects.filter(audits=OuterRef("pk"), owner=user))


def audits_visible(*, user: User) -> QuerySet[Audit]:
    """The audits ``user`` may read: all of them for the programme's overseers; otherwise
    those they lead or are on, and those of the processes they own."""
    if not _signed_in(user):
        return Audit.objects.none()
    audits = Audit.objects.select_related("lead_auditor")
    if can_see_whole_programme(user):
        return audits
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    return audits.filter(Q(lead_auditor=user) | in_team | _owner_of_audited_process(user))


def audit_get(*, user: User, pk: int) -> Audit:
    """An audit with what its page shows; 404 if there is none, ``PermissionDenied`` if
    ``user`` may not read it."""
    if not _signed_in(user):
        raise PermissionDenied
    # The card raised from a finding comes along (a reverse one-to-one: None when there is none).
    findings = Finding.objects.select_related("process", "created_by", "nonconformity").order_by(
        "number"
    )
    audit = get_object_or_404(
        Audit.objects.select_related(
            "lead_auditor__unit", "acknowledged_by", "evaluated_by", "planned_entry__plan"
        ).prefetch_related(
            Prefetch("processes", queryset=Process.objects.select_related("owner", "owner_unit")),
            "units",
            Prefetch("team", queryset=User.objects.select_related("unit")),
            Prefetch("findings", queryset=findings),
            "checklist",
        ),
        pk=pk,
    )
    if not audit_relations(user, audit):
        raise PermissionDenied
    return audit


def audit_relations(user: User, audit: Audit) -> set[str]:
    """How ``user`` relates to ``audit``: lead, team, owner (of an audited process),
    overseer. ``audit`` must have its processes and team prefetched."""
    relations = set()
    if not _signed_in(user):
        return relations
    if audit.lead_auditor_id == user.pk:
        relations.add("lead")
    if any(member.pk == user.pk for member in audit.team.all()):
        relations.add("team")
    if any(process.owner_id == user.pk for process in audit.processes.all()):
        relations.add("owner")
    if can_see_whole_programme(user):
        relations.add("overseer")
    return relations


def can_edit_audit(user: User, audit: Audit) -> bool:
    """Auditors on the audit edit it while it is planned or in progress."""
    return audit.is_editable_by_auditors and bool({"lead", "team"} & audit_relations(user, audit))


def previous_audit_with_checklist(audit: Audit) -> Audit | None:
    """The latest other audit of one of the same processes that has a checklist."""
    return (
        Audit.objects.filter(processes__in=audit.processes.all(), checklist__isnull=False)
        .exclude(pk=audit.pk)
        .order_by("-year", "-planned_month", "-pk")
        .distinct()
        .first()
    )


def finding_get_for_edit(*, user: User, pk: int) -> Finding:
    finding = get_object_or_404(Finding.objects.select_related("audit"), pk=pk)
    audit = audit_get(user=user, pk=finding.audit_id)
    if not can_edit_audit(user, audit):
        raise PermissionDenied
    return finding


# --- the start page -------------------------------------------------------------------------


def dashboard_audit_sections(*, user: User, today) -> dict:
    """What the audit programme asks of ``user`` now (a fixed number of queries).

    Each list asks for the audits ``user`` leads, is on or owns a process of: every one of
    them is among ``audits_visible(user=user)`` (those are its conditions for everyone who does
    not see the whole programme), so the lists filter on that alone instead of repeating the
    visibility subqueries on top of it."""
    if not _signed_in(user):
        mine = Audit.objects.none()
    else:
        mine = Audit.objects.select_related("lead_auditor").exclude(status=Audit.Status.CLOSED)
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    involved = mine.filter(Q(lead_auditor=user) | in_team | _owner_of_audited_process(user))
    sections = {
        "upcoming_audits": list(
            involved.filter(status__in=[Audit.Status.PLANNED, Audit.Status.IN_PROGRESS])
            .filter(year__gte=today.year - 1)
            .order_by("year", "planned_month")[:10]
        ),
        "reports_to_write": list(
            mine.filter(lead_auditor=user, status=Audit.Status.IN_PROGRESS)[:10]
        ),
        "reports_to_acknowledge": list(
            mine.filter(_owner_of_audited_process(user), status=Audit.Status.REPORT_SUBMITTED)[:10]
        ),
        "plans_to_approve": [],
        "lists_to_appoint": [],
        "audits_to_evaluate": [],
    }
    if can_approve_programme(user):
        sections["plans_to_approve"] = list(
            AuditPlan.objects.filter(status=AuditPlan.Status.SUBMITTED)
        )
        sections["lists_to_appoint"] = list(
            AuditorList.objects.filter(status=AuditorList.Status.SUBMITTED)
        )
    if can_prepare_programme(user):
        sections["audits_to_evaluate"] = list(
            Audit.objects.filter(status=Audit.Status.ACKNOWLEDGED).order_by("year", "number")[:10]
        )
    return sections
