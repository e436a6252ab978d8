"""Each register view, for each persona: who gets the page, who is refused, and that a refused
POST changes nothing."""

import pytest
from django.conf import settings
from django.urls import reverse

from processes.models import Process
from processes.services import register as services
from tests.conftest import PERSONA_NAMES, client_for

KEEPERS = {"koordynator", "pelnomocnik"}
SIGNED_IN = set(PERSONA_NAMES) - {"anonim"}

# url name -> (needs own_process pk?, personas allowed to GET)
READ_VIEWS = {
    "processes:list": (False, SIGNED_IN),
    "processes:map": (False, SIGNED_IN),
    "processes:detail": (True, SIGNED_IN),
    "processes:create": (False, KEEPERS),
    "processes:import": (False, KEEPERS),
    "processes:edit": (True, KEEPERS),
    "processes:withdraw": (True, KEEPERS),
    "processes:restore": (True, KEEPERS),
    # The owner describes their own process; keepers may too.
    "processes:describe": (True, KEEPERS | {"wlasciciel"}),
    "processes:document_add": (True, KEEPERS | {"wlasciciel"}),
}


@pytest.mark.parametrize("persona", PERSONA_NAMES)
@pytest.mark.parametrize("url_name", sorted(READ_VIEWS))
def test_get_is_allowed_only_for_the_right_personas(personas, own_process, url_name, persona):
    needs_pk, allowed = READ_VIEWS[url_name]
    url = reverse(url_name, args=[own_process.pk] if needs_pk else [])
    response = client_for(personas[persona]).get(url)
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == 403


def test_owner_is_refused_on_another_owners_process(personas, other_process):
    client = client_for(personas.wlasciciel)
    for name in ("processes:describe", "processes:document_add", "processes:edit"):
        assert client.get(reverse(name, args=[other_process.pk])).status_code == 403
    response = client.post(
        reverse("processes:describe", args=[other_process.pk]),
        {"purpose": "Przejęty", "inputs": "", "outputs": "", "version": other_process.version},
    )
    assert response.status_code == 403
    other_process.refresh_from_db()
    assert other_process.purpose != "Przejęty"


def test_unknown_process_is_404(personas):
    assert (
        client_for(personas.pracownik).get(reverse("processes:detail", args=[999999])).status_code
        == 404
    )


@pytest.mark.parametrize("persona", sorted(SIGNED_IN - KEEPERS))
def test_refused_create_post_changes_nothing(personas, persona):
    response = client_for(personas[persona]).post(
        reverse("processes:create"),
        {
            "category": "PZ",
            "code": "PZ.77",
            "name": "Nielegalny",
            "owner_unit": personas.pracownik.unit_id,
        },
    )
    assert response.status_code == 403
    assert not Process.objects.filter(code="PZ.77").exists()


def test_koordynator_adds_a_process_and_sees_it_on_the_map(personas, other_process):
    client = client_for(personas.koordynator)
    response = client.post(
        reverse("processes:create"),
        {
            "category": "PW",
            "code": "PW.9",
            "name": "Zarządzanie flotą pojazdów służbowych",
            "owner_unit": personas.wlasciciel2.unit_id,
            "owner": personas.wlasciciel2.pk,
            "purpose": "Sprawne pojazdy",
            "inputs": "",
            "outputs": "",
            "related": [other_process.pk],
        },
    )
    process = Process.objects.get(code="PW.9")
    assert response.status_code == 302
    assert response["Location"] == reverse("processes:detail", args=[process.pk])
    assert process.history.get().history_user == personas.koordynator
    page = client.get(reverse("processes:map")).content.decode()
    assert "PW.9" in page
    assert "Zarządzanie flotą" in page
    assert reverse("processes:detail", args=[process.pk]) in page
    assert "<line" in page  # the link to PG.2 is drawn


def test_invalid_create_shows_errors_and_saves_nothing(personas):
    response = client_for(personas.koordynator).post(
        reverse("processes:create"), {"category": "XX", "code": "", "name": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() >= {"category", "code", "name", "owner_unit"}
    assert 'aria-invalid="true"' in response.content.decode()
    assert Process.objects.count() == 0


def test_owner_edits_the_description_through_the_form(personas, own_process):
    client = client_for(personas.wlasciciel)
    response = client.post(
        reverse("processes:describe", args=[own_process.pk]),
        {
            "purpose": "Cel: sprawna obsługa",
            "inputs": "Wnioski",
            "outputs": "Decyzje",
            "version": own_process.version,
        },
    )
    assert response.status_code == 302
    own_process.refresh_from_db()
    assert (own_process.purpose, own_process.inputs) == ("Cel: sprawna obsługa", "Wnioski")
    assert own_process.history.first().history_user == personas.wlasciciel


def test_owner_cannot_sneak_register_fields_into_the_description_form(personas, own_process):
    client_for(personas.wlasciciel).post(
        reverse("processes:describe", args=[own_process.pk]),
        {
            "purpose": "ok",
            "name": "Podmieniona nazwa",
            "code": "ZZ.1",
            "version": own_process.version,
        },
    )
    own_process.refresh_from_db()
    assert own_process.name != "Podmieniona nazwa"
    assert own_process.code == "PG.3"


def test_second_of_two_concurrent_edits_is_refused_with_the_changes_shown(personas, own_process):
    version = own_process.version
    first = client_for(personas.wlasciciel).post(
        reverse("processes:describe", args=[own_process.pk]),
        {"purpose": "Wersja właściciela", "inputs": "", "outputs": "", "version": version},
    )
    assert first.status_code == 302
    second = client_for(personas.koordynator).post(
        reverse("processes:edit", args=[own_process.pk]),
        {
            "category": "PG",
            "code": "PG.3",
            "name": own_process.name,
            "owner_unit": own_process.owner_unit_id,
            "owner": own_process.owner_id,
            "purpose": "Wersja koordynatora",
            "inputs": "",
            "outputs": "",
            "version": version,
        },
    )
    assert second.status_code == 200
    page = second.content.decode()
    assert "Wersja właściciela" in page  # what the other person saved is shown
    assert second.context["conflict"].changed_by == str(personas.wlasciciel)
    own_process.refresh_from_db()
    assert own_process.purpose == "Wersja właściciela"


def test_withdraw_and_restore_through_the_views(personas, own_process):
    client = client_for(personas.pelnomocnik)
    refused = client.post(
        reverse("processes:withdraw", args=[own_process.pk]),
        {"reason": "", "version": own_process.version},
    )
    assert refused.status_code == 200
    own_process.refresh_from_db()
    assert own_process.is_active
    client.post(
        reverse("processes:withdraw", args=[own_process.pk]),
        {"reason": "Połączony z PG.1", "version": own_process.version},
    )
    own_process.refresh_from_db()
    assert own_process.status == Process.Status.WITHDRAWN
    detail = client.get(reverse("processes:detail", args=[own_process.pk])).content.decode()
    assert "Połączony z PG.1" in detail
    client.post(
        reverse("processes:restore", args=[own_process.pk]), {"version": own_process.version}
    )
    own_process.refresh_from_db()
    assert own_process.is_active


def test_list_filters_by_category_unit_status_and_text(personas, own_process, other_process):
    client = client_for(personas.pracownik)
    pz = Process.objects.create(
        category="PZ",
        code="PZ.1",
        name="Zarządzanie strategiczne",
        owner_unit=personas.prezydent.unit,
    )

    def codes(query: dict) -> set[str]:
        response = client.get(reverse("processes:list"), query)
        return {p.code for p in response.context["page"].object_list}

    assert codes({}) == {"PG.2", "PG.3", "PZ.1"}
    assert codes({"category": "PZ"}) == {"PZ.1"}
    # The unit is typed as its code (a drop-down of every unit does not scale).
    unit_code = own_process.owner_unit.code
    assert codes({"owner_unit": unit_code}) == {"PG.3"}
    assert codes({"owner_unit": f"  {unit_code.lower()} "}) == {"PG.3"}
    assert codes({"owner_unit": "NIE-MA"}) == set()
    assert codes({"q": "pojazd"}) == {"PG.2"}
    pz.status = Process.Status.WITHDRAWN
    pz.save()
    assert codes({"status": "withdrawn"}) == {"PZ.1"}
    # A bad filter value is a form error, not a 500.
    assert client.get(reverse("processes:list"), {"category": "<script>"}).status_code == 200


def test_list_is_paginated(personas):
    from tests.factories import ProcessFactory

    ProcessFactory.create_batch(30, owner_unit=personas.wlasciciel.unit, owner=personas.wlasciciel)
    client = client_for(personas.pracownik)
    first = client.get(reverse("processes:list"))
    assert len(first.context["page"].object_list) == 25
    second = client.get(reverse("processes:list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5
    assert client.get(reverse("processes:list"), {"page": "zzz"}).status_code == 200


def test_detail_shows_history_with_the_acting_user(personas, own_process):
    from processes.services import register as services

    services.process_update_description(
        process=own_process,
        by=personas.wlasciciel,
        expected_version=own_process.version,
        outputs="Dowody osobiste",
    )
    response = client_for(personas.pracownik).get(
        reverse("processes:detail", args=[own_process.pk])
    )
    rows = response.context["history"]
    assert rows[0]["user"] == personas.wlasciciel
    assert rows[0]["changes"] == [str(Process._meta.get_field("outputs").verbose_name)]
    assert str(personas.wlasciciel) in response.content.decode()


def test_register_is_in_natural_order(personas):
    unit = personas.koordynator.unit
    for category, code in [("PW", "PW.1"), ("PG", "PG.10"), ("PG", "PG.2"), ("PZ", "PZ.3")]:
        services.process_create(
            by=personas.koordynator,
            category=category,
            code=code,
            name=f"Proces {code}",
            owner_unit=unit,
        )
    response = client_for(personas.pracownik).get(reverse("processes:list"))
    assert [p.code for p in response.context["page"].object_list] == [
        "PZ.3",
        "PG.2",
        "PG.10",
        "PW.1",
    ]


def test_an_invalid_filter_matches_nothing_in_list_and_export(personas, own_process):
    client = client_for(personas.pracownik)
    listing = client.get(reverse("processes:list"), {"category": "XX"})
    assert listing.status_code == 200
    assert list(listing.context["page"].object_list) == []
    assert listing.context["filter"].form.errors
    export = client.get(reverse("processes:export", args=["csv"]), {"category": "XX"})
    lines = export.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 1  # the header only


@pytest.mark.parametrize("persona", [*sorted(SIGNED_IN), "auditor2"])
def test_detail_lists_the_open_cards_only_to_those_who_may_read_them(personas, card_setup, persona):
    from nonconformities.models import Nonconformity

    card = card_setup["card"]
    process = card.process
    closed = Nonconformity.objects.create(
        number="KN/2025/090",
        year=2025,
        source=Nonconformity.Source.OWN_DETECTION,
        process=process,
        unit=process.owner_unit,
        requirement="Procedura PG.3.1",
        description="Zamknięta dawno temu",
        evidence="Rejestr",
        grade=Nonconformity.Grade.MINOR,
        raised_by=personas.pelnomocnik,
        status=Nonconformity.Status.CLOSED,
    )
    client = client_for(personas[persona])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("processes:detail", args=[process.pk]))
    # Every employee reads the process page; the cards on it follow the cards' own rules.
    assert response.status_code == 200
    page = response.content.decode()
    card_link = reverse("nonconformities:detail", args=[card.pk])
    if persona in {"wlasciciel2", "auditor2"}:
        assert response.context["open_cards"] == []
        assert card_link not in page and card.number not in page
        # No section at all: "no open cards" would be untrue for them.
        assert "Open nonconformity cards" not in page
    else:
        assert response.context["open_cards"] == [card]
        assert card_link in page
        assert "Open nonconformity cards" in page
    assert closed.number not in page


def test_detail_says_there_are_no_open_cards_to_those_who_would_see_them(personas, own_process):
    for user in (personas.wlasciciel, personas.pelnomocnik):
        client = client_for(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        page = client.get(reverse("processes:detail", args=[own_process.pk])).content.decode()
        assert "No open nonconformity cards." in page
    page = client_for(personas.pracownik).get(reverse("processes:detail", args=[own_process.pk]))
    assert page.context["show_cards"] is False


def test_changing_the_owner_on_the_edit_form_moves_the_permission(personas, own_process):
    from processes.selectors import process_can_edit_description
    from qms.models import User

    response = client_for(personas.koordynator).post(
        reverse("processes:edit", args=[own_process.pk]),
        {
            "category": "PG",
            "code": own_process.code,
            "name": own_process.name,
            "owner_unit": own_process.owner_unit_id,
            "owner": personas.wlasciciel2.pk,
            "purpose": "",
            "inputs": "",
            "outputs": "",
            "version": own_process.version,
        },
    )
    assert response.status_code == 302
    process = Process.objects.get(pk=own_process.pk)
    assert not process_can_edit_description(User.objects.get(pk=personas.wlasciciel.pk), process)
    assert process_can_edit_description(User.objects.get(pk=personas.wlasciciel2.pk), process)
