"""Run the reminder sweeps by hand: ``manage.py send_reminders [--dry-run] [--date YYYY-MM-DD]``.

Useful when the beat did not run (the sweeps look at windows, so a later date catches up) and
when Redis is down: without ``--queue`` the e-mails are sent from this process, through the
same claim as the workers, so nothing is sent twice whichever runs first.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from qms import reminders
from qms.models import Delivery, User, reminder_kind_label


def _person(user: User) -> str:
    return f"{user} <{user.email}>" if user.email else str(user)


class Command(BaseCommand):
    help = "Runs the reminder sweeps and sends (or, with --dry-run, lists) the reminders."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; change nothing."
        )
        parser.add_argument("--date", help="The day to sweep for (YYYY-MM-DD); today when omitted.")
        parser.add_argument(
            "--sweep",
            action="append",
            dest="sweeps",
            help="Run only this sweep (may be repeated); every sweep when omitted.",
        )
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Hand the e-mails to the Celery workers instead of sending them from here.",
        )

    def handle(self, *args, **options) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            self._run(**options)

    def _run(
        self, *, dry_run: bool, date: str | None, sweeps: list[str] | None, queue: bool, **options
    ) -> None:
        try:
            today = datetime.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as error:
            raise CommandError(_("The date must be given as YYYY-MM-DD.")) from error
        available = reminders.load_sweeps()
        names = sweeps or sorted(available)
        unknown = [n for n in names if n not in available]
        if unknown:
            raise CommandError(
                _("Unknown sweep: %(names)s. Known: %(known)s.")
                % {"names": ", ".join(unknown), "known": ", ".join(sorted(available))}
            )
        self.stdout.write(_("Reminders for %(date)s") % {"date": today.isoformat()})
        created = 0
        for name in names:
            result = reminders.sweep_run(name, today=today, dry_run=dry_run, queue=queue)
            created += len(result.planned if dry_run else result.created)
            for item in result.planned:
                record = item.record_label or str(item.record)
                self._line(_("Would send"), item.recipient, item.kind, record, item.occasion)
        if dry_run:
            for delivery in reminders.waiting().select_related("recipient").order_by("pk"):
                self._row(_("Waiting, would send"), delivery)
            self.stdout.write(
                _("Dry run: %(count)s new reminders; nothing was saved or sent.")
                % {"count": created}
            )
            return
        if queue:
            queued = len(reminders.queue_waiting()) + len(reminders.queue_digests())
            self.stdout.write(
                _("New reminders: %(created)s. Handed to the workers: %(queued)s.")
                % {"created": created, "queued": queued}
            )
            return
        sent = failed = 0
        for outcome in reminders.send_waiting_now():
            label = {
                "sent": _("Sent"),
                "retry": _("Not sent, will be tried again"),
                "failed": _("Not sent, gave up"),
            }[outcome.status]
            for delivery in outcome.deliveries:
                self._row(label, delivery, error=outcome.error)
            if outcome.status == "sent":
                sent += 1
            else:
                failed += 1
        self.stdout.write(
            _("New reminders: %(created)s. E-mails sent: %(sent)s. Not sent: %(failed)s.")
            % {"created": created, "sent": sent, "failed": failed}
        )

    def _line(
        self, label: str, recipient: User, kind: str, record: str, occasion: str, error: str = ""
    ) -> None:
        kind_label = reminder_kind_label(kind)
        text = f"{label}: {_person(recipient)} · {kind_label} · {record} · {occasion}"
        if error:
            text += f" — {error}"
        self.stdout.write(text)

    def _row(self, label: str, delivery: Delivery, error: str = "") -> None:
        self._line(
            label,
            delivery.recipient,
            delivery.kind,
            delivery.record_label,
            delivery.occasion,
            error,
        )
