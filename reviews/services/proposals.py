"""Writes of improvement proposals: any employee submits one; the Zespół ds. Rozwoju SZJ
accepts it (it becomes a tracked action with an owner and a deadline) or rejects it with a
reason; the action owner reports it implemented. Every step is recorded in history."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from processes.models import Process
from qms.models import User
from qms.services import create_recorded, require, require_text, transition
from reviews.models import ImprovementProposal
from reviews.selectors.proposals import (
    can_assess_proposal,
    can_complete_proposal,
    can_submit_proposal,
)

S = ImprovementProposal.Status


@transaction.atomic
def proposal_submit(
    *,
    by: User,
    title: str,
    description: str,
    expected_benefit: str = "",
    process: Process | None = None,
) -> ImprovementProposal:
    """Record an improvement proposal made by ``by`` (any signed-in employee)."""
    require(can_submit_proposal(by))
    if process is not None and not process.is_active:
        raise ValidationError({"process": _("Choose a process that is in use.")})
    proposal = ImprovementProposal(
        title=title.strip(),
        description=description.strip(),
        expected_benefit=expected_benefit.strip(),
        process=process,
        proposed_by=by,
    )
    return create_recorded(proposal, by=by)


@transaction.atomic
def proposal_accept(
    *,
    proposal: ImprovementProposal,
    by: User,
    expected_version: int,
    assessment: str,
    action_owner: User,
    action_deadline: datetime.date,
    today: datetime.date | None = None,
) -> ImprovementProposal:
    """Accept a submitted proposal (the Zespół ds. Rozwoju SZJ): it becomes an improvement
    action owned by ``action_owner`` with ``action_deadline``, tracked until implemented."""
    today = today or timezone.localdate()

    def check(current: ImprovementProposal) -> None:
        errors = {}
        if not action_owner.is_active:
            errors["action_owner"] = _("Choose an active employee.")
        if action_deadline < today:
            errors["action_deadline"] = _("The deadline cannot be in the past.")
        if errors:
            raise ValidationError(errors)

    return transition(
        proposal,
        by=by,
        expected_version=expected_version,
        allowed=can_assess_proposal(by),
        source=[S.SUBMITTED],
        check=check,
        status=S.ACCEPTED,
        assessment=assessment.strip(),
        assessed_by=by,
        assessed_at=timezone.now(),
        action_owner=action_owner,
        action_deadline=action_deadline,
    )


@transaction.atomic
def proposal_reject(
    *, proposal: ImprovementProposal, by: User, expected_version: int, assessment: str
) -> ImprovementProposal:
    """Reject a submitted proposal with the reason (the Zespół ds. Rozwoju SZJ); the proposer
    reads the reason on the proposal."""
    return transition(
        proposal,
        by=by,
        expected_version=expected_version,
        allowed=can_assess_proposal(by),
        source=[S.SUBMITTED],
        check=lambda current: require_text(
            assessment, field="assessment", message=_("Give the reason for the rejection.")
        ),
        status=S.REJECTED,
        assessment=assessment.strip(),
        assessed_by=by,
        assessed_at=timezone.now(),
    )


@transaction.atomic
def proposal_complete(
    *, proposal: ImprovementProposal, by: User, expected_version: int, note: str
) -> ImprovementProposal:
    """Report an accepted proposal implemented, saying how (its action owner only)."""

    def check(current: ImprovementProposal) -> None:
        # Who may report it depends on the action's owner as it is now.
        require(can_complete_proposal(by, current))
        require_text(note, field="note", message=_("Say how the proposal was implemented."))

    return transition(
        proposal,
        by=by,
        expected_version=expected_version,
        source=[S.ACCEPTED],
        check=check,
        status=S.DONE,
        completion_note=note.strip(),
        completed_at=timezone.now(),
    )
