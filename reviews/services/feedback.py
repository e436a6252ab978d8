"""Writes of customer feedback (Księga Jakości §27). The Pełnomocnik (or a register keeper)
records complaints, requests and petitions by their case number and the results of
satisfaction surveys; a complaint may raise one nonconformity card (§26)."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nonconformities.models import Nonconformity
from nonconformities.services.cards import card_raise
from processes.models import Process
from qms.models import OrganisationalUnit, User
from qms.services import create_recorded, lock, require, save_versioned
from reviews.models import Feedback
from reviews.selectors.feedback import OUTCOMES_BY_KIND, can_enter_feedback

K = Feedback.Kind
O = Feedback.Outcome  # noqa: E741

CASE_FIELDS = ("kind", "reference", "received", "unit", "process", "summary", "outcome")
SURVEY_FIELDS = (
    "survey_name",
    "period_start",
    "period_end",
    "score",
    "score_max",
    "respondents",
)
FIELDS = (*CASE_FIELDS, *SURVEY_FIELDS)


def _survey_errors(feedback: Feedback) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not feedback.survey_name:
        errors["survey_name"] = _("Name the survey.")
    if feedback.period_start is None:
        errors["period_start"] = _("Give the period the survey covers.")
    if feedback.period_end is None:
        errors["period_end"] = _("Give the period the survey covers.")
    elif feedback.period_start and feedback.period_end < feedback.period_start:
        errors["period_end"] = _("The period cannot end before it starts.")
    if feedback.score_max is None or feedback.score_max <= 0:
        errors["score_max"] = _("Give the maximum score of the scale.")
    if feedback.score is None or feedback.score < 0:
        errors["score"] = _("Give the score obtained.")
    elif feedback.score_max is not None and feedback.score > feedback.score_max:
        errors["score"] = _("The score cannot be higher than the maximum.")
    if not feedback.respondents:
        errors["respondents"] = _("Give the number of respondents.")
    return errors


def _case_errors(feedback: Feedback) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not feedback.reference:
        errors["reference"] = _("Give the case number (znak sprawy) from EZD.")
    if feedback.unit_id is None and feedback.process_id is None:
        errors["unit"] = _("Choose the organisational unit or the process concerned.")
    return errors


def _prepare(feedback: Feedback, *, today: datetime.date) -> Feedback:
    """Check the record against the rules of its kind and fill what follows from them."""
    feedback.reference = feedback.reference.strip()
    feedback.summary = feedback.summary.strip()
    feedback.survey_name = feedback.survey_name.strip()
    if feedback.unit_id is None and feedback.process is not None:
        feedback.unit = feedback.process.owner_unit
    errors: dict[str, str] = {}
    if feedback.received > today:
        errors["received"] = _("The date cannot be in the future.")
    if feedback.kind == K.SURVEY:
        feedback.outcome = O.NOT_APPLICABLE
        errors.update(_survey_errors(feedback))
    else:
        # A case carries no survey figures: left over from a changed form, they would be
        # counted as a survey result.
        for name in SURVEY_FIELDS:
            setattr(feedback, name, "" if name == "survey_name" else None)
        errors.update(_case_errors(feedback))
    if feedback.outcome not in OUTCOMES_BY_KIND.get(feedback.kind, ()):
        errors["outcome"] = _("This outcome does not apply to “%(kind)s”.") % {
            "kind": feedback.get_kind_display()
        }
    if feedback.reference:
        # A case number identifies one case in EZD: recording it twice would count it twice.
        same = Feedback.objects.filter(reference__iexact=feedback.reference)
        if feedback.pk:
            same = same.exclude(pk=feedback.pk)
        if same.exists():
            errors["reference"] = _("The case number %(reference)s is already recorded.") % {
                "reference": feedback.reference
            }
    if errors:
        raise ValidationError(errors)
    return feedback


@transaction.atomic
def feedback_create(
    *,
    by: User,
    kind: str,
    received: datetime.date,
    summary: str,
    reference: str = "",
    unit: OrganisationalUnit | None = None,
    process: Process | None = None,
    outcome: str = O.PENDING,
    survey_name: str = "",
    period_start: datetime.date | None = None,
    period_end: datetime.date | None = None,
    score: Decimal | None = None,
    score_max: Decimal | None = None,
    respondents: int | None = None,
    today: datetime.date | None = None,
) -> Feedback:
    """Record a complaint, request or petition (by its case number, with the unit or process
    concerned) or a survey result (survey, period, score out of the maximum, respondents).
    The Pełnomocnik or a register keeper."""
    require(can_enter_feedback(by))
    feedback = Feedback(
        kind=kind,
        reference=reference,
        received=received,
        unit=unit,
        process=process,
        summary=summary,
        outcome=outcome,
        survey_name=survey_name,
        period_start=period_start,
        period_end=period_end,
        score=score,
        score_max=score_max,
        respondents=respondents,
        entered_by=by,
    )
    _prepare(feedback, today=today or timezone.localdate())
    return create_recorded(feedback, by=by)


@transaction.atomic
def feedback_update(
    *,
    feedback: Feedback,
    by: User,
    expected_version: int,
    today: datetime.date | None = None,
    **fields: Any,
) -> Feedback:
    """Change a record (the Pełnomocnik or a register keeper), e.g. the outcome once the case
    is settled. A survey result stays a survey result and a case a case; a complaint that
    raised a card stays a complaint."""
    require(can_enter_feedback(by))
    current = lock(feedback)
    was_survey = current.kind == K.SURVEY
    for name, value in fields.items():
        if name not in FIELDS:
            raise ValueError(f"{name} is not a feedback field")
        setattr(current, name, value)
    if (current.kind == K.SURVEY) != was_survey:
        raise ValidationError(
            {"kind": _("A survey result cannot become a case, or the other way round.")}
        )
    if current.nonconformity_id is not None and current.kind != K.COMPLAINT:
        raise ValidationError(
            {"kind": _("This complaint raised a nonconformity card; it stays a complaint.")}
        )
    _prepare(current, today=today or timezone.localdate())
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def feedback_raise_card(
    *,
    feedback: Feedback,
    by: User,
    expected_version: int,
    process: Process | None,
    requirement: str,
    description: str,
    evidence: str,
    grade: str,
) -> Nonconformity:
    """Raise the nonconformity card of a complaint (source "complaint", the case number as the
    card's external reference) and link it to the complaint. One card per complaint: the
    complaint's row is locked, so two clicks raise one card."""
    require(can_enter_feedback(by))
    current = lock(feedback)
    if current.kind != K.COMPLAINT:
        raise ValidationError(_("Only a complaint raises a nonconformity card."))
    if current.nonconformity_id is not None:
        raise ValidationError(_("A card was already raised for this complaint."))
    if current.version != expected_version:
        # A stale form is refused before the card takes a number. ``save_versioned`` raises
        # the refusal (with the other person's changes) and saves nothing.
        save_versioned(current, expected_version=expected_version, by=by)
    process = process or current.process
    if process is None:
        raise ValidationError({"process": _("Choose the process the nonconformity concerns.")})
    card = card_raise(
        by=by,
        source=Nonconformity.Source.COMPLAINT,
        process=process,
        requirement=requirement,
        description=description,
        evidence=evidence,
        grade=grade,
        unit=current.unit,
        external_reference=current.reference,
    )
    current.nonconformity = card
    save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["nonconformity"],
        change_reason=f"Karta niezgodności {card.number}",
    )
    return card
