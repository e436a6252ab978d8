"""Reads of the quality objectives (Księga Jakości §12 and załącznik 2) and their measurements.

An objective's status is derived from its measurements every time it is shown, never stored or
typed: a stored status would go stale the day a deadline passes or a value is corrected.

Who reads what: top management and the Pełnomocnik read every objective (they analyse them in
the management review), so do the register keepers (Pełnomocnik, Koordynator WOU) who maintain
them; an objective's owner reads their own objectives. Everybody else reads none.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    Field,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    prefetch_related_objects,
)
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from qms.history import HIDDEN_IN_HISTORY, history_rows
from qms.models import User
from qms.roles import signed_in
from reviews.models import Measurement, QualityObjective
from reviews.selectors import is_prezydent, keeps_registers, reads_everything

Frequency = QualityObjective.Frequency


class ObjectiveStatus(models.TextChoices):
    """The derived achievement status of an objective (see ``objective_status``)."""

    NO_DATA = "no_data", pgettext_lazy("objective status", "no measurements yet")
    ACHIEVED = "achieved", pgettext_lazy("objective status", "achieved")
    AT_RISK = "at_risk", pgettext_lazy("objective status", "at risk")
    NOT_ACHIEVED = "not_achieved", pgettext_lazy("objective status", "not achieved")


STATUS_LABELS: dict[str, str] = dict(ObjectiveStatus.choices)

# What a review reads first: missed, then at risk, then unmeasured, then achieved.
STATUS_RANK: dict[str, int] = {
    ObjectiveStatus.NOT_ACHIEVED: 0,
    ObjectiveStatus.AT_RISK: 1,
    ObjectiveStatus.NO_DATA: 2,
    ObjectiveStatus.ACHIEVED: 3,
}


class Trend(models.TextChoices):
    """How the latest value compares with the one before it, read in the objective's direction."""

    IMPROVING = "improving", pgettext_lazy("objective trend", "improving")
    WORSENING = "worsening", pgettext_lazy("objective trend", "worsening")
    UNCHANGED = "unchanged", pgettext_lazy("objective trend", "unchanged")


TREND_LABELS: dict[str, str] = dict(Trend.choices)

# Months in one period of each frequency; periods are calendar months, quarters, halves, years.
PERIOD_MONTHS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


# --- periods ----------------------------------------------------------------------------------


def period_for(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar period of ``frequency`` that contains ``day``, as (first day, last day)."""
    months = PERIOD_MONTHS[frequency]
    first_month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, first_month, 1)
    return start, _add_months(start, months) - datetime.timedelta(days=1)


def previous_period(frequency: str, day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The period of ``frequency`` just before the one that contains ``day``."""
    start, _end = period_for(frequency, day)
    return period_for(frequency, start - datetime.timedelta(days=1))


def is_period_start(frequency: str, day: datetime.date) -> bool:
    return period_for(frequency, day)[0] == day


def periods_of_year(frequency: str, year: int) -> list[tuple[datetime.date, datetime.date]]:
    """Every period of ``frequency`` in the calendar ``year``, in order."""
    months = PERIOD_MONTHS[frequency]
    return [period_for(frequency, datetime.date(year, month, 1)) for month in range(1, 13, months)]


def period_label(frequency: str, start: datetime.date) -> str:
    """A period as people name it: "listopad 2026", "III kw. 2026", "II półr. 2026", "2026"."""
    year = start.year
    if frequency == Frequency.MONTHLY:
        return formats.date_format(start, "YEAR_MONTH_FORMAT")
    if frequency == Frequency.QUARTERLY:
        quarter = (start.month - 1) // 3 + 1
        # One message per quarter, so each language writes quarters its own way (Roman in Polish).
        labels = {
            1: _("Q1 %(year)s"),
            2: _("Q2 %(year)s"),
            3: _("Q3 %(year)s"),
            4: _("Q4 %(year)s"),
        }
        return labels[quarter] % {"year": year}
    if frequency == Frequency.HALF_YEARLY:
        label = _("H1 %(year)s") if start.month <= 6 else _("H2 %(year)s")
        return label % {"year": year}
    return str(year)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


# --- status -----------------------------------------------------------------------------------


def _latest(measurements: Iterable[Measurement]) -> Measurement | None:
    return max(measurements, key=lambda m: m.period_start, default=None)


def objective_status(
    objective: QualityObjective,
    measurements: Iterable[Measurement],
    *,
    today: datetime.date | None = None,
) -> str:
    """The objective's status from its latest measurement (by period), compared with the target
    in the objective's direction: ``achieved`` when it meets the target; when it misses,
    ``at_risk`` until the deadline and ``not_achieved`` after it; ``no_data`` without any
    measurement. Reads nothing from the database: pass the measurements you already have."""
    latest = _latest(measurements)
    if latest is None:
        return ObjectiveStatus.NO_DATA.value
    if objective.meets(latest.value):
        return ObjectiveStatus.ACHIEVED.value
    if today is None:
        today = timezone.localdate()
    if today > objective.deadline:
        return ObjectiveStatus.NOT_ACHIEVED.value
    return ObjectiveStatus.AT_RISK.value


def annotate_status(
    objectives: QuerySet[QualityObjective], today: datetime.date
) -> QuerySet[QualityObjective]:
    """``objective_status`` in SQL, as ``status_code``: for counting and ordering many
    objectives without reading their measurements. ``objective_status`` stays the rule; a test
    keeps the two in step."""
    latest = Subquery(
        Measurement.objects.filter(objective=OuterRef("pk"))
        .order_by("-period_start")
        .values("value")[:1]
    )
    D = QualityObjective.Direction
    meets = Q(direction=D.AT_LEAST, latest_value__gte=F("target")) | Q(
        direction=D.AT_MOST, latest_value__lte=F("target")
    )
    rules = [
        (Q(latest_value__isnull=True), ObjectiveStatus.NO_DATA),
        (meets, ObjectiveStatus.ACHIEVED),
        (Q(deadline__lt=today), ObjectiveStatus.NOT_ACHIEVED),
    ]
    otherwise = ObjectiveStatus.AT_RISK

    def by_rule(result: dict, field: Field) -> Case:
        return Case(
            *(When(condition, then=Value(result[status])) for condition, status in rules),
            default=Value(result[otherwise]),
            output_field=field,
        )

    # The rank is written from the rules, not from status_code: a CASE on status_code would
    # repeat the whole status expression (and its measurement subqueries) once per rank.
    return objectives.annotate(latest_value=latest).annotate(
        status_code=by_rule({status: status.value for status in ObjectiveStatus}, CharField()),
        status_rank=by_rule(STATUS_RANK, IntegerField()),
    )


def status_label(status: str) -> str:
    return str(STATUS_LABELS[status])


def objective_trend(objective: QualityObjective, measurements: Sequence[Measurement]) -> str | None:
    """``improving``/``worsening``/``unchanged`` from the last two measurements, read in the
    objective's direction (a falling waiting time is an improvement); ``None`` with fewer than
    two measurements."""
    ordered = sorted(measurements, key=lambda m: m.period_start)
    if len(ordered) < 2:
        return None
    before, last = ordered[-2].value, ordered[-1].value
    if last == before:
        return Trend.UNCHANGED.value
    rising = last > before
    better = rising if objective.direction == QualityObjective.Direction.AT_LEAST else not rising
    return (Trend.IMPROVING if better else Trend.WORSENING).value


def format_value(value: Decimal | None) -> str:
    """A measured or target value in the active language without trailing zeros ("4,2",
    "98", "12,25")."""
    if value is None:
        return "—"
    value = Decimal(value)
    places = max(0, -value.normalize().as_tuple().exponent) if value != value.to_integral() else 0
    return formats.number_format(value, decimal_pos=min(places, 2))


def value_with_unit(value: Decimal | None, unit: str) -> str:
    """The value and its unit as people write them: "98 %", "12,5 min", "4,2" (Polish
    typography puts a space before the unit, "%" too)."""
    text = format_value(value)
    return f"{text} {unit}".strip() if value is not None else text


def target_display(objective: QualityObjective) -> str:
    """The target as a phrase: "at least 98 %" / "co najmniej 98 %"."""
    value = value_with_unit(objective.target, objective.indicator_unit)
    return f"{objective.get_direction_display()} {value}"


def _measurement_prefetch() -> Prefetch:
    return Prefetch(
        "measurements",
        queryset=Measurement.objects.select_related("entered_by").order_by("period_start"),
        to_attr="measurement_list",
    )


def objectives_with_status(
    objectives: QuerySet[QualityObjective] | Iterable[QualityObjective],
    today: datetime.date,
) -> list[QualityObjective]:
    """The objectives (a queryset or an already fetched page) as a list, each with
    ``measurement_list`` (by period), ``latest_measurement``, ``status``, ``status_label``,
    ``trend``, ``trend_label``, ``target_text`` and ``latest_text`` set, and each measurement
    with ``label`` (its period), ``value_text`` and ``meets_target``. Measurements are read in
    one prefetch query whatever the number of objectives; owner and unit come from the
    caller's ``select_related``."""
    items = list(objectives)
    prefetch_related_objects(items, _measurement_prefetch())
    for objective in items:
        _annotate(objective, objective.measurement_list, today)
    return items


def _annotate(
    objective: QualityObjective, measurements: list[Measurement], today: datetime.date
) -> None:
    objective.measurement_list = measurements
    objective.latest_measurement = _latest(measurements)
    objective.status = objective_status(objective, measurements, today=today)
    objective.status_label = status_label(objective.status)
    objective.trend = objective_trend(objective, measurements)
    objective.trend_label = str(TREND_LABELS[objective.trend]) if objective.trend else ""
    objective.target_text = target_display(objective)
    for measurement in measurements:
        measurement.meets_target = objective.meets(measurement.value)
        measurement.label = period_label(objective.frequency, measurement.period_start)
        measurement.value_text = value_with_unit(measurement.value, objective.indicator_unit)
    latest = objective.latest_measurement
    objective.latest_text = latest.value_text if latest else ""


# --- who may do what --------------------------------------------------------------------------


def can_read_all_objectives(user: User) -> bool:
    """Top management, the Pełnomocnik and the Koordynator WOU read every objective."""
    return reads_everything(user) or keeps_registers(user)


def can_set_objectives(user: User) -> bool:
    """Objectives are set by top management (§12): the Prezydent, and the register keepers who
    maintain them on top management's behalf."""
    return keeps_registers(user) or is_prezydent(user)


def can_enter_measurements(user: User, objective: QualityObjective) -> bool:
    """The objective's owner enters its measurements; a register keeper may enter any."""
    return signed_in(user) and (keeps_registers(user) or objective.owner_id == user.pk)


def can_read_objectives(user: User) -> bool:
    """May open the objectives list at all: reads everything, or owns at least one objective."""
    if can_read_all_objectives(user):
        return True
    return signed_in(user) and QualityObjective.objects.filter(owner=user).exists()


def objectives_visible(user: User) -> QuerySet[QualityObjective]:
    """The objectives ``user`` may read, with owner and unit joined in."""
    queryset = QualityObjective.objects.select_related("owner", "unit")
    if can_read_all_objectives(user):
        return queryset
    if not signed_in(user):
        return queryset.none()
    return queryset.filter(owner=user)


def objective_get(*, user: User, pk: int) -> QualityObjective:
    """One objective for its page (pass it through ``objectives_with_status`` for its
    measurements and status); 404 when it does not exist, ``PermissionDenied`` when ``user``
    may not read it."""
    objective = get_object_or_404(
        QualityObjective.objects.select_related("owner", "unit", "policy"), pk=pk
    )
    if not (can_read_all_objectives(user) or objective.owner_id == user.pk):
        raise PermissionDenied
    return objective


def objective_get_for_edit(*, user: User, pk: int) -> QualityObjective:
    if not can_set_objectives(user):
        raise PermissionDenied
    return get_object_or_404(QualityObjective.objects.select_related("owner", "unit"), pk=pk)


def objective_get_for_measurement(*, user: User, pk: int) -> QualityObjective:
    objective = get_object_or_404(QualityObjective.objects.select_related("owner", "unit"), pk=pk)
    if not can_enter_measurements(user, objective):
        raise PermissionDenied
    return objective


def measurement_get_for_edit(*, user: User, pk: int) -> Measurement:
    measurement = get_object_or_404(
        Measurement.objects.select_related("objective", "objective__owner", "objective__unit"),
        pk=pk,
    )
    if not can_enter_measurements(user, measurement.objective):
        raise PermissionDenied
    return measurement


def objective_years(user: User) -> list[int]:
    """The years that have objectives ``user`` may read, newest first."""
    return list(
        objectives_visible(user).order_by("-year").values_list("year", flat=True).distinct()
    )


# --- what is due ------------------------------------------------------------------------------


def due_period(
    objective: QualityObjective, today: datetime.date
) -> tuple[datetime.date, datetime.date] | None:
    """The period a measurement is now expected for: the one before the period containing
    ``today``, if it lies within the objective's year (a 2026 objective is not asked for
    December 2025, and is still asked for its last period in January 2027). Whether it is
    already measured is the caller's question."""
    start, end = previous_period(objective.frequency, today)
    return (start, end) if start.year == objective.year else None


def measurements_due(
    *, user: User | None = None, today: datetime.date
) -> list[tuple[QualityObjective, datetime.date, datetime.date]]:
    """Active objectives (of ``user`` as owner; of everybody when ``user`` is None) whose last
    finished period (``due_period``) has no measurement, as ``(objective, period_start,
    period_end)`` sorted by period end and title. One query, whatever the number of
    objectives: the due period depends only on the frequency, so each frequency is one
    condition (its period lies in the objective's year and holds no measurement)."""
    due = Q(pk__in=[])
    for frequency in QualityObjective.Frequency.values:
        start, _end = previous_period(frequency, today)
        measured = Measurement.objects.filter(objective=OuterRef("pk"), period_start=start)
        due |= Q(frequency=frequency, year=start.year) & ~Exists(measured)
    objectives = QualityObjective.objects.filter(due, is_active=True).select_related(
        "owner", "unit"
    )
    if user is not None:
        objectives = objectives.filter(owner=user)
    rows = [(objective, *due_period(objective, today)) for objective in objectives]
    return sorted(rows, key=lambda row: (row[2], row[0].title, row[0].pk))


def begun_periods(
    objective: QualityObjective, today: datetime.date
) -> list[tuple[datetime.date, datetime.date]]:
    """The periods of the objective's year that have begun by ``today``: what a measurement
    may be entered for."""
    return [
        (start, end)
        for start, end in periods_of_year(objective.frequency, objective.year)
        if start <= today
    ]


# --- history ----------------------------------------------------------------------------------


def objective_history(*, objective: QualityObjective, limit: int = 100) -> list[dict]:
    """The newest ``limit`` changes of the objective and of its measurements, as rows of who,
    when, what kind of change, the reason and the fields changed; a measurement's rows also
    name its period (``subject``) and the value it was given.

    Two queries (the objective's history, its measurements' history) whatever the number of
    edits; diffs are computed in Python.
    """
    rows = [{**row, "subject": "", "value": ""} for row in history_rows(objective, limit=limit)]
    # The measurements' history is read in one query for all of them, not per measurement.
    measurement_records = list(
        Measurement.history.filter(objective_id=objective.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[: limit + 1]
    )
    by_id: dict[int, list] = {}
    for record in measurement_records:
        by_id.setdefault(record.id, []).append(record)
    for versions in by_id.values():
        for newer, older in zip(versions, versions[1:] + [None], strict=False):
            subject = _("Measurement for %(period)s") % {
                "period": period_label(objective.frequency, newer.period_start)
            }
            rows.append(_measurement_history_row(newer, older, subject=subject))
    rows.sort(key=lambda row: row["date"], reverse=True)
    return rows[:limit]


def _measurement_history_row(newer, older, *, subject: str) -> dict:
    changes = []
    if older is not None:
        delta = newer.diff_against(older, excluded_fields=list(HIDDEN_IN_HISTORY))
        changes = [str(Measurement._meta.get_field(c.field).verbose_name) for c in delta.changes]
    return {
        "date": newer.history_date,
        "user": newer.history_user,
        "type": newer.get_history_type_display(),
        "subject": subject,
        "value": format_value(newer.value) if newer.value is not None else "",
        "reason": newer.history_change_reason,
        "changes": changes,
    }


def withdrawal_reasons(objectives: Iterable[QualityObjective]) -> dict[int, str]:
    """The reason given when each withdrawn objective was withdrawn (kept in its history), by
    objective id; one query for all of them."""
    ids = [objective.pk for objective in objectives if not objective.is_active]
    if not ids:
        return {}
    reasons: dict[int, str] = {}
    records = (
        QualityObjective.history.filter(id__in=ids, is_active=False)
        .exclude(history_change_reason__isnull=True)
        .exclude(history_change_reason="")
        .order_by("-history_date", "-history_id")
        .values_list("id", "history_change_reason")
    )
    for pk, reason in records:
        reasons.setdefault(pk, reason)
    return reasons
