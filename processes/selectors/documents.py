"""Reads of the governing documents attached to a process."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from processes.models import GoverningDocument
from processes.selectors import process_can_edit_description
from qms import roles
from qms.models import User


def document_get_for_download(*, user: User, pk: int) -> GoverningDocument:
    """A governing document every signed-in employee may download."""
    if not roles.signed_in(user):
        raise PermissionDenied
    return get_object_or_404(GoverningDocument.objects.select_related("process"), pk=pk)


def document_get_for_edit(*, user: User, pk: int) -> GoverningDocument:
    """A governing document ``user`` may change (its process's owner or a register keeper),
    or ``PermissionDenied``/404."""
    document = get_object_or_404(GoverningDocument.objects.select_related("process"), pk=pk)
    if not process_can_edit_description(user, document.process):
        raise PermissionDenied
    return document
