"""Quality objectives (Księga Jakości §12): the status derived from the latest measurement,
the calendar periods and the measurements due, and the trend chart."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from reviews import charts
from reviews.models import Measurement, QualityObjective
from reviews.selectors import objectives as selectors
from reviews.services import objectives as services
from tests.reviews.conftest import YEAR, Direction, Frequency, make_objective, measure


def unsaved(objective: QualityObjective, *values: tuple[datetime.date, str]) -> list:
    """Measurements in memory: the status rules read nothing from the database."""
    return [
        Measurement(objective=objective, period_start=start, value=Decimal(value))
        for start, value in values
    ]


# --- the derived status ----------------------------------------------------------------------


def _objective(direction: str, target: str, deadline=datetime.date(YEAR, 12, 31)):
    return QualityObjective(
        year=YEAR, direction=direction, target=Decimal(target), deadline=deadline
    )


BEFORE = datetime.date(YEAR, 11, 1)
AFTER = datetime.date(YEAR + 1, 1, 10)


def test_status_is_no_data_without_measurements():
    objective = _objective(Direction.AT_LEAST, "98")
    assert selectors.objective_status(objective, [], today=BEFORE) == "no_data"
    assert selectors.objective_status(objective, [], today=AFTER) == "no_data"


@pytest.mark.parametrize(
    ("direction", "target", "value", "today", "expected"),
    [
        # at least: meeting or beating the target achieves it, whatever the date
        (Direction.AT_LEAST, "98", "98.00", BEFORE, "achieved"),
        (Direction.AT_LEAST, "98", "99.10", AFTER, "achieved"),
        (Direction.AT_LEAST, "98", "97.90", BEFORE, "at_risk"),
        (Direction.AT_LEAST, "98", "97.90", AFTER, "not_achieved"),
        # at most: lower is better
        (Direction.AT_MOST, "15", "15.00", BEFORE, "achieved"),
        (Direction.AT_MOST, "15", "12.50", AFTER, "achieved"),
        (Direction.AT_MOST, "15", "15.01", BEFORE, "at_risk"),
        (Direction.AT_MOST, "15", "16", AFTER, "not_achieved"),
        # the deadline day itself has not passed yet
        (Direction.AT_MOST, "15", "16", datetime.date(YEAR, 12, 31), "at_risk"),
    ],
)
def test_status_compares_the_latest_value_in_the_objectives_direction(
    direction, target, value, today, expected
):
    objective = _objective(direction, target)
    measurements = unsaved(objective, (datetime.date(YEAR, 1, 1), value))
    assert selectors.objective_status(objective, measurements, today=today) == expected


def test_status_follows_the_latest_period_not_the_best_or_the_order_given():
    objective = _objective(Direction.AT_LEAST, "98")
    # Given out of order: Q2 met the target, Q3 (the latest) did not.
    measurements = unsaved(
        objective,
        (datetime.date(YEAR, 7, 1), "97.0"),
        (datetime.date(YEAR, 4, 1), "99.0"),
        (datetime.date(YEAR, 1, 1), "96.0"),
    )
    assert selectors.objective_status(objective, measurements, today=BEFORE) == "at_risk"
    assert selectors.objective_status(objective, measurements, today=AFTER) == "not_achieved"
    measurements += unsaved(objective, (datetime.date(YEAR, 10, 1), "98.5"))
    assert selectors.objective_status(objective, measurements, today=AFTER) == "achieved"


def test_every_status_has_a_translated_label():
    assert set(selectors.STATUS_LABELS) == {"no_data", "achieved", "at_risk", "not_achieved"}
    for status in selectors.STATUS_LABELS:
        for language in ("pl", "en"):
            with translation.override(language):
                assert selectors.status_label(status)
    with translation.override("en"):
        assert selectors.status_label("not_achieved") == "not achieved"


# --- periods ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frequency", "day", "start", "end"),
    [
        (Frequency.MONTHLY, datetime.date(2024, 2, 10), (2024, 2, 1), (2024, 2, 29)),
        (Frequency.MONTHLY, datetime.date(2026, 12, 31), (2026, 12, 1), (2026, 12, 31)),
        (Frequency.QUARTERLY, datetime.date(2026, 1, 1), (2026, 1, 1), (2026, 3, 31)),
        (Frequency.QUARTERLY, datetime.date(2026, 5, 15), (2026, 4, 1), (2026, 6, 30)),
        (Frequency.QUARTERLY, datetime.date(2026, 11, 27), (2026, 10, 1), (2026, 12, 31)),
        (Frequency.HALF_YEARLY, datetime.date(2026, 6, 30), (2026, 1, 1), (2026, 6, 30)),
        (Frequency.HALF_YEARLY, datetime.date(2026, 7, 1), (2026, 7, 1), (2026, 12, 31)),
        (Frequency.YEARLY, datetime.date(2026, 8, 8), (2026, 1, 1), (2026, 12, 31)),
    ],
)
def test_period_for_each_frequency_is_the_calendar_period(frequency, day, start, end):
    assert selectors.period_for(frequency, day) == (datetime.date(*start), datetime.date(*end))


def test_previous_period_crosses_the_year_boundary():
    day = datetime.date(2026, 1, 15)
    assert selectors.previous_period(Frequency.MONTHLY, day) == (
        datetime.date(2025, 12, 1),
        datetime.date(2025, 12, 31),
    )
    assert selectors.previous_period(Frequency.QUARTERLY, day)[0] == datetime.date(2025, 10, 1)
    assert selectors.previous_period(Frequency.HALF_YEARLY, day)[0] == datetime.date(2025, 7, 1)
    assert selectors.previous_period(Frequency.YEARLY, day)[0] == datetime.date(2025, 1, 1)


def test_period_labels_name_the_period():
    with translation.override("en"):
        assert selectors.period_label(Frequency.QUARTERLY, datetime.date(2026, 7, 1)) == "Q3 2026"
        assert selectors.period_label(Frequency.HALF_YEARLY, datetime.date(2026, 7, 1)) == (
            "H2 2026"
        )
        assert selectors.period_label(Frequency.YEARLY, datetime.date(2026, 1, 1)) == "2026"
        assert "2026" in selectors.period_label(Frequency.MONTHLY, datetime.date(2026, 3, 1))


# --- measurements due ------------------------------------------------------------------------


def test_measurement_due_for_the_last_finished_period_until_it_is_entered(personas):
    objective = make_objective(personas)  # quarterly, YEAR
    today = datetime.date(YEAR, 11, 27)
    due = selectors.measurements_due(user=personas.wlasciciel, today=today)
    assert due == [(objective, datetime.date(YEAR, 7, 1), datetime.date(YEAR, 9, 30))]
    measure(objective, personas.wlasciciel, datetime.date(YEAR, 7, 1), "98.4")
    assert selectors.measurements_due(user=personas.wlasciciel, today=today) == []


def test_measurements_due_costs_one_query_whether_anything_is_due_or_not(personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = datetime.date(YEAR, 11, 27)
    with CaptureQueriesContext(connection) as nothing:
        assert selectors.measurements_due(today=today) == []
    for n in range(3):
        make_objective(personas, title=f"Cel {n}", frequency=Frequency.MONTHLY)
    with CaptureQueriesContext(connection) as some:
        assert len(selectors.measurements_due(today=today)) == 3
    assert len(nothing.captured_queries) == len(some.captured_queries) == 1


def test_measurements_due_for_everybody_or_for_one_owner(personas):
    mine = make_objective(personas)
    theirs = make_objective(personas, owner=personas.wlasciciel2, title="Skargi zasadne")
    withdrawn = make_objective(personas, title="Wycofany cel")
    services.objective_withdraw(
        objective=withdrawn, by=personas.pelnomocnik, expected_version=1, reason="Zmiana"
    )
    today = datetime.date(YEAR, 11, 27)
    everybody = selectors.measurements_due(today=today)
    assert {row[0] for row in everybody} == {mine, theirs}
    assert [row[0] for row in selectors.measurements_due(user=personas.wlasciciel2, today=today)]
    assert selectors.measurements_due(user=personas.pracownik, today=today) == []


def test_measurements_due_only_within_the_objectives_year(personas):
    last_year = make_objective(personas, frequency=Frequency.MONTHLY)
    this_year = make_objective(
        personas,
        year=YEAR + 1,
        frequency=Frequency.MONTHLY,
        deadline=datetime.date(YEAR + 1, 12, 31),
        title="Cel na kolejny rok",
    )
    # In January the last finished month is December: due for last year's objective, not for
    # this year's (December is not one of its periods).
    january = datetime.date(YEAR + 1, 1, 10)
    due = selectors.measurements_due(today=january)
    assert due == [(last_year, datetime.date(YEAR, 12, 1), datetime.date(YEAR, 12, 31))]
    assert this_year not in [row[0] for row in due]
    # The yearly one is asked for its year once the year is over.
    yearly = make_objective(personas, frequency=Frequency.YEARLY, title="Cel roczny")
    assert (yearly, datetime.date(YEAR, 1, 1), datetime.date(YEAR, 12, 31)) in (
        selectors.measurements_due(today=january)
    )
    assert yearly not in [r[0] for r in selectors.measurements_due(today=datetime.date(YEAR, 9, 1))]


def test_measurements_due_reads_one_query_whatever_the_number(personas):
    for i in range(5):
        make_objective(personas, title=f"Cel {i}")
    with CaptureQueriesContext(connection) as small:
        selectors.measurements_due(today=datetime.date(YEAR, 11, 27))
    for i in range(20):
        make_objective(personas, title=f"Cel dodatkowy {i}", frequency=Frequency.MONTHLY)
    with CaptureQueriesContext(connection) as large:
        selectors.measurements_due(today=datetime.date(YEAR, 11, 27))
    assert len(small.captured_queries) == len(large.captured_queries) == 1


# --- the trend chart ---------------------------------------------------------------------------


def _quarterly_with_gap(personas) -> QualityObjective:
    objective = make_objective(personas)
    for start, value in [((YEAR, 1, 1), "97.4"), ((YEAR, 4, 1), "98.1"), ((YEAR, 10, 1), "98.6")]:
        measure(objective, personas.wlasciciel, datetime.date(*start), value)
    return objective


def test_trend_has_a_point_per_measurement_and_breaks_the_line_at_a_gap(personas):
    objective = _quarterly_with_gap(personas)
    chart = charts.trend_svg(objective, objective.measurements.all())
    assert [p["meets"] for p in chart["points"]] == [False, True, True]
    # Q3 is missing: Q1–Q2 are joined, Q4 stands alone.
    assert len(chart["segments"]) == 1
    assert chart["segments"][0].count(",") == 2
    assert [t["label"] for t in chart["x_ticks"]] == [
        selectors.period_label(Frequency.QUARTERLY, datetime.date(YEAR, m, 1))
        for m in (1, 4, 7, 10)
    ]
    ys = [t["y"] for t in chart["y_ticks"]]
    top, bottom = chart["top"], chart["bottom"]
    assert all(top <= y <= bottom for y in ys + [p["y"] for p in chart["points"]])
    assert min(ys) <= chart["target"]["y"] <= max(ys)
    # Higher values are drawn higher (smaller y).
    q1, q2, _q4 = chart["points"]
    assert q2["y"] < q1["y"]


def test_trend_without_measurements_says_so(personas):
    objective = make_objective(personas)
    chart = charts.trend_svg(objective, [])
    assert chart["has_data"] is False
    html = render_to_string("reviews/objectives/trend_chart.html", {"chart": chart})
    assert "<svg" not in html
    with translation.override("en"):
        chart = charts.trend_svg(objective, [])
    assert "No measurements recorded yet." in chart["desc"]


def test_trend_chart_renders_an_accessible_svg_and_the_same_data_as_a_table(personas):
    objective = _quarterly_with_gap(personas)
    with translation.override("pl"):
        chart = charts.trend_svg(objective, objective.measurements.all())
        html = render_to_string("reviews/objectives/trend_chart.html", {"chart": chart})
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg
    assert f'aria-labelledby="{chart["id"]}-title {chart["id"]}-desc"' in svg
    assert f'<title id="{chart["id"]}-title">' in html
    assert f'<desc id="{chart["id"]}-desc">' in html
    assert 'font-family="DejaVu Sans' in svg
    assert "<script" not in html and "var(--" not in html and "class=" not in svg
    # Coordinates stay numbers with a dot in Polish, where 97,5 would break the drawing.
    for attribute in re.findall(r'\s(?:x|y|x1|y1|x2|y2|cx|cy)="([^"]*)"', html):
        assert re.fullmatch(r"-?\d+(\.\d+)?", attribute), attribute
    assert "<table" in html and "<caption>" in html
    assert html.count('<th scope="row">') == 3
    assert "97,4 %" in html  # values in the table as people write them


def test_values_at_the_points_stay_in_the_plot_above_a_point_and_below_a_valley(personas):
    objective = _quarterly_with_gap(personas)
    chart = charts.trend_svg(objective, objective.measurements.all())
    assert chart["value_labels"] is True
    q1, q2, _q4 = chart["points"]
    # Q1 is lower than its neighbour (a valley): its value goes below the point, where the line
    # does not run; Q2 rises to Q4, so its value goes above.
    assert q1["value_y"] == round(q1["y"] + 16, 1)
    assert q2["value_y"] == round(q2["y"] - 8, 1)
    for point in chart["points"]:
        assert chart["top"] <= point["value_y"] - 9 and point["value_y"] <= chart["bottom"]
    assert [p["short_value"] for p in chart["points"]] == ["97,4", "98,1", "98,6"]


def test_too_narrow_slots_leave_the_values_to_the_table(personas):
    objective = _quarterly_with_gap(personas)
    chart = charts.trend_svg(objective, objective.measurements.all(), width=200)
    assert chart["value_labels"] is False
    html = render_to_string("reviews/objectives/trend_chart.html", {"chart": chart, "pdf": True})
    assert "<table" in html


def test_in_the_minutes_the_values_are_printed_at_the_points_instead_of_a_table(personas):
    objective = _quarterly_with_gap(personas)
    with translation.override("pl"):
        chart = charts.trend_svg(objective, objective.measurements.all())
        html = render_to_string(
            "reviews/objectives/trend_chart.html", {"chart": chart, "pdf": True}
        )
    assert "<table" not in html
    values = re.findall(r'<text [^>]*font-size="9"[^>]*>([^<]*)</text>', html)
    assert values == ["97,4", "98,1", "98,6"]
    # Tooltips mean nothing on paper; the chart keeps its own title and description.
    assert "<circle" in html and "</title></circle>" not in html
    assert f'<title id="{chart["id"]}-title">' in html
    caption = re.search(r'<p class="trend-caption">(.*?)</p>', html, re.S).group(1)
    assert chart["caption"] in caption and chart["target_text"] in caption
