"""Feedback, the Quality Policy, context, objectives, proposals, reviews, risks, minutes."""

from __future__ import annotations

import hashlib
import logging
from decimal import Decimal

from django.core.files.base import ContentFile

from demo.reviews_registers import DECLARATION, MISSION
from demo.reviews_review import DECISIONS
from demo.scale.base import Day, SeederBase, at, days, stamp
from demo.scale.content import CONTEXT, FEEDBACK_SUBJECTS, OBJECTIVES, PARTIES, PROPOSALS, RISKS
from nonconformities.models import Nonconformity
from qms import roles
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    ManagementReview,
    Measurement,
    QualityObjective,
    QualityPolicy,
    ReviewDecision,
    Risk,
    RiskAssessment,
)


class ReviewSeeder(SeederBase):
    """Feedback, the Quality Policy, context, objectives, proposals, reviews, risks, minutes."""

    def seed_feedback_year(self, year: int, complaint_cards: list[Nonconformity]) -> None:
        rng, v = self.rng, self.volumes
        K, Outcome = Feedback.Kind, Feedback.Outcome
        entered_by = [self.people["pelnomocnik"], self.people["koordynator"]]
        last_day = min(Day(year, 12, 31), self.today - days(1))
        rows = []
        for card in complaint_cards:
            received = card.created_at.date() - days(rng.randint(1, 10))
            received = max(received, Day(year, 1, 1))
            rows.append(
                Feedback(
                    kind=K.COMPLAINT,
                    reference=card.external_reference,
                    received=received,
                    unit=card.unit,
                    process=card.process,
                    summary=rng.choice(FEEDBACK_SUBJECTS["complaint"]),
                    outcome=Outcome.JUSTIFIED,
                    nonconformity=card,
                    entered_by=rng.choice(entered_by),
                )
            )
        for i in range(max(0, v.feedback_per_year - len(rows))):
            kind = rng.choices(
                [K.COMPLAINT, K.REQUEST, K.PETITION, K.SURVEY], weights=[25, 65, 7, 3]
            )[0]
            received = self._date(Day(year, 1, 2), last_day)
            process = rng.choice(self.active)
            pending = not self._is_past(year) and (self.today - received).days < 45
            feedback = Feedback(
                kind=kind,
                received=received,
                unit=process.owner_unit,
                process=process if kind != K.SURVEY else None,
                summary=rng.choice(FEEDBACK_SUBJECTS[kind]),
                entered_by=rng.choice(entered_by),
            )
            if kind == K.SURVEY:
                feedback.outcome = Outcome.NOT_APPLICABLE
                feedback.survey_name = f"Badanie satysfakcji klientów — {process.owner_unit.code}"
                feedback.period_start = Day(received.year, 1, 1)
                feedback.period_end = received
                feedback.score = Decimal(rng.randint(340, 490)) / 100
                feedback.score_max = Decimal("5")
                feedback.respondents = rng.randint(40, 600)
            else:
                series = "152" if kind == K.PETITION else "1510"
                feedback.reference = f"{process.owner_unit.code}-SW.{series}.{i + 1}.{year}"
                if pending:
                    feedback.outcome = Outcome.PENDING
                elif kind == K.COMPLAINT:
                    feedback.outcome = (
                        Outcome.UNJUSTIFIED if rng.random() < 0.7 else Outcome.JUSTIFIED
                    )
                else:
                    feedback.outcome = Outcome.ACCEPTED if rng.random() < 0.5 else Outcome.DECLINED
            rows.append(feedback)
        for feedback in rows:
            stamp(feedback, at(feedback.received, 12), feedback.entered_by)
        self._insert(Feedback, rows, history=False)

    def seed_policies_and_registers(self) -> None:
        rng, v = self.rng, self.volumes
        prezydent, pelnomocnik = self.people["prezydent"], self.people["pelnomocnik"]
        koordynator = self.people["koordynator"]
        starts = self.years[::4]
        policies = []
        for number, year in enumerate(starts, start=1):
            approved = Day(year, 1, 15)
            policy = QualityPolicy(
                number=number,
                mission=MISSION,
                declaration=DECLARATION,
                status=QualityPolicy.Status.APPROVED
                if year == starts[-1]
                else QualityPolicy.Status.SUPERSEDED,
                approved_by=prezydent,
                approved_at=at(approved, 12),
            )
            policies.append(stamp(policy, at(approved - days(20)), pelnomocnik, at(approved)))
        policies = self._insert(QualityPolicy, policies)
        self.policy_of_year = {
            year: next(p for p in reversed(policies) if p.approved_at.year <= year)
            for year in self.years
        }
        reviewed = self.today - days(rng.randint(30, 200))
        issues = []
        for i in range(v.context_issues):
            kind, title = CONTEXT[i % len(CONTEXT)]
            if i >= len(CONTEXT):
                title = f"{title} ({i // len(CONTEXT) + 1})"
            issues.append(
                stamp(
                    ContextIssue(
                        kind=kind,
                        title=title,
                        description="Omówione na przeglądzie zarządzania.",
                        effect="Uwzględnione w analizie ryzyk i celach jakościowych.",
                        is_active=rng.random() < 0.9,
                        last_reviewed=reviewed,
                    ),
                    at(Day(self.years[0], 2, 1)),
                    koordynator,
                )
            )
        self._insert(ContextIssue, issues)
        parties = []
        for i in range(v.interested_parties):
            name = PARTIES[i % len(PARTIES)]
            if i >= len(PARTIES):
                name = f"{name} ({i // len(PARTIES) + 1})"
            parties.append(
                stamp(
                    InterestedParty(
                        name=name,
                        needs="Sprawna, rzetelna i zgodna z prawem obsługa.",
                        monitoring="Ankiety, skargi i wnioski, konsultacje.",
                        last_reviewed=reviewed,
                    ),
                    at(Day(self.years[0], 2, 1)),
                    koordynator,
                )
            )
        self._insert(InterestedParty, parties)

    def seed_objectives_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        pelnomocnik = self.people["pelnomocnik"]
        objectives = []
        for i in range(v.objectives_per_year):
            title, measure, unit, target, sign = OBJECTIVES[i % len(OBJECTIVES)]
            process = rng.choice(self.active)
            owner = process.owner or pelnomocnik
            if i == 0:
                owner = self.people["wlasciciel"]
            objective = QualityObjective(
                year=year,
                policy=self.policy_of_year[year],
                title=f"{title} — {process.code} ({i + 1})",
                measure=measure,
                indicator=f"{measure} w miesiącu",
                indicator_unit=unit,
                target=Decimal(target),
                direction=QualityObjective.Direction.AT_LEAST
                if sign > 0
                else QualityObjective.Direction.AT_MOST,
                frequency=QualityObjective.Frequency.MONTHLY,
                owner=owner,
                unit=owner.unit or process.owner_unit,
                resources="Rejestry spraw w EZD, raporty z systemów dziedzinowych",
                deadline=Day(year, 12, 31),
                evaluation="Wartość miesięczna porównana z celem.",
            )
            objectives.append(stamp(objective, at(Day(year, 1, 10)), pelnomocnik))
        objectives = self._insert(QualityObjective, objectives)
        measurements = []
        for objective in objectives:
            skip_last = not self._is_past(year) and rng.random() < 0.1
            months = []
            for month in range(1, 13):
                start = Day(year, month, 1)
                end = (start + days(32)).replace(day=1) - days(1)
                if end >= self.today:
                    break
                months.append((start, end))
            if skip_last and months:
                months.pop()
            for start, end in months:
                spread = objective.target * Decimal("0.08") or Decimal("1")
                value = objective.target + spread * Decimal(rng.randint(-100, 100)) / 100
                measurement = Measurement(
                    objective=objective,
                    period_start=start,
                    period_end=end,
                    value=value.quantize(Decimal("0.01")),
                    entered_by=objective.owner,
                )
                measurements.append(stamp(measurement, at(end + days(5)), objective.owner))
        self._insert(Measurement, measurements, history=False)

    def seed_proposals_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        P = ImprovementProposal.Status
        team = self.people["pelnomocnik"]
        last_day = min(Day(year, 12, 31), self.today - days(1))
        proposals = []
        for _ in range(v.proposals_per_year):
            submitted = self._date(Day(year, 1, 2), last_day)
            proposer = rng.choice(self.users)
            process = rng.choice(self.active)
            if self._is_past(year):
                status = P.DONE if rng.random() < 0.7 else P.REJECTED
            else:
                status = rng.choices([P.SUBMITTED, P.ACCEPTED, P.DONE, P.REJECTED], [4, 4, 1, 1])[0]
            proposal = ImprovementProposal(
                title=rng.choice(PROPOSALS),
                description="Propozycja zgłoszona przez pracownika.",
                expected_benefit="Krótszy czas obsługi i mniej błędów.",
                process=process,
                proposed_by=proposer,
                status=status,
            )
            moment = at(submitted)
            if status != P.SUBMITTED:
                proposal.assessed_by = team
                proposal.assessed_at = self._clamp(at(submitted + days(rng.randint(5, 30))))
                moment = proposal.assessed_at
                proposal.assessment = (
                    "Propozycja nieuzasadniona kosztowo."
                    if status == P.REJECTED
                    else "Propozycja zasadna; realizacja w ramach bieżących zasobów."
                )
            if status in (P.ACCEPTED, P.DONE):
                proposal.action_owner = process.owner or team
                proposal.action_deadline = proposal.assessed_at.date() + days(rng.randint(30, 120))
            if status == P.DONE:
                proposal.completion_note = "Wdrożono; informacja na stronie wydziału."
                proposal.completed_at = self._clamp(at(proposal.action_deadline - days(5)))
                moment = proposal.completed_at
            proposals.append(stamp(proposal, at(submitted), proposer, moment))
        self._insert(ImprovementProposal, proposals)

    def seed_review_year(self, year: int) -> None:
        rng = self.rng
        R, D = ManagementReview.Status, ReviewDecision.Status
        pelnomocnik, prezydent = self.people["pelnomocnik"], self.people["prezydent"]
        meeting = Day(year, 12, rng.randint(5, 15))
        past = self._is_past(year) and meeting < self.today
        review = ManagementReview(
            number=f"PZ/{year}/1",
            meeting_date=meeting,
            period_start=Day(year - 1, 12, 1),
            period_end=Day(year, 11, 30),
            status=R.APPROVED if past else R.DRAFT,
            prepared_by=pelnomocnik,
            commentary={
                "c": "Plan auditów zrealizowano; najwięcej ustaleń dotyczyło dokumentacji.",
                "i": "Większość celów jakościowych osiągnięta.",
            }
            if past
            else {},
            summary="System Zarządzania Jakością jest skuteczny, przydatny i adekwatny."
            if past
            else "",
        )
        prepared = at(Day(year, 11, 15) if past else self.today - days(10))
        moment = prepared
        if past:
            review.approved_by = prezydent
            review.approved_at = at(meeting + days(14), 12)
            moment = review.approved_at
        (review,) = self._insert(ManagementReview, [stamp(review, prepared, pelnomocnik, moment)])
        top = [
            u
            for u in self.users
            if roles.NAJWYZSZE_KIEROWNICTWO in getattr(u, "_roles", [])
            or u.username == "koordynator"
        ]
        self._through(
            ManagementReview.participants,
            [{"managementreview_id": review.pk, "user_id": u.pk} for u in top],
        )
        if not past:
            return
        decisions = []
        owners = [self.people.get(owner, pelnomocnik) for _t, _d, owner, _m in DECISIONS]
        for (kind, text, _owner, (month, day)), owner in zip(DECISIONS, owners, strict=True):
            deadline = Day(year + 1, month, day)
            last_year = year == self.end_year - 1
            status = D.OPEN if last_year and kind == ReviewDecision.Type.RESOURCES else D.DONE
            decision = ReviewDecision(
                review=review,
                type=kind,
                description=text,
                owner=owner,
                deadline=deadline,
                status=status,
            )
            moment = review.approved_at
            if status == D.DONE:
                decision.completion_note = "Wykonano; dokumentacja w EZD."
                decision.completed_at = self._clamp(at(deadline - days(rng.randint(1, 30))))
                moment = decision.completed_at
            decisions.append(stamp(decision, at(meeting, 13), pelnomocnik, moment))
        self._insert(ReviewDecision, decisions)

    def seed_risks(self) -> None:
        rng, v = self.rng, self.volumes
        koordynator = self.people["koordynator"]
        risks, histories = [], []
        for i in range(v.risks):
            process = rng.choice(self.active)
            owner = process.owner or koordynator
            identified = self._date(Day(self.years[0], 1, 10), self.today - days(30))
            title = RISKS[i % len(RISKS)]
            kind = Risk.Kind.OPPORTUNITY if title in RISKS[8:] else Risk.Kind.RISK
            scores = [(rng.randint(1, 5), rng.randint(1, 5))]
            day = identified + days(365)
            while day < self.today:
                likelihood, impact = scores[-1]
                likelihood = min(5, max(1, likelihood + rng.choice([-1, 0, 0, 1])))
                scores.append((likelihood, impact))
                day += days(365)
            closed = rng.random() < 0.12
            risk = Risk(
                kind=kind,
                process=process,
                objective=None,
                title=f"{title} — {process.code}",
                description="Zidentyfikowane w ramach kontroli zarządczej.",
                likelihood=scores[-1][0],
                impact=scores[-1][1],
                controls="Procedura wewnętrzna, nadzór kierownika komórki",
                owner=owner,
                next_review=self.today + days(rng.randint(-30, 300)),
                status=Risk.Status.CLOSED if closed else Risk.Status.ACTIVE,
            )
            last = at(identified + days(365 * (len(scores) - 1)))
            risks.append(stamp(risk, at(identified), koordynator, last))
            histories.append((identified, owner, scores))
        risks = self._insert(Risk, risks)
        assessments = []
        for risk, (identified, owner, scores) in zip(risks, histories, strict=True):
            for n, (likelihood, impact) in enumerate(scores):
                assessments.append(
                    RiskAssessment(
                        risk=risk,
                        likelihood=likelihood,
                        impact=impact,
                        controls=risk.controls,
                        controls_effective=None if n == 0 else rng.random() < 0.8,
                        note="Ocena okresowa w ramach kontroli zarządczej" if n else "",
                        assessed_by=koordynator if n == 0 else owner,
                        assessed_at=at(identified + days(365 * n)),
                    )
                )
        self._insert(RiskAssessment, assessments, history=False)

    def seed_minutes(self) -> None:
        """Freeze the minutes of the approved reviews as ``review_approve`` does, rendered from
        the records now that they all exist (a few seconds: reviews do not scale)."""
        from reviews.selectors.review_inputs import minutes_pdf

        # WeasyPrint's font subsetting logs every table at INFO: not what the summary is for.
        font_log = logging.getLogger("fontTools")
        level = font_log.level
        font_log.setLevel(logging.WARNING)
        try:
            for review in ManagementReview.objects.filter(status=ManagementReview.Status.APPROVED):
                self._freeze_minutes(review, minutes_pdf(review, final=True))
        finally:
            font_log.setLevel(level)

    def _freeze_minutes(self, review: ManagementReview, pdf: bytes) -> None:
        digest = hashlib.sha256(pdf).hexdigest()
        name = f"{review.number.replace('/', '-')}-{digest[:12]}.pdf"
        review.minutes_pdf.save(name, ContentFile(pdf), save=False)
        ManagementReview.objects.filter(pk=review.pk).update(
            minutes_pdf=review.minutes_pdf.name, minutes_sha256=digest
        )
        self.counts["minutes PDF files"] += 1
