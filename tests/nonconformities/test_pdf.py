"""The printable nonconformity card: read back as text, for each persona, with typed markup
that must stay text, and a query count that does not grow with the card's actions."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from nonconformities.models import CorrectiveAction, Nonconformity
from nonconformities.services import actions as action_services
from nonconformities.services import cards as card_services
from tests.conftest import PERSONA_NAMES, Personas, client_for
from tests.factories import UserFactory
from tests.qms.test_pdf import assert_no_trace_of_passwd, pdf_page_texts, pdf_text, squashed

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
ALLOWED = {
    "pelnomocnik",
    "koordynator",
    "prezydent",
    "kierownictwo",
    "wlasciciel",  # owner of the card's process
    "pracownik",  # responsible for its action
    "auditor",  # lead auditor of the audit of its process
}
DENIED = {"auditor2", "wlasciciel2"}
HOSTILE = (
    '<a href="file:///etc/passwd">x</a> <img src="file:///etc/passwd"> '
    '<a rel="attachment" href="file:///etc/passwd">załącznik</a> '
    '<link rel="attachment" href="file:///etc/passwd">'
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Evidence files attached on the way store in the test's own folder, removed with it."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def pdf_url(card: Nonconformity) -> str:
    return reverse("nonconformities:pdf", kwargs={"pk": card.pk})


def get_pdf(client, card: Nonconformity) -> bytes:
    response = client.get(pdf_url(card))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"{card.number.replace('/', '-')}.pdf" in response["Content-Disposition"]
    return response.content


def fresh(card: Nonconformity) -> Nonconformity:
    return Nonconformity.objects.get(pk=card.pk)


@pytest.fixture
def worked_card(personas: Personas, card_setup) -> Nonconformity:
    """``card_setup``'s card taken through the whole loop: 5 × why, a deadline extension, the
    action done with a note and an evidence file, and effectiveness verified by the
    Pełnomocnik."""
    card = card_services.card_record_analysis(
        card=fresh(card_setup["card"]),
        by=personas.wlasciciel,
        expected_version=card_setup["card"].version,
        correction="Uzupełniono rejestr udostępnień za 2026 r.",
        correction_by="Anna Łęcka",
        correction_date=timezone.localdate(),
        root_cause="Brak wzoru rejestru w procedurze — źródło: żółta teczka",
        five_whys=["Dlaczego brak wpisów?", "Bo nie było wzoru", "Bo procedurę pisano w pośpiechu"],
        similar="Możliwe w Wydziale Komunikacji; sprawdzić rejestr pojazdów.",
    )
    action = card_setup["action"]
    action = action_services.action_extend_deadline(
        action=CorrectiveAction.objects.get(pk=action.pk),
        by=personas.wlasciciel,
        expected_version=action.version,
        new_deadline=action.deadline + datetime.timedelta(days=14),
        reason="Urlop osoby odpowiedzialnej",
    )
    card = card_services.card_plan_actions(
        card=card, by=personas.wlasciciel, expected_version=card.version
    )
    action_services.action_complete(
        action=action,
        by=personas.pracownik,
        expected_version=action.version,
        note="Wzór dodany do procedury PG.3.1, wydanie trzecie.",
        files=[SimpleUploadedFile("protokół-wdrożenia.pdf", PDF)],
    )
    card = fresh(card)
    return card_services.card_verify(
        card=card,
        by=personas.pelnomocnik,
        expected_version=card.version,
        effective=True,
        note="Sprawdzono rejestr za I kwartał: kompletny.",
    )


def test_the_card_is_printed_in_the_sections_of_the_form(
    personas: Personas, worked_card: Nonconformity
):
    card = fresh(worked_card)
    pdf = get_pdf(client_for(personas.pelnomocnik), card)

    text = pdf_text(pdf)
    year = timezone.localdate().year
    with translation.override("pl"):
        gettext = translation.gettext
        headings = [
            f"1. {gettext('Identification')}",
            f"2. {gettext('Description of the nonconformity')}",
            f"3. {gettext('Correction')}",
            f"4. {gettext('Root-cause analysis')}",
            f"5. {gettext('Corrective actions')}",
            f"6. {gettext('Effectiveness verification')}",
        ]
        title = gettext("Nonconformity card %(number)s") % {"number": card.number}
        status_marker = gettext("Status: %(status)s") % {"status": card.get_status_display()}
        source = str(Nonconformity.Source.AUDIT_FINDING.label)
        audit_and_finding = gettext("audit %(audit)s, finding %(finding)s") % {
            "audit": "A/2027/01",
            "finding": 1,
        }
        effective = gettext("effective")
        done = str(CorrectiveAction.Status.DONE.label)
        page_one = gettext("Page %(page)s of %(pages)s") % {
            "page": 1,
            "pages": len(pdf_page_texts(pdf)),
        }
    assert card.number == f"KN/{year}/001"
    for expected in [
        title,
        *headings,
        source,
        audit_and_finding,
        "PG.3 Sprawy obywatelskie i ewidencja ludności",
        "WSO",
        "PN-EN ISO 9001:2015 pkt 7.5.3",
        "Brak rejestru udostępnień akt",  # what was found, diacritics intact
        "Rejestr za 2026 r.",
        "Uzupełniono rejestr udostępnień za 2026 r.",
        "Brak wzoru rejestru w procedurze — źródło: żółta teczka",
        "Dlaczego brak wpisów?",
        "Bo procedurę pisano w pośpiechu",
        "Możliwe w Wydziale Komunikacji; sprawdzić rejestr pojazdów.",
        "Dodać wzór rejestru do procedury PG.3.1",  # the action
        str(personas.pracownik),
        "Urlop osoby odpowiedzialnej",  # the extension's reason
        done,
        "Wzór dodany do procedury PG.3.1, wydanie trzecie.",
        "protokół-wdrożenia.pdf",  # the evidence file's name
        "Sprawdzono rejestr za I kwartał: kompletny.",
        effective,
        "Anna Łęcka",  # the process owner, in the signatures
        str(personas.auditor),  # raised by
        str(personas.pelnomocnik),  # verified by
        page_one,
    ]:
        assert squashed(expected) in squashed(text), expected
    # The header of every page names the card and its status.
    for page in pdf_page_texts(pdf):
        assert squashed(title) in squashed(page)
        assert squashed(status_marker) in squashed(page)
    # The sections come in the order of the form.
    positions = [squashed(text).index(squashed(heading)) for heading in headings]
    assert positions == sorted(positions)


def test_a_card_from_a_complaint_shows_its_case_number(personas: Personas, own_process):
    card = card_services.card_raise(
        by=personas.koordynator,
        source=Nonconformity.Source.COMPLAINT,
        process=own_process,
        requirement="Kodeks postępowania administracyjnego, art. 35",
        description="Odpowiedź na skargę po terminie",
        evidence="Skarga z 3 marca",
        grade=Nonconformity.Grade.MAJOR,
        external_reference="WSO-I.1510.12.2026",
    )

    text = pdf_text(get_pdf(client_for(personas.wlasciciel), card))

    with translation.override("pl"):
        complaint = str(Nonconformity.Source.COMPLAINT.label)
        major = str(Nonconformity.Grade.MAJOR.label)
        reported = str(Nonconformity.Status.REPORTED.label)
        no_actions = translation.gettext("No corrective actions have been planned yet.")
    for expected in [
        "WSO-I.1510.12.2026",
        complaint,
        major,
        reported,
        no_actions,
        "Odpowiedź na skargę po terminie",
    ]:
        assert squashed(expected) in squashed(text), expected


def test_markup_typed_into_the_card_stays_text(personas: Personas, card_setup):
    card = card_services.card_raise(
        by=personas.koordynator,
        source=Nonconformity.Source.OWN_DETECTION,
        process=card_setup["card"].process,
        requirement=HOSTILE,
        description=HOSTILE,
        evidence=HOSTILE,
        grade=Nonconformity.Grade.MINOR,
    )
    card = card_services.card_record_analysis(
        card=card,
        by=personas.wlasciciel,
        expected_version=card.version,
        correction=HOSTILE,
        root_cause=HOSTILE,
        five_whys=[HOSTILE],
        similar=HOSTILE,
    )
    action_services.action_add(
        card=card,
        by=personas.wlasciciel,
        description=HOSTILE,
        responsible=personas.pracownik,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )

    pdf = get_pdf(client_for(personas.koordynator), card)

    assert_no_trace_of_passwd(pdf)
    # Shown as the characters that were typed.
    assert '<img src="file:///etc/passwd">' in pdf_text(pdf)


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "auditor2"])
def test_card_pdf_per_persona(personas: Personas, card_setup, persona: str):
    card = card_setup["card"]

    response = client_for(personas[persona]).get(pdf_url(card))

    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in ALLOWED:
        assert response.status_code == 200
        text = pdf_text(response.content)
        assert card.number in text
        assert "Brak wzoru rejestru w procedurze" in text  # the root cause
    else:
        assert persona in DENIED
        assert response.status_code == 403


def test_card_pdf_of_a_missing_card_is_404(personas: Personas, card_setup):
    url = reverse("nonconformities:pdf", kwargs={"pk": card_setup["card"].pk + 1000})

    assert client_for(personas.pelnomocnik).get(url).status_code == 404


def test_card_pdf_answers_only_get(personas: Personas, card_setup):
    response = client_for(personas.pelnomocnik).post(pdf_url(card_setup["card"]))

    assert response.status_code == 405


# --- query count ------------------------------------------------------------------------------


def _queries(client, card: Nonconformity) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(pdf_url(card))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content


def test_query_count_does_not_grow_with_actions(personas: Personas, card_setup):
    card = fresh(card_setup["card"])
    first = card_setup["action"]
    # The one action already has an extension and, once done, evidence: every kind of related
    # row is there at the small size too, so only the numbers grow.
    action_services.action_extend_deadline(
        action=CorrectiveAction.objects.get(pk=first.pk),
        by=personas.wlasciciel,
        expected_version=first.version,
        new_deadline=first.deadline + datetime.timedelta(days=7),
        reason="Przedłużenie próbne 0",
    )
    client = client_for(personas.wlasciciel)
    client.get(pdf_url(card))  # caches that fill once per process are not the page's cost

    small, _pdf = _queries(client, card)
    for number in range(1, 15):
        action = action_services.action_add(
            card=fresh(card),
            by=personas.wlasciciel,
            description=f"Działanie próbne {number}",
            responsible=UserFactory(),
            deadline=timezone.localdate() + datetime.timedelta(days=30),
        )
        action_services.action_extend_deadline(
            action=action,
            by=personas.wlasciciel,
            expected_version=action.version,
            new_deadline=action.deadline + datetime.timedelta(days=7),
            reason=f"Przedłużenie próbne {number}",
        )
    assert card.actions.count() == 15
    large, pdf = _queries(client, card)

    text = pdf_text(pdf)
    assert "Działanie próbne 14" in text
    assert "Przedłużenie próbne 14" in text
    assert small == large


def test_query_count_does_not_grow_with_evidence_files(personas: Personas, card_setup):
    card = card_services.card_plan_actions(
        card=fresh(card_setup["card"]),
        by=personas.wlasciciel,
        expected_version=card_setup["card"].version,
    )
    action = card_setup["action"]
    action_services.action_complete(
        action=action,
        by=personas.pracownik,
        expected_version=action.version,
        note="Wykonane",
        files=[SimpleUploadedFile(f"dowod-{n}.pdf", PDF) for n in range(1, 16)],
    )
    client = client_for(personas.pelnomocnik)
    client.get(pdf_url(card))
    one_file_card = card_services.card_raise(
        by=personas.pelnomocnik,
        source=Nonconformity.Source.OWN_DETECTION,
        process=card.process,
        requirement="pkt 7.5",
        description="Druga karta",
        evidence="Rejestr",
        grade=Nonconformity.Grade.MINOR,
    )
    one_file_card = card_services.card_record_analysis(
        card=one_file_card,
        by=personas.wlasciciel,
        expected_version=one_file_card.version,
        root_cause="Przyczyna",
    )
    other = action_services.action_add(
        card=one_file_card,
        by=personas.wlasciciel,
        description="Jedno działanie",
        responsible=personas.pracownik,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    card_services.card_plan_actions(
        card=one_file_card, by=personas.wlasciciel, expected_version=one_file_card.version
    )
    action_services.action_complete(
        action=other,
        by=personas.pracownik,
        expected_version=other.version,
        note="Wykonane",
        files=[SimpleUploadedFile("jeden.pdf", PDF)],
    )

    small, _pdf = _queries(client, one_file_card)
    large, pdf = _queries(client, card)

    assert "dowod-15.pdf" in pdf_text(pdf)
    assert small == large
