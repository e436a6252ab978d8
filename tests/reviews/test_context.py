"""The context register: keepers add, edit, mark reviewed and retire issues and interested
parties (never delete), with history; top management and keepers read it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews.models import ContextIssue, InterestedParty
from reviews.selectors import context as selectors
from reviews.services import context as services
from tests.conftest import PERSONA_NAMES, client_for

KEEPERS = {"pelnomocnik", "koordynator"}
READERS = KEEPERS | {"prezydent", "kierownictwo"}
SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}
TODAY = timezone.localdate()


@pytest.fixture
def issue(personas) -> ContextIssue:
    return services.context_issue_create(
        by=personas.koordynator,
        kind=ContextIssue.Kind.EXTERNAL,
        title="Zmiany przepisów prawa",
        description="Częste nowelizacje KPA",
        effect="Aktualizacja procedur",
    )


@pytest.fixture
def party(personas) -> InterestedParty:
    return services.interested_party_create(
        by=personas.pelnomocnik,
        name="Mieszkańcy",
        needs="Szybka i życzliwa obsługa",
        monitoring="Badania satysfakcji",
    )


# --- services -------------------------------------------------------------------------------


def test_keeper_adds_an_issue_with_history(personas, issue):
    assert issue.is_active
    assert issue.last_reviewed is None
    assert issue.history.get().history_user == personas.koordynator


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_others_cannot_add(personas, persona):
    with pytest.raises(PermissionDenied):
        services.context_issue_create(
            by=personas[persona], kind="internal", title="X", description="", effect=""
        )
    with pytest.raises(PermissionDenied):
        services.interested_party_create(by=personas[persona], name="X", needs="Y")
    assert not ContextIssue.objects.exists()
    assert not InterestedParty.objects.exists()


def test_keeper_edits_with_a_version_check(personas, issue):
    services.context_issue_update(
        issue=issue, by=personas.pelnomocnik, expected_version=issue.version, title="Nowy tytuł"
    )
    with pytest.raises(ValidationError):
        services.context_issue_update(
            issue=issue, by=personas.koordynator, expected_version=issue.version, title="Stary"
        )
    issue.refresh_from_db()
    assert issue.title == "Nowy tytuł"
    assert issue.version == 2


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_others_cannot_edit_review_or_retire(personas, issue, party, persona):
    user = personas[persona]
    calls = [
        lambda: services.context_issue_update(
            issue=issue, by=user, expected_version=issue.version, title="X"
        ),
        lambda: services.context_issue_mark_reviewed(
            issue=issue, by=user, expected_version=issue.version
        ),
        lambda: services.context_issue_retire(
            issue=issue, by=user, expected_version=issue.version, reason="R"
        ),
        lambda: services.interested_party_update(
            party=party, by=user, expected_version=party.version, needs="X"
        ),
        lambda: services.interested_party_mark_reviewed(
            party=party, by=user, expected_version=party.version
        ),
        lambda: services.interested_party_retire(
            party=party, by=user, expected_version=party.version, reason="R"
        ),
    ]
    for call in calls:
        with pytest.raises(PermissionDenied):
            call()
    issue.refresh_from_db()
    party.refresh_from_db()
    assert (issue.version, party.version) == (1, 1)


def test_mark_reviewed_sets_today_and_keeps_history(personas, party):
    day = datetime.date(2026, 3, 2)
    services.interested_party_mark_reviewed(
        party=party,
        by=personas.koordynator,
        expected_version=party.version,
        note="Bez zmian",
        today=day,
    )
    party.refresh_from_db()
    assert party.last_reviewed == day
    newest = party.history.first()
    assert newest.history_user == personas.koordynator
    assert newest.history_change_reason == "Bez zmian"
    assert party.history.count() == 2


def test_retire_keeps_the_entry_and_needs_a_reason(personas, issue):
    with pytest.raises(ValidationError):
        services.context_issue_retire(
            issue=issue, by=personas.pelnomocnik, expected_version=issue.version, reason=" "
        )
    services.context_issue_retire(
        issue=issue, by=personas.pelnomocnik, expected_version=issue.version, reason="Nieaktualne"
    )
    issue.refresh_from_db()
    assert not issue.is_active
    assert ContextIssue.objects.filter(pk=issue.pk).exists()
    assert issue.history.first().history_change_reason == "Nieaktualne"


def test_a_retired_entry_cannot_be_changed(personas, party):
    services.interested_party_retire(
        party=party, by=personas.pelnomocnik, expected_version=1, reason="Nie dotyczy"
    )
    party.refresh_from_db()
    with pytest.raises(ValidationError):
        services.interested_party_update(
            party=party, by=personas.pelnomocnik, expected_version=party.version, needs="X"
        )
    with pytest.raises(ValidationError):
        services.interested_party_mark_reviewed(
            party=party, by=personas.pelnomocnik, expected_version=party.version
        )


def test_readers_see_current_and_retired_lists(personas, issue, party):
    services.context_issue_retire(
        issue=issue, by=personas.koordynator, expected_version=1, reason="R"
    )
    assert list(selectors.context_issues(user=personas.prezydent)) == []
    assert list(selectors.context_issues(user=personas.prezydent, current=False)) == [issue]
    assert list(selectors.interested_parties(user=personas.kierownictwo)) == [party]
    assert not selectors.interested_parties(user=personas.pracownik).exists()


def test_context_for_period_lists_what_changed(personas, issue, party):
    result = selectors.context_for_period(TODAY - datetime.timedelta(days=30), TODAY)
    assert result["issues"] == [issue]
    assert result["parties"] == [party]
    assert result["issues"][0].added_in_period
    past = selectors.context_for_period(datetime.date(2020, 1, 1), datetime.date(2020, 12, 31))
    assert past == {"issues": [], "parties": []}


# --- pages ----------------------------------------------------------------------------------

VIEWS = {
    "reviews:context": (None, READERS),
    "reviews:context_issue": ("issue", READERS),
    "reviews:context_issue_create": (None, KEEPERS),
    "reviews:context_issue_edit": ("issue", KEEPERS),
    "reviews:context_issue_review": ("issue", KEEPERS),
    "reviews:context_issue_retire": ("issue", KEEPERS),
    "reviews:context_party": ("party", READERS),
    "reviews:context_party_create": (None, KEEPERS),
    "reviews:context_party_edit": ("party", KEEPERS),
    "reviews:context_party_review": ("party", KEEPERS),
    "reviews:context_party_retire": ("party", KEEPERS),
}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("url_name", sorted(VIEWS))
def test_page_permissions(personas, issue, party, url_name, persona):
    target, allowed = VIEWS[url_name]
    args = [{"issue": issue, "party": party}[target].pk] if target else []
    response = client_for(personas[persona]).get(reverse(url_name, args=args))
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_keeper_marks_reviewed_through_the_page(personas, issue):
    response = client_for(personas.koordynator).post(
        reverse("reviews:context_issue_review", args=[issue.pk]),
        {"version": issue.version, "note": ""},
    )
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.last_reviewed == timezone.localdate()


def test_keeper_adds_a_party_through_the_page(personas):
    response = client_for(personas.pelnomocnik).post(
        reverse("reviews:context_party_create"),
        {"name": "Rada Miasta", "needs": "Rzetelne informacje", "monitoring": ""},
    )
    assert response.status_code == 302
    assert InterestedParty.objects.get().name == "Rada Miasta"


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_refused_posts_change_nothing(personas, issue, persona):
    client = client_for(personas[persona])
    posts = [
        ("reviews:context_issue_create", [], {"kind": "internal", "title": "Obce"}),
        (
            "reviews:context_issue_edit",
            [issue.pk],
            {"kind": "internal", "title": "Obce", "version": 1},
        ),
        ("reviews:context_issue_review", [issue.pk], {"version": 1}),
        ("reviews:context_issue_retire", [issue.pk], {"version": 1, "reason": "Obce"}),
        ("reviews:context_party_create", [], {"name": "Obca", "needs": "X"}),
    ]
    for name, args, data in posts:
        assert client.post(reverse(name, args=args), data).status_code == 403
    issue.refresh_from_db()
    assert (issue.title, issue.version, issue.is_active) == ("Zmiany przepisów prawa", 1, True)
    assert issue.last_reviewed is None
    assert ContextIssue.objects.count() == 1
    assert not InterestedParty.objects.exists()


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _populate(personas, count: int, start: int) -> None:
    for i in range(start, start + count):
        services.context_issue_create(
            by=personas.koordynator,
            kind=("external", "internal")[i % 2],
            title=f"Zagadnienie {i}",
            description="",
            effect="",
        )
        services.interested_party_create(by=personas.koordynator, name=f"Strona {i}", needs="N")


@pytest.mark.parametrize("retired", ["", "?wycofane=1"])
def test_register_query_count_does_not_grow(personas, retired):
    client = client_for(personas.koordynator)
    _populate(personas, 2, 0)
    small = _queries(client, reverse("reviews:context") + retired)
    _populate(personas, 20, 2)
    large = _queries(client, reverse("reviews:context") + retired)
    assert small == large


def test_detail_query_count_does_not_grow_with_history(personas, issue):
    client = client_for(personas.prezydent)
    url = reverse("reviews:context_issue", args=[issue.pk])
    small = _queries(client, url)
    for i in range(10):
        issue.refresh_from_db()
        services.context_issue_update(
            issue=issue, by=personas.koordynator, expected_version=issue.version, effect=f"E{i}"
        )
    assert _queries(client, url) == small
