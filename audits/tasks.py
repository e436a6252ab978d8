"""Reminders of the audit programme: the daily sweeps (run by Celery beat, see
``CELERY_BEAT_SCHEDULE``, or by hand with ``manage.py send_reminders``).

Each sweep looks at a window of days rather than at one date, so a day the sweep did not run
is caught up the next day; the delivery key (kind, record, recipient, occasion) keeps a
reminder from being sent twice.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from django.db import models
from django.db.models import Prefetch, Q
from django.utils import formats
from django.utils.translation import gettext as _

from audits.models import Audit, AuditorList, AuditPlan
from processes.models import Process
from qms import roles
from qms.models import User, register_reminder_kinds
from qms.reminders import Due, link_to, people_with_role, sweep, unique_people, week_occasion


@register_reminder_kinds
class ReminderKind(models.TextChoices):
    """The reminders this app sends (``Delivery.kind``)."""

    AUDIT_UPCOMING = "audit_upcoming", _("audit in 7 days")
    AUDIT_REPORT_OVERDUE = "audit_report_overdue", _("audit report overdue")
    AUDIT_PLAN_NOT_APPROVED = "audit_plan_not_approved", _("next year's audit plan not approved")
    AUDITORS_NOT_APPOINTED = "auditors_not_appointed", _("next year's auditors not appointed")


UPCOMING_DAYS = 7
REPORT_DAYS = 14


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def audit_start(audit: Audit) -> datetime.date:
    """The day the audit begins: its start date, or the first day of its planned month."""
    return audit.start_date or datetime.date(audit.year, audit.planned_month, 1)


def audit_end(audit: Audit) -> datetime.date:
    """The day the audit ends: its end date, or the last day of its planned month."""
    if audit.end_date:
        return audit.end_date
    last = calendar.monthrange(audit.year, audit.planned_month)[1]
    return datetime.date(audit.year, audit.planned_month, last)


def _with_people(audits):
    return audits.select_related("lead_auditor").prefetch_related(
        Prefetch("processes", queryset=Process.objects.select_related("owner")),
        "team",
    )


@sweep("audits_upcoming", hour=6, minute=0)
def audits_upcoming(today: datetime.date) -> Iterator[Due]:
    """Planned audits that begin within the next 7 days (by start date, or by planned month
    when no date is set): the lead auditor, the team and the owners of the audited processes,
    once per start day."""
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    months = Q()
    day = today
    while day <= horizon:
        if day.day == 1:
            months |= Q(year=day.year, planned_month=day.month)
        day += datetime.timedelta(days=1)
    in_window = Q(start_date__range=(today, horizon))
    if months:
        in_window |= Q(start_date__isnull=True) & months
    audits = _with_people(Audit.objects.filter(in_window, status=Audit.Status.PLANNED))
    for audit in audits.order_by("pk"):
        start = audit_start(audit)
        owners = [p.owner for p in audit.processes.all()]
        people = unique_people([audit.lead_auditor, *audit.team.all(), *owners])
        for person in people:
            yield Due(
                kind=ReminderKind.AUDIT_UPCOMING,
                record=audit,
                recipient=person,
                occasion=start.isoformat(),
                link=link_to("audits:detail", audit.pk),
                describe=_upcoming_text(audit, start, person, owners),
            )


def _upcoming_text(audit: Audit, start: datetime.date, person: User, owners: list[User]):
    def describe() -> tuple[str, str]:
        if person.pk == audit.lead_auditor_id:
            role = _("You lead this audit.")
        elif any(member.pk == person.pk for member in audit.team.all()):
            role = _("You are on the audit team.")
        else:
            role = _("You own a process this audit covers.")
        values = {"number": audit.number, "date": _day(start), "scope": audit.scope}
        subject = _("Audit %(number)s begins on %(date)s") % values
        body = _("Audit %(number)s begins on %(date)s. Scope: %(scope)s") % values
        return subject, f"{body}\n{role}"

    return describe


@sweep("audit_reports_overdue", hour=6, minute=5)
def audit_reports_overdue(today: datetime.date) -> Iterator[Due]:
    """Audits still in progress 14 days after they ended (end date, or the end of the planned
    month): the lead auditor and, as escalation, the Koordynator WOU; once per due day."""
    coordinators = people_with_role(roles.KOORDYNATOR_WOU)
    audits = Audit.objects.filter(
        status=Audit.Status.IN_PROGRESS, year__lte=today.year
    ).select_related("lead_auditor")
    for audit in audits.order_by("pk"):
        due = audit_end(audit) + datetime.timedelta(days=REPORT_DAYS)
        if today < due:
            continue
        for person in unique_people([audit.lead_auditor, *coordinators]):
            yield Due(
                kind=ReminderKind.AUDIT_REPORT_OVERDUE,
                record=audit,
                recipient=person,
                occasion=due.isoformat(),
                link=link_to("audits:detail", audit.pk),
                describe=_report_text(audit, due, lead=person.pk == audit.lead_auditor_id),
            )


def _report_text(audit: Audit, due: datetime.date, *, lead: bool):
    def describe() -> tuple[str, str]:
        values = {"number": audit.number, "date": _day(due), "lead": audit.lead_auditor}
        subject = _("Audit report %(number)s is overdue") % values
        if lead:
            body = _(
                "The report of audit %(number)s was due by %(date)s and has not been "
                "submitted. Please submit it."
            )
        else:
            body = _(
                "The report of audit %(number)s (lead auditor: %(lead)s) was due by %(date)s "
                "and has not been submitted."
            )
        return subject, body % values

    return describe


@sweep("audit_programme", hour=6, minute=10)
def audit_programme(today: datetime.date) -> Iterator[Due]:
    """From 1 December: next year's audit plan not approved, or its auditors not appointed —
    the Koordynator WOU, the Pełnomocnik and the Prezydent, once a week until it is done or
    the year ends."""
    if today.month != 12:
        return
    year = today.year + 1
    occasion = week_occasion(datetime.date(today.year, 12, 1), today)
    people = unique_people(
        people_with_role(roles.KOORDYNATOR_WOU)
        + people_with_role(roles.PELNOMOCNIK)
        + people_with_role(roles.PREZYDENT)
    )
    checks = []
    if not AuditPlan.objects.filter(year=year, status=AuditPlan.Status.APPROVED).exists():
        checks.append((ReminderKind.AUDIT_PLAN_NOT_APPROVED, "audits:plans", _plan_text(year)))
    if not AuditorList.objects.filter(year=year, status=AuditorList.Status.APPOINTED).exists():
        checks.append(
            (ReminderKind.AUDITORS_NOT_APPOINTED, "audits:auditor_lists", _auditors_text(year))
        )
    for kind, view_name, describe in checks:
        for person in people:
            yield Due(
                kind=kind,
                record=None,
                record_key=("year", year),
                record_label=str(year),
                recipient=person,
                occasion=occasion,
                link=link_to(view_name),
                describe=describe,
            )


def _plan_text(year: int):
    def describe() -> tuple[str, str]:
        subject = _("The audit plan for %(year)s is not approved yet") % {"year": year}
        body = _(
            "The annual audit plan for %(year)s should be approved by the Mayor by 1 December. "
            "It is not approved yet."
        ) % {"year": year}
        return subject, body

    return describe


def _auditors_text(year: int):
    def describe() -> tuple[str, str]:
        subject = _("The auditors for %(year)s are not appointed yet") % {"year": year}
        body = _(
            "The auditors for %(year)s should be appointed by 1 December. "
            "They are not appointed yet."
        ) % {"year": year}
        return subject, body

    return describe
