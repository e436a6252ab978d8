"""Import and export of the process register (CSV and XLSX): who may do it, that a file is
checked whole before anything is written, and that an export imported back changes nothing."""

import csv
from io import BytesIO, StringIO

import pytest
from django.contrib import messages
from django.contrib.messages import Message
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook, load_workbook

from processes import services
from processes.models import Process
from processes.selectors import process_can_edit_description
from qms.models import OrganisationalUnit, User
from tests.conftest import Personas
from tests.factories import ProcessFactory

# The exchange format is a contract with the city hall's spreadsheets: spelled out here.
HEADER = [
    "kategoria",
    "kod",
    "nazwa",
    "cel",
    "jednostka",
    "wlasciciel",
    "wejscia",
    "wyjscia",
    "powiazane",
]
EXPORT_HEADER = [*HEADER, "status"]
IMPORT_URL = "processes:import"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
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
NOT_KEEPERS = ["pracownik", "auditor", "wlasciciel", "prezydent", "kierownictwo"]


def row(**cells: str) -> dict[str, str]:
    """One register row; columns not given stay empty."""
    return cells


def csv_bytes(
    rows: list[dict[str, str]],
    *,
    header: list[str] = HEADER,
    delimiter: str = ";",
    encoding: str = "utf-8",
) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for cells in rows:
        writer.writerow([cells.get(column, "") for column in header])
    return buffer.getvalue().encode(encoding)


def csv_upload(
    rows: list[dict[str, str]], *, name: str = "rejestr.csv", **kwargs
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, csv_bytes(rows, **kwargs), content_type="text/csv")


def xlsx_upload(rows: list[dict[str, str]], *, name: str = "rejestr.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for cells in rows:
        sheet.append([cells.get(column, "") for column in HEADER])
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX_TYPE)


def post_import(
    client: Client, upload: SimpleUploadedFile, *, dry_run: bool = False, follow: bool = False
) -> HttpResponse:
    data: dict = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse(IMPORT_URL), data, follow=follow)


def shown_messages(response: HttpResponse, level: int) -> list[Message]:
    return [m for m in response.context["messages"] if m.level == level]


def fresh_user(user: User) -> User:
    # Guardian caches object permissions per user instance: read the user again.
    return User.objects.get(pk=user.pk)


def export(client: Client, fmt: str, query: str = "") -> HttpResponse:
    return client.get(reverse("processes:export", kwargs={"fmt": fmt}) + query)


def exported_table(response: HttpResponse, fmt: str) -> list[list[str]]:
    if fmt == "csv":
        text = response.content.decode("utf-8-sig")
        return list(csv.reader(StringIO(text), delimiter=";"))
    workbook = load_workbook(BytesIO(response.content), read_only=True)
    table = [
        ["" if v is None else str(v) for v in values]
        for values in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    workbook.close()
    return table


# --- importing a correct file -------------------------------------------------------------------


def test_keeper_imports_a_csv_with_owner_relations_and_history(
    personas: Personas, own_process: Process, as_persona
):
    before = Process.objects.count()
    upload = csv_upload(
        [
            row(
                kategoria="PZ",
                kod="PZ.10",
                nazwa="Zarządzanie ryzykiem — źródła żółci",
                cel="Ocena ryzyk i szans",
                jednostka="WOU",
                wlasciciel="wlasciciel",
                wejscia="Rejestr ryzyk",
                wyjscia="Plan działań",
                powiazane="PG.3; PW.11",
            ),
            row(kategoria="pw", kod="PW.11", nazwa="Gospodarka środkami trwałymi", jednostka="WBK"),
        ]
    )

    response = post_import(as_persona("koordynator"), upload, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("processes:list")
    assert Process.objects.count() == before + 2
    added = Process.objects.get(code="PZ.10")
    assert added.name == "Zarządzanie ryzykiem — źródła żółci"
    assert added.category == "PZ"
    assert added.owner_unit.code == "WOU"
    assert added.purpose == "Ocena ryzyk i szans"
    assert added.owner == personas.wlasciciel
    assert process_can_edit_description(fresh_user(personas.wlasciciel), added)
    assert not process_can_edit_description(fresh_user(personas.wlasciciel2), added)
    # PW.11 is a later row of the same file; the relation is symmetrical.
    assert {p.code for p in added.related.all()} == {"PG.3", "PW.11"}
    assert {p.code for p in Process.objects.get(code="PW.11").related.all()} == {"PZ.10"}
    for code in ("PZ.10", "PW.11"):
        first = Process.objects.get(code=code).history.order_by("history_date").first()
        assert first.history_type == "+"
        assert first.history_user == personas.koordynator
    assert Process.objects.get(code="PW.11").category == "PW"
    [success] = shown_messages(response, messages.SUCCESS)
    assert "2" in str(success)  # two new processes
    assert escape(str(success)) in response.content.decode()


def test_a_windows_1250_csv_with_commas_imports_with_diacritics(personas: Personas, as_persona):
    upload = csv_upload(
        [row(kategoria="PG", kod="PG.40", nazwa="Świadczenia żłobkowe", jednostka="WSO")],
        delimiter=",",
        encoding="cp1250",
    )

    response = post_import(as_persona("pelnomocnik"), upload)

    assert response.status_code == 302
    assert Process.objects.get(code="PG.40").name == "Świadczenia żłobkowe"


def test_keeper_imports_an_xlsx_file(personas: Personas, as_persona):
    upload = xlsx_upload(
        [
            row(
                kategoria="PG",
                kod="PG.20",
                nazwa="Wydawanie dowodów osobistych",
                jednostka="WSO",
                wlasciciel="wlasciciel",
                powiazane="PG.21",
            ),
            row(kategoria="PG", kod="PG.21", nazwa="Meldunki", jednostka="WSO"),
        ]
    )

    response = post_import(as_persona("pelnomocnik"), upload)

    assert response.status_code == 302
    process = Process.objects.get(code="PG.20")
    assert process.name == "Wydawanie dowodów osobistych"
    assert process.owner == personas.wlasciciel
    assert [p.code for p in process.related.all()] == ["PG.21"]
    assert {h.history_user for h in process.history.all()} == {personas.pelnomocnik}


def test_a_known_code_updates_that_process_through_the_services(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    version = own_process.version
    untouched_version = other_process.version
    upload = csv_upload(
        [
            row(
                kategoria="PG",
                kod="PG.3",
                nazwa="Sprawy obywatelskie — nowa nazwa",
                cel=own_process.purpose,
                jednostka="WSO",
                wlasciciel="wlasciciel2",
            ),
            # Identical to the register: no new version, no history row.
            row(
                kategoria="PG",
                kod="PG.2",
                nazwa=other_process.name,
                cel=other_process.purpose,
                jednostka="WKM",
                wlasciciel="wlasciciel2",
            ),
        ]
    )

    response = post_import(as_persona("koordynator"), upload, follow=True)

    own_process.refresh_from_db()
    other_process.refresh_from_db()
    assert own_process.name == "Sprawy obywatelskie — nowa nazwa"
    assert own_process.version == version + 1
    newest = own_process.history.order_by("-history_date", "-history_id").first()
    assert newest.history_type == "~"
    assert newest.history_user == personas.koordynator
    # Ownership moved, and the object permission with it.
    assert own_process.owner == personas.wlasciciel2
    assert process_can_edit_description(fresh_user(personas.wlasciciel2), own_process)
    assert not process_can_edit_description(fresh_user(personas.wlasciciel), own_process)
    assert other_process.version == untouched_version
    assert other_process.history.count() == 1
    assert Process.objects.count() == 2
    [success] = shown_messages(response, messages.SUCCESS)
    assert "0" in str(success) and "1" in str(success)


def test_headers_may_be_written_with_polish_letters(personas: Personas, as_persona):
    upload = csv_upload(
        [
            {
                "Kategoria": "PG",
                "Kod": "PG.60",
                "Nazwa": "Dowody",
                "Jednostka": "WSO",
                "Właściciel": "wlasciciel",
                "Wejścia": "Wnioski",
                "Wyjścia": "Dowody osobiste",
            }
        ],
        header=["Kategoria", "Kod", "Nazwa", "Jednostka", "Właściciel", "Wejścia", "Wyjścia"],
    )

    response = post_import(as_persona("koordynator"), upload)

    assert response.status_code == 302
    process = Process.objects.get(code="PG.60")
    assert (process.owner, process.inputs, process.outputs) == (
        personas.wlasciciel,
        "Wnioski",
        "Dowody osobiste",
    )


def test_absent_optional_columns_leave_existing_values_alone(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    services.process_update(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        related=[other_process],
        inputs="Wnioski obywateli",
    )
    own_process.refresh_from_db()
    upload = csv_upload(
        [row(kategoria="PG", kod="PG.3", nazwa="Nowa nazwa", jednostka="WSO")],
        header=["kategoria", "kod", "nazwa", "jednostka"],
    )

    response = post_import(as_persona("koordynator"), upload)

    assert response.status_code == 302
    own_process.refresh_from_db()
    assert own_process.name == "Nowa nazwa"
    assert own_process.owner == personas.wlasciciel
    assert own_process.purpose == "Zapewnienie terminowej obsługi spraw."
    assert own_process.inputs == "Wnioski obywateli"
    assert [p.code for p in own_process.related.all()] == ["PG.2"]


def test_a_relation_added_on_one_row_only_is_kept(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    # PG.3 gains PG.2 in the file; the row of PG.2 (after it) does not mention PG.3.
    upload = csv_upload(
        [
            row(
                kategoria="PG",
                kod="PG.3",
                nazwa=own_process.name,
                cel=own_process.purpose,
                jednostka="WSO",
                wlasciciel="wlasciciel",
                powiazane="PG.2",
            ),
            row(
                kategoria="PG",
                kod="PG.2",
                nazwa=other_process.name,
                cel=other_process.purpose,
                jednostka="WKM",
                wlasciciel="wlasciciel2",
            ),
        ]
    )

    post_import(as_persona("koordynator"), upload)

    assert [p.code for p in own_process.related.all()] == ["PG.2"]
    assert [p.code for p in other_process.related.all()] == ["PG.3"]


def test_a_relation_removed_on_one_row_only_is_removed(
    personas: Personas, own_process: Process, other_process: Process, as_persona
):
    services.process_update(
        process=own_process,
        by=personas.koordynator,
        expected_version=own_process.version,
        related=[other_process],
    )
    # PG.3 drops PG.2; the row of PG.2 still names PG.3 as it was exported.
    upload = csv_upload(
        [
            row(
                kategoria="PG",
                kod="PG.3",
                nazwa=own_process.name,
                cel=own_process.purpose,
                jednostka="WSO",
                wlasciciel="wlasciciel",
                powiazane="",
            ),
            row(
                kategoria="PG",
                kod="PG.2",
                nazwa=other_process.name,
                cel=other_process.purpose,
                jednostka="WKM",
                wlasciciel="wlasciciel2",
                powiazane="PG.3",
            ),
        ]
    )

    post_import(as_persona("koordynator"), upload)

    assert not own_process.related.exists()
    assert not other_process.related.exists()


# --- a file with problems imports nothing ------------------------------------------------------

GOOD_ROW = row(kategoria="PZ", kod="PZ.30", nazwa="Przegląd zarządzania", jednostka="WOU")


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


# --- who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["koordynator", "pelnomocnik"])
def test_register_keepers_open_the_import_form(personas: Personas, as_persona, name: str):
    response = as_persona(name).get(reverse(IMPORT_URL))

    assert response.status_code == 200
    assert "file" in response.context["form"].fields


@pytest.mark.parametrize("name", NOT_KEEPERS)
def test_others_are_refused_the_import(personas: Personas, as_persona, name: str):
    client = as_persona(name)

    assert client.get(reverse(IMPORT_URL)).status_code == 403
    assert post_import(client, csv_upload([GOOD_ROW])).status_code == 403
    assert not Process.objects.filter(code="PZ.30").exists()


def test_anonymous_is_sent_to_login_from_the_import(personas: Personas, as_persona):
    client = as_persona("anonim")
    login = reverse("login")

    for response in (client.get(reverse(IMPORT_URL)), post_import(client, csv_upload([GOOD_ROW]))):
        assert response.status_code == 302
        assert response["Location"].startswith(login)
    assert not Process.objects.filter(code="PZ.30").exists()


# --- export --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", SIGNED_IN)
@pytest.mark.parametrize(
    ("fmt", "content_type"), [("csv", "text/csv; charset=utf-8"), ("xlsx", XLSX_TYPE)]
)
def test_every_employee_exports_the_register_as_an_attachment(
    personas: Personas, own_process: Process, as_persona, name: str, fmt: str, content_type: str
):
    response = export(as_persona(name), fmt)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert disposition.endswith(f'.{fmt}"')
    if fmt == "csv":  # what Excel in a Polish locale opens with its diacritics intact
        assert response.content.startswith(("\ufeff" + ";".join(EXPORT_HEADER)).encode())
    table = exported_table(response, fmt)
    assert table[0] == EXPORT_HEADER
    assert [r[1] for r in table[1:]] == ["PG.3"]
    assert table[1][2] == "Sprawy obywatelskie i ewidencja ludności"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_anonymous_is_sent_to_login_from_the_export(personas: Personas, as_persona, fmt: str):
    response = export(as_persona("anonim"), fmt)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_follows_the_list_filters(
    personas: Personas, own_process: Process, other_process: Process, as_persona, fmt: str
):
    ProcessFactory(
        category="PZ",
        code="PZ.4",
        name="Audit wewnętrzny",
        owner_unit=personas.koordynator.unit,
        owner=None,
    )
    ProcessFactory(
        category="PZ",
        code="PZ.1",
        name="Planowanie",
        owner_unit=personas.koordynator.unit,
        owner=None,
    )

    response = export(as_persona("auditor"), fmt, "?category=PZ")

    assert [r[1] for r in exported_table(response, fmt)[1:]] == ["PZ.1", "PZ.4"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_formula_like_cells_are_exported_as_text(
    personas: Personas, own_process: Process, as_persona, fmt: str
):
    ProcessFactory(
        code="PG.9",
        name='=HYPERLINK("http://zlo.example","Kliknij")',
        purpose="+48 123",
        inputs="-lista",
        outputs="@SUM(A1)",
        owner_unit=personas.wlasciciel.unit,
        owner=None,
    )

    response = export(as_persona("pracownik"), fmt)

    [exported] = [r for r in exported_table(response, fmt) if r[1] == "PG.9"]
    assert exported[2] == '\'=HYPERLINK("http://zlo.example","Kliknij")'
    assert exported[3] == "'+48 123"
    assert exported[6] == "'-lista"
    assert exported[7] == "'@SUM(A1)"
    if fmt == "xlsx":
        workbook = load_workbook(BytesIO(response.content))
        assert all(cell.data_type != "f" for r in workbook.worksheets[0].iter_rows() for cell in r)


def test_xlsx_export_survives_control_characters(
    personas: Personas, own_process: Process, as_persona
):
    Process.objects.filter(pk=own_process.pk).update(purpose="Opis\x0bz Worda\x1b")

    response = export(as_persona("pracownik"), "xlsx")

    assert response.status_code == 200
    assert exported_table(response, "xlsx")[1][3] == "Opisz Worda"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_exported_register_imports_back_unchanged(
    personas: Personas, own_process: Process, other_process: Process, as_persona, fmt: str
):
    services.process_create(
        by=personas.koordynator,
        category="PZ",
        code="PZ.5",
        name="=2+2 — nazwa jak formuła",
        purpose="-punkt pierwszy\n-punkt drugi",
        inputs="'=już z apostrofem",
        outputs="'zwykły cudzysłów",
        owner_unit=personas.koordynator.unit,
        owner=personas.wlasciciel,
        related=[own_process, other_process],
    )
    services.process_withdraw(
        process=other_process,
        by=personas.koordynator,
        expected_version=other_process.version,
        reason="Przeniesiony",
    )
    versions = dict(Process.objects.values_list("code", "version"))
    history_rows = sum(p.history.count() for p in Process.objects.all())
    exported = export(as_persona("koordynator"), fmt)
    upload = SimpleUploadedFile(f"eksport.{fmt}", exported.content)

    response = post_import(as_persona("koordynator"), upload, follow=True)

    assert response.status_code == 200
    assert not response.context.get("errors")
    assert dict(Process.objects.values_list("code", "version")) == versions
    assert sum(p.history.count() for p in Process.objects.all()) == history_rows
    formula = Process.objects.get(code="PZ.5")
    assert formula.name == "=2+2 — nazwa jak formuła"
    assert formula.purpose == "-punkt pierwszy\n-punkt drugi"
    assert formula.inputs == "'=już z apostrofem"
    assert formula.outputs == "'zwykły cudzysłów"
    assert {p.code for p in formula.related.all()} == {"PG.2", "PG.3"}
    assert Process.objects.get(code="PG.2").status == Process.Status.WITHDRAWN
    [success] = shown_messages(response, messages.SUCCESS)
    assert "0" in str(success)
