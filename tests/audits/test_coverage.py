"""Risk-based planning help: the coverage figures on a known history, the prefill of a draft
plan, who may see and use them, and query counts that do not grow with the data."""

import datetime

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from audits.models import Audit, AuditPlan, Finding, PlannedAudit
from audits.selectors import coverage
from audits.services import coverage as coverage_services
from nonconformities.models import Nonconformity
from processes.models import Process
from tests.conftest import PERSONA_NAMES, client_for
from tests.factories import AuditFactory, PlannedAuditFactory, ProcessFactory, appoint_auditors

YEAR = 2027  # the year being planned; the table shows 2023–2027
SEES_PROGRAMME = {"prezydent", "kierownictwo", "pelnomocnik", "koordynator"}


def _approved_plan(year: int) -> AuditPlan:
    plan, _created = AuditPlan.objects.get_or_create(
        year=year, revision=1, defaults={"status": AuditPlan.Status.APPROVED}
    )
    return plan


def _audit(process: Process, year: int, number: str, lead, **fields) -> Audit:
    entry = PlannedAuditFactory(plan=_approved_plan(year), processes=[process])
    return AuditFactory(
        planned_entry=entry,
        processes=[process],
        year=year,
        number=number,
        lead_auditor=lead,
        **fields,
    )


def _finding(audit: Audit, process: Process, number: int, by, **fields) -> Finding:
    values = {
        "type": Finding.Type.NONCONFORMITY,
        "grade": Finding.Grade.MINOR,
        "requirement": "PN-EN ISO 9001:2015 pkt 8.5.1",
        "description": "Brak potwierdzenia odbioru decyzji.",
        "evidence": "Teczka spraw nr 12.",
        **fields,
    }
    return Finding.objects.create(
        audit=audit, number=number, process=process, created_by=by, **values
    )


def _card(
    process: Process,
    number: str,
    by,
    *,
    status: str = Nonconformity.Status.ANALYSIS,
    finding: Finding | None = None,
    source: str = Nonconformity.Source.OWN_DETECTION,
) -> Nonconformity:
    """A card written directly (no numbering counter needed); its year is the number's."""
    return Nonconformity.objects.create(
        number=number,
        year=int(number.split("/")[1]),
        source=Nonconformity.Source.AUDIT_FINDING if finding else source,
        finding=finding,
        process=process,
        unit=process.owner_unit,
        requirement="PN-EN ISO 9001:2015 pkt 8.5.1",
        description="Brak potwierdzenia odbioru decyzji.",
        evidence="Teczka spraw nr 12.",
        grade=Nonconformity.Grade.MINOR,
        raised_by=by,
        status=status,
    )


@pytest.fixture
def history(personas, own_process, other_process):
    """A register with a known audit history, planned year 2027:

    PZ.1  never audited                                  → stands out (never audited)
    PG.2  closed audit in 2023, planned audit in 2027    → stands out (4 years)
    PG.3  closed audit 10–12 March 2026                  → fine
    PG.5  report submitted in 2024, no dates recorded    → stands out (3 years)
    PG.7  evaluated audit in 2025                        → fine (2 years)
    PG.7  also has an open card raised in 2028, after the planned year (not counted)
    PW.1  audit in progress since 2025-06-02; the card raised from its nonconformity finding
          is open; a closed and a cancelled card, a withdrawn finding and an observation are
          not counted                                    → stands out (1 nonconformity)
    PW.2  closed audit in 2019 whose card is closed; a card from the 2021 management review
          reopened and still open (counted, however old) → stands out (8 years, 1 card)
    PW.9  withdrawn, never audited                       → not in the table
    """
    lead = personas.auditor
    for year in (2019, 2023, 2024, 2025, 2026, 2027):
        appoint_auditors(year, personas.auditor, personas.auditor2)
    pz1 = ProcessFactory(code="PZ.1", category="PZ", name="Zarządzanie strategiczne")
    pg5 = ProcessFactory(code="PG.5", category="PG", name="Podatki i opłaty lokalne")
    pg7 = ProcessFactory(code="PG.7", category="PG", name="Gospodarka nieruchomościami")
    pw1 = ProcessFactory(code="PW.1", category="PW", name="Zarządzanie kadrami")
    pw2 = ProcessFactory(code="PW.2", category="PW", name="Obsługa informatyczna")
    ProcessFactory(
        code="PW.9", category="PW", name="Proces wycofany", status=Process.Status.WITHDRAWN
    )
    closed = Audit.Status.CLOSED
    _audit(
        other_process,
        2023,
        "A/2023/01",
        lead,
        status=closed,
        start_date=datetime.date(2023, 5, 8),
        end_date=datetime.date(2023, 5, 9),
    )
    _audit(other_process, 2027, "A/2027/01", lead)  # planned: does not count as audited
    _audit(
        own_process,
        2026,
        "A/2026/01",
        lead,
        status=closed,
        start_date=datetime.date(2026, 3, 10),
        end_date=datetime.date(2026, 3, 12),
    )
    _audit(pg5, 2024, "A/2024/01", lead, status=Audit.Status.REPORT_SUBMITTED)
    _audit(
        pg7,
        2025,
        "A/2025/02",
        lead,
        status=Audit.Status.EVALUATED,
        start_date=datetime.date(2025, 10, 1),
        end_date=datetime.date(2025, 10, 3),
    )
    pw1_audit = _audit(
        pw1,
        2025,
        "A/2025/01",
        lead,
        status=Audit.Status.IN_PROGRESS,
        start_date=datetime.date(2025, 6, 2),
    )
    _card(pw1, "KN/2025/001", lead, finding=_finding(pw1_audit, pw1, 1, lead))
    _finding(pw1_audit, pw1, 2, lead, withdrawn=True, withdrawal_reason="Pomyłka.")
    _finding(pw1_audit, pw1, 3, lead, type=Finding.Type.OBSERVATION, grade="")
    _card(pw1, "KN/2025/002", lead, status=Nonconformity.Status.CLOSED)
    _card(pw1, "KN/2026/001", lead, status=Nonconformity.Status.CANCELLED)
    _card(pg7, "KN/2028/001", lead)
    old_audit = _audit(
        pw2,
        2019,
        "A/2019/01",
        lead,
        status=closed,
        start_date=datetime.date(2019, 4, 1),
        end_date=datetime.date(2019, 4, 2),
    )
    old_card = _card(
        pw2, "KN/2019/001", lead, finding=_finding(old_audit, pw2, 1, lead), status="closed"
    )
    assert not old_card.is_open
    _card(
        pw2,
        "KN/2021/001",
        lead,
        source=Nonconformity.Source.MANAGEMENT_REVIEW,
        status=Nonconformity.Status.REOPENED,
    )
    return {
        "PZ.1": pz1,
        "PG.2": other_process,
        "PG.3": own_process,
        "PG.5": pg5,
        "PG.7": pg7,
        "PW.1": pw1,
        "PW.2": pw2,
    }


def _rows(year: int = YEAR) -> dict[str, coverage.CoverageRow]:
    return {row.process.code: row for row in coverage.coverage_table(year=year).rows}


# --- the figures ----------------------------------------------------------------------------


def test_table_lists_active_processes_in_register_order_with_five_years(history):
    table = coverage.coverage_table(year=YEAR)
    assert table.years == [2023, 2024, 2025, 2026, 2027]
    assert [row.process.code for row in table.rows] == [
        "PZ.1",
        "PG.2",
        "PG.3",
        "PG.5",
        "PG.7",
        "PW.1",
        "PW.2",
    ]


def test_year_cells_show_audited_and_planned_years(history):
    rows = _rows()

    def states(code: str) -> list[str]:
        return [cell.state for cell in rows[code].cells]

    assert states("PZ.1") == ["none"] * 5
    assert states("PG.2") == ["audited", "none", "none", "none", "planned"]
    assert rows["PG.2"].cells[0].audited == ["A/2023/01"]
    assert rows["PG.2"].cells[4].planned == ["A/2027/01"]
    assert states("PG.3") == ["none", "none", "none", "audited", "none"]
    assert states("PG.5") == ["none", "audited", "none", "none", "none"]
    assert states("PW.1") == ["none", "none", "audited", "none", "none"]
    # The 2019 audit is before the years shown.
    assert states("PW.2") == ["none"] * 5


def test_last_audited_is_the_latest_date_or_only_the_year(history):
    rows = _rows()
    assert rows["PZ.1"].last_audit is None
    # The planned 2027 audit does not count: the last one is still 2023.
    assert rows["PG.2"].last_audit == coverage.LastAudit(2023, datetime.date(2023, 5, 9))
    assert rows["PG.3"].last_audit == coverage.LastAudit(2026, datetime.date(2026, 3, 12))
    assert rows["PG.5"].last_audit == coverage.LastAudit(2024, None)
    # In progress: only its start date is known.
    assert rows["PW.1"].last_audit == coverage.LastAudit(2025, datetime.date(2025, 6, 2))
    assert rows["PW.2"].last_audit == coverage.LastAudit(2019, datetime.date(2019, 4, 2))


def test_open_nonconformities_count_open_cards_of_any_age_up_to_the_planned_year(history):
    counts = {code: row.open_nonconformities for code, row in _rows().items()}
    assert counts == {
        "PZ.1": 0,
        "PG.2": 0,
        "PG.3": 0,
        "PG.5": 0,
        "PG.7": 0,  # its open card is from 2028
        "PW.1": 1,  # not the closed or the cancelled card, nor findings without a card
        "PW.2": 1,  # the reopened 2021 card, not the closed 2019 one
    }
    assert coverage.open_nonconformity_counts(year=2028)[history["PG.7"].pk] == 1


def test_a_card_counts_by_its_status_not_by_its_finding(history):
    card = Nonconformity.objects.get(number="KN/2025/001")
    Nonconformity.objects.filter(pk=card.pk).update(status=Nonconformity.Status.VERIFICATION)
    assert _rows()["PW.1"].open_nonconformities == 1  # awaiting verification is still open
    Nonconformity.objects.filter(pk=card.pk).update(status=Nonconformity.Status.CLOSED)
    assert _rows()["PW.1"].open_nonconformities == 0


def test_processes_stand_out_when_not_audited_for_three_years_or_with_nonconformities(
    history,
):
    rows = _rows()
    standing_out = {code for code, row in rows.items() if row.stands_out}
    assert standing_out == {"PZ.1", "PG.2", "PG.5", "PW.1", "PW.2"}
    assert rows["PZ.1"].never_audited
    assert rows["PG.2"].years_since_audit == 4
    assert rows["PG.5"].years_since_audit == 3
    assert rows["PG.7"].years_since_audit == 2
    assert rows["PW.2"].years_since_audit == 8
    assert not rows["PW.1"].not_audited_long and rows["PW.1"].open_nonconformities == 1
    assert rows["PG.3"].reasons == [] and rows["PG.7"].reasons == []


def test_reasons_are_worded_for_each_case(history):
    from django.utils import translation

    rows = _rows()
    with translation.override("en"):
        assert rows["PZ.1"].reasons == ["never audited"]
        assert rows["PG.2"].reasons == ["not audited for 4 years"]
        assert rows["PW.1"].reasons == ["1 open nonconformity"]


def test_the_figures_are_as_of_the_year_asked_for(history):
    # Planning 2025: the 2026 audit of PG.3 has not happened yet, PG.5's 2024 audit is recent.
    rows = _rows(2025)
    assert rows["PG.3"].last_audit is None and rows["PG.3"].stands_out
    assert not rows["PG.5"].stands_out
    # Cards raised after the year being planned could not have informed its plan.
    assert rows["PW.1"].open_nonconformities == 1
    assert _rows(2024)["PW.1"].open_nonconformities == 0
    assert _rows(2020)["PW.2"].open_nonconformities == 0
    assert [cell.year for cell in rows["PG.3"].cells] == [2021, 2022, 2023, 2024, 2025]


def test_uncovered_processes_are_the_long_unaudited_ones_the_plan_leaves_out(history):
    draft = AuditPlan.objects.create(year=YEAR, revision=2)
    PlannedAuditFactory(plan=draft, processes=[history["PZ.1"]])
    PlannedAuditFactory(plan=draft, processes=[history["PW.2"]], withdrawn=True)
    uncovered, count = coverage.uncovered_processes(draft)
    # PW.1 stands out only for its nonconformity; PW.2's entry was removed from the plan.
    assert [p.code for p in uncovered] == ["PG.2", "PG.5", "PW.2"]
    assert count == 3
    # The page names the first few and counts them all.
    first, count = coverage.uncovered_processes(draft, shown=2)
    assert [p.code for p in first] == ["PG.2", "PG.5"]
    assert count == 3


def test_prefill_months_are_spread_and_skip_january_and_august():
    assert coverage_services.prefill_months(0) == []
    assert coverage_services.prefill_months(1) == [2]
    assert coverage_services.prefill_months(4) == [2, 4, 7, 10]
    many = coverage_services.prefill_months(25)
    assert many == sorted(many) and not {1, 8} & set(many)
    assert set(many) == set(coverage_services.PREFILL_MONTHS)


# --- prefill (the service) ------------------------------------------------------------------


@pytest.fixture
def draft(history, personas):
    """A draft revision of the 2027 plan that already covers PZ.1 and had PW.2 removed."""
    plan = AuditPlan.objects.create(
        year=YEAR, revision=2, status=AuditPlan.Status.DRAFT, prepared_by=personas.koordynator
    )
    PlannedAuditFactory(plan=plan, processes=[history["PZ.1"]])
    PlannedAuditFactory(plan=plan, processes=[history["PW.2"]], withdrawn=True)
    return plan


def _active_entries(plan: AuditPlan) -> list[PlannedAudit]:
    return list(plan.entries.filter(withdrawn=False).prefetch_related("processes", "units", "team"))


def test_prefill_adds_exactly_the_processes_that_stand_out_and_are_not_covered(
    draft, history, personas
):
    added = coverage_services.plan_prefill(plan=draft, by=personas.koordynator)
    assert [[p.code for p in entry.processes.all()] for entry in added] == [
        ["PG.2"],
        ["PG.5"],
        ["PW.1"],
        ["PW.2"],
    ]
    assert [entry.planned_month for entry in added] == [2, 4, 7, 10]
    first = PlannedAudit.objects.get(pk=added[0].pk)
    assert first.scope == "Realizacja procesu PG.2 Rejestracja pojazdów"
    assert first.criteria == "PN-EN ISO 9001:2015; procedury procesu PG.2"
    assert first.lead_auditor is None and not first.team.exists()
    assert list(first.units.all()) == [history["PG.2"].owner_unit]
    assert first.history.first().history_user == personas.koordynator
    covered = sorted(p.code for e in _active_entries(draft) for p in e.processes.all())
    assert covered == ["PG.2", "PG.5", "PW.1", "PW.2", "PZ.1"]


def test_prefill_twice_adds_nothing_the_second_time(draft, personas):
    coverage_services.plan_prefill(plan=draft, by=personas.koordynator)
    before = draft.entries.count()
    assert coverage_services.plan_prefill(plan=draft, by=personas.koordynator) == []
    assert draft.entries.count() == before


@pytest.mark.parametrize("status", ["submitted", "approved", "superseded"])
def test_prefill_refuses_a_plan_that_is_not_a_draft(draft, personas, status):
    AuditPlan.objects.filter(pk=draft.pk).update(status=status)
    before = PlannedAudit.objects.count()
    with pytest.raises(ValidationError):
        coverage_services.plan_prefill(plan=draft, by=personas.koordynator)
    assert PlannedAudit.objects.count() == before


@pytest.mark.parametrize("persona", sorted(set(PERSONA_NAMES) - {"koordynator", "anonim"}))
def test_prefill_service_refuses_everyone_but_the_coordinator(draft, personas, persona):
    with pytest.raises(PermissionDenied):
        coverage_services.plan_prefill(plan=draft, by=personas[persona])
    assert draft.entries.count() == 2


# --- query counts of the selectors ----------------------------------------------------------


def _populate(personas, count: int, offset: int) -> None:
    """``count`` processes, each with a closed 2026 audit carrying a nonconformity whose card
    is open, and a planned 2027 audit."""
    for i in range(offset, offset + count):
        process = ProcessFactory()
        audit = _audit(
            process,
            2026,
            f"A/2026/{i:03d}",
            personas.auditor,
            status=Audit.Status.CLOSED,
            start_date=datetime.date(2026, 4, 1),
            end_date=datetime.date(2026, 4, 2),
        )
        finding = _finding(audit, process, 1, personas.auditor)
        _card(process, f"KN/2026/{i + 100:03d}", personas.auditor, finding=finding)
        _audit(process, 2027, f"A/2027/{i:03d}", personas.auditor)


def _count(function, *args, **kwargs) -> int:
    with CaptureQueriesContext(connection) as ctx:
        function(*args, **kwargs)
    return len(ctx.captured_queries)


def test_selector_query_counts_do_not_grow_with_processes_and_audits(personas):
    plan = AuditPlan.objects.create(year=YEAR, revision=2)
    _populate(personas, 5, 0)
    ProcessFactory.create_batch(2)  # never audited: the plan leaves them out
    small = (
        _count(coverage.coverage_table, year=YEAR),
        _count(coverage.uncovered_processes, plan, shown=1),
    )
    assert coverage.uncovered_processes(plan, shown=1)[1] > 1
    _populate(personas, 35, 5)
    ProcessFactory.create_batch(8)
    assert len(coverage.coverage_table(year=YEAR).rows) == 50
    large = (
        _count(coverage.coverage_table, year=YEAR),
        _count(coverage.uncovered_processes, plan, shown=1),
    )
    assert coverage.uncovered_processes(plan, shown=1)[1] > 5
    # The processes shown and their count: two queries however many there are.
    assert small == large == (4, 2)


# --- the views ------------------------------------------------------------------------------


def _english(client):
    # Page texts are checked in the English msgids, which do not change when the Polish
    # catalogue is filled in.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_coverage_page_is_for_those_who_see_the_whole_programme(personas, persona):
    response = client_for(personas[persona]).get(reverse("audits:coverage"))
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in SEES_PROGRAMME:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_coverage_page_defaults_to_next_year(personas):
    from django.utils import timezone

    response = client_for(personas.pelnomocnik).get(reverse("audits:coverage"))
    assert response.context["year"] == timezone.localdate().year + 1
    assert response.context["coverage"].years[-1] == timezone.localdate().year + 1


def test_coverage_page_shows_the_figures_and_the_reasons(history, personas):
    client = _english(client_for(personas.pelnomocnik))
    response = client.get(reverse("audits:coverage"), {"year": YEAR})
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "A/2023/01",
        "A/2027/01",
        "Needs audit:",
        "never audited",
        "not audited for 4 years",
        "1 open nonconformity",
        "Processes that stand out: 5 of 7.",
        '<th scope="col">2023</th>',
    ):
        assert text in html
    assert "PW.9" not in html
    # The marker is words, not only the row's colour.
    assert html.count("<strong>Needs audit:</strong>") == 5


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("dwa tysiące", "Wpisz liczbę całkowitą."),
        ("1500", "Upewnij się, że ta wartość jest większa lub równa 2000."),
    ],
)
def test_a_bad_year_gets_a_polish_message(personas, value, message):
    response = client_for(personas.koordynator).get(reverse("audits:coverage"), {"year": value})
    assert response.status_code == 400
    assert message in response.content.decode()


def test_coordinator_sees_the_prefill_button_for_the_draft(draft, personas):
    response = client_for(personas.koordynator).get(reverse("audits:coverage"), {"year": YEAR})
    assert [p.code for p in response.context["to_prefill"]] == ["PG.2", "PG.5", "PW.1", "PW.2"]
    assert reverse("audits:plan_prefill", args=[draft.pk]) in response.content.decode()
    overseer = client_for(personas.pelnomocnik).get(reverse("audits:coverage"), {"year": YEAR})
    assert "to_prefill" not in overseer.context


def test_prefill_url_reaches_the_prefill_view():
    assert resolve(reverse("audits:plan_prefill", args=[1])).url_name == "plan_prefill"


def test_prefill_view_adds_entries_and_says_how_many(draft, personas):
    client = _english(client_for(personas.koordynator))
    response = client.post(reverse("audits:plan_prefill", args=[draft.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:plan", args=[draft.pk])
    assert draft.entries.filter(withdrawn=False).count() == 5
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "4 entries were added to the plan. Choose the auditors for them."
    ]
    again = client.post(reverse("audits:plan_prefill", args=[draft.pk]))
    assert draft.entries.filter(withdrawn=False).count() == 5
    # The first message was never shown (the redirect was not followed), so it is still queued.
    assert "nothing was added" in [str(m) for m in get_messages(again.wsgi_request)][-1]


def test_prefill_view_refuses_an_approved_plan_with_a_message(draft, personas):
    AuditPlan.objects.filter(pk=draft.pk).update(status=AuditPlan.Status.SUBMITTED)
    before = PlannedAudit.objects.count()
    response = client_for(personas.koordynator).post(
        reverse("audits:plan_prefill", args=[draft.pk])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:plan", args=[draft.pk])
    (message,) = get_messages(response.wsgi_request)
    assert message.level_tag == "error"
    assert PlannedAudit.objects.count() == before


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_prefill_view_is_for_the_coordinator_only(draft, personas, persona):
    response = client_for(personas[persona]).post(reverse("audits:plan_prefill", args=[draft.pk]))
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona == "koordynator":
        assert response.status_code == 302
        assert draft.entries.count() == 6
        return
    else:
        assert response.status_code == 403
    assert draft.entries.count() == 2


def test_prefill_view_needs_post(draft, personas):
    response = client_for(personas.koordynator).get(reverse("audits:plan_prefill", args=[draft.pk]))
    assert response.status_code == 405
    assert draft.entries.count() == 2


def test_prefill_of_an_unknown_plan_is_404(personas):
    response = client_for(personas.koordynator).post(reverse("audits:plan_prefill", args=[999999]))
    assert response.status_code == 404


def _page_queries(client, year: int) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("audits:coverage"), {"year": year})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_coverage_page_query_count_does_not_grow(personas):
    AuditPlan.objects.create(year=YEAR, revision=2)  # a draft: the prefill part is shown too
    client = client_for(personas.koordynator)
    _populate(personas, 5, 0)
    small = _page_queries(client, YEAR)
    _populate(personas, 35, 5)
    large = _page_queries(client, YEAR)
    assert small == large
