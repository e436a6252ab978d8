"""Reads of the audits: which ones a person may read, an audit with what its page shows, and
how a person relates to it (lead, team, owner of an audited process, overseer)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from audits.models import Audit, Finding
from audits.selectors import can_see_whole_programme
from processes.models import Process
from qms.models import User
from qms.roles import signed_in


def owner_of_audited_process(user: User) -> Exists:
    return Exists(Process.objects.filter(audits=OuterRef("pk"), owner=user))


def audits_visible(*, user: User) -> QuerySet[Audit]:
    """The audits ``user`` may read: all of them for the programme's overseers; otherwise
    those they lead or are on, and those of the processes they own."""
    if not signed_in(user):
        return Audit.objects.none()
    audits = Audit.objects.select_related("lead_auditor")
    if can_see_whole_programme(user):
        return audits
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    return audits.filter(Q(lead_auditor=user) | in_team | owner_of_audited_process(user))


def audit_get(*, user: User, pk: int) -> Audit:
    """An audit with what its page shows; 404 if there is none, ``PermissionDenied`` if
    ``user`` may not read it."""
    if not signed_in(user):
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


def audit_get_for_edit(*, user: User, pk: int) -> Audit:
    """An audit its auditors may edit now (see ``can_edit_audit``); 404 or
    ``PermissionDenied`` otherwise."""
    audit = audit_get(user=user, pk=pk)
    if not can_edit_audit(user, audit):
        raise PermissionDenied
    return audit


def audit_relations(user: User, audit: Audit) -> set[str]:
    """How ``user`` relates to ``audit``: lead, team, owner (of an audited process),
    overseer. ``audit`` must have its processes and team prefetched."""
    relations = set()
    if not signed_in(user):
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
