"""The register of risks and opportunities: keepers maintain it; the owner or a keeper
assesses (every assessment kept); the matrix counts; the period and due selectors."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import Risk, RiskAssessment
from reviews.selectors import risks as selectors
from reviews.services import risks as services
from tests.conftest import PERSONA_NAMES, client_for

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
KEEPERS = {"pelnomocnik", "koordynator"}
READERS = KEEPERS | {"prezydent", "kierownictwo"}
SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}


def _risk(personas, *, by=None, owner=None, process=None, likelihood=3, impact=4, **fields):
    return services.risk_create(
        by=by or personas.koordynator,
        kind=fields.pop("kind", Risk.Kind.RISK),
        title=fields.pop("title", "Przekroczenie terminów KPA"),
        owner=owner or personas.wlasciciel,
        process=process,
        likelihood=likelihood,
        impact=impact,
        controls=fields.pop("controls", "Monitoring terminów w EZD"),
        next_review=fields.pop("next_review", TODAY + 90 * DAY),
        **fields,
    )


def _assess(risk, by, *, version=None, likelihood=2, impact=4, effective=True, next_review=None):
    return services.risk_assess(
        risk=risk,
        by=by,
        expected_version=version if version is not None else risk.version,
        likelihood=likelihood,
        impact=impact,
        controls="Monitoring terminów i przypomnienia",
        controls_effective=effective,
        note="Przegląd kwartalny",
        next_review=next_review or TODAY + 90 * DAY,
    )


@pytest.fixture
def risk(personas, own_process) -> Risk:
    """A risk of PG.3 (owned by wlasciciel), owned by wlasciciel."""
    return _risk(personas, process=own_process)


# --- services -------------------------------------------------------------------------------


def test_keeper_identifies_a_risk_with_its_first_assessment(personas, risk):
    assessment = risk.assessments.get()
    assert (assessment.likelihood, assessment.impact) == (3, 4)
    assert assessment.controls_effective is None
    assert assessment.assessed_by == personas.koordynator
    assert risk.score == 12
    assert risk.history.get().history_user == personas.koordynator


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_others_cannot_create(personas, persona):
    with pytest.raises(PermissionDenied):
        _risk(personas, by=personas[persona])
    assert not Risk.objects.exists()


def test_create_refuses_a_past_review_and_a_withdrawn_process(personas, own_process):
    own_process.status = own_process.Status.WITHDRAWN
    own_process.save()
    with pytest.raises(ValidationError) as error:
        _risk(personas, process=own_process, next_review=TODAY - DAY)
    assert set(error.value.error_dict) == {"process", "next_review"}


def test_create_refuses_scores_outside_1_to_5(personas):
    with pytest.raises(ValidationError):
        _risk(personas, likelihood=6)
    assert not Risk.objects.exists()


@pytest.mark.parametrize("persona", ["wlasciciel", "koordynator", "pelnomocnik"])
def test_owner_or_keeper_assesses_and_history_is_kept(personas, risk, persona):
    _assess(risk, personas[persona], likelihood=2, impact=4, effective=True)
    risk.refresh_from_db()
    _assess(risk, personas[persona], likelihood=4, impact=5, effective=False)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.version) == (4, 5, 3)
    assert risk.controls == "Monitoring terminów i przypomnienia"
    rows = list(risk.assessments.order_by("assessed_at", "id"))
    assert [(r.likelihood, r.impact, r.controls_effective) for r in rows] == [
        (3, 4, None),
        (2, 4, True),
        (4, 5, False),
    ]
    assert rows[-1].assessed_by == personas[persona]


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS - {"wlasciciel"}))
def test_others_cannot_assess(personas, risk, persona):
    with pytest.raises(PermissionDenied):
        _assess(risk, personas[persona])
    risk.refresh_from_db()
    assert (risk.likelihood, risk.version, risk.assessments.count()) == (3, 1, 1)


def test_a_stale_assessment_writes_nothing(personas, risk):
    _assess(risk, personas.wlasciciel)
    with pytest.raises(ValidationError):
        _assess(risk, personas.koordynator, version=1, likelihood=5, impact=5)
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact) == (2, 4)
    assert risk.assessments.count() == 2


def test_assessment_needs_a_next_review_after_today(personas, risk):
    with pytest.raises(ValidationError):
        _assess(risk, personas.wlasciciel, next_review=TODAY)
    assert risk.assessments.count() == 1


def test_close_and_reopen(personas, risk):
    with pytest.raises(ValidationError):
        services.risk_close(risk=risk, by=personas.koordynator, expected_version=1, reason="")
    services.risk_close(risk=risk, by=personas.koordynator, expected_version=1, reason="Ustało")
    risk.refresh_from_db()
    assert risk.status == Risk.Status.CLOSED
    with pytest.raises(PermissionDenied):
        _assess(risk, personas.wlasciciel)
    with pytest.raises(ValidationError):
        services.risk_update(
            risk=risk, by=personas.koordynator, expected_version=risk.version, title="X"
        )
    services.risk_reopen(
        risk=risk, by=personas.pelnomocnik, expected_version=risk.version, next_review=TODAY
    )
    risk.refresh_from_db()
    assert (risk.status, risk.next_review) == (Risk.Status.ACTIVE, TODAY)


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_others_cannot_edit_close_or_reopen(personas, risk, persona):
    user = personas[persona]
    with pytest.raises(PermissionDenied):
        services.risk_update(risk=risk, by=user, expected_version=1, title="X")
    with pytest.raises(PermissionDenied):
        services.risk_close(risk=risk, by=user, expected_version=1, reason="X")
    with pytest.raises(PermissionDenied):
        services.risk_reopen(risk=risk, by=user, expected_version=1, next_review=TODAY)
    risk.refresh_from_db()
    assert (risk.version, risk.status) == (1, Risk.Status.ACTIVE)


def test_update_changes_descriptive_fields_only(personas, risk):
    services.risk_update(
        risk=risk,
        by=personas.pelnomocnik,
        expected_version=1,
        title="Nowy tytuł",
        owner=personas.wlasciciel2,
    )
    risk.refresh_from_db()
    assert (risk.title, risk.owner) == ("Nowy tytuł", personas.wlasciciel2)
    with pytest.raises(ValueError):
        services.risk_update(
            risk=risk, by=personas.pelnomocnik, expected_version=risk.version, likelihood=1
        )


def test_visibility(personas, risk, other_process):
    theirs = _risk(personas, owner=personas.wlasciciel2, process=other_process, title="Inne")
    # Owned by auditor, in wlasciciel2's process: both of them read it.
    audited = _risk(personas, owner=personas.auditor, process=other_process, title="Audytora")
    for name in READERS:
        assert selectors.risks_visible(user=personas[name]).count() == 3
    assert list(selectors.risks_visible(user=personas.wlasciciel)) == [risk]
    assert set(selectors.risks_visible(user=personas.wlasciciel2)) == {theirs, audited}
    assert list(selectors.risks_visible(user=personas.auditor)) == [audited]
    assert not selectors.risks_visible(user=personas.pracownik).exists()


def test_matrix_counts_per_cell(personas):
    for likelihood, impact in [(3, 4), (3, 4), (1, 1), (5, 5)]:
        _risk(personas, likelihood=likelihood, impact=impact)
    closed = _risk(personas, likelihood=3, impact=4)
    services.risk_close(risk=closed, by=personas.koordynator, expected_version=1, reason="R")
    _risk(personas, kind=Risk.Kind.OPPORTUNITY, likelihood=3, impact=4)
    active_risks = Risk.objects.filter(status=Risk.Status.ACTIVE, kind=Risk.Kind.RISK)
    grid = {
        (row["likelihood"], cell["impact"]): cell
        for row in selectors.risk_matrix(active_risks)
        for cell in row["cells"]
    }
    assert len(grid) == 25
    assert grid[(3, 4)]["count"] == 2
    assert grid[(1, 1)]["count"] == 1
    assert grid[(5, 5)]["count"] == 1
    assert sum(c["count"] for c in grid.values()) == 4
    assert grid[(5, 5)]["band"].key == "critical"
    assert grid[(1, 1)]["band"].key == "low"
    assert grid[(3, 4)]["score"] == 12


def test_risks_due(personas, risk):
    due = _risk(personas, owner=personas.wlasciciel2, next_review=TODAY, title="Na dziś")
    overdue = _risk(personas, title="Zaległe")
    Risk.objects.filter(pk=overdue.pk).update(next_review=TODAY - 10 * DAY)
    closed = _risk(personas, next_review=TODAY, title="Zamknięte")
    services.risk_close(risk=closed, by=personas.koordynator, expected_version=1, reason="R")
    assert list(selectors.risks_due(today=TODAY)) == [overdue, due]
    assert list(selectors.risks_due(user=personas.wlasciciel, today=TODAY)) == [overdue]
    assert list(selectors.risks_due(user=personas.wlasciciel2, today=TODAY)) == [due]


def test_risks_for_period(personas, risk):
    _assess(risk, personas.wlasciciel, likelihood=2, impact=2, effective=True)
    never = _risk(personas, title="Bez oceny skuteczności")
    closed = _risk(personas, title="Zamknięte")
    services.risk_close(risk=closed, by=personas.koordynator, expected_version=1, reason="R")
    rows = {r.title: r for r in selectors.risks_for_period(TODAY - 30 * DAY, TODAY)}
    assert set(rows) == {risk.title, never.title}
    assert rows[risk.title].last_controls_effective is True
    assert (rows[risk.title].last_likelihood, rows[risk.title].last_impact) == (2, 2)
    assert rows[risk.title].assessments_in_period == 2
    assert rows[never.title].last_controls_effective is None
    assert rows[never.title].last_assessed_at is not None
    # Before the risks were identified, the period has none of them.
    assert not selectors.risks_for_period(TODAY - 400 * DAY, TODAY - 300 * DAY).exists()


def test_risks_for_period_takes_the_latest_assessment_up_to_the_end(personas, risk):
    _assess(risk, personas.wlasciciel, effective=False)
    # Identified and assessed two months ago, assessed again today.
    sixty_days_ago = timezone.now() - datetime.timedelta(days=60)
    RiskAssessment.objects.filter(risk=risk).update(assessed_at=sixty_days_ago)
    Risk.objects.filter(pk=risk.pk).update(created_at=sixty_days_ago)
    risk.refresh_from_db()
    _assess(risk, personas.wlasciciel, effective=True)
    row = selectors.risks_for_period(TODAY - 90 * DAY, TODAY - 30 * DAY).get()
    assert row.last_controls_effective is False
    assert row.assessments_in_period == 2


# --- pages ----------------------------------------------------------------------------------

VIEWS = {
    "reviews:risks": (False, SIGNED_IN),
    "reviews:risk_matrix": (False, SIGNED_IN),
    "reviews:risk_create": (False, KEEPERS),
    # The risk of PG.3 is read by readers and its owner, wlasciciel (also the process owner).
    "reviews:risk": (True, READERS | {"wlasciciel"}),
    "reviews:risk_assess": (True, KEEPERS | {"wlasciciel"}),
    "reviews:risk_edit": (True, KEEPERS),
    "reviews:risk_close": (True, KEEPERS),
    "reviews:risk_reopen": (True, KEEPERS),
}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("url_name", sorted(VIEWS))
def test_page_permissions(personas, risk, url_name, persona):
    needs_pk, allowed = VIEWS[url_name]
    response = client_for(personas[persona]).get(
        reverse(url_name, args=[risk.pk] if needs_pk else [])
    )
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_owner_assesses_through_the_page(personas, risk):
    response = client_for(personas.wlasciciel).post(
        reverse("reviews:risk_assess", args=[risk.pk]),
        {
            "version": risk.version,
            "likelihood": "2",
            "impact": "3",
            "controls": "Nowe mechanizmy",
            "controls_effective": "no",
            "note": "",
            "next_review": (TODAY + 30 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    newest = risk.assessments.order_by("-assessed_at", "-id").first()
    assert (newest.likelihood, newest.impact, newest.controls_effective) == (2, 3, False)
    page = client_for(personas.wlasciciel).get(reverse("reviews:risk", args=[risk.pk]))
    assert "Nowe mechanizmy" in page.content.decode()


def test_keeper_creates_through_the_page(personas, own_process):
    response = client_for(personas.pelnomocnik).post(
        reverse("reviews:risk_create"),
        {
            "kind": "opportunity",
            "title": "E-usługi",
            "description": "",
            "process": own_process.pk,
            "objective": "",
            "owner": personas.wlasciciel.pk,
            "likelihood": "4",
            "impact": "3",
            "controls": "",
            "next_review": (TODAY + 60 * DAY).isoformat(),
        },
    )
    assert response.status_code == 302
    created = Risk.objects.get()
    assert (created.kind, created.score, created.assessments.count()) == ("opportunity", 12, 1)


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS - {"wlasciciel"}))
def test_refused_assess_post_changes_nothing(personas, risk, persona):
    response = client_for(personas[persona]).post(
        reverse("reviews:risk_assess", args=[risk.pk]),
        {
            "version": 1,
            "likelihood": "1",
            "impact": "1",
            "controls": "",
            "controls_effective": "yes",
            "next_review": (TODAY + 30 * DAY).isoformat(),
        },
    )
    assert response.status_code == 403
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.assessments.count()) == (3, 4, 1)


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_refused_keeper_posts_change_nothing(personas, risk, persona):
    client = client_for(personas[persona])
    assert (
        client.post(reverse("reviews:risk_close", args=[risk.pk]), {"version": 1, "reason": "X"})
    ).status_code == 403
    assert (
        client.post(
            reverse("reviews:risk_edit", args=[risk.pk]),
            {"version": 1, "kind": "risk", "title": "Przejęte", "owner": personas[persona].pk},
        )
    ).status_code == 403
    assert client.post(reverse("reviews:risk_create"), {"title": "Nowe"}).status_code == 403
    risk.refresh_from_db()
    assert (risk.status, risk.title, risk.version) == ("active", "Przekroczenie terminów KPA", 1)
    assert Risk.objects.count() == 1


def test_register_filters(personas, own_process):
    _risk(personas, likelihood=3, impact=4, process=own_process, title="Wysokie")
    _risk(personas, likelihood=1, impact=2, title="Niskie")
    _risk(personas, kind=Risk.Kind.OPPORTUNITY, likelihood=3, impact=4, title="Szansa")
    client = client_for(personas.koordynator)

    def titles(query: str) -> set[str]:
        response = client.get(reverse("reviews:risks") + query)
        return {risk.title for risk in response.context["page"].object_list}

    assert titles("?band=high&kind=risk") == {"Wysokie"}
    assert titles("?band=low") == {"Niskie"}
    assert titles(f"?process={own_process.pk}") == {"Wysokie"}
    assert titles("?likelihood=3&impact=4") == {"Wysokie", "Szansa"}
    assert titles(f"?owner={personas.wlasciciel.pk}&status=active") == {
        "Wysokie",
        "Niskie",
        "Szansa",
    }
    # An invalid value matches nothing rather than being ignored.
    assert titles("?band=huge") == set()


def test_matrix_page_links_cells_to_the_filtered_register(personas):
    _risk(personas, likelihood=3, impact=4)
    response = client_for(personas.prezydent).get(reverse("reviews:risk_matrix"))
    rows = response.context["rows"]
    cell = next(c for r in rows if r["likelihood"] == 3 for c in r["cells"] if c["impact"] == 4)
    assert cell["count"] == 1
    assert "likelihood=3" in cell["url"] and "impact=4" in cell["url"]
    text = response.content.decode()
    assert f'href="{cell["url"].replace("&", "&amp;")}"' in text
    assert '<th scope="col">' in text and '<th scope="row"' in text


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(personas, process, count: int) -> None:
    for i in range(count):
        risk = _risk(
            personas,
            process=process,
            owner=personas.wlasciciel,
            likelihood=1 + i % 5,
            impact=1 + (i * 2) % 5,
            title=f"Ryzyko {i}",
        )
        _assess(risk, personas.wlasciciel)


@pytest.mark.parametrize("persona", ["koordynator", "wlasciciel", "pracownik"])
@pytest.mark.parametrize("url_name", ["reviews:risks", "reviews:risk_matrix"])
def test_list_and_matrix_query_counts_do_not_grow(personas, own_process, url_name, persona):
    client = client_for(personas[persona])
    _populate(personas, own_process, 3)
    small = _queries(client, reverse(url_name))
    _populate(personas, own_process, 30)
    large = _queries(client, reverse(url_name))
    assert small == large


def test_detail_query_count_does_not_grow_with_assessments(personas, risk):
    client = client_for(personas.wlasciciel)
    url = reverse("reviews:risk", args=[risk.pk])
    small = _queries(client, url)
    for _ in range(10):
        risk.refresh_from_db()
        _assess(risk, personas.koordynator)
    assert _queries(client, url) == small
