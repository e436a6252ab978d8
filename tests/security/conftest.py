"""The security suite's world: one object of every kind the URLs take, each tied to the
personas of ``tests/conftest.py`` the way the services tie them (owner, lead auditor,
responsible person, proposer…), plus objects that belong to somebody else for IDOR checks."""

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile

from audits.models import AuditorCandidate, AuditorList, ChecklistItem, Finding
from nonconformities.models import Evidence
from qms.models import Delivery, Notification
from reviews.models import ManagementReview, ReviewDecision
from reviews.services import context as context_svc
from reviews.services import feedback as feedback_svc
from reviews.services import objectives as objectives_svc
from reviews.services import policy as policy_svc
from reviews.services import proposals as proposals_svc
from reviews.services import risks as risks_svc
from tests.conftest import AUDIT_YEAR, Personas
from tests.factories import DocumentFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
OBJECTIVE_YEAR = 2025
CALENDAR_TOKEN = "a" * 43
OTHER_CALENDAR_TOKEN = "b" * 43


@pytest.fixture
def media_root(settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def world(personas: Personas, card_setup: dict, own_process, other_process, media_root) -> dict:
    """Every object a URL of the matrix is built with, keyed by the matrix's ``obj`` names."""
    p = personas
    w: dict[str, Any] = {**card_setup, "own_process": own_process, "other_process": other_process}
    w["document"] = DocumentFactory(process=own_process, code="PG.3.1")
    w["document"].file.save("procedura.pdf", ContentFile(PDF), save=True)
    w["other_document"] = DocumentFactory(process=other_process, code="PG.2.1")
    w["other_document"].file.save("procedura2.pdf", ContentFile(PDF), save=True)
    w["auditor_list"] = AuditorList.objects.get(year=AUDIT_YEAR)
    w["candidate"] = AuditorCandidate.objects.get(auditor_list=w["auditor_list"], person=p.auditor)
    w["checklist_item"] = ChecklistItem.objects.create(
        audit=w["audit"], question="Czy rejestr jest prowadzony?", requirement="7.5.3"
    )
    w["other_finding"] = Finding.objects.create(
        audit=w["other_audit"],
        number=1,
        type=Finding.Type.OBSERVATION,
        process=other_process,
        description="Spostrzeżenie",
        created_by=p.auditor2,
    )
    evidence = Evidence(action=w["action"], uploaded_by=p.pracownik, description="Protokół")
    evidence.file.save("protokol.pdf", ContentFile(PDF), save=True)
    w["evidence"] = evidence
    w["notification"] = Notification.objects.create(recipient=p.wlasciciel, text="Przypomnienie")
    w["other_notification"] = Notification.objects.create(recipient=p.wlasciciel2, text="Inne")
    w["delivery"] = Delivery.objects.create(
        kind="action_overdue",
        record_type="nonconformities.correctiveaction",
        record_id=w["action"].pk,
        record_label="Działanie",
        recipient=p.pracownik,
        occasion="2027-01-01",
        subject="Termin minął",
        body="Termin minął",
        link="/",
        state=Delivery.State.FAILED,
        attempts=3,
        last_error="SMTP down",
    )
    # The feed tokens: ``auditor`` has one (leads the audit), ``auditor2`` another.
    type(p.auditor).objects.filter(pk=p.auditor.pk).update(calendar_token=CALENDAR_TOKEN)
    type(p.auditor2).objects.filter(pk=p.auditor2.pk).update(calendar_token=OTHER_CALENDAR_TOKEN)

    draft = policy_svc.policy_draft_create(
        by=p.pelnomocnik, mission="Misja", declaration="Deklaracja"
    )
    w["policy"] = draft
    w["issue"] = context_svc.context_issue_create(
        by=p.koordynator, kind="external", title="Zmiany prawa", description="", effect=""
    )
    w["party"] = context_svc.interested_party_create(
        by=p.pelnomocnik, name="Mieszkańcy", needs="Szybka obsługa", monitoring="Badania"
    )
    w["proposal"] = proposals_svc.proposal_submit(
        by=p.pracownik, title="SMS z kolejki", description="Powiadomienia SMS"
    )
    w["objective"] = objectives_svc.objective_create(
        by=p.pelnomocnik,
        year=OBJECTIVE_YEAR,
        title="Terminowość — co najmniej 98%",
        measure="Odsetek spraw w terminie",
        indicator="w terminie / wszystkie",
        indicator_unit="%",
        direction="at_least",
        target=Decimal("98"),
        frequency="quarterly",
        owner=p.wlasciciel,
        unit=p.wlasciciel.unit,
        resources="EZD",
        deadline=datetime.date(OBJECTIVE_YEAR, 12, 31),
        evaluation="Co kwartał",
    )
    w["measurement"] = objectives_svc.measurement_enter(
        objective=w["objective"],
        by=p.wlasciciel,
        period_start=datetime.date(OBJECTIVE_YEAR, 1, 1),
        value=Decimal("97.4"),
    )
    w["objective_year"] = OBJECTIVE_YEAR
    w["risk"] = risks_svc.risk_create(
        by=p.koordynator,
        kind="risk",
        title="Przekroczenie terminów",
        owner=p.wlasciciel,
        process=own_process,
        likelihood=3,
        impact=4,
        controls="Monitoring",
        next_review=datetime.date.today() + datetime.timedelta(days=90),
    )
    w["feedback"] = feedback_svc.feedback_create(
        by=p.pelnomocnik,
        kind="complaint",
        reference="WOU-SKA.1510.1.2026",
        received=datetime.date.today() - datetime.timedelta(days=5),
        summary="Skarga na przewlekłość",
        process=own_process,
        outcome="justified",
    )
    w["review"] = ManagementReview.objects.create(
        number="PZ/2026/1",
        meeting_date=datetime.date(2026, 1, 20),
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        status=ManagementReview.Status.DRAFT,
        prepared_by=p.pelnomocnik,
    )
    w["decision"] = ReviewDecision.objects.create(
        review=w["review"],
        type="a",
        description="Skrócić czas obsługi",
        owner=p.wlasciciel,
        deadline=datetime.date(2026, 6, 30),
        status=ReviewDecision.Status.OPEN,
    )
    return w
