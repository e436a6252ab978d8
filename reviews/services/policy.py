"""Writes of the Quality Policy (Księga Jakości §9, §10): the Pełnomocnik drafts a new
version, the Prezydent approves it and the version in force until then becomes superseded —
in one transaction, so there is never a moment with two versions in force or none."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from qms.models import User
from qms.services import create_recorded, lock, require, save_versioned, transition
from reviews.models import QualityPolicy
from reviews.selectors.policy import can_approve_policy, can_draft_policy

S = QualityPolicy.Status


def _check_text(mission: str, declaration: str) -> None:
    errors = {}
    if not mission.strip():
        errors["mission"] = _("Write the mission.")
    if not declaration.strip():
        errors["declaration"] = _("Write the Mayor's declaration.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def policy_draft_create(*, by: User, mission: str, declaration: str) -> QualityPolicy:
    """Start a new version as a draft with the next number (the Pełnomocnik). Only one draft
    at a time: two competing drafts would leave the Prezydent guessing which to approve."""
    require(can_draft_policy(by))
    _check_text(mission, declaration)
    # The table lock makes the "one draft" check and the next number safe against a
    # concurrent submission; the policy is drafted a few times in a decade.
    list(QualityPolicy.objects.select_for_update().values_list("pk", flat=True))
    if QualityPolicy.objects.filter(status=S.DRAFT).exists():
        raise ValidationError(
            _("A draft of the Quality Policy is already being prepared. Edit that draft instead.")
        )
    number = (QualityPolicy.objects.aggregate(last=Max("number"))["last"] or 0) + 1
    policy = QualityPolicy(
        number=number, mission=mission.strip(), declaration=declaration.strip(), status=S.DRAFT
    )
    return create_recorded(policy, by=by)


@transaction.atomic
def policy_draft_update(
    *, policy: QualityPolicy, by: User, expected_version: int, mission: str, declaration: str
) -> QualityPolicy:
    """Change the text of a draft (the Pełnomocnik). An approved version is never edited: a
    change is a new version."""
    require(can_draft_policy(by))
    current = lock(policy)
    if current.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be changed; start a new version instead."))
    _check_text(mission, declaration)
    current.mission = mission.strip()
    current.declaration = declaration.strip()
    return save_versioned(
        current,
        expected_version=expected_version,
        by=by,
        update_fields=["mission", "declaration"],
    )


@transaction.atomic
def policy_approve(*, policy: QualityPolicy, by: User, expected_version: int) -> QualityPolicy:
    """Approve a draft (the Prezydent): it comes into force and the version in force until now
    becomes superseded, both recorded in history with the Prezydent as the author."""
    require(can_approve_policy(by))
    # Every version is locked: the draft and the version in force change together, and a
    # second approval at the same moment waits and then finds no draft.
    versions = {p.pk: p for p in QualityPolicy.objects.select_for_update().order_by("number")}
    current = versions.get(policy.pk)
    if current is None or current.status != S.DRAFT:
        raise ValidationError(_("Only a draft can be approved."))
    now = timezone.now()
    for previous in versions.values():
        if previous.status == S.APPROVED:
            transition(
                previous,
                by=by,
                expected_version=None,
                change_reason=f"Zastąpiona wersją {current.number}",
                status=S.SUPERSEDED,
            )
    return transition(
        current,
        by=by,
        expected_version=expected_version,
        status=S.APPROVED,
        approved_by=by,
        approved_at=now,
    )
