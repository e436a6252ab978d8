"""Quality objectives (Księga Jakości §12): each view for each persona, setting objectives
and entering measurements through the pages, the annual report as a page and as a PDF,
and query counts that do not grow with objectives or measurements."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from qms.services import create_recorded
from reviews.models import Measurement, QualityObjective
from reviews.selectors import objectives as selectors
from reviews.services import objectives as services
from tests.conftest import PERSONA_NAMES, client_for
from tests.qms.test_pdf import pdf_text, squashed
from tests.reviews.conftest import YEAR, Direction, Frequency, make_objective, measure

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
