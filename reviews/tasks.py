"""Reminders of the top-level records: objective measurements, risk reviews, improvement
actions and the management review itself (daily sweeps, see ``audits.tasks`` for how windows
and occasions work)."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterator

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _

from qms import roles
from qms.models import register_reminder_kinds
from qms.reminders import Due, link_to, people_with_role, sweep, unique_people, week_occasion
from reviews.models import ImprovementProposal, ManagementReview, QualityObjective, Risk
from reviews.selectors.objectives import measurements_due, period_label
from reviews.selectors.proposals import proposal_actions_due
from reviews.selectors.risks import risks_due


@register_reminder_kinds
class ReminderKind(models.TextChoices):
    """The reminders this app sends (``Delivery.kind``)."""

    MEASUREMENT_DUE = "measurement_due", _("objective measurement due")
    RISK_REVIEW_DUE = "risk_review_due", _("risk review due")
    MANAGEMENT_REVIEW_DUE = "management_review_due", _("management review due")
    IMPROVEMENT_ACTION_DUE = "improvement_action_due", _("improvement action past its deadline")


# Księga Jakości §29: a review at least once a year; the reminder leaves a month to prepare it.
REVIEW_DUE_MONTHS = 11


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or the month's last day when it has no such day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@sweep("measurements", hour=6, minute=25)
def measurements(today: datetime.date) -> Iterator[Due]:
    """Active objectives whose last finished period has no measurement: the owner, once per
    period (``reviews.selectors.objectives.measurements_due``)."""
    for objective, start, end in measurements_due(today=today):
        if not objective.owner.is_active:
            continue
        yield Due(
            kind=ReminderKind.MEASUREMENT_DUE,
            record=objective,
            recipient=objective.owner,
            occasion=start.isoformat(),
            link=link_to("reviews:objective", objective.pk, fallback="reviews:objectives"),
            describe=_measurement_text(objective, start, end),
        )


def _measurement_text(objective: QualityObjective, start: datetime.date, end: datetime.date):
    def describe() -> tuple[str, str]:
        values = {
            "objective": objective.title,
            "period": period_label(objective.frequency, start),
            "indicator": objective.indicator,
        }
        subject = _("Enter the measurement of “%(objective)s” for %(period)s") % values
        body = (
            _(
                "The period %(period)s has ended and the objective “%(objective)s” has no "
                "measurement for it yet. Indicator: %(indicator)s."
            )
            % values
        )
        return subject, body

    return describe


@sweep("risk_reviews", hour=6, minute=30)
def risk_reviews(today: datetime.date) -> Iterator[Due]:
    """Active risks whose next review date has come: the owner, once per review date."""
    for risk in risks_due(today=today):
        if not risk.owner.is_active:
            continue
        yield Due(
            kind=ReminderKind.RISK_REVIEW_DUE,
            record=risk,
            recipient=risk.owner,
            occasion=risk.next_review.isoformat(),
            link=link_to("reviews:risk", risk.pk, fallback="reviews:risks"),
            describe=_risk_text(risk),
        )


def _risk_text(risk: Risk):
    def describe() -> tuple[str, str]:
        values = {"risk": risk.title, "date": _day(risk.next_review)}
        subject = _("Review of “%(risk)s” is due") % values
        body = (
            _(
                "The risk or opportunity “%(risk)s” was to be reviewed on %(date)s. Please assess "
                "it again and record whether its controls work."
            )
            % values
        )
        return subject, body

    return describe


@sweep("improvement_actions", hour=6, minute=35)
def improvement_actions(today: datetime.date) -> Iterator[Due]:
    """Accepted improvement proposals whose action is past its deadline: the action's owner,
    once a week since the deadline."""
    for proposal in proposal_actions_due(today=today):
        # The selector includes the deadline day itself; the action is late only after it.
        if proposal.action_owner is None or proposal.action_deadline >= today:
            continue
        for person in unique_people([proposal.action_owner]):
            yield Due(
                kind=ReminderKind.IMPROVEMENT_ACTION_DUE,
                record=proposal,
                recipient=person,
                occasion=week_occasion(proposal.action_deadline, today),
                link=link_to("reviews:proposal", proposal.pk, fallback="reviews:proposals"),
                describe=_proposal_text(proposal),
            )


def _proposal_text(proposal: ImprovementProposal):
    def describe() -> tuple[str, str]:
        values = {"title": proposal.title, "date": _day(proposal.action_deadline)}
        subject = _("Improvement action “%(title)s” is past its deadline") % values
        body = (
            _(
                "The improvement action “%(title)s” was to be implemented by %(date)s. Please "
                "record how it was implemented, or agree a new deadline."
            )
            % values
        )
        return subject, body

    return describe


@sweep("management_review", hour=6, minute=40)
def management_review(today: datetime.date) -> Iterator[Due]:
    """Eleven months after the last held review's meeting, when no later review is being
    prepared: the Pełnomocnik, once per due date. Nothing before the first review is held."""
    held = [ManagementReview.Status.HELD, ManagementReview.Status.APPROVED]
    last = ManagementReview.objects.filter(status__in=held).order_by("-meeting_date").first()
    if last is None:
        return
    due = add_months(last.meeting_date, REVIEW_DUE_MONTHS)
    if today < due:
        return
    preparing = ManagementReview.objects.filter(
        status=ManagementReview.Status.DRAFT, meeting_date__gt=last.meeting_date
    )
    if preparing.exists():
        return
    for person in people_with_role(roles.PELNOMOCNIK):
        yield Due(
            kind=ReminderKind.MANAGEMENT_REVIEW_DUE,
            record=last,
            recipient=person,
            occasion=due.isoformat(),
            link=link_to("reviews:review_list"),
            describe=_review_text(last),
        )


def _review_text(last: ManagementReview):
    def describe() -> tuple[str, str]:
        values = {"date": _day(last.meeting_date), "number": last.number}
        subject = _("The next management review is due")
        body = (
            _(
                "The last management review (%(number)s) met on %(date)s. The next one must be "
                "held within a year of it: please prepare and convene it."
            )
            % values
        )
        return subject, body

    return describe
