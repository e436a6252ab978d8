"""Management reviews (Księga Jakości §29): the inputs a–j compiled from known records, decisions
flowing into the next review, the frozen minutes, the PDF's text, who may do what, and query
counts that do not grow with the records."""

import datetime
import hashlib
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from audits.models import Finding
from nonconformities.models import CorrectiveAction, Nonconformity
from reviews.inputs import INPUT_CODES, INPUT_TITLES, compile_inputs
from reviews.models import (
    ContextIssue,
    Feedback,
    ImprovementProposal,
    InterestedParty,
    ManagementReview,
    Measurement,
    QualityObjective,
    ReviewDecision,
    Risk,
    RiskAssessment,
)
from reviews.selectors.review import minutes_context, minutes_pdf, review_dashboard_sections
from reviews.services import review as services
from tests.conftest import PERSONA_NAMES, client_for
from tests.factories import AuditFactory, AuditPlanFactory, PlannedAuditFactory
from tests.qms.test_pdf import pdf_text, squashed

PERIOD_START = datetime.date(2025, 1, 1)
PERIOD_END = datetime.date(2025, 12, 31)
MEETING = datetime.date(2026, 1, 20)  # deadlines are judged on this day (it is past)
TOP = {"prezydent", "kierownictwo", "pelnomocnik"}

# Księga Jakości §29, word for word: the Polish catalogue must carry these.
MANUAL_WORDING = {
    "a": "status działań podjętych w następstwie wcześniejszych przeglądów zarządzania",
    "b": "zmiany czynników zewnętrznych i wewnętrznych, istotnych dla SZJ",
    "c": "wyniki auditów jakości, audytów wewnętrznych i kontroli wewnętrznych",
    "d": "informacje o przebiegu i stopniu realizacji działań korygujących",
    "e": "informacje o zadowoleniu klienta i stron zainteresowanych",
    "f": "informacje dotyczące skarg i wniosków wnoszonych przez klientów",
    "g": "informacje o adekwatności zasobów",
    "h": "informacje o skuteczności działań podjętych w związku ze stwierdzonymi ryzykami "
    "i szansami",
    "i": "informacje o stopniu realizacji celów jakościowych",
    "j": "możliwość doskonalenia",
}


def at(year: int, month: int, day: int, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def backdate(obj, when: datetime.datetime, field: str = "created_at") -> None:
    """Move ``obj``'s timestamp and its newest history row to ``when``."""
    type(obj).objects.filter(pk=obj.pk).update(**{field: when})
    newest = obj.history.order_by("-history_id").first()
    type(obj).history.filter(history_id=newest.history_id).update(history_date=when)


def sections_by_code(review: ManagementReview) -> dict:
    return {s.code: s for s in compile_inputs(review)}


def urls(section) -> set[str]:
    return {link.url for link in section.links}


# --- the known world ------------------------------------------------------------------------


def make_review(personas, number: str, meeting: datetime.date, status: str, **fields):
    defaults = {
        "period_start": datetime.date(meeting.year - 1, 1, 1),
        "period_end": datetime.date(meeting.year - 1, 12, 31),
    }
    return ManagementReview.objects.create(
        number=number,
        meeting_date=meeting,
        status=status,
        prepared_by=personas.pelnomocnik,
        **{**defaults, **fields},
    )


def make_decision(review, owner, type_, status, deadline, completed_at=None, text=""):
    return ReviewDecision.objects.create(
        review=review,
        type=type_,
        description=text or f"Decyzja {type_} {status} {deadline}",
        owner=owner,
        deadline=deadline,
        status=status,
        completed_at=completed_at,
    )


def make_audit(process, lead, number, *, year, month, start=None, status="planned", assess=""):
    entry = PlannedAuditFactory(plan=AuditPlanFactory(year=year), processes=[process])
    return AuditFactory(
        planned_entry=entry,
        processes=[process],
        lead_auditor=lead,
        number=number,
        year=year,
        planned_month=month,
        start_date=start,
        end_date=start,
        status=status,
        assessment=assess,
    )


def make_finding(audit, number, type_, by, grade="", withdrawn=False):
    return Finding.objects.create(
        audit=audit,
        number=number,
        type=type_,
        grade=grade,
        process=audit.processes.get(),
        requirement="PN-EN ISO 9001:2015 pkt 7.5.3",
        description=f"Ustalenie {audit.number}/{number}",
        evidence="Rejestr spraw",
        created_by=by,
        withdrawn=withdrawn,
        withdrawal_reason="Pomyłka" if withdrawn else "",
    )


def make_card(process, by, number, *, raised, status, source="own", **fields):
    card = Nonconformity.objects.create(
        number=number,
        year=raised.year,
        source=source,
        process=process,
        unit=process.owner_unit,
        requirement="Procedura PG.3.1",
        description=f"Niezgodność {number}",
        evidence="Teczka spraw",
        grade="minor",
        raised_by=by,
        status=status,
        **fields,
    )
    backdate(card, raised)
    return card


def make_action(card, person, deadline, status, completed_at=None):
    return CorrectiveAction.objects.create(
        card=card,
        description=f"Działanie {card.number} {deadline}",
        responsible=person,
        deadline=deadline,
        status=status,
        completed_at=completed_at,
    )


def make_feedback(personas, kind, received, outcome="pending", **fields):
    return Feedback.objects.create(
        kind=kind,
        received=received,
        outcome=outcome,
        summary=fields.pop("summary", f"{kind} {received}"),
        entered_by=personas.pelnomocnik,
        **fields,
    )


def make_risk(personas, title, likelihood, impact, *, created, next_review, **fields):
    risk = Risk.objects.create(
        title=title,
        likelihood=likelihood,
        impact=impact,
        owner=personas.wlasciciel,
        next_review=next_review,
        controls="Kontrola dwóch par oczu",
        **fields,
    )
    backdate(risk, created)
    return risk


def assess(risk, personas, when, effective):
    assessment = RiskAssessment.objects.create(
        risk=risk,
        likelihood=risk.likelihood,
        impact=risk.impact,
        controls_effective=effective,
        assessed_by=personas.wlasciciel,
    )
    RiskAssessment.objects.filter(pk=assessment.pk).update(assessed_at=when)
    return assessment


def make_objective(personas, title, *, year=2025, measurements=(), **fields):
    objective = QualityObjective.objects.create(
        year=year,
        title=title,
        measure="Odsetek spraw",
        indicator=f"Wskaźnik {title}",
        indicator_unit="%",
        target=fields.pop("target", Decimal("90")),
        direction=fields.pop("direction", "at_least"),
        frequency=fields.pop("frequency", "quarterly"),
        owner=personas.wlasciciel,
        unit=personas.wlasciciel.unit,
        deadline=fields.pop("deadline", datetime.date(year, 12, 31)),
        **fields,
    )
    for start, end, value in measurements:
        Measurement.objects.create(
            objective=objective,
            period_start=start,
            period_end=end,
            value=Decimal(value),
            entered_by=personas.wlasciciel,
        )
    return objective


def make_proposal(personas, title, created, status="submitted", **fields):
    proposal = ImprovementProposal.objects.create(
        title=title,
        description="Opis propozycji",
        proposed_by=personas.pracownik,
        status=status,
        **fields,
    )
    backdate(proposal, created)
    return proposal


def context_entry(model, created, **fields):
    entry = model.objects.create(**fields)
    backdate(entry, created)
    return entry


def change(entry, when, **fields):
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save()
    newest = entry.history.order_by("-history_id").first()
    type(entry).history.filter(history_id=newest.history_id).update(history_date=when)


@pytest.fixture
def world(personas, own_process, other_process):
    """Records with known numbers in and around the period 2025, and the review PZ/2026/1
    (draft, meeting 20.01.2026) that compiles them."""
    p = personas
    w: dict = {}
    # a) and g): two earlier reviews and their decisions, one draft and one later review.
    first = make_review(p, "PZ/2023/1", datetime.date(2023, 12, 1), "approved")
    previous = make_review(p, "PZ/2024/1", datetime.date(2024, 12, 10), "approved")
    make_review(p, "PZ/2025/9", datetime.date(2025, 6, 1), "draft")
    later = make_review(p, "PZ/2026/5", datetime.date(2026, 6, 1), "held")
    w["reported_before"] = make_decision(
        first, p.wlasciciel, "a", "done", datetime.date(2024, 5, 1), at(2024, 6, 1)
    )
    w["d_cancelled"] = make_decision(
        first, p.wlasciciel, "b", "cancelled", datetime.date(2025, 5, 1), at(2025, 2, 1)
    )
    w["d_old_open"] = make_decision(first, p.koordynator, "c", "open", datetime.date(2024, 3, 31))
    w["d_overdue"] = make_decision(
        previous, p.wlasciciel, "a", "open", datetime.date(2025, 6, 30), text="Wdrożyć e-kolejkę"
    )
    w["d_done"] = make_decision(
        previous, p.koordynator, "b", "done", datetime.date(2025, 3, 31), at(2025, 3, 1)
    )
    w["d_resources"] = make_decision(
        previous, p.wlasciciel, "c", "open", datetime.date(2026, 6, 30)
    )
    make_decision(later, p.wlasciciel, "a", "open", datetime.date(2026, 12, 31))

    # b): the context register.
    w["issue_added"] = context_entry(
        ContextIssue, at(2025, 3, 1), kind="external", title="Nowa ustawa o e-doręczeniach"
    )
    w["issue_changed"] = context_entry(
        ContextIssue, at(2024, 5, 1), kind="internal", title="Rotacja kadr"
    )
    change(w["issue_changed"], at(2025, 6, 1), effect="Szkolenia wdrożeniowe")
    change(w["issue_changed"], at(2026, 2, 1), effect="Szkolenia i mentoring")
    w["issue_retired"] = context_entry(
        ContextIssue, at(2024, 5, 1), kind="external", title="Pandemia"
    )
    change(w["issue_retired"], at(2025, 9, 1), is_active=False)
    context_entry(ContextIssue, at(2024, 5, 1), kind="internal", title="Bez zmian")
    w["party_reviewed"] = context_entry(
        InterestedParty, at(2024, 2, 1), name="Mieszkańcy", needs="Szybka obsługa"
    )
    change(w["party_reviewed"], at(2025, 4, 10), last_reviewed=datetime.date(2025, 4, 10))
    context_entry(InterestedParty, at(2026, 2, 1), name="Radni", needs="Informacja")

    # c) and j): audits of the period and around it.
    w["a1"] = make_audit(
        own_process, p.auditor, "A/2025/01", year=2025, month=3,
        start=datetime.date(2025, 3, 10), status="closed", assess="positive",
    )  # fmt: skip
    w["a2"] = make_audit(other_process, p.auditor2, "A/2025/02", year=2025, month=6)
    w["a3"] = make_audit(
        own_process, p.auditor, "A/2025/03", year=2025, month=11,
        start=datetime.date(2025, 11, 5), status="report_submitted",
    )  # fmt: skip
    make_audit(own_process, p.auditor, "A/2024/07", year=2024, month=12,
               start=datetime.date(2024, 12, 15), status="closed")  # fmt: skip
    make_audit(own_process, p.auditor, "A/2026/01", year=2026, month=1)
    make_audit(other_process, p.auditor2, "A/2025/12", year=2025, month=12,
               start=datetime.date(2026, 1, 10), status="in_progress")  # fmt: skip
    F = Finding.Type
    make_finding(w["a1"], 1, F.NONCONFORMITY, p.auditor, grade="minor")
    make_finding(w["a1"], 2, F.NONCONFORMITY, p.auditor, grade="major")
    make_finding(w["a1"], 3, F.OBSERVATION, p.auditor)
    w["ofi1"] = make_finding(w["a1"], 4, F.IMPROVEMENT, p.auditor)
    make_finding(w["a1"], 5, F.GOOD_PRACTICE, p.auditor)
    make_finding(w["a1"], 6, F.OBSERVATION, p.auditor, withdrawn=True)
    w["ofi2"] = make_finding(w["a3"], 1, F.IMPROVEMENT, p.auditor)

    # d): cards and corrective actions.
    k1 = make_card(own_process, p.auditor, "KN/2025/001", raised=at(2025, 2, 1), status="planned")
    w["late_action"] = make_action(k1, p.pracownik, datetime.date(2026, 1, 10), "planned")
    make_action(k1, p.pracownik, datetime.date(2026, 3, 1), "in_progress")
    k2 = make_card(
        own_process, p.auditor, "KN/2024/009", raised=at(2024, 11, 1), status="reopened",
        verified_at=at(2025, 5, 1), verification_effective=False, verified_by=p.pelnomocnik,
    )  # fmt: skip
    change(k2, at(2025, 8, 1), status="closed", verified_at=at(2025, 8, 1),
           verification_effective=True)  # fmt: skip
    make_action(k2, p.pracownik, datetime.date(2025, 4, 1), "done", at(2025, 4, 15))
    make_action(k2, p.pracownik, datetime.date(2025, 7, 30), "done", at(2025, 7, 20))
    make_action(k2, p.pracownik, datetime.date(2024, 12, 1), "done", at(2024, 12, 1))
    k3 = make_card(
        other_process, p.auditor2, "KN/2024/010", raised=at(2024, 10, 1),
        status="in_progress", verified_at=at(2024, 12, 1), verification_effective=False,
    )  # fmt: skip
    w["late_action2"] = make_action(k3, p.wlasciciel2, datetime.date(2025, 12, 1), "in_progress")
    k4 = make_card(own_process, p.auditor, "KN/2025/002", raised=at(2025, 4, 1),
                   status="cancelled")  # fmt: skip
    make_action(k4, p.pracownik, datetime.date(2025, 1, 1), "cancelled")
    make_card(own_process, p.pelnomocnik, "KN/2025/003", raised=at(2025, 10, 1),
              status="reported", source="internal_control")  # fmt: skip
    w.update(k1=k1, k2=k2, k3=k3)

    # e) and f): feedback.
    K, Out = Feedback.Kind, Feedback.Outcome
    w["s1"] = make_feedback(p, K.SURVEY, datetime.date(2025, 6, 30), Out.NOT_APPLICABLE,
                            survey_name="Ankieta BOM I półrocze", score=Decimal("4.2"),
                            score_max=Decimal("5"), respondents=120)  # fmt: skip
    make_feedback(p, K.SURVEY, datetime.date(2025, 12, 15), Out.NOT_APPLICABLE,
                  survey_name="Ankieta WKM", score=Decimal("90"), score_max=Decimal("100"),
                  respondents=80)  # fmt: skip
    make_feedback(p, K.SURVEY, datetime.date(2024, 12, 31), Out.NOT_APPLICABLE,
                  survey_name="Ankieta 2024", score=Decimal("1"), score_max=Decimal("5"),
                  respondents=999)  # fmt: skip
    w["c1"] = make_feedback(p, K.COMPLAINT, datetime.date(2025, 2, 1), Out.JUSTIFIED,
                            reference="WSO-I.1510.1.2025", nonconformity=k1)  # fmt: skip
    make_feedback(p, K.COMPLAINT, datetime.date(2025, 3, 1), Out.UNJUSTIFIED)
    make_feedback(p, K.COMPLAINT, datetime.date(2025, 12, 31), Out.PENDING)
    make_feedback(p, K.REQUEST, datetime.date(2025, 5, 5), Out.ACCEPTED)
    make_feedback(p, K.REQUEST, datetime.date(2025, 7, 7), Out.DECLINED)
    make_feedback(p, K.PETITION, datetime.date(2025, 8, 8), Out.PENDING)
    make_feedback(p, K.COMPLAINT, datetime.date(2026, 1, 5), Out.JUSTIFIED)

    # h): risks and opportunities.
    w["h1"] = make_risk(p, "Utrata danych", 4, 4, created=at(2024, 3, 1),
                        next_review=datetime.date(2026, 3, 1), process=own_process)  # fmt: skip
    assess(w["h1"], p, at(2024, 6, 1), False)
    assess(w["h1"], p, at(2025, 5, 1), True)
    w["h2"] = make_risk(p, "Przekroczenie terminów", 5, 5, created=at(2025, 2, 1),
                        next_review=datetime.date(2025, 12, 31))  # fmt: skip
    assess(w["h2"], p, at(2025, 3, 1), False)
    assess(w["h2"], p, at(2026, 1, 5), True)
    w["h3"] = make_risk(p, "E-usługi", 2, 2, created=at(2024, 1, 1),
                        next_review=datetime.date(2026, 6, 1), kind="opportunity")  # fmt: skip
    make_risk(p, "Zamknięte", 3, 3, created=at(2024, 1, 1),
              next_review=datetime.date(2025, 1, 1), status="closed")  # fmt: skip
    make_risk(p, "Nowe w 2026", 3, 3, created=at(2026, 1, 2),
              next_review=datetime.date(2026, 5, 1))  # fmt: skip

    # i): objectives of 2025.
    q = [(datetime.date(2025, m, 1), datetime.date(2025, m + 2, 28), v)
         for m, v in ((1, "85"), (4, "88"), (7, "92"))]  # fmt: skip
    w["o1"] = make_objective(p, "Terminowość", measurements=q)
    w["o2"] = make_objective(
        p, "Czas oczekiwania", direction="at_most", target=Decimal("10"), frequency="monthly",
        measurements=[(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31), "12"),
                      (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28), "14")],
    )  # fmt: skip
    w["o3"] = make_objective(p, "Szkolenia", frequency="yearly", target=Decimal("5"))
    make_objective(p, "Cel 2024", year=2024)
    make_objective(p, "Wycofany", is_active=False)

    # j): improvement proposals.
    w["p1"] = make_proposal(p, "Formularze online", at(2025, 3, 3))
    w["p2"] = make_proposal(p, "Kolejka SMS", at(2024, 11, 1), "accepted",
                            assessed_at=at(2025, 1, 15))  # fmt: skip
    w["p3"] = make_proposal(p, "Tablica informacyjna", at(2025, 5, 5), "done",
                            completed_at=at(2025, 10, 10))  # fmt: skip
    make_proposal(p, "Stara", at(2024, 1, 1), "rejected", assessed_at=at(2024, 2, 1))
    make_proposal(p, "Za późno", at(2026, 1, 2))

    review = make_review(
        p, "PZ/2026/1", MEETING, "draft", period_start=PERIOD_START, period_end=PERIOD_END,
        commentary={"a": "Decyzje omówione.", "g": "Brakuje dwóch auditorów."},
    )  # fmt: skip
    review.participants.set([p.prezydent, p.kierownictwo, p.pelnomocnik])
    w["review"] = review
    return w


# --- each input against the known world -----------------------------------------------------


def test_sections_come_in_the_manuals_order_with_their_commentary(world):
    sections = compile_inputs(world["review"])
    assert [s.code for s in sections] == list(INPUT_CODES)
    by_code = {s.code: s for s in sections}
    assert by_code["a"].commentary == "Decyzje omówione."
    assert by_code["g"].commentary == "Brakuje dwóch auditorów."
    assert by_code["b"].commentary == ""


def test_input_a_reports_decisions_of_earlier_reviews(world):
    a = sections_by_code(world["review"])["a"]
    decisions = [row["decision"] for row in a.data["rows"]]
    expected = ["d_cancelled", "d_old_open", "d_overdue", "d_done", "d_resources"]
    assert {d.pk for d in decisions} == {world[k].pk for k in expected}
    assert (a.data["total"], a.data["open"], a.data["overdue"]) == (5, 3, 2)
    assert (a.data["done"], a.data["cancelled"]) == (1, 1)
    overdue = {row["decision"].pk for row in a.data["rows"] if row["overdue"]}
    assert overdue == {world["d_old_open"].pk, world["d_overdue"].pk}
    assert reverse(
        "reviews:review_detail", args=[world["d_overdue"].review_id]
    ) + f"#decision-{world['d_overdue'].pk}" in urls(a)


def test_input_b_reports_context_changes_from_history(world):
    b = sections_by_code(world["review"])["b"]
    issues = {row["record"].title: row["change"] for row in b.data["issues"]}
    assert issues == {
        "Nowa ustawa o e-doręczeniach": "added",
        "Rotacja kadr": "changed",
        "Pandemia": "retired",
    }
    assert [(r["record"].name, r["change"]) for r in b.data["parties"]] == [
        ("Mieszkańcy", "changed")
    ]
    assert b.data["counts"] == {"added": 1, "changed": 2, "retired": 1}
    assert reverse("reviews:context_issue", args=[world["issue_retired"].pk]) in urls(b)
    assert reverse("reviews:context_party", args=[world["party_reviewed"].pk]) in urls(b)


def test_input_c_reports_the_periods_audits_and_findings(world):
    c = sections_by_code(world["review"])["c"]
    numbers = [row["audit"].number for row in c.data["rows"]]
    assert numbers == ["A/2025/01", "A/2025/02", "A/2025/03"]
    assert c.data["total"] == 3
    findings = {value: n for value, _label, n in c.data["findings"]}
    assert findings == {"nonconformity": 2, "observation": 1, "improvement": 2, "good_practice": 1}
    assert c.data["findings_total"] == 6
    assert [n for _label, n in c.data["nonconformities_by_grade"]] == [1, 1]
    assert [n for _label, n in c.data["assessments"]] == [1, 0, 0]
    assert c.data["not_evaluated"] == 2
    assert [n for _label, n in c.data["other_checks"]] == [1, 0]  # internal control, external
    assert {row["audit"].number: row["audit"].findings_count for row in c.data["rows"]} == {
        "A/2025/01": 5,
        "A/2025/02": 0,
        "A/2025/03": 1,
    }
    assert reverse("audits:detail", args=[world["a1"].pk]) in urls(c)
    assert c.note  # internal audits and controls are outside the system, and it says so


def test_input_d_reports_cards_and_corrective_actions(world):
    d = sections_by_code(world["review"])["d"]
    assert d.data["cards_open"] == 3  # KN/2025/001, KN/2024/010, KN/2025/003
    assert d.data["cards_raised"] == 3  # KN/2025/001, 002 (cancelled), 003
    assert d.data["verified_effective"] == 1
    assert d.data["verified_not_effective"] == 1  # the 2024 verification is outside
    assert (d.data["actions_open"], d.data["actions_overdue"], d.data["actions_done"]) == (3, 2, 2)
    assert [row["action"].pk for row in d.data["overdue_rows"]] == [
        world["late_action2"].pk,
        world["late_action"].pk,
    ]
    assert reverse("nonconformities:detail", args=[world["k2"].pk]) in urls(d)
    assert reverse("nonconformities:detail", args=[world["k3"].pk]) in urls(d)


def test_input_e_reports_satisfaction_surveys(world):
    e = sections_by_code(world["review"])["e"]
    assert [row["survey"].survey_name for row in e.data["rows"]] == [
        "Ankieta BOM I półrocze",
        "Ankieta WKM",
    ]
    assert [row["percent"] for row in e.data["rows"]] == [Decimal("84.0"), Decimal("90.0")]
    assert e.data["respondents"] == 200
    assert e.data["average_percent"] == Decimal("87.0")
    assert reverse("reviews:feedback", args=[world["s1"].pk]) in urls(e)


def test_input_f_reports_complaints_and_requests_by_outcome(world):
    f = sections_by_code(world["review"])["f"]
    table = {
        kind["kind"]: (kind["total"], {o["outcome"]: o["count"] for o in kind["outcomes"]})
        for kind in f.data["kinds"]
    }
    assert table["complaint"] == (3, {"pending": 1, "justified": 1, "unjustified": 1})
    assert table["request"] == (2, {"pending": 0, "accepted": 1, "declined": 1})
    assert table["petition"] == (1, {"pending": 1, "accepted": 0, "declined": 0})
    assert f.data["total"] == 6
    assert f.data["complaints_with_card"] == 1
    assert [row["case"].pk for row in f.data["noted"]] == [world["c1"].pk]
    assert urls(f) == {reverse("reviews:feedback", args=[world["c1"].pk])}


def test_input_g_holds_only_resource_decisions_and_says_so(world):
    g = sections_by_code(world["review"])["g"]
    assert {row["decision"].pk for row in g.data["rows"]} == {
        world["d_old_open"].pk,
        world["d_resources"].pk,
    }
    assert g.note
    assert g.commentary == "Brakuje dwóch auditorów."


def test_input_h_reports_risks_their_scores_and_controls(world):
    h = sections_by_code(world["review"])["h"]
    assert [row["risk"].title for row in h.data["rows"]] == [
        "Przekroczenie terminów",
        "Utrata danych",
        "E-usługi",
    ]
    assert [row["risk"].score_value for row in h.data["rows"]] == [25, 16, 4]
    assert (h.data["risks"], h.data["opportunities"]) == (2, 1)
    assert h.data["assessed_in_period"] == 2
    effectiveness = (
        h.data["controls_effective"],
        h.data["controls_not_effective"],
        h.data["controls_not_judged"],
    )
    assert effectiveness == (1, 1, 1)  # the 2026 assessment is after the period
    assert h.data["review_overdue"] == 1
    assert [n for _label, n in h.data["by_band"]] == [1, 0, 1, 1]
    assert reverse("reviews:risk", args=[world["h1"].pk]) in urls(h)


def test_input_i_reports_objectives_with_status_and_trend(world):
    i = sections_by_code(world["review"])["i"]
    rows = {row["objective"].title: row for row in i.data["rows"]}
    assert set(rows) == {"Terminowość", "Czas oczekiwania", "Szkolenia"}
    assert rows["Terminowość"]["objective"].status == "achieved"
    assert rows["Terminowość"]["objective"].trend == "improving"
    assert rows["Czas oczekiwania"]["objective"].status == "not_achieved"  # deadline passed
    assert rows["Czas oczekiwania"]["objective"].trend == "worsening"
    assert rows["Szkolenia"]["objective"].status == "no_data"
    assert len(rows["Terminowość"]["chart"]["points"]) == 3
    assert (i.data["total"], i.data["achieved"], i.data["missed"]) == (3, 1, 1)
    assert reverse("reviews:objective", args=[world["o1"].pk]) in urls(i)


def test_input_j_reports_proposals_and_opportunities_from_audits(world):
    j = sections_by_code(world["review"])["j"]
    assert [row["proposal"].title for row in j.data["proposals"]] == [
        "Kolejka SMS",
        "Formularze online",
        "Tablica informacyjna",
    ]
    # submitted, accepted, rejected, implemented
    assert [n for _label, n in j.data["by_status"]] == [1, 1, 0, 1]
    assert [row["finding"].pk for row in j.data["findings"]] == [
        world["ofi1"].pk,
        world["ofi2"].pk,
    ]
    assert reverse("reviews:proposal", args=[world["p3"].pk]) in urls(j)
    assert reverse("audits:detail", args=[world["a3"].pk]) in urls(j)


# --- decisions flow into the next review -----------------------------------------------------


def test_decisions_of_one_review_are_input_a_of_the_next(personas):
    p = personas
    first = services.review_create(
        by=p.pelnomocnik,
        meeting_date=datetime.date(2025, 12, 10),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 11, 30),
        participants=[p.prezydent, p.pelnomocnik],
    )
    assert first.number == "PZ/2025/1"
    decision = services.decision_add(
        review=first,
        by=p.pelnomocnik,
        type="a",
        description="Uruchomić ankietę satysfakcji online",
        owner=p.wlasciciel,
        deadline=datetime.date(2026, 3, 31),
    )
    first = services.review_hold(review=first, by=p.pelnomocnik, expected_version=first.version)
    second = services.review_create(
        by=p.pelnomocnik,
        meeting_date=datetime.date(2026, 12, 10),
        period_start=datetime.date(2025, 12, 1),
        period_end=datetime.date(2026, 11, 30),
    )
    rows = sections_by_code(second)["a"].data["rows"]
    assert [row["decision"].pk for row in rows] == [decision.pk]
    assert rows[0]["decision"].status == "open"
    services.decision_complete(
        decision=decision, by=p.wlasciciel, expected_version=decision.version, note="Wdrożono"
    )
    a = sections_by_code(second)["a"]
    assert (a.data["done"], a.data["open"]) == (1, 0)
    # The review that made it does not report its own decisions as earlier ones.
    assert sections_by_code(first)["a"].data["rows"] == []


# --- the minutes ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _held(world, personas) -> ManagementReview:
    review = world["review"]
    services.decision_add(
        review=review,
        by=personas.pelnomocnik,
        type="c",
        description="Zatrudnić dwóch auditorów wewnętrznych",
        owner=personas.koordynator,
        deadline=datetime.date(2026, 6, 30),
    )
    review.refresh_from_db()
    return services.review_hold(
        review=review, by=personas.pelnomocnik, expected_version=review.version
    )


def test_approval_freezes_the_minutes_against_later_changes(world, personas, media):
    review = _held(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    review.refresh_from_db()
    stored = review.minutes_pdf.read()
    review.minutes_pdf.close()
    assert review.status == "approved"
    assert hashlib.sha256(stored).hexdigest() == review.minutes_sha256
    assert "Utrata danych" in pdf_text(stored)

    # The records change after approval ...
    Risk.objects.filter(pk=world["h1"].pk).update(title="Zmieniona nazwa ryzyka")
    make_feedback(personas, "complaint", datetime.date(2025, 9, 9), "justified")
    decision = review.decisions.get()
    services.decision_complete(
        decision=decision, by=personas.koordynator, expected_version=decision.version, note="OK"
    )

    # ... and the minutes served are the bytes approved, checksum unchanged.
    response = client_for(personas.kierownictwo).get(
        reverse("reviews:review_minutes", args=[review.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == stored
    review.refresh_from_db()
    assert review.minutes_sha256 == hashlib.sha256(stored).hexdigest()
    assert "Zmieniona nazwa ryzyka" not in pdf_text(response.content)
    # A fresh rendering would differ: the file served is not rendered again.
    assert "Zmieniona nazwa ryzyka" in pdf_text(minutes_pdf(review, final=True))


def test_a_tampered_stored_minutes_file_is_refused(world, personas, media):
    review = _held(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    path = media / review.minutes_pdf.name
    path.write_bytes(path.read_bytes() + b"\n%tampered")
    response = client_for(personas.prezydent).get(
        reverse("reviews:review_minutes", args=[review.pk])
    )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    path.unlink()
    missing = client_for(personas.prezydent).get(
        reverse("reviews:review_minutes", args=[review.pk])
    )
    assert missing.status_code == 500


def test_pdf_holds_every_input_heading_the_decisions_and_signatures(world, personas, media):
    review = _held(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    text = squashed(pdf_text(review.minutes_pdf.read()))
    with translation.override("pl"):
        for code in INPUT_CODES:
            assert squashed(f"{code}) {INPUT_TITLES[code]}") in text, code
    assert squashed("Zatrudnić dwóch auditorów wewnętrznych") in text
    assert squashed(str(personas.prezydent)) in text
    assert squashed("PZ/2026/1") in text
    assert "PROJEKT" not in text


def test_input_headings_use_the_manuals_polish_wording():
    """Fails until the Polish catalogue carries the msgids of reviews/inputs.py."""
    with translation.override("pl"):
        actual = {code: str(INPUT_TITLES[code]) for code in INPUT_CODES}
    assert actual == MANUAL_WORDING


def test_draft_minutes_carry_the_draft_marker(world, personas):
    response = client_for(personas.pelnomocnik).get(
        reverse("reviews:review_minutes", args=[world["review"].pk])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "PROJEKT / DRAFT" in text
    assert squashed("Wdrożyć e-kolejkę") in squashed(text)  # input a) from the previous review


def _laid_out_minutes(review: ManagementReview):
    from qms.pdf import PDF_BASE_URL, DocumentHTML

    html = render_to_string("reviews/pdf/minutes.html", minutes_context(review, final=False))
    return html, DocumentHTML(string=html, base_url=PDF_BASE_URL).render()


def _boxes(box, kind):
    if isinstance(box, kind):
        yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child, kind)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_minutes_tables_keep_within_the_page_and_text_within_its_column(world, personas, language):
    """The data tables carry their column widths ({% pdf_columns %}, fixed layout): a long word
    in a seven-column table used to push it past the page's right edge."""
    from weasyprint.formatting_structure.boxes import TableBox, TableCellBox, TextBox

    risk = make_risk(
        personas, "Niewystarczające kwalifikacje pracowników administracyjnych", 4, 5,
        created=at(2025, 3, 1), next_review=datetime.date(2025, 6, 1),
    )  # fmt: skip
    Risk.objects.filter(pk=risk.pk).update(
        controls="Nadzór kierownika komórki organizacyjnej; szkolenia wewnątrzurzędowe"
    )
    with translation.override(language):
        html, document = _laid_out_minutes(world["review"])
    data_tables = len(re.findall(r'<table class="table(?: table-sm)?">', html))
    assert data_tables >= 12
    assert html.count('<colgroup class="pdf-columns">') == data_tables
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width  # the page's content edge
        for table in _boxes(box, TableBox):
            assert table.position_x + table.margin_width() <= right + 0.5
        for cell in _boxes(box, TableCellBox):
            edge = cell.content_box_x() + cell.width
            for text in _boxes(cell, TextBox):
                assert text.position_x + text.width <= edge + 0.5, text.text


# --- services: who may do what --------------------------------------------------------------

SIGNED_IN = [name for name in PERSONA_NAMES if name != "anonim"]


@pytest.mark.parametrize("name", SIGNED_IN)
def test_only_the_pelnomocnik_prepares_a_review(personas, name):
    call = lambda: services.review_create(  # noqa: E731
        by=personas[name],
        meeting_date=datetime.date(2026, 12, 10),
        period_start=datetime.date(2025, 12, 1),
        period_end=datetime.date(2026, 11, 30),
    )
    if name == "pelnomocnik":
        assert call().number == "PZ/2026/1"
        assert call().number == "PZ/2026/2"
    else:
        with pytest.raises(PermissionDenied):
            call()


@pytest.mark.parametrize("name", SIGNED_IN)
def test_only_the_prezydent_approves(world, personas, media, name):
    review = _held(world, personas)
    if name == "prezydent":
        review = services.review_approve(
            review=review, by=personas[name], expected_version=review.version
        )
        assert review.status == "approved"
        assert review.approved_by == personas.prezydent
    else:
        with pytest.raises(PermissionDenied):
            services.review_approve(
                review=review, by=personas[name], expected_version=review.version
            )
        review.refresh_from_db()
        assert review.status == "held"
        assert not review.minutes_pdf


@pytest.mark.parametrize("name", SIGNED_IN)
def test_only_the_pelnomocnik_comments_holds_and_decides(world, personas, name):
    review = world["review"]
    calls = [
        lambda: services.review_update(
            review=review, by=personas[name], expected_version=review.version, summary="Wnioski"
        ),
        lambda: services.decision_add(
            review=review,
            by=personas[name],
            type="a",
            description="Nowa decyzja",
            owner=personas.wlasciciel,
            deadline=datetime.date(2026, 5, 1),
        ),  # fmt: skip
    ]
    for call in calls:
        if name == "pelnomocnik":
            call()
        else:
            with pytest.raises(PermissionDenied):
                call()
    decision = ReviewDecision.objects.create(
        review=review, type="a", description="Robocza", owner=personas.wlasciciel,
        deadline=datetime.date(2026, 5, 1),
    )  # fmt: skip
    update = lambda: services.decision_update(  # noqa: E731
        decision=decision, by=personas[name], expected_version=decision.version,
        description="Poprawiona",
    )  # fmt: skip
    if name == "pelnomocnik":
        assert update().description == "Poprawiona"
    else:
        with pytest.raises(PermissionDenied):
            update()
    review.refresh_from_db()
    if name == "pelnomocnik":
        services.review_hold(review=review, by=personas[name], expected_version=review.version)
    else:
        with pytest.raises(PermissionDenied):
            services.review_hold(review=review, by=personas[name], expected_version=review.version)


@pytest.mark.parametrize("name", SIGNED_IN)
def test_only_the_owner_completes_a_decision(world, personas, name):
    review = _held(world, personas)
    decision = review.decisions.get()  # owned by koordynator
    if name == "koordynator":
        done = services.decision_complete(
            decision=decision, by=personas[name], expected_version=decision.version, note="Tak"
        )
        assert (done.status, done.completion_note) == ("done", "Tak")
    else:
        with pytest.raises(PermissionDenied):
            services.decision_complete(
                decision=decision, by=personas[name], expected_version=decision.version, note="x"
            )


def test_after_approval_only_the_decisions_status_changes(world, personas, media):
    review = _held(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    pel = personas.pelnomocnik
    with pytest.raises(ValidationError):
        services.review_update(
            review=review, by=pel, expected_version=review.version, commentary={"a": "Zmiana"}
        )
    with pytest.raises(ValidationError):
        services.decision_add(
            review=review, by=pel, type="a", description="Spóźniona",
            owner=personas.wlasciciel, deadline=datetime.date(2026, 5, 1),
        )  # fmt: skip
    decision = review.decisions.get()
    with pytest.raises(ValidationError):
        services.decision_update(
            decision=decision, by=pel, expected_version=decision.version, description="Inna"
        )
    with pytest.raises(ValidationError):
        services.decision_update(
            decision=decision, by=pel, expected_version=decision.version, status="cancelled"
        )  # a cancellation needs its reason
    cancelled = services.decision_update(
        decision=decision,
        by=pel,
        expected_version=decision.version,
        status="cancelled",
        note="Zatrudnienie wstrzymane",
    )
    assert cancelled.status == "cancelled"
    review.refresh_from_db()
    assert review.status == "approved"


def test_participants_come_from_top_management(personas):
    with pytest.raises(ValidationError) as refused:
        services.review_create(
            by=personas.pelnomocnik,
            meeting_date=datetime.date(2026, 12, 10),
            period_start=datetime.date(2025, 12, 1),
            period_end=datetime.date(2026, 11, 30),
            participants=[personas.prezydent, personas.pracownik],
        )
    assert "participants" in refused.value.error_dict


def test_a_stale_form_does_not_overwrite_commentary(world, personas):
    review = world["review"]
    stale = review.version
    services.review_update(
        review=review, by=personas.pelnomocnik, expected_version=stale, commentary={"b": "Jeden"}
    )
    with pytest.raises(ValidationError):
        services.review_update(
            review=review, by=personas.pelnomocnik, expected_version=stale, commentary={"b": "Dwa"}
        )
    review.refresh_from_db()
    assert review.commentary == {"b": "Jeden"}


# --- views: who may see and do what ---------------------------------------------------------


@pytest.fixture
def held_review(world, personas):
    """The world's review, held, with a decision owned by ``wlasciciel``."""
    review = world["review"]
    decision = services.decision_add(
        review=review,
        by=personas.pelnomocnik,
        type="a",
        description="Skrócić czas obsługi",
        owner=personas.wlasciciel,
        deadline=datetime.date(2026, 6, 30),
    )
    review.refresh_from_db()
    review = services.review_hold(
        review=review, by=personas.pelnomocnik, expected_version=review.version
    )
    return review, decision


def _expected(view: str, name: str) -> int:
    if name == "anonim":
        return 302
    allowed = {
        # Owners of decisions of held reviews see their own decisions there.
        "list": TOP | {"wlasciciel", "koordynator"},
        "detail": TOP,
        "minutes": TOP,
        "create": {"pelnomocnik"},
        "edit": {"pelnomocnik"},
        "decision_add": {"pelnomocnik"},
        "decision_edit": {"pelnomocnik"},
        "approve": {"prezydent"},
        "decision_complete": {"wlasciciel"},
    }[view]
    return 200 if name in allowed else 403


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_view_permissions_per_persona(held_review, as_persona, name):
    review, decision = held_review
    client = as_persona(name)
    views = {
        "list": reverse("reviews:review_list"),
        "detail": reverse("reviews:review_detail", args=[review.pk]),
        "minutes": reverse("reviews:review_minutes", args=[review.pk]),
        "create": reverse("reviews:review_create"),
        "edit": reverse("reviews:review_edit", args=[review.pk]),
        "decision_add": reverse("reviews:decision_add", args=[review.pk]),
        "decision_edit": reverse("reviews:decision_edit", args=[decision.pk]),
        "approve": reverse("reviews:review_approve", args=[review.pk]),
        "decision_complete": reverse("reviews:decision_complete", args=[decision.pk]),
    }
    got = {view: client.get(url).status_code for view, url in views.items()}
    assert got == {view: _expected(view, name) for view in views}


@pytest.mark.parametrize("name", PERSONA_NAMES)
def test_hold_view_per_persona(world, as_persona, name):
    review = world["review"]
    url = reverse("reviews:review_hold", args=[review.pk])
    response = as_persona(name).post(url, {"version": review.version})
    review.refresh_from_db()
    if name == "pelnomocnik":
        assert response.status_code == 302
        assert review.status == "held"
    else:
        assert response.status_code == (302 if name == "anonim" else 403)
        assert review.status == "draft"


def test_pelnomocnik_prepares_comments_and_decides_through_the_pages(world, personas):
    client = client_for(personas.pelnomocnik)
    response = client.post(
        reverse("reviews:review_create"),
        {
            "meeting_date": "2026-12-10",
            "period_start": "2025-12-01",
            "period_end": "2026-11-30",
            "participants": [personas.prezydent.pk, personas.pelnomocnik.pk],
        },
    )
    # The world holds PZ/2026/1 and PZ/2026/5: the next number follows the highest.
    review = ManagementReview.objects.get(number="PZ/2026/6")
    assert response.status_code == 302
    assert response.url == reverse("reviews:review_detail", args=[review.pk])
    data = {f"commentary_{code}": "" for code in INPUT_CODES}
    data.update(
        version=review.version,
        commentary_e="Wyniki ankiet stabilne",
        summary="SZJ skuteczny",
        participants=[personas.prezydent.pk, personas.pelnomocnik.pk, personas.kierownictwo.pk],
    )
    assert client.post(reverse("reviews:review_edit", args=[review.pk]), data).status_code == 302
    response = client.post(
        reverse("reviews:decision_add", args=[review.pk]),
        {
            "type": "b",
            "description": "Zmienić procedurę",
            "owner": personas.wlasciciel.pk,
            "deadline": "2027-03-31",
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.commentary == {"e": "Wyniki ankiet stabilne"}
    assert review.participants.count() == 3
    page = client.get(reverse("reviews:review_detail", args=[review.pk])).content.decode()
    assert "Wyniki ankiet stabilne" in page
    assert "Zmienić procedurę" in page


def test_prezydent_approves_through_the_page_and_owner_completes(held_review, personas, media):
    review, decision = held_review
    response = client_for(personas.prezydent).post(
        reverse("reviews:review_approve", args=[review.pk]), {"version": review.version}
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.status == "approved" and review.minutes_sha256
    owner = client_for(personas.wlasciciel)
    response = owner.post(
        reverse("reviews:decision_complete", args=[decision.pk]),
        {"version": decision.version, "note": "Wdrożono nowy grafik"},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done"


def test_dashboard_sections_list_the_persons_open_and_overdue_decisions(held_review, personas):
    _review, decision = held_review
    later = review_dashboard_sections(user=personas.wlasciciel, today=datetime.date(2026, 7, 1))
    assert decision in later["review_decisions_overdue"]
    assert decision not in later["review_decisions_open"]
    before = review_dashboard_sections(user=personas.wlasciciel, today=datetime.date(2026, 6, 1))
    assert decision in before["review_decisions_open"]
    # The earlier reviews' open decision of 30.06.2025 is overdue on both days.
    overdue = [d.description for d in before["review_decisions_overdue"]]
    assert overdue == ["Wdrożyć e-kolejkę"]
    assert all(d.owner_id == personas.wlasciciel.pk for d in later["review_decisions_open"])
    other = review_dashboard_sections(user=personas.pracownik, today=MEETING)
    assert other == {
        "review_decisions_overdue": [],
        "review_decisions_open": [],
        "reviews_to_approve": [],
        "reviews_in_preparation": [],
    }
    to_approve = review_dashboard_sections(user=personas.prezydent, today=MEETING)
    assert held_review[0] in to_approve["reviews_to_approve"]


# --- query counts -----------------------------------------------------------------------------


def _more_records(personas, own_process, n: int) -> None:
    """``n`` more of every kind of record in the period."""
    p = personas
    earlier = ManagementReview.objects.get(number="PZ/2024/1")
    for i in range(n):
        make_decision(earlier, p.wlasciciel, "abc"[i % 3], "open", datetime.date(2025, 5, 1))
        issue = context_entry(ContextIssue, at(2025, 2, 1), kind="external", title=f"Z {i}")
        change(issue, at(2025, 3, 1), effect="zmiana")
        context_entry(InterestedParty, at(2025, 2, 1), name=f"Strona {i}", needs="—")
        audit = make_audit(own_process, p.auditor, f"A/2025/{50 + i}", year=2025, month=5,
                           start=datetime.date(2025, 5, 5), status="evaluated",
                           assess="remarks")  # fmt: skip
        make_finding(audit, 1, Finding.Type.IMPROVEMENT, p.auditor)
        make_finding(audit, 2, Finding.Type.NONCONFORMITY, p.auditor, grade="minor")
        card = make_card(own_process, p.auditor, f"KN/2025/{100 + i}", raised=at(2025, 6, 1),
                         status="in_progress")  # fmt: skip
        make_action(card, p.pracownik, datetime.date(2025, 7, 1), "in_progress")
        make_feedback(p, "complaint", datetime.date(2025, 6, 1), "justified", nonconformity=card)
        make_feedback(p, "survey", datetime.date(2025, 6, 1), "n/a", survey_name=f"Ankieta {i}",
                      score=Decimal("3"), score_max=Decimal("5"), respondents=10)  # fmt: skip
        risk = make_risk(p, f"Ryzyko {i}", 3, 4, created=at(2025, 1, 2),
                         next_review=datetime.date(2025, 9, 1), process=own_process)  # fmt: skip
        assess(risk, p, at(2025, 4, 1), i % 2 == 0)
        make_objective(p, f"Cel {i}", measurements=[
            (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "80"),
            (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30), "95"),
        ])  # fmt: skip
        make_proposal(p, f"Propozycja {i}", at(2025, 8, 1))


def _queries(fn) -> int:
    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_compile_inputs_query_count_does_not_grow(world, personas, own_process):
    review = world["review"]
    small = _queries(lambda: compile_inputs(ManagementReview.objects.get(pk=review.pk)))
    _more_records(personas, own_process, 6)
    large = _queries(lambda: compile_inputs(ManagementReview.objects.get(pk=review.pk)))
    assert small == large
    assert small <= 30


def test_review_page_query_count_does_not_grow(world, personas, own_process):
    client = client_for(personas.prezydent)
    url = reverse("reviews:review_detail", args=[world["review"].pk])
    client.get(url)  # warm the session
    small = _queries(lambda: client.get(url))
    _more_records(personas, own_process, 6)
    response = client.get(url)
    assert response.status_code == 200
    assert "Cel 5" in response.content.decode()
    large = _queries(lambda: client.get(url))
    assert small == large


def test_lists_show_the_first_records_and_the_figures_count_them_all(world, personas, own_process):
    from reviews.inputs import ROWS_SHOWN

    review = world["review"]
    before = sections_by_code(ManagementReview.objects.get(pk=review.pk))
    _more_records(personas, own_process, ROWS_SHOWN + 2)
    after = sections_by_code(ManagementReview.objects.get(pk=review.pk))
    h, i, c = after["h"].data, after["i"].data, after["c"].data
    assert h["total"] == before["h"].data["total"] + ROWS_SHOWN + 2
    assert len(h["rows"]) == ROWS_SHOWN and h["more"] == h["total"] - ROWS_SHOWN
    assert h["risks"] + h["opportunities"] == h["total"] == sum(n for _l, n in h["by_band"])
    # The highest scores are the ones shown.
    assert [r["risk"].score_value for r in h["rows"]][:2] == [25, 16]
    assert len(i["rows"]) == ROWS_SHOWN and i["more"] == i["total"] - ROWS_SHOWN
    assert i["total"] == before["i"].data["total"] + ROWS_SHOWN + 2
    assert len(c["rows"]) == ROWS_SHOWN and c["total"] == before["c"].data["total"] + ROWS_SHOWN + 2
    d = after["d"].data
    assert len(d["overdue_rows"]) == ROWS_SHOWN
    assert d["overdue_more"] == d["actions_overdue"] - ROWS_SHOWN > 0
    e, j = after["e"].data, after["j"].data
    assert e["total"] == before["e"].data["total"] + ROWS_SHOWN + 2 and len(e["rows"]) == ROWS_SHOWN
    assert j["proposals_total"] == len(j["proposals"]) + j["proposals_more"]
    page = (
        client_for(personas.prezydent)
        .get(reverse("reviews:review_detail", args=[review.pk]))
        .content.decode()
    )
    assert f"… i jeszcze {h['more']} pozycji" in page or f"… i jeszcze {h['more']} pozycje" in page


def test_objective_status_in_sql_agrees_with_the_rule(world, personas, own_process):
    from reviews.selectors.objectives import annotate_status, objective_status

    # Missed first, then at risk, then unmeasured, then achieved (the order of input i).
    rank = {"not_achieved": 0, "at_risk": 1, "no_data": 2, "achieved": 3}

    _more_records(personas, own_process, 3)
    make_objective(personas, "Bez pomiarów", measurements=[])
    make_objective(personas, "Po terminie", measurements=[
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "10"),
    ], deadline=datetime.date(2025, 6, 30))  # fmt: skip
    make_objective(personas, "Czas", direction="at_most", target=Decimal("10"), measurements=[
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "8"),
        (datetime.date(2025, 4, 1), datetime.date(2025, 6, 30), "12"),
    ])  # fmt: skip
    for day in (datetime.date(2025, 1, 15), datetime.date(2026, 1, 15)):
        annotated = annotate_status(QualityObjective.objects.all(), day)
        for objective in annotated.prefetch_related("measurements"):
            expected = objective_status(objective, list(objective.measurements.all()), today=day)
            assert objective.status_code == expected, objective.title
            assert objective.status_rank == rank[expected], objective.title
    codes = set(annotate_status(QualityObjective.objects.all(), datetime.date(2026, 1, 15))
                .values_list("status_code", flat=True))  # fmt: skip
    assert {"no_data", "achieved", "not_achieved"} <= codes
    july = annotate_status(QualityObjective.objects.all(), datetime.date(2025, 7, 1))
    assert "at_risk" in set(july.values_list("status_code", flat=True))


# --- demo --------------------------------------------------------------------------------------


def test_seed_review_shows_last_years_decisions_in_this_years_review(personas, media):
    from reviews.demo_review import seed_review

    people = {
        "pelnomocnik": personas.pelnomocnik,
        "prezydent": personas.prezydent,
        "kierownictwo": personas.kierownictwo,
        "koordynator": personas.koordynator,
    }
    assert seed_review(people) == 2
    assert seed_review(people) == 0
    year = timezone.localdate().year
    last = ManagementReview.objects.get(number=f"PZ/{year - 1}/1")
    assert last.status == "approved" and last.minutes_sha256
    assert sorted(last.decisions.values_list("status", flat=True)) == ["done", "done", "open"]
    current = ManagementReview.objects.get(number=f"PZ/{year}/1")
    a = sections_by_code(current)["a"]
    assert (a.data["total"], a.data["open"], a.data["done"]) == (3, 1, 2)
