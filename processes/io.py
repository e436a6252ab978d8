"""Reading and writing the register as CSV and XLSX.

The export's columns are the import's columns, so a register exported, edited in a spreadsheet
and imported again round-trips. Reading validates every row before anything is written.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook

from processes.models import Process
from processes.services import ImportRow
from qms.models import OrganisationalUnit, User

# (column header, model field or role). Headers are the register's own Polish vocabulary: the
# file is an exchange format between city-hall spreadsheets, not part of the interface.
COLUMNS = [
    ("kategoria", "category"),
    ("kod", "code"),
    ("nazwa", "name"),
    ("cel", "purpose"),
    ("jednostka", "owner_unit"),
    ("wlasciciel", "owner"),
    ("wejscia", "inputs"),
    ("wyjscia", "outputs"),
    ("powiazane", "related"),
    ("status", "status"),
]
REQUIRED = ["kategoria", "kod", "nazwa", "jednostka"]
MAX_ROWS = 5000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class RowError:
    line: int
    column: str
    message: str


def _cell_out(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection): a cell never starts a formula."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_START):
        return "'" + text
    return text


def _cell_in(value: object) -> str:
    text = "" if value is None else str(value).strip()
    if text.startswith("'") and text[1:2] in FORMULA_START:
        text = text[1:]
    return text


def export_rows(processes: Iterable[Process]) -> Iterator[list[str]]:
    """The header and one row per process; ``processes`` must prefetch ``related``."""
    yield [header for header, _field in COLUMNS]
    for p in processes:
        yield [
            _cell_out(v)
            for v in (
                p.category, p.code, p.name, p.purpose, p.owner_unit.code,
                p.owner.username if p.owner else "", p.inputs, p.outputs,
                "; ".join(sorted(r.code for r in p.related.all())), p.status,
            )
        ]


def export_csv(processes: Iterable[Process]) -> bytes:
    buffer = io.StringIO()
    # Semicolons and a BOM: what Excel in a Polish locale opens correctly with diacritics.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerows(export_rows(processes))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(processes: Iterable[Process]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Rejestr procesów")
    for row in export_rows(processes):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


def _read_csv(data: bytes) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1250 decodes almost anything
        raise ImportFileError(_("The file is not a text file in UTF-8 or Windows-1250."))
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text file in UTF-8 or Windows-1250."))
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _read_xlsx(data: bytes) -> list[list[str]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(_("The file is not a valid XLSX workbook.")) from exc
    sheet = workbook.worksheets[0]
    rows = []
    for row in sheet.iter_rows(values_only=True):
        rows.append(["" if v is None else str(v) for v in row])
        if len(rows) > MAX_ROWS + 1:
            break
    workbook.close()
    return rows


def read_register(name: str, data: bytes) -> tuple[list[ImportRow], list[RowError]]:
    """Parse and validate a register file. Returns the rows ready to import and, if any row is
    wrong, every problem found (line numbers as a spreadsheet shows them, header = 1)."""
    table = _read_xlsx(data) if name.lower().endswith(".xlsx") else _read_csv(data)
    table = [row for row in table if any(cell.strip() for cell in row)]
    if not table:
        raise ImportFileError(_("The file is empty."))
    if len(table) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
        )
    header = [_cell_in(h).lower() for h in table[0]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    index = {h: i for i, h in enumerate(header)}

    units = {u.code: u for u in OrganisationalUnit.objects.all()}
    owner_column = index.get("wlasciciel")
    wanted = {
        _cell_in(r[owner_column])
        for r in table[1:]
        if owner_column is not None and owner_column < len(r)
    }
    users = {u.username: u for u in User.objects.filter(username__in=wanted - {""}, is_active=True)}
    known_codes = set(Process.objects.values_list("code", flat=True))
    file_codes: dict[str, int] = {}
    rows: list[ImportRow] = []
    errors: list[RowError] = []

    def cell(row: list[str], column: str) -> str:
        i = index.get(column)
        return _cell_in(row[i]) if i is not None and i < len(row) else ""

    categories = dict(Process.Category.choices)
    for line, raw in enumerate(table[1:], start=2):
        row_errors: list[RowError] = []
        category = cell(raw, "kategoria").upper()
        code = cell(raw, "kod")
        name_ = cell(raw, "nazwa")
        unit_code = cell(raw, "jednostka")
        owner_name = cell(raw, "wlasciciel")
        if category not in categories:
            row_errors.append(RowError(line, "kategoria", _("Category must be PZ, PG or PW.")))
        if not code:
            row_errors.append(RowError(line, "kod", _("The process code is missing.")))
        elif len(code) > 30:
            row_errors.append(RowError(line, "kod", _("The code is longer than 30 characters.")))
        elif code in file_codes:
            row_errors.append(
                RowError(line, "kod", _("The code %(code)s repeats line %(line)s.")
                         % {"code": code, "line": file_codes[code]})
            )
        else:
            file_codes[code] = line
        if not name_:
            row_errors.append(RowError(line, "nazwa", _("The process name is missing.")))
        elif len(name_) > 255:
            row_errors.append(RowError(line, "nazwa", _("The name is longer than 255 characters.")))
        unit = units.get(unit_code)
        if unit is None:
            row_errors.append(
                RowError(line, "jednostka", _("There is no organisational unit with the code “%(code)s”.")
                         % {"code": unit_code})
            )
        owner = None
        if owner_name:
            owner = users.get(owner_name)
            if owner is None:
                row_errors.append(
                    RowError(line, "wlasciciel", _("There is no active user “%(name)s”.")
                             % {"name": owner_name})
                )
        related_codes = [c.strip() for c in cell(raw, "powiazane").replace(",", ";").split(";") if c.strip()]
        errors.extend(row_errors)
        if not row_errors:
            rows.append(
                ImportRow(
                    line=line,
                    fields={
                        "category": category, "code": code, "name": name_,
                        "purpose": cell(raw, "cel"), "owner_unit": unit, "owner": owner,
                        "inputs": cell(raw, "wejscia"), "outputs": cell(raw, "wyjscia"),
                    },
                    related_codes=related_codes,
                )
            )
    # Related codes may point at processes in the database or anywhere in the file.
    all_codes = known_codes | set(file_codes)
    for row in rows:
        for code in row.related_codes:
            if code == row.fields["code"]:
                errors.append(RowError(row.line, "powiazane", _("A process cannot be related to itself.")))
            elif code not in all_codes:
                errors.append(
                    RowError(row.line, "powiazane", _("There is no process with the code “%(code)s”.")
                             % {"code": code})
                )
    errors.sort(key=lambda e: e.line)
    return rows, errors
