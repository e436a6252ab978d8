"""Quality objectives (Księga Jakości §12): the derived status, periods and what is due, the
services' rules, the trend chart, each view for each persona, the annual report as a PDF, and
query counts that do not grow with objectives or measurements."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from qms.services import ConcurrentEditError, create_recorded
from reviews import charts
from reviews.models import Measurement, QualityObjective
from reviews.selectors import objectives as selectors
from reviews.services import objectives as services
from tests.conftest import PERSONA_NAMES, client_for
from tests.qms.test_pdf import pdf_text, squashed

Frequency = QualityObjective.Frequency
Direction = QualityObjective.Direction
# A finished year, so the services accept measurements for every one of its periods whenever
# the suite runs, and the deadline (31 December) has passed.
YEAR = 2025


def make_objective(personas, *, owner=None, by=None, **fields) -> QualityObjective:
    """An objective as the Pełnomocnik sets it; owned by ``wlasciciel`` unless told."""
    owner = owner or personas.wlasciciel
    data = {
        "year": YEAR,
        "title": "Terminowość załatwiania spraw — co najmniej 98%",
        "measure": "Odsetek spraw załatwionych w terminie KPA",
        "indicator": "Sprawy w terminie / wszystkie sprawy × 100%",
        "indicator_unit": "%",
        "direction": Direction.AT_LEAST,
        "target": Decimal("98"),
        "frequency": Frequency.QUARTERLY,
        "owner": owner,
        "unit": owner.unit,
        "resources": "Rejestry w EZD",
        "deadline": datetime.date(YEAR, 12, 31),
        "evaluation": "Porównanie z celem co kwartał.",
    }
    data.update(fields)
    return services.objective_create(by=by or personas.pelnomocnik, **data)


def measure(objective, by, start: datetime.date, value: str, comment: str = "") -> Measurement:
    return services.measurement_enter(
        objective=objective, by=by, period_start=start, value=Decimal(value), comment=comment
    )


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


# --- services ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["prezydent", "pelnomocnik", "koordynator"])
def test_top_management_and_keepers_set_objectives_with_history(personas, persona):
    objective = make_objective(personas, by=personas[persona])
    record = objective.history.get()
    assert record.history_user == personas[persona]
    assert record.history_type == "+"


@pytest.mark.parametrize("persona", ["kierownictwo", "wlasciciel", "auditor", "pracownik"])
def test_others_cannot_set_objectives(personas, persona):
    with pytest.raises(PermissionDenied):
        make_objective(personas, by=personas[persona])
    assert not QualityObjective.objects.exists()


def test_deadline_before_the_year_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        make_objective(personas, deadline=datetime.date(YEAR - 1, 12, 31))
    assert "deadline" in error.value.message_dict


def test_owner_enters_a_measurement_for_a_period_with_its_end_computed(personas):
    objective = make_objective(personas)
    measurement = measure(objective, personas.wlasciciel, datetime.date(YEAR, 4, 1), "97.5")
    assert measurement.period_end == datetime.date(YEAR, 6, 30)
    assert measurement.entered_by == personas.wlasciciel
    assert measurement.history.get().history_user == personas.wlasciciel


def test_keeper_may_enter_any_owners_measurement(personas):
    objective = make_objective(personas)
    measure(objective, personas.koordynator, datetime.date(YEAR, 1, 1), "98")
    assert objective.measurements.get().entered_by == personas.koordynator


@pytest.mark.parametrize("persona", ["wlasciciel2", "prezydent", "kierownictwo", "pracownik"])
def test_only_the_owner_or_a_keeper_enters_measurements(personas, persona):
    objective = make_objective(personas)
    with pytest.raises(PermissionDenied):
        measure(objective, personas[persona], datetime.date(YEAR, 1, 1), "98")
    assert not Measurement.objects.exists()


@pytest.mark.parametrize(
    ("start", "field_message"),
    [
        (datetime.date(YEAR, 2, 1), "first day"),  # not the start of a quarter
        (datetime.date(YEAR - 1, 10, 1), "year"),  # a quarter of another year
    ],
)
def test_measurement_period_must_be_a_period_of_the_objective(personas, start, field_message):
    objective = make_objective(personas)
    with translation.override("en"), pytest.raises(ValidationError) as error:
        measure(objective, personas.wlasciciel, start, "98")
    assert field_message in error.value.message_dict["period_start"][0]
    assert not Measurement.objects.exists()


def test_measurement_for_a_period_that_has_not_begun_is_refused(personas):
    next_year = timezone.localdate().year + 1
    objective = make_objective(personas, year=next_year, deadline=datetime.date(next_year, 12, 31))
    with pytest.raises(ValidationError):
        measure(objective, personas.wlasciciel, datetime.date(next_year, 1, 1), "98")
    assert not Measurement.objects.exists()


def test_second_measurement_for_the_same_period_is_refused_and_first_kept(personas):
    objective = make_objective(personas)
    first = measure(objective, personas.wlasciciel, datetime.date(YEAR, 1, 1), "97")
    with translation.override("en"), pytest.raises(ValidationError) as error:
        measure(objective, personas.koordynator, datetime.date(YEAR, 1, 1), "99")
    assert "already recorded" in error.value.message_dict["period_start"][0]
    assert list(objective.measurements.all()) == [first]
    assert objective.measurements.get().value == Decimal("97")


def test_measurement_update_with_a_stale_version_is_refused(personas):
    objective = make_objective(personas)
    measurement = measure(objective, personas.wlasciciel, datetime.date(YEAR, 1, 1), "97")
    services.measurement_update(
        measurement=Measurement.objects.get(pk=measurement.pk),
        by=personas.koordynator,
        expected_version=1,
        value=Decimal("97.5"),
        comment="Korekta danych z EZD",
    )
    with pytest.raises(ConcurrentEditError):
        services.measurement_update(
            measurement=Measurement.objects.get(pk=measurement.pk),
            by=personas.wlasciciel,
            expected_version=1,
            value=Decimal("99"),
            comment="",
        )
    measurement.refresh_from_db()
    assert measurement.value == Decimal("97.5")
    assert measurement.version == 2
    assert measurement.entered_by == personas.koordynator


def test_year_and_frequency_are_fixed_once_measured(personas):
    objective = make_objective(personas)
    services.objective_update(
        objective=objective, by=personas.koordynator, expected_version=1, target=Decimal("97")
    )
    measure(objective, personas.wlasciciel, datetime.date(YEAR, 1, 1), "97")
    with pytest.raises(ValidationError) as error:
        services.objective_update(
            objective=QualityObjective.objects.get(pk=objective.pk),
            by=personas.koordynator,
            expected_version=2,
            frequency=Frequency.MONTHLY,
        )
    assert "frequency" in error.value.message_dict
    objective.refresh_from_db()
    assert objective.frequency == Frequency.QUARTERLY
    assert objective.target == Decimal("97")


def test_withdrawal_keeps_the_objective_and_its_reason(personas):
    objective = make_objective(personas)
    measure(objective, personas.wlasciciel, datetime.date(YEAR, 1, 1), "97")
    with pytest.raises(ValidationError):
        services.objective_withdraw(
            objective=objective, by=personas.pelnomocnik, expected_version=1, reason="  "
        )
    services.objective_withdraw(
        objective=objective,
        by=personas.pelnomocnik,
        expected_version=1,
        reason="Cel połączony z celem satysfakcji klientów",
    )
    objective.refresh_from_db()
    assert objective.is_active is False
    assert objective.measurements.count() == 1
    newest = objective.history.order_by("-history_id").first()
    assert newest.history_user == personas.pelnomocnik
    assert newest.history_change_reason == "Cel połączony z celem satysfakcji klientów"
    assert selectors.withdrawal_reasons([objective]) == {
        objective.pk: "Cel połączony z celem satysfakcji klientów"
    }
    with pytest.raises(ValidationError):
        measure(objective, personas.wlasciciel, datetime.date(YEAR, 4, 1), "98")
    with pytest.raises(PermissionDenied):
        services.objective_withdraw(
            objective=objective, by=personas.wlasciciel, expected_version=2, reason="x"
        )


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


# --- views -------------------------------------------------------------------------------------

SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}
READERS = {"prezydent", "kierownictwo", "pelnomocnik", "koordynator"}
SETTERS = {"prezydent", "pelnomocnik", "koordynator"}
MEASURERS = {"pelnomocnik", "koordynator", "wlasciciel"}

# url name -> (argument, personas allowed to GET)
VIEWS = {
    "reviews:objectives": (None, READERS | {"wlasciciel"}),
    "reviews:objective": ("objective", READERS | {"wlasciciel"}),
    "reviews:objective_create": (None, SETTERS),
    "reviews:objective_edit": ("objective", SETTERS),
    "reviews:objective_withdraw": ("objective", SETTERS),
    "reviews:measurement_add": ("objective", MEASURERS),
    "reviews:measurement_edit": ("measurement", MEASURERS),
    "reviews:objectives_report": ("year", READERS),
    "reviews:objectives_report_pdf": ("year", READERS),
}


@pytest.fixture
def own_objective(personas):
    """An objective owned by ``wlasciciel`` with one measurement."""
    objective = make_objective(personas)
    measurement = measure(objective, personas.wlasciciel, datetime.date(YEAR, 1, 1), "97.4")
    return objective, measurement


def _url(name: str, own_objective) -> str:
    objective, measurement = own_objective
    argument = VIEWS[name][0]
    args = {
        None: [],
        "objective": [objective.pk],
        "measurement": [measurement.pk],
        "year": [YEAR],
    }[argument]
    return reverse(name, args=args)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("url_name", sorted(VIEWS))
def test_get_is_allowed_only_for_the_right_personas(personas, own_objective, url_name, persona):
    response = client_for(personas[persona]).get(_url(url_name, own_objective))
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in VIEWS[url_name][1]:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_an_owner_without_objectives_is_refused_another_owners_objective(personas, own_objective):
    client = client_for(personas.wlasciciel2)
    make_objective(personas, owner=personas.wlasciciel2, title="Skargi zasadne")
    # Now an owner too, wlasciciel2 opens the list and sees only their own objective...
    page = client.get(reverse("reviews:objectives") + f"?year={YEAR}").content.decode()
    assert "Skargi zasadne" in page
    assert "Terminowość załatwiania spraw" not in page
    # ...and is still refused wlasciciel's.
    for name in ("reviews:objective", "reviews:measurement_add", "reviews:measurement_edit"):
        assert client.get(_url(name, own_objective)).status_code == 403


def test_unknown_objective_is_404(personas):
    client = client_for(personas.pelnomocnik)
    assert client.get(reverse("reviews:objective", args=[999999])).status_code == 404


def _objective_post(personas, **overrides) -> dict:
    data = {
        "year": str(YEAR),
        "title": "Satysfakcja klientów — co najmniej 4,2/5",
        "measure": "Średnia ocena w ankiecie",
        "indicator": "Średnia ocen w skali 1–5",
        "indicator_unit": "pkt",
        "direction": Direction.AT_LEAST,
        "target": "4,2",
        "frequency": Frequency.HALF_YEARLY,
        "owner": str(personas.wlasciciel.pk),
        "unit": str(personas.wlasciciel.unit_id),
        "resources": "",
        "deadline": f"{YEAR}-12-31",
        "evaluation": "",
        "policy": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("persona", sorted(SETTERS))
def test_setters_create_an_objective(personas, persona):
    response = client_for(personas[persona]).post(
        reverse("reviews:objective_create"), _objective_post(personas)
    )
    objective = QualityObjective.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:objective", args=[objective.pk])
    assert objective.target == Decimal("4.2")  # the Polish decimal comma is understood
    assert objective.history.get().history_user == personas[persona]


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - SETTERS))
def test_refused_create_changes_nothing(personas, persona):
    response = client_for(personas[persona]).post(
        reverse("reviews:objective_create"), _objective_post(personas)
    )
    assert response.status_code == 403
    assert not QualityObjective.objects.exists()


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - SETTERS))
def test_refused_edit_and_withdrawal_change_nothing(personas, own_objective, persona):
    objective, _measurement = own_objective
    client = client_for(personas[persona])
    response = client.post(
        reverse("reviews:objective_edit", args=[objective.pk]),
        _objective_post(personas, title="Przejęty cel", version="1"),
    )
    assert response.status_code == 403
    response = client.post(
        reverse("reviews:objective_withdraw", args=[objective.pk]),
        {"reason": "Bez powodu", "version": "1"},
    )
    assert response.status_code == 403
    objective.refresh_from_db()
    assert objective.title.startswith("Terminowość")
    assert objective.is_active is True
    assert objective.version == 1


def test_keeper_edits_and_withdraws_through_the_pages(personas, own_objective):
    objective, _measurement = own_objective
    client = client_for(personas.koordynator)
    response = client.post(
        reverse("reviews:objective_edit", args=[objective.pk]),
        _objective_post(
            personas,
            title="Terminowość załatwiania spraw — co najmniej 97%",
            target="97",
            frequency=Frequency.QUARTERLY,
            version="1",
        ),
    )
    assert response.status_code == 302
    response = client.post(
        reverse("reviews:objective_withdraw", args=[objective.pk]),
        {"reason": "Cel zastąpiony nowym", "version": "2"},
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert (objective.target, objective.is_active) == (Decimal("97"), False)
    # Read by somebody else, so the Koordynator's name can only come from the history.
    reader = client_for(personas.kierownictwo)
    page = reader.get(reverse("reviews:objective", args=[objective.pk])).content.decode()
    assert "Cel zastąpiony nowym" in page
    assert str(personas.koordynator) in page


@pytest.mark.parametrize("persona", ["wlasciciel", "koordynator"])
def test_owner_or_keeper_enters_a_measurement(personas, own_objective, persona):
    objective, _measurement = own_objective
    response = client_for(personas[persona]).post(
        reverse("reviews:measurement_add", args=[objective.pk]),
        {"period_start": f"{YEAR}-04-01", "value": "98,6", "comment": "Dane z EZD"},
    )
    assert response.status_code == 302
    added = objective.measurements.get(period_start=datetime.date(YEAR, 4, 1))
    assert (added.value, added.entered_by) == (Decimal("98.6"), personas[persona])


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - MEASURERS))
def test_refused_measurement_changes_nothing(personas, own_objective, persona):
    objective, measurement = own_objective
    client = client_for(personas[persona])
    response = client.post(
        reverse("reviews:measurement_add", args=[objective.pk]),
        {"period_start": f"{YEAR}-04-01", "value": "99", "comment": ""},
    )
    assert response.status_code == 403
    response = client.post(
        reverse("reviews:measurement_edit", args=[measurement.pk]),
        {"value": "99", "comment": "", "version": "1"},
    )
    assert response.status_code == 403
    assert list(objective.measurements.values_list("value", flat=True)) == [Decimal("97.4")]


def test_second_entry_for_a_period_through_the_page_explains_itself(personas, own_objective):
    objective, _measurement = own_objective
    response = client_for(personas.wlasciciel).post(
        reverse("reviews:measurement_add", args=[objective.pk]),
        {"period_start": f"{YEAR}-01-01", "value": "99", "comment": ""},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["period_start"]
    assert errors and errors[0] in response.content.decode()
    assert objective.measurements.get().value == Decimal("97.4")


def test_stale_measurement_edit_is_refused_with_a_message(personas, own_objective):
    objective, measurement = own_objective
    owner = client_for(personas.wlasciciel)
    form = owner.get(reverse("reviews:measurement_edit", args=[measurement.pk]))
    version = form.context["form"]["version"].value()
    # Meanwhile the Koordynator corrects the value.
    services.measurement_update(
        measurement=Measurement.objects.get(pk=measurement.pk),
        by=personas.koordynator,
        expected_version=version,
        value=Decimal("97.9"),
        comment="Korekta",
    )
    response = owner.post(
        reverse("reviews:measurement_edit", args=[measurement.pk]),
        {"value": "99", "comment": "Moja wartość", "version": version},
    )
    assert response.status_code == 200
    assert response.context["conflict"].changed_by == str(personas.koordynator)
    message = response.context["form"].non_field_errors()[0]
    assert message in response.content.decode()
    measurement.refresh_from_db()
    assert (measurement.value, measurement.comment) == (Decimal("97.9"), "Korekta")


def test_detail_shows_the_definition_the_trend_chart_and_its_table(personas, own_objective):
    objective, _measurement = own_objective
    measure(objective, personas.wlasciciel, datetime.date(YEAR, 4, 1), "98.2")
    page = client_for(personas.kierownictwo).get(reverse("reviews:objective", args=[objective.pk]))
    html = page.content.decode()
    assert 'role="img"' in html
    assert f'<title id="trend-{objective.pk}-title">' in html
    assert f'<desc id="trend-{objective.pk}-desc">' in html
    assert "trend-table" in html and "<caption>" in html
    for text in (objective.measure, objective.indicator, objective.evaluation, "98,2 %"):
        assert text in html
    assert str(personas.pelnomocnik) in html  # set by, in the history


def test_list_filters_by_year_unit_owner_and_derived_status(personas):
    achieved = make_objective(personas, title="Cel osiągnięty")
    measure(achieved, personas.wlasciciel, datetime.date(YEAR, 1, 1), "99")
    missed = make_objective(personas, title="Cel nieosiągnięty", owner=personas.wlasciciel2)
    measure(missed, personas.wlasciciel2, datetime.date(YEAR, 1, 1), "90")
    make_objective(personas, title="Cel bez pomiarów")
    make_objective(
        personas, title="Cel z innego roku", year=YEAR - 1, deadline=datetime.date(YEAR - 1, 12, 31)
    )
    client = client_for(personas.pelnomocnik)
    url = reverse("reviews:objectives")

    def titles(query: str) -> set[str]:
        page = client.get(f"{url}?{query}").context["page"]
        return {o.title for o in page.object_list}

    assert titles(f"year={YEAR}&status=achieved") == {"Cel osiągnięty"}
    assert titles(f"year={YEAR}&status=not_achieved") == {"Cel nieosiągnięty"}
    assert titles(f"year={YEAR}&status=no_data") == {"Cel bez pomiarów"}
    assert titles(f"year={YEAR}&owner={personas.wlasciciel2.pk}") == {"Cel nieosiągnięty"}
    assert titles(f"year={YEAR - 1}") == {"Cel z innego roku"}
    assert len(titles("year=")) == 4
    assert titles(f"year={YEAR}&unit={personas.wlasciciel.unit_id}") == {
        "Cel osiągnięty",
        "Cel bez pomiarów",
    }
    # An invalid filter shows nothing rather than everything.
    assert titles("year=abc") == set()


def test_list_shows_the_owners_measurements_due(personas):
    year = timezone.localdate().year
    objective = make_objective(
        personas, year=year, frequency=Frequency.MONTHLY, deadline=datetime.date(year, 12, 31)
    )
    due = selectors.measurements_due(user=personas.wlasciciel, today=timezone.localdate())
    page = client_for(personas.wlasciciel).get(reverse("reviews:objectives"))
    assert page.context["due"] == due
    if due:  # not in January, when last month belongs to last year's objectives
        assert reverse("reviews:measurement_add", args=[objective.pk]) in page.content.decode()


# --- the annual report -------------------------------------------------------------------------


def test_report_pdf_lists_objectives_with_statuses_in_polish(personas):
    achieved = make_objective(personas, title="Terminowość załatwiania spraw — co najmniej 98%")
    measure(achieved, personas.wlasciciel, datetime.date(YEAR, 10, 1), "98.4")
    missed = make_objective(
        personas,
        title="Czas obsługi klienta w BOM — najwyżej 15 min",
        direction=Direction.AT_MOST,
        target=Decimal("15"),
        indicator_unit="min",
        frequency=Frequency.MONTHLY,
        owner=personas.koordynator,
    )
    measure(missed, personas.koordynator, datetime.date(YEAR, 12, 1), "16.5")
    make_objective(personas, title="Satysfakcja klientów — co najmniej 4,2/5")
    withdrawn = make_objective(personas, title="Szkolenia z zakresu SZJ")
    services.objective_withdraw(
        objective=withdrawn, by=personas.pelnomocnik, expected_version=1, reason="Połączony"
    )
    response = client_for(personas.prezydent).get(
        reverse("reviews:objectives_report_pdf", args=[YEAR])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = squashed(pdf_text(response.content))
    for title in (
        "Terminowość załatwiania spraw — co najmniej 98%",
        "Czas obsługi klienta w BOM — najwyżej 15 min",
        "Satysfakcja klientów — co najmniej 4,2/5",
        "Szkolenia z zakresu SZJ",
        "Połączony",
        str(personas.wlasciciel),  # Anna Łęcka
    ):
        assert squashed(title) in text, title
    with translation.override("pl"):
        for status in ("achieved", "not_achieved", "no_data"):
            assert squashed(selectors.status_label(status)) in text, status
        latest_period = selectors.period_label(Frequency.QUARTERLY, datetime.date(YEAR, 10, 1))
        assert squashed(latest_period) in text


def test_report_page_shows_status_trend_and_charts(personas):
    objective = make_objective(personas)
    measure(objective, personas.wlasciciel, datetime.date(YEAR, 1, 1), "97")
    measure(objective, personas.wlasciciel, datetime.date(YEAR, 4, 1), "98.5")
    response = client_for(personas.koordynator).get(
        reverse("reviews:objectives_report", args=[YEAR])
    )
    html = response.content.decode()
    assert objective.title in html
    assert 'role="img"' in html
    with translation.override("pl"):
        assert selectors.status_label("achieved") in html
        assert str(selectors.TREND_LABELS["improving"]) in html


# --- query counts ------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _objectives(personas, count: int, start: int) -> None:
    owners = [personas.wlasciciel, personas.wlasciciel2, personas.koordynator]
    for i in range(start, start + count):
        owner = owners[i % 3]
        objective = make_objective(personas, owner=owner, title=f"Cel jakościowy nr {i}")
        for month in (1, 4):
            measure(objective, owner, datetime.date(YEAR, month, 1), str(96 + i % 4))


@pytest.mark.parametrize("persona", ["pelnomocnik", "wlasciciel"])
@pytest.mark.parametrize("query", [f"?year={YEAR}", f"?year={YEAR}&status=at_risk"])
def test_list_query_count_does_not_grow_with_objectives(personas, persona, query):
    client = client_for(personas[persona])
    url = reverse("reviews:objectives") + query
    _objectives(personas, 3, 0)
    small = _queries(client, url)
    _objectives(personas, 27, 3)
    large = _queries(client, url)
    assert small == large


@pytest.mark.parametrize("url_name", ["reviews:objectives_report", "reviews:objectives_report_pdf"])
def test_report_query_count_does_not_grow_with_objectives(personas, url_name):
    client = client_for(personas.kierownictwo)
    url = reverse(url_name, args=[YEAR])
    _objectives(personas, 3, 0)
    small = _queries(client, url)
    _objectives(personas, 27, 3)
    large = _queries(client, url)
    assert small == large


def test_detail_query_count_does_not_grow_with_measurements(personas):
    client = client_for(personas.wlasciciel)
    objective = make_objective(personas, frequency=Frequency.MONTHLY)
    for month in (1, 2):
        measure(objective, personas.wlasciciel, datetime.date(YEAR, month, 1), "97")
    url = reverse("reviews:objective", args=[objective.pk])
    small = _queries(client, url)
    for month in range(3, 13):
        measure(objective, personas.wlasciciel, datetime.date(YEAR, month, 1), "98")
    for measurement in objective.measurements.all()[:5]:
        services.measurement_update(
            measurement=measurement,
            by=personas.koordynator,
            expected_version=measurement.version,
            value=Decimal("98.5"),
            comment="Korekta",
        )
    # The services keep measurements within the objective's year (12 months); 12 more, for
    # the year before, are written directly, with history, to reach 24.
    for month in range(1, 13):
        start, end = selectors.period_for(Frequency.MONTHLY, datetime.date(YEAR - 1, month, 1))
        create_recorded(
            Measurement(
                objective=objective,
                period_start=start,
                period_end=end,
                value=Decimal("96"),
                entered_by=personas.wlasciciel,
            ),
            by=personas.wlasciciel,
        )
    assert objective.measurements.count() == 24
    large = _queries(client, url)
    assert small == large


# --- demo data ---------------------------------------------------------------------------------


def test_demo_objectives_are_measured_through_the_services_and_leave_one_due(personas):
    from reviews.demo_objectives import seed_objectives

    names = ["prezydent", "kierownictwo", "pelnomocnik", "koordynator", "wlasciciel"]
    people = {name: personas[name] for name in [*names, "wlasciciel2", "pracownik"]}
    created = seed_objectives(people)
    today = timezone.localdate()
    assert created == QualityObjective.objects.count() + Measurement.objects.count()
    assert set(QualityObjective.objects.values_list("year", flat=True)) == {
        today.year - 1,
        today.year,
    }
    assert all(m.period_end < today for m in Measurement.objects.all())
    assert Measurement.history.filter(history_user=personas.wlasciciel).exists()
    due = selectors.measurements_due(user=personas.wlasciciel, today=today)
    assert [row[0].owner for row in due] == [personas.wlasciciel]
    statuses = {
        o.status
        for o in selectors.objectives_with_status(
            QualityObjective.objects.filter(year=today.year - 1), today
        )
    }
    assert {"achieved", "not_achieved"} <= statuses
    assert seed_objectives(people) == 0  # idempotent


def test_frequency_change_of_a_measured_objective_is_refused_through_the_page(
    personas, own_objective
):
    objective, _measurement = own_objective
    response = client_for(personas.koordynator).post(
        reverse("reviews:objective_edit", args=[objective.pk]),
        _objective_post(personas, frequency=Frequency.MONTHLY, version="1"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["frequency"]
    objective.refresh_from_db()
    assert (objective.frequency, objective.version) == (Frequency.QUARTERLY, 1)


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
