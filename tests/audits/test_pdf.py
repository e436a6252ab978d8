"""The audit programme's PDFs: the audit report and the annual plan, read back as text, for
each persona, with typed markup that must stay text, and query counts that do not grow."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from audits.models import Audit, AuditPlan, Finding
from audits.services import audits as audit_services
from audits.services import findings as finding_services
from audits.services import plans as plan_services
from processes.models import Process
from tests.conftest import AUDIT_YEAR, PERSONA_NAMES, client_for
from tests.factories import PlannedAuditFactory, ProcessFactory, UserFactory
from tests.qms.test_pdf import assert_no_trace_of_passwd, pdf_page_texts, pdf_text, squashed

SIGNED_IN = [name for name in PERSONA_NAMES if name != "anonim"]


def _start(audit: Audit, by) -> Audit:
    audit_services.audit_start(audit=audit, by=by, expected_version=audit.version)
    audit.refresh_from_db()
    return audit


def _add_finding(audit: Audit, by, **fields) -> Finding:
    data = {
        "type": Finding.Type.OBSERVATION,
        "grade": "",
        "process": audit.processes.get(),
        "requirement": "PN-EN ISO 9001:2015 pkt 7.5.3",
        "description": "Rejestr wniosków prowadzony nieregularnie.",
        "evidence": "Rejestr za marzec 2027",
    }
    return finding_services.finding_add(audit=audit, by=by, **{**data, **fields})


def _get_pdf(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    return response.content


# --- the audit report ------------------------------------------------------------------------


def test_report_holds_the_audit_and_its_findings_in_polish(personas, audit_setup):
    audit = _start(audit_setup["audit"], personas.auditor)
    finding_services.checklist_item_save(
        audit=audit,
        by=personas.auditor,
        question="Czy wnioski są rejestrowane w dniu wpływu?",
        requirement="pkt 8.2.2",
        answer="Tak, w systemie EZD.",
    )
    _add_finding(
        audit,
        personas.auditor,
        type=Finding.Type.NONCONFORMITY,
        grade=Finding.Grade.MINOR,
        description="Zażółć gęślą jaźń",
        evidence="Teczka spraw ŹDŹBŁO/2027",
    )
    _add_finding(audit, personas.auditor, type=Finding.Type.GOOD_PRACTICE, description="Wzorowa")
    withdrawn = _add_finding(audit, personas.auditor, description="Pomyłka auditora")
    finding_services.finding_withdraw(
        finding=withdrawn,
        by=personas.auditor,
        expected_version=withdrawn.version,
        reason="Dotyczy innego procesu",
    )
    audit.refresh_from_db()
    audit_services.audit_update(
        audit=audit,
        by=personas.auditor,
        expected_version=audit.version,
        end_date=datetime.date(2027, 3, 20),
        followup="Działania z KN/2026/014 skuteczne.",
        conclusions="Proces skuteczny, jedna niezgodność mała.",
    )

    pdf = _get_pdf(client_for(personas.wlasciciel), reverse("audits:report_pdf", args=[audit.pk]))

    text = pdf_text(pdf)
    with translation.override("pl"):
        # Labels come from the catalogue; the data must appear exactly as typed.
        nonconformity = str(Finding.Type.NONCONFORMITY.label)
        minor = str(Finding.Grade.MINOR.label)
        good_practice = str(Finding.Type.GOOD_PRACTICE.label)
        withdrawn_label = str(Finding._meta.get_field("withdrawn").verbose_name)
        page_one = translation.gettext("Page %(page)s of %(pages)s") % {
            "page": 1,
            "pages": len(pdf_page_texts(pdf)),
        }
    # Typed in wide cells, so they must come back exactly, diacritics and spaces intact.
    assert "Zażółć gęślą jaźń" in text
    assert "PG.3 Sprawy obywatelskie i ewidencja ludności" in text  # the finding's process
    for expected in [
        "A/2027/01",
        "Anna Łęcka",  # the process owner
        str(personas.auditor),
        audit.scope,
        audit.criteria,
        audit.objectives,
        "Czy wnioski są rejestrowane w dniu wpływu?",
        "Tak, w systemie EZD.",
        "Zażółć gęślą jaźń",
        "Teczka spraw ŹDŹBŁO/2027",
        "PN-EN ISO 9001:2015 pkt 7.5.3",
        f"{nonconformity} (",
        minor,
        good_practice,
        "Wzorowa",
        "Działania z KN/2026/014 skuteczne.",
        "Proces skuteczny, jedna niezgodność mała.",
        page_one,
    ]:
        assert squashed(expected) in squashed(text), expected
    # An audit in progress has a draft report, marked so on every page.
    with translation.override("pl"):
        draft = translation.gettext("DRAFT")
    assert all(draft in page for page in pdf_page_texts(pdf))
    # The withdrawn finding is listed apart, marked, with its reason.
    withdrawn_part = text.split("Pomyłka auditora")[0]
    assert "Dotyczy innego procesu" in text
    assert withdrawn_label in text
    assert "Zażółć gęślą jaźń" in withdrawn_part  # the valid findings come first
    assert text.count("Pomyłka auditora") == 1


def test_report_shows_acknowledgement_and_the_wou_evaluation(personas, audit_setup):
    audit = _start(audit_setup["audit"], personas.auditor)
    audit_services.audit_update(
        audit=audit,
        by=personas.auditor,
        expected_version=audit.version,
        end_date=datetime.date(2027, 3, 20),
        conclusions="Bez uwag.",
    )
    audit.refresh_from_db()
    audit_services.audit_submit_report(
        audit=audit, by=personas.auditor, expected_version=audit.version
    )
    audit.refresh_from_db()
    audit_services.audit_acknowledge(
        audit=audit, by=personas.wlasciciel, expected_version=audit.version
    )
    audit.refresh_from_db()
    audit_services.audit_evaluate(
        audit=audit,
        by=personas.koordynator,
        expected_version=audit.version,
        assessment=Audit.Assessment.POSITIVE_WITH_REMARKS,
        comment="Raport rzetelny; dowody opisać dokładniej.",
    )

    pdf = _get_pdf(client_for(personas.koordynator), reverse("audits:report_pdf", args=[audit.pk]))

    text = pdf_text(pdf)
    with translation.override("pl"):
        assessment = str(Audit.Assessment.POSITIVE_WITH_REMARKS.label)
        status = str(Audit.Status.EVALUATED.label)
        draft = translation.gettext("DRAFT")
    assert assessment in text
    assert status in text
    assert "Raport rzetelny; dowody opisać dokładniej." in text
    assert draft not in text  # a submitted report is final
    assert str(personas.koordynator) in text  # evaluated by
    assert text.count("Anna Łęcka") >= 2  # acknowledged by, and in the signature block


def test_markup_typed_into_a_finding_stays_text(personas, audit_setup):
    audit = _start(audit_setup["audit"], personas.auditor)
    hostile = (
        '<a href="file:///etc/passwd">link</a> <img src="file:///etc/passwd"> '
        '<a rel="attachment" href="file:///etc/passwd">załącznik</a> '
        '<link rel="attachment" href="file:///etc/passwd">'
    )
    _add_finding(audit, personas.auditor, description=hostile, evidence=hostile)
    audit_services.audit_update(
        audit=audit, by=personas.auditor, expected_version=audit.version, conclusions=hostile
    )

    pdf = _get_pdf(client_for(personas.auditor), reverse("audits:report_pdf", args=[audit.pk]))

    assert_no_trace_of_passwd(pdf)
    # Shown as the characters the auditor typed.
    assert '<img src="file:///etc/passwd">' in pdf_text(pdf)


REPORT_ALLOWED = {
    "auditor",  # lead auditor of the audit
    "wlasciciel",  # owner of the audited process
    "koordynator",
    "pelnomocnik",
    "prezydent",
    "kierownictwo",
}


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "auditor2"])
def test_report_pdf_per_persona(personas, audit_setup, persona):
    url = reverse("audits:report_pdf", args=[audit_setup["audit"].pk])
    response = client_for(personas[persona]).get(url)
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in REPORT_ALLOWED:
        assert response.status_code == 200
        assert "A/2027/01" in pdf_text(response.content)
    else:
        assert response.status_code == 403


def test_report_pdf_of_a_missing_audit_is_404(personas, audit_setup):
    url = reverse("audits:report_pdf", args=[audit_setup["other_audit"].pk + 1000])
    assert client_for(personas.koordynator).get(url).status_code == 404


@pytest.mark.parametrize("url_name", ["audits:report_pdf", "audits:plan_pdf"])
def test_pdfs_answer_only_get(personas, audit_setup, url_name):
    pk = audit_setup["audit" if url_name == "audits:report_pdf" else "plan"].pk
    response = client_for(personas.koordynator).post(reverse(url_name, args=[pk]))
    assert response.status_code == 405


# --- the annual plan -------------------------------------------------------------------------


def test_approved_plan_is_the_annex_to_the_ordinance(personas, audit_setup):
    plan = audit_setup["plan"]
    plan.ordinance_date = datetime.date(2026, 12, 15)
    plan.save(update_fields=["ordinance_date"])
    audit_setup["entry"].team.set([personas.auditor2])

    pdf = _get_pdf(client_for(personas.pracownik), reverse("audits:plan_pdf", args=[plan.pk]))

    text = pdf_text(pdf)
    with translation.override("pl"):
        may = str(dict(Audit._meta.get_field("planned_month").choices)[5])
        march = str(dict(Audit._meta.get_field("planned_month").choices)[3])
        draft = translation.gettext("DRAFT")
    for expected in [
        "12/2026",  # the ordinance number
        str(AUDIT_YEAR),
        "PG.3 Sprawy obywatelskie i ewidencja ludności",
        "PG.2 Rejestracja pojazdów",
        "WSO",
        "WKM",
        audit_setup["entry"].scope,
        audit_setup["entry"].criteria,
        str(personas.auditor),
        str(personas.auditor2),
        march,
        may,
    ]:
        assert squashed(expected) in squashed(text), expected
    assert draft not in text
    # Ordered by month: the March entry before the May one.
    assert squashed(text).index("PG.3Sprawy") < squashed(text).index("PG.2Rejestracja")


def test_draft_plan_is_marked_and_hidden_from_employees(personas, audit_setup):
    draft = AuditPlan.objects.create(
        year=AUDIT_YEAR + 1, prepared_by=personas.koordynator, status=AuditPlan.Status.DRAFT
    )
    PlannedAuditFactory(plan=draft, processes=[Process.objects.get(code="PG.3")], scope="Wnioski")
    url = reverse("audits:plan_pdf", args=[draft.pk])

    assert client_for(personas.pracownik).get(url).status_code == 404
    pages = pdf_page_texts(_get_pdf(client_for(personas.koordynator), url))

    with translation.override("pl"):
        marker = translation.gettext("DRAFT")
    assert all(marker in page for page in pages)


def test_revision_shows_the_reason_for_the_change(personas, audit_setup):
    revision = plan_services.audit_plan_revise(
        plan=audit_setup["plan"], by=personas.koordynator, reason="Zmiana terminu auditu PG.2"
    )
    url = reverse("audits:plan_pdf", args=[revision.pk])
    text = pdf_text(_get_pdf(client_for(personas.pelnomocnik), url))
    assert "Zmiana terminu auditu PG.2" in text
    assert squashed("PG.3 Sprawy obywatelskie i ewidencja ludności") in squashed(text)


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "auditor2"])
def test_approved_plan_pdf_per_persona(personas, audit_setup, persona):
    url = reverse("audits:plan_pdf", args=[audit_setup["plan"].pk])
    response = client_for(personas[persona]).get(url)
    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == 200
        assert "12/2026" in pdf_text(response.content)


# --- query counts ----------------------------------------------------------------------------


def _queries(client, url: str) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def test_report_pdf_query_count_does_not_grow_with_findings(personas, audit_setup):
    audit = _start(audit_setup["audit"], personas.auditor)
    audit.team.set([personas.auditor2])
    finding_services.checklist_item_save(audit=audit, by=personas.auditor, question="Pytanie 1")
    for number in range(1, 3):
        _add_finding(audit, personas.auditor, description=f"Ustalenie próbne {number}")
    client = client_for(personas.koordynator)
    url = reverse("audits:report_pdf", args=[audit.pk])
    client.get(url)  # caches that fill once per process are not the page's cost

    small, _pdf = _queries(client, url)
    for number in range(3, 21):
        _add_finding(audit, personas.auditor, description=f"Ustalenie próbne {number}")
        finding_services.checklist_item_save(
            audit=audit, by=personas.auditor, question=f"Pytanie {number}"
        )
    large, pdf = _queries(client, url)

    assert "Ustalenie próbne 20" in pdf_text(pdf)
    assert small == large


def test_plan_pdf_query_count_does_not_grow_with_entries(personas, audit_setup):
    plan = audit_setup["plan"]
    client = client_for(personas.pracownik)
    url = reverse("audits:plan_pdf", args=[plan.pk])
    client.get(url)

    small, _pdf = _queries(client, url)
    for number in range(18):
        process = ProcessFactory(name=f"Proces próbny {number}")
        entry = PlannedAuditFactory(
            plan=plan,
            processes=[process],
            lead_auditor=personas.auditor,
            planned_month=number % 12 + 1,
            scope=f"Zakres próbny {number}",
        )
        entry.team.set([UserFactory(), UserFactory()])
    large, pdf = _queries(client, url)

    assert "Zakres próbny 17" in pdf_text(pdf)
    assert small == large
