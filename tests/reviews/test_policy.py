"""The Quality Policy: the Pełnomocnik drafts, the Prezydent approves (the previous version
becomes superseded), every employee reads the version in force and never a draft."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import QualityPolicy
from reviews.selectors import policy as selectors
from reviews.services import policy as services
from tests.conftest import PERSONA_NAMES, client_for

S = QualityPolicy.Status
READERS = {"prezydent", "kierownictwo", "pelnomocnik"}
SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}


def _english(client):
    # Page texts are checked in the English msgids, which do not change with the catalogue.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _approved(personas, mission: str = "Misja w mocy", declaration: str = "Deklaracja w mocy"):
    draft = services.policy_draft_create(
        by=personas.pelnomocnik, mission=mission, declaration=declaration
    )
    return services.policy_approve(
        policy=draft, by=personas.prezydent, expected_version=draft.version
    )


@pytest.fixture
def in_force(personas) -> QualityPolicy:
    return _approved(personas)


@pytest.fixture
def draft(personas, in_force) -> QualityPolicy:
    return services.policy_draft_create(
        by=personas.pelnomocnik, mission="Misja w projekcie", declaration="Deklaracja w projekcie"
    )


# --- services -------------------------------------------------------------------------------


def test_pelnomocnik_drafts_with_the_next_number(personas, in_force):
    draft = services.policy_draft_create(
        by=personas.pelnomocnik, mission=" Nowa misja ", declaration="Nowa deklaracja"
    )
    assert draft.number == in_force.number + 1
    assert draft.status == S.DRAFT
    assert draft.mission == "Nowa misja"
    assert draft.history.get().history_user == personas.pelnomocnik


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - {"pelnomocnik"}))
def test_only_the_pelnomocnik_drafts(personas, persona):
    with pytest.raises(PermissionDenied):
        services.policy_draft_create(by=personas[persona], mission="M", declaration="D")
    assert not QualityPolicy.objects.exists()


def test_a_second_draft_is_refused(personas, draft):
    with pytest.raises(ValidationError):
        services.policy_draft_create(by=personas.pelnomocnik, mission="M", declaration="D")
    assert QualityPolicy.objects.filter(status=S.DRAFT).count() == 1


def test_empty_text_is_refused(personas):
    with pytest.raises(ValidationError) as error:
        services.policy_draft_create(by=personas.pelnomocnik, mission=" ", declaration="")
    assert set(error.value.error_dict) == {"mission", "declaration"}


def test_approval_supersedes_the_version_in_force(personas, in_force, draft):
    approved = services.policy_approve(
        policy=draft, by=personas.prezydent, expected_version=draft.version
    )
    in_force.refresh_from_db()
    assert approved.status == S.APPROVED
    assert approved.approved_by == personas.prezydent
    assert approved.approved_at is not None
    assert in_force.status == S.SUPERSEDED
    assert in_force.history.first().history_user == personas.prezydent
    assert selectors.policy_in_force() == approved
    assert QualityPolicy.objects.filter(status=S.APPROVED).count() == 1


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - {"prezydent"}))
def test_only_the_prezydent_approves(personas, draft, persona):
    with pytest.raises(PermissionDenied):
        services.policy_approve(policy=draft, by=personas[persona], expected_version=draft.version)
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


def test_an_approved_version_is_neither_approved_again_nor_edited(personas, in_force):
    with pytest.raises(ValidationError):
        services.policy_approve(
            policy=in_force, by=personas.prezydent, expected_version=in_force.version
        )
    with pytest.raises(ValidationError):
        services.policy_draft_update(
            policy=in_force,
            by=personas.pelnomocnik,
            expected_version=in_force.version,
            mission="Zmieniona",
            declaration="Zmieniona",
        )
    in_force.refresh_from_db()
    assert in_force.mission == "Misja w mocy"


def test_a_stale_approval_changes_nothing(personas, in_force, draft):
    services.policy_draft_update(
        policy=draft,
        by=personas.pelnomocnik,
        expected_version=draft.version,
        mission="Poprawiona",
        declaration="Poprawiona",
    )
    with pytest.raises(ValidationError):
        services.policy_approve(policy=draft, by=personas.prezydent, expected_version=1)
    in_force.refresh_from_db()
    draft.refresh_from_db()
    assert in_force.status == S.APPROVED
    assert draft.status == S.DRAFT


def test_draft_update_by_others_is_refused(personas, draft):
    with pytest.raises(PermissionDenied):
        services.policy_draft_update(
            policy=draft,
            by=personas.koordynator,
            expected_version=draft.version,
            mission="X",
            declaration="Y",
        )


# --- pages ----------------------------------------------------------------------------------


def test_policy_page_shows_the_version_in_force_to_pracownik_and_never_a_draft(personas, draft):
    response = _english(client_for(personas.pracownik)).get(reverse("reviews:policy"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Misja w mocy" in text
    assert "Misja w projekcie" not in text
    assert "Draft version" not in text


def test_policy_page_before_any_approval_says_so(personas):
    services.policy_draft_create(by=personas.pelnomocnik, mission="Projekt", declaration="D")
    response = _english(client_for(personas.pracownik)).get(reverse("reviews:policy"))
    assert "No version of the Quality Policy has been approved yet." in response.content.decode()
    assert "Projekt" not in response.content.decode()


def test_prezydent_sees_the_draft_waiting_for_approval(personas, draft):
    response = _english(client_for(personas.prezydent)).get(reverse("reviews:policy"))
    assert reverse("reviews:policy_version", args=[draft.pk]) in response.content.decode()


def _url(name: str, draft: QualityPolicy) -> str:
    return reverse(name, args=[draft.pk]) if name not in NO_PK else reverse(name)


NO_PK = {"reviews:policy", "reviews:policy_versions", "reviews:policy_create"}
VIEWS = {
    "reviews:policy": SIGNED_IN,
    "reviews:policy_versions": READERS,
    "reviews:policy_version": READERS,
    "reviews:policy_create": {"pelnomocnik"},
    "reviews:policy_edit": {"pelnomocnik"},
    "reviews:policy_approve": {"prezydent"},
}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("url_name", sorted(VIEWS))
def test_page_permissions(personas, in_force, url_name, persona):
    # A draft exists for the views about one; creating then redirects to it (302) instead.
    draft = services.policy_draft_create(by=personas.pelnomocnik, mission="M", declaration="D")
    response = client_for(personas[persona]).get(_url(url_name, draft))
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona not in VIEWS[url_name]:
        assert response.status_code == 403
    elif url_name == "reviews:policy_create":
        assert response.status_code == 302
        assert response["Location"] == reverse("reviews:policy_edit", args=[draft.pk])
    else:
        assert response.status_code == 200


def test_create_page_starts_from_the_text_in_force(personas, in_force):
    response = client_for(personas.pelnomocnik).get(reverse("reviews:policy_create"))
    assert response.status_code == 200
    assert "Misja w mocy" in response.content.decode()


def test_draft_and_approve_through_the_pages(personas, in_force):
    response = client_for(personas.pelnomocnik).post(
        reverse("reviews:policy_create"), {"mission": "Misja 2", "declaration": "Deklaracja 2"}
    )
    draft = QualityPolicy.objects.get(status=S.DRAFT)
    assert response.status_code == 302
    response = client_for(personas.prezydent).post(
        reverse("reviews:policy_approve", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    in_force.refresh_from_db()
    assert (draft.status, in_force.status) == (S.APPROVED, S.SUPERSEDED)
    page = client_for(personas.pracownik).get(reverse("reviews:policy")).content.decode()
    assert "Misja 2" in page


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - {"prezydent"}))
def test_refused_approve_post_changes_nothing(personas, draft, persona):
    response = client_for(personas[persona]).post(
        reverse("reviews:policy_approve", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == S.DRAFT


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - {"pelnomocnik"}))
def test_refused_create_and_edit_posts_change_nothing(personas, draft, persona):
    client = client_for(personas[persona])
    data = {"mission": "Przejęta", "declaration": "Przejęta", "version": draft.version}
    assert client.post(reverse("reviews:policy_create"), data).status_code == 403
    assert client.post(reverse("reviews:policy_edit", args=[draft.pk]), data).status_code == 403
    draft.refresh_from_db()
    assert draft.mission == "Misja w projekcie"
    assert QualityPolicy.objects.count() == 2


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_versions_page_query_count_does_not_grow(personas):
    client = client_for(personas.prezydent)
    for _ in range(2):
        _approved(personas)
    small = _queries(client, reverse("reviews:policy_versions"))
    for _ in range(10):
        _approved(personas)
    large = _queries(client, reverse("reviews:policy_versions"))
    assert small == large


# --- demo data (all five registers; kept here with the first of them) -----------------------


@pytest.mark.django_db
def test_demo_registers_are_seeded_once(settings):
    from django.core.management import call_command

    from demo.reviews_registers import seed_registers
    from qms.models import User
    from reviews.models import (
        ContextIssue,
        Feedback,
        ImprovementProposal,
        InterestedParty,
        Risk,
    )
    from reviews.selectors.feedback import feedback_for_period
    from reviews.selectors.risks import risks_due

    settings.DEBUG = True  # seed_demo refuses to run otherwise
    call_command("seed_demo", stdout=None)
    keys = ["prezydent", "kierownictwo", "pelnomocnik", "koordynator", "wlasciciel"]
    keys += ["wlasciciel2", "auditor", "auditor2", "auditor3", "pracownik"]
    people = {k: User.objects.get(username=k) for k in keys}
    seed_registers(people)  # seed_demo may already have done it
    assert seed_registers(people) == 0

    policy = selectors.policy_in_force()
    assert policy.approved_by == people["prezydent"]
    assert ContextIssue.objects.count() == 5
    assert InterestedParty.objects.count() == 5
    assert set(ImprovementProposal.objects.values_list("status", flat=True)) == {
        "submitted",
        "accepted",
        "done",
    }
    assert ImprovementProposal.objects.filter(proposed_by=people["pracownik"]).exists()
    assert Risk.objects.count() == 15
    assert Risk.objects.filter(owner=people["wlasciciel"]).exists()
    today = timezone.localdate()
    assert risks_due(today=today).count() >= 3
    assert Feedback.objects.filter(kind="survey").count() == 4
    assert Feedback.objects.count() == 30
    this_year = feedback_for_period(today.replace(month=1, day=1), today)
    assert this_year["kinds"][0]["total"] == 6
