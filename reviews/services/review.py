"""Writes of management reviews (Księga Jakości §29): the Pełnomocnik prepares and convenes a
review, records its commentary and decisions; the Prezydent approves the minutes, which are
rendered once, stored with their SHA-256 and never rendered again; a decision's owner records it
done. Each service checks who acts and from which state, writes the change with its history in
one transaction, and refuses with a Polish ``ValidationError`` (wrong state or data) or
``PermissionDenied`` (wrong person)."""

import datetime
import hashlib
import re
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.models import User
from qms.services import (
    create_recorded,
    lock,
    require,
    require_state,
    require_text,
    save_versioned,
    transition,
)
from reviews.models import ManagementReview, ReviewDecision
from reviews.selectors import review as selectors
from reviews.selectors.review_inputs import INPUT_CODES, minutes_pdf

R = ManagementReview.Status
D = ReviewDecision.Status


def _check_participants(participants: Iterable[User]) -> list[User]:
    people = list(participants)
    outsiders = [p for p in people if not selectors.is_top_management(p)]
    if outsiders:
        raise ValidationError(
            {
                "participants": _(
                    "Only top management and the quality management representative take part "
                    "in the review: %(names)s is not one of them."
                )
                % {"names": ", ".join(str(p) for p in outsiders)}
            }
        )
    return people


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if start > end:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})


def next_review_number(year: int) -> str:
    """``PZ/<year>/<n>``: the next free number of the meeting's year."""
    prefix = f"PZ/{year}/"
    taken = ManagementReview.objects.filter(number__startswith=prefix).values_list(
        "number", flat=True
    )
    numbers = [int(m.group(1)) for n in taken if (m := re.fullmatch(r"PZ/\d+/(\d+)", n))]
    return f"{prefix}{max(numbers, default=0) + 1}"


@transaction.atomic
def review_create(
    *,
    by: User,
    meeting_date: datetime.date,
    period_start: datetime.date,
    period_end: datetime.date,
    participants: Iterable[User] = (),
) -> ManagementReview:
    """The Pełnomocnik prepares a review (draft), numbered ``PZ/<year of the meeting>/<n>``."""
    require(selectors.can_prepare_reviews(by))
    _check_period(period_start, period_end)
    people = _check_participants(participants)
    review = ManagementReview(
        number=next_review_number(meeting_date.year),
        meeting_date=meeting_date,
        period_start=period_start,
        period_end=period_end,
        prepared_by=by,
    )
    try:
        # A savepoint: two reviews numbered at the same moment collide on the unique number;
        # the second is refused cleanly instead of breaking the whole transaction.
        with transaction.atomic():
            create_recorded(review, by=by)
    except IntegrityError as exc:
        raise ValidationError(
            _("Another review was numbered at the same moment. Please submit again."),
            code="number_taken",
        ) from exc
    review.participants.set(people)
    return review


@transaction.atomic
def review_update(
    *,
    review: ManagementReview,
    by: User,
    expected_version: int,
    commentary: Mapping[str, str] | None = None,
    summary: str | None = None,
    participants: Iterable[User] | None = None,
) -> ManagementReview:
    """The Pełnomocnik records the commentary on the inputs (codes a–j), the conclusions and
    the participants, while the review is being prepared or after the meeting, never after
    the minutes are approved. Arguments left ``None`` stay as they are."""
    require(selectors.can_prepare_reviews(by))
    current = lock(review)
    require_state(current, R.DRAFT, R.HELD)
    if commentary is not None:
        unknown = set(commentary) - set(INPUT_CODES)
        if unknown:
            raise ValidationError(
                _("Unknown input: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
            )
        # Only inputs that have text are kept, so an emptied field leaves no blank entry.
        current.commentary = {
            code: commentary[code].strip()
            for code in INPUT_CODES
            if (commentary.get(code) or "").strip()
        }
    if summary is not None:
        current.summary = summary.strip()
    people = _check_participants(participants) if participants is not None else None
    save_versioned(current, expected_version=expected_version, by=by)
    if people is not None:
        current.participants.set(people)
    return current


@transaction.atomic
def review_hold(*, review: ManagementReview, by: User, expected_version: int) -> ManagementReview:
    """The Pełnomocnik records that the meeting took place (draft → held). A meeting has
    participants, so a review without any is refused."""

    def check(current: ManagementReview) -> None:
        if not current.participants.exists():
            raise ValidationError(
                {"participants": _("Name the participants of the meeting first.")},
                code="no_participants",
            )

    return transition(
        review,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_prepare_reviews(by),
        source=[R.DRAFT],
        check=check,
        status=R.HELD,
    )


@transaction.atomic
def review_approve(
    *, review: ManagementReview, by: User, expected_version: int
) -> ManagementReview:
    """The Prezydent approves the minutes of a held review (held → approved).

    The minutes are rendered once, here, and stored with their SHA-256: every later download
    serves these bytes, so later changes to the records never alter the approved minutes.
    From now on only the decisions' status changes.
    """
    require(selectors.can_approve_reviews(by))
    current = lock(review)
    require_state(current, R.HELD)
    if current.version != expected_version:
        # Refused before the slow rendering, with the same error (and the other person's
        # changes) as any stale form: save_versioned raises on the version before it writes.
        save_versioned(current, expected_version=expected_version, by=by)
    current.status = R.APPROVED
    current.approved_by = by
    current.approved_at = timezone.now()
    pdf = minutes_pdf(current, final=True)
    digest = hashlib.sha256(pdf).hexdigest()
    name = f"{current.number.replace('/', '-')}-{digest[:12]}.pdf"
    current.minutes_pdf.save(name, ContentFile(pdf), save=False)
    current.minutes_sha256 = digest
    stored = current.minutes_pdf.name
    try:
        save_versioned(current, expected_version=expected_version, by=by)
    except Exception:
        # Nothing refers to the file if the approval is refused: do not leave it behind.
        current.minutes_pdf.storage.delete(stored)
        raise
    return current


# --- decisions ------------------------------------------------------------------------------


def _check_decision(type: str, description: str, owner: User, deadline: datetime.date) -> None:
    errors = {}
    if type not in ReviewDecision.Type.values:
        errors["type"] = _("Choose the kind of decision.")
    if not description.strip():
        errors["description"] = _("Describe the decision.")
    if owner is None or not owner.is_active:
        errors["owner"] = _("Choose an active person responsible for the decision.")
    if deadline is None:
        errors["deadline"] = _("Give the deadline.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def decision_add(
    *,
    review: ManagementReview,
    by: User,
    type: str,
    description: str,
    owner: User,
    deadline: datetime.date,
) -> ReviewDecision:
    """The Pełnomocnik records a decision (output a, b or c) with its owner and deadline, while
    the review is prepared or after the meeting; never after the minutes are approved."""
    require(selectors.can_prepare_reviews(by))
    current = lock(review)
    require_state(current, R.DRAFT, R.HELD)
    _check_decision(type, description, owner, deadline)
    return create_recorded(
        ReviewDecision(
            review=current,
            type=type,
            description=description.strip(),
            owner=owner,
            deadline=deadline,
        ),
        by=by,
    )


@transaction.atomic
def decision_update(
    *,
    decision: ReviewDecision,
    by: User,
    expected_version: int,
    type: str | None = None,
    description: str | None = None,
    owner: User | None = None,
    deadline: datetime.date | None = None,
    status: str | None = None,
    note: str = "",
) -> ReviewDecision:
    """The Pełnomocnik edits a decision. Before approval anything may change; after it only
    the status (the approved minutes stay true to what was decided): a decision may be
    cancelled with a reason, or reopened. Arguments left ``None`` stay as they are."""
    require(selectors.can_prepare_reviews(by))
    review = lock(decision.review)
    current = lock(decision)
    content = {"type": type, "description": description, "owner": owner, "deadline": deadline}
    changes = {k: v for k, v in content.items() if v is not None}
    if review.status == R.APPROVED:
        changed = [k for k, v in changes.items() if getattr(current, k) != v]
        if changed:
            raise ValidationError(
                _("The minutes are approved: only the status of a decision may change now."),
                code="approved",
            )
    for name, value in changes.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    _check_decision(current.type, current.description, current.owner, current.deadline)
    if status is not None and status != current.status:
        if status == D.CANCELLED:
            current.completion_note = require_text(
                note, field="note", message=_("Give the reason for the cancellation.")
            )
            current.completed_at = timezone.now()
        elif status == D.OPEN:
            current.completed_at = None
        else:
            # "Done" is recorded by the owner (decision_complete), with what they did.
            raise ValidationError({"status": _("Only the owner records a decision as done.")})
        current.status = status
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        change_reason=note.strip() or None,
    )


@transaction.atomic
def decision_complete(
    *, decision: ReviewDecision, by: User, expected_version: int, note: str
) -> ReviewDecision:
    """The decision's owner records it done, saying how, once the meeting was held."""

    def check(current: ReviewDecision) -> None:
        # Judged on the decision as it is now: its owner and its review's status.
        require(current.owner_id == by.pk)
        if not selectors.can_complete_decision(by, current):
            raise ValidationError(
                _("This decision cannot be recorded as done now (status “%(status)s”).")
                % {"status": current.get_status_display()},
                code="wrong_state",
            )
        require_text(
            note, field="note", message=_("Describe what was done and where the evidence is.")
        )

    return transition(
        decision,
        by=by,
        expected_version=expected_version,
        check=check,
        status=D.DONE,
        completion_note=note.strip(),
        completed_at=timezone.now(),
    )
