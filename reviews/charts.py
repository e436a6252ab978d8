"""The trend chart of an objective's indicator: geometry computed here, drawn as inline SVG by
``reviews/objectives/trend_chart.html``. No JavaScript and no stylesheet, so the same include
renders in the browser and in WeasyPrint PDFs (the management-review minutes), and the same
numbers are always given as a table next to the picture (WCAG 1.1.1, 1.4.1)."""

import datetime
import math
from collections.abc import Iterable
from decimal import Decimal

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from reviews.models import Measurement, QualityObjective
from reviews.selectors.objectives import (
    format_value,
    objective_status,
    period_for,
    period_label,
    periods_of_year,
    status_label,
    target_display,
    value_with_unit,
)

# A value printed at its point needs about this much room across (in a printed chart, where
# no tooltip shows it); with narrower slots (weekly data) the values go into a table.
VALUE_LABEL_MIN_SLOT = 36

# Room for the value axis labels on the left, the period labels and the legend below.
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 60, 16, 18, 58
TARGET_TICKS = 4


def _nice_step(span: float) -> Decimal:
    """A step of 1, 2, 2.5 or 5 times a power of ten near ``span`` / TARGET_TICKS."""
    raw = span / TARGET_TICKS
    exponent = math.floor(math.log10(raw))
    fraction = raw / 10**exponent
    for nice in (1, 2, 2.5, 5, 10):
        if fraction <= nice:
            break
    return Decimal(str(nice)) * Decimal(10) ** exponent


def _value_axis(values: list[Decimal]) -> tuple[Decimal, Decimal, list[Decimal]]:
    low, high = min(values), max(values)
    if low == high:
        # One distinct value (often value == target): give it room above and below.
        pad = abs(low) / 10 or Decimal(1)
        low, high = low - pad, high + pad
    step = _nice_step(float(high - low))
    first = (low / step).to_integral_value(rounding="ROUND_FLOOR") * step
    last = (high / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks = []
    tick = first
    while tick <= last:
        ticks.append(tick)
        tick += step
    return first, last, ticks


def _short_label(frequency: str, start, several_years: bool) -> str:
    if frequency == QualityObjective.Frequency.MONTHLY:
        # Abbreviated month ("lis"); the year only when the chart spans more than one.
        return formats.date_format(start, "b Y" if several_years else "b")
    return period_label(frequency, start)


def _legend(left: int, y: int, target_label: str) -> list[dict]:
    """Marker kinds explained in words under the plot; filled and hollow markers differ in
    shape, not only in colour (WCAG 1.4.1). The target's value is named here rather than on
    its line, where the label would cover the points near it."""
    items = [
        ("meets", _("meets the target")),
        ("misses", _("misses the target")),
        ("target", target_label),
    ]
    rows = []
    for i, (kind, label) in enumerate(items):
        x = left + 170 * i
        rows.append(
            {
                "kind": kind,
                "label": label,
                "x": x,
                "x1": x - 6,
                "x2": x + 8,
                "marker_y": y - 4,
                "text_x": x + 14,
                "y": y,
            }
        )
    return rows


def trend_svg(
    objective: QualityObjective,
    measurements: Iterable[Measurement],
    *,
    width: int = 640,
    height: int = 260,
    today: datetime.date | None = None,
) -> dict:
    """What ``reviews/objectives/trend_chart.html`` needs to draw the objective's trend: one
    slot per period of the objective's year (a missing measurement leaves a gap in the line),
    a point per measurement (filled when it meets the target, hollow when it misses), the
    target as a dashed line, axis ticks, the accessible title and description, and the rows
    of the table that repeats the data (or, in the minutes, each value at its point when the
    slots leave room: ``value_labels``). The status in the description is the objective's
    ``status`` attribute when ``objectives_with_status`` set it, else derived as of ``today``
    (default: the current date). Reads nothing from the database."""
    measurements = sorted(measurements, key=lambda m: m.period_start)
    frequency = objective.frequency
    starts = {start for start, _end in periods_of_year(frequency, objective.year)}
    starts |= {period_for(frequency, m.period_start)[0] for m in measurements}
    slots = sorted(starts)
    several_years = len({start.year for start in slots}) > 1
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, height - MARGIN_BOTTOM
    slot_width = (right - left) / len(slots)

    def x_of(index: int) -> float:
        return round(left + (index + 0.5) * slot_width, 1)

    low, high, ticks = _value_axis([m.value for m in measurements] + [objective.target])

    def y_of(value: Decimal) -> float:
        return round(bottom - float((value - low) / (high - low)) * (bottom - top), 1)

    index = {start: i for i, start in enumerate(slots)}
    unit = objective.indicator_unit
    points = []
    for m in measurements:
        meets = objective.meets(m.value)
        label = period_label(frequency, m.period_start)
        points.append(
            {
                "x": x_of(index[period_for(frequency, m.period_start)[0]]),
                "y": y_of(m.value),
                "slot": index[period_for(frequency, m.period_start)[0]],
                "label": label,
                "value": value_with_unit(m.value, unit),
                "short_value": format_value(m.value),
                "meets": meets,
                "meets_label": _("meets the target") if meets else _("misses the target"),
            }
        )
    for i, point in enumerate(points):
        # Above the point, where the line leaves a point that is not a valley; below a valley
        # (lower than its neighbours) or where above would leave the plot.
        neighbours = [p["y"] for p in points[max(0, i - 1) : i + 2] if p is not point]
        valley = bool(neighbours) and all(point["y"] > y for y in neighbours)
        above, below = point["y"] - 8, round(point["y"] + 16, 1)
        fits_below = below <= bottom - 2
        point["value_y"] = below if (valley and fits_below) or above < top + 10 else above
    # Consecutive periods are joined; a period without a measurement breaks the line, so the
    # chart never suggests a value nobody measured.
    segments: list[list[dict]] = []
    for point in points:
        if segments and segments[-1][-1]["slot"] == point["slot"] - 1:
            segments[-1].append(point)
        else:
            segments.append([point])
    # Thin the period labels so they never overlap (about 64 px per label).
    every = max(1, math.ceil(len(slots) / max(1, (right - left) // 64)))
    target_text = target_display(objective)
    # An objective from ``objectives_with_status`` already carries its status as of the day
    # its caller chose (a review's "as of" date); the description must say the same.
    status = getattr(objective, "status", None) or objective_status(
        objective, measurements, today=today
    )
    if measurements:
        latest = measurements[-1]
        desc = " ".join(
            [
                ngettext(
                    "%(count)s measurement of the indicator %(indicator)s.",
                    "%(count)s measurements of the indicator %(indicator)s.",
                    len(measurements),
                )
                % {"count": len(measurements), "indicator": objective.indicator},
                _("Target: %(target)s.") % {"target": target_text},
                _("Latest value: %(value)s (%(period)s).")
                % {
                    "value": value_with_unit(latest.value, unit),
                    "period": period_label(frequency, latest.period_start),
                },
                _("Status: %(status)s.") % {"status": status_label(status)},
            ]
        )
    else:
        desc = " ".join(
            [
                _("No measurements recorded yet."),
                _("Target: %(target)s.") % {"target": target_text},
            ]
        )
    return {
        "id": f"trend-{objective.pk or 'new'}",
        "width": width,
        "height": height,
        "left": left,
        "right": right,
        "top": top,
        "bottom": bottom,
        "title": _("Trend of the indicator: %(objective)s") % {"objective": objective.title},
        "desc": desc,
        "caption": _("Measurements of the indicator: %(indicator)s")
        % {"indicator": objective.indicator},
        "unit": unit,
        "has_data": bool(points),
        "points": points,
        "value_labels": slot_width >= VALUE_LABEL_MIN_SLOT,
        "segments": [
            " ".join(f"{p['x']},{p['y']}" for p in segment)
            for segment in segments
            if len(segment) > 1
        ],
        "plot_width": right - left,
        "plot_height": bottom - top,
        "label_x": left - 6,
        "x_label_y": bottom + 16,
        "y_ticks": [
            {"y": y_of(t), "text_y": round(y_of(t) + 4, 1), "label": format_value(t)} for t in ticks
        ],
        "x_ticks": [
            {
                "x": x_of(i),
                "label": _short_label(frequency, start, several_years),
                "show": i % every == 0,
            }
            for i, start in enumerate(slots)
        ],
        "target": {"y": y_of(objective.target)},
        "target_text": target_text,
        "legend": _legend(left, height - 12, _("Target: %(target)s") % {"target": target_text}),
        "status": status,
        "status_label": status_label(status),
    }
