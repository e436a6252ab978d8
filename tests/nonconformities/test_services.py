"""A card's way from a finding to verified effectiveness: every step allowed and refused."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nonconformities.models import CorrectiveAction, DeadlineExtension, Nonconformity
from nonconformities.selectors import cards as selectors
from nonconformities.services import actions as action_services
from nonconformities.services import cards as card_services
from processes.services import register as process_services
from qms.models import User
from qms.services import ConcurrentEditError

TODAY = datetime.date.today()
S = Nonconformity.Status


def fresh(card: Nonconformity) -> Nonconformity:
    return Nonconformity.objects.get(pk=card.pk)


def _plan(card, by):
    return card_services.card_plan_actions(
        card=fresh(card), by=by, expected_version=fresh(card).version
    )


def test_one_card_per_finding_numbered_for_the_year(personas, card_setup):
    card = card_setup["card"]
    assert card.number == f"KN/{TODAY.year}/001"
    assert card.source == Nonconformity.Source.AUDIT_FINDING
    assert card.history.last().history_user == personas.auditor
    with pytest.raises(ValidationError):
        card_services.card_raise(
            by=personas.auditor,
            source="audit",
            finding=card_setup["finding"],
            process=card.process,
            requirement="x",
            description="x",
            evidence="x",
            grade="minor",
        )


@pytest.mark.parametrize("name", ["auditor2", "wlasciciel2", "pracownik", "kierownictwo"])
def test_only_auditors_on_the_audit_raise_cards_from_its_findings(personas, audit_setup, name):
    from audits.models import Finding

    finding = Finding.objects.create(
        audit=audit_setup["audit"],
        number=9,
        type="nonconformity",
        grade="major",
        process=audit_setup["audit"].processes.get(),
        requirement="r",
        description="d",
        evidence="e",
        created_by=personas.auditor,
    )
    with pytest.raises(PermissionDenied):
        card_services.card_raise(
            by=personas[name],
            source="audit",
            finding=finding,
            process=finding.process,
            requirement="r",
            description="d",
            evidence="e",
            grade="major",
        )
    assert not Nonconformity.objects.exists()


def test_owner_raises_for_own_process_only(personas, own_process, other_process):
    card = card_services.card_raise(
        by=personas.wlasciciel,
        source="own",
        process=own_process,
        requirement="Procedura PG.3.1",
        description="Wydano dowód po terminie",
        evidence="Sprawa WSO.5340.7.2026",
        grade="minor",
    )
    assert card.unit == own_process.owner_unit
    with pytest.raises(PermissionDenied):
        card_services.card_raise(
            by=personas.wlasciciel,
            source="own",
            process=other_process,
            requirement="x",
            description="x",
            evidence="x",
            grade="minor",
        )
    complaint = card_services.card_raise(
        by=personas.pelnomocnik,
        source="complaint",
        process=other_process,
        requirement="KPA art. 35",
        description="Skarga na przewlekłość",
        evidence="Skarga",
        grade="major",
        external_reference="WOU-II.1510.12.2026",
    )
    assert complaint.external_reference == "WOU-II.1510.12.2026"


def test_full_cycle_with_verifier_not_implementer(personas, card_setup):
    card, action = card_setup["card"], card_setup["action"]
    assert fresh(card).status == S.ANALYSIS
    with pytest.raises(PermissionDenied):  # not the owner
        _plan(card, personas.pracownik)
    _plan(card, personas.wlasciciel)
    assert fresh(card).status == S.PLANNED

    with pytest.raises(PermissionDenied):  # only the responsible person works the action
        action_services.action_start(
            action=action, by=personas.wlasciciel, expected_version=action.version
        )
    action_services.action_start(
        action=action, by=personas.pracownik, expected_version=action.version
    )
    assert fresh(card).status == S.IN_PROGRESS
    action.refresh_from_db()
    with pytest.raises(ValidationError):  # evidence is required
        action_services.action_complete(
            action=action, by=personas.pracownik, expected_version=action.version, note=" "
        )
    action_services.action_complete(
        action=action,
        by=personas.pracownik,
        expected_version=action.version,
        note="Wzór rejestru dodany do procedury PG.3.1, wydanie piąte",
    )
    assert fresh(card).status == S.VERIFICATION

    # The implementer may not verify, even if they held the right role.
    with pytest.raises(PermissionDenied):
        card_services.card_verify(
            card=fresh(card),
            by=personas.pracownik,
            expected_version=fresh(card).version,
            effective=True,
            note="ok",
        )
    with pytest.raises(PermissionDenied):  # owner is not a verifier
        card_services.card_verify(
            card=fresh(card),
            by=personas.wlasciciel,
            expected_version=fresh(card).version,
            effective=True,
            note="ok",
        )
    with pytest.raises(PermissionDenied):  # auditor of another process
        card_services.card_verify(
            card=fresh(card),
            by=personas.auditor2,
            expected_version=fresh(card).version,
            effective=True,
            note="ok",
        )
    # Not effective: reopened for a new round of actions.
    card_services.card_verify(
        card=fresh(card),
        by=personas.pelnomocnik,
        expected_version=fresh(card).version,
        effective=False,
        note="Rejestr nadal niekompletny w próbie 10 spraw",
    )
    assert (fresh(card).status, fresh(card).round) == (S.REOPENED, 2)
    with pytest.raises(ValidationError):  # the new round needs its own actions
        _plan(card, personas.wlasciciel)
    second = action_services.action_add(
        card=fresh(card),
        by=personas.wlasciciel,
        description="Szkolenie pracowników WSO",
        responsible=personas.wlasciciel2,
        deadline=TODAY + datetime.timedelta(days=10),
    )
    assert second.round == 2
    _plan(card, personas.wlasciciel)
    action_services.action_complete(
        action=second,
        by=personas.wlasciciel2,
        expected_version=second.version,
        note="Lista obecności",
    )
    # The lead auditor of the audit of this process verifies: appointed, and no implementer.
    from tests.factories import appoint_auditors

    appoint_auditors(TODAY.year, personas.auditor)
    card_services.card_verify(
        card=fresh(card),
        by=personas.auditor,
        expected_version=fresh(card).version,
        effective=True,
        note="Próba 10 spraw w kolejnym audicie: rejestr kompletny",
    )
    closed = fresh(card)
    assert closed.status == S.CLOSED and closed.verified_by == personas.auditor
    users = {h.history_user for h in closed.history.all()}
    assert {
        personas.auditor,
        personas.wlasciciel,
        personas.pracownik,
        personas.pelnomocnik,
    } <= users


def test_deadline_extension_needs_a_reason_and_is_kept(personas, card_setup):
    action = card_setup["action"]
    old = action.deadline
    with pytest.raises(ValidationError):
        action_services.action_extend_deadline(
            action=action,
            by=personas.wlasciciel,
            expected_version=action.version,
            new_deadline=old + datetime.timedelta(days=5),
            reason="",
        )
    with pytest.raises(ValidationError):  # earlier is not an extension
        action_services.action_extend_deadline(
            action=action,
            by=personas.wlasciciel,
            expected_version=action.version,
            new_deadline=old - datetime.timedelta(days=1),
            reason="x",
        )
    with pytest.raises(PermissionDenied):
        action_services.action_extend_deadline(
            action=action,
            by=personas.pracownik,
            expected_version=action.version,
            new_deadline=old + datetime.timedelta(days=5),
            reason="Urlop",
        )
    action_services.action_extend_deadline(
        action=action,
        by=personas.wlasciciel,
        expected_version=action.version,
        new_deadline=old + datetime.timedelta(days=5),
        reason="Zmiana procedury wymaga opinii prawnej",
    )
    action.refresh_from_db()
    assert action.deadline == old + datetime.timedelta(days=5)
    extension = DeadlineExtension.objects.get()
    assert (extension.previous_deadline, extension.extended_by) == (old, personas.wlasciciel)
    assert action.history.first().history_change_reason == "Zmiana procedury wymaga opinii prawnej"


def test_concurrent_edits_of_a_card_are_refused(personas, card_setup):
    card = card_setup["card"]
    opened = fresh(card).version
    card_services.card_record_analysis(
        card=fresh(card), by=personas.wlasciciel, expected_version=opened, root_cause="Przyczyna A"
    )
    with pytest.raises(ConcurrentEditError) as exc:
        card_services.card_record_analysis(
            card=fresh(card),
            by=personas.pelnomocnik,
            expected_version=opened,
            root_cause="Przyczyna B",
        )
    assert "Przyczyna A" in [value for _label, value in exc.value.changes]
    assert fresh(card).root_cause == "Przyczyna A"


def test_concurrent_edits_of_an_action_are_refused(personas, card_setup):
    action = card_setup["action"]
    opened = action.version
    action_services.action_update(
        action=action,
        by=personas.wlasciciel,
        expected_version=opened,
        description="Wersja 1",
        responsible=personas.pracownik,
    )
    stale = CorrectiveAction.objects.get(pk=action.pk)
    with pytest.raises(ConcurrentEditError):
        action_services.action_update(
            action=stale,
            by=personas.pelnomocnik,
            expected_version=opened,
            description="Wersja 2",
            responsible=personas.pracownik,
        )
    assert CorrectiveAction.objects.get(pk=action.pk).description == "Wersja 1"


def test_cancel_keeps_the_card_with_its_reason(personas, card_setup):
    card = card_setup["card"]
    with pytest.raises(PermissionDenied):
        card_services.card_cancel(
            card=fresh(card),
            by=personas.wlasciciel,
            expected_version=fresh(card).version,
            reason="x",
        )
    with pytest.raises(ValidationError):
        card_services.card_cancel(
            card=fresh(card),
            by=personas.pelnomocnik,
            expected_version=fresh(card).version,
            reason=" ",
        )
    card_services.card_cancel(
        card=fresh(card),
        by=personas.pelnomocnik,
        expected_version=fresh(card).version,
        reason="Zgłoszona omyłkowo",
    )
    cancelled = fresh(card)
    assert cancelled.status == S.CANCELLED
    assert (
        CorrectiveAction.objects.get(pk=card_setup["action"].pk).status
        == CorrectiveAction.Status.CANCELLED
    )
    with pytest.raises(ValidationError):  # nothing more happens to a cancelled card
        card_services.card_cancel(
            card=cancelled, by=personas.pelnomocnik, expected_version=cancelled.version, reason="x"
        )


def test_access_follows_process_ownership(personas, card_setup):
    card = card_setup["card"]
    process = card.process
    process_services.process_update(
        process=process,
        by=personas.koordynator,
        expected_version=process.version,
        owner=personas.wlasciciel2,
    )
    new_owner = User.objects.get(pk=personas.wlasciciel2.pk)
    old_owner = User.objects.get(pk=personas.wlasciciel.pk)
    assert card in selectors.cards_visible(user=new_owner)
    assert card not in selectors.cards_visible(user=old_owner)
    with pytest.raises(PermissionDenied):
        card_services.card_record_analysis(
            card=fresh(card), by=old_owner, expected_version=fresh(card).version, similar="x"
        )
    card_services.card_record_analysis(
        card=fresh(card),
        by=new_owner,
        expected_version=fresh(card).version,
        similar="Nie występują",
    )


def test_actions_need_future_deadlines_and_open_states(personas, card_setup):
    card = card_setup["card"]
    with pytest.raises(ValidationError):
        action_services.action_add(
            card=fresh(card),
            by=personas.wlasciciel,
            description="x",
            responsible=personas.pracownik,
            deadline=TODAY - datetime.timedelta(days=1),
        )
    card_services.card_cancel(
        card=fresh(card),
        by=personas.koordynator,
        expected_version=fresh(card).version,
        reason="Pomyłka",
    )
    with pytest.raises(PermissionDenied):  # a cancelled card is not worked any more
        action_services.action_add(
            card=fresh(card),
            by=personas.wlasciciel,
            description="x",
            responsible=personas.pracownik,
            deadline=TODAY,
        )
