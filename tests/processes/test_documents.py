"""Governing documents of a process: who may attach and edit them, which files are accepted,
where they are stored, and how they are downloaded."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.html import escape

from processes.models import GoverningDocument, Process
from processes.services import documents as services
from qms.uploads import document_upload_to, safe_filename
from tests.conftest import Personas
from tests.factories import DocumentFactory

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SIGNED_IN = [
    "prezydent",
    "kierownictwo",
    "pelnomocnik",
    "koordynator",
    "wlasciciel",
    "wlasciciel2",
    "auditor",
    "pracownik",
]
STORED_NAME = re.compile(r"^documents/[0-9a-f]{32}/[^/]+$")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    """Every test stores its files in its own folder, removed with it."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def document_data(**overrides) -> dict:
    data = {
        "code": "PG.3.1",
        "title": "Procedura wydawania dowodów osobistych",
        "edition": "wydanie drugie",
        "effective_date": "2025-01-15",
        "link": "",
        "in_force": "on",
    }
    data.update(overrides)
    return data


def pdf_upload(name: str = "procedura.pdf", content: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def add_url(process: Process) -> str:
    return reverse("processes:document_add", kwargs={"pk": process.pk})


def edit_url(document: GoverningDocument) -> str:
    return reverse("processes:document_edit", kwargs={"pk": document.pk})


def download_url(document: GoverningDocument) -> str:
    return reverse("processes:document_download", kwargs={"pk": document.pk})


def edit_data(document: GoverningDocument, **overrides) -> dict:
    data = {
        "code": document.code,
        "title": document.title,
        "edition": document.edition,
        "effective_date": "",
        "link": document.link,
        "in_force": "on",
        "version": document.version,
    }
    data.update(overrides)
    return data


def multipart(fields: dict[str, str], file_name: str, content: bytes) -> tuple[bytes, str]:
    """A hand-built form body: the test client would strip the file name's path itself."""
    boundary = "szj-granica-0123456789"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
        "Content-Type: application/pdf\r\n\r\n".encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def downloaded(response: HttpResponse) -> bytes:
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


@pytest.fixture
def stored_document(personas: Personas, own_process: Process) -> GoverningDocument:
    """A document of ``own_process`` with its PDF stored, added the way the view adds it."""
    return services.document_add(
        process=own_process,
        by=personas.wlasciciel,
        code="PG.3.1",
        title="Procedura wydawania dowodów osobistych",
        file=pdf_upload(),
    )


# --- adding ---------------------------------------------------------------------------------------


def test_owner_adds_a_document_stored_under_media_root(
    personas: Personas, own_process: Process, as_persona, media_root: Path
):
    response = as_persona("wlasciciel").post(
        add_url(own_process), document_data(file=pdf_upload("Procedura — wydanie 2.pdf"))
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("processes:detail", kwargs={"pk": own_process.pk})
    document = GoverningDocument.objects.get(process=own_process)
    assert document.title == "Procedura wydawania dowodów osobistych"
    assert STORED_NAME.match(document.file.name)
    path = Path(document.file.path).resolve()
    assert path.is_relative_to(media_root.resolve())
    assert not path.is_relative_to(Path(settings.STATIC_ROOT).resolve())
    assert not any(path.is_relative_to(Path(d).resolve()) for d in settings.STATICFILES_DIRS)
    assert path.read_bytes() == PDF
    assert stored_files(media_root) == [path]
    first = document.history.get()
    assert first.history_type == "+"
    assert first.history_user == personas.wlasciciel


@pytest.mark.parametrize("name", ["koordynator", "pelnomocnik"])
def test_register_keepers_add_documents_to_any_process(
    personas: Personas, other_process: Process, as_persona, name: str
):
    client = as_persona(name)

    assert client.get(add_url(other_process)).status_code == 200
    response = client.post(add_url(other_process), document_data(file=pdf_upload()))

    assert response.status_code == 302
    document = GoverningDocument.objects.get(process=other_process)
    assert document.history.get().history_user == personas[name]


def test_a_document_given_by_link_only_needs_no_file(
    personas: Personas, own_process: Process, as_persona, media_root: Path
):
    response = as_persona("wlasciciel").post(
        add_url(own_process), document_data(link="https://bip.example.org/procedura.pdf")
    )

    assert response.status_code == 302
    document = GoverningDocument.objects.get(process=own_process)
    assert not document.file
    assert stored_files(media_root) == []


def test_a_document_needs_a_link_or_a_file(personas: Personas, own_process: Process, as_persona):
    response = as_persona("wlasciciel").post(add_url(own_process), document_data())

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not GoverningDocument.objects.exists()


@pytest.mark.parametrize(
    ("name", "process_fixture"),
    [
        ("wlasciciel", "other_process"),
        ("wlasciciel2", "own_process"),
        ("pracownik", "own_process"),
        ("auditor", "own_process"),
        ("prezydent", "own_process"),
        ("kierownictwo", "own_process"),
    ],
)
def test_others_are_refused_adding_a_document(
    request, personas: Personas, as_persona, media_root: Path, name: str, process_fixture: str
):
    process = request.getfixturevalue(process_fixture)
    client = as_persona(name)

    assert client.get(add_url(process)).status_code == 403
    assert client.post(add_url(process), document_data(file=pdf_upload())).status_code == 403
    assert not GoverningDocument.objects.exists()
    assert stored_files(media_root) == []


def test_anonymous_is_sent_to_login_from_adding(
    personas: Personas, own_process: Process, as_persona
):
    response = as_persona("anonim").post(add_url(own_process), document_data(file=pdf_upload()))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not GoverningDocument.objects.exists()


# --- files that are refused -----------------------------------------------------------------------


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
        pytest.param("procedura.pdf", b"MZ\x90\x00 an executable renamed", id="pdf-not-pdf"),
        pytest.param("procedura.pdf", b"<html>%PDF-1.4</html>", id="pdf-magic-not-first"),
        pytest.param("instrukcja.docx", PDF, id="docx-not-zip"),
        pytest.param("notatka.txt", b"tekst\x00binarny", id="txt-binary"),
        pytest.param("procedura", PDF, id="no-extension"),
        pytest.param("procedura.pdf.exe", PDF, id="double-extension"),
        pytest.param(".pdf", PDF, id="dotfile"),
    ],
)
def test_a_forbidden_file_is_refused_and_nothing_is_stored(
    personas: Personas,
    own_process: Process,
    as_persona,
    media_root: Path,
    name: str,
    content: bytes,
):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    response = as_persona("wlasciciel").post(add_url(own_process), document_data(file=upload))

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not GoverningDocument.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    settings, personas: Personas, own_process: Process, as_persona, media_root: Path
):
    settings.UPLOAD_MAX_BYTES = 1024
    upload = pdf_upload(content=PDF + b"0" * 1024)

    response = as_persona("wlasciciel").post(add_url(own_process), document_data(file=upload))

    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    assert filesizeformat(1024) in error
    assert not GoverningDocument.objects.exists()
    assert stored_files(media_root) == []


def test_a_file_at_the_limit_is_accepted(
    settings, personas: Personas, own_process: Process, as_persona, media_root: Path
):
    settings.UPLOAD_MAX_BYTES = 1024
    content = PDF + b"0" * (1024 - len(PDF))

    response = as_persona("wlasciciel").post(
        add_url(own_process), document_data(file=pdf_upload(content=content))
    )

    assert response.status_code == 302
    assert Path(GoverningDocument.objects.get().file.path).read_bytes() == content


def test_the_help_text_states_the_configured_limit(
    settings, personas: Personas, own_process: Process, as_persona
):
    settings.UPLOAD_MAX_BYTES = 2 * 1024 * 1024

    response = as_persona("wlasciciel").get(add_url(own_process))

    assert filesizeformat(2 * 1024 * 1024) in str(response.context["form"].fields["file"].help_text)


@pytest.mark.parametrize(
    "file_name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\windows\\system32\\passwd.pdf",
        "/etc/passwd.pdf",
        "proc\x07edura\x1b[31m.pdf",
        "\u202efdp.exe.pdf",
        "a" * 400 + ".pdf",
        "<script>alert(1)</script>.pdf",
    ],
)
def test_a_hostile_file_name_is_stored_under_a_safe_name_inside_media_root(
    personas: Personas, own_process: Process, as_persona, media_root: Path, file_name: str
):
    body, content_type = multipart(document_data(), file_name, PDF)

    response = as_persona("wlasciciel").generic(
        "POST", add_url(own_process), body, content_type=content_type
    )

    assert response.status_code == 302
    document = GoverningDocument.objects.get()
    assert STORED_NAME.match(document.file.name)
    stored = document.file.name.rsplit("/", 1)[1]
    assert re.fullmatch(r"[-\w.]{1,111}", stored)
    assert stored.endswith(".pdf")
    assert ".." not in stored
    [path] = stored_files(media_root)
    assert path.resolve() == Path(document.file.path).resolve()
    assert path.resolve().is_relative_to((media_root / "documents").resolve())
    assert path.read_bytes() == PDF


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\boot.ini.txt", "boot.ini.txt"),
        ("/absolute/path/plan.pdf", "plan.pdf"),
        ("..", "plik"),
        ("...pdf", "plik.pdf"),
        ("a\x00b\x07c.pdf", "abc.pdf"),
        ("Księga jakości.pdf", "Księga_jakości.pdf"),
        ("%%%.pdf", "plik.pdf"),
        ("###", "plik"),
        ("a" * 300 + "." + "b" * 30, "a" * 100 + "." + "b" * 10),
    ],
)
def test_safe_filename_keeps_no_path_and_no_control_characters(name: str, expected: str):
    assert safe_filename(name) == expected


def test_each_upload_gets_its_own_unguessable_folder():
    first = document_upload_to(None, "../../procedura.pdf")
    second = document_upload_to(None, "../../procedura.pdf")

    assert STORED_NAME.match(first)
    assert STORED_NAME.match(second)
    assert first != second
    assert first.endswith("/procedura.pdf")


# --- editing --------------------------------------------------------------------------------------


def test_the_edit_form_links_the_stored_file_to_the_download_view(
    personas: Personas, stored_document: GoverningDocument, as_persona, media_root: Path
):
    response = as_persona("wlasciciel").get(edit_url(stored_document))

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{download_url(stored_document)}">procedura.pdf</a>' in html
    assert str(media_root) not in html
    assert 'name="file-clear"' in html


def test_owner_edits_own_document_and_history_records_it(
    personas: Personas, stored_document: GoverningDocument, as_persona, media_root: Path
):
    stored_name = stored_document.file.name

    response = as_persona("wlasciciel").post(
        edit_url(stored_document), edit_data(stored_document, edition="wydanie trzecie")
    )

    assert response.status_code == 302
    stored_document.refresh_from_db()
    assert stored_document.edition == "wydanie trzecie"
    assert stored_document.version == 2
    assert stored_document.file.name == stored_name  # no new file chosen: the old one stays
    assert stored_document.history.first().history_user == personas.wlasciciel
    assert len(stored_files(media_root)) == 1


def test_editing_after_the_limit_was_lowered_keeps_the_stored_file(
    settings, personas: Personas, stored_document: GoverningDocument, as_persona
):
    settings.UPLOAD_MAX_BYTES = 10  # smaller than the file accepted earlier

    response = as_persona("wlasciciel").post(
        edit_url(stored_document), edit_data(stored_document, title="Nowy tytuł")
    )

    assert response.status_code == 302
    stored_document.refresh_from_db()
    assert stored_document.title == "Nowy tytuł"


def test_editing_replaces_the_file_with_a_new_valid_one(
    personas: Personas, stored_document: GoverningDocument, as_persona
):
    new_pdf = PDF + b"% wydanie trzecie\n"

    response = as_persona("koordynator").post(
        edit_url(stored_document),
        edit_data(stored_document, file=pdf_upload("wydanie-3.pdf", new_pdf)),
    )

    assert response.status_code == 302
    stored_document.refresh_from_db()
    assert stored_document.file.name.endswith("/wydanie-3.pdf")
    assert Path(stored_document.file.path).read_bytes() == new_pdf


def test_clearing_the_only_file_without_a_link_is_refused(
    personas: Personas, stored_document: GoverningDocument, as_persona
):
    stored_name = stored_document.file.name

    response = as_persona("wlasciciel").post(
        edit_url(stored_document), edit_data(stored_document, **{"file-clear": "on"})
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    stored_document.refresh_from_db()
    assert stored_document.file.name == stored_name


def test_clearing_the_file_of_a_document_with_a_link_keeps_the_link(
    personas: Personas, stored_document: GoverningDocument, as_persona
):
    response = as_persona("wlasciciel").post(
        edit_url(stored_document),
        edit_data(stored_document, link="https://bip.example.org/p.pdf", **{"file-clear": "on"}),
    )

    assert response.status_code == 302
    stored_document.refresh_from_db()
    assert not stored_document.file
    assert stored_document.link == "https://bip.example.org/p.pdf"


def test_a_clear_box_sent_when_adding_is_harmless(
    personas: Personas, own_process: Process, as_persona
):
    response = as_persona("wlasciciel").post(
        add_url(own_process),
        document_data(link="https://bip.example.org/p.pdf", **{"file-clear": "on"}),
    )

    assert response.status_code == 302
    assert not GoverningDocument.objects.get().file


def test_editing_with_a_forbidden_file_keeps_the_document_as_it_was(
    personas: Personas, stored_document: GoverningDocument, as_persona, media_root: Path
):
    stored_name = stored_document.file.name
    upload = SimpleUploadedFile("wirus.pdf", b"MZ\x90\x00")

    response = as_persona("wlasciciel").post(
        edit_url(stored_document), edit_data(stored_document, title="Zmieniony", file=upload)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    stored_document.refresh_from_db()
    assert stored_document.title == "Procedura wydawania dowodów osobistych"
    assert stored_document.file.name == stored_name
    assert len(stored_files(media_root)) == 1


@pytest.mark.parametrize("name", ["wlasciciel", "pracownik", "auditor", "prezydent"])
def test_others_are_refused_editing_a_document(
    personas: Personas, other_process: Process, as_persona, name: str
):
    document = DocumentFactory(process=other_process, title="Rejestracja pojazdów — procedura")
    client = as_persona(name)

    assert client.get(edit_url(document)).status_code == 403
    response = client.post(edit_url(document), edit_data(document, title="Podmieniony"))

    assert response.status_code == 403
    document.refresh_from_db()
    assert document.title == "Rejestracja pojazdów — procedura"
    assert document.version == 1


def test_a_stale_edit_is_refused_and_overwrites_nothing(
    personas: Personas, stored_document: GoverningDocument, as_persona
):
    opened_at = stored_document.version
    services.document_update(
        document=GoverningDocument.objects.get(pk=stored_document.pk),
        by=personas.koordynator,
        expected_version=opened_at,
        title="Tytuł poprawiony przez koordynatora",
    )

    response = as_persona("wlasciciel").post(
        edit_url(stored_document),
        edit_data(
            stored_document,
            title="Tytuł właściciela",
            version=opened_at,
            file=pdf_upload("inny.pdf"),
        ),
    )

    assert response.status_code == 200
    assert response.context["conflict"].changed_by == str(personas.koordynator)
    [message] = response.context["form"].non_field_errors()
    assert escape(message) in response.content.decode()
    stored_document.refresh_from_db()
    assert stored_document.title == "Tytuł poprawiony przez koordynatora"
    assert stored_document.version == opened_at + 1
    assert stored_document.file.name.endswith("/procedura.pdf")


# --- downloading ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SIGNED_IN)
def test_every_employee_downloads_the_file_as_an_attachment(
    personas: Personas, stored_document: GoverningDocument, as_persona, name: str
):
    response = as_persona(name).get(download_url(stored_document))

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="procedura.pdf"' in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert downloaded(response) == PDF


def test_a_text_file_is_downloaded_too_never_shown_inline(
    personas: Personas, own_process: Process, as_persona
):
    document = services.document_add(
        process=own_process,
        by=personas.koordynator,
        code="PG.3.2",
        title="Wykaz",
        file=SimpleUploadedFile("wykaz.txt", b"<script>alert(1)</script>"),
    )

    response = as_persona("pracownik").get(download_url(document))

    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"].startswith("text/plain")
    assert response["X-Content-Type-Options"] == "nosniff"
    downloaded(response)


def test_anonymous_is_sent_to_login_from_a_download(stored_document: GoverningDocument, as_persona):
    response = as_persona("anonim").get(download_url(stored_document))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_document_without_a_file_has_nothing_to_download(
    personas: Personas, own_process: Process, as_persona
):
    document = DocumentFactory(process=own_process)

    assert as_persona("pracownik").get(download_url(document)).status_code == 404


def test_a_file_missing_from_storage_is_not_found_not_an_error(
    personas: Personas, stored_document: GoverningDocument, as_persona
):
    Path(stored_document.file.path).unlink()

    assert as_persona("pracownik").get(download_url(stored_document)).status_code == 404


def test_an_unknown_document_is_not_found(personas: Personas, as_persona):
    url = reverse("processes:document_download", kwargs={"pk": 999_999})

    assert as_persona("pracownik").get(url).status_code == 404
