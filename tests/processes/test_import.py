"""Importing the process register (CSV and XLSX): a correct file creates and updates
processes through the services, with their owners, relations and history; only the
register's keepers may import. Files with problems: test_import_errors.py."""

import pytest
from django.contrib import messages
from django.urls import reverse
from django.utils.html import escape

from processes.models import Process
from processes.selectors import process_can_edit_description
from processes.services import register as services
from qms.models import User
from tests.conftest import Personas
from tests.processes.conftest import (
    GOOD_ROW,
    IMPORT_URL,
    csv_upload,
    post_import,
    row,
    shown_messages,
    xlsx_upload,
)

NOT_KEEPERS = ["pracownik", "auditor", "wlasciciel", "prezydent", "kierownictwo"]


def fresh_user(user: User) -> User:
    # Guardian caches object permissions per user instance: read the user again.
    return User.objects.get(pk=user.pk)


# --- importing a correct file -------------------------------------------------------------------


def test_keeper_imports_a_csv_with_owner_relations_and_history(
    personas: Personas, own_process: Process, as_persona
):
    before = Process.objects.count()
    upload = csv_upload(
        [
            row(
                kategoria="PZ",
                kod="PZ.10",
                nazwa="Zarządzanie ryzykiem — źródła żółci",
                cel="Ocena ryzyk i szans",
                jednostka="WOU",
                wlasciciel="wlasciciel",
                wejscia="Rejestr ryzyk",
                wyjscia="Plan działań",
                powiazane="PG.3; PW.11",
            ),
            row(kategoria="pw", kod="PW.11", nazwa="Gospodarka środkami trwałymi", jednostka="WBK"),
        ]
    )

    response = post_import(as_persona("koordynator"), upload, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("processes:list")
    assert Process.objects.count() == before + 2
    added = Process.objects.get(code="PZ.10")
    assert added.name == "Zarządzanie ryzykiem — źródła żółci"
    assert added.category == "PZ"
    assert added.owner_unit.code == "WOU"
    assert added.purpose == "Ocena ryzyk i szans"
    assert added.owner == personas.wlasciciel
    assert process_can_edit_description(fresh_user(personas.wlasciciel), added)
    assert not process_can_edit_description(fresh_user(personas.wlasciciel2), added)
    # PW.11 is a later row of the same file; the relation is symmetrical.
    assert {p.code for p in added.related.all()} == {"PG.3", "PW.11"}
    assert {p.code for p in Process.objects.get(code="PW.11").related.all()} == {"PZ.10"}
    for code in ("PZ.10", "PW.11"):
        first = Process.objects.get(code=code).history.order_by("history_date").first()
        assert first.history_type == "+"
        assert first.history_user == personas.koordynator
    assert Process.objects.get(code="PW.11").category == "PW"
    [success] = shown_messages(response, messages.SUCCESS)
    assert "2" in str(success)  # two new processes
    assert escape(str(success)) in response.content.decode()


def test_a_windows_1250_csv_with_commas_imports_with_diacritics(personas: Personas, as_persona):
    upload = csv_upload(
        [row(kategoria="PG", kod="PG.40", nazwa="Świadczenia żłobkowe", jednostka="WSO")],
        delimiter=",",
        encoding="cp1250",
    )

    response = post_import(as_persona("pelnomocnik"), upload)

    assert response.status_code == 302
    assert Process.objects.get(code="PG.40").name == "Świadczenia żłobkowe"


def test_keeper_imports_an_xlsx_file(personas: Personas, as_persona):
    upload = xlsx_upload(
        [
            row(
                kategoria="PG",
                kod="PG.20",
                nazwa="Wydawanie dowodów osobistych",
                jednostka="WSO",
                wlasciciel="wlasciciel",
                powiazane="PG.21",
            ),
            row(kategoria="PG", kod="PG.21", nazwa="Meldunki", jednostka="WSO"),
        ]
    )

    response = post_import(as_persona("pelnomocnik"), upload)

    assert response.status_code == 302
    process = Process.objects.get(code="PG.20")
    assert process.name == "Wydawanie dowodów osobistych"
    assert process.owner == personas.wlasciciel
    assert [p.code for p in process.related.all()] == ["PG.21"]
    assert {h.history_user for h in process.history.all()} == {personas.pelnomocnik}


def test_a_known_code_updates_that_process_through_the_services(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    version = own_process.version
    untouched_version = other_process.version
    upload = csv_upload(
        [
            row(
                kategoria="PG",
                kod="PG.3",
                nazwa="Sprawy obywatelskie — nowa nazwa",
                cel=own_process.purpose,
                jednostka="WSO",
                wlasciciel="wlasciciel2",
            ),
            # Identical to the register: no new version, no history row.
            row(
                kategoria="PG",
                kod="PG.2",
                nazwa=other_process.name,
                cel=other_process.purpose,
                jednostka="WKM",
                wlasciciel="wlasciciel2",
            ),
        ]
    )

    response = post_import(as_persona("koordynator"), upload, follow=True)

    own_process.refresh_from_db()
    other_process.refresh_from_db()
    assert own_process.name == "Sprawy obywatelskie — nowa nazwa"
    assert own_process.version == version + 1
    newest = own_process.history.order_by("-history_date", "-history_id").first()
    assert newest.history_type == "~"
    assert newest.history_user == personas.koordynator
    # Ownership moved, and the object permission with it.
    assert own_process.owner == personas.wlasciciel2
    assert process_can_edit_description(fresh_user(personas.wlasciciel2), own_process)
    assert not process_can_edit_description(fresh_user(personas.wlasciciel), own_process)
    assert other_process.version == untouched_version
    assert other_process.history.count() == 1
    assert Process.objects.count() == 2
    [success] = shown_messages(response, messages.SUCCESS)
    assert "0" in str(success) and "1" in str(success)


def test_headers_may_be_written_with_polish_letters(personas: Personas, as_persona):
    upload = csv_upload(
        [
            {
                "Kategoria": "PG",
                "Kod": "PG.60",
                "Nazwa": "Dowody",
                "Jednostka": "WSO",
                "Właściciel": "wlasciciel",
                "Wejścia": "Wnioski",
                "Wyjścia": "Dowody osobiste",
            }
        ],
        header=["Kategoria", "Kod", "Nazwa", "Jednostka", "Właściciel", "Wejścia", "Wyjścia"],
    )

    response = post_import(as_persona("koordynator"), upload)

    assert response.status_code == 302
    process = Process.objects.get(code="PG.60")
    assert (process.owner, process.inputs, process.outputs) == (
        personas.wlasciciel,
        "Wnioski",
        "Dowody osobiste",
    )


def test_absent_optional_columns_leave_existing_values_alone(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    services.process_update(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        related=[other_process],
        inputs="Wnioski obywateli",
    )
    own_process.refresh_from_db()
    upload = csv_upload(
        [row(kategoria="PG", kod="PG.3", nazwa="Nowa nazwa", jednostka="WSO")],
        header=["kategoria", "kod", "nazwa", "jednostka"],
    )

    response = post_import(as_persona("koordynator"), upload)

    assert response.status_code == 302
    own_process.refresh_from_db()
    assert own_process.name == "Nowa nazwa"
    assert own_process.owner == personas.wlasciciel
    assert own_process.purpose == "Zapewnienie terminowej obsługi spraw."
    assert own_process.inputs == "Wnioski obywateli"
    assert [p.code for p in own_process.related.all()] == ["PG.2"]


def test_a_relation_added_on_one_row_only_is_kept(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    # PG.3 gains PG.2 in the file; the row of PG.2 (after it) does not mention PG.3.
    upload = csv_upload(
        [
            row(
                kategoria="PG",
                kod="PG.3",
                nazwa=own_process.name,
                cel=own_process.purpose,
                jednostka="WSO",
                wlasciciel="wlasciciel",
                powiazane="PG.2",
            ),
            row(
                kategoria="PG",
                kod="PG.2",
                nazwa=other_process.name,
                cel=other_process.purpose,
                jednostka="WKM",
                wlasciciel="wlasciciel2",
            ),
        ]
    )

    post_import(as_persona("koordynator"), upload)

    assert [p.code for p in own_process.related.all()] == ["PG.2"]
    assert [p.code for p in other_process.related.all()] == ["PG.3"]


def test_a_relation_removed_on_one_row_only_is_removed(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    services.process_update(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        related=[other_process],
    )
    # PG.3 drops PG.2; the row of PG.2 still names PG.3 as it was exported.
    upload = csv_upload(
        [
            row(
                kategoria="PG",
                kod="PG.3",
                nazwa=own_process.name,
                cel=own_process.purpose,
                jednostka="WSO",
                wlasciciel="wlasciciel",
                powiazane="",
            ),
            row(
                kategoria="PG",
                kod="PG.2",
                nazwa=other_process.name,
                cel=other_process.purpose,
                jednostka="WKM",
                wlasciciel="wlasciciel2",
                powiazane="PG.3",
            ),
        ]
    )

    post_import(as_persona("koordynator"), upload)

    assert not own_process.related.exists()
    assert not other_process.related.exists()


# --- who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["koordynator", "pelnomocnik"])
def test_register_keepers_open_the_import_form(personas: Personas, as_persona, name: str):
    response = as_persona(name).get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert "file" in response.context["form"].fields


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_others_are_refused_the_import(personas: Personas, as_persona, name: str):
    client = as_persona(name)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert post_import(client, csv_upload([GOOD_ROW])).status_code == 403
    assert not Process.objects.filter(code="PZ.30").exists()


def test_anonymous_is_sent_to_login_from_the_import(personas: Personas, as_persona):
    client = as_persona("anonim")
    login = reverse("login")

    for response in (client.get(reverse(IMPORT_URL)), post_import(client, csv_upload([GOOD_ROW]))):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert not Process.objects.filter(code="PZ.30").exists()
