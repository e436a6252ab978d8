"""Management reviews (Księga Jakości §29): the inputs a–j compiled from the known world
(conftest.py), decisions flowing into the next review, query counts that do not grow with
the records, and the demo reviews."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import Finding
from reviews.models import ContextIssue, InterestedParty, ManagementReview, QualityObjective
from reviews.selectors.review_inputs import INPUT_CODES, compile_inputs
from reviews.services import review as services
from tests.conftest import client_for
from tests.reviews.conftest import (
    assess,
    at,
    change,
    context_entry,
    make_action,
    make_audit,
    make_card,
    make_decision,
    make_feedback,
    make_finding,
    make_proposal,
    make_risk,
    record_objective,
    sections_by_code,
    urls,
)

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
        record_objective(p, f"Cel {i}", measurements=[
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
    from reviews.selectors.review_inputs import ROWS_SHOWN

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
    record_objective(personas, "Bez pomiarów", measurements=[])
    record_objective(personas, "Po terminie", measurements=[
        (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31), "10"),
    ], deadline=datetime.date(2025, 6, 30))  # fmt: skip
    record_objective(personas, "Czas", direction="at_most", target=Decimal("10"), measurements=[
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
    from demo.reviews_review import seed_review

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
