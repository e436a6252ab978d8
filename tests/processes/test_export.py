"""Exporting the process register (CSV and XLSX): every employee may, as an attachment;
the list's filters apply, formula-like cells stay text, and an export imported back
changes nothing."""

import csv
from io import BytesIO, StringIO

import pytest
from django.contrib import messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import reverse
from openpyxl import load_workbook

from processes.models import Process
from processes.services import register as services
from tests.conftest import Personas
from tests.factories import ProcessFactory
from tests.processes.conftest import HEADER, XLSX_TYPE, export, post_import, shown_messages

EXPORT_HEADER = [*HEADER, "status"]
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
