"""The scale seeder's volumes, state and plumbing: bulk inserts with history rows, generated
timestamps, the seeded random numbers."""

from __future__ import annotations

import datetime
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from audits.models import Audit, Finding
from demo.people import PEOPLE
from nonconformities.models import CorrectiveAction, Nonconformity
from processes.models import Process
from qms.models import Delivery, OrganisationalUnit, User
from reviews.models import QualityPolicy

BATCH_SIZE = 2000
FINDINGS_PER_AUDIT = 10
DECISIONS_PER_REVIEW = 3
DEMO_ADMIN = "admin"
DESCRIPTION_CODENAME = "change_process_description"
CERTIFICATE = "Szkolenie „Auditor wewnętrzny systemu zarządzania jakością ISO 9001:2015”"

Day = datetime.date


@dataclass(frozen=True)
class Volumes:
    """How many records of each kind one run creates (per year where the name says so)."""

    units: int
    users: int
    processes: int
    audits_per_year: int
    cards_per_year: int
    objectives_per_year: int
    risks: int
    feedback_per_year: int
    proposals_per_year: int
    context_issues: int
    interested_parties: int

    @classmethod
    def for_factor(cls, factor: float) -> Volumes:
        def n(base: int) -> int:
            return max(1, round(base * factor))

        units = n(60)
        return cls(
            units=units,
            # Every demo account and one director per unit, whatever the factor.
            users=max(len(PEOPLE) + 1 + units, n(300)),
            processes=n(120),
            audits_per_year=n(40),
            cards_per_year=n(150),
            objectives_per_year=n(50),
            risks=n(200),
            feedback_per_year=n(500),
            proposals_per_year=n(20),
            context_issues=n(30),
            interested_parties=n(15),
        )


def ascii_name(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


def at(day: Day, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@contextmanager
def own_timestamps() -> Iterator[None]:
    """Switch off ``auto_now``/``auto_now_add`` so the generated times are stored as given."""
    switched: list[tuple[models.DateTimeField, bool, bool]] = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                switched.append((f, f.auto_now, f.auto_now_add))
                f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in switched:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def stamp(obj: Any, created: datetime.datetime, by: User | None, updated=None) -> Any:
    obj.created_at = created
    obj.updated_at = updated or created
    obj._history_date = created
    obj._history_user = by
    return obj


class RefusedError(Exception):
    """The database is not empty enough to seed."""


@dataclass
class Result:
    counts: Counter = field(default_factory=Counter)
    seconds: float = 0.0


class SeederBase:
    """The seeder's state and plumbing; the mixins of the other modules add the steps."""

    def __init__(
        self, *, years: int, factor: float, seed: int, end_year: int, today: Day, minutes: bool
    ):
        self.minutes = minutes
        # Seeded for repeatable test data; nothing here is a secret.
        self.rng = random.Random(seed)  # noqa: S311  # nosec B311
        self.volumes = Volumes.for_factor(factor)
        self.years = list(range(end_year - years + 1, end_year + 1))
        self.end_year = end_year
        self.today = today if today.year == end_year else Day(end_year, 12, 31)
        self.counts: Counter = Counter()
        self.people: dict[str, User] = {}
        self.users: list[User] = []
        self.members: dict[int, list[User]] = defaultdict(list)
        self.units: list[OrganisationalUnit] = []
        self.processes: list[Process] = []
        self.auditors: dict[int, list[User]] = {}
        self.card_link = reverse("nonconformities:detail", args=[987654321])
        self.audit_link = reverse("audits:detail", args=[987654321])
        self.deliveries: list[Delivery] = []
        self.audits_by_year: dict[int, list[Audit]] = {}
        self.nc_findings: dict[int, list[Finding]] = {}
        self.cards: list[Nonconformity] = []
        self.actions: list[CorrectiveAction] = []
        self.active: list[Process] = []
        self.policy_of_year: dict[int, QualityPolicy] = {}

    # --- plumbing ---------------------------------------------------------------------------

    def _insert(self, model: type[models.Model], objs: Sequence, *, history: bool = True):
        objs = list(objs)
        if not objs:
            return objs
        if history:
            objs = bulk_create_with_history(objs, model, batch_size=BATCH_SIZE)
            self.counts[f"{model._meta.label} (history)"] += len(objs)
        else:
            objs = model._default_manager.bulk_create(objs, batch_size=BATCH_SIZE)
        self.counts[model._meta.label] += len(objs)
        return objs

    def _through(self, relation: Any, rows: list[dict]) -> None:
        through = relation.through
        self._insert(through, [through(**row) for row in rows], history=False)

    def _clamp(self, moment: datetime.datetime) -> datetime.datetime:
        """Nothing has happened after today."""
        return min(moment, at(self.today, 8, 0))

    def _date(self, start: Day, end: Day) -> Day:
        span = max((end - start).days, 0)
        return start + days(self.rng.randint(0, span))

    def _is_past(self, year: int) -> bool:
        return year < self.end_year
