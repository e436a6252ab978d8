"""Reads of the audit programme, one module per part (appointments, plans, audits, findings,
coverage, calendar, dashboard). The role rules every part shares live here.

Koordynator WOU drafts plans and candidate lists and coordinates audits; the Prezydent approves
plans and appoints auditors; the Pełnomocnik and top management see everything; auditors work on
the audits they are on; process owners see the audits of their processes and acknowledge the
reports; every signed-in employee reads the approved plan.
"""

from qms import roles
from qms.models import User
from qms.roles import signed_in


def can_prepare_programme(user: User) -> bool:
    """Drafts plans and candidate lists, creates audits, evaluates reports (Koordynator WOU)."""
    return signed_in(user) and user.has_role(roles.KOORDYNATOR_WOU)


def can_approve_programme(user: User) -> bool:
    """Approves plans and appoints auditors (Prezydent)."""
    return signed_in(user) and user.has_role(roles.PREZYDENT)


def can_see_whole_programme(user: User) -> bool:
    """Sees every plan revision, list and audit."""
    return signed_in(user) and user.has_role(roles.KOORDYNATOR_WOU, *roles.OVERSEERS)


def can_close_audits(user: User) -> bool:
    return signed_in(user) and user.has_role(roles.KOORDYNATOR_WOU, roles.PELNOMOCNIK)
