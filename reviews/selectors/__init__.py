"""Reads of the reviews app, one module per part (objectives, risks, feedback, context,
proposals, policy, review), plus ``review_inputs`` (the review's inputs a–j and its minutes,
reading through ``review``) and ``dashboard`` (the start-page section). The role rules every
part shares live here, built on ``qms.roles.signed_in``.

Top management and the Pełnomocnik read everything here; the Pełnomocnik prepares reviews and
enters feedback; objective owners enter their measurements; risk owners assess their risks;
only the Prezydent approves the Quality Policy and the review minutes; any employee submits an
improvement proposal and the Zespół ds. Rozwoju SZJ assesses them.
"""

import datetime

from django.utils import timezone

from qms import roles
from qms.models import User


def reads_everything(user: User) -> bool:
    """Top management (Prezydent, Najwyższe Kierownictwo) and the Pełnomocnik."""
    return roles.signed_in(user) and user.has_role(
        roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO, roles.PELNOMOCNIK
    )


def is_pelnomocnik(user: User) -> bool:
    return roles.signed_in(user) and user.has_role(roles.PELNOMOCNIK)


def is_prezydent(user: User) -> bool:
    return roles.signed_in(user) and user.has_role(roles.PREZYDENT)


def is_development_team(user: User) -> bool:
    return roles.signed_in(user) and user.has_role(roles.ZESPOL_ROZWOJU)


def keeps_registers(user: User) -> bool:
    """Maintains the objectives, risk and context registers on top management's behalf:
    the Pełnomocnik and Koordynator WOU."""
    return roles.signed_in(user) and user.has_role(roles.PELNOMOCNIK, roles.KOORDYNATOR_WOU)


def midnight(day: datetime.date) -> datetime.datetime:
    """The first moment of ``day`` in the city hall's time zone: periods given in days are
    compared with timestamps as ``midnight(first) <= t < midnight(last + 1 day)``."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
