"""Every page needs a login; the navigation shows each person what their roles allow."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for

# Logout only accepts POST and signs nobody in; the rest need no account by design.
# The calendar feed is read by calendar programs and authenticated by its secret token.
PUBLIC = {"login", "logout", "healthz", "set_language", "audits:calendar_feed"}


def _url_names(resolver=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    names = []
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names += _url_names(entry, ns)
        elif entry.name:
            names.append((f"{namespace}{entry.name}", entry))
    return names


@pytest.mark.django_db
def test_every_view_redirects_an_anonymous_visitor_to_login(client, own_process):
    checked = 0
    for name, pattern in _url_names():
        if name in PUBLIC:
            continue
        kwargs = dict.fromkeys(pattern.pattern.converters, own_process.pk)
        if name == "processes:export":
            kwargs = {"fmt": "csv"}
        url = reverse(name, kwargs=kwargs)
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login")), name
        checked += 1
    assert checked >= 15


def _nav_urls(user) -> set[str]:
    response = client_for(user).get(reverse("dashboard"))
    return {item["url"] for item in response.context["nav_items"]}


def test_navigation_follows_roles(personas):
    koordynator = _nav_urls(personas.koordynator)
    pracownik = _nav_urls(personas.pracownik)
    keepers_only = {reverse("processes:import"), reverse("audits:auditor_lists")}
    assert keepers_only <= koordynator
    assert not keepers_only & pracownik
    assert pracownik < koordynator
    assert reverse("audits:auditor_lists") in _nav_urls(personas.prezydent)


def test_dashboard_lists_the_processes_the_person_owns(personas, own_process, other_process):
    response = client_for(personas.wlasciciel).get(reverse("dashboard"))
    assert list(response.context["owned_processes"]) == [own_process]
    page = response.content.decode()
    assert own_process.code in page
    assert other_process.code not in page


def test_admin_is_not_reachable_by_non_staff(personas):
    response = client_for(personas.pelnomocnik).get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
