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
from qms.services import create_recorded, require, require_state, save_versioned
from reviews.models import ImprovementProposal
from reviews.selectors.proposals import (
    can_assess_proposal,
    can_complete_proposal,
    can_submit_proposal,
)

S = ImprovementProposal.Status


def _locked(proposal: ImprovementProposal) -> ImprovementProposal:
    return ImprovementProposal.objects.select_for_update().get(pk=proposal.pk)


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
    current = _locked(proposal)
    require(can_assess_proposal(by))
    require_state(current, S.SUBMITTED)
    errors = {}
    if not action_owner.is_active:
        errors["action_owner"] = _("Choose an active employee.")
    if action_deadline < today:
        errors["action_deadline"] = _("The deadline cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    current.status = S.ACCEPTED
    current.assessment = assessment.strip()
    current.assessed_by = by
    current.assessed_at = timezone.now()
    current.action_owner = action_owner
    current.action_deadline = action_deadline
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=[
            "status",
            "assessment",
            "assessed_by",
            "assessed_at",
            "action_owner",
            "action_deadline",
        ],
    )


@transaction.atomic
def proposal_reject(
    *, proposal: ImprovementProposal, by: User, expected_version: int, assessment: str
) -> ImprovementProposal:
    """Reject a submitted proposal with the reason (the Zespół ds. Rozwoju SZJ); the proposer
    reads the reason on the proposal."""
    current = _locked(proposal)
    require(can_assess_proposal(by))
    require_state(current, S.SUBMITTED)
    if not assessment.strip():
        raise ValidationError({"assessment": _("Give the reason for the rejection.")})
    current.status = S.REJECTED
    current.assessment = assessment.strip()
    current.assessed_by = by
    current.assessed_at = timezone.now()
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["status", "assessment", "assessed_by", "assessed_at"],
    )


@transaction.atomic
def proposal_complete(
    *, proposal: ImprovementProposal, by: User, expected_version: int, note: str
) -> ImprovementProposal:
    """Report an accepted proposal implemented, saying how (its action owner only)."""
    current = _locked(proposal)
    require_state(current, S.ACCEPTED)
    require(can_complete_proposal(by, current))
    if not note.strip():
        raise ValidationError({"note": _("Say how the proposal was implemented.")})
    current.status = S.DONE
    current.completion_note = note.strip()
    current.completed_at = timezone.now()
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["status", "completion_note", "completed_at"],
    )
