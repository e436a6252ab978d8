"""A large, realistic, deterministic history of the SZJ for load tests (``seed_scale``).

Volumes at factor 1 (``Volumes.for_factor``), each multiplied by the factor and rounded with
``max(1, round(x))``:

- 60 organisational units (the Lublin-like units of ``seed_demo`` first, then generated ones),
  each with a director; 300 users in all, the demo accounts of ``seed_demo`` among them;
- 120 processes (about 15 % PZ, 30 % PW, the rest PG), owned by their unit's director, with
  one governing document each, relations between them and the owner's object permission;
- per year: the auditor appointment (about 10 % of the staff) and the approved audit plan
  (some years amended by a second revision), 40 audits with 10 findings each (audits not yet
  started have none), 150 nonconformity cards with 2–3 corrective actions each (cards still
  at reporting or root-cause analysis have none), 50 quality objectives measured monthly,
  500 feedback records, 20 improvement proposals and one management review with 3 decisions
  once approved;
- 200 risks and opportunities over the whole period, each assessed once a year; 30 context
  issues and 15 interested parties; a Quality Policy version every four years;
- the reminder deliveries and in-app notifications that history implies: "due in 7 days",
  "due today" and weekly "overdue" (escalated after 14 days) for corrective actions,
  "verification due" for cards, "audit in 7 days" for audits; all sent, most notifications read.

Findings per audit, actions per card, reviews per year and decisions per review do not scale.

Years ``end_year - years + 1 … end_year``. Records of past years are finished (audits closed,
cards closed or cancelled, actions done, reviews approved, proposals implemented or rejected,
feedback answered). The last year is cut at "today" (``timezone.localdate()`` when it is the
current year, else 31 December) and has open work: a draft plan revision, audits planned, in
progress and waiting for acknowledgement, cards in every open state, actions in progress with
deadlines in the coming weeks and some overdue, a missing measurement here and there, pending
complaints and the year's review being prepared.

How it stays fast: every value is computed in Python from one ``random.Random(seed)`` and
written with ``bulk_create`` in batches (no per-row queries, no ``save()``). ``auto_now`` and
``auto_now_add`` are switched off while seeding so that creation times are part of the
generated content (and the same for the same seed). One password hash serves every account.

History (django-simple-history): bulk inserts write no history, so one "+" row per record is
written in bulk, dated when the record was created and naming who created it, for the records
people open and audit: units, processes, documents, auditor lists, plans and their entries,
audits, findings, cards, actions, the Quality Policy, context issues, interested parties,
proposals, objectives, risks, reviews and decisions. Users, auditor candidates, measurements,
risk assessments, feedback, deliveries and notifications get no history rows (the bulk of the
rows; nobody reads their history in bulk), which keeps a factor-10 run within minutes.

The approved reviews' minutes are rendered and frozen at the end, as ``review_approve`` does
(a PDF file in MEDIA_ROOT per approved review, ``years - 1`` of them, about two seconds
each; ``minutes=False`` / ``--no-minutes`` skips them, as the fast tests do). Not
generated: checklists, deadline extensions and evidence files.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.utils import timezone

from demo.people import PEOPLE
from demo.scale.audits import AuditSeeder
from demo.scale.base import DEMO_ADMIN, RefusedError, Result, own_timestamps
from demo.scale.nonconformities import CardSeeder
from demo.scale.people import PeopleSeeder
from demo.scale.processes import ProcessSeeder
from demo.scale.reminders import ReminderSeeder
from demo.scale.reviews import ReviewSeeder
from processes.models import Process
from qms.models import User


class ScaleSeeder(
    PeopleSeeder, ProcessSeeder, AuditSeeder, CardSeeder, ReviewSeeder, ReminderSeeder
):
    """Builds the data set; ``run()`` writes it in one transaction."""

    def run(self) -> Result:
        started = time.monotonic()
        with transaction.atomic(), own_timestamps():
            if Process.objects.exists():
                raise RefusedError("processes")
            usernames = [p[0] for p in PEOPLE] + [DEMO_ADMIN]
            if User.objects.filter(username__in=usernames).exists():
                raise RefusedError("users")
            self.seed_units_and_people()
            self.seed_processes()
            self.seed_policies_and_registers()
            for year in self.years:
                self.seed_audit_year(year)
            for year in self.years:
                self.seed_cards_year(year)
                self.seed_objectives_year(year)
                self.seed_proposals_year(year)
                self.seed_review_year(year)
            self.seed_risks()
            self.seed_deliveries()
            if self.minutes:
                self.seed_minutes()
        return Result(counts=self.counts, seconds=time.monotonic() - started)


def seed_scale(
    *,
    years: int = 10,
    factor: float = 1.0,
    seed: int = 2026,
    end_year: int | None = None,
    minutes: bool = True,
) -> Result:
    """Build the data set into an empty register; raises ``RefusedError`` (and writes nothing)
    when processes or the demo accounts already exist."""
    today = timezone.localdate()
    seeder = ScaleSeeder(
        years=years,
        factor=factor,
        seed=seed,
        end_year=end_year or today.year,
        today=today,
        minutes=minutes,
    )
    return seeder.run()
