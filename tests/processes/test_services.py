"""The register's services: who may write, what history records, and that no edit is lost."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from processes.models import Process
from processes.selectors import process_can_edit_description
from processes.services import register as services
from qms.services import ConcurrentEditError
from tests.factories import ProcessFactory


def test_keeper_creates_a_process_recorded_with_its_author(personas):
    process = services.process_create(
        by=personas.koordynator,
        category="PZ",
        code="PZ.9",
        name="Zarządzanie zmianą",
        owner_unit=personas.koordynator.unit,
        owner=personas.wlasciciel,
    )
    first = process.history.get()
    assert first.history_user == personas.koordynator
    assert first.history_type == "+"
    assert process_can_edit_description(personas.wlasciciel, process)


@pytest.mark.parametrize(
    "name", ["pracownik", "auditor", "wlasciciel", "prezydent", "kierownictwo"]
)
def test_only_register_keepers_create(personas, name):
    with pytest.raises(PermissionDenied):
        services.process_create(
            by=personas[name],
            category="PZ",
            code="PZ.9",
            name="X",
            owner_unit=personas.koordynator.unit,
        )
    assert not Process.objects.filter(code="PZ.9").exists()


def test_duplicate_code_is_refused_with_a_message(personas, own_process):
    with pytest.raises(ValidationError) as exc:
        services.process_create(
            by=personas.koordynator,
            category="PG",
            code=own_process.code,
            name="Kopia",
            owner_unit=own_process.owner_unit,
        )
    assert "code" in exc.value.message_dict


def test_changing_owner_moves_the_object_permission(personas, own_process):
    assert process_can_edit_description(personas.wlasciciel, own_process)
    services.process_update(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        owner=personas.wlasciciel2,
    )
    fresh = Process.objects.get(pk=own_process.pk)
    # Fresh user objects: guardian caches permissions per user instance.
    from qms.models import User

    assert not process_can_edit_description(User.objects.get(pk=personas.wlasciciel.pk), fresh)
    assert process_can_edit_description(User.objects.get(pk=personas.wlasciciel2.pk), fresh)


def test_owner_edits_description_of_own_process_only(personas, own_process, other_process):
    services.process_update_description(
        process=own_process,
        by=personas.wlasciciel,
        expected_version=own_process.version,
        purpose="Nowy cel procesu — obsługa obywateli",
    )
    own_process.refresh_from_db()
    assert own_process.purpose == "Nowy cel procesu — obsługa obywateli"
    assert own_process.history.first().history_user == personas.wlasciciel
    with pytest.raises(PermissionDenied):
        services.process_update_description(
            process=other_process,
            by=personas.wlasciciel,
            expected_version=other_process.version,
            purpose="Cudzy",
        )
    other_process.refresh_from_db()
    assert other_process.purpose != "Cudzy"


def test_owner_cannot_change_register_fields(personas, own_process):
    with pytest.raises(PermissionDenied):
        services.process_update_description(
            process=own_process,
            by=personas.wlasciciel,
            expected_version=own_process.version,
            name="Inna nazwa",
        )
    with pytest.raises(PermissionDenied):
        services.process_update(
            process=own_process,
            by=personas.wlasciciel,
            expected_version=own_process.version,
            name="Inna nazwa",
        )


def test_a_stale_form_is_refused_and_shows_what_changed(personas, own_process):
    opened_at = own_process.version
    services.process_update_description(
        process=Process.objects.get(pk=own_process.pk),
        by=personas.wlasciciel,
        expected_version=opened_at,
        purpose="Zmiana właściciela",
    )
    stale = Process.objects.get(pk=own_process.pk)
    with pytest.raises(ConcurrentEditError) as exc:
        services.process_update(
            process=stale,
            by=personas.koordynator,
            expected_version=opened_at,
            purpose="Zmiana koordynatora",
        )
    assert "Zmiana właściciela" in [value for _label, value in exc.value.changes]
    assert str(personas.wlasciciel) in exc.value.changed_by
    own_process.refresh_from_db()
    assert own_process.purpose == "Zmiana właściciela"


def test_withdraw_keeps_the_process_and_needs_a_reason(personas, own_process):
    with pytest.raises(ValidationError):
        services.process_withdraw(
            process=own_process,
            by=personas.koordynator,
            expected_version=own_process.version,
            reason="   ",
        )
    services.process_withdraw(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        reason="Zadanie przeniesione do WKM",
    )
    own_process.refresh_from_db()
    assert own_process.status == Process.Status.WITHDRAWN
    assert own_process.history.first().history_change_reason == "Zadanie przeniesione do WKM"
    # A withdrawn process is no longer described by its former owner.
    from qms.models import User

    assert not process_can_edit_description(
        User.objects.get(pk=personas.wlasciciel.pk), own_process
    )
    with pytest.raises(ValidationError):
        services.process_withdraw(
            process=own_process,
            by=personas.koordynator,
            expected_version=own_process.version,
            reason="Drugi raz",
        )
    services.process_restore(
        process=own_process, by=personas.pelnomocnik, expected_version=own_process.version
    )
    own_process.refresh_from_db()
    assert own_process.is_active


def test_related_changes_are_named_in_history(personas, own_process, other_process):
    services.process_update(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        related=[other_process],
    )
    assert list(other_process.related.all()) == [own_process]  # symmetrical
    assert own_process.history.first().history_change_reason == "Powiązane procesy: +PG.2"
    with pytest.raises(ValidationError):
        services.process_update(
            process=own_process,
            by=personas.koordynator,
            expected_version=own_process.version,
            related=[own_process],
        )


def test_factory_owner_gets_permission(personas):
    process = ProcessFactory(owner=personas.wlasciciel2, owner_unit=personas.wlasciciel2.unit)
    assert process_can_edit_description(personas.wlasciciel2, process)
