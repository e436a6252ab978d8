"""Writes to the register of risks and opportunities (Księga Jakości §11: identification,
analysis and assessment, controls, monitoring of their effectiveness).

The scores, controls and next review date of a risk change only through an assessment, which
also adds a ``RiskAssessment`` row: the register's history of scores is therefore complete,
and the keepers' edit form never touches those fields.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from processes.models import Process
from qms.models import User
from qms.services import create_recorded, lock, require, require_text, save_versioned, transition
from reviews.models import QualityObjective, Risk, RiskAssessment
from reviews.selectors.risks import can_assess_risk, can_keep_risks

# What the keepers' edit changes; scores, controls and the next review belong to assessments.
DESCRIPTION_FIELDS = ("kind", "process", "objective", "title", "description", "owner")


def _link_errors(
    *, process: Process | None, objective: QualityObjective | None, owner: User
) -> dict[str, str]:
    errors = {}
    if process is not None and not process.is_active:
        errors["process"] = _("Choose a process that is in use.")
    if objective is not None and not objective.is_active:
        errors["objective"] = _("Choose a current objective.")
    if not owner.is_active:
        errors["owner"] = _("Choose an active employee.")
    return errors


def _assessment(
    risk: Risk,
    *,
    by: User,
    likelihood: int,
    impact: int,
    controls: str,
    controls_effective: bool | None,
    note: str,
) -> RiskAssessment:
    assessment = RiskAssessment(
        risk=risk,
        likelihood=likelihood,
        impact=impact,
        controls=controls,
        controls_effective=controls_effective,
        note=note.strip(),
        assessed_by=by,
    )
    assessment.full_clean()
    assessment._history_user = by  # type: ignore[attr-defined]
    assessment.save()
    return assessment


@transaction.atomic
def risk_create(
    *,
    by: User,
    kind: str,
    title: str,
    owner: User,
    likelihood: int,
    impact: int,
    next_review: datetime.date,
    description: str = "",
    controls: str = "",
    process: Process | None = None,
    objective: QualityObjective | None = None,
    today: datetime.date | None = None,
) -> Risk:
    """Identify a risk or opportunity (register keepers). The first scores are recorded as its
    first assessment, so the history starts where the register does."""
    require(can_keep_risks(by))
    today = today or timezone.localdate()
    errors = _link_errors(process=process, objective=objective, owner=owner)
    if next_review < today:
        errors["next_review"] = _("The next review cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    risk = create_recorded(
        Risk(
            kind=kind,
            process=process,
            objective=objective,
            title=title.strip(),
            description=description.strip(),
            likelihood=likelihood,
            impact=impact,
            controls=controls.strip(),
            owner=owner,
            next_review=next_review,
        ),
        by=by,
    )
    _assessment(
        risk,
        by=by,
        likelihood=likelihood,
        impact=impact,
        controls=risk.controls,
        controls_effective=None,
        # Part of the record (like a change reason), so in the register's language.
        note="Identyfikacja i pierwsza ocena",
    )
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, by: User, expected_version: int, **fields: Any) -> Risk:
    """Change what the register says about an active risk (register keepers): kind, process,
    objective, title, description, owner. Scores change only by ``risk_assess``."""
    require(can_keep_risks(by))
    current = lock(risk)
    if current.status != Risk.Status.ACTIVE:
        raise ValidationError(_("A closed risk cannot be changed; reopen it first."))
    for name, value in fields.items():
        if name not in DESCRIPTION_FIELDS:
            raise ValueError(f"{name} is not a descriptive field of a risk")
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    # Only a link being set now must point at something in use: an edit of the title must not
    # fail because the process was withdrawn since.
    errors = _link_errors(
        process=current.process if "process" in fields else None,
        objective=current.objective if "objective" in fields else None,
        owner=current.owner,
    )
    if errors:
        raise ValidationError(errors)
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def risk_assess(
    *,
    risk: Risk,
    by: User,
    expected_version: int,
    likelihood: int,
    impact: int,
    controls: str,
    controls_effective: bool | None,
    note: str,
    next_review: datetime.date,
    today: datetime.date | None = None,
) -> RiskAssessment:
    """Assess an active risk (its owner or a register keeper): a new ``RiskAssessment`` row is
    kept for ever and the risk's current likelihood, impact, controls and next review are set
    from it, with the version check against a concurrent assessment or edit."""
    today = today or timezone.localdate()
    current = lock(risk)
    require(can_assess_risk(by, current))
    if next_review <= today:
        raise ValidationError({"next_review": _("The next review must be after today.")})
    current.likelihood = likelihood
    current.impact = impact
    current.controls = controls.strip()
    current.next_review = next_review
    # The version check runs first: a refused save writes no assessment row either.
    save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["likelihood", "impact", "controls", "next_review"],
        change_reason="Ocena ryzyka",
    )
    return _assessment(
        current,
        by=by,
        likelihood=likelihood,
        impact=impact,
        controls=current.controls,
        controls_effective=controls_effective,
        note=note,
    )


@transaction.atomic
def risk_close(*, risk: Risk, by: User, expected_version: int, reason: str) -> Risk:
    """Mark a risk as no longer relevant, with the reason (register keepers). It stays in the
    register with its assessments."""

    def check(current: Risk) -> None:
        if current.status != Risk.Status.ACTIVE:
            raise ValidationError(_("This risk is already closed."))
        require_text(
            reason, field="reason", message=_("Give the reason why the risk is no longer relevant.")
        )

    return transition(
        risk,
        by=by,
        expected_version=expected_version,
        allowed=can_keep_risks(by),
        check=check,
        change_reason=reason.strip(),
        status=Risk.Status.CLOSED,
    )


@transaction.atomic
def risk_reopen(
    *,
    risk: Risk,
    by: User,
    expected_version: int,
    next_review: datetime.date,
    today: datetime.date | None = None,
) -> Risk:
    """Make a closed risk active again with a date for its next review (register keepers)."""
    today = today or timezone.localdate()

    def check(current: Risk) -> None:
        if current.status != Risk.Status.CLOSED:
            raise ValidationError(_("This risk is already active."))
        if next_review < today:
            raise ValidationError({"next_review": _("The next review cannot be in the past.")})

    return transition(
        risk,
        by=by,
        expected_version=expected_version,
        allowed=can_keep_risks(by),
        check=check,
        status=Risk.Status.ACTIVE,
        next_review=next_review,
    )
