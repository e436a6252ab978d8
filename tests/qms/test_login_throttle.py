"""Repeated failed sign-ins are throttled with a clear Polish message."""

import pytest
from django.core.cache import cache
from django.urls import reverse


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


def test_after_five_failures_even_the_right_password_is_refused(client, personas):
    url = reverse("login")
    for _ in range(5):
        client.post(url, {"username": "pracownik", "password": "zle-haslo"})
    response = client.post(url, {"username": "pracownik", "password": "haslo-testowe-123"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Zbyt wiele nieudanych prób logowania" in response.content.decode()


def test_failures_from_one_address_block_other_names_too(client, personas):
    url = reverse("login")
    for name in ["a", "b", "c", "d", "e"]:
        client.post(url, {"username": name, "password": "x"}, REMOTE_ADDR="10.1.2.3")
    response = client.post(
        url, {"username": "pracownik", "password": "haslo-testowe-123"}, REMOTE_ADDR="10.1.2.3"
    )
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


def test_a_success_before_the_limit_resets_the_count(client, personas):
    url = reverse("login")
    for _ in range(4):
        client.post(url, {"username": "pracownik", "password": "zle"}, REMOTE_ADDR="10.9.9.9")
    assert (
        client.post(
            url, {"username": "pracownik", "password": "haslo-testowe-123"}, REMOTE_ADDR="10.9.9.8"
        ).status_code
        == 302
    )
    client.post(reverse("logout"))
    client.post(url, {"username": "pracownik", "password": "zle"}, REMOTE_ADDR="10.9.9.7")
    assert (
        client.post(
            url, {"username": "pracownik", "password": "haslo-testowe-123"}, REMOTE_ADDR="10.9.9.6"
        ).status_code
        == 302
    )
