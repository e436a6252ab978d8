"""Reminder sweeps of nonconformity cards, run day by day around an action's deadline."""

import datetime
from functools import partial

import pytest

from nonconformities.models import CorrectiveAction, Nonconformity
from nonconformities.tasks import ReminderKind as Kind
from qms.models import Delivery
from qms.tasks import sweep

# The sweeps as the beat runs them: the one task, given the sweep's name.
sweep_corrective_actions = partial(sweep, "corrective_actions")
sweep_verifications = partial(sweep, "verifications")
DAY = datetime.timedelta(days=1)


def _sweep(task, first: datetime.date, last: datetime.date) -> dict[int, int]:
    """Run ``task`` for each day; the days (relative to ``first``) that created rows."""
    fired = {}
    day = first
    while day <= last:
        created = task(day.isoformat())
        if created:
            fired[(day - first).days] = created
        day += DAY
    return fired


def _rows(kind: str) -> list[tuple[str, str]]:
    rows = Delivery.objects.filter(kind=kind).order_by("occasion", "recipient__username")
    return list(rows.values_list("recipient__username", "occasion"))


@pytest.fixture
def action(card_setup) -> CorrectiveAction:
    return card_setup["action"]  # pracownik's action on a card of wlasciciel's process


def test_an_action_is_reminded_before_on_and_weekly_after_its_deadline(action):
    deadline = action.deadline
    start = deadline - 10 * DAY
    fired = _sweep(sweep_corrective_actions, start, deadline + 22 * DAY)
    # 7 days before; on the day; 1, 7, 14 and 21 days after (from 14 days late with the process
    # owner and the Pełnomocnik).
    assert fired == {3: 1, 10: 1, 11: 1, 17: 1, 24: 3, 31: 3}
    d = deadline.isoformat()
    assert _rows(Kind.ACTION_DUE_SOON) == [("pracownik", d)]
    assert _rows(Kind.ACTION_DUE_TODAY) == [("pracownik", d)]
    assert _rows(Kind.ACTION_OVERDUE) == [
        ("pracownik", f"{d}:week-0"),
        ("pracownik", f"{d}:week-1"),
        ("pelnomocnik", f"{d}:week-2"),
        ("pracownik", f"{d}:week-2"),
        ("wlasciciel", f"{d}:week-2"),
        ("pelnomocnik", f"{d}:week-3"),
        ("pracownik", f"{d}:week-3"),
        ("wlasciciel", f"{d}:week-3"),
    ]
    card = action.card
    overdue = Delivery.objects.get(
        kind=Kind.ACTION_OVERDUE, recipient__username="wlasciciel", occasion=f"{d}:week-2"
    )
    assert overdue.link == f"/niezgodnosci/{card.pk}/"
    assert card.number in overdue.subject and card.number in overdue.record_label
    # The owner and the Pełnomocnik are told whose action it is.
    assert str(action.responsible) in overdue.body


def test_a_sweep_run_twice_a_day_creates_nothing_twice(action):
    day = (action.deadline + 15 * DAY).isoformat()
    assert sweep_corrective_actions(day) == 3
    assert sweep_corrective_actions(day) == 0
    assert Delivery.objects.count() == 3


def test_a_moved_deadline_starts_its_own_reminders(action):
    sweep_corrective_actions((action.deadline - 5 * DAY).isoformat())
    CorrectiveAction.objects.filter(pk=action.pk).update(deadline=action.deadline + 30 * DAY)
    assert sweep_corrective_actions((action.deadline + 25 * DAY).isoformat()) == 1
    assert len(_rows(Kind.ACTION_DUE_SOON)) == 2


def test_done_actions_and_closed_cards_are_left_alone(action):
    late = (action.deadline + 20 * DAY).isoformat()
    CorrectiveAction.objects.filter(pk=action.pk).update(status=CorrectiveAction.Status.DONE)
    assert sweep_corrective_actions(late) == 0
    CorrectiveAction.objects.filter(pk=action.pk).update(status=CorrectiveAction.Status.PLANNED)
    Nonconformity.objects.filter(pk=action.card_id).update(status=Nonconformity.Status.CANCELLED)
    assert sweep_corrective_actions(late) == 0


def test_verification_is_asked_of_the_pelnomocnik_once_per_round(action):
    card = action.card
    today = datetime.date(2027, 6, 1)
    assert sweep_verifications(today.isoformat()) == 0
    Nonconformity.objects.filter(pk=card.pk).update(status=Nonconformity.Status.VERIFICATION)
    assert sweep_verifications(today.isoformat()) == 1
    assert sweep_verifications((today + DAY).isoformat()) == 0
    # Not effective: reopened, a second round of actions, verification again.
    Nonconformity.objects.filter(pk=card.pk).update(round=2)
    assert sweep_verifications((today + 30 * DAY).isoformat()) == 1
    assert _rows(Kind.VERIFICATION_DUE) == [("pelnomocnik", "round-1"), ("pelnomocnik", "round-2")]
