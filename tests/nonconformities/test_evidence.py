"""Evidence files of corrective actions: attached when the responsible person records the
action as done, checked before anything is stored, kept under MEDIA_ROOT, and downloaded only
by people who may read the card."""

import re
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from nonconformities.models import CorrectiveAction, Evidence, Nonconformity
from nonconformities.services import actions as action_services
from nonconformities.services import cards as card_services
from qms.services import ConcurrentEditError
from tests.conftest import PERSONA_NAMES, Personas, client_for

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
STORED_NAME = re.compile(r"^documents/[0-9a-f]{32}/[^/]+$")
# Whoever may read the card: keepers, top management, the process owner, the person responsible
# for its action and the lead auditor of the audit of its process.
ALLOWED = {
    "pelnomocnik",
    "koordynator",
    "prezydent",
    "kierownictwo",
    "wlasciciel",
    "pracownik",
    "auditor",
}
DENIED = {"auditor2", "wlasciciel2"}


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Every test stores its files in its own folder, removed with it."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def upload(name: str = "protokol.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def downloaded(response: HttpResponse) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


@pytest.fixture
def planned(personas: Personas, card_setup) -> dict:
    """``card_setup`` with its actions planned by the process owner: the responsible person
    (``pracownik``) may now start and complete the action."""
    card = card_services.card_plan_actions(
        card=card_setup["card"], by=personas.wlasciciel, expected_version=card_setup["card"].version
    )
    assert card.status == Nonconformity.Status.PLANNED
    return {**card_setup, "card": card}


def complete(personas: Personas, action: CorrectiveAction, files, **kwargs) -> CorrectiveAction:
    return action_services.action_complete(
        action=action,
        by=personas.pracownik,
        expected_version=kwargs.pop("expected_version", action.version),
        note=kwargs.pop("note", "Wzór rejestru dodany do procedury PG.3.1, wydanie trzecie."),
        files=files,
        **kwargs,
    )


@pytest.fixture
def stored_evidence(personas: Personas, planned: dict) -> Evidence:
    complete(personas, planned["action"], [upload("Protokół — wdrożenie.pdf")])
    return Evidence.objects.get()


def evidence_url(evidence: Evidence) -> str:
    return reverse("nonconformities:evidence", kwargs={"pk": evidence.pk})


def assert_nothing_stored(planned: dict, media_root: Path) -> None:
    """No row, no file, and the action and its card exactly as before the attempt."""
    assert not Evidence.objects.exists()
    assert stored_files(media_root) == []
    action = CorrectiveAction.objects.get(pk=planned["action"].pk)
    assert action.is_open
    assert action.status == CorrectiveAction.Status.PLANNED
    assert action.version == planned["action"].version
    assert action.completion_note == ""
    assert action.completed_by is None
    card = Nonconformity.objects.get(pk=planned["card"].pk)
    assert card.status == Nonconformity.Status.PLANNED
    assert card.version == planned["card"].version


# --- storing --------------------------------------------------------------------------------


def test_a_valid_pdf_is_stored_under_media_root_with_the_completed_action(
    personas: Personas, planned: dict, media_root: Path
):
    action = action_services.action_start(
        action=planned["action"], by=personas.pracownik, expected_version=planned["action"].version
    )
    card = Nonconformity.objects.get(pk=planned["card"].pk)
    assert card.status == Nonconformity.Status.IN_PROGRESS

    complete(personas, action, [upload("Protokół wdrożenia.pdf"), upload("załącznik.pdf")])

    first, second = Evidence.objects.order_by("pk")
    for evidence in (first, second):
        assert STORED_NAME.match(evidence.file.name)
        assert evidence.uploaded_by == personas.pracownik
        assert evidence.action_id == action.pk
        path = Path(evidence.file.path).resolve()
        assert path.is_relative_to(media_root.resolve())
        assert path.read_bytes() == PDF
    assert first.file.name.endswith("/Protokół_wdrożenia.pdf")
    assert second.file.name.endswith("/załącznik.pdf")
    assert len(stored_files(media_root)) == 2
    assert first.history.get().history_user == personas.pracownik
    action.refresh_from_db()
    assert action.status == CorrectiveAction.Status.DONE
    assert action.completed_by == personas.pracownik
    # The round's only action is done: the card waits for effectiveness verification.
    assert Nonconformity.objects.get(pk=card.pk).status == Nonconformity.Status.VERIFICATION


# --- refused files: nothing stored, nothing changed -----------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        pytest.param("program.exe", b"MZ\x90\x00\x03\x00\x00\x00", id="exe"),
        pytest.param("strona.html", b"<html><script>alert(1)</script></html>", id="html"),
        pytest.param(
            "rysunek.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
            id="svg",
        ),
        pytest.param("protokol.pdf", b"MZ\x90\x00 an executable renamed", id="pdf-not-pdf"),
        pytest.param("protokol.pdf", b"<html>%PDF-1.4</html>", id="pdf-magic-not-first"),
        pytest.param("zdjecie.png", PDF, id="png-not-png"),
        pytest.param("notatka.txt", b"tekst\x00binarny", id="txt-binary"),
        pytest.param("protokol.pdf.exe", PDF, id="double-extension"),
        pytest.param("protokol", PDF, id="no-extension"),
    ],
)
def test_a_forbidden_file_is_refused_and_nothing_is_stored(
    personas: Personas, planned: dict, media_root: Path, name: str, content: bytes
):
    with pytest.raises(ValidationError) as refused:
        complete(personas, planned["action"], [upload(name, content)])

    assert refused.value.message_dict["file"]
    assert_nothing_stored(planned, media_root)


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    settings, personas: Personas, planned: dict, media_root: Path
):
    settings.UPLOAD_MAX_BYTES = 1024

    with pytest.raises(ValidationError) as refused:
        complete(personas, planned["action"], [upload(content=PDF + b"0" * 1024)])

    [error] = refused.value.message_dict["file"]
    assert filesizeformat(1024) in error
    assert_nothing_stored(planned, media_root)


def test_a_file_at_the_limit_is_accepted(
    settings, personas: Personas, planned: dict, media_root: Path
):
    settings.UPLOAD_MAX_BYTES = 1024
    content = PDF + b"0" * (1024 - len(PDF))

    complete(personas, planned["action"], [upload(content=content)])

    assert Path(Evidence.objects.get().file.path).read_bytes() == content


def test_one_bad_file_among_good_ones_stores_none_of_them(
    personas: Personas, planned: dict, media_root: Path
):
    files = [upload("dobry-1.pdf"), upload("wirus.pdf", b"MZ\x90\x00"), upload("dobry-2.pdf")]

    with pytest.raises(ValidationError):
        complete(personas, planned["action"], files)

    assert_nothing_stored(planned, media_root)


def test_a_failure_after_the_files_were_taken_rolls_back_every_row(
    personas: Personas, planned: dict, media_root: Path
):
    """The service is one transaction: when the action's save is refused (someone changed the
    action meanwhile) after the evidence rows were written, none of them remains."""
    action = planned["action"]
    stale = action.version
    action_services.action_update(
        action=CorrectiveAction.objects.get(pk=action.pk),
        by=personas.wlasciciel,
        expected_version=stale,
        description="Dodać wzór rejestru i przeszkolić pracowników",
        responsible=personas.pracownik,
    )

    with pytest.raises(ConcurrentEditError):
        complete(personas, action, [upload()], expected_version=stale)

    assert not Evidence.objects.exists()
    current = CorrectiveAction.objects.get(pk=action.pk)
    assert current.status == CorrectiveAction.Status.PLANNED
    assert current.version == stale + 1
    assert current.completed_by is None
    assert Nonconformity.objects.get(pk=planned["card"].pk).status == Nonconformity.Status.PLANNED


def test_a_failure_after_the_files_were_taken_leaves_no_file(
    personas: Personas, planned: dict, media_root: Path
):
    action = planned["action"]
    stale = action.version
    action_services.action_update(
        action=CorrectiveAction.objects.get(pk=action.pk),
        by=personas.wlasciciel,
        expected_version=stale,
        description="Dodać wzór rejestru i przeszkolić pracowników",
        responsible=personas.pracownik,
    )

    with pytest.raises(ConcurrentEditError):
        complete(personas, action, [upload()], expected_version=stale)

    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "file_name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\system32\\passwd.pdf",
        "/etc/passwd.pdf",
        "proto\x07kol\x1b[31m.pdf",
        "\u202efdp.exe.pdf",
        "a" * 400 + ".pdf",
        "<script>alert(1)</script>.pdf",
    ],
)
def test_a_hostile_file_name_never_leaves_its_folder_inside_media_root(
    personas: Personas, planned: dict, media_root: Path, file_name: str
):
    complete(personas, planned["action"], [upload(file_name)])

    evidence = Evidence.objects.get()
    assert STORED_NAME.match(evidence.file.name)
    stored = evidence.file.name.rsplit("/", 1)[1]
    assert re.fullmatch(r"[-\w.]{1,111}", stored)
    assert stored.endswith(".pdf")
    assert ".." not in stored
    [path] = stored_files(media_root)
    assert path.resolve() == Path(evidence.file.path).resolve()
    assert path.resolve().is_relative_to((media_root / "documents").resolve())


def test_only_the_responsible_person_attaches_evidence(
    personas: Personas, planned: dict, media_root: Path
):
    with pytest.raises(PermissionDenied):
        action_services.action_complete(
            action=planned["action"],
            by=personas.wlasciciel,
            expected_version=planned["action"].version,
            note="Wykonane",
            files=[upload()],
        )

    assert_nothing_stored(planned, media_root)


# --- downloading ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [*PERSONA_NAMES, "auditor2"])
def test_evidence_download_per_persona(personas: Personas, stored_evidence: Evidence, persona):
    response = client_for(personas[persona]).get(evidence_url(stored_evidence))

    if persona == "anonim":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif persona in ALLOWED:
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert "Protok" in response["Content-Disposition"]
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert downloaded(response) == PDF
    else:
        assert persona in DENIED
        assert response.status_code == 403


def test_a_file_missing_from_storage_is_not_found_not_an_error(
    personas: Personas, stored_evidence: Evidence
):
    Path(stored_evidence.file.path).unlink()

    response = client_for(personas.pracownik).get(evidence_url(stored_evidence))

    assert response.status_code == 404


def test_unknown_evidence_is_not_found(personas: Personas, stored_evidence: Evidence):
    url = reverse("nonconformities:evidence", kwargs={"pk": stored_evidence.pk + 1000})

    assert client_for(personas.pelnomocnik).get(url).status_code == 404


def test_evidence_download_answers_only_get(personas: Personas, stored_evidence: Evidence):
    response = client_for(personas.pelnomocnik).post(evidence_url(stored_evidence))

    assert response.status_code == 405
