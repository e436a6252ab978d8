"""``manage.py send_reminders``: the sweeps by hand, for a given day, with a dry run."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from audits.models import Audit
from qms import reminders
from qms.models import Delivery, Notification


def _run(*args: str) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def audit(audit_setup) -> Audit:
    return audit_setup["audit"]  # A/2027/01 in March 2027, led by auditor, PG.3 of wlasciciel


def test_a_dry_run_lists_what_would_be_sent_and_changes_nothing(audit):
    out = _run("--dry-run", "--date", "2027-02-22")
    lines = [line for line in out.splitlines() if "A/2027/01" in line]
    assert len(lines) == 2  # the lead auditor and the process owner
    assert any("auditor@example.org" in line and "2027-03-01" in line for line in lines)
    assert any("wlasciciel@example.org" in line for line in lines)
    assert Delivery.objects.count() == 0 and Notification.objects.count() == 0
    assert mail.outbox == []


def test_a_run_sends_once_and_a_second_run_sends_nothing(audit):
    out = _run("--date", "2027-02-22")
    assert sum("A/2027/01" in line for line in out.splitlines()) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["auditor@example.org", "wlasciciel@example.org"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.SENT}

    again = _run("--date", "2027-02-23")
    assert "A/2027/01" not in again
    assert len(mail.outbox) == 2


def test_one_sweep_can_be_chosen_and_bad_arguments_are_refused(audit):
    out = _run("--sweep", "audit_programme", "--date", "2027-02-22")
    assert "A/2027/01" not in out
    with pytest.raises(CommandError):
        _run("--date", "22.02.2027")
    with pytest.raises(CommandError):
        _run("--sweep", "nonsense")


def test_every_sweep_is_registered():
    from qms.reminders import load_sweeps

    assert set(load_sweeps()) == {
        "audits_upcoming",
        "audit_reports_overdue",
        "audit_programme",
        "corrective_actions",
        "verifications",
        "measurements",
        "risk_reviews",
        "improvement_actions",
        "management_review",
    }


def test_the_beat_schedule_runs_every_sweep_task(settings):
    """Every registered sweep gets a daily beat entry, generated from the registry, that calls
    the one sweep task with the sweep's name; the foundation's own entries stay."""
    from config.celery import app

    app.loader.import_default_modules()
    generated = reminders.beat_schedule()
    assert {entry["args"] for entry in generated.values()} == {
        (name,) for name in reminders.load_sweeps()
    }
    assert len(generated) == 9
    tasks = {e["task"] for e in [*settings.CELERY_BEAT_SCHEDULE.values(), *generated.values()]}
    assert tasks <= set(app.tasks)
    assert {"qms.tasks.sweep", "qms.tasks.send_digests", "qms.tasks.requeue_waiting"} <= tasks
