"""Reads of an audit's checklist and findings."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from audits.models import Audit, Finding
from audits.selectors.audits import audit_get, can_edit_audit
from qms.models import User


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
