"""Per year: nonconformity cards and their corrective actions."""

from __future__ import annotations

from demo.scale.base import Day, SeederBase, at, days, stamp
from demo.scale.content import ACTIONS, EVIDENCE, FOUND, REQUIREMENTS
from nonconformities.models import CardNumber, CorrectiveAction, Nonconformity
from qms.models import User


class CardSeeder(SeederBase):
    """Per year: nonconformity cards and their corrective actions."""

    def _card_status(self, year: int, raised: Day) -> str:
        S, rng = Nonconformity.Status, self.rng
        roll = rng.random()
        if self._is_past(year):
            return S.CANCELLED if roll < 0.03 else S.CLOSED
        age = (self.today - raised).days
        if roll < 0.02:
            return S.CANCELLED
        if age > 150:
            return S.CLOSED if roll < 0.85 else (S.VERIFICATION if roll < 0.95 else S.REOPENED)
        if age > 90:
            return [S.VERIFICATION, S.IN_PROGRESS, S.CLOSED, S.REOPENED][int(roll * 4)]
        if age > 30:
            return [S.IN_PROGRESS, S.IN_PROGRESS, S.PLANNED, S.ANALYSIS][int(roll * 4)]
        return [S.REPORTED, S.ANALYSIS, S.ANALYSIS, S.PLANNED][int(roll * 4)]

    def seed_cards_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        S = Nonconformity.Status
        pelnomocnik = self.people["pelnomocnik"]
        last_day = min(Day(year, 12, 31), self.today - days(1))
        findings = self.nc_findings.get(year, [])
        from_audits = min(len(findings), round(v.cards_per_year * 0.6))
        picked = sorted(rng.sample(range(len(findings)), from_audits))
        owned_by_wlasciciel = [p for p in self.active if p.owner_id == self.people["wlasciciel"].pk]
        drafts = []
        for i in picked:
            finding = findings[i]
            raised = min(finding.audit.end_date + days(rng.randint(1, 7)), last_day)
            source = Nonconformity.Source.AUDIT_FINDING
            drafts.append((raised, finding, finding.process, source, None))
        sources = [
            Nonconformity.Source.COMPLAINT,
            Nonconformity.Source.INTERNAL_CONTROL,
            Nonconformity.Source.EXTERNAL_AUDIT,
            Nonconformity.Source.OWN_DETECTION,
            Nonconformity.Source.MANAGEMENT_REVIEW,
        ]
        others = v.cards_per_year - from_audits
        for i in range(others):
            raised = self._date(min(Day(year, 1, 5), last_day), last_day)
            process = rng.choice(self.active)
            if not self._is_past(year) and owned_by_wlasciciel and rng.random() < 0.15:
                process = rng.choice(owned_by_wlasciciel)
            source = rng.choices(sources, weights=[35, 25, 10, 25, 5])[0]
            forced = None
            if not self._is_past(year) and i >= others - 2:
                # Whatever the date and the factor, this year has a fresh card and one whose
                # actions are under way, so dashboards and reminder sweeps have work.
                if i == others - 1:
                    forced, age = Nonconformity.Status.REPORTED, rng.randint(1, 20)
                else:
                    forced, age = Nonconformity.Status.IN_PROGRESS, rng.randint(35, 80)
                raised = max(self.today - days(age), Day(year, 1, 1))
            drafts.append((raised, None, process, source, forced))
        drafts.sort(key=lambda d: (d[0], d[2].code))

        cards, plans = [], []
        for number, (raised, finding, process, source, forced) in enumerate(drafts, start=1):
            status = forced or self._card_status(year, raised)
            raiser = finding.audit.lead_auditor if finding else process.owner or pelnomocnik
            card = Nonconformity(
                number=f"KN/{year}/{number:03d}",
                year=year,
                source=source,
                finding=finding,
                external_reference=finding.audit.number if finding else "",
                process=process,
                unit=process.owner_unit,
                requirement=finding.requirement if finding else rng.choice(REQUIREMENTS),
                description=finding.description if finding else rng.choice(FOUND[:8]),
                evidence=finding.evidence if finding else rng.choice(EVIDENCE),
                grade=(finding.grade if finding else "")
                or (Nonconformity.Grade.MAJOR if rng.random() < 0.1 else Nonconformity.Grade.MINOR),
                raised_by=raiser,
                status=status,
            )
            if source == Nonconformity.Source.COMPLAINT:
                card.external_reference = f"{process.owner_unit.code}-SKO.1510.{number}.{year}"
            owner = process.owner or pelnomocnik
            analysed = raised + days(rng.randint(3, 14))
            moment = at(raised)
            if status == S.CANCELLED:
                card.cancellation_reason = "Karta założona omyłkowo — duplikat innej karty."
                moment = at(analysed)
            elif status != S.REPORTED:
                card.correction = "Uzupełniono brakujące zapisy w sprawach objętych próbą."
                card.correction_by = str(owner)
                card.correction_date = analysed
                card.root_cause = "Procedura nie została zaktualizowana po zmianie przepisów."
                card.five_whys = [
                    "Zapisy nie były prowadzone",
                    "Brak wzoru w procedurze",
                    "Procedura nie była aktualizowana po zmianie przepisów",
                ]
                card.similar = "Sprawdzono pozostałe procedury wydziału."
                moment = self._clamp(at(analysed))
            second_round = status == S.CLOSED and rng.random() < 0.06
            rounds = 2 if status == S.REOPENED or second_round else 1
            card.round = rounds
            k = rng.choice([2, 3])
            plan = self._plan_actions(card, owner, analysed, k, rounds)
            if plan and plan[-1][5]:
                moment = max(moment, plan[-1][5])
            if status in (S.CLOSED, S.REOPENED):
                done = max((p[5] for p in plan if p[0] == 1 and p[5]), default=moment)
                card.verified_by = pelnomocnik
                card.verified_at = self._clamp(done + days(rng.randint(14, 60)))
                card.verification_effective = status == S.CLOSED
                card.verification_note = (
                    "Próba 10 spraw w kolejnym audicie: zapisy kompletne."
                    if status == S.CLOSED
                    else "Kolejna próba wykazała te same braki."
                )
                if status == S.CLOSED and rounds == 2:
                    done = max(p[5] for p in plan if p[5])
                    card.verified_at = self._clamp(done + days(rng.randint(14, 60)))
                moment = max(moment, card.verified_at)
            cards.append(stamp(card, at(raised, 9), raiser, moment))
            plans.append(plan)
        cards = self._insert(Nonconformity, cards)
        self._insert(CardNumber, [CardNumber(year=year, last=len(cards))], history=False)

        actions = []
        for card, plan in zip(cards, plans, strict=True):
            for round_no, desc, responsible, deadline, status, completed, added in plan:
                action = CorrectiveAction(
                    card=card,
                    round=round_no,
                    description=desc,
                    responsible=responsible,
                    deadline=deadline,
                    status=status,
                )
                if completed:
                    action.completion_note = "Wykonano; dokumentacja w aktach wydziału."
                    action.completed_by = responsible
                    action.completed_at = completed
                actions.append(stamp(action, added, card.process.owner, completed or added))
        if not self._is_past(year):
            self._make_sure_demo_people_act(actions)
        actions = self._insert(CorrectiveAction, actions)
        self.actions += actions
        self.cards += cards
        self.seed_feedback_year(year, [c for c in cards if c.source == "complaint"])

    def _plan_actions(self, card, owner: User, analysed: Day, k: int, rounds: int) -> list[tuple]:
        """(round, description, responsible, deadline, status, completed_at, added_at) rows."""
        S, A, rng = Nonconformity.Status, CorrectiveAction.Status, self.rng
        if card.status in (S.REPORTED, S.ANALYSIS, S.CANCELLED):
            return []
        rows = []
        split = [k] if rounds == 1 else [k - 1, 1]
        start = analysed
        for round_no, how_many in enumerate(split, start=1):
            final_round = round_no == len(split)
            for _ in range(how_many):
                responsible = self._responsible(card, owner)
                added = self._clamp(at(start, 11))
                deadline = start + days(rng.randint(20, 90))
                status, completed = A.DONE, None
                open_round = final_round and card.status in (
                    S.PLANNED,
                    S.IN_PROGRESS,
                    S.REOPENED,
                )
                if open_round:
                    status = A.PLANNED
                    if card.status == S.REOPENED:
                        deadline = self.today + days(rng.randint(5, 60))
                    elif card.status == S.IN_PROGRESS:
                        status = rng.choice([A.IN_PROGRESS, A.IN_PROGRESS, A.PLANNED, A.DONE])
                        if rng.random() < 0.3:
                            deadline = self.today - days(rng.randint(1, 40))
                        else:
                            deadline = self.today + days(rng.randint(1, 45))
                    else:
                        deadline = self.today + days(rng.randint(3, 60))
                    deadline = max(deadline, start)
                if status == A.DONE:
                    late = rng.random() < 0.1
                    when = deadline + days(rng.randint(2, 20) if late else -rng.randint(0, 15))
                    completed = self._clamp(at(max(when, start), 13))
                rows.append((round_no, rng.choice(ACTIONS), responsible, deadline, status,
                             completed, added))  # fmt: skip
            if len(split) == 2 and round_no == 1:
                done = max(r[5] for r in rows)
                start = min(done.date() + days(rng.randint(20, 60)), self.today - days(1))
        if card.status == S.IN_PROGRESS and all(r[4] == A.DONE for r in rows):
            rows[0] = (*rows[0][:4], A.IN_PROGRESS, None, rows[0][6])
        return rows

    def _responsible(self, card: Nonconformity, owner: User) -> User:
        roll = self.rng.random()
        if roll < 0.5 or not self.members[card.process.owner_unit_id]:
            return owner
        if roll < 0.53 and "pracownik" in self.people:
            return self.people["pracownik"]
        return self._member(card.process.owner_unit_id)

    def _make_sure_demo_people_act(self, actions: list[CorrectiveAction]) -> None:
        """The demo owner and employee always have open actions to work on this year."""
        open_actions = [a for a in actions if a.is_open]
        for username, action in zip(("pracownik", "wlasciciel"), open_actions, strict=False):
            if not any(a.responsible_id == self.people[username].pk for a in open_actions):
                action.responsible = self.people[username]
