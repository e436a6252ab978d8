"""Reads of nonconformity cards, one module per part (cards, actions, register, dashboard, and
the panels this app adds to the process and audit pages). The role rules every part shares
live here.

The Pełnomocnik and Koordynator WOU see and manage every card; top management reads every card;
the card's process owner works the card (ownership is read from the process at the time of the
check, so access follows a change of owner at once); responsible persons see the cards of their
actions and update those actions; auditors see the cards of the processes they audit and may
verify effectiveness; other employees see nothing here.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from audits.models import Audit
from qms import roles
from qms.models import User
from qms.roles import signed_in


def is_keeper(user: User) -> bool:
    """Sees and manages every card (Pełnomocnik, Koordynator WOU)."""
    return signed_in(user) and user.has_role(roles.PELNOMOCNIK, roles.KOORDYNATOR_WOU)


def reads_everything(user: User) -> bool:
    return signed_in(user) and user.has_role(
        roles.PELNOMOCNIK, roles.KOORDYNATOR_WOU, roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO
    )


def audits_on(user: User) -> QuerySet[Audit]:
    """The audits ``user`` leads or is in the team of."""
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    return Audit.objects.filter(Q(lead_auditor=user) | in_team)
