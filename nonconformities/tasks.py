"""Reminders of nonconformity cards: corrective-action deadlines and verification of
effectiveness (daily sweeps, see ``audits.tasks`` for how windows and occasions work)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from django.db import models
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from nonconformities.models import CorrectiveAction, Nonconformity
from qms import roles
from qms.models import register_reminder_kinds
from qms.reminders import Due, link_to, people_with_role, sweep, unique_people, week_occasion


@register_reminder_kinds
class ReminderKind(models.TextChoices):
    """The reminders this app sends (``Delivery.kind``)."""

    ACTION_DUE_SOON = "action_due_soon", _("corrective action due in 7 days")
    ACTION_DUE_TODAY = "action_due_today", _("corrective action due today")
    ACTION_OVERDUE = "action_overdue", _("corrective action overdue")
    VERIFICATION_DUE = "verification_due", _("effectiveness verification due")


SOON_DAYS = 7
# Overdue this long, an action is also the process owner's and the Pełnomocnik's business.
ESCALATE_AFTER_DAYS = 14


def _day(value: datetime.date) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT")


@sweep("corrective_actions", hour=6, minute=15)
def corrective_actions(today: datetime.date) -> Iterator[Due]:
    """Open actions of open cards: due within 7 days (once per deadline), due today (once),
    overdue (once a week since the deadline; from 14 days on also the card's process owner and
    the Pełnomocnik). A moved deadline starts its own reminders."""
    horizon = today + datetime.timedelta(days=SOON_DAYS)
    actions = (
        CorrectiveAction.objects.filter(
            status__in=[CorrectiveAction.Status.PLANNED, CorrectiveAction.Status.IN_PROGRESS],
            card__status__in=Nonconformity.OPEN_STATUSES,
            deadline__lte=horizon,
        )
        .select_related("responsible", "card__process__owner")
        .order_by("deadline", "pk")
    )
    pelnomocnicy = None
    for action in actions:
        late_days = (today - action.deadline).days
        people = [action.responsible]
        if late_days < 0:
            kind, occasion = ReminderKind.ACTION_DUE_SOON, action.deadline.isoformat()
        elif late_days == 0:
            kind, occasion = ReminderKind.ACTION_DUE_TODAY, action.deadline.isoformat()
        else:
            kind, occasion = ReminderKind.ACTION_OVERDUE, week_occasion(action.deadline, today)
            if late_days >= ESCALATE_AFTER_DAYS:
                if pelnomocnicy is None:
                    pelnomocnicy = people_with_role(roles.PELNOMOCNIK)
                people += [action.card.process.owner, *pelnomocnicy]
        for person in unique_people(people):
            yield Due(
                kind=kind,
                record=action,
                record_label=f"{action.card.number}: {action.description[:120]}",
                recipient=person,
                occasion=occasion,
                link=link_to("nonconformities:detail", action.card_id),
                describe=_action_text(
                    action, kind, late_days, mine=person.pk == action.responsible_id
                ),
            )


def _action_text(action: CorrectiveAction, kind: str, late_days: int, *, mine: bool):
    def describe() -> tuple[str, str]:
        values = {
            "card": action.card.number,
            "date": _day(action.deadline),
            "action": action.description,
            "person": action.responsible,
            "days": late_days,
        }
        if kind == ReminderKind.ACTION_DUE_SOON:
            subject = _("Corrective action on card %(card)s is due on %(date)s") % values
        elif kind == ReminderKind.ACTION_DUE_TODAY:
            subject = _("Corrective action on card %(card)s is due today") % values
        else:
            subject = _("Corrective action on card %(card)s is overdue") % values
        lines = [_("Action: %(action)s") % values, _("Deadline: %(date)s") % values]
        if kind == ReminderKind.ACTION_OVERDUE:
            lines.append(
                ngettext(
                    "The deadline passed %(days)s day ago.",
                    "The deadline passed %(days)s days ago.",
                    late_days,
                )
                % values
            )
        if not mine:
            lines.append(_("Responsible person: %(person)s") % values)
        return subject, "\n".join(lines)

    return describe


@sweep("verifications", hour=6, minute=20)
def verifications(today: datetime.date) -> Iterator[Due]:
    """Cards waiting for verification of effectiveness: the Pełnomocnik, once per round of
    actions (a card reopened after an ineffective verification asks again)."""
    cards = Nonconformity.objects.filter(status=Nonconformity.Status.VERIFICATION).order_by("pk")
    people = people_with_role(roles.PELNOMOCNIK)
    for card in cards.select_related("process"):
        for person in people:
            yield Due(
                kind=ReminderKind.VERIFICATION_DUE,
                record=card,
                recipient=person,
                occasion=f"round-{card.round}",
                link=link_to("nonconformities:detail", card.pk),
                describe=_verification_text(card),
            )


def _verification_text(card: Nonconformity):
    def describe() -> tuple[str, str]:
        values = {"card": card.number, "process": card.process.code}
        subject = _("Card %(card)s is waiting for verification of effectiveness") % values
        body = (
            _(
                "All corrective actions of card %(card)s (process %(process)s) are done. "
                "Please verify whether they were effective."
            )
            % values
        )
        return subject, body

    return describe
