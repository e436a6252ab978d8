"""Reads of improvement proposals (Księga Jakości §10: every employee "proponuje działania w
kierunku doskonalenia"; the Zespół ds. Rozwoju SZJ prepares proposals for improving the QMS).

Top management, the Pełnomocnik, the register keepers and the Zespół ds. Rozwoju SZJ read every
proposal; anyone else reads the proposals they made and those whose action they carry out.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from qms.models import User
from qms.roles import signed_in
from reviews.models import ImprovementProposal
from reviews.selectors import is_development_team, keeps_registers, reads_everything

S = ImprovementProposal.Status


def reads_all_proposals(user: User) -> bool:
    return reads_everything(user) or keeps_registers(user) or is_development_team(user)


def can_submit_proposal(user: User) -> bool:
    """Any signed-in employee."""
    return signed_in(user)


def can_assess_proposal(user: User, proposal: ImprovementProposal | None = None) -> bool:
    """The Zespół ds. Rozwoju SZJ assesses a submitted proposal (``proposal`` None: any)."""
    if not is_development_team(user):
        return False
    return proposal is None or proposal.status == S.SUBMITTED


def can_complete_proposal(user: User, proposal: ImprovementProposal) -> bool:
    """The owner of an accepted proposal's action reports it implemented."""
    return signed_in(user) and proposal.status == S.ACCEPTED and proposal.action_owner_id == user.pk


def _with_people(queryset: QuerySet[ImprovementProposal]) -> QuerySet[ImprovementProposal]:
    return queryset.select_related("proposed_by", "assessed_by", "action_owner", "process")


def proposals_visible(*, user: User) -> QuerySet[ImprovementProposal]:
    """The proposals ``user`` may read (see the module docstring), newest first."""
    if not signed_in(user):
        return ImprovementProposal.objects.none()
    proposals = _with_people(ImprovementProposal.objects.order_by("-created_at", "-id"))
    if reads_all_proposals(user):
        return proposals
    return proposals.filter(Q(proposed_by=user) | Q(action_owner=user))


def proposal_get(*, user: User, pk: int) -> ImprovementProposal:
    """One proposal, or 404; ``PermissionDenied`` unless ``user`` may read it."""
    if not signed_in(user):
        raise PermissionDenied
    proposal = get_object_or_404(_with_people(ImprovementProposal.objects.all()), pk=pk)
    if not (
        reads_all_proposals(user) or user.pk in (proposal.proposed_by_id, proposal.action_owner_id)
    ):
        raise PermissionDenied
    return proposal


def proposals_for_period(start: datetime.date, end: datetime.date) -> QuerySet[ImprovementProposal]:
    """Input j) of the management review: the proposals submitted, assessed or implemented
    between ``start`` and ``end`` (inclusive), oldest first, with the people and the process
    joined in. No permission filtering: the review's own page decides who reads it."""
    in_period = (
        Q(created_at__date__range=(start, end))
        | Q(assessed_at__date__range=(start, end))
        | Q(completed_at__date__range=(start, end))
    )
    return _with_people(ImprovementProposal.objects.filter(in_period)).order_by("created_at", "id")


def open_proposal_actions() -> QuerySet[ImprovementProposal]:
    """Accepted proposals whose action is not yet implemented, earliest deadline first."""
    return _with_people(ImprovementProposal.objects.filter(status=S.ACCEPTED)).order_by(
        "action_deadline", "id"
    )


def proposal_actions_due(
    *, user: User | None = None, today: datetime.date
) -> QuerySet[ImprovementProposal]:
    """Open improvement actions whose deadline is ``today`` or earlier (overdue), for
    reminders; only those ``user`` owns when given."""
    actions = open_proposal_actions().filter(action_deadline__lte=today)
    if user is not None:
        actions = actions.filter(action_owner=user)
    return actions
