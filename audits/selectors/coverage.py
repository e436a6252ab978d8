"""Risk-based planning help (Księga Jakości §28; ISO 9001 9.2.2 a; ISO 19011 5.3): which active
processes were audited in the last five years, when each was last audited, and which ones stand
out for the next plan because they were not audited for long or have open nonconformities.

What counts as "audited": an audit of the process in progress or later (report submitted,
acknowledged, evaluated, closed). An audit that is only planned has not happened yet: the table
shows it as planned, but it neither counts as an audit nor resets the time since the last one.

Risk level is deliberately not an input: there is no risk register yet (Księga Jakości §11),
and a made-up risk score would look authoritative without being so. When the register exists,
its assessment joins the reasons a process stands out.

Every function here runs a fixed number of queries, whatever the number of processes and audits:
rows are aggregated in the database or fetched once and grouped in Python.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, Max, OuterRef
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from audits.models import Audit, AuditPlan, PlannedAudit
from processes.models import Process
from qms import registry

# The open nonconformity cards per process are another app's records: this app asks, and the
# app that keeps the cards answers. Each function registered for this hook is called as
# ``fn(year=year)`` and returns {process id: open cards raised up to ``year``}; the coverage
# table adds up the answers (none registered: no open cards).
OPEN_NONCONFORMITIES = "audits.open_nonconformities_by_process"

YEARS_SHOWN = 5
# ISO 9001 has no fixed cycle; the city hall's practice (and certification bodies' expectation)
# is that every process is audited at least once within three years.
STANDS_OUT_AFTER_YEARS = 3
AUDITED_STATUSES = (
    Audit.Status.IN_PROGRESS,
    Audit.Status.REPORT_SUBMITTED,
    Audit.Status.ACKNOWLEDGED,
    Audit.Status.EVALUATED,
    Audit.Status.CLOSED,
)


@dataclass
class YearCell:
    """One process in one year: the audits that happened and those only planned."""

    year: int
    audited: list[str] = field(default_factory=list)  # audit numbers, in progress or later
    planned: list[str] = field(default_factory=list)  # audit numbers still planned

    @property
    def state(self) -> str:
        if self.audited:
            return "audited"
        return "planned" if self.planned else "none"


@dataclass
class LastAudit:
    """When a process was last audited: the latest date recorded on such an audit, or only
    its year when the audit has no dates yet."""

    year: int
    date: datetime.date | None


@dataclass
class CoverageRow:
    process: Process
    cells: list[YearCell]
    last_audit: LastAudit | None
    open_nonconformities: int
    planned_year: int

    @property
    def years_since_audit(self) -> int | None:
        return None if self.last_audit is None else self.planned_year - self.last_audit.year

    @property
    def never_audited(self) -> bool:
        return self.last_audit is None

    @property
    def not_audited_long(self) -> bool:
        """Not audited for STANDS_OUT_AFTER_YEARS years or more by the year being planned;
        never audited counts."""
        since = self.years_since_audit
        return since is None or since >= STANDS_OUT_AFTER_YEARS

    @property
    def stands_out(self) -> bool:
        return self.not_audited_long or self.open_nonconformities > 0

    @property
    def reasons(self) -> list[str]:
        """Why the process stands out, in the active language (empty when it does not)."""
        reasons = []
        if self.never_audited:
            reasons.append(_("never audited"))
        elif self.not_audited_long:
            since = self.years_since_audit
            reasons.append(
                ngettext(
                    "not audited for %(count)d year",
                    "not audited for %(count)d years",
                    since,
                )
                % {"count": since}
            )
        if self.open_nonconformities:
            reasons.append(
                ngettext(
                    "%(count)d open nonconformity",
                    "%(count)d open nonconformities",
                    self.open_nonconformities,
                )
                % {"count": self.open_nonconformities}
            )
        return reasons


@dataclass
class Coverage:
    year: int
    years: list[int]
    rows: list[CoverageRow]

    @property
    def standing_out(self) -> list[CoverageRow]:
        return [row for row in self.rows if row.stands_out]


def shown_years(year: int) -> list[int]:
    """The five calendar years ending with ``year``, oldest first."""
    return list(range(year - YEARS_SHOWN + 1, year + 1))


def _active_processes() -> list[Process]:
    return list(
        Process.objects.filter(status=Process.Status.ACTIVE)
        .select_related("owner_unit", "owner")
        .order_by("sort_key", "code")
    )


def last_audits(*, year: int) -> dict[int, LastAudit]:
    """Process id → its last audit in progress or later, up to and including ``year``
    (one query; the whole history, not only the years shown)."""
    through = Audit.processes.through
    rows = (
        through.objects.filter(audit__status__in=AUDITED_STATUSES, audit__year__lte=year)
        .values("process_id")
        .annotate(
            last_year=Max("audit__year"),
            last_date=Max(Coalesce("audit__end_date", "audit__start_date")),
        )
    )
    result = {}
    for row in rows:
        last_date = row["last_date"]
        # The latest date may belong to an older audit when the latest one has no dates yet:
        # then only the year is known.
        if last_date is not None and last_date.year < row["last_year"]:
            last_date = None
        result[row["process_id"]] = LastAudit(year=row["last_year"], date=last_date)
    return result


def open_nonconformity_counts(*, year: int) -> dict[int, int]:
    """Process id → nonconformity cards still open (Księga Jakości §26) raised up to ``year``,
    for the coverage table: the sum of the answers to ``OPEN_NONCONFORMITIES`` (one query per
    answering app). An unresolved nonconformity from years ago is still a reason to audit;
    cards raised after the year being planned could not have informed that plan."""
    counts: dict[int, int] = defaultdict(int)
    for answer in registry.hooks(OPEN_NONCONFORMITIES):
        for process_id, count in answer(year=year).items():
            counts[process_id] += count
    return dict(counts)


def _year_cells(*, years: list[int]) -> dict[int, dict[int, YearCell]]:
    """Process id → year → cell, from every audit of the years shown (one query)."""
    through = Audit.processes.through
    rows = (
        through.objects.filter(audit__year__range=(years[0], years[-1]))
        .values_list("process_id", "audit__year", "audit__status", "audit__number")
        .order_by("audit__number")
    )
    cells: dict[int, dict[int, YearCell]] = defaultdict(dict)
    for process_id, audit_year, status, number in rows:
        cell = cells[process_id].setdefault(audit_year, YearCell(year=audit_year))
        (cell.audited if status in AUDITED_STATUSES else cell.planned).append(number)
    return cells


def coverage_table(*, year: int) -> Coverage:
    """The coverage of active processes (register order) in the five years ending with
    ``year``, the year being planned. Three queries and one per app answering
    ``OPEN_NONCONFORMITIES``, whatever the amount of data."""
    years = shown_years(year)
    processes = _active_processes()
    cells = _year_cells(years=years)
    last = last_audits(year=year)
    nonconformities = open_nonconformity_counts(year=year)
    rows = [
        CoverageRow(
            process=process,
            cells=[cells[process.pk].get(y, YearCell(year=y)) for y in years],
            last_audit=last.get(process.pk),
            open_nonconformities=nonconformities.get(process.pk, 0),
            planned_year=year,
        )
        for process in processes
    ]
    return Coverage(year=year, years=years, rows=rows)


def covered_process_ids(plan: AuditPlan) -> set[int]:
    """Ids of the processes in the entries of ``plan`` that were not removed (one query)."""
    return set(
        PlannedAudit.processes.through.objects.filter(
            plannedaudit__plan=plan, plannedaudit__withdrawn=False
        ).values_list("process_id", flat=True)
    )


# The plan page names the first few processes it leaves unaudited; a large city hall's draft
# can leave a hundred, and the coverage table (linked from the warning) lists them all.
UNCOVERED_SHOWN = 10


def uncovered_processes(
    plan: AuditPlan, *, shown: int = UNCOVERED_SHOWN
) -> tuple[list[Process], int]:
    """Active processes not audited for three years or more by ``plan.year`` (never audited
    included) that no entry of ``plan`` covers: the first ``shown`` in register order, and how
    many there are. One query, or two when there are more than ``shown``.

    This is the minimum the plan must cover, so the plan page warns about it; processes that
    stand out only for open nonconformities are a priority, not a gap, and are left out here
    (the prefill adds them too)."""
    # "Not audited for three years or more" is "no audit in progress or later in the three
    # years up to plan.year", which PostgreSQL answers per process from the indexes instead of
    # aggregating the whole audit history.
    covered = PlannedAudit.processes.through.objects.filter(
        process=OuterRef("pk"), plannedaudit__plan=plan, plannedaudit__withdrawn=False
    )
    audited_lately = Audit.processes.through.objects.filter(
        process=OuterRef("pk"),
        audit__status__in=AUDITED_STATUSES,
        audit__year__gt=plan.year - STANDS_OUT_AFTER_YEARS,
        audit__year__lte=plan.year,
    )
    uncovered = (
        Process.objects.filter(status=Process.Status.ACTIVE)
        .exclude(Exists(covered))
        .exclude(Exists(audited_lately))
        .order_by("sort_key", "code")
    )
    first = list(uncovered[: shown + 1])
    if len(first) <= shown:
        return first, len(first)
    return first[:shown], uncovered.count()


def processes_to_prefill(plan: AuditPlan, coverage: Coverage | None = None) -> list[Process]:
    """The processes that stand out for ``plan.year`` and that ``plan`` does not cover yet,
    in register order (four or five queries)."""
    coverage = coverage or coverage_table(year=plan.year)
    covered = covered_process_ids(plan)
    return [row.process for row in coverage.standing_out if row.process.pk not in covered]
