"""Load a Lublin-like demo organisation: units, people with every role, and the process register.

Idempotent: running it again changes nothing that exists. Refuses to run with DEBUG off, so it
can never put demo accounts with a published password into production.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo.audits import seed_audits
from demo.nonconformities import seed_nonconformities
from demo.people import seed_people
from demo.processes import seed_processes
from demo.reviews_objectives import seed_objectives
from demo.reviews_registers import seed_registers
from demo.reviews_review import seed_review


class Command(BaseCommand):
    help = "Load the demo organisation, people and process register (DEBUG only; idempotent)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo odmawia działania przy DEBUG=False: konta demonstracyjne mają "
                "jawne hasło i nie mogą trafić na serwer produkcyjny."
            )
        with transaction.atomic():
            created = self._seed()
        self.stdout.write(
            self.style.SUCCESS(f"Dane demonstracyjne gotowe (nowych rekordów: {created}).")
        )

    def _seed(self) -> int:
        units, people, created = seed_people()
        created += seed_processes(units, people)
        created += seed_audits(people)
        created += seed_nonconformities(people)
        created += seed_registers(people)
        created += seed_objectives(people)
        created += seed_review(people)
        return created
