"""Writes to the context register (Księga Jakości §3, §4). Only the register keepers write;
every change is versioned and recorded with its author; an entry is retired, never deleted."""

import datetime
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.models import User
from qms.services import create_recorded, lock, require, require_text, save_versioned, transition
from reviews.models import ContextIssue, InterestedParty
from reviews.selectors.context import can_keep_context

ISSUE_FIELDS = ("kind", "title", "description", "effect")
PARTY_FIELDS = ("name", "needs", "monitoring")

Entry = TypeVar("Entry", ContextIssue, InterestedParty)


def _require_current(entry: ContextIssue | InterestedParty) -> None:
    if not entry.is_active:
        raise ValidationError(_("This entry is retired and can no longer be changed."))


def _set(entry: Entry, allowed: tuple[str, ...], fields: dict[str, Any]) -> Entry:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} is not an editable field")
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    return entry


@transaction.atomic
def context_issue_create(*, by: User, **fields: Any) -> ContextIssue:
    """Add an external or internal issue (keepers only)."""
    require(can_keep_context(by))
    return create_recorded(_set(ContextIssue(), ISSUE_FIELDS, fields), by=by)


@transaction.atomic
def context_issue_update(
    *, issue: ContextIssue, by: User, expected_version: int, **fields: Any
) -> ContextIssue:
    """Change what a current issue says (keepers only)."""
    require(can_keep_context(by))
    current = lock(issue)
    _require_current(current)
    _set(current, ISSUE_FIELDS, fields)
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def interested_party_create(*, by: User, **fields: Any) -> InterestedParty:
    """Add an interested party with its needs and expectations (keepers only)."""
    require(can_keep_context(by))
    return create_recorded(_set(InterestedParty(), PARTY_FIELDS, fields), by=by)


@transaction.atomic
def interested_party_update(
    *, party: InterestedParty, by: User, expected_version: int, **fields: Any
) -> InterestedParty:
    """Change what the register says about a current interested party (keepers only)."""
    require(can_keep_context(by))
    current = lock(party)
    _require_current(current)
    _set(current, PARTY_FIELDS, fields)
    return save_versioned(current, expected_version=expected_version, by=by)


def _mark_reviewed(
    entry: Entry, *, by: User, expected_version: int, note: str, today: datetime.date | None
) -> Entry:
    # The note goes into the history row: the register keeps when and why it was confirmed.
    return transition(
        entry,
        by=by,
        expected_version=expected_version,
        allowed=can_keep_context(by),
        check=_require_current,
        change_reason=note.strip() or None,
        last_reviewed=today or timezone.localdate(),
    )


def _retire(entry: Entry, *, by: User, expected_version: int, reason: str) -> Entry:
    def check(current: Entry) -> None:
        _require_current(current)
        require_text(
            reason,
            field="reason",
            message=_("Give the reason why the entry is no longer current."),
        )

    return transition(
        entry,
        by=by,
        expected_version=expected_version,
        allowed=can_keep_context(by),
        check=check,
        change_reason=reason.strip(),
        is_active=False,
    )


@transaction.atomic
def context_issue_mark_reviewed(
    *,
    issue: ContextIssue,
    by: User,
    expected_version: int,
    note: str = "",
    today: datetime.date | None = None,
) -> ContextIssue:
    """Record that a current issue was reviewed today and still holds (keepers only)."""
    return _mark_reviewed(issue, by=by, expected_version=expected_version, note=note, today=today)


@transaction.atomic
def interested_party_mark_reviewed(
    *,
    party: InterestedParty,
    by: User,
    expected_version: int,
    note: str = "",
    today: datetime.date | None = None,
) -> InterestedParty:
    """Record that a current party's needs were reviewed today (keepers only)."""
    return _mark_reviewed(party, by=by, expected_version=expected_version, note=note, today=today)


@transaction.atomic
def context_issue_retire(
    *, issue: ContextIssue, by: User, expected_version: int, reason: str
) -> ContextIssue:
    """Mark an issue as no longer current, with the reason. It stays in the register."""
    return _retire(issue, by=by, expected_version=expected_version, reason=reason)


@transaction.atomic
def interested_party_retire(
    *, party: InterestedParty, by: User, expected_version: int, reason: str
) -> InterestedParty:
    """Mark an interested party as no longer current, with the reason. It stays on record."""
    return _retire(party, by=by, expected_version=expected_version, reason=reason)
