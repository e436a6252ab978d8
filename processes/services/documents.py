"""Writes to the governing documents of a process: its owner or a register keeper attaches and
changes them; an edition no longer in force stays on record."""

from typing import Any

from django.db import transaction

from processes.models import GoverningDocument, Process
from processes.selectors import process_can_edit_description
from qms.models import User
from qms.services import create_recorded, require, save_versioned

DOCUMENT_FIELDS = ("code", "title", "edition", "effective_date", "link", "file", "in_force")


@transaction.atomic
def document_add(*, process: Process, by: User, **fields: Any) -> GoverningDocument:
    """Attach a governing document to ``process`` (its owner or a register keeper)."""
    require(process_can_edit_description(by, process))
    document = GoverningDocument(
        process=process, **{k: v for k, v in fields.items() if k in DOCUMENT_FIELDS}
    )
    return create_recorded(document, by=by)


@transaction.atomic
def document_update(
    *, document: GoverningDocument, by: User, expected_version: int, **fields: Any
) -> GoverningDocument:
    """Change a governing document; an edition no longer in force stays on record."""
    require(process_can_edit_description(by, document.process))
    for name, value in fields.items():
        if name not in DOCUMENT_FIELDS:
            raise ValueError(f"{name} is not a document field")
        setattr(document, name, value)
    return save_versioned(document, expected_version=expected_version, by=by)
