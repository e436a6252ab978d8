"""Build a large, realistic ten-year data set for load tests (see ``demo.scale``)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from demo.scale import seed_scale
from demo.scale.base import RefusedError


class Command(BaseCommand):
    help = "Fill an empty database with a large, deterministic history of the QMS (load tests)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, default=10, help="How many years of history.")
        parser.add_argument(
            "--factor", type=float, default=1.0, help="Multiplies every volume (e.g. 0.05, 10)."
        )
        parser.add_argument("--seed", type=int, default=2026, help="Seed of the generator.")
        parser.add_argument(
            "--end-year", type=int, default=None, help="The last year (default: this year)."
        )
        parser.add_argument(
            "--no-minutes",
            action="store_true",
            help="Do not render the approved reviews' minutes (PDF), which takes seconds each.",
        )

    def handle(self, *args, years: int, factor: float, seed: int, end_year: int | None,
               no_minutes: bool, **options) -> None:  # fmt: skip
        # It creates a superuser with the published demo password: never on a real system.
        if not (settings.DEBUG or getattr(settings, "SEED_SCALE_ALLOWED", False)):
            raise CommandError(
                _(
                    "seed_scale creates accounts with a published password: it runs only with "
                    "DEBUG on or under the test and benchmark settings."
                )
            )
        if years < 1 or factor <= 0:
            raise CommandError(_("--years and --factor must be positive."))
        if end_year is not None and end_year > timezone.localdate().year:
            raise CommandError(_("--end-year cannot be in the future."))
        try:
            result = seed_scale(
                years=years, factor=factor, seed=seed, end_year=end_year, minutes=not no_minutes
            )
        except RefusedError as refusal:
            if str(refusal) == "processes":
                raise CommandError(
                    _("The database already holds processes; seed_scale fills only an empty one.")
                ) from refusal
            raise CommandError(
                _("The demo accounts already exist; seed_scale fills only an empty database.")
            ) from refusal
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"{label}: {count}")
        total = sum(result.counts.values())
        self.stdout.write(
            self.style.SUCCESS(
                _("%(rows)s rows written in %(seconds).1f s.")
                % {"rows": total, "seconds": result.seconds}
            )
        )
