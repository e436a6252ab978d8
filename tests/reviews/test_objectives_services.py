"""Quality objectives (Księga Jakości §12): the services' rules — who sets objectives and
enters measurements, which periods are accepted, stale versions, what is fixed once
measured, withdrawal — and the demo data, measured through them."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from qms.services import ConcurrentEditError
from reviews.models import Measurement, QualityObjective
from reviews.selectors import objectives as selectors
from reviews.services import objectives as services
from tests.reviews.conftest import YEAR, Frequency, make_objective, measure

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


# --- demo data ---------------------------------------------------------------------------------


def test_demo_objectives_are_measured_through_the_services_and_leave_one_due(personas):
    from demo.reviews_objectives import seed_objectives

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
