"""Importing the process register: a file is checked whole before anything is written —
one bad row imports nothing and is reported by its line and column as a spreadsheet
counts them, only checking a file writes nothing, and a file that cannot be read gives a
form error."""

from io import BytesIO

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.html import escape
from openpyxl import Workbook

from processes.models import Process
from qms.models import OrganisationalUnit, User
from tests.conftest import Personas
from tests.processes.conftest import (
    GOOD_ROW,
    csv_bytes,
    csv_upload,
    export,
    post_import,
    row,
    shown_messages,
)

# --- a file with problems imports nothing ------------------------------------------------------


@pytest.mark.parametrize(
    ("rows", "line", "column", "mentions"),
    [
        pytest.param(
            [GOOD_ROW, row(kategoria="PG", kod="PG.31", nazwa="Zły wydział", jednostka="XYZ")],
            3,
            "jednostka",
            "XYZ",
            id="unknown-unit",
        ),
        pytest.param(
            [GOOD_ROW, row(kategoria="PX", kod="PG.31", nazwa="Zła kategoria", jednostka="WSO")],
            3,
            "kategoria",
            "PZ",
            id="bad-category",
        ),
        pytest.param(
            [GOOD_ROW, row(kategoria="PZ", kod="PZ.30", nazwa="Powtórka", jednostka="WOU")],
            3,
            "kod",
            "PZ.30",
            id="duplicate-code",
        ),
        pytest.param(
            [
                GOOD_ROW,
                row(
                    kategoria="PG",
                    kod="PG.31",
                    nazwa="Powiązany",
                    jednostka="WSO",
                    powiazane="PG.999",
                ),
            ],
            3,
            "powiazane",
            "PG.999",
            id="unknown-related",
        ),
        pytest.param(
            [
                GOOD_ROW,
                row(
                    kategoria="PG",
                    kod="PG.31",
                    nazwa="Właściciel",
                    jednostka="WSO",
                    wlasciciel="nieistniejacy",
                ),
            ],
            3,
            "wlasciciel",
            "nieistniejacy",
            id="unknown-owner",
        ),
        pytest.param(
            [
                row(
                    kategoria="PG",
                    kod="PG.31",
                    nazwa="Sam ze sobą",
                    jednostka="WSO",
                    powiazane="PG.31",
                ),
                GOOD_ROW,
            ],
            2,
            "powiazane",
            "",
            id="related-to-itself",
        ),
        pytest.param(
            [GOOD_ROW, row(kategoria="PG", kod="PG.31", nazwa="", jednostka="WSO")],
            3,
            "nazwa",
            "",
            id="missing-name",
        ),
        pytest.param(
            [GOOD_ROW, row(kategoria="PG", kod="P" * 31, nazwa="Długi kod", jednostka="WSO")],
            3,
            "kod",
            "30",
            id="code-too-long",
        ),
    ],
)
def test_one_bad_row_imports_nothing_and_is_reported(
    personas: Personas, own_process: Process, as_persona, rows, line, column, mentions
):
    before = Process.objects.count()

    response = post_import(as_persona("koordynator"), csv_upload(rows))

    assert response.status_code == 200
    assert Process.objects.count() == before
    assert not Process.objects.filter(code="PZ.30").exists()
    [error] = response.context["errors"]
    assert (error.line, error.column) == (line, column)
    assert mentions in error.message
    html = response.content.decode()
    assert f"<td>{line}</td><td><code>{column}</code></td>" in html
    assert shown_messages(response, messages.ERROR)


def test_row_numbers_count_blank_lines_like_a_spreadsheet(personas: Personas, as_persona):
    text = "kategoria;kod;nazwa;jednostka\nPZ;PZ.30;Przegląd;WOU\n;;;\n\nPG;PG.31;Zły wydział;XYZ\n"
    upload = SimpleUploadedFile("rejestr.csv", text.encode(), content_type="text/csv")

    response = post_import(as_persona("koordynator"), upload)

    [error] = response.context["errors"]
    assert (error.line, error.column) == (5, "jednostka")


def test_row_numbers_of_an_xlsx_count_blank_rows(personas: Personas, as_persona):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["kategoria", "kod", "nazwa", "jednostka"])
    sheet.append(["PZ", "PZ.30", "Przegląd", "WOU"])
    sheet["A6"], sheet["B6"], sheet["C6"], sheet["D6"] = "PG", "PG.31", "Zły", "XYZ"
    buffer = BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("rejestr.xlsx", buffer.getvalue())

    response = post_import(as_persona("koordynator"), upload)

    assert [(e.line, e.column) for e in response.context["errors"]] == [(6, "jednostka")]


@pytest.mark.parametrize(
    "text",
    [
        "kategoria;kod;nazwa;jednostka\rPZ;PZ.30;Przegląd;WOU\rPG;PG.31;Meldunki;WSO\r",
        # Commas separate; the semicolons inside a quoted name must not decide the delimiter.
        'kategoria,kod,nazwa,jednostka\rPZ,PZ.30,"Przegląd; a;b;c;d;e;f;g",WOU\r'
        "PG,PG.31,Meldunki,WSO\r",
    ],
)
def test_a_csv_with_old_mac_line_endings_imports(personas: Personas, as_persona, text: str):
    upload = SimpleUploadedFile("rejestr.csv", text.encode(), content_type="text/csv")

    response = post_import(as_persona("koordynator"), upload)

    assert response.status_code == 302
    assert set(Process.objects.values_list("code", flat=True)) == {"PZ.30", "PG.31"}


def test_a_departed_owner_or_dissolved_unit_stays_but_is_not_assigned_anew(
    personas: Personas, own_process: Process, as_persona
):
    User.objects.filter(pk=personas.wlasciciel.pk).update(is_active=False)
    OrganisationalUnit.objects.filter(pk=own_process.owner_unit_id).update(is_active=False)
    exported = export(as_persona("koordynator"), "csv")
    version = own_process.version

    response = post_import(
        as_persona("koordynator"), SimpleUploadedFile("eksport.csv", exported.content)
    )

    assert response.status_code == 302
    own_process.refresh_from_db()
    assert own_process.version == version
    assert own_process.owner == personas.wlasciciel
    upload = csv_upload(
        [
            row(
                kategoria="PG", kod="PG.50", nazwa="Nowy", jednostka="WSO", wlasciciel="wlasciciel"
            ),
        ]
    )

    response = post_import(as_persona("koordynator"), upload)

    assert [(e.line, e.column) for e in response.context["errors"]] == [
        (2, "jednostka"),
        (2, "wlasciciel"),
    ]
    assert not Process.objects.filter(code="PG.50").exists()


def test_only_checking_a_correct_file_imports_nothing(personas: Personas, as_persona):
    before = Process.objects.count()
    upload = csv_upload([GOOD_ROW, row(kategoria="PG", kod="PG.31", nazwa="B", jednostka="WSO")])

    response = post_import(as_persona("koordynator"), upload, dry_run=True)

    assert response.status_code == 200
    assert Process.objects.count() == before
    [info] = shown_messages(response, messages.INFO)
    assert "2" in str(info)
    assert not shown_messages(response, messages.SUCCESS)


def test_only_checking_a_wrong_file_reports_it_and_imports_nothing(personas: Personas, as_persona):
    upload = csv_upload([GOOD_ROW, row(kategoria="PG", kod="PG.31", nazwa="B", jednostka="???")])

    response = post_import(as_persona("koordynator"), upload, dry_run=True)

    assert not Process.objects.filter(code="PZ.30").exists()
    assert [(e.line, e.column) for e in response.context["errors"]] == [(3, "jednostka")]


# --- files that cannot be read --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "mentions"),
    [
        pytest.param("rejestr.txt", csv_bytes([GOOD_ROW]), "", id="wrong-extension"),
        pytest.param("rejestr.pdf", b"%PDF-1.4\n", "", id="pdf"),
        pytest.param("rejestr.csv", b"", "", id="empty"),
        pytest.param("rejestr.csv", b"\n;;;\n\n", "", id="blank-lines-only"),
        pytest.param(
            "rejestr.csv",
            csv_bytes([GOOD_ROW], header=["kategoria", "kod", "nazwa"]),
            "jednostka",
            id="missing-required-header",
        ),
        pytest.param("rejestr.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", id="binary-as-csv"),
        pytest.param("rejestr.csv", b"\x81\x8d\x8f\x90\x9d", "", id="not-a-text-encoding"),
        pytest.param("rejestr.xlsx", csv_bytes([GOOD_ROW]), "", id="csv-named-xlsx"),
        pytest.param("rejestr.xlsx", b"PK\x03\x04broken zip", "", id="damaged-xlsx"),
        pytest.param(
            "rejestr.csv",
            csv_bytes(
                [
                    row(kategoria="PG", kod=f"PG.{i}", nazwa="P", jednostka="WSO")
                    for i in range(5001)
                ]
            ),
            "5000",
            id="too-many-rows",
        ),
        pytest.param(
            "rejestr.csv",
            b"kategoria;kod;nazwa;jednostka\nPZ;PZ.30;" + b"x" * 200_000 + b";WOU\n",
            "",
            id="oversized-field",
        ),
    ],
)
def test_an_unreadable_file_gives_a_form_error(
    personas: Personas, as_persona, name: str, content: bytes, mentions: str
):
    before = Process.objects.count()
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")

    response = post_import(as_persona("koordynator"), upload)

    assert response.status_code == 200
    assert Process.objects.count() == before
    [error] = response.context["form"].errors["file"]
    assert mentions in error
    assert escape(error) in response.content.decode()


def test_a_file_with_a_header_only_imports_nothing(personas: Personas, as_persona):
    before = Process.objects.count()

    response = post_import(as_persona("koordynator"), csv_upload([]), follow=True)

    assert response.status_code == 200
    assert Process.objects.count() == before
