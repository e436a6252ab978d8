"""Signing in and out in Polish, the password change, and the admin with history and object
permissions for every model."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from processes.models import Process
from processes.selectors import process_can_edit_description
from qms.models import User
from tests.conftest import client_for
from tests.factories import UserFactory


def test_login_page_is_polish_by_default(client, db):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="pl">' in page
    assert "Zaloguj" in page


def test_login_and_logout(client, personas):
    response = client.post(
        reverse("login"), {"username": "pracownik", "password": "haslo-testowe-123"}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_gives_a_polish_message_and_no_session(client, personas):
    response = client.post(reverse("login"), {"username": "pracownik", "password": "zle"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Wprowadź poprawne wartości pól" in response.content.decode()


def test_login_never_redirects_to_another_host(client, personas):
    response = client.post(
        reverse("login") + "?next=https://evil.example/",
        {"username": "pracownik", "password": "haslo-testowe-123", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_password_change(personas):
    client = client_for(personas.pracownik)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "haslo-testowe-123",
            "new_password1": "Nowe-Haslo-Urzad-2026",
            "new_password2": "Nowe-Haslo-Urzad-2026",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=personas.pracownik.pk).check_password("Nowe-Haslo-Urzad-2026")


def test_language_switch_to_english(personas):
    client = client_for(personas.pracownik)
    client.post(reverse("set_language"), {"language": "en", "next": reverse("processes:list")})
    page = client.get(reverse("processes:list")).content.decode()
    assert '<html lang="en">' in page
    assert "Process register" in page


@pytest.fixture
def admin_client_(db):
    admin = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return client_for(admin), admin


def test_admin_lists_and_shows_history_for_every_model(admin_client_, own_process):
    client, _admin = admin_client_
    models = [
        model
        for app in ("qms", "processes", "audits", "nonconformities", "reviews")
        for model in apps.get_app_config(app).get_models()
    ]
    for model in models:
        if model._meta.model_name.startswith(
            ("historical", "processuserobject", "processgroupobject")
        ):
            continue  # history and permission rows are shown on their record's admin pages
        assert admin.site.is_registered(model), model
        changelist = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert client.get(changelist).status_code == 200, model
    history = reverse("admin:processes_process_history", args=[own_process.pk])
    assert client.get(history).status_code == 200
    permissions = reverse("admin:processes_process_permissions", args=[own_process.pk])
    assert client.get(permissions).status_code == 200


def test_admin_edit_is_in_history_with_the_admin_and_moves_owner_permission(
    admin_client_, personas, own_process
):
    client, admin = admin_client_
    url = reverse("admin:processes_process_change", args=[own_process.pk])
    data = {
        "category": "PG",
        "code": own_process.code,
        "name": "Zmieniona w panelu",
        "purpose": "",
        "owner_unit": own_process.owner_unit_id,
        "owner": personas.wlasciciel2.pk,
        "inputs": "",
        "outputs": "",
        "status": "active",
        "withdrawal_reason": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "documents-MIN_NUM_FORMS": "0",
        "documents-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    process = Process.objects.get(pk=own_process.pk)
    assert process.name == "Zmieniona w panelu"
    assert process.version == own_process.version + 1
    assert process.history.first().history_user == admin
    assert process_can_edit_description(User.objects.get(username="wlasciciel2"), process)
    assert not process_can_edit_description(User.objects.get(username="wlasciciel"), process)


def test_admin_offers_no_delete(admin_client_, own_process):
    client, _admin = admin_client_
    url = reverse("admin:processes_process_delete", args=[own_process.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Process.objects.filter(pk=own_process.pk).exists()


def test_admin_pages_of_a_document_with_a_stored_file_open(
    admin_client_, own_process, settings, tmp_path
):
    from django.core.files.base import ContentFile

    from tests.factories import DocumentFactory

    settings.MEDIA_ROOT = tmp_path
    document = DocumentFactory(process=own_process)
    document.file.save("procedura.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    client, _admin = admin_client_
    assert (
        client.get(
            reverse("admin:processes_governingdocument_change", args=[document.pk])
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("admin:processes_process_change", args=[own_process.pk])).status_code
        == 200
    )
