"""Writes of the auditor appointments: the yearly candidate list, its review by Koordynator WOU
and the Prezydent's appointment by ordinance."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audits import selectors
from audits.models import AuditorCandidate, AuditorList
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


@transaction.atomic
def auditor_list_create(*, year: int, by: User) -> AuditorList:
    """Start an empty candidate list for ``year`` (Koordynator WOU)."""
    require(selectors.can_prepare_programme(by))
    if AuditorList.objects.filter(year=year).exists():
        raise ValidationError(_("A candidate list for %(year)s already exists.") % {"year": year})
    return create_recorded(AuditorList(year=year), by=by)


@transaction.atomic
def auditor_list_carry_over(*, year: int, by: User) -> AuditorList:
    """Start ``year``'s list from the previous year's auditors in one action. Every carried
    candidate is marked as not yet reviewed: the list cannot be submitted until each one was
    looked at again (certificate still valid, person still employed)."""
    require(selectors.can_prepare_programme(by))
    previous = AuditorList.objects.filter(year=year - 1).first()
    if previous is None:
        raise ValidationError(
            _("There is no candidate list for %(year)s to carry over.") % {"year": year - 1}
        )
    new_list = auditor_list_create(year=year, by=by)
    for candidate in previous.candidates.filter(removed=False, person__is_active=True):
        create_recorded(
            AuditorCandidate(
                auditor_list=new_list,
                person=candidate.person,
                qualification=candidate.qualification,
                certificate_date=candidate.certificate_date,
                notes=candidate.notes,
                reviewed=False,
            ),
            by=by,
            change_reason=f"Przeniesiono z listy {previous.year}",
        )
    return new_list


@transaction.atomic
def auditor_candidate_add(
    *,
    auditor_list: AuditorList,
    person: User,
    by: User,
    qualification: str,
    certificate_date: datetime.date,
    notes: str = "",
) -> AuditorCandidate:
    require(selectors.can_prepare_programme(by))
    require_state(lock(auditor_list), AuditorList.Status.DRAFT)
    existing = auditor_list.candidates.filter(person=person).first()
    if existing is not None and not existing.removed:
        raise ValidationError({"person": _("This person is already on the list.")})
    if existing is not None:
        # Put back someone removed earlier: the same row keeps their history.
        return auditor_candidate_update(
            candidate=existing,
            by=by,
            expected_version=existing.version,
            qualification=qualification,
            certificate_date=certificate_date,
            notes=notes,
            removed=False,
            reviewed=True,
        )
    return create_recorded(
        AuditorCandidate(
            auditor_list=auditor_list,
            person=person,
            qualification=qualification,
            certificate_date=certificate_date,
            notes=notes,
        ),
        by=by,
    )


@transaction.atomic
def auditor_candidate_update(
    *, candidate: AuditorCandidate, by: User, expected_version: int, **fields: Any
) -> AuditorCandidate:
    """Change a candidate's evidence; saving it marks the candidate as reviewed."""
    require(selectors.can_prepare_programme(by))
    require_state(lock(candidate.auditor_list), AuditorList.Status.DRAFT)
    allowed = {"qualification", "certificate_date", "notes", "reviewed", "removed"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(name)
        setattr(candidate, name, value)
    fields.setdefault("reviewed", True)
    candidate.reviewed = fields["reviewed"]
    return save_versioned(candidate, expected_version=expected_version, by=by)


@transaction.atomic
def auditor_candidate_remove(
    *, candidate: AuditorCandidate, by: User, expected_version: int
) -> AuditorCandidate:
    """Take a candidate off a draft list. The row stays, marked removed, with its history."""
    return auditor_candidate_update(
        candidate=candidate, by=by, expected_version=expected_version, removed=True
    )


def _check_every_candidate_reviewed(auditor_list: AuditorList) -> None:
    active = auditor_list.candidates.filter(removed=False)
    if not active.exists():
        raise ValidationError(_("The list has no candidates."))
    unreviewed = active.filter(reviewed=False).select_related("person")
    if unreviewed:
        raise ValidationError(
            _("Review every candidate carried over from last year first: %(names)s.")
            % {"names": ", ".join(str(c.person) for c in unreviewed)}
        )


def auditor_list_submit(
    *, auditor_list: AuditorList, by: User, expected_version: int
) -> AuditorList:
    """Send the list to the Prezydent. Every candidate must have been reviewed."""
    return transition(
        auditor_list,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_prepare_programme(by),
        source=[AuditorList.Status.DRAFT],
        check=_check_every_candidate_reviewed,
        status=AuditorList.Status.SUBMITTED,
        return_comment="",
    )


def auditor_list_return(
    *, auditor_list: AuditorList, by: User, expected_version: int, comment: str
) -> AuditorList:
    """The Prezydent sends the list back for corrections, saying why."""
    return transition(
        auditor_list,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_approve_programme(by),
        source=[AuditorList.Status.SUBMITTED],
        check=lambda _current: require_text(
            comment, field="comment", message=_("Say what needs to be corrected.")
        ),
        status=AuditorList.Status.DRAFT,
        return_comment=comment.strip(),
    )


def auditor_list_appoint(
    *,
    auditor_list: AuditorList,
    by: User,
    expected_version: int,
    ordinance_number: str,
    ordinance_date: datetime.date,
) -> AuditorList:
    """The Prezydent appoints the listed candidates as the year's auditors by ordinance."""
    return transition(
        auditor_list,
        by=by,
        expected_version=expected_version,
        allowed=selectors.can_approve_programme(by),
        source=[AuditorList.Status.SUBMITTED],
        check=lambda _current: require_text(
            ordinance_number, field="ordinance_number", message=_("Give the ordinance number.")
        ),
        status=AuditorList.Status.APPOINTED,
        ordinance_number=ordinance_number.strip(),
        ordinance_date=ordinance_date,
        appointed_by=by,
        appointed_at=timezone.now(),
    )
