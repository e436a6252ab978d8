"""Reads of the start page: what the audit programme asks of a person now."""

import datetime

from django.db.models import Exists, OuterRef, Q

from audits.models import Audit, AuditorList, AuditPlan
from audits.selectors import can_approve_programme, can_prepare_programme
from audits.selectors.audits import owner_of_audited_process
from qms.models import User
from qms.roles import signed_in


def dashboard_audit_sections(*, user: User, today: datetime.date) -> dict:
    """What the audit programme asks of ``user`` now (a fixed number of queries).

    Each list asks for the audits ``user`` leads, is on or owns a process of: every one of
    them is among ``audits_visible(user=user)`` (those are its conditions for everyone who does
    not see the whole programme), so the lists filter on that alone instead of repeating the
    visibility subqueries on top of it."""
    if not signed_in(user):
        mine = Audit.objects.none()
    else:
        mine = Audit.objects.select_related("lead_auditor").exclude(status=Audit.Status.CLOSED)
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    involved = mine.filter(Q(lead_auditor=user) | in_team | owner_of_audited_process(user))
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
            mine.filter(owner_of_audited_process(user), status=Audit.Status.REPORT_SUBMITTED)[:10]
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
