"""The audit programme's guarded services: every transition allowed and refused (wrong role,
wrong state, wrong year), the appointment and impartiality rules, and plan revisions."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from audits.models import Audit, AuditorList, AuditPlan, Finding
from audits.selectors import appointments as appointment_selectors
from audits.selectors import plans as plan_selectors
from audits.services import appointments as appointment_services
from audits.services import audits as audit_services
from audits.services import findings as finding_services
from audits.services import plans as plan_services
from tests.conftest import AUDIT_YEAR
from tests.factories import ProcessFactory, UserFactory, appoint_auditors

TODAY = datetime.date(2026, 11, 27)


# --- auditor appointments -------------------------------------------------------------------


def test_candidate_list_from_draft_to_appointment(personas):
    auditor_list = appointment_services.auditor_list_create(
        year=AUDIT_YEAR, by=personas.koordynator
    )
    appointment_services.auditor_candidate_add(
        auditor_list=auditor_list,
        person=personas.auditor,
        by=personas.koordynator,
        qualification="Szkolenie ISO 9001 (Polskie Centrum Badań i Certyfikacji)",
        certificate_date=datetime.date(2025, 4, 3),
    )
    assert not appointment_selectors.is_appointed_auditor(personas.auditor, AUDIT_YEAR)
    auditor_list = appointment_services.auditor_list_submit(
        auditor_list=auditor_list, by=personas.koordynator, expected_version=auditor_list.version
    )
    with pytest.raises(PermissionDenied):  # only the Prezydent appoints
        appointment_services.auditor_list_appoint(
            auditor_list=auditor_list,
            by=personas.pelnomocnik,
            expected_version=auditor_list.version,
            ordinance_number="1/2026",
            ordinance_date=TODAY,
        )
    with pytest.raises(ValidationError):  # an ordinance needs its number
        appointment_services.auditor_list_appoint(
            auditor_list=auditor_list,
            by=personas.prezydent,
            expected_version=auditor_list.version,
            ordinance_number=" ",
            ordinance_date=TODAY,
        )
    auditor_list = appointment_services.auditor_list_appoint(
        auditor_list=auditor_list,
        by=personas.prezydent,
        expected_version=auditor_list.version,
        ordinance_number="412/2026",
        ordinance_date=TODAY,
    )
    assert auditor_list.status == AuditorList.Status.APPOINTED
    assert auditor_list.appointed_by == personas.prezydent
    assert auditor_list.history.first().history_user == personas.prezydent
    assert appointment_selectors.is_appointed_auditor(personas.auditor, AUDIT_YEAR)
    assert not appointment_selectors.is_appointed_auditor(personas.auditor, AUDIT_YEAR + 1)
    # An appointed list is closed for changes.
    with pytest.raises(ValidationError):
        appointment_services.auditor_candidate_add(
            auditor_list=auditor_list,
            person=personas.auditor2,
            by=personas.koordynator,
            qualification="x",
            certificate_date=TODAY,
        )


@pytest.mark.parametrize("name", ["pracownik", "auditor", "wlasciciel", "prezydent", "pelnomocnik"])
def test_only_koordynator_prepares_candidate_lists(personas, name):
    with pytest.raises(PermissionDenied):
        appointment_services.auditor_list_create(year=AUDIT_YEAR, by=personas[name])
    assert not AuditorList.objects.exists()


def test_carry_over_needs_every_candidate_reviewed_again(personas):
    appoint_auditors(AUDIT_YEAR - 1, personas.auditor, personas.auditor2)
    new_list = appointment_services.auditor_list_carry_over(
        year=AUDIT_YEAR, by=personas.koordynator
    )
    candidates = list(new_list.candidates.all())
    assert {c.person for c in candidates} == {personas.auditor, personas.auditor2}
    assert not any(c.reviewed for c in candidates)
    with pytest.raises(ValidationError) as exc:
        appointment_services.auditor_list_submit(
            auditor_list=new_list, by=personas.koordynator, expected_version=new_list.version
        )
    assert str(personas.auditor) in exc.value.messages[0]  # names who is still to review
    for candidate in candidates:
        appointment_services.auditor_candidate_update(
            candidate=candidate,
            by=personas.koordynator,
            expected_version=candidate.version,
            certificate_date=datetime.date(2026, 2, 1),
        )
    new_list.refresh_from_db()
    submitted = appointment_services.auditor_list_submit(
        auditor_list=new_list, by=personas.koordynator, expected_version=new_list.version
    )
    assert submitted.status == AuditorList.Status.SUBMITTED
    with pytest.raises(ValidationError):  # a list for that year exists now
        appointment_services.auditor_list_carry_over(year=AUDIT_YEAR, by=personas.koordynator)


def test_mayor_returns_a_list_with_a_comment(personas):
    auditor_list = appoint_auditors(AUDIT_YEAR, personas.auditor)
    auditor_list.status = AuditorList.Status.SUBMITTED
    auditor_list.save()
    with pytest.raises(ValidationError):
        appointment_services.auditor_list_return(
            auditor_list=auditor_list,
            by=personas.prezydent,
            expected_version=auditor_list.version,
            comment="",
        )
    returned = appointment_services.auditor_list_return(
        auditor_list=auditor_list,
        by=personas.prezydent,
        expected_version=auditor_list.version,
        comment="Brak aktualnego certyfikatu",
    )
    assert returned.status == AuditorList.Status.DRAFT
    assert returned.return_comment == "Brak aktualnego certyfikatu"


# --- the plan -------------------------------------------------------------------------------


@pytest.fixture
def draft_plan(personas):
    appoint_auditors(AUDIT_YEAR, personas.auditor, personas.auditor2)
    return plan_services.audit_plan_create(year=AUDIT_YEAR, by=personas.koordynator)


def _entry(plan, by, processes, lead, team=(), month=4):
    return plan_services.planned_audit_save(
        plan=plan,
        by=by,
        processes=processes,
        units=[],
        scope="Wydawanie dowodów osobistych",
        criteria="PN-EN ISO 9001:2015 pkt 8.5",
        planned_month=month,
        lead_auditor=lead,
        team=list(team),
    )


def test_team_member_must_be_appointed_for_that_year(personas, draft_plan, own_process):
    stranger = UserFactory(username="niepowolany", unit=personas.auditor.unit)
    with pytest.raises(ValidationError) as exc:
        _entry(draft_plan, personas.koordynator, [own_process], personas.auditor, [stranger])
    assert "team" in exc.value.message_dict
    # Appointed for another year only: still refused.
    appoint_auditors(AUDIT_YEAR + 1, stranger)
    with pytest.raises(ValidationError):
        _entry(draft_plan, personas.koordynator, [own_process], stranger)
    assert not draft_plan.entries.exists()


def test_auditor_cannot_audit_a_process_of_their_own_unit(personas, draft_plan):
    own_unit_process = ProcessFactory(
        code="PW.2", owner_unit=personas.auditor.unit, owner=personas.wlasciciel2
    )
    with pytest.raises(ValidationError) as exc:
        _entry(draft_plan, personas.koordynator, [own_unit_process], personas.auditor)
    message = " ".join(exc.value.message_dict["lead_auditor"])
    assert personas.auditor.unit.code in message
    assert "PW.2" in message
    entry = _entry(draft_plan, personas.koordynator, [own_unit_process], personas.auditor2)
    assert entry.lead_auditor == personas.auditor2


def test_plan_submit_approve_and_roles(personas, draft_plan, own_process):
    with pytest.raises(ValidationError):  # an empty plan is not submitted
        plan_services.audit_plan_submit(
            plan=draft_plan, by=personas.koordynator, expected_version=draft_plan.version
        )
    _entry(draft_plan, personas.koordynator, [own_process], personas.auditor, [personas.auditor2])
    with pytest.raises(PermissionDenied):
        plan_services.audit_plan_submit(
            plan=draft_plan, by=personas.pelnomocnik, expected_version=draft_plan.version
        )
    plan = plan_services.audit_plan_submit(
        plan=draft_plan, by=personas.koordynator, expected_version=draft_plan.version
    )
    with pytest.raises(ValidationError):  # a submitted plan is not edited
        _entry(plan, personas.koordynator, [own_process], personas.auditor2)
    for name in ("koordynator", "pelnomocnik", "kierownictwo"):
        with pytest.raises(PermissionDenied):
            plan_services.audit_plan_approve(
                plan=plan,
                by=personas[name],
                expected_version=plan.version,
                ordinance_number="1/2026",
                ordinance_date=TODAY,
            )
    plan = plan_services.audit_plan_approve(
        plan=plan,
        by=personas.prezydent,
        expected_version=plan.version,
        ordinance_number="512/2026",
        ordinance_date=TODAY,
    )
    assert plan.status == AuditPlan.Status.APPROVED
    assert plan.approved_by == personas.prezydent
    with pytest.raises(ValidationError):  # approving twice
        plan_services.audit_plan_approve(
            plan=plan,
            by=personas.prezydent,
            expected_version=plan.version,
            ordinance_number="513/2026",
            ordinance_date=TODAY,
        )


def test_a_plan_with_an_unappointed_lead_cannot_be_submitted(personas, draft_plan, own_process):
    entry = _entry(draft_plan, personas.koordynator, [own_process], None)
    with pytest.raises(ValidationError, match=own_process.code):
        plan_services.audit_plan_submit(
            plan=draft_plan, by=personas.koordynator, expected_version=draft_plan.version
        )
    assert entry.lead_auditor is None


def _approved(personas, plan):
    plan = plan_services.audit_plan_submit(
        plan=plan, by=personas.koordynator, expected_version=plan.version
    )
    return plan_services.audit_plan_approve(
        plan=plan,
        by=personas.prezydent,
        expected_version=plan.version,
        ordinance_number="512/2026",
        ordinance_date=TODAY,
    )


def test_revision_after_approval_leaves_the_approved_revision_unchanged(
    personas, draft_plan, own_process, other_process
):
    first_entry = _entry(draft_plan, personas.koordynator, [own_process], personas.auditor)
    approved = _approved(personas, draft_plan)
    with pytest.raises(ValidationError):  # no silent edit of an approved plan
        _entry(approved, personas.koordynator, [other_process], personas.auditor2)
    with pytest.raises(ValidationError):  # a revision needs its reason
        plan_services.audit_plan_revise(plan=approved, by=personas.koordynator, reason="")
    revision = plan_services.audit_plan_revise(
        plan=approved, by=personas.koordynator, reason="Dodatkowy audit po skardze"
    )
    assert (revision.revision, revision.status) == (2, AuditPlan.Status.DRAFT)
    copied = revision.entries.get()
    assert copied.entry_key == first_entry.entry_key
    plan_services.planned_audit_save(
        plan=revision,
        by=personas.koordynator,
        entry=copied,
        expected_version=copied.version,
        processes=[own_process],
        units=[],
        scope=copied.scope,
        criteria=copied.criteria,
        planned_month=9,
        lead_auditor=personas.auditor,
        team=[],
    )
    _entry(revision, personas.koordynator, [other_process], personas.auditor2, month=10)
    # The approved revision is untouched while the new one is being prepared...
    approved.refresh_from_db()
    assert approved.status == AuditPlan.Status.APPROVED
    original = approved.entries.get()
    assert (original.planned_month, original.version) == (4, first_entry.version)
    diff = plan_selectors.plan_diff(approved, revision)
    assert [e.processes.get() for e in diff["added"]] == [other_process]
    assert diff["removed"] == []
    assert [c["entry"].entry_key for c in diff["changed"]] == [first_entry.entry_key]
    # ...and once the new one is approved, the old one is superseded, still readable.
    _approved(personas, revision)
    approved.refresh_from_db()
    assert approved.status == AuditPlan.Status.SUPERSEDED
    assert plan_selectors.approved_plan(AUDIT_YEAR).pk == revision.pk
    assert approved in plan_selectors.plans_visible(user=personas.pracownik)


def test_draft_plans_are_hidden_from_employees(personas, draft_plan):
    assert draft_plan not in plan_selectors.plans_visible(user=personas.pracownik)
    assert draft_plan in plan_selectors.plans_visible(user=personas.prezydent)


# --- audits ---------------------------------------------------------------------------------


@pytest.fixture
def audit(personas, draft_plan, own_process):
    _entry(draft_plan, personas.koordynator, [own_process], personas.auditor, [personas.auditor2])
    plan = _approved(personas, draft_plan)
    [audit] = audit_services.audits_create_from_plan(plan=plan, by=personas.koordynator)
    return audit


def test_audits_are_created_once_per_entry_with_numbers(personas, audit, own_process):
    assert audit.number == f"A/{AUDIT_YEAR}/01"
    assert list(audit.processes.all()) == [own_process]
    assert set(audit.team.all()) == {personas.auditor2}
    plan = audit.planned_entry.plan
    assert audit_services.audits_create_from_plan(plan=plan, by=personas.koordynator) == []
    with pytest.raises(PermissionDenied):
        audit_services.audits_create_from_plan(plan=plan, by=personas.auditor)


def _finding(audit, by, **fields):
    data = {
        "type": Finding.Type.NONCONFORMITY,
        "grade": Finding.Grade.MINOR,
        "process": audit.processes.get(),
        "requirement": "ISO 9001 pkt 7.5.3",
        "description": "Brak rejestru udostępnień akt",
        "evidence": "Rejestr za 2026 r.",
    }
    data.update(fields)
    return finding_services.finding_add(audit=audit, by=by, **data)


def test_the_audit_lifecycle_with_each_step_refused_to_the_wrong_person(personas, audit):
    def fresh():
        return Audit.objects.get(pk=audit.pk)

    with pytest.raises(PermissionDenied):  # only the lead auditor starts
        audit_services.audit_start(
            audit=fresh(), by=personas.auditor2, expected_version=fresh().version
        )
    audit_services.audit_start(audit=fresh(), by=personas.auditor, expected_version=fresh().version)
    assert fresh().status == Audit.Status.IN_PROGRESS
    with pytest.raises(ValidationError):  # not twice
        audit_services.audit_start(
            audit=fresh(), by=personas.auditor, expected_version=fresh().version
        )

    # Team members file findings; other auditors do not.
    _finding(fresh(), personas.auditor2)
    _finding(fresh(), personas.auditor, type=Finding.Type.OBSERVATION, grade="")
    _finding(fresh(), personas.auditor, type=Finding.Type.GOOD_PRACTICE, grade="major")
    with pytest.raises(PermissionDenied):
        _finding(fresh(), personas.wlasciciel)
    with pytest.raises(ValidationError):  # a nonconformity needs its grade
        _finding(fresh(), personas.auditor, grade="")
    numbers = list(fresh().findings.values_list("number", "type", "grade"))
    assert numbers == [
        (1, "nonconformity", "minor"),
        (2, "observation", ""),
        (3, "good_practice", ""),
    ]

    with pytest.raises(ValidationError):  # dates and conclusions first
        audit_services.audit_submit_report(
            audit=fresh(), by=personas.auditor, expected_version=fresh().version
        )
    audit_services.audit_update(
        audit=fresh(),
        by=personas.auditor,
        expected_version=fresh().version,
        end_date=fresh().start_date,
        conclusions="Proces skuteczny z jedną niezgodnością.",
    )
    with pytest.raises(PermissionDenied):
        audit_services.audit_submit_report(
            audit=fresh(), by=personas.auditor2, expected_version=fresh().version
        )
    audit_services.audit_submit_report(
        audit=fresh(), by=personas.auditor, expected_version=fresh().version
    )
    # Frozen for the auditors now.
    with pytest.raises(PermissionDenied):
        _finding(fresh(), personas.auditor)
    with pytest.raises(PermissionDenied):
        audit_services.audit_update(
            audit=fresh(), by=personas.auditor, expected_version=fresh().version, conclusions="x"
        )

    for name in ("auditor", "wlasciciel2", "koordynator"):
        with pytest.raises(PermissionDenied):
            audit_services.audit_acknowledge(
                audit=fresh(), by=personas[name], expected_version=fresh().version
            )
    audit_services.audit_acknowledge(
        audit=fresh(), by=personas.wlasciciel, expected_version=fresh().version
    )

    with pytest.raises(PermissionDenied):
        audit_services.audit_evaluate(
            audit=fresh(),
            by=personas.pelnomocnik,
            expected_version=fresh().version,
            assessment="positive",
            comment="",
        )
    with pytest.raises(ValidationError):  # a reserved assessment is explained
        audit_services.audit_evaluate(
            audit=fresh(),
            by=personas.koordynator,
            expected_version=fresh().version,
            assessment="remarks",
            comment=" ",
        )
    with pytest.raises(PermissionDenied):  # closing comes after the evaluation...
        audit_services.audit_close(
            audit=fresh(), by=personas.pracownik, expected_version=fresh().version
        )
    with pytest.raises(ValidationError):
        audit_services.audit_close(
            audit=fresh(), by=personas.pelnomocnik, expected_version=fresh().version
        )
    audit_services.audit_evaluate(
        audit=fresh(),
        by=personas.koordynator,
        expected_version=fresh().version,
        assessment="remarks",
        comment="Uzupełnić dowody do ustalenia 2.",
    )
    audit_services.audit_close(
        audit=fresh(), by=personas.pelnomocnik, expected_version=fresh().version
    )
    final = fresh()
    assert final.status == Audit.Status.CLOSED
    assert (final.acknowledged_by, final.evaluated_by) == (
        personas.wlasciciel,
        personas.koordynator,
    )
    users = [h.history_user for h in final.history.order_by("history_date")]
    assert users[-1] == personas.pelnomocnik
    assert personas.wlasciciel in users and personas.auditor in users


def test_a_stale_transition_is_refused(personas, audit):
    stale_version = audit.version
    audit_services.audit_update(
        audit=audit, by=personas.auditor, expected_version=stale_version, evidence="A"
    )
    with pytest.raises(ValidationError):
        audit_services.audit_start(audit=audit, by=personas.auditor, expected_version=stale_version)
    assert Audit.objects.get(pk=audit.pk).status == Audit.Status.PLANNED


def test_checklist_copied_from_the_previous_audit_with_answers_reset(personas, audit, own_process):
    finding_services.checklist_item_save(
        audit=audit,
        by=personas.auditor,
        question="Czy rejestr wniosków jest prowadzony?",
        requirement="8.5.2",
        answer="Tak, w EZD",
    )
    audit_services.audit_start(audit=audit, by=personas.auditor, expected_version=audit.version)
    # Next year's audit of the same process.
    appoint_auditors(AUDIT_YEAR + 1, personas.auditor, personas.auditor2)
    plan = plan_services.audit_plan_create(year=AUDIT_YEAR + 1, by=personas.koordynator)
    _entry(plan, personas.koordynator, [own_process], personas.auditor2)
    plan = _approved(personas, plan)
    [later] = audit_services.audits_create_from_plan(plan=plan, by=personas.koordynator)
    with pytest.raises(PermissionDenied):  # not on this audit
        finding_services.checklist_copy_from_previous(audit=later, by=personas.auditor)
    assert finding_services.checklist_copy_from_previous(audit=later, by=personas.auditor2) == 1
    item = later.checklist.get()
    assert (item.question, item.requirement, item.answer) == (
        "Czy rejestr wniosków jest prowadzony?",
        "8.5.2",
        "",
    )


def test_finding_withdrawn_with_a_reason_stays_on_record(personas, audit):
    finding = _finding(audit, personas.auditor)
    with pytest.raises(ValidationError):
        finding_services.finding_withdraw(
            finding=finding, by=personas.auditor, expected_version=finding.version, reason=""
        )
    finding_services.finding_withdraw(
        finding=finding, by=personas.auditor, expected_version=finding.version, reason="Pomyłka"
    )
    finding.refresh_from_db()
    assert finding.withdrawn and finding.withdrawal_reason == "Pomyłka"


def test_finding_process_must_be_audited(personas, audit, other_process):
    with pytest.raises(ValidationError) as exc:
        _finding(audit, personas.auditor, process=other_process)
    assert "process" in exc.value.message_dict
