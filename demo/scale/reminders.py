"""The reminder deliveries and notifications that the history implies."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db import models

from audits.tasks import ReminderKind as AuditReminder
from demo.scale.base import Day, SeederBase, at, days
from nonconformities.models import CorrectiveAction
from nonconformities.tasks import ReminderKind as CardReminder
from qms.models import Delivery, Notification, User


class ReminderSeeder(SeederBase):
    """The reminder deliveries and notifications that the history implies."""

    def _deliver(self, *, kind: str, record: models.Model, label: str, people: list[User],
                 occasion: str, subject: str, body: str, link: str, day: Day) -> None:  # fmt: skip
        created = at(day, 6, 0)
        if created.date() > self.today:
            return
        seen: set[int] = set()
        for person in people:
            if person is None or person.pk in seen:
                continue
            seen.add(person.pk)
            delivery = Delivery(
                kind=kind,
                record_type=record._meta.label_lower,
                record_id=record.pk,
                record_label=label[:200],
                recipient=person,
                occasion=occasion,
                subject=subject[:255],
                body=body,
                link=link,
                state=Delivery.State.SENT,
                attempts=1,
                sent_at=created + datetime.timedelta(minutes=5),
                created_at=created,
            )
            self.deliveries.append(delivery)

    def seed_deliveries(self) -> None:
        K, A = CardReminder, CorrectiveAction.Status
        cards = {c.pk: c for c in self.cards}
        pelnomocnik = self.people["pelnomocnik"]
        for action in self.actions:
            if action.status == A.CANCELLED:
                continue
            card = cards[action.card_id]
            link = self.card_link.replace("987654321", str(card.pk))
            label = f"{card.number}: {action.description[:120]}"
            deadline = action.deadline
            finished = action.completed_at.date() if action.completed_at else None
            body = f"Działanie: {action.description}\nTermin: {deadline.isoformat()}"
            soon = deadline - days(7)
            if finished is None or finished > soon:
                self._deliver(
                    kind=K.ACTION_DUE_SOON, record=action, label=label,
                    people=[action.responsible], occasion=deadline.isoformat(),
                    subject=f"Termin działania korygującego na karcie {card.number} upływa "
                    f"{deadline.isoformat()}",
                    body=body, link=link, day=soon,
                )  # fmt: skip
            if finished is None or finished >= deadline:
                self._deliver(
                    kind=K.ACTION_DUE_TODAY, record=action, label=label,
                    people=[action.responsible], occasion=deadline.isoformat(),
                    subject=f"Termin działania korygującego na karcie {card.number} upływa dziś",
                    body=body, link=link, day=deadline,
                )  # fmt: skip
            end = finished or self.today
            for late in (1, 8, 15):
                if deadline + days(late) > end:
                    break
                people = [action.responsible]
                if late >= 14:
                    people += [card.process.owner, pelnomocnik]
                self._deliver(
                    kind=K.ACTION_OVERDUE, record=action, label=label, people=people,
                    occasion=f"{deadline.isoformat()}:week-{late // 7}",
                    subject=f"Działanie korygujące na karcie {card.number} jest po terminie",
                    body=body, link=link, day=deadline + days(late),
                )  # fmt: skip
        # Verification due: when the last action of a round was done.
        by_card: dict[int, list[CorrectiveAction]] = defaultdict(list)
        for action in self.actions:
            by_card[action.card_id].append(action)
        for card in self.cards:
            for round_no in range(1, card.round + 1):
                done = [a.completed_at for a in by_card[card.pk] if a.round == round_no]
                if not done or any(d is None for d in done):
                    continue
                self._deliver(
                    kind=K.VERIFICATION_DUE, record=card, label=card.number,
                    people=[pelnomocnik], occasion=f"round-{round_no}",
                    subject=f"Karta {card.number} czeka na weryfikację skuteczności",
                    body=f"Wszystkie działania korygujące karty {card.number} są wykonane.",
                    link=self.card_link.replace("987654321", str(card.pk)),
                    day=max(done).date(),
                )  # fmt: skip
        for audits in self.audits_by_year.values():
            for audit in audits:
                if audit.start_date is None:
                    continue
                processes, team = audit._spec  # type: ignore[attr-defined]
                self._deliver(
                    kind=AuditReminder.AUDIT_UPCOMING, record=audit, label=audit.number,
                    people=[audit.lead_auditor, *team, *(p.owner for p in processes)],
                    occasion=audit.start_date.isoformat(),
                    subject=f"Audit {audit.number} rozpoczyna się {audit.start_date.isoformat()}",
                    body=f"Zakres: {audit.scope}",
                    link=self.audit_link.replace("987654321", str(audit.pk)),
                    day=audit.start_date - days(7),
                )  # fmt: skip

        deliveries = self._insert(Delivery, self.deliveries, history=False)
        recent = self.today - days(30)
        notifications = []
        for delivery in deliveries:
            read = self.rng.random() < (0.97 if delivery.created_at.date() < recent else 0.6)
            notifications.append(
                Notification(
                    recipient_id=delivery.recipient_id,
                    delivery=delivery,
                    text=delivery.subject,
                    link=delivery.link,
                    created_at=delivery.created_at,
                    read_at=self._clamp(delivery.created_at + days(self.rng.randint(0, 3)))
                    if read
                    else None,
                )
            )
        self._insert(Notification, notifications, history=False)
