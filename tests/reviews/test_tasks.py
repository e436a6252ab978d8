"""Reminder sweeps of objectives, risks, improvement actions and the management review, run
day by day over fixed dates. Records are written directly: the sweeps read, whatever service
wrote them."""

import datetime
from decimal import Decimal
from functools import partial

import pytest
from django.urls import reverse

from qms.models import Delivery
from qms.tasks import sweep
from reviews.models import (
    ImprovementProposal,
    ManagementReview,
    Measurement,
    QualityObjective,
    Risk,
)
from reviews.tasks import ReminderKind as Kind
from reviews.tasks import add_months

# The sweeps as the beat runs them: the one task, given the sweep's name.
sweep_improvement_actions = partial(sweep, "improvement_actions")
sweep_management_review = partial(sweep, "management_review")
sweep_measurements = partial(sweep, "measurements")
sweep_risk_reviews = partial(sweep, "risk_reviews")
DAY = datetime.timedelta(days=1)


def _fired(task, first: datetime.date, last: datetime.date) -> dict[datetime.date, int]:
    fired = {}
    day = first
    while day <= last:
        created = task(day.isoformat())
        if created:
            fired[day] = created
        day += DAY
    return fired


def _rows(kind: str) -> list[tuple[str, str]]:
    rows = Delivery.objects.filter(kind=kind).order_by("occasion", "recipient__username")
    return list(rows.values_list("recipient__username", "occasion"))


@pytest.fixture
def objective(personas) -> QualityObjective:
    owner = personas.wlasciciel
    return QualityObjective.objects.create(
        year=2027,
        title="Terminowość załatwiania spraw",
        measure="Odsetek spraw załatwionych w terminie",
        indicator="Sprawy w terminie / wszystkie sprawy × 100%",
        target=Decimal("98"),
        direction=QualityObjective.Direction.AT_LEAST,
        frequency=QualityObjective.Frequency.QUARTERLY,
        owner=owner,
        unit=owner.unit,
        deadline=datetime.date(2027, 12, 31),
    )


def test_a_missing_measurement_is_asked_of_the_owner_once_per_period(objective, personas):
    fired = _fired(sweep_measurements, datetime.date(2027, 3, 25), datetime.date(2027, 4, 10))
    assert fired == {datetime.date(2027, 4, 1): 1}  # Q1 has ended and has no value
    assert _rows(Kind.MEASUREMENT_DUE) == [("wlasciciel", "2027-01-01")]
    delivery = Delivery.objects.get()
    assert delivery.record_label == "Terminowość załatwiania spraw"
    assert delivery.link == reverse("reviews:objective", args=[objective.pk])
    # Once Q2's value is in, the next quarter asks nothing.
    Measurement.objects.create(
        objective=objective,
        period_start=datetime.date(2027, 4, 1),
        period_end=datetime.date(2027, 6, 30),
        value=Decimal("99"),
        entered_by=personas.wlasciciel,
    )
    assert sweep_measurements("2027-07-01") == 0


def test_a_risk_review_is_asked_of_the_owner_on_its_date(personas):
    risk = Risk.objects.create(
        title="Przekroczenie terminów KPA",
        likelihood=3,
        impact=4,
        owner=personas.wlasciciel2,
        next_review=datetime.date(2027, 5, 10),
    )
    fired = _fired(sweep_risk_reviews, datetime.date(2027, 5, 5), datetime.date(2027, 5, 20))
    assert fired == {datetime.date(2027, 5, 10): 1}
    assert _rows(Kind.RISK_REVIEW_DUE) == [("wlasciciel2", "2027-05-10")]
    assert Delivery.objects.get().link == reverse("reviews:risk", args=[risk.pk])
    # Reviewed, with a new date: asked again on that date; a closed risk never.
    Risk.objects.filter(pk=risk.pk).update(next_review=datetime.date(2027, 11, 10))
    assert sweep_risk_reviews("2027-11-12") == 1
    Risk.objects.filter(pk=risk.pk).update(status=Risk.Status.CLOSED)
    Risk.objects.filter(pk=risk.pk).update(next_review=datetime.date(2028, 1, 1))
    assert sweep_risk_reviews("2028-01-02") == 0


def test_a_late_improvement_action_is_chased_weekly(personas):
    proposal = ImprovementProposal.objects.create(
        title="Formularz online",
        description="Wniosek przez ePUAP",
        proposed_by=personas.pracownik,
        status=ImprovementProposal.Status.ACCEPTED,
        action_owner=personas.wlasciciel,
        action_deadline=datetime.date(2027, 5, 10),
    )
    fired = _fired(sweep_improvement_actions, datetime.date(2027, 5, 8), datetime.date(2027, 5, 25))
    assert fired == {
        datetime.date(2027, 5, 11): 1,
        datetime.date(2027, 5, 17): 1,
        datetime.date(2027, 5, 24): 1,
    }
    assert [o for _p, o in _rows(Kind.IMPROVEMENT_ACTION_DUE)] == [
        "2027-05-10:week-0",
        "2027-05-10:week-1",
        "2027-05-10:week-2",
    ]
    assert Delivery.objects.first().link == reverse("reviews:proposal", args=[proposal.pk])


def _review(personas, number: str, meeting: datetime.date, status: str) -> ManagementReview:
    return ManagementReview.objects.create(
        number=number,
        meeting_date=meeting,
        period_start=meeting - 365 * DAY,
        period_end=meeting,
        status=status,
        prepared_by=personas.pelnomocnik,
    )


def test_the_next_management_review_is_due_eleven_months_after_the_last(personas):
    assert sweep_management_review("2027-06-01") == 0  # no review held yet: no baseline
    _review(personas, "PZ/2026", datetime.date(2026, 6, 15), ManagementReview.Status.APPROVED)
    fired = _fired(sweep_management_review, datetime.date(2027, 5, 10), datetime.date(2027, 6, 1))
    assert fired == {datetime.date(2027, 5, 15): 1}
    assert _rows(Kind.MANAGEMENT_REVIEW_DUE) == [("pelnomocnik", "2027-05-15")]
    assert Delivery.objects.get().link == reverse("reviews:review_list")


def test_a_review_in_preparation_silences_the_reminder(personas):
    _review(personas, "PZ/2026", datetime.date(2026, 6, 15), ManagementReview.Status.HELD)
    _review(personas, "PZ/2027", datetime.date(2027, 6, 10), ManagementReview.Status.DRAFT)
    assert sweep_management_review("2027-05-20") == 0


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 6, 15), 11) == datetime.date(2027, 5, 15)
    assert add_months(datetime.date(2027, 3, 31), 11) == datetime.date(2028, 2, 29)
