"""The audit programme's reminder sweeps, run day by day over fixed dates (each sweep takes
its day as an argument, as beat and ``send_reminders --date`` pass it)."""

import datetime
from functools import partial

import pytest

from audits.models import Audit, AuditorList, AuditPlan
from audits.tasks import ReminderKind as Kind
from qms.models import Delivery
from qms.tasks import sweep
from tests.factories import appoint_auditors

# The sweeps as the beat runs them: the one task, given the sweep's name.
sweep_audit_programme = partial(sweep, "audit_programme")
sweep_audit_reports_overdue = partial(sweep, "audit_reports_overdue")
sweep_audits_upcoming = partial(sweep, "audits_upcoming")
DAY = datetime.timedelta(days=1)


def _days(first: datetime.date, last: datetime.date):
    day = first
    while day <= last:
        yield day
        day += DAY


def _sweep(task, first: datetime.date, last: datetime.date) -> dict[datetime.date, int]:
    """Run ``task`` for every day from ``first`` to ``last``; the days that created rows."""
    created = {day: task(day.isoformat()) for day in _days(first, last)}
    return {day: n for day, n in created.items() if n}


def _to(kind: str) -> list[tuple[str, str]]:
    rows = Delivery.objects.filter(kind=kind).order_by("recipient__username", "occasion")
    return list(rows.values_list("recipient__username", "occasion"))


@pytest.fixture
def audit(audit_setup, personas) -> Audit:
    audit = audit_setup["audit"]  # A/2027/01, planned for March 2027, led by ``auditor``
    audit.team.set([personas.auditor2])
    return audit


def test_an_audit_is_announced_once_seven_days_before_its_planned_month(audit):
    fired = _sweep(sweep_audits_upcoming, datetime.date(2027, 2, 15), datetime.date(2027, 3, 5))
    assert fired == {datetime.date(2027, 2, 22): 3}
    # The lead auditor, the team and the owner of the audited process.
    assert _to(Kind.AUDIT_UPCOMING) == [
        ("auditor", "2027-03-01"),
        ("auditor2", "2027-03-01"),
        ("wlasciciel", "2027-03-01"),
    ]
    delivery = Delivery.objects.get(recipient__username="auditor")
    assert delivery.link == f"/audity/{audit.pk}/"
    assert delivery.record_label == "A/2027/01"
    assert "A/2027/01" in delivery.subject


def test_a_missed_day_is_caught_up_within_the_window(audit):
    assert sweep_audits_upcoming("2027-02-26") == 3  # the sweep did not run from 22 to 25 Feb
    assert sweep_audits_upcoming("2027-02-27") == 0


def test_a_start_date_decides_and_a_moved_date_is_announced_again(audit):
    Audit.objects.filter(pk=audit.pk).update(start_date=datetime.date(2027, 3, 15))
    fired = _sweep(sweep_audits_upcoming, datetime.date(2027, 2, 20), datetime.date(2027, 3, 15))
    assert fired == {datetime.date(2027, 3, 8): 3}
    Audit.objects.filter(pk=audit.pk).update(start_date=datetime.date(2027, 3, 22))
    assert sweep_audits_upcoming("2027-03-16") == 3
    assert {o for _u, o in _to(Kind.AUDIT_UPCOMING)} == {"2027-03-15", "2027-03-22"}


def test_an_audit_under_way_is_not_announced(audit):
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.IN_PROGRESS)
    assert (
        _sweep(sweep_audits_upcoming, datetime.date(2027, 2, 20), datetime.date(2027, 3, 2)) == {}
    )


def test_an_overdue_report_reaches_the_lead_auditor_and_the_koordynator_once(audit):
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.IN_PROGRESS,
        start_date=datetime.date(2027, 3, 8),
        end_date=datetime.date(2027, 3, 10),
    )
    fired = _sweep(
        sweep_audit_reports_overdue, datetime.date(2027, 3, 10), datetime.date(2027, 4, 10)
    )
    assert fired == {datetime.date(2027, 3, 24): 2}
    assert _to(Kind.AUDIT_REPORT_OVERDUE) == [
        ("auditor", "2027-03-24"),
        ("koordynator", "2027-03-24"),
    ]
    lead = Delivery.objects.get(recipient__username="auditor")
    coordinator = Delivery.objects.get(recipient__username="koordynator")
    assert lead.body != coordinator.body  # the coordinator is told who leads it


def test_without_an_end_date_the_report_is_due_14_days_after_the_planned_month(audit):
    Audit.objects.filter(pk=audit.pk).update(status=Audit.Status.IN_PROGRESS)
    fired = _sweep(
        sweep_audit_reports_overdue, datetime.date(2027, 4, 1), datetime.date(2027, 4, 20)
    )
    assert fired == {datetime.date(2027, 4, 14): 2}


def test_a_submitted_report_is_not_chased(audit):
    Audit.objects.filter(pk=audit.pk).update(
        status=Audit.Status.REPORT_SUBMITTED, end_date=datetime.date(2027, 3, 10)
    )
    assert sweep_audit_reports_overdue("2027-04-30") == 0


def test_next_years_programme_is_chased_weekly_in_december_until_done(personas):
    assert sweep_audit_programme("2027-11-30") == 0
    # Koordynator WOU, Pełnomocnik and Prezydent; plan and auditors both missing.
    assert sweep_audit_programme("2027-12-01") == 6
    assert sweep_audit_programme("2027-12-02") == 0
    assert sweep_audit_programme("2027-12-07") == 0
    AuditPlan.objects.create(year=2028, status=AuditPlan.Status.APPROVED)
    assert sweep_audit_programme("2027-12-08") == 3  # week 1: only the auditors are missing
    assert set(_to(Kind.AUDITORS_NOT_APPOINTED)) == {
        (person, f"2027-12-01:week-{week}")
        for person in ("koordynator", "pelnomocnik", "prezydent")
        for week in (0, 1)
    }
    plan_rows = Delivery.objects.filter(kind=Kind.AUDIT_PLAN_NOT_APPROVED)
    assert set(plan_rows.values_list("record_type", "record_id", "link")) == {
        ("year", 2028, "/audity/plany/")
    }
    appoint_auditors(2028, personas.auditor)
    assert AuditorList.objects.get(year=2028).status == AuditorList.Status.APPOINTED
    assert sweep_audit_programme("2027-12-15") == 0
    assert sweep_audit_programme("2028-01-05") == 0
