"""Time the daily reminder run for ``--items`` extra due items (default 10,000): every sweep
collects and records what is due, then every e-mail is sent (to memory) the way
``manage.py send_reminders`` sends them, each row committed as sent right after its e-mail.
The extra items are corrective actions due in three days on open cards. It writes for real,
so ``bench.run`` points it at a throwaway copy of the benchmark database. Prints JSON.

Run by ``bench.run`` as ``python -m bench.sweep`` with the benchmark's settings.
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import sys
import time

import django


def measure(items: int) -> dict:
    from django.core import mail
    from django.utils import timezone

    from nonconformities.models import CorrectiveAction, Nonconformity
    from qms import reminders
    from qms.models import Delivery, User

    today = timezone.localdate()
    cards = list(
        Nonconformity.objects.filter(status__in=Nonconformity.OPEN_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    people = list(
        User.objects.filter(is_active=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not cards or not people:
        raise SystemExit("bench: no open cards or no people with e-mail to remind")
    deadline = today + datetime.timedelta(days=3)
    CorrectiveAction.objects.bulk_create(
        (
            CorrectiveAction(
                card_id=card,
                responsible_id=person,
                description=f"Działanie sprawdzające przypomnienia nr {n}",
                deadline=deadline,
            )
            for n, card, person in zip(
                range(items), itertools.cycle(cards), itertools.cycle(people), strict=False
            )
        ),
        batch_size=2000,
    )
    before = Delivery.objects.count()
    mail.outbox = []
    started = time.perf_counter()
    for name in sorted(reminders.load_sweeps()):
        reminders.sweep_run(name, today=today, queue=False)
    swept = time.perf_counter()
    outcomes = reminders.send_waiting_now()
    finished = time.perf_counter()
    result = {
        "due_items": Delivery.objects.count() - before,
        "emails": len(mail.outbox),
        "not_sent": sum(1 for o in outcomes if o.status != "sent"),
        "sweep_s": round(swept - started, 2),
        "send_s": round(finished - swept, 2),
        "total_s": round(finished - started, 2),
    }
    return result


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=10_000)
    arguments = parser.parse_args()
    django.setup()
    from django.db import connection

    from bench.run import SWEEP_COPY_SUFFIX

    # It writes for real: never on a database that is not the benchmark's throwaway copy.
    if not connection.settings_dict["NAME"].endswith(SWEEP_COPY_SUFFIX):
        raise SystemExit(f"bench.sweep runs only on a database named *{SWEEP_COPY_SUFFIX}")
    json.dump(measure(arguments.items), sys.stdout)
