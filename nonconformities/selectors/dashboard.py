"""The nonconformities' section of the start page."""

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from audits.selectors.appointments import appointed_auditor_ids
from nonconformities.models import CorrectiveAction, Nonconformity
from nonconformities.selectors import audits_on
from nonconformities.selectors.actions import my_actions
from nonconformities.selectors.cards import cards_visible
from qms import roles
from qms.models import User


def awaiting_verification(*, user: User, today: datetime.date) -> QuerySet[Nonconformity]:
    """Cards in verification that ``user`` could verify (for the start page)."""
    cards = cards_visible(user=user).filter(status=Nonconformity.Status.VERIFICATION)
    if not user.has_role(roles.PELNOMOCNIK):
        if user.pk not in appointed_auditor_ids(today.year):
            return cards.none()
        cards = cards.filter(Exists(audits_on(user).filter(processes=OuterRef("process"))))
    implemented = CorrectiveAction.objects.filter(card=OuterRef("pk")).filter(
        Q(responsible=user) | Q(completed_by=user)
    )
    return cards.exclude(Exists(implemented))


def dashboard_sections(*, user: User, today: datetime.date) -> dict:
    actions = my_actions(user=user).filter(responsible=user)
    return {
        "actions_overdue": list(actions.filter(deadline__lt=today)[:10]),
        "actions_due": list(
            actions.filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=14))[
                :10
            ]
        ),
        "cards_to_verify": list(awaiting_verification(user=user, today=today)[:10]),
    }
