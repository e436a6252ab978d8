"""/healthz tells a load balancer whether the database and Redis answer, and nothing more."""

import socket

import pytest
from django.urls import reverse


def _closed_port() -> int:
    # A port that was just free on this machine: nothing listens there.
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.django_db
def test_healthy_when_database_and_redis_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


@pytest.mark.django_db
def test_unavailable_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = f"redis://127.0.0.1:{_closed_port()}/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "unavailable", "checks": {"database": "ok", "redis": "fail"}}
    # No host names, ports or exception text leak to the caller.
    assert "127.0.0.1" not in response.content.decode()


@pytest.mark.django_db
def test_health_check_needs_no_login_and_is_not_cached(client):
    response = client.get(reverse("healthz"))
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "'unsafe-inline'" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    # No inline script or style attribute in the page itself, so the policy costs nothing.
    page = response.content.decode()
    assert "<script>" not in page and " style=" not in page and "onclick" not in page


@pytest.mark.django_db
def test_the_accessibility_statement_is_public_and_linked_from_every_page(client, personas):
    from tests.conftest import client_for

    statement = client.get(reverse("accessibility"))
    assert statement.status_code == 200
    page = statement.content.decode()
    for section in [
        "a11y-status",
        "a11y-preparation-date",
        "a11y-feedback-and-contact-information",
        "a11y-procedure",
        "Rzecznika Praw Obywatelskich",
    ]:
        assert section in page
    dashboard = client_for(personas.pracownik).get(reverse("dashboard")).content.decode()
    assert reverse("accessibility") in dashboard
