"""History rows as every record's page shows them: who, when, what kind of change, the reason
given and the labels of the fields changed."""

from typing import Any

from django.db.models import Model

# Bookkeeping fields every versioned record has; a change to them alone is not news.
HIDDEN_IN_HISTORY = ("version", "updated_at", "created_at")


def history_rows(
    instance: Model,
    *,
    limit: int = 100,
    hidden: tuple[str, ...] = HIDDEN_IN_HISTORY,
    changes: bool = True,
) -> list[dict[str, Any]]:
    """The newest ``limit`` history records of ``instance``, newest first: who, when, the kind
    of change and its reason, the status after it (for records with a workflow) and, unless
    ``changes=False``, the labels of the fields changed.

    Diffs are computed in Python from rows fetched in one query, so a page's query count does
    not depend on how often the record was edited.
    """
    model = type(instance)
    records = list(
        instance.history.select_related("history_user").order_by(  # type: ignore[attr-defined]
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    rows: list[dict[str, Any]] = []
    for newer, older in zip(records, [*records[1:], None], strict=False):
        if len(rows) == limit:
            break
        changed: list[str] = []
        if changes and older is not None:
            delta = newer.diff_against(older, excluded_fields=list(hidden))
            changed = [str(model._meta.get_field(c.field).verbose_name) for c in delta.changes]
        rows.append(
            {
                "date": newer.history_date,
                "user": newer.history_user,
                "type": newer.get_history_type_display(),
                "reason": newer.history_change_reason,
                "changes": changed,
                "status": newer.get_status_display() if hasattr(newer, "status") else None,
            }
        )
    return rows
