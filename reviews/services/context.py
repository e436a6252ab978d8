"""Writes to the context register (Księga Jakości §3, §4). Only the register keepers write;
every change is versioned and recorded with its author; an entry is retired, never deleted."""

import datetime
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.models import User
from qms.services import create_recorded, save_versioned
from reviews.models import ContextIssue, InterestedParty
from reviews.selectors.context import can_keep_context

ISSUE_FIELDS = ("kind", "title", "description", "effect")
PARTY_FIELDS = ("name", "needs", "monitoring")

Entry = TypeVar("Entry", ContextIssue, InterestedParty)


def _require_keeper(user: User) -> None:
    if not can_keep_context(user):
        raise PermissionDenied(_("You are not allowed to do this."))


def _require_current(entry: ContextIssue | InterestedParty) -> None:
    if not entry.is_active:
        raise ValidationError(_("This entry is retired and can no longer be changed."))


def _set(entry: Entry, allowed: tuple[str, ...], fields: dict[str, Any]) -> Entry:
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} is not an editable field")
        setattr(entry, name, value.strip() if isinstance(value, str) else value)
    return entry


def _locked(entry: Entry) -> Entry:
    # Re-read under a lock: the state checks below must see what is in the database now.
    return type(entry).objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def context_issue_create(*, by: User, **fields: Any) -> ContextIssue:
    """Add an external or internal issue (keepers only)."""
    _require_keeper(by)
    return create_recorded(_set(ContextIssue(), ISSUE_FIELDS, fields), by=by)


@transaction.atomic
def context_issue_update(
    *, issue: ContextIssue, by: User, expected_version: int, **fields: Any
) -> ContextIssue:
    """Change what a current issue says (keepers only)."""
    _require_keeper(by)
    current = _locked(issue)
    _require_current(current)
    _set(current, ISSUE_FIELDS, fields)
    return save_versioned(current, expected_version=expected_version, by=by)


@transaction.atomic
def interested_party_create(*, by: User, **fields: Any) -> InterestedParty:
    """Add an interested party with its needs and expectations (keepers only)."""
    _require_keeper(by)
    return create_recorded(_set(InterestedParty(), PARTY_FIELDS, fields), by=by)


@transaction.atomic
def interested_party_update(
    *, party: InterestedParty, by: User, expected_version: int, **fields: Any
) -> InterestedParty:
    """Change what the register says about a current interested party (keepers only)."""
    _require_keeper(by)
    current = _locked(party)
    _require_current(current)
    _set(current, PARTY_FIELDS, fields)
    return save_versioned(current, expected_version=expected_version, by=by)


def _mark_reviewed(
    entry: Entry, *, by: User, expected_version: int, note: str, today: datetime.date | None
) -> Entry:
    _require_keeper(by)
    current = _locked(entry)
    _require_current(current)
    current.last_reviewed = today or timezone.localdate()
    # The note goes into the history row: the register keeps when and why it was confirmed.
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["last_reviewed"],
        change_reason=note.strip() or None,
    )


def _retire(entry: Entry, *, by: User, expected_version: int, reason: str) -> Entry:
    _require_keeper(by)
    current = _locked(entry)
    _require_current(current)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason why the entry is no longer current.")})
    current.is_active = False
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["is_active"],
        change_reason=reason.strip(),
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
