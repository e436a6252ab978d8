"""Reminders: the daily sweeps' rows, and sending them exactly once.

A sweep (registered here by each app's ``tasks.py``) lists what is due on a day as ``Due``
items. ``sweep_run`` turns them into ``Delivery`` rows keyed by (kind, record, recipient,
occasion) — a key that already exists is skipped, so running a sweep twice, or catching up a
missed day, creates nothing twice — and an in-app ``Notification`` with each new row.

Sending follows healthchecks' claim-then-send: ``delivery_send`` first claims the row with a
conditional ``UPDATE`` (waiting → being sent, or a claim older than
``REMINDER_STALE_CLAIM_MINUTES`` taken over), commits the claim, and only then talks to the
mail server. A second worker, a redelivered message or a second sweep finds the row claimed or
sent and does nothing. A worker killed after claiming leaves a stale claim that the next sweep
queues again, so a reminder is never lost either. The one window left open on purpose: a
worker killed after the mail server accepted a message but before the row was marked sent
makes that reminder go out twice — for reminders, twice is better than never.
"""

from __future__ import annotations

import datetime
import functools
import logging
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, connection, connections, models, transaction
from django.db.models import F, Q, QuerySet
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qms import roles
from qms.models import Delivery, Notification, ReminderSettings, User

logger = logging.getLogger(__name__)

State = Delivery.State


@dataclass(frozen=True)
class Due:
    """One reminder a sweep wants sent. ``describe`` returns ``(subject, body)`` and is called
    with the recipient's language active, so each person reads it in their own language."""

    kind: str
    record: models.Model | None
    recipient: User
    occasion: str
    link: str
    describe: Callable[[], tuple[str, str]]
    record_label: str = ""
    # For reminders about something that is not a row (next year's plan): its type and id.
    record_key: tuple[str, int] | None = field(default=None)

    @property
    def key(self) -> tuple[str, str, int, int, str]:
        record_type, record_id = self.record_ref
        return (self.kind, record_type, record_id, self.recipient.pk, self.occasion)

    @property
    def record_ref(self) -> tuple[str, int]:
        if self.record_key is not None:
            return self.record_key
        if self.record is None:
            raise ValueError("a reminder needs a record or a record key")
        return (self.record._meta.label_lower, int(self.record.pk))


Sweep = Callable[[datetime.date], Iterable[Due]]


@dataclass(frozen=True)
class SweepEntry:
    """A registered sweep and when the beat runs it (daily, Europe/Warsaw time)."""

    function: Sweep
    hour: int
    minute: int


# name → the sweep. Filled by ``@sweep`` in the apps' tasks.py (imported by their ready()).
_SWEEPS: dict[str, SweepEntry] = {}


def sweep(name: str, *, hour: int = 6, minute: int = 0) -> Callable[[Sweep], Sweep]:
    """Register a sweep under ``name``: ``send_reminders`` runs it by hand, and the beat runs it
    daily at ``hour:minute`` through the one task ``qms.tasks.sweep`` (``beat_schedule``)."""

    def register(function: Sweep) -> Sweep:
        _SWEEPS[name] = SweepEntry(function, hour, minute)
        return function

    return register


def load_sweeps() -> dict[str, Sweep]:
    """Every app's sweeps, by name (each app's ready() imports its tasks.py, which registers
    them)."""
    return {name: entry.function for name, entry in _SWEEPS.items()}


def beat_schedule() -> dict[str, dict]:
    """The beat's entries for every registered sweep, generated: one ``qms.tasks.sweep`` call a
    day per sweep, with the sweep's name as its argument."""
    from celery.schedules import crontab

    load_sweeps()
    return {
        f"sweep-{name}": {
            "task": "qms.tasks.sweep",
            "schedule": crontab(hour=entry.hour, minute=entry.minute),
            "args": (name,),
        }
        for name, entry in sorted(_SWEEPS.items())
    }


def _task(name: str):
    """The Celery task called ``name``. ``qms.tasks`` imports this module (tasks call the
    services here), so this module asks Celery for its tasks rather than importing them back."""
    from celery import current_app

    return current_app.tasks[name]


# --- whom to tell ---------------------------------------------------------------------------


def people_with_role(*role_names: str) -> list[User]:
    """Active people holding any of the roles (e.g. every Pełnomocnik)."""
    return list(
        User.objects.filter(is_active=True, groups__name__in=role_names).distinct().order_by("pk")
    )


def unique_people(people: Iterable[User | None]) -> list[User]:
    """Active people without repeats and without blanks, in the order first seen."""
    seen: dict[int, User] = {}
    for person in people:
        if person is not None and person.is_active and person.pk not in seen:
            seen[person.pk] = person
    return list(seen.values())


def link_to(view_name: str, *args: object, fallback: str = "dashboard") -> str:
    """The record's page (a path; e-mails make it absolute with ``SITE_URL``). A page that is
    not there (yet) sends people to ``fallback`` rather than failing the whole sweep."""
    for name, name_args in ((view_name, args), (fallback, ()), ("dashboard", ())):
        try:
            return reverse(name, args=name_args)
        except NoReverseMatch:
            logger.warning("reminders: no page %s", name)
    raise NoReverseMatch(view_name)


def week_occasion(since: datetime.date, today: datetime.date) -> str:
    """``<since>:week-<n>``: n full weeks have passed since ``since``. Keyed by the date too, so
    a moved deadline starts its own count instead of being mistaken for the old one."""
    return f"{since.isoformat()}:week-{(today - since).days // 7}"


# --- creating rows --------------------------------------------------------------------------


@dataclass
class SweepResult:
    created: list[Delivery] = field(default_factory=list)
    existing: int = 0
    planned: list[Due] = field(default_factory=list)  # a dry run's new items


def _existing_keys(items: list[Due]) -> set[tuple]:
    if not items:
        return set()
    condition = Q()
    for kind in {i.kind for i in items}:
        ids = {i.record_ref[1] for i in items if i.kind == kind}
        condition |= Q(kind=kind, record_id__in=ids)
    return set(
        Delivery.objects.filter(condition).values_list(
            "kind", "record_type", "record_id", "recipient_id", "occasion"
        )
    )


def _render(item: Due) -> tuple[str, str]:
    with translation.override(item.recipient.language or settings.LANGUAGE_CODE):
        subject, body = item.describe()
    return str(subject)[:255], str(body)


def sweep_collect(name: str, *, today: datetime.date) -> list[Due]:
    return list(load_sweeps()[name](today))


def _delivery(item: Due) -> Delivery:
    subject, body = _render(item)
    record_type, record_id = item.record_ref
    return Delivery(
        kind=item.kind,
        record_type=record_type,
        record_id=record_id,
        record_label=(item.record_label or str(item.record))[:200],
        recipient=item.recipient,
        occasion=item.occasion,
        subject=subject,
        body=body,
        link=item.link,
        language=item.recipient.language or settings.LANGUAGE_CODE,
    )


def _notification(delivery: Delivery) -> Notification:
    # In the same step as the row: the in-app notice must not wait for the mail server (or
    # for Redis) to be up.
    return Notification(
        recipient=delivery.recipient, delivery=delivery, text=delivery.subject, link=delivery.link
    )


def deliveries_create(items: Iterable[Due], *, dry_run: bool = False) -> SweepResult:
    """Rows (and notifications) for the items whose key is new; existing keys are skipped.

    The new rows are inserted together (a morning with thousands of reminders costs a few
    statements, not thousands). Safe against a concurrent sweep: the unique key decides — if
    a key was taken meanwhile, the batch is rolled back to its savepoint and the rows are
    created one by one, the loser of each race skipped without a second notification.
    """
    items = list({i.key: i for i in items}.values())
    known = _existing_keys(items)
    result = SweepResult()
    new = []
    for item in items:
        if item.key in known:
            result.existing += 1
        elif dry_run:
            result.planned.append(item)
        else:
            new.append(_delivery(item))
    if not new:
        return result
    try:
        with transaction.atomic():
            result.created = Delivery.objects.bulk_create(new, batch_size=1000)
            Notification.objects.bulk_create(
                [_notification(d) for d in result.created], batch_size=1000
            )
        return result
    except IntegrityError:
        pass
    result.created = []
    for delivery in new:
        delivery.pk = None
        delivery._state.adding = True
        try:
            with transaction.atomic():
                delivery.save(force_insert=True)
                Notification.objects.create(
                    recipient=delivery.recipient,
                    delivery=delivery,
                    text=delivery.subject,
                    link=delivery.link,
                )
        except IntegrityError:
            result.existing += 1  # a concurrent sweep created it a moment ago
            continue
        result.created.append(delivery)
    return result


def sweep_run(
    name: str, *, today: datetime.date, dry_run: bool = False, queue: bool = True
) -> SweepResult:
    """Run one sweep for ``today``: create what is new and, after commit, queue every e-mail
    that is waiting — the new ones and any an outage or a killed worker left behind, whatever
    their kind (a row is claimed before sending, so queuing it twice costs a no-op task).
    ``queue=False`` leaves the sending to the caller (``send_reminders``)."""
    items = sweep_collect(name, today=today)
    with transaction.atomic():
        result = deliveries_create(items, dry_run=dry_run)
        if queue and not dry_run:
            queue_waiting()
    logger.info(
        "reminders: sweep %s for %s %s %d, %d already known",
        name,
        today,
        "would create" if dry_run else "created",
        len(result.planned if dry_run else result.created),
        result.existing,
    )
    return result


# --- queuing --------------------------------------------------------------------------------


def _stale_before(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(minutes=settings.REMINDER_STALE_CLAIM_MINUTES)


def waiting(*, now: datetime.datetime | None = None) -> QuerySet[Delivery]:
    """Rows to (re)send: waiting ones and those whose sender vanished after claiming them."""
    now = now or timezone.now()
    return Delivery.objects.filter(
        Q(state=State.PENDING) | Q(state=State.SENDING, claimed_at__lt=_stale_before(now))
    )


def _digest_people() -> QuerySet[ReminderSettings]:
    return ReminderSettings.objects.filter(daily_digest=True)


def queue_task(task, *args) -> bool:
    """Hand a task to the broker now. A broker that is down is logged, not raised: the
    caller's page or sweep must go on, and the next sweep queues the row again."""
    try:
        task.apply_async(args=args, retry=False)
    except Exception:
        logger.warning(
            "reminders: could not queue %s%r; a later sweep will", task.name, args, exc_info=True
        )
        return False
    return True


def queue_after_commit(task, *args) -> None:
    """``queue_task`` once the current transaction commits (never inside it: a worker could
    otherwise look for a row it cannot see yet)."""
    transaction.on_commit(lambda: queue_task(task, *args), robust=True)


def queue_waiting() -> list[int]:
    """After commit, queue a send for every waiting row whose recipient gets separate
    e-mails; digest readers' rows wait for their digest. Returns the ids queued."""
    send_delivery = _task("qms.tasks.send_delivery")

    rows = waiting().exclude(recipient__in=_digest_people().values("user"))
    ids = list(rows.order_by("pk").values_list("pk", flat=True))
    for pk in ids:
        queue_after_commit(send_delivery, pk)
    return ids


def queue_digests() -> list[int]:
    """After commit, queue one digest for each digest reader with rows waiting."""
    send_digest = _task("qms.tasks.send_digest")

    people = list(
        waiting()
        .filter(recipient__in=_digest_people().values("user"))
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for pk in people:
        queue_after_commit(send_digest, pk)
    return people


# --- sending --------------------------------------------------------------------------------


def absolute_url(link: str) -> str:
    if link.startswith(("http://", "https://")):
        return link
    return settings.SITE_URL.rstrip("/") + "/" + link.lstrip("/")


def _claim(rows: QuerySet[Delivery], *, now: datetime.datetime) -> uuid.UUID | None:
    """The conditional UPDATE: take the rows that are waiting (or whose claim went stale).
    Autocommitted before anything is sent, so the claim is visible to every other sender."""
    token = uuid.uuid4()
    claimed = rows.filter(
        Q(state=State.PENDING) | Q(state=State.SENDING, claimed_at__lt=_stale_before(now))
    ).update(state=State.SENDING, claimed_at=now, claim_token=token, attempts=F("attempts") + 1)
    return token if claimed else None


def _message(
    *, recipient: User, deliveries: list[Delivery], digest: bool
) -> EmailMultiAlternatives:
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        context = {
            "recipient": recipient,
            "deliveries": [{"delivery": d, "url": absolute_url(d.link)} for d in deliveries],
            "site_url": settings.SITE_URL,
            "settings_url": absolute_url(reverse("notification_settings")),
        }
        if digest:
            subject = _("QMS: your reminders for today (%(count)s)") % {"count": len(deliveries)}
            text = render_to_string("qms/email/digest.txt", context)
            html = render_to_string("qms/email/digest.html", context)
        else:
            delivery = deliveries[0]
            subject = delivery.subject
            context |= {"delivery": delivery, "url": absolute_url(delivery.link)}
            text = render_to_string("qms/email/reminder.txt", context)
            html = render_to_string("qms/email/reminder.html", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),  # a header: no line breaks
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.email],
    )
    message.attach_alternative(html, "text/html")
    return message


@dataclass
class Outcome:
    """What a send did: ``sent``, ``skipped`` (not ours to send now), ``retry`` (failed, will
    be tried again) or ``failed`` (gave up; shown to the Pełnomocnik)."""

    status: str
    deliveries: list[Delivery] = field(default_factory=list)
    attempts: int = 0
    error: str = ""


def _finish(
    token: uuid.UUID, *, error: str | None, digest: bool, pks: list[int] | None = None
) -> None:
    """Mark the claimed rows (only ``pks`` among them, when given) sent, or failed."""
    now = timezone.now()
    mine = Delivery.objects.filter(claim_token=token, state=State.SENDING)
    if pks is not None:
        mine = mine.filter(pk__in=pks)
    if error is None:
        mine.update(state=State.SENT, sent_at=now, in_digest=digest, last_error="")
        return
    give_up = Q(attempts__gte=settings.REMINDER_MAX_ATTEMPTS)
    mine.filter(give_up).update(state=State.FAILED, last_error=error)
    mine.filter(~give_up).update(state=State.PENDING, last_error=error)


def _claimed(token: uuid.UUID) -> list[Delivery]:
    return list(
        Delivery.objects.filter(claim_token=token).select_related("recipient").order_by("pk")
    )


def _send(token: uuid.UUID, *, digest: bool) -> Outcome:
    """One e-mail with every row of the claim (one row, or a digest)."""
    return _deliver(token, _claimed(token), digest=digest)


def _deliver(
    token: uuid.UUID, deliveries: list[Delivery], *, digest: bool, alone: bool = False
) -> Outcome:
    """Send ``deliveries`` (claimed with ``token``, all to one person) as one e-mail and record
    the outcome. ``alone``: they are part of a larger claim, so only their rows are marked."""
    if not deliveries:
        return Outcome("skipped")
    pks = [d.pk for d in deliveries] if alone else None
    recipient = deliveries[0].recipient
    attempts = max(d.attempts for d in deliveries)
    if not recipient.email:
        # Nothing to retry until someone enters the address: straight to the failures list.
        error = _("The person has no e-mail address.")
        rows = Delivery.objects.filter(claim_token=token)
        (rows.filter(pk__in=pks) if pks else rows).update(state=State.FAILED, last_error=error)
        return Outcome("failed", deliveries, attempts, error)
    try:
        _message(recipient=recipient, deliveries=deliveries, digest=digest).send()
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:2000]
        logger.warning("reminders: sending %s failed: %s", [d.pk for d in deliveries], error)
        _finish(token, error=error, digest=digest, pks=pks)
        final = attempts >= settings.REMINDER_MAX_ATTEMPTS
        return Outcome("failed" if final else "retry", deliveries, attempts, error)
    _finish(token, error=None, digest=digest, pks=pks)
    return Outcome("sent", deliveries, attempts)


def wants_digest(user_id: int) -> bool:
    return _digest_people().filter(user_id=user_id).exists()


def delivery_send(*, delivery_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Send one row's e-mail if this caller wins the claim. A digest reader's rows are left
    for the digest. Safe to call any number of times for the same row."""
    row = Delivery.objects.filter(pk=delivery_id).values("recipient_id").first()
    if row is None or wants_digest(row["recipient_id"]):
        return Outcome("skipped")
    token = _claim(Delivery.objects.filter(pk=delivery_id), now=now or timezone.now())
    if token is None:
        return Outcome("skipped")
    return _send(token, digest=False)


def digest_send(*, recipient_id: int, now: datetime.datetime | None = None) -> Outcome:
    """Send one e-mail with every waiting row of a person (claimed together)."""
    token = _claim(Delivery.objects.filter(recipient_id=recipient_id), now=now or timezone.now())
    if token is None:
        return Outcome("skipped")
    return _send(token, digest=True)


SEND_CHUNK = 200
# Senders working at once in ``send_waiting_now``: while one waits for the database to commit
# a row's "sent", another renders the next e-mail.
SEND_THREADS = 2


def _send_chunk(pks: list[int], *, now: datetime.datetime) -> list[Outcome]:
    """Claim ``pks`` (those still waiting) and send each its own e-mail."""
    token = _claim(Delivery.objects.filter(pk__in=pks), now=now)
    if token is None:
        return []
    return [_deliver(token, [delivery], digest=False, alone=True) for delivery in _claimed(token)]


def _in_own_connection(pks: list[int], *, now: datetime.datetime) -> list[Outcome]:
    try:
        return _send_chunk(pks, now=now)
    finally:
        connections.close_all()  # this thread's connection, not the caller's


def send_waiting_now(
    *, now: datetime.datetime | None = None, threads: int = SEND_THREADS
) -> list[Outcome]:
    """Send every waiting row in this process, without the broker (``send_reminders``):
    separate e-mails, and one digest per digest reader.

    Separate e-mails are claimed ``SEND_CHUNK`` rows at a time (one ``UPDATE`` and one read per
    chunk instead of per row, for a morning with thousands of reminders); each row is still
    marked sent right after its own e-mail. A process killed halfway leaves the rest of its
    chunk claimed; the next sweep takes the stale claim over and sends them — later, but once.

    ``threads`` chunks are sent at once on PostgreSQL, each thread with its own database
    connection; the claim keeps them apart as it keeps the workers apart. Inside a transaction
    (whose rows other connections cannot see) and on SQLite (one writer at a time) the chunks
    are sent one by one.
    """
    outcomes = []
    now = now or timezone.now()
    digest_readers = set(_digest_people().values_list("user_id", flat=True))
    rows = list(waiting(now=now).order_by("pk").values_list("pk", "recipient_id"))
    singles = [pk for pk, recipient_id in rows if recipient_id not in digest_readers]
    chunks = [singles[start : start + SEND_CHUNK] for start in range(0, len(singles), SEND_CHUNK)]
    concurrent = connection.vendor == "postgresql" and not connection.in_atomic_block
    if threads > 1 and len(chunks) > 1 and concurrent:
        with ThreadPoolExecutor(threads, thread_name_prefix="reminders") as pool:
            for sent in pool.map(functools.partial(_in_own_connection, now=now), chunks):
                outcomes += sent
    else:
        for chunk in chunks:
            outcomes += _send_chunk(chunk, now=now)
    for recipient_id in sorted({r for _pk, r in rows} & digest_readers):
        outcomes.append(digest_send(recipient_id=recipient_id, now=now))
    return [o for o in outcomes if o.status != "skipped"]


def retry_delay(attempts: int) -> int:
    """Seconds before the next try: 1, 2, 4, 8… minutes (doubling, capped at an hour)."""
    return min(settings.REMINDER_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), 3600)


# --- the Pełnomocnik's failures list --------------------------------------------------------


def can_see_deliveries(user: User) -> bool:
    return bool(
        user
        and user.is_authenticated
        and user.is_active
        and (user.has_role(roles.PELNOMOCNIK) or user.is_superuser)
    )


def failed_deliveries(*, user: User) -> QuerySet[Delivery]:
    """Rows the senders gave up on (and those stuck with a stale claim), newest first."""
    if not can_see_deliveries(user):
        raise PermissionDenied
    stuck = Q(state=State.SENDING, claimed_at__lt=_stale_before(timezone.now()))
    return (
        Delivery.objects.filter(Q(state=State.FAILED) | stuck)
        .select_related("recipient")
        .order_by("-created_at", "-pk")
    )


def delivery_retry(*, delivery: Delivery, by: User) -> Delivery:
    """Give a failed row a fresh set of attempts and queue it after commit. Refused unless
    ``by`` may see the failures, or the row has not failed."""
    if not can_see_deliveries(by):
        raise PermissionDenied
    updated = Delivery.objects.filter(pk=delivery.pk, state=State.FAILED).update(
        state=State.PENDING, attempts=0, claim_token=None
    )
    if not updated:
        raise ValidationError(_("Only a failed reminder can be sent again."))
    logger.info("reminders: %s re-queued delivery %s", by, delivery.pk)
    send_delivery = _task("qms.tasks.send_delivery")

    if wants_digest(delivery.recipient_id):
        send_digest = _task("qms.tasks.send_digest")

        queue_after_commit(send_digest, delivery.recipient_id)
    else:
        queue_after_commit(send_delivery, delivery.pk)
    delivery.refresh_from_db()
    return delivery


# --- in-app notifications -------------------------------------------------------------------


def notifications_for(*, user: User, unread_only: bool = False) -> QuerySet[Notification]:
    rows = Notification.objects.filter(recipient=user)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-pk")


def notifications_mark_read(*, user: User, pks: Iterable[int] | None = None) -> int:
    """Mark ``user``'s notifications read (all unread ones when ``pks`` is None); another
    person's ids are ignored. Returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if pks is not None:
        rows = rows.filter(pk__in=list(pks))
    return rows.update(read_at=timezone.now())


def reminder_settings_for(user: User) -> ReminderSettings:
    return ReminderSettings.objects.filter(user=user).first() or ReminderSettings(user=user)


def reminder_settings_update(*, user: User, daily_digest: bool) -> ReminderSettings:
    """Save a person's choice. Switching the digest off queues what waits for it at once."""
    current = reminder_settings_for(user)
    was_digest = current.daily_digest
    current.daily_digest = daily_digest
    current.full_clean()
    current.save()
    if was_digest and not daily_digest:
        send_delivery = _task("qms.tasks.send_delivery")

        for pk in waiting().filter(recipient=user).values_list("pk", flat=True):
            queue_after_commit(send_delivery, pk)
    return current
