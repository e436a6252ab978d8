"""Writes shared by every app: the optimistic-concurrency save that keeps edits from being lost."""

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from qms.models import User, VersionedModel

M = TypeVar("M", bound=VersionedModel)


class ConcurrentEditError(ValidationError):
    """Someone saved the record after the form was opened. ``changes`` lists what they changed
    as ``(field label, their value)`` pairs so the person can decide what to do."""

    def __init__(self, *, changed_by: str, changes: list[tuple[str, str]]):
        self.changed_by = changed_by
        self.changes = changes
        super().__init__(
            _(
                "Someone else (%(who)s) saved this record after you opened the form. "
                "Nothing was saved. Review their changes below and submit your edits again."
            )
            % {"who": changed_by},
            code="concurrent_edit",
        )


def _describe_changes(instance: VersionedModel, since_version: int) -> tuple[str, list]:
    history = instance.history.select_related("history_user")  # type: ignore[attr-defined]
    newest = history.order_by("-history_date", "-history_id").first()
    oldest = history.filter(version=since_version).order_by("-history_date").first()
    who = str(newest.history_user) if newest and newest.history_user else _("unknown user")
    if newest is None or oldest is None:
        return who, []
    delta = newest.diff_against(oldest, excluded_fields=["version", "updated_at"])
    changes = []
    for change in delta.changes:
        field = instance._meta.get_field(change.field)
        changes.append((str(field.verbose_name), "" if change.new is None else str(change.new)))
    return who, changes


def save_versioned(
    instance: M,
    *,
    expected_version: int,
    by: User | None,
    update_fields: Iterable[str] | None = None,
    change_reason: str | None = None,
) -> M:
    """Save ``instance`` only if nobody saved it since ``expected_version`` was read.

    The row is locked for the check, so two concurrent saves cannot both pass it. The save is
    validated (``full_clean``) and recorded in history with ``by`` as the acting user. Raises
    ``ConcurrentEditError`` (a ``ValidationError``) and writes nothing when the check fails.
    """
    model = type(instance)
    with transaction.atomic():
        current = model._default_manager.select_for_update().only("version").get(pk=instance.pk)
        if current.version != expected_version:
            who, changes = _describe_changes(current, expected_version)
            raise ConcurrentEditError(changed_by=who, changes=changes)
        instance.version = expected_version + 1
        instance.full_clean()
        instance._history_user = by  # type: ignore[attr-defined]
        if change_reason:
            instance._change_reason = change_reason  # type: ignore[attr-defined]
        fields = None
        if update_fields is not None:
            fields = {*update_fields, "version", "updated_at"}
        instance.save(update_fields=fields)
    return instance


def create_recorded(instance: M, *, by: User | None, change_reason: str | None = None) -> M:
    """Validate and insert a new record with ``by`` as the author of its first history row."""
    instance.full_clean()
    instance._history_user = by  # type: ignore[attr-defined]
    if change_reason:
        instance._change_reason = change_reason  # type: ignore[attr-defined]
    instance.save()
    return instance


def lock(record: M) -> M:
    """Re-read ``record`` under a row lock (inside the caller's transaction): a transition
    decides on the state as it is now, not as it was when the page was opened."""
    return type(record)._default_manager.select_for_update().get(pk=record.pk)


def transition(
    record: M,
    *,
    by: User | None,
    expected_version: int | None,
    allowed: bool = True,
    source: Iterable[str] | None = None,
    check: Callable[[M], None] | None = None,
    change_reason: str | None = None,
    **changes: Any,
) -> M:
    """The one guarded step of every workflow (submit, return, approve, …).

    Refuses a person who is not ``allowed`` (``PermissionDenied``), a record whose current state
    is not in ``source`` and whatever ``check`` raises (``ValidationError``); then writes
    ``changes`` (usually ``status=...``) with a version check and a history row for ``by``, all
    in one transaction. ``expected_version=None`` means "as it is now" (a step that follows
    another in the same service).
    """
    require(allowed)
    with transaction.atomic():
        current = lock(record)
        if source is not None:
            require_state(current, *source)
        if check is not None:
            check(current)
        for name, value in changes.items():
            setattr(current, name, value)
        return save_versioned(
            current,
            expected_version=current.version if expected_version is None else expected_version,
            by=by,
            change_reason=change_reason,
        )


def require_text(value: str, *, field: str, message: str) -> str:
    """A reason or comment a step cannot go without; the stripped text, or a field error."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def require(allowed: bool) -> None:
    """Refuse the acting person: every service's permission check ends here."""
    if not allowed:
        raise PermissionDenied(_("You are not allowed to do this."))


def require_state(record: Any, *states: str) -> None:
    """Refuse a transition from a state it does not start from, naming the current state."""
    if record.status not in states:
        raise ValidationError(
            _("This cannot be done while the status is “%(status)s”.")
            % {"status": record.get_status_display()},
            code="wrong_state",
        )
