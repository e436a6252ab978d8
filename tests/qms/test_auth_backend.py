"""The signed-in person comes with their roles in one query (qms.auth_backends)."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from qms import roles
from qms.models import User, with_roles
from tests.conftest import client_for


def test_roles_are_read_with_the_person(personas):
    with CaptureQueriesContext(connection) as queries:
        user = with_roles(User.objects.filter(pk=personas.pelnomocnik.pk)).get()
        names = user.role_names
    assert len(queries.captured_queries) == 1
    fresh = User.objects.get(pk=personas.pelnomocnik.pk)
    assert names == fresh.role_names  # the same answer as the group query gives
    assert roles.PELNOMOCNIK in names


def test_a_page_does_not_ask_for_the_roles_separately(personas):
    client = client_for(personas.koordynator)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("processes:list"))
    assert response.status_code == 200
    assert response.wsgi_request.user.has_role(roles.KOORDYNATOR_WOU)
    group_reads = [q for q in queries.captured_queries if 'FROM "auth_group"' in q["sql"]]
    assert group_reads == []


def test_an_inactive_person_is_signed_out(personas):
    client = client_for(personas.pracownik)
    User.objects.filter(pk=personas.pracownik.pk).update(is_active=False)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
