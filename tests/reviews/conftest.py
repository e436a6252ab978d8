"""Shared by the tests of management reviews and of quality objectives.

For test_review_*.py: the known world — records with known numbers in and around 2025 and
the review PZ/2026/1 (draft, meeting 20.01.2026) that compiles them — with the helpers
that build it, the ``media`` fixture and the world's review held with one decision. For
test_objectives_*.py: objectives set, and measurements entered, through the services."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from audits.models import Finding
from nonconformities.models import CorrectiveAction, Nonconformity
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
from reviews.selectors.review_inputs import compile_inputs
from reviews.services import objectives as objective_services
from reviews.services import review as services
from tests.factories import AuditFactory, AuditPlanFactory, PlannedAuditFactory

PERIOD_START = datetime.date(2025, 1, 1)
PERIOD_END = datetime.date(2025, 12, 31)
MEETING = datetime.date(2026, 1, 20)  # deadlines are judged on this day (it is past)


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


def record_objective(personas, title, *, year=2025, measurements=(), **fields):
    """An objective of ``year`` with its ``measurements``, written directly (tests of the
    objectives themselves set theirs through the services: ``make_objective``)."""
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
    w["o1"] = record_objective(p, "Terminowość", measurements=q)
    w["o2"] = record_objective(
        p, "Czas oczekiwania", direction="at_most", target=Decimal("10"), frequency="monthly",
        measurements=[(datetime.date(2025, 1, 1), datetime.date(2025, 1, 31), "12"),
                      (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28), "14")],
    )  # fmt: skip
    w["o3"] = record_objective(p, "Szkolenia", frequency="yearly", target=Decimal("5"))
    record_objective(p, "Cel 2024", year=2024)
    record_objective(p, "Wycofany", is_active=False)

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


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def hold_with_a_decision(world, personas) -> ManagementReview:
    """The world's review, held, with one decision owned by ``koordynator``."""
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


# --- quality objectives ---------------------------------------------------------------------------

Frequency = QualityObjective.Frequency
Direction = QualityObjective.Direction
# A finished year, so the services accept measurements for every one of its periods whenever
# the suite runs, and the deadline (31 December) has passed.
YEAR = 2025


def make_objective(personas, *, owner=None, by=None, **fields) -> QualityObjective:
    """An objective as the Pełnomocnik sets it; owned by ``wlasciciel`` unless told."""
    owner = owner or personas.wlasciciel
    data = {
        "year": YEAR,
        "title": "Terminowość załatwiania spraw — co najmniej 98%",
        "measure": "Odsetek spraw załatwionych w terminie KPA",
        "indicator": "Sprawy w terminie / wszystkie sprawy × 100%",
        "indicator_unit": "%",
        "direction": Direction.AT_LEAST,
        "target": Decimal("98"),
        "frequency": Frequency.QUARTERLY,
        "owner": owner,
        "unit": owner.unit,
        "resources": "Rejestry w EZD",
        "deadline": datetime.date(YEAR, 12, 31),
        "evaluation": "Porównanie z celem co kwartał.",
    }
    data.update(fields)
    return objective_services.objective_create(by=by or personas.pelnomocnik, **data)


def measure(objective, by, start: datetime.date, value: str, comment: str = "") -> Measurement:
    return objective_services.measurement_enter(
        objective=objective, by=by, period_start=start, value=Decimal(value), comment=comment
    )
