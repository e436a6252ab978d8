"""CSV and XLSX exports shared by every register: the same safety and the same format."""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def is_quoted(text: str) -> bool:
    """Whether ``text`` is an exported cell carrying the apostrophe ``safe_cell`` adds."""
    return text.startswith("'") and text[1:2] in (*FORMULA_START, "'")


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts a formula. A value
    that itself looks quoted is quoted once more, so ``read_cell`` restores every value exactly."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START) or is_quoted(text):
        return "'" + text
    return text


def read_cell(value: object) -> str:
    """The inverse of ``safe_cell`` for imported files."""
    text = "" if value is None else str(value).strip()
    if is_quoted(text):
        text = text[1:]
    return text


def csv_bytes(rows: Iterable[Iterable[object]]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel in a Polish locale opens correctly with diacritics.
    csv.writer(buffer, delimiter=";").writerows([safe_cell(cell) for cell in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: Iterable[Iterable[object]], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        # XML cannot carry most control characters (a vertical tab pasted from Word would make
        # openpyxl refuse the whole workbook); the CSV export keeps them.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", safe_cell(cell)) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_response(
    rows: Iterable[Iterable[object]], *, fmt: str, basename: str, title: str
) -> HttpResponse:
    """A download of ``rows`` as CSV or XLSX named ``<basename>-<date>.<fmt>``."""
    if fmt == "xlsx":
        response = HttpResponse(xlsx_bytes(rows, title=title), content_type=XLSX_TYPE)
    else:
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{basename}-{stamp}.{fmt}"'
    return response
