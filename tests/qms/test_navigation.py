"""Every page needs a login; the navigation shows each person what their roles allow."""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import client_for

# Logout only accepts POST and signs nobody in; the rest need no account by design.
# The calendar feed is read by calendar programs and authenticated by its secret token.
PUBLIC = {"login", "logout", "healthz", "set_language", "audits:calendar_feed", "accessibility"}


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
        if name in ("processes:export", "nonconformities:export"):
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


@pytest.mark.parametrize("persona", ["pracownik", "auditor2", "prezydent", "koordynator"])
def test_everyone_signed_in_has_the_cards_and_my_actions_links(personas, persona):
    response = client_for(personas[persona]).get(reverse("nonconformities:my_actions"))
    items = {item["url"]: item for item in response.context["nav_items"]}
    assert items[reverse("nonconformities:my_actions")]["active"]
    assert not items[reverse("nonconformities:list")]["active"]
    listing = client_for(personas[persona]).get(reverse("nonconformities:list"))
    active = [item["url"] for item in listing.context["nav_items"] if item["active"]]
    assert active == [reverse("nonconformities:list")]


def test_dashboard_shows_the_persons_actions_and_the_cards_to_verify(personas, card_setup):
    import datetime

    from nonconformities.models import CorrectiveAction, Nonconformity

    card, later = card_setup["card"], card_setup["action"]
    today = datetime.date.today()
    # Written directly: the service refuses a deadline in the past.
    late = CorrectiveAction.objects.create(
        card=card,
        description="Przeszkolić zespół",
        responsible=personas.pracownik,
        deadline=today - datetime.timedelta(days=2),
    )
    soon = CorrectiveAction.objects.create(
        card=card, description="Zmienić wzór pisma", responsible=personas.pracownik,
        deadline=today + datetime.timedelta(days=14),
    )  # fmt: skip
    client = client_for(personas.pracownik)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard"))
    assert response.context["actions_overdue"] == [late]
    assert response.context["actions_due"] == [soon]  # the 30-day action is not due yet
    assert later not in response.context["actions_due"]
    assert response.context["cards_to_verify"] == []
    page = response.content.decode()
    assert "Your corrective actions past their deadline" in page
    assert "Your corrective actions due within 14 days" in page
    assert reverse("nonconformities:detail", args=[card.pk]) in page
    assert reverse("nonconformities:my_actions") in page
    # The owner's start page lists only actions they are responsible for themselves.
    owner = client_for(personas.wlasciciel).get(reverse("dashboard"))
    assert owner.context["actions_overdue"] == [] and owner.context["actions_due"] == []
    # A card awaiting verification is offered to the Pełnomocnik, who implemented nothing.
    Nonconformity.objects.filter(pk=card.pk).update(status=Nonconformity.Status.VERIFICATION)
    client = client_for(personas.pelnomocnik)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("dashboard"))
    assert response.context["cards_to_verify"] == [card]
    assert "Cards awaiting your verification of effectiveness" in response.content.decode()
    assert client_for(personas.pracownik).get(reverse("dashboard")).context["cards_to_verify"] == []


def test_dashboard_sections_are_in_the_page_not_in_its_title(personas):
    from audits.models import AuditPlan

    AuditPlan.objects.create(year=2027, status=AuditPlan.Status.SUBMITTED)
    page = client_for(personas.prezydent).get(reverse("dashboard")).content.decode()
    title = page[page.index("<title>") : page.index("</title>")]
    assert "<section" not in title
    assert page.count('id="approve-heading"') == 1


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


def test_dashboard_shows_ten_owned_processes_and_links_to_the_rest(personas, own_process):
    from tests.factories import ProcessFactory

    client = client_for(personas.wlasciciel)
    assert client.get(reverse("dashboard")).context["owned_processes_more"] is False
    for n in range(10):
        ProcessFactory(code=f"PW.9.{n}", owner=personas.wlasciciel)
    response = client.get(reverse("dashboard"))
    assert len(response.context["owned_processes"]) == 10
    assert response.context["owned_processes_more"] is True
    assert f'href="{reverse("processes:list")}"' in response.content.decode()
