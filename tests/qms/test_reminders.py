"""The reminder mechanism: one row per (kind, record, recipient, occasion), claim-then-send,
retries and failures, digests, in-app notifications. E-mail goes to Django's in-memory
outbox (test settings) or, for failures, to a real SMTP port where nothing listens."""

import datetime
import socket

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.translation import gettext as _

from audits.tasks import ReminderKind as Kind
from qms import reminders
from qms.models import Delivery, Notification, ReminderSettings
from qms.reminders import Due

State = Delivery.State


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _due(person, record, *, occasion="2027-03-01", describe=None) -> Due:
    return Due(
        kind=Kind.AUDIT_UPCOMING,
        record=record,
        recipient=person,
        occasion=occasion,
        link=f"/procesy/{record.pk}/",
        describe=describe or (lambda: ("Audit PG.3 begins", "Line one\nLine two")),
    )


@pytest.fixture
def delivery(personas, own_process) -> Delivery:
    result = reminders.deliveries_create([_due(personas.wlasciciel, own_process)])
    return result.created[0]


def test_a_due_item_becomes_one_row_and_one_notification_however_often_swept(personas, own_process):
    items = [_due(personas.wlasciciel, own_process), _due(personas.auditor, own_process)]
    first = reminders.deliveries_create(items)
    again = reminders.deliveries_create(items + items)
    assert len(first.created) == 2 and again.created == [] and again.existing == 2
    assert Delivery.objects.count() == 2
    notification = Notification.objects.get(recipient=personas.wlasciciel)
    assert notification.text == "Audit PG.3 begins"
    assert notification.link == f"/procesy/{own_process.pk}/"
    assert notification.read_at is None
    # Another occasion for the same record and person is another reminder.
    later = reminders.deliveries_create([_due(personas.wlasciciel, own_process, occasion="x")])
    assert len(later.created) == 1


def test_a_row_created_by_a_concurrent_sweep_is_skipped_without_losing_the_others(
    personas, own_process, monkeypatch
):
    taken = _due(personas.wlasciciel, own_process)
    reminders.deliveries_create([taken])
    # The other sweep inserted its row after this one looked for existing keys.
    monkeypatch.setattr(reminders, "_existing_keys", lambda items: set())
    result = reminders.deliveries_create([taken, _due(personas.auditor, own_process)])
    assert [d.recipient for d in result.created] == [personas.auditor]
    assert result.existing == 1
    assert Delivery.objects.count() == Notification.objects.count() == 2
    assert Notification.objects.filter(recipient=personas.wlasciciel).count() == 1


def test_a_morning_of_reminders_is_inserted_in_a_few_statements(personas, own_process):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def items(n: int) -> list[Due]:
        return [_due(personas.wlasciciel, own_process, occasion=f"{n}-{i}") for i in range(n)]

    with CaptureQueriesContext(connection) as few:
        reminders.deliveries_create(items(3))
    with CaptureQueriesContext(connection) as many:
        reminders.deliveries_create(items(40))
    assert len(few.captured_queries) == len(many.captured_queries)
    assert Notification.objects.count() == 43


def test_a_dry_run_lists_new_items_and_writes_nothing(personas, own_process, delivery):
    items = [_due(personas.wlasciciel, own_process), _due(personas.auditor, own_process)]
    result = reminders.deliveries_create(items, dry_run=True)
    assert [i.recipient for i in result.planned] == [personas.auditor]
    assert Delivery.objects.count() == 1 and Notification.objects.count() == 1


def test_text_is_written_in_each_recipients_language(personas, own_process):
    personas.auditor.language = "en"
    personas.auditor.save(update_fields=["language"])
    items = [
        _due(person, own_process, describe=lambda: (_("Dashboard"), _("Dashboard")))
        for person in (personas.wlasciciel, personas.auditor)
    ]
    reminders.deliveries_create(items)
    subjects = dict(Delivery.objects.values_list("recipient__username", "subject"))
    assert subjects == {"wlasciciel": "Pulpit", "auditor": "Dashboard"}
    assert Delivery.objects.get(recipient=personas.auditor).language == "en"


def test_a_delivery_is_sent_once_however_often_the_sender_runs(delivery, settings):
    settings.SITE_URL = "https://szj.example.org"
    first = reminders.delivery_send(delivery_id=delivery.pk)
    second = reminders.delivery_send(delivery_id=delivery.pk)
    assert (first.status, second.status) == ("sent", "skipped")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["wlasciciel@example.org"]
    assert message.subject == "Audit PG.3 begins"
    link = f"https://szj.example.org/procesy/{delivery.record_id}/"
    assert "Line one\nLine two" in message.body and link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html and "Line one<br>Line two" in html
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 1 and delivery.sent_at


def test_a_claim_held_by_a_working_sender_is_left_alone(delivery):
    recently = timezone.now() - datetime.timedelta(minutes=1)
    Delivery.objects.filter(pk=delivery.pk).update(state=State.SENDING, claimed_at=recently)
    assert reminders.delivery_send(delivery_id=delivery.pk).status == "skipped"
    assert mail.outbox == []
    assert delivery.pk not in reminders.waiting().values_list("pk", flat=True)


def test_a_stale_claim_is_taken_over_and_sent_exactly_once(delivery, settings):
    # A worker that claimed the row and died before sending.
    long_ago = timezone.now() - datetime.timedelta(
        minutes=settings.REMINDER_STALE_CLAIM_MINUTES + 1
    )
    Delivery.objects.filter(pk=delivery.pk).update(
        state=State.SENDING, claimed_at=long_ago, attempts=1
    )
    assert list(reminders.waiting().values_list("pk", flat=True)) == [delivery.pk]
    assert reminders.delivery_send(delivery_id=delivery.pk).status == "sent"
    assert reminders.delivery_send(delivery_id=delivery.pk).status == "skipped"
    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 2


def test_a_failed_send_is_recorded_retried_and_finally_shown_to_the_pelnomocnik(
    delivery, personas, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", _closed_port()
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.REMINDER_MAX_ATTEMPTS = 2
    first = reminders.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert first.status == "retry"
    assert delivery.state == State.PENDING and delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    assert reminders.retry_delay(1) == 60 and reminders.retry_delay(3) == 240

    second = reminders.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert second.status == "failed" and delivery.state == State.FAILED
    assert list(reminders.failed_deliveries(user=personas.pelnomocnik)) == [delivery]
    assert delivery.pk not in reminders.waiting().values_list("pk", flat=True)

    reminders.delivery_retry(delivery=delivery, by=personas.pelnomocnik)
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING and delivery.attempts == 0


def test_only_the_pelnomocnik_sees_and_retries_failures(delivery, personas):
    from django.core.exceptions import PermissionDenied, ValidationError

    with pytest.raises(PermissionDenied):
        reminders.failed_deliveries(user=personas.koordynator)
    with pytest.raises(PermissionDenied):
        reminders.delivery_retry(delivery=delivery, by=personas.wlasciciel)
    with pytest.raises(ValidationError):  # not failed: nothing to retry
        reminders.delivery_retry(delivery=delivery, by=personas.pelnomocnik)


def test_a_person_without_an_address_fails_at_once(delivery, personas):
    personas.wlasciciel.email = ""
    personas.wlasciciel.save(update_fields=["email"])
    outcome = reminders.delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert outcome.status == "failed" and delivery.state == State.FAILED
    assert delivery.last_error and mail.outbox == []
    # The in-app notification is there all the same.
    assert Notification.objects.filter(delivery=delivery).exists()


def test_a_chunk_of_singles_marks_each_row_by_its_own_outcome(personas, own_process, settings):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.REMINDER_MAX_ATTEMPTS = 3
    personas.auditor.email = ""
    personas.auditor.save(update_fields=["email"])
    people = [personas.wlasciciel, personas.auditor, personas.pracownik]
    reminders.deliveries_create([_due(person, own_process) for person in people])
    with CaptureQueriesContext(connection) as queries:
        outcomes = reminders.send_waiting_now()
    assert sorted(o.status for o in outcomes) == ["failed", "sent", "sent"]
    states = dict(Delivery.objects.values_list("recipient_id", "state"))
    assert states == {
        personas.wlasciciel.pk: State.SENT,
        personas.auditor.pk: State.FAILED,
        personas.pracownik.pk: State.SENT,
    }
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [personas.wlasciciel.email, personas.pracownik.email]
    )
    # One claim and one read for the chunk, then one write per e-mail.
    assert len(queries.captured_queries) <= 4 + len(people) * 3
    assert reminders.send_waiting_now() == []


def test_a_digest_reader_gets_one_email_with_everything_waiting(personas, own_process):
    ReminderSettings.objects.create(user=personas.wlasciciel, daily_digest=True)
    reminders.deliveries_create(
        [
            _due(personas.wlasciciel, own_process, occasion="a", describe=lambda: ("First", "1")),
            _due(personas.wlasciciel, own_process, occasion="b", describe=lambda: ("Second", "2")),
            _due(personas.auditor, own_process, occasion="a"),
        ]
    )
    mine = Delivery.objects.filter(recipient=personas.wlasciciel)
    # Separate sends leave a digest reader's rows for the digest, and the queue skips them.
    assert reminders.delivery_send(delivery_id=mine.first().pk).status == "skipped"
    with_queue = set(reminders.waiting().values_list("pk", flat=True))
    assert set(mine.values_list("pk", flat=True)) <= with_queue

    outcome = reminders.digest_send(recipient_id=personas.wlasciciel.pk)
    assert outcome.status == "sent" and len(outcome.deliveries) == 2
    assert reminders.digest_send(recipient_id=personas.wlasciciel.pk).status == "skipped"
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "First" in body and "Second" in body and "Audit PG.3" not in body
    assert set(mine.values_list("state", "in_digest")) == {(State.SENT, True)}
    assert Delivery.objects.get(recipient=personas.auditor).state == State.PENDING


def test_send_waiting_now_sends_singles_and_digests(personas, own_process):
    ReminderSettings.objects.create(user=personas.auditor, daily_digest=True)
    reminders.deliveries_create(
        [
            _due(personas.wlasciciel, own_process),
            _due(personas.auditor, own_process, occasion="a"),
            _due(personas.auditor, own_process, occasion="b"),
        ]
    )
    outcomes = reminders.send_waiting_now()
    assert sorted(len(o.deliveries) for o in outcomes) == [1, 2]
    assert len(mail.outbox) == 2
    assert reminders.send_waiting_now() == []


def test_switching_the_digest_off_keeps_what_waits(personas, own_process):
    reminders.reminder_settings_update(user=personas.wlasciciel, daily_digest=True)
    reminders.deliveries_create([_due(personas.wlasciciel, own_process)])
    assert reminders.delivery_send(delivery_id=Delivery.objects.get().pk).status == "skipped"
    reminders.reminder_settings_update(user=personas.wlasciciel, daily_digest=False)
    assert reminders.delivery_send(delivery_id=Delivery.objects.get().pk).status == "sent"


def test_marking_read_touches_only_ones_own_notifications(personas, own_process):
    reminders.deliveries_create(
        [
            _due(personas.wlasciciel, own_process, occasion="a"),
            _due(personas.wlasciciel, own_process, occasion="b"),
            _due(personas.auditor, own_process),
        ]
    )
    theirs = Notification.objects.get(recipient=personas.auditor)
    one = Notification.objects.filter(recipient=personas.wlasciciel).first()
    assert reminders.notifications_mark_read(user=personas.wlasciciel, pks=[one.pk, theirs.pk]) == 1
    assert reminders.notifications_mark_read(user=personas.wlasciciel) == 1
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert not reminders.notifications_for(user=personas.wlasciciel, unread_only=True).exists()


def test_week_occasions_count_full_weeks_from_the_date():
    deadline = datetime.date(2027, 3, 10)
    assert reminders.week_occasion(deadline, datetime.date(2027, 3, 11)) == "2027-03-10:week-0"
    assert reminders.week_occasion(deadline, datetime.date(2027, 3, 17)) == "2027-03-10:week-1"
    assert reminders.week_occasion(deadline, datetime.date(2027, 3, 24)) == "2027-03-10:week-2"
