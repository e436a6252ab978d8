"""Card pages for each persona, and the card's whole way through the forms."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from nonconformities.models import CorrectiveAction, Evidence, Nonconformity
from tests.conftest import PERSONA_NAMES, client_for
from tests.factories import appoint_auditors

READERS = {
    "pelnomocnik",
    "koordynator",
    "prezydent",
    "kierownictwo",
    "wlasciciel",
    "pracownik",
    "auditor",
}
MANAGERS = {"pelnomocnik", "koordynator", "wlasciciel"}


def _check(client, url, persona, allowed):
    response = client.get(url)
    if persona == "anonim":
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    elif persona in allowed:
        assert response.status_code == 200, (url, persona)
    else:
        assert response.status_code == 403, (url, persona, response.status_code)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_card_pages_per_persona(personas, card_setup, persona):
    card, action = card_setup["card"], card_setup["action"]
    client = client_for(personas[persona])
    pages = {
        reverse("nonconformities:detail", args=[card.pk]): READERS,
        reverse("nonconformities:analysis", args=[card.pk]): MANAGERS,
        reverse("nonconformities:action_add", args=[card.pk]): MANAGERS,
        reverse("nonconformities:plan", args=[card.pk]): MANAGERS,
        reverse("nonconformities:action_edit", args=[action.pk]): MANAGERS,
        reverse("nonconformities:action_extend", args=[action.pk]): MANAGERS,
        reverse("nonconformities:cancel", args=[card.pk]): {"pelnomocnik", "koordynator"},
        # Wrong state for these (the card is in analysis).
        reverse("nonconformities:edit", args=[card.pk]): set(),
        reverse("nonconformities:verify", args=[card.pk]): set(),
        reverse("nonconformities:action_complete", args=[action.pk]): set(),
    }
    for url, allowed in pages.items():
        _check(client, url, persona, allowed)


@pytest.mark.parametrize("persona", PERSONA_NAMES)
def test_raising_from_a_finding_per_persona(personas, card_setup, persona):
    from audits.models import Finding

    finding = Finding.objects.create(
        audit=card_setup["audit"],
        number=2,
        type="nonconformity",
        grade="major",
        process=card_setup["audit"].processes.get(),
        requirement="r",
        description="d",
        evidence="e",
        created_by=personas.auditor,
    )
    url = reverse("nonconformities:create_from_finding", args=[finding.pk])
    _check(client_for(personas[persona]), url, persona, {"auditor", "pelnomocnik", "koordynator"})


def test_refused_post_changes_nothing(personas, card_setup):
    card = card_setup["card"]
    response = client_for(personas.wlasciciel2).post(
        reverse("nonconformities:analysis", args=[card.pk]),
        {"version": card.version, "root_cause": "Cudza przyczyna"},
    )
    assert response.status_code == 403
    assert Nonconformity.objects.get(pk=card.pk).root_cause != "Cudza przyczyna"


def test_the_whole_way_through_the_forms(personas, audit_setup, settings, tmp_path):
    """Auditor raises a card from a finding, the owner records correction, root cause and two
    actions, responsible persons complete them with evidence, the Pełnomocnik verifies."""
    from audits.models import Audit
    from audits.services import findings as audit_services

    settings.MEDIA_ROOT = tmp_path
    audit = audit_setup["audit"]
    auditor = client_for(personas.auditor)
    auditor.post(
        reverse("audits:transition", args=[audit.pk, "rozpocznij"]), {"version": audit.version}
    )
    audit_services.finding_add(
        audit=Audit.objects.get(pk=audit.pk),
        by=personas.auditor,
        type="nonconformity",
        grade="major",
        process=audit.processes.get(),
        requirement="KPA art. 35",
        description="Sprawy załatwiane po terminie bez zawiadomienia",
        evidence="5 z 20 spraw",
    )
    finding = audit.findings.get()
    page = auditor.get(reverse("audits:detail", args=[audit.pk])).content.decode()
    raise_url = reverse("nonconformities:create_from_finding", args=[finding.pk])
    assert raise_url in page  # the audit page offers raising the card
    response = auditor.post(raise_url, {"grade": "major"})
    card = Nonconformity.objects.get(finding=finding)
    assert response["Location"] == reverse("nonconformities:detail", args=[card.pk])
    assert card.grade == "major" and card.number.startswith("KN/")

    owner = client_for(personas.wlasciciel)
    response = owner.post(
        reverse("nonconformities:analysis", args=[card.pk]),
        {
            "version": card.version,
            "correction": "Wysłano zawiadomienia",
            "correction_by": "Anna Łęcka",
            "correction_date": datetime.date.today().isoformat(),
            "why1": "Brak monitoringu terminów",
            "why2": "EZD nie przypomina",
            "root_cause": "Brak przypomnień o terminach w EZD",
            "similar": "Możliwe w WKM",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    card.refresh_from_db()
    assert card.five_whys == ["Brak monitoringu terminów", "EZD nie przypomina"]
    deadline = (datetime.date.today() + datetime.timedelta(days=20)).isoformat()
    for text, person in [
        ("Włączyć przypomnienia w EZD", personas.pracownik),
        ("Szkolenie z KPA", personas.wlasciciel2),
    ]:
        owner.post(
            reverse("nonconformities:action_add", args=[card.pk]),
            {"description": text, "responsible": person.pk, "deadline": deadline},
        )
    assert card.actions.count() == 2
    card.refresh_from_db()
    owner.post(reverse("nonconformities:plan", args=[card.pk]), {"version": card.version})
    card.refresh_from_db()
    assert card.status == Nonconformity.Status.PLANNED

    for person in (personas.pracownik, personas.wlasciciel2):
        action = card.actions.get(responsible=person)
        response = client_for(person).post(
            reverse("nonconformities:action_complete", args=[action.pk]),
            {
                "version": action.version,
                "note": "Zrobione, protokół w załączniku",
                "files": [
                    SimpleUploadedFile(
                        "protokół.pdf", b"%PDF-1.4 dowod", content_type="application/pdf"
                    )
                ],
            },
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    card.refresh_from_db()
    assert card.status == Nonconformity.Status.VERIFICATION
    assert Evidence.objects.filter(action__card=card).count() == 2

    dashboard = client_for(personas.pelnomocnik).get(reverse("dashboard"))
    assert card in dashboard.context["cards_to_verify"]
    response = client_for(personas.pelnomocnik).post(
        reverse("nonconformities:verify", args=[card.pk]),
        {
            "version": card.version,
            "effective": "1",
            "note": "Kontrola 20 spraw: terminy dotrzymane",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == Nonconformity.Status.CLOSED
    assert card.verified_by == personas.pelnomocnik


def test_implementer_does_not_get_the_verify_form(personas, card_setup):
    card, action = card_setup["card"], card_setup["action"]
    appoint_auditors(datetime.date.today().year, personas.pracownik)
    owner = client_for(personas.wlasciciel)
    owner.post(reverse("nonconformities:plan", args=[card.pk]), {"version": card.version})
    action.refresh_from_db()
    client_for(personas.pracownik).post(
        reverse("nonconformities:action_complete", args=[action.pk]),
        {"version": action.version, "note": "Gotowe"},
    )
    assert Nonconformity.objects.get(pk=card.pk).status == Nonconformity.Status.VERIFICATION
    assert (
        client_for(personas.pracownik)
        .get(reverse("nonconformities:verify", args=[card.pk]))
        .status_code
        == 403
    )
    assert (
        client_for(personas.pelnomocnik)
        .get(reverse("nonconformities:verify", args=[card.pk]))
        .status_code
        == 200
    )
    assert CorrectiveAction.objects.get(pk=action.pk).status == CorrectiveAction.Status.DONE


def test_stale_form_shows_the_conflict(personas, card_setup):
    card = card_setup["card"]
    version = card.version
    client_for(personas.wlasciciel).post(
        reverse("nonconformities:analysis", args=[card.pk]),
        {"version": version, "root_cause": "Pierwsza wersja przyczyny"},
    )
    response = client_for(personas.pelnomocnik).post(
        reverse("nonconformities:analysis", args=[card.pk]),
        {"version": version, "root_cause": "Druga wersja"},
    )
    assert response.status_code == 200
    assert "Pierwsza wersja przyczyny" in response.content.decode()
    assert Nonconformity.objects.get(pk=card.pk).root_cause == "Pierwsza wersja przyczyny"


def test_card_detail_query_count_does_not_grow_with_actions(personas, card_setup):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from nonconformities.services import actions as action_services

    card = card_setup["card"]
    client = client_for(personas.wlasciciel)
    url = reverse("nonconformities:detail", args=[card.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(15):
        action_services.action_add(
            card=Nonconformity.objects.get(pk=card.pk),
            by=personas.wlasciciel,
            description=f"Działanie {i}",
            responsible=personas.pracownik,
            deadline=datetime.date.today() + datetime.timedelta(days=i + 1),
        )
    assert count() == small
