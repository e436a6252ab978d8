"""The access matrix (matrix.py) against the running URL configuration: every URL is in the
matrix, every persona gets the declared answer on GET, and every refused POST changes nothing."""

from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.http import HttpResponse
from django.urls import URLResolver, get_resolver, reverse

from qms.models import Delivery, Notification
from tests.conftest import Personas, client_for
from tests.security.conftest import CALENDAR_TOKEN, OTHER_CALENDAR_TOKEN
from tests.security.matrix import ANONIM, EVERYONE, EXCLUDED_NAMESPACES, MATRIX, OTHERS_OBJECTS

PERSONAS = sorted(EVERYONE)
REFUSED_POST = {403, 404, 405}


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in EXCLUDED_NAMESPACES:
                continue
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            names |= url_names(pattern, namespace)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def build_url(name: str, obj: str | None, world: dict[str, Any]) -> str:
    if obj is None:
        return reverse(name)
    if obj == "csv":
        return reverse(name, kwargs={"fmt": "csv"})
    if obj == "calendar_token":
        return reverse(name, kwargs={"token": CALENDAR_TOKEN})
    if obj == "objective_year":
        return reverse(name, kwargs={"year": world[obj]})
    if "/" in obj:
        key, action = obj.split("/")
        return reverse(name, kwargs={"pk": world[key].pk, "action": action})
    if name == "nonconformities:create_from_finding":
        return reverse(name, kwargs={"finding_pk": world[obj].pk})
    return reverse(name, kwargs={"pk": world[obj].pk})


def is_login_redirect(response: HttpResponse) -> bool:
    return response.status_code == 302 and reverse("login") in response["Location"]


def fingerprint() -> tuple:
    """Counts of every history table and of the rows without history; any write shows here."""
    # The user's own history is left out: signing in stores ``last_login``, which is no QMS write.
    tables = [
        m._meta.db_table
        for m in apps.get_models()
        if m.__name__.startswith("Historical") and m.__name__ != "HistoricalUser"
    ]
    tables += [Delivery._meta.db_table, "reviews_riskassessment", "nonconformities_evidence"]
    # Table names come from the models' metadata, never from input.
    parts = [f'(SELECT count(*) FROM "{t}")' for t in sorted(tables)]  # noqa: S608
    notification = Notification._meta.db_table
    delivery = Delivery._meta.db_table
    parts.append(f'(SELECT count(*) FROM "{notification}" WHERE read_at IS NOT NULL)')  # noqa: S608
    parts.append(f'(SELECT count(*) FROM "{delivery}" WHERE attempts = 0)')  # noqa: S608
    parts.append("(SELECT string_agg(coalesce(calendar_token, ''), ',' ORDER BY id) FROM qms_user)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return cursor.fetchone()


def test_every_url_name_is_in_the_matrix() -> None:
    names = url_names()
    assert sorted(names - MATRIX.keys()) == [], "URLs missing from tests/security/matrix.py"
    assert sorted(MATRIX.keys() - names) == [], "matrix entries for URLs that no longer exist"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_get_answers_as_the_matrix_says(name: str, world: dict, personas: Personas) -> None:
    rule = MATRIX[name]
    url = build_url(name, rule.obj, world)
    wrong = {}
    for persona in PERSONAS:
        response = client_for(personas[persona]).get(url)
        if persona in rule.get:
            ok = response.status_code == rule.ok
        elif persona == ANONIM:
            ok = is_login_redirect(response)
        else:
            ok = response.status_code == rule.denied
        if not ok:
            wrong[persona] = response.status_code
    assert wrong == {}, f"{name} ({url}) answered differently from the matrix"


REFUSING = sorted(name for name, rule in MATRIX.items() if EVERYONE - rule.post_allowed)


@pytest.mark.parametrize("name", REFUSING)
def test_refused_post_changes_nothing(name: str, world: dict, personas: Personas) -> None:
    rule = MATRIX[name]
    url = build_url(name, rule.obj, world)
    before = fingerprint()
    wrong = {}
    for persona in sorted(EVERYONE - rule.post_allowed):
        response = client_for(personas[persona]).post(url, {})
        refused = (
            is_login_redirect(response)
            if persona == ANONIM
            else response.status_code in REFUSED_POST
        )
        if not refused:
            wrong[persona] = response.status_code
    assert wrong == {}, f"{name} ({url}) accepted a POST from a refused persona"
    assert fingerprint() == before


@pytest.mark.parametrize(("name", "obj", "persona", "expected"), OTHERS_OBJECTS)
def test_somebody_elses_object(
    name: str, obj: str, persona: str, expected: int, world: dict, personas: Personas
) -> None:
    url = build_url(name, obj, world)
    assert client_for(personas[persona]).get(url).status_code == expected
    if expected != 200:
        before = fingerprint()
        assert client_for(personas[persona]).post(url, {}).status_code in REFUSED_POST
        assert fingerprint() == before


def test_marking_somebody_elses_notification_read_changes_nothing(
    world: dict, personas: Personas
) -> None:
    url = reverse("notification_read", args=[world["other_notification"].pk])
    client_for(personas.wlasciciel).post(url)
    world["other_notification"].refresh_from_db()
    assert world["other_notification"].read_at is None


def _feed(token: str, persona: str | None = None, personas: Personas | None = None):
    client = client_for(personas[persona] if persona and personas else None)
    return client.get(reverse("audits:calendar_feed", kwargs={"token": token}))


def test_calendar_feed_shows_only_the_token_owners_audits(world: dict) -> None:
    own = _feed(CALENDAR_TOKEN)
    assert own.status_code == 200
    assert "A/2027/01" in own.content.decode()
    assert "A/2027/02" not in own.content.decode()
    other = _feed(OTHER_CALENDAR_TOKEN).content.decode()
    assert "A/2027/02" in other
    assert "A/2027/01" not in other


@pytest.mark.parametrize("token", ["c" * 43, "a" * 42 + "A", "short", CALENDAR_TOKEN.upper()])
def test_calendar_feed_with_an_unknown_token_is_not_found(
    token: str, world: dict, personas: Personas
) -> None:
    # A session does not stand in for the token, not even the owner's.
    assert _feed(token, "auditor", personas).status_code == 404


def test_calendar_feed_old_token_stops_working_after_reset(world: dict, personas: Personas):
    client_for(personas.auditor).post(reverse("audits:calendar_reset"))
    assert _feed(CALENDAR_TOKEN).status_code == 404
