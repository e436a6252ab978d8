"""Importing the register from CSV and XLSX: reading and validating a file, then writing it.

The import's columns are the export's (``processes.selectors.transfer``), so a register
exported, edited in a spreadsheet and imported again round-trips. Reading validates every row
before anything is written.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from processes.models import Process
from processes.selectors import process_can_manage
from processes.services.register import process_create, process_update
from qms.models import OrganisationalUnit, User
from qms.services import require
from qms.spreadsheets import read_cell

REQUIRED = ["kategoria", "kod", "nazwa", "jednostka"]
# Optional columns and the fields they fill. A column missing from the file leaves that field of
# an existing process as it is (a file of codes and names must not wipe owners or relations).
OPTIONAL_FIELDS = {
    "cel": "purpose",
    "wlasciciel": "owner",
    "wejscia": "inputs",
    "wyjscia": "outputs",
}
MAX_ROWS = 5000
_ASCII_LETTERS = str.maketrans("ąćęłńóśźż", "acelnoszz")


@dataclass
class RowError:
    line: int
    column: str
    message: str


@dataclass
class ImportRow:
    """One validated row of an imported register, ready to write."""

    line: int
    fields: dict[str, Any]
    related_codes: list[str]


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, no header, too many rows)."""


Table = list[tuple[int, list[str]]]  # (row number as a spreadsheet shows it, cells)


def _is_blank(row: list[str]) -> bool:
    return not any(cell.strip() for cell in row)


def _read_csv(data: bytes) -> Table:
    for encoding in ("utf-8-sig", "cp1250"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # cp1250 leaves a few bytes undefined
        raise ImportFileError(_("The file is not a text file in UTF-8 or Windows-1250."))
    if "\x00" in text:
        raise ImportFileError(_("The file is not a text file in UTF-8 or Windows-1250."))
    first_line = next(iter(text.splitlines()), "")  # also for "\r" line ends (Excel for Mac)
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    table: Table = []
    try:
        # A record, not a physical line: a quoted cell may span lines, as in a spreadsheet.
        for number, row in enumerate(reader, start=1):
            if not _is_blank(row):
                table.append((number, row))
    except csv.Error as exc:  # e.g. a cell longer than the csv module's field limit
        raise ImportFileError(
            _("The file is not a valid CSV file (error near row %(line)s).")
            % {"line": reader.line_num}
        ) from exc
    return table


def _read_xlsx(data: bytes) -> Table:
    table: Table = []
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
                row = ["" if v is None else str(v) for v in values]
                if not _is_blank(row):
                    table.append((number, row))
                    if len(table) > MAX_ROWS + 1:
                        break
        finally:
            workbook.close()
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportFileError(_("The file is not a valid XLSX workbook.")) from exc
    return table


def read_register(name: str, data: bytes) -> tuple[list[ImportRow], list[RowError]]:
    """Parse and validate a register file. Returns the rows ready to import and, if any row is
    wrong, every problem found (line numbers as a spreadsheet shows them, header = 1)."""
    table = _read_xlsx(data) if name.lower().endswith(".xlsx") else _read_csv(data)
    if not table:
        raise ImportFileError(_("The file is empty."))
    if len(table) > MAX_ROWS + 1:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.")
            % {"max": MAX_ROWS}
        )
    # "właściciel" and "wlasciciel" name the same column: spreadsheets get typed in Polish.
    header = [read_cell(h).lower().translate(_ASCII_LETTERS) for h in table[0][1]]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ImportFileError(
            _("The header row lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}
        )
    index = {h: i for i, h in enumerate(header)}
    optional = {column: field for column, field in OPTIONAL_FIELDS.items() if column in index}

    def cell(row: list[str], column: str) -> str:
        i = index.get(column)
        return read_cell(row[i]) if i is not None and i < len(row) else ""

    units = {u.code: u for u in OrganisationalUnit.objects.all()}
    wanted = {cell(r, "wlasciciel") for _line, r in table[1:]} if "wlasciciel" in index else set()
    users = {u.username: u for u in User.objects.filter(username__in=wanted - {""})}
    # What the register holds now: a dissolved unit or a departed owner may stay on a process
    # that already has them (an exported register imports back), but is not assigned anew.
    current = {
        code: (unit_id, owner_id)
        for code, unit_id, owner_id in Process.objects.values_list(
            "code", "owner_unit_id", "owner_id"
        )
    }
    file_codes: dict[str, int] = {}
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    categories = dict(Process.Category.choices)
    for line, raw in table[1:]:
        problems: dict[str, str] = {}  # column -> what is wrong with it
        category = cell(raw, "kategoria").upper()
        code = cell(raw, "kod")
        name_ = cell(raw, "nazwa")
        unit_code = cell(raw, "jednostka")
        owner_name = cell(raw, "wlasciciel")
        now_unit_id, now_owner_id = current.get(code, (None, None))
        if category not in categories:
            problems["kategoria"] = _("Category must be PZ, PG or PW.")
        if not code:
            problems["kod"] = _("The process code is missing.")
        elif len(code) > 30:
            problems["kod"] = _("The code is longer than 30 characters.")
        elif code in file_codes:
            problems["kod"] = _("The code %(code)s repeats line %(line)s.") % {
                "code": code,
                "line": file_codes[code],
            }
        else:
            file_codes[code] = line
        if not name_:
            problems["nazwa"] = _("The process name is missing.")
        elif len(name_) > 255:
            problems["nazwa"] = _("The name is longer than 255 characters.")
        unit = units.get(unit_code)
        if unit is None:
            problems["jednostka"] = _(
                "There is no organisational unit with the code “%(code)s”."
            ) % {"code": unit_code}
        elif not unit.is_active and unit.pk != now_unit_id:
            problems["jednostka"] = _("The organisational unit “%(code)s” is no longer active.") % {
                "code": unit_code
            }
        owner = None
        if owner_name:
            owner = users.get(owner_name)
            if owner is None or (not owner.is_active and owner.pk != now_owner_id):
                problems["wlasciciel"] = _("There is no active user “%(name)s”.") % {
                    "name": owner_name,
                }
        related_cell = cell(raw, "powiazane").replace(",", ";")
        related_codes = [c.strip() for c in related_cell.split(";") if c.strip()]
        errors.extend(RowError(line, column, message) for column, message in problems.items())
        if not problems:
            fields = {"category": category, "code": code, "name": name_, "owner_unit": unit}
            for column, field in optional.items():
                fields[field] = owner if field == "owner" else cell(raw, column)
            rows.append(ImportRow(line=line, fields=fields, related_codes=related_codes))
    # Related codes may point at processes in the database or anywhere in the file.
    all_codes = set(current) | set(file_codes)
    for row in rows:
        for code in row.related_codes:
            if code == row.fields["code"]:
                message = _("A process cannot be related to itself.")
            elif code not in all_codes:
                message = _("There is no process with the code “%(code)s”.") % {"code": code}
            else:
                continue
            errors.append(RowError(row.line, "powiazane", message))
    errors.sort(key=lambda e: e.line)
    if not errors:
        _settle_related(rows, column_present="powiazane" in index)
    return rows, errors


def _settle_related(rows: list[ImportRow], *, column_present: bool) -> None:
    """Make the rows' related codes agree with each other, as the relation is symmetrical.

    Without the column every process keeps its relations. With it, two rows of the file may
    disagree (PG.3 names PG.2, the row of PG.2 does not name PG.3): applied one after the other,
    the later row would silently undo the earlier. Exactly one of the two differs from the
    register, and that one is the person's edit, so it wins: the relation is added or removed.
    """
    codes = [row.fields["code"] for row in rows]
    through = Process.related.through.objects.filter(from_process__code__in=codes)
    now: dict[str, set[str]] = defaultdict(set)
    for a, b in through.values_list("from_process__code", "to_process__code"):
        now[a].add(b)
    if not column_present:
        for row in rows:
            row.related_codes = sorted(now[row.fields["code"]])
        return
    declared = {row.fields["code"]: set(row.related_codes) for row in rows}
    add: list[tuple[str, str]] = []
    drop: list[tuple[str, str]] = []
    for a, related in declared.items():
        for b in related:
            if b in declared and a not in declared[b]:
                if b in now[a]:
                    drop.append((a, b))  # the row of b removed the relation
                else:
                    add.append((b, a))  # the row of a added it
    for a, b in drop:
        declared[a].discard(b)
    for a, b in add:
        declared[a].add(b)
    for row in rows:
        row.related_codes = sorted(declared[row.fields["code"]])


@transaction.atomic
def process_register_import(*, rows: list[ImportRow], by: User) -> tuple[int, int]:
    """Write validated import rows: new codes are added, known codes updated.

    All rows are written or none: the caller validated every row first, and any error here
    rolls the whole import back. Returns (created, updated).
    """
    require(process_can_manage(by))
    created = updated = 0
    existing = {
        p.code: p for p in Process.objects.filter(code__in=[r.fields["code"] for r in rows])
    }
    by_code: dict[str, Process] = {}
    for row in rows:
        process = existing.get(row.fields["code"])
        if process is None:
            process = process_create(by=by, **row.fields)
            created += 1
        else:
            changed = {k: v for k, v in row.fields.items() if getattr(process, k) != v}
            if changed:
                process = process_update(
                    process=process, by=by, expected_version=process.version, **changed
                )
                updated += 1
        by_code[process.code] = process
    # Relations last: a row may name a process added by a later row.
    known = {
        p.code: p
        for p in Process.objects.filter(code__in={c for r in rows for c in r.related_codes})
    }
    known.update(by_code)
    for row in rows:
        process = by_code[row.fields["code"]]
        related = [known[c] for c in row.related_codes]
        if {p.pk for p in process.related.all()} != {p.pk for p in related}:
            process_update(
                process=process, by=by, expected_version=process.version, related=related
            )
    return created, updated
