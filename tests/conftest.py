"""Personas shared by the whole suite (STYLE.md): one user per role, plus the relations that
grant access to objects (process owner, another process owner)."""

from dataclasses import dataclass

import pytest
from django.test import Client

from qms import roles
from qms.models import User
from tests.factories import ProcessFactory, UnitFactory, UserFactory


@dataclass
class Personas:
    prezydent: User
    kierownictwo: User
    pelnomocnik: User
    koordynator: User
    wlasciciel: User
    wlasciciel2: User
    auditor: User
    auditor2: User
    pracownik: User

    def __getitem__(self, name: str) -> User | None:
        return None if name == "anonim" else getattr(self, name)


PERSONA_NAMES = [
    "prezydent",
    "kierownictwo",
    "pelnomocnik",
    "koordynator",
    "wlasciciel",
    "wlasciciel2",
    "auditor",
    "pracownik",
    "anonim",
]


@pytest.fixture
def personas(db) -> Personas:
    gp = UnitFactory(code="GP", name="Gabinet Prezydenta")
    wou = UnitFactory(code="WOU", name="Wydział Organizacji Urzędu")
    wso = UnitFactory(code="WSO", name="Wydział Spraw Obywatelskich")
    wkm = UnitFactory(code="WKM", name="Wydział Komunikacji")
    wbk = UnitFactory(code="WBK", name="Wydział Budżetu i Księgowości")
    bom = UnitFactory(code="BOM", name="Biuro Obsługi Mieszkańców")
    return Personas(
        prezydent=UserFactory(
            username="prezydent", unit=gp, roles=[roles.PREZYDENT, roles.NAJWYZSZE_KIEROWNICTWO]
        ),
        kierownictwo=UserFactory(
            username="kierownictwo", unit=gp, roles=[roles.NAJWYZSZE_KIEROWNICTWO]
        ),
        pelnomocnik=UserFactory(
            username="pelnomocnik",
            unit=wou,
            roles=[roles.PELNOMOCNIK, roles.NAJWYZSZE_KIEROWNICTWO],
        ),
        koordynator=UserFactory(username="koordynator", unit=wou, roles=[roles.KOORDYNATOR_WOU]),
        wlasciciel=UserFactory(
            username="wlasciciel", first_name="Anna", last_name="Łęcka", unit=wso
        ),
        wlasciciel2=UserFactory(username="wlasciciel2", unit=wkm),
        auditor=UserFactory(username="auditor", unit=wbk),
        # An auditor who is not on the audits that ``auditor`` works on.
        auditor2=UserFactory(username="auditor2", unit=bom),
        pracownik=UserFactory(username="pracownik", unit=bom),
    )


@pytest.fixture
def own_process(personas: Personas):
    """A process owned by ``wlasciciel``."""
    return ProcessFactory(
        code="PG.3",
        name="Sprawy obywatelskie i ewidencja ludności",
        owner_unit=personas.wlasciciel.unit,
        owner=personas.wlasciciel,
    )


@pytest.fixture
def other_process(personas: Personas):
    """A process owned by ``wlasciciel2`` — somebody else's for ``wlasciciel``."""
    return ProcessFactory(
        code="PG.2",
        name="Rejestracja pojazdów",
        category="PG",
        owner_unit=personas.wlasciciel2.unit,
        owner=personas.wlasciciel2,
    )


AUDIT_YEAR = 2027


@pytest.fixture
def audit_setup(personas: Personas, own_process, other_process):
    """An appointed auditor list for 2027 (auditor, auditor2), an approved plan with an entry
    for ``own_process`` led by ``auditor``, and the audit created from it (planned)."""
    from audits.models import AuditPlan
    from tests.factories import AuditFactory, PlannedAuditFactory, appoint_auditors

    appoint_auditors(AUDIT_YEAR, personas.auditor, personas.auditor2)
    plan = AuditPlan.objects.create(
        year=AUDIT_YEAR,
        status=AuditPlan.Status.APPROVED,
        approved_by=personas.prezydent,
        ordinance_number="12/2026",
        prepared_by=personas.koordynator,
    )
    entry = PlannedAuditFactory(plan=plan, processes=[own_process], lead_auditor=personas.auditor)
    audit = AuditFactory(
        planned_entry=entry,
        processes=[own_process],
        lead_auditor=personas.auditor,
        number="A/2027/01",
    )
    other_entry = PlannedAuditFactory(
        plan=plan, processes=[other_process], lead_auditor=personas.auditor2, planned_month=5
    )
    other_audit = AuditFactory(
        planned_entry=other_entry,
        processes=[other_process],
        lead_auditor=personas.auditor2,
        number="A/2027/02",
        planned_month=5,
    )
    return {"plan": plan, "entry": entry, "audit": audit, "other_audit": other_audit}


@pytest.fixture
def card_setup(personas: Personas, audit_setup):
    """A nonconformity card raised by ``auditor`` from a finding of ``audit_setup["audit"]``
    (process PG.3 owned by ``wlasciciel``), in root-cause analysis with one planned action for
    which ``pracownik`` is responsible. Cards are numbered in the current year."""
    import datetime

    from audits.models import Finding
    from nonconformities.services import actions as nc_actions
    from nonconformities.services import cards as nc_services

    audit = audit_setup["audit"]
    finding = Finding.objects.create(
        audit=audit,
        number=1,
        type=Finding.Type.NONCONFORMITY,
        grade=Finding.Grade.MINOR,
        process=audit.processes.get(),
        requirement="PN-EN ISO 9001:2015 pkt 7.5.3",
        description="Brak rejestru udostępnień akt",
        evidence="Rejestr za 2026 r.",
        created_by=personas.auditor,
    )
    card = nc_services.card_raise(
        by=personas.auditor,
        source="audit",
        finding=finding,
        process=finding.process,
        requirement=finding.requirement,
        description=finding.description,
        evidence=finding.evidence,
        grade="minor",
    )
    card = nc_services.card_record_analysis(
        card=card,
        by=personas.wlasciciel,
        expected_version=card.version,
        correction="Uzupełniono rejestr",
        root_cause="Brak wzoru rejestru w procedurze",
    )
    action = nc_actions.action_add(
        card=card,
        by=personas.wlasciciel,
        description="Dodać wzór rejestru do procedury PG.3.1",
        responsible=personas.pracownik,
        deadline=datetime.date.today() + datetime.timedelta(days=30),
    )
    return {**audit_setup, "finding": finding, "card": card, "action": action}


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_persona(personas: Personas):
    """``as_persona("koordynator")`` — a test client signed in as that persona (or anonymous)."""
    return lambda name: client_for(personas[name])
