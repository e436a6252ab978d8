"""Per year: the auditor appointment, the audit plan and its revisions, audits, findings."""

from __future__ import annotations

import datetime
import uuid

from audits.models import Audit, AuditorCandidate, AuditorList, AuditPlan, Finding, PlannedAudit
from demo.scale.base import CERTIFICATE, FINDINGS_PER_AUDIT, Day, SeederBase, at, days, stamp
from demo.scale.content import EVIDENCE, FOUND, REQUIREMENTS


class AuditSeeder(SeederBase):
    """Per year: the auditor appointment, the audit plan and its revisions, audits, findings."""

    def seed_audit_year(self, year: int) -> None:
        rng, v = self.rng, self.volumes
        koordynator, prezydent = self.people["koordynator"], self.people["prezydent"]
        appointed = Day(year - 1, 12, 12)
        auditor_list = AuditorList(
            year=year,
            status=AuditorList.Status.APPOINTED,
            ordinance_number=f"{350 + year % 100}/{year - 1}",
            ordinance_date=appointed,
            appointed_by=prezydent,
            appointed_at=at(appointed, 12),
        )
        stamp(auditor_list, at(Day(year - 1, 11, 15)), koordynator, at(appointed, 12))
        (auditor_list,) = self._insert(AuditorList, [auditor_list])
        demo = [self.people[u] for u in ("auditor", "auditor2", "auditor3") if u in self.people]
        pool = [u for u in self.users if u.username not in self.people]
        size = max(len(demo) + 1, round(0.1 * len(self.users)))
        chosen = demo + rng.sample(pool, min(len(pool), size - len(demo)))
        self.auditors[year] = chosen
        self._insert(
            AuditorCandidate,
            [
                stamp(
                    AuditorCandidate(
                        auditor_list=auditor_list,
                        person=person,
                        qualification=CERTIFICATE,
                        certificate_date=Day(year - rng.randint(1, 6), rng.randint(1, 12), 15),
                    ),
                    at(Day(year - 1, 11, 16)),
                    koordynator,
                )
                for person in chosen
            ],
            history=False,
        )

        # The plan: revision 1 approved in December; some years amended in June; the current
        # year has a revision being prepared.
        current = not self._is_past(year)
        amended = current or rng.random() < 0.3
        first = AuditPlan(
            year=year,
            revision=1,
            status=AuditPlan.Status.SUPERSEDED
            if amended and not current
            else AuditPlan.Status.APPROVED,
            prepared_by=koordynator,
            submitted_at=at(Day(year - 1, 12, 5)),
            approved_by=prezydent,
            approved_at=at(Day(year - 1, 12, 20), 12),
            ordinance_number=f"{400 + year % 100}/{year - 1}",
            ordinance_date=Day(year - 1, 12, 20),
        )
        plans = [stamp(first, at(Day(year - 1, 11, 20)), koordynator, at(Day(year - 1, 12, 20)))]
        if amended:
            changed = Day(year, 6, 10) if not current else self._date(Day(year, 1, 15), self.today)
            second = AuditPlan(
                year=year,
                revision=2,
                status=AuditPlan.Status.DRAFT if current else AuditPlan.Status.APPROVED,
                change_reason="Zmiana terminów auditów z powodu reorganizacji wydziałów",
                prepared_by=koordynator,
            )
            if not current:
                second.submitted_at = at(changed + days(5))
                second.approved_by = prezydent
                second.approved_at = at(changed + days(12), 12)
                second.ordinance_number = f"{500 + year % 100}/{year}"
                second.ordinance_date = changed + days(12)
            plans.append(stamp(second, at(changed), koordynator))
        plans = self._insert(AuditPlan, plans)

        months = sorted(rng.randint(2, 12) for _ in range(v.audits_per_year))
        specs = []
        for month in months:
            count = 1 if rng.random() < 0.85 else 2
            processes = rng.sample(self.active, min(count, len(self.active)))
            owner_units = {p.owner_unit_id for p in processes}
            eligible = [a for a in chosen if a.unit_id not in owner_units] or chosen
            lead = rng.choice(eligible)
            demo_auditor = self.people.get("auditor")
            if current and demo_auditor and demo_auditor.unit_id not in owner_units:
                lead = demo_auditor if rng.random() < 0.25 else lead
            others = [a for a in eligible if a.pk != lead.pk]
            team = rng.sample(others, min(len(others), rng.choice([0, 0, 1, 2])))
            key = uuid.UUID(int=rng.getrandbits(128), version=4)
            specs.append((month, processes, lead, team, key))

        entries: list[PlannedAudit] = []
        for plan in plans:
            for month, processes, lead, team, key in specs:
                codes = ", ".join(p.code for p in processes)
                entry = PlannedAudit(
                    plan=plan,
                    entry_key=key,
                    scope=f"Realizacja procesu {codes} w komórkach właściciela",
                    criteria="PN-EN ISO 9001:2015; przepisy prawa i procedury procesu",
                    planned_month=month,
                    lead_auditor=lead,
                )
                entry._spec = (processes, team)  # type: ignore[attr-defined]
                entries.append(stamp(entry, plan.created_at, koordynator))
        entries = self._insert(PlannedAudit, entries)
        self._through(
            PlannedAudit.processes,
            [
                {"plannedaudit_id": e.pk, "process_id": p.pk}
                for e in entries
                for p in e._spec[0]  # type: ignore[attr-defined]
            ],
        )
        self._through(
            PlannedAudit.units,
            [
                {"plannedaudit_id": e.pk, "organisationalunit_id": unit_id}
                for e in entries
                for unit_id in sorted({p.owner_unit_id for p in e._spec[0]})  # type: ignore[attr-defined]
            ],
        )
        self._through(
            PlannedAudit.team,
            [
                {"plannedaudit_id": e.pk, "user_id": m.pk}
                for e in entries
                for m in e._spec[1]  # type: ignore[attr-defined]
            ],
        )
        in_force = next(p for p in reversed(plans) if p.status == AuditPlan.Status.APPROVED)
        self.seed_audits(year, [e for e in entries if e.plan_id == in_force.pk])

    def _audit_status(self, year: int, month: int) -> str:
        if self._is_past(year):
            return Audit.Status.CLOSED
        gap = self.today.month - month
        if gap >= 3:
            return Audit.Status.CLOSED
        if gap == 2:
            return self.rng.choice([Audit.Status.CLOSED, Audit.Status.EVALUATED])
        if gap == 1:
            return self.rng.choice([Audit.Status.ACKNOWLEDGED, Audit.Status.REPORT_SUBMITTED])
        if gap == 0 and self.today.day > 12:
            return Audit.Status.IN_PROGRESS
        return Audit.Status.PLANNED

    def seed_audits(self, year: int, entries: list[PlannedAudit]) -> None:
        rng = self.rng
        S = Audit.Status
        order = [s for s, _label in S.choices]
        koordynator = self.people["koordynator"]
        audits = []
        for count, entry in enumerate(entries, start=1):
            processes, team = entry._spec  # type: ignore[attr-defined]
            status = self._audit_status(year, entry.planned_month)
            audit = Audit(
                number=f"A/{year}/{count:02d}",
                year=year,
                planned_entry=entry,
                entry_key=entry.entry_key,
                scope=entry.scope,
                criteria=entry.criteria,
                planned_month=entry.planned_month,
                lead_auditor=entry.lead_auditor,
                status=status,
            )
            reached = order.index(status)
            last = at(Day(year - 1, 12, 21))
            if reached >= order.index(S.IN_PROGRESS):
                start = Day(year, entry.planned_month, rng.randint(3, 12))
                audit.start_date = start
                audit.opening_meeting = at(start, 9)
                audit.evidence = "Akta spraw, rejestry w EZD, rozmowy z pracownikami."
                audit.auditee_representatives = str(processes[0].owner or "")
                last = at(start, 9)
            if reached >= order.index(S.REPORT_SUBMITTED):
                end = audit.start_date + days(rng.randint(1, 3))
                audit.end_date = end
                audit.closing_meeting = at(end, 14)
                audit.conclusions = (
                    "Proces jest realizowany zgodnie z wymaganiami; ustalenia w raporcie."
                )
                audit.followup = "Działania korygujące z poprzedniego auditu wdrożone skutecznie."
                audit.report_submitted_at = self._clamp(at(end + days(rng.randint(3, 10)), 12))
                last = audit.report_submitted_at
            if reached >= order.index(S.ACKNOWLEDGED):
                audit.acknowledged_by = processes[0].owner
                audit.acknowledged_at = self._clamp(last + days(rng.randint(2, 7)))
                last = audit.acknowledged_at
            if reached >= order.index(S.EVALUATED):
                audit.assessment = rng.choice(
                    [Audit.Assessment.POSITIVE] * 3 + [Audit.Assessment.POSITIVE_WITH_REMARKS]
                )
                audit.evaluated_by = koordynator
                audit.evaluated_at = self._clamp(last + days(rng.randint(3, 10)))
                last = audit.evaluated_at
            if reached >= order.index(S.CLOSED):
                audit.closed_at = self._clamp(last + days(rng.randint(1, 5)))
                last = audit.closed_at
            audit._spec = (processes, team)  # type: ignore[attr-defined]
            audits.append(stamp(audit, at(Day(year - 1, 12, 21)), koordynator, last))
        audits = self._insert(Audit, audits)
        self._through(
            Audit.processes,
            [{"audit_id": a.pk, "process_id": p.pk} for a in audits for p in a._spec[0]],  # type: ignore[attr-defined]
        )
        self._through(
            Audit.units,
            [
                {"audit_id": a.pk, "organisationalunit_id": unit_id}
                for a in audits
                for unit_id in sorted({p.owner_unit_id for p in a._spec[0]})  # type: ignore[attr-defined]
            ],
        )
        self._through(
            Audit.team,
            [{"audit_id": a.pk, "user_id": m.pk} for a in audits for m in a._spec[1]],  # type: ignore[attr-defined]
        )
        findings = []
        for audit in audits:
            if audit.status == S.PLANNED:
                continue
            for number in range(1, FINDINGS_PER_AUDIT + 1):
                kind = rng.choices(
                    [
                        Finding.Type.NONCONFORMITY,
                        Finding.Type.OBSERVATION,
                        Finding.Type.IMPROVEMENT,
                        Finding.Type.GOOD_PRACTICE,
                    ],
                    weights=[30, 30, 28, 12],
                )[0]
                grade = ""
                if kind == Finding.Type.NONCONFORMITY:
                    grade = Finding.Grade.MAJOR if rng.random() < 0.15 else Finding.Grade.MINOR
                finding = Finding(
                    audit=audit,
                    number=number,
                    type=kind,
                    grade=grade,
                    process=rng.choice(audit._spec[0]),  # type: ignore[attr-defined]
                    requirement=rng.choice(REQUIREMENTS),
                    description=rng.choice(FOUND),
                    evidence=rng.choice(EVIDENCE),
                    created_by=audit.lead_auditor,
                )
                filed = at(audit.start_date, 11) + datetime.timedelta(minutes=number)
                findings.append(stamp(finding, self._clamp(filed), audit.lead_auditor))
        findings = self._insert(Finding, findings)
        self.audits_by_year[year] = audits
        self.nc_findings[year] = [
            f
            for f in findings
            if f.type == Finding.Type.NONCONFORMITY
            and f.audit.status not in (S.PLANNED, S.IN_PROGRESS)
        ]
