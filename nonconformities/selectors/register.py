"""Reads of the register of cards (list and export share them)."""

import datetime

from django.db.models import Exists, OuterRef, QuerySet

from nonconformities.models import CorrectiveAction, Nonconformity
from nonconformities.selectors.cards import cards_visible
from qms.models import User
from qms.queries import count_of

OPEN_ACTION_STATUSES = (CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS)


def with_action_figures(
    cards: QuerySet[Nonconformity], *, today: datetime.date
) -> QuerySet[Nonconformity]:
    """``cards`` annotated with ``open_actions`` (how many actions are still to do) and
    ``overdue`` (one of them is past its deadline), computed in the same query as the cards so
    a page of the register costs the same whatever it holds.

    Both are correlated subqueries, not a join with ``GROUP BY``: a grouped query must join and
    group every card before it can sort and cut a page, whereas subqueries are evaluated only
    for the rows returned, so a page walks the ``(year, number)`` index and stops after 25
    cards, and ``count()`` drops them altogether."""
    open_actions = CorrectiveAction.objects.filter(
        card=OuterRef("pk"), status__in=OPEN_ACTION_STATUSES
    )
    late = open_actions.filter(deadline__lt=today)
    return cards.annotate(
        open_actions=count_of(open_actions),
        overdue=Exists(late),
    )


def register_cards(*, user: User, today: datetime.date) -> QuerySet[Nonconformity]:
    """The cards ``user`` may read, with their action figures as of ``today`` (what the
    register's filters narrow and its table and export show)."""
    return with_action_figures(cards_visible(user=user), today=today)
