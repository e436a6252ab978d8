"""Management reviews (Księga Jakości §29): who may prepare, comment, hold and approve a
review and complete its decisions — in the services and through the pages — what an
approved review still allows, and the dashboard's sections."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from reviews.models import ManagementReview, ReviewDecision
from reviews.selectors.review import review_dashboard_sections
from reviews.selectors.review_inputs import INPUT_CODES
from reviews.services import review as services
from tests.conftest import PERSONA_NAMES, client_for
from tests.reviews.conftest import MEETING, hold_with_a_decision

TOP = {"prezydent", "kierownictwo", "pelnomocnik"}


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
    review = hold_with_a_decision(world, personas)
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
    review = hold_with_a_decision(world, personas)
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
    review = hold_with_a_decision(world, personas)
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
