"""The demo data: a Lublin-like register, one user per role, idempotent, never in production."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from processes.models import Process
from processes.selectors import process_can_edit_description
from qms import roles
from qms.models import OrganisationalUnit, User


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.exists()


@pytest.mark.django_db
def test_seed_demo_builds_the_register_once(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    counts = (OrganisationalUnit.objects.count(), Process.objects.count(), User.objects.count())
    assert counts[0] >= 15
    assert Process.objects.count() >= 25
    assert set(Process.objects.values_list("category", flat=True)) == {"PZ", "PG", "PW"}
    call_command("seed_demo")
    assert (
        OrganisationalUnit.objects.count(),
        Process.objects.count(),
        User.objects.count(),
    ) == counts

    by_name = {u.username: u for u in User.objects.all()}
    for username in [
        "prezydent",
        "pelnomocnik",
        "koordynator",
        "wlasciciel",
        "auditor",
        "pracownik",
    ]:
        assert by_name[username].check_password("demo-szj-2026")
    assert by_name["prezydent"].has_role(roles.PREZYDENT)
    assert by_name["pelnomocnik"].has_role(roles.PELNOMOCNIK)
    assert by_name["koordynator"].has_role(roles.KOORDYNATOR_WOU)
    assert not by_name["pracownik"].role_names

    owned = Process.objects.filter(owner=by_name["wlasciciel"])
    assert owned.exists()
    assert all(process_can_edit_description(by_name["wlasciciel"], p) for p in owned)
    # Every process has an owner and history naming who created it.
    assert not Process.objects.filter(owner__isnull=True).exists()
    assert Process.history.filter(history_user__isnull=True).count() == 0
    assert Process.objects.filter(related__isnull=False).exists()
