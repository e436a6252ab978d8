"""Each audit-programme page for each persona, the forms through the browser's eyes, and
query counts that do not grow with the data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit, AuditorList, AuditPlan, Finding, PlannedAudit
from tests.conftest import AUDIT_YEAR, PERSONA_NAMES, client_for
from tests.factories import AuditFactory, PlannedAuditFactory, ProcessFactory, appoint_auditors

SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}
WHOLE_PROGRAMME = {"koordynator", "pelnomocnik", "prezydent", "kierownictwo"}


def _check(client, url: str, persona: str, allowed: set[str]) -> None:
    response = client.get(url)
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in allowed:
        assert response.status_code == 200, (url, persona, response.status_code)
    else:
        assert response.status_code == 403, (url, persona, response.status_code)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_programme_pages_per_persona(personas, audit_setup, persona):
    setup = audit_setup
    audit, other = setup["audit"], setup["other_audit"]
    auditor_list = AuditorList.objects.get(year=AUDIT_YEAR)
    client = client_for(personas[persona])
    on_audit = WHOLE_PROGRAMME | {"auditor", "wlasciciel"}
    pages = {
        reverse("audits:plans"): SIGNED_IN,
        reverse("audits:plan", args=[setup["plan"].pk]): SIGNED_IN,
        reverse("audits:list"): SIGNED_IN,
        reverse("audits:detail", args=[audit.pk]): on_audit,
        reverse("audits:detail", args=[other.pk]): WHOLE_PROGRAMME | {"auditor2", "wlasciciel2"},
        reverse("audits:auditor_lists"): WHOLE_PROGRAMME,
        reverse("audits:auditor_list", args=[auditor_list.pk]): WHOLE_PROGRAMME,
        reverse("audits:auditor_list_create"): {"koordynator"},
        reverse("audits:candidate_add", args=[auditor_list.pk]): {"koordynator"},
        reverse("audits:plan_create"): {"koordynator"},
        # The lead auditor edits the audit, its checklist and findings while it is open.
        reverse("audits:edit", args=[audit.pk]): {"auditor"},
        reverse("audits:finding_add", args=[audit.pk]): {"auditor"},
        reverse("audits:checklist_add", args=[audit.pk]): {"auditor"},
        reverse("audits:transition", args=[audit.pk, "rozpocznij"]): {"auditor"},
        # Wrong state for these: nobody may open them yet.
        reverse("audits:transition", args=[audit.pk, "potwierdz"]): set(),
        reverse("audits:transition", args=[audit.pk, "ocen"]): set(),
        reverse("audits:plan_transition", args=[setup["plan"].pk, "zmiana"]): {"koordynator"},
    }
    for url, allowed in pages.items():
        _check(client, url, persona, allowed)


def test_draft_plan_is_not_shown_to_employees(personas):
    plan = AuditPlan.objects.create(year=AUDIT_YEAR, prepared_by=personas.koordynator)
    url = reverse("audits:plan", args=[plan.pk])
    assert client_for(personas.pracownik).get(url).status_code == 404
    assert client_for(personas.koordynator).get(url).status_code == 200


def test_koordynator_drafts_and_submits_and_the_mayor_approves(personas, own_process):
    appoint_auditors(AUDIT_YEAR, personas.auditor, personas.auditor2)
    koordynator = client_for(personas.koordynator)
    response = koordynator.post(reverse("audits:plan_create"), {"year": AUDIT_YEAR})
    plan = AuditPlan.objects.get(year=AUDIT_YEAR)
    assert response["Location"] == reverse("audits:plan", args=[plan.pk])
    # The impartiality rule, as the coordinator meets it on the form.
    own_unit_auditor = personas.wlasciciel  # not appointed and in the owner's unit
    refused = koordynator.post(
        reverse("audits:entry_add", args=[plan.pk]),
        {
            "processes": [own_process.pk],
            "scope": "Dowody osobiste",
            "criteria": "ISO 9001",
            "planned_month": 3,
            "lead_auditor": own_unit_auditor.pk,
        },
    )
    assert refused.status_code == 200
    assert "lead_auditor" in refused.context["form"].errors
    assert not plan.entries.exists()
    koordynator.post(
        reverse("audits:entry_add", args=[plan.pk]),
        {
            "processes": [own_process.pk],
            "scope": "Dowody osobiste",
            "criteria": "ISO 9001",
            "planned_month": 3,
            "lead_auditor": personas.auditor.pk,
            "team": [personas.auditor2.pk],
        },
    )
    entry = plan.entries.get()
    assert entry.lead_auditor == personas.auditor
    koordynator.post(
        reverse("audits:plan_transition", args=[plan.pk, "przekaz"]), {"version": plan.version}
    )
    plan.refresh_from_db()
    assert plan.status == AuditPlan.Status.SUBMITTED
    prezydent = client_for(personas.prezydent)
    dashboard = prezydent.get(reverse("dashboard"))
    assert plan in dashboard.context["plans_to_approve"]
    prezydent.post(
        reverse("audits:plan_transition", args=[plan.pk, "zatwierdz"]),
        {"version": plan.version, "ordinance_number": "512/2026", "ordinance_date": "2026-12-10"},
    )
    plan.refresh_from_db()
    assert plan.status == AuditPlan.Status.APPROVED
    assert (
        client_for(personas.pracownik).get(reverse("audits:plan", args=[plan.pk])).status_code
        == 200
    )
    koordynator.post(reverse("audits:audits_create", args=[plan.pk]))
    assert Audit.objects.filter(year=AUDIT_YEAR).count() == 1


def test_koordynator_cannot_approve_through_the_url(personas, audit_setup):
    plan = audit_setup["plan"]
    plan.status = AuditPlan.Status.SUBMITTED
    plan.save()
    response = client_for(personas.koordynator).post(
        reverse("audits:plan_transition", args=[plan.pk, "zatwierdz"]),
        {"version": plan.version, "ordinance_number": "1", "ordinance_date": "2026-12-10"},
    )
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == AuditPlan.Status.SUBMITTED


def test_auditor_files_three_kinds_of_findings_and_submits(personas, audit_setup):
    audit = audit_setup["audit"]
    client = client_for(personas.auditor)
    client.post(
        reverse("audits:transition", args=[audit.pk, "rozpocznij"]), {"version": audit.version}
    )
    process = audit.processes.get()
    for kind, grade in [("nonconformity", "major"), ("observation", ""), ("improvement", "")]:
        response = client.post(
            reverse("audits:finding_add", args=[audit.pk]),
            {
                "type": kind,
                "grade": grade,
                "process": process.pk,
                "requirement": "ISO 9001 8.5.1",
                "description": f"Ustalenie: {kind} — źdźbło",
                "evidence": "Akta sprawy WSO.5340.1.2026",
            },
        )
        assert response.status_code == 302, response.content.decode()[:3000]
    assert Finding.objects.filter(audit=audit).count() == 3
    bad = client.post(
        reverse("audits:finding_add", args=[audit.pk]),
        {
            "type": "nonconformity",
            "grade": "",
            "process": process.pk,
            "requirement": "x",
            "description": "x",
            "evidence": "x",
        },
    )
    assert bad.status_code == 200 and "grade" in bad.context["form"].errors
    audit.refresh_from_db()
    client.post(
        reverse("audits:edit", args=[audit.pk]),
        {
            "version": audit.version,
            "objectives": audit.objectives,
            "start_date": "2027-03-02",
            "end_date": "2027-03-03",
            "conclusions": "Proces działa z jedną niezgodnością dużą.",
        },
    )
    audit.refresh_from_db()
    client.post(reverse("audits:transition", args=[audit.pk, "raport"]), {"version": audit.version})
    audit.refresh_from_db()
    assert audit.status == Audit.Status.REPORT_SUBMITTED
    page = client_for(personas.wlasciciel).get(reverse("dashboard"))
    assert audit in page.context["reports_to_acknowledge"]


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(personas, plan, audit: Audit, count: int) -> None:
    """``count`` more entries and audits in ``plan`` and ``count`` more findings on ``audit``."""
    start = Audit.objects.count() + 10
    for i in range(count):
        process = ProcessFactory(owner_unit=personas.wlasciciel2.unit, owner=personas.wlasciciel2)
        entry = PlannedAuditFactory(plan=plan, processes=[process], lead_auditor=personas.auditor)
        entry.team.set([personas.auditor2])
        AuditFactory(
            planned_entry=entry,
            processes=[process],
            lead_auditor=personas.auditor,
            number=f"A/{AUDIT_YEAR}/{start + i}",
            team=[personas.auditor2],
        )
        Finding.objects.create(
            audit=audit,
            number=100 + start + i,
            type="observation",
            process=audit.processes.get(),
            requirement="r",
            description="d",
            evidence="e",
            created_by=personas.auditor,
        )


@pytest.mark.parametrize("persona", ["koordynator", "auditor", "wlasciciel2"])
def test_list_and_detail_query_counts_do_not_grow(personas, audit_setup, persona):
    client = client_for(personas[persona])
    plan, audit = audit_setup["plan"], audit_setup["audit"]
    urls = [reverse("audits:list"), reverse("audits:plan", args=[plan.pk]), reverse("dashboard")]
    if persona != "wlasciciel2":
        urls.append(reverse("audits:detail", args=[audit.pk]))
    _grow(personas, plan, audit, 3)
    small = [_count(client, url) for url in urls]
    _grow(personas, plan, audit, 30)
    large = [_count(client, url) for url in urls]
    assert small == large
    assert PlannedAudit.objects.filter(plan=plan).count() > 30


def test_auditor_list_query_count_does_not_grow(personas):
    from tests.factories import UserFactory

    auditor_list = appoint_auditors(AUDIT_YEAR, personas.auditor)
    client = client_for(personas.koordynator)
    url = reverse("audits:auditor_list", args=[auditor_list.pk])
    small = _count(client, url)
    appoint_auditors(AUDIT_YEAR, *[UserFactory() for _ in range(30)])
    assert _count(client, url) == small


# --- links to nonconformity cards -----------------------------------------------------------


def _card(process, number: str, by, finding=None, **fields):
    from nonconformities.models import Nonconformity

    values = {
        "source": Nonconformity.Source.AUDIT_FINDING if finding else "own",
        "requirement": "Procedura PG.3.1",
        "description": "Brak rejestru",
        "evidence": "Rejestr",
        "grade": "minor",
        "status": Nonconformity.Status.ANALYSIS,
        **fields,
    }
    return Nonconformity.objects.create(
        number=number,
        year=int(number.split("/")[1]),
        finding=finding,
        process=process,
        unit=process.owner_unit,
        raised_by=by,
        **values,
    )


def _nonconformity(audit: Audit, process, number: int, by) -> Finding:
    return Finding.objects.create(
        audit=audit,
        number=number,
        type=Finding.Type.NONCONFORMITY,
        grade=Finding.Grade.MINOR,
        process=process,
        requirement="r",
        description="d",
        evidence="e",
        created_by=by,
    )


def _english(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_each_nonconformity_finding_links_to_its_card(personas, card_setup, other_process):
    audit, card, finding = card_setup["audit"], card_setup["card"], card_setup["finding"]
    # A second audited process, owned by wlasciciel2, with a carded and an uncarded finding.
    audit.processes.add(other_process)
    other_finding = _nonconformity(audit, other_process, 2, personas.auditor)
    other_card = _card(other_process, "KN/2026/900", personas.auditor, finding=other_finding)
    no_card = _nonconformity(audit, card.process, 3, personas.auditor)
    url = reverse("audits:detail", args=[audit.pk])

    lead = _english(client_for(personas.auditor)).get(url).content.decode()
    for c in (card, other_card):
        assert reverse("nonconformities:detail", args=[c.pk]) in lead
        assert f"Nonconformity card {c.number}" in lead
    # A card is raised once per finding: only the finding without one offers to raise it.
    assert reverse("nonconformities:create_from_finding", args=[finding.pk]) not in lead
    assert reverse("nonconformities:create_from_finding", args=[no_card.pk]) in lead

    # The owner of one audited process reads the audit, not the other process's card: its
    # number is shown, without a link that would end in "forbidden".
    owner = _english(client_for(personas.wlasciciel)).get(url)
    assert owner.context["readable_card_ids"] == {card.pk}
    page = owner.content.decode()
    assert reverse("nonconformities:detail", args=[card.pk]) in page
    assert reverse("nonconformities:detail", args=[other_card.pk]) not in page
    assert f"Nonconformity card {other_card.number}" in page


def test_follow_up_lists_the_earlier_open_cards_of_the_audited_processes(
    personas, card_setup, other_process
):
    from nonconformities.models import Nonconformity

    audit, process = card_setup["audit"], card_setup["card"].process
    waiting = _card(process, "KN/2025/005", personas.pelnomocnik, status="verification")
    still_open = _card(process, "KN/2025/006", personas.pelnomocnik, status="reopened")
    _card(process, "KN/2025/007", personas.pelnomocnik, status=Nonconformity.Status.CLOSED)
    _card(process, "KN/2025/008", personas.pelnomocnik, status=Nonconformity.Status.CANCELLED)
    _card(other_process, "KN/2025/009", personas.pelnomocnik)  # not audited here
    response = _english(client_for(personas.auditor)).get(reverse("audits:detail", args=[audit.pk]))
    assert response.context["cards_to_verify"] == [waiting]
    # The card raised from this audit's own finding is new, not a follow-up.
    assert response.context["cards_open"] == [still_open]
    page = response.content.decode()
    assert "Awaiting verification of effectiveness" in page
    assert reverse("nonconformities:detail", args=[waiting.pk]) in page
    for number in ("KN/2025/007", "KN/2025/008", "KN/2025/009"):
        assert number not in page
    # wlasciciel2 owns no audited process: the audit page itself stays closed to them.
    assert (
        client_for(personas.wlasciciel2).get(reverse("audits:detail", args=[audit.pk])).status_code
        == 403
    )


@pytest.mark.parametrize("persona", ["koordynator", "auditor", "wlasciciel"])
def test_detail_query_count_does_not_grow_with_cards(personas, card_setup, persona):
    audit, process = card_setup["audit"], card_setup["card"].process
    client = client_for(personas[persona])
    url = reverse("audits:detail", args=[audit.pk])

    def grow(start: int, count: int) -> None:
        for i in range(start, start + count):
            finding = _nonconformity(audit, process, 10 + i, personas.auditor)
            _card(process, f"KN/2026/{100 + i:03d}", personas.auditor, finding=finding)
            _card(process, f"KN/2025/{100 + i:03d}", personas.auditor, status="verification")
            _nonconformity(audit, process, 500 + i, personas.auditor)  # no card yet

    grow(0, 3)
    small = _count(client, url)
    grow(3, 30)
    assert _count(client, url) == small
