"""Demo history of the audit programme, written through the services as people would: auditor
appointments and approved plans for 2022–2026, audits in every state, and the list of
auditors appointed for 2027, so next year's plan can be drafted from the coverage view."""

import datetime

from django.utils import timezone

from audits.models import Audit, AuditorList, AuditPlan, Finding
from audits.services import appointments, findings, plans
from audits.services import audits as audit_services
from processes.models import Process
from qms.models import User

FIRST_YEAR = 2022
CERTIFICATE = "Szkolenie „Auditor wewnętrzny systemu zarządzania jakością ISO 9001:2015”"

# year -> [(month, process codes, lead, team)]; leads never from the process owner's unit.
PROGRAMME = {
    2022: [(3, ["PG.3"], "auditor", []), (5, ["PG.5"], "auditor", ["auditor3"]),
           (9, ["PW.3"], "auditor", []), (10, ["PZ.4"], "auditor3", [])],
    2023: [(4, ["PG.2"], "auditor", []), (6, ["PG.11"], "auditor2", []),
           (10, ["PW.1"], "auditor3", ["auditor"])],
    2024: [(3, ["PG.1"], "auditor2", []), (5, ["PG.7"], "auditor", []),
           (9, ["PZ.2"], "auditor3", []), (11, ["PW.5"], "auditor", [])],
    2025: [(4, ["PG.3"], "auditor", ["auditor3"]), (6, ["PG.6"], "auditor2", []),
           (10, ["PZ.5"], "auditor3", [])],
    2026: [(3, ["PG.2"], "auditor3", []), (5, ["PW.4"], "auditor2", []),
           (10, ["PG.1"], "auditor2", ["auditor3"]), (11, ["PG.3"], "auditor", []),
           (12, ["PG.10"], "auditor", ["auditor3"])],
}  # fmt: skip

FINDINGS = [
    (Finding.Type.NONCONFORMITY, Finding.Grade.MINOR, "PN-EN ISO 9001:2015 pkt 7.5.3",
     "Rejestr udostępnień akt nie był prowadzony w II kwartale.",
     "Rejestr udostępnień za 2026 r.; rozmowa z kierownikiem referatu."),
    (Finding.Type.OBSERVATION, "", "Procedura PG.3.1 pkt 4",
     "Terminy odpowiedzi są dotrzymywane, ale nie są monitorowane.",
     "Próba 20 spraw z EZD."),
    (Finding.Type.IMPROVEMENT, "", "PN-EN ISO 9001:2015 pkt 9.1.2",
     "Warto zbierać opinie klientów przy stanowiskach obsługi.",
     "Obserwacja w Biurze Obsługi Mieszkańców."),
    (Finding.Type.GOOD_PRACTICE, "", "PN-EN ISO 9001:2015 pkt 7.2",
     "Plan wdrożenia nowych pracowników z mentorem.",
     "Karty wdrożenia 3 pracowników."),
]  # fmt: skip


def _appoint(year: int, auditors: list[User], koordynator: User, prezydent: User) -> None:
    auditor_list = appointments.auditor_list_create(year=year, by=koordynator)
    for person in auditors:
        appointments.auditor_candidate_add(
            auditor_list=auditor_list,
            person=person,
            by=koordynator,
            qualification=CERTIFICATE,
            certificate_date=datetime.date(FIRST_YEAR - 1, 5, 20),
        )
    auditor_list = appointments.auditor_list_submit(
        auditor_list=auditor_list, by=koordynator, expected_version=auditor_list.version
    )
    appointments.auditor_list_appoint(
        auditor_list=auditor_list,
        by=prezydent,
        expected_version=auditor_list.version,
        ordinance_number=f"{350 + year % 100}/{year - 1}",
        ordinance_date=datetime.date(year - 1, 12, 12),
    )


def _advance(audit: Audit, target: str, people: dict[str, User], year: int, month: int) -> None:
    """Take ``audit`` through the workflow up to ``target``, each step by its proper person."""
    order = [s for s, _label in Audit.Status.choices]

    def fresh() -> Audit:
        return Audit.objects.get(pk=audit.pk)

    lead = fresh().lead_auditor
    if order.index(target) >= order.index(Audit.Status.IN_PROGRESS):
        audit_services.audit_start(audit=fresh(), by=lead, expected_version=fresh().version)
        start = datetime.date(year, month, 10)
        audit_services.audit_update(
            audit=fresh(),
            by=lead,
            expected_version=fresh().version,
            start_date=start,
            opening_meeting=timezone.make_aware(datetime.datetime(year, month, 10, 9, 0)),
            evidence="Akta spraw, rejestry w EZD, rozmowy z pracownikami.",
        )
        for kind, grade, requirement, description, evidence in FINDINGS[: 1 + audit.pk % 4]:
            findings.finding_add(
                audit=fresh(),
                by=lead,
                type=kind,
                grade=grade,
                process=fresh().processes.first(),
                requirement=requirement,
                description=description,
                evidence=evidence,
            )
    if order.index(target) >= order.index(Audit.Status.REPORT_SUBMITTED):
        audit_services.audit_update(
            audit=fresh(),
            by=lead,
            expected_version=fresh().version,
            end_date=datetime.date(year, month, 11),
            closing_meeting=timezone.make_aware(datetime.datetime(year, month, 11, 14, 0)),
            conclusions="Proces jest realizowany zgodnie z wymaganiami; ustalenia w raporcie.",
        )
        audit_services.audit_submit_report(audit=fresh(), by=lead, expected_version=fresh().version)
    if order.index(target) >= order.index(Audit.Status.ACKNOWLEDGED):
        owner = fresh().processes.first().owner
        audit_services.audit_acknowledge(audit=fresh(), by=owner, expected_version=fresh().version)
    if order.index(target) >= order.index(Audit.Status.EVALUATED):
        audit_services.audit_evaluate(
            audit=fresh(),
            by=people["koordynator"],
            expected_version=fresh().version,
            assessment=Audit.Assessment.POSITIVE,
            comment="",
        )
    if order.index(target) >= order.index(Audit.Status.CLOSED):
        audit_services.audit_close(
            audit=fresh(), by=people["pelnomocnik"], expected_version=fresh().version
        )


def seed_audits(people: dict[str, User]) -> int:
    """Load the demo programme once; returns how many plans were created."""
    if AuditPlan.objects.exists() or AuditorList.objects.exists():
        return 0
    koordynator, prezydent = people["koordynator"], people["prezydent"]
    auditors = [people["auditor"], people["auditor2"], people["auditor3"]]
    processes = {p.code: p for p in Process.objects.all()}
    for year in range(FIRST_YEAR, 2028):
        _appoint(year, auditors, koordynator, prezydent)
    for year, entries in PROGRAMME.items():
        plan = plans.audit_plan_create(year=year, by=koordynator)
        for month, codes, lead, team in entries:
            plans.planned_audit_save(
                plan=plan,
                by=koordynator,
                processes=[processes[c] for c in codes],
                units=[],
                scope=f"Realizacja procesu {', '.join(codes)} w komórkach właściciela",
                criteria="PN-EN ISO 9001:2015; przepisy prawa i procedury procesu",
                planned_month=month,
                lead_auditor=people[lead],
                team=[people[m] for m in team],
            )
        plan = plans.audit_plan_submit(plan=plan, by=koordynator, expected_version=plan.version)
        plan = plans.audit_plan_approve(
            plan=plan,
            by=prezydent,
            expected_version=plan.version,
            ordinance_number=f"{400 + year % 100}/{year - 1}",
            ordinance_date=datetime.date(year - 1, 12, 20),
        )
        for audit in audit_services.audits_create_from_plan(plan=plan, by=koordynator):
            if year < 2026 or audit.planned_month <= 5:
                target = Audit.Status.CLOSED
            elif audit.planned_month == 10:
                target = Audit.Status.REPORT_SUBMITTED  # waiting for the owner
            elif audit.planned_month == 11:
                target = Audit.Status.IN_PROGRESS  # the auditor is working on it
            else:
                target = Audit.Status.PLANNED
            _advance(audit, target, people, year, audit.planned_month)
    return len(PROGRAMME)
