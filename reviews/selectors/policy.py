"""Reads of the Quality Policy (Księga Jakości §9): the version in force is shown to every
employee; drafts and earlier versions only to top management and the Pełnomocnik, who
formulate it (§10)."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from qms.models import User
from qms.roles import signed_in
from reviews.models import QualityPolicy
from reviews.selectors import is_pelnomocnik, is_prezydent, reads_everything


def can_read_policy_versions(user: User) -> bool:
    """Reads every version, drafts included (top management and the Pełnomocnik)."""
    return reads_everything(user)


def can_draft_policy(user: User) -> bool:
    """Prepares a new version for the Prezydent (the Pełnomocnik)."""
    return is_pelnomocnik(user)


def can_approve_policy(user: User) -> bool:
    """Approves a version, which puts it in force (only the Prezydent, §10)."""
    return is_prezydent(user)


def policy_in_force() -> QualityPolicy | None:
    """The approved version, or None before the first approval. The services keep at most one
    version approved; the newest wins should the data ever say otherwise."""
    return (
        QualityPolicy.objects.filter(status=QualityPolicy.Status.APPROVED)
        .select_related("approved_by")
        .order_by("-number")
        .first()
    )


def policy_for_employee(*, user: User) -> QualityPolicy | None:
    """What the "Polityka Jakości" page shows ``user``: the version in force — never a draft,
    whoever asks. ``PermissionDenied`` for the anonymous."""
    if not signed_in(user):
        raise PermissionDenied
    return policy_in_force()


def policy_draft() -> QualityPolicy | None:
    """The version being prepared, if any (the services allow one at a time)."""
    return (
        QualityPolicy.objects.filter(status=QualityPolicy.Status.DRAFT).order_by("-number").first()
    )


def policy_versions(*, user: User) -> QuerySet[QualityPolicy]:
    """Every version, newest first, for those who may read them; nothing for others."""
    if not can_read_policy_versions(user):
        return QualityPolicy.objects.none()
    return QualityPolicy.objects.select_related("approved_by").order_by("-number")


def policy_get(*, user: User, pk: int) -> QualityPolicy:
    """One version with its full text, or 404; ``PermissionDenied`` unless ``user`` reads
    every version (an employee reads the version in force on the policy page)."""
    if not can_read_policy_versions(user):
        raise PermissionDenied
    return get_object_or_404(QualityPolicy.objects.select_related("approved_by"), pk=pk)


def policy_get_draft_for(*, user: User, pk: int, approve: bool = False) -> QualityPolicy:
    """A draft version that ``user`` may edit (the Pełnomocnik) or, with ``approve``, approve
    (the Prezydent). ``PermissionDenied`` otherwise, 404 if none."""
    allowed = can_approve_policy(user) if approve else can_draft_policy(user)
    if not allowed:
        raise PermissionDenied
    return get_object_or_404(QualityPolicy, pk=pk, status=QualityPolicy.Status.DRAFT)
