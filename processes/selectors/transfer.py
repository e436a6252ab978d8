"""The register as an exported file (CSV or XLSX): its columns and rows.

The export's columns are the import's (``processes.services.transfer``), so a register
exported, edited in a spreadsheet and imported again round-trips.
"""

from collections.abc import Iterable, Iterator

from processes.models import Process

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


def export_rows(processes: Iterable[Process]) -> Iterator[list[str]]:
    """The header and one row per process; ``processes`` must prefetch ``related``."""
    yield [header for header, _field in COLUMNS]
    for p in processes:
        yield [
            p.category,
            p.code,
            p.name,
            p.purpose,
            p.owner_unit.code,
            p.owner.username if p.owner else "",
            p.inputs,
            p.outputs,
            "; ".join(sorted(r.code for r in p.related.all())),
            p.status,
        ]
