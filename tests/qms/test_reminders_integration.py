"""Reminders end to end, with the real pieces: a Celery worker consuming from the local Redis,
and an SMTP server (aiosmtpd) started here that receives the e-mails.

The worker runs in a thread of this process (``celery.contrib.testing.worker``), so it sees the
test database; the tests are transactional because the worker's connection cannot see the rows
of an open test transaction. Each test uses its own queue on a spare Redis database, so a
concurrent test run or a stale message from an earlier one cannot interfere.

Not skipped when Redis is down: the suite needs Redis (see README and .ci/run) and should fail
loudly rather than pass without having tested delivery.
"""

import datetime
import email
import email.policy
import socket
import time
import uuid
from collections.abc import Callable, Iterator

import pytest
import redis
from aiosmtpd.controller import Controller
from celery import Celery
from celery.contrib.testing.worker import start_worker
from django.urls import reverse
from django.utils import timezone

from config.celery import app as qms_app
from qms import reminders
from qms.models import Delivery, Notification
from qms.tasks import send_delivery, sweep
from tests.conftest import client_for

State = Delivery.State
REDIS_DB_URL = "redis://127.0.0.1:6379/14"  # a database the application itself never uses
DAY = datetime.timedelta(days=1)

# serialized_rollback: the flush after a transactional test also empties the role groups that
# a data migration created; this puts them back for the next test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(condition: Callable[[], bool], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for the worker")
        time.sleep(0.05)


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd's name)
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def inbox(settings) -> Iterator[Inbox]:
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.SITE_URL = "https://szj.example.org"
    try:
        yield handler
    finally:
        controller.stop()


def _app(broker_url: str, queue: str) -> Celery:
    """A Celery app configured like the project's (Django settings) but on ``broker_url`` and
    ``queue``; made current, so the shared tasks queue through it."""
    app = Celery(f"szj-test-{queue}", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.update(
        broker_url=broker_url,
        task_default_queue=queue,
        task_always_eager=False,
        worker_hijack_root_logger=False,
    )
    app.set_current()
    return app


@pytest.fixture
def restore_app() -> Iterator[None]:
    yield
    qms_app.set_current()
    qms_app.set_default()


@pytest.fixture
def worker(restore_app) -> Iterator[Celery]:
    queue = f"szj-test-{uuid.uuid4().hex[:12]}"
    app = _app(REDIS_DB_URL, queue)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            yield app
    finally:
        _forget(queue)


def _forget(queue: str) -> None:
    """Remove the queue and kombu's bookkeeping of it from the spare database."""
    client = redis.Redis.from_url(REDIS_DB_URL)
    keys = list(client.scan_iter(match=f"*{queue}*"))
    if keys:
        client.delete(*keys)
    client.close()


def _marker(person, record) -> Delivery:
    """A fresh reminder queued behind everything else: the solo worker takes tasks in order,
    so once its e-mail has arrived, every task queued before it has run."""
    occasion = f"marker-{uuid.uuid4().hex[:8]}"
    due = reminders.Due(
        kind="verification_due",
        record=record,
        recipient=person,
        occasion=occasion,
        link="/",
        describe=lambda: (occasion, "marker"),
    )
    delivery = reminders.deliveries_create([due]).created[0]
    send_delivery.delay(delivery.pk)
    return delivery


def _drain(inbox: Inbox, person, record) -> None:
    subject = _marker(person, record).subject
    _wait_for(lambda: any(m["Subject"] == subject for m in inbox.messages))
    inbox.messages[:] = [m for m in inbox.messages if m["Subject"] != subject]


def test_a_sweep_through_redis_and_a_worker_emails_each_reminder_exactly_once(
    personas, card_setup, inbox, worker
):
    action = card_setup["action"]
    late = (action.deadline + 14 * DAY).isoformat()  # escalated: three people
    sweep.delay("corrective_actions", late)
    _wait_for(lambda: len(inbox.messages) == 3)
    _wait_for(lambda: set(Delivery.objects.values_list("state", flat=True)) == {State.SENT})

    message = inbox.to("wlasciciel@example.org")[0]
    card = action.card
    assert card.number in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://szj.example.org/niezgodnosci/{card.pk}/"
    assert link in text and f'href="{link}"' in html
    assert Notification.objects.filter(recipient=personas.wlasciciel).count() == 1

    # The same sweep again, and every row queued twice more: nothing is sent again.
    sweep.delay("corrective_actions", late)
    for delivery in Delivery.objects.all():
        send_delivery.delay(delivery.pk)
        send_delivery.delay(delivery.pk)
    _drain(inbox, personas.pelnomocnik, card)
    assert len(inbox.messages) == 3
    assert Delivery.objects.filter(attempts=1).count() == 4  # three reminders and the marker


def test_a_reminder_claimed_by_a_killed_worker_is_sent_once_by_the_next_sweep(
    personas, card_setup, inbox, worker, settings
):
    card = card_setup["card"]
    card.status = card.Status.VERIFICATION
    card.save(update_fields=["status"])
    # A sweep that ran while a worker died between claiming and sending: the row is left
    # "being sent" with an old claim, and its message was lost with the worker.
    reminders.deliveries_create(
        reminders.sweep_collect("verifications", today=timezone.localdate())
    )
    delivery = Delivery.objects.get()
    stale = timezone.now() - datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES + 5)
    Delivery.objects.filter(pk=delivery.pk).update(
        state=State.SENDING, claimed_at=stale, attempts=1
    )

    sweep.delay("verifications", timezone.localdate().isoformat())
    send_delivery.delay(delivery.pk)  # the lost message redelivered as well
    _wait_for(lambda: Delivery.objects.get(pk=delivery.pk).state == State.SENT)
    _drain(inbox, personas.pelnomocnik, card)
    assert [m["To"] for m in inbox.messages] == ["pelnomocnik@example.org"]
    delivery.refresh_from_db()
    assert delivery.attempts == 2


def test_with_redis_down_pages_answer_and_the_next_sweep_catches_up(
    personas, card_setup, inbox, restore_app, caplog
):
    card = card_setup["card"]
    reminders.deliveries_create(
        [
            reminders.Due(
                kind="verification_due",
                record=card,
                recipient=personas.wlasciciel,
                occasion="round-1",
                link=reverse("nonconformities:detail", args=[card.pk]),
                describe=lambda: ("Karta do weryfikacji", "Treść"),
            )
        ]
    )
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(state=State.FAILED, attempts=5)

    _app(f"redis://127.0.0.1:{_free_port()}/0", "szj-test-down")  # nothing listens there
    client = client_for(personas.pelnomocnik)
    started = time.monotonic()
    response = client.post(reverse("delivery_retry", args=[delivery.pk]), follow=True)
    assert response.status_code == 200
    assert time.monotonic() - started < 5
    assert "could not queue" in caplog.text
    assert client.get(reverse("notifications")).status_code == 200
    delivery.refresh_from_db()
    assert delivery.state == State.PENDING  # waits in the database, not lost
    assert inbox.messages == []

    # Redis is back: the next sweep (of any kind) queues what waits, and it is sent once.
    queue = f"szj-test-{uuid.uuid4().hex[:12]}"
    app = _app(REDIS_DB_URL, queue)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, loglevel="WARNING"):
            sweep.delay("corrective_actions", timezone.localdate().isoformat())
            _wait_for(lambda: len(inbox.messages) == 1)
            _drain(inbox, personas.pelnomocnik, card)
    finally:
        _forget(queue)
    assert [m["Subject"] for m in inbox.messages] == ["Karta do weryfikacji"]
    delivery.refresh_from_db()
    assert delivery.state == State.SENT and delivery.attempts == 1


def test_send_reminders_without_the_broker_sends_each_row_once_from_two_threads(
    personas, card_setup, inbox, monkeypatch
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(reminders, "SEND_CHUNK", 3)  # four chunks for two threads
    card = card_setup["card"]
    people = [personas.wlasciciel, personas.pracownik, personas.auditor, personas.koordynator]
    reminders.deliveries_create(
        [
            reminders.Due(
                kind="verification_due",
                record=card,
                recipient=person,
                occasion=f"round-{n}",
                link=reverse("nonconformities:detail", args=[card.pk]),
                describe=lambda n=n: (f"Przypomnienie {n}", "Treść"),
            )
            for person in people
            for n in range(3)
        ]
    )
    # A second run right after the first finds nothing left to send.
    with CaptureQueriesContext(connection) as queries:
        outcomes = reminders.send_waiting_now(threads=2) + reminders.send_waiting_now(threads=2)

    assert len(outcomes) == 12 and {o.status for o in outcomes} == {"sent"}
    assert len(inbox.messages) == 12
    sent = sorted((m["To"], m["Subject"]) for m in inbox.messages)
    assert len(set(sent)) == 12  # each reminder once
    assert set(Delivery.objects.values_list("state", "attempts")) == {(State.SENT, 1)}
    # The chunks were claimed and sent on the threads' own connections, not this one.
    assert not [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
