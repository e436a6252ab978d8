"""Celery tasks that send reminders. They take ids, re-read the rows and call
``qms.reminders``; the claim there makes every task safe to run twice."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from qms import reminders


def parse_day(today: str | None) -> datetime.date:
    """The sweep's day: an ISO date given by hand, or today in the city hall's time zone."""
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="qms.tasks.sweep")
def sweep(name: str, today: str | None = None) -> int:
    """Run one registered sweep (``qms.reminders.sweep``); the number of rows created. The beat
    calls it once a day per sweep (``qms.reminders.beat_schedule``)."""
    return len(reminders.sweep_run(name, today=parse_day(today)).created)


@shared_task(bind=True, acks_late=True, max_retries=None, soft_time_limit=120)
def send_delivery(self, delivery_id: int) -> str:
    """Send one reminder's e-mail; on failure try again later with a growing delay, until
    ``REMINDER_MAX_ATTEMPTS`` (counted in the row, so redelivered messages count too)."""
    outcome = reminders.delivery_send(delivery_id=delivery_id)
    if outcome.status == "retry":
        raise self.retry(countdown=reminders.retry_delay(outcome.attempts))
    return outcome.status


@shared_task(bind=True, acks_late=True, max_retries=None, soft_time_limit=120)
def send_digest(self, recipient_id: int) -> str:
    """Send a digest reader everything waiting for them in one e-mail."""
    outcome = reminders.digest_send(recipient_id=recipient_id)
    if outcome.status == "retry":
        raise self.retry(countdown=reminders.retry_delay(outcome.attempts))
    return outcome.status


@shared_task
def send_digests() -> int:
    """Daily, after the sweeps: one digest task per digest reader with something waiting."""
    with transaction.atomic():
        return len(reminders.queue_digests())


@shared_task
def requeue_waiting() -> int:
    """Every few minutes: queue again what an outage or a killed worker left waiting."""
    with transaction.atomic():
        return len(reminders.queue_waiting())
