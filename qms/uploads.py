"""Uploaded files: size and type limits, safe stored names, and download responses.

Files are stored under MEDIA_ROOT (outside the static tree, never served by URL) and reach a
person only through a view that checked their permission and calls ``attachment_response``.
"""

import mimetypes
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files import File
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# Extension -> the magic bytes its content must start with (None: plain text, checked apart).
ALLOWED_TYPES: dict[str, tuple[bytes, ...] | None] = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    # Office Open XML and OpenDocument files are ZIP containers.
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "ods": (b"PK\x03\x04",),
    "txt": None,
    "csv": None,
}


def _extension(name: str) -> str:
    return PurePath(name).suffix.lower().lstrip(".")


def validate_upload(file: File) -> None:
    """Refuse files that are too large, of a type not on the list, or whose content does not
    match their extension (a renamed executable stays out)."""
    if isinstance(file, FieldFile) and file._committed:
        # Already stored, so checked when it was uploaded. Re-reading it on every save of the
        # record would fail the record when the limit is lowered or the file goes missing.
        return
    limit = settings.UPLOAD_MAX_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s); the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    ext = _extension(file.name or "")
    if ext not in ALLOWED_TYPES:
        raise ValidationError(
            _("Files of this type are not accepted. Allowed: %(types)s.")
            % {"types": ", ".join(sorted(ALLOWED_TYPES))},
            code="file_type",
        )
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    magic = ALLOWED_TYPES[ext]
    if magic is None:
        if b"\x00" in head:
            raise ValidationError(_("The file content does not match its type."), code="file_type")
    elif not head.startswith(magic):
        raise ValidationError(_("The file content does not match its type."), code="file_type")


def safe_filename(name: str) -> str:
    """A file name with no path, no control characters and a bounded length."""
    base = PurePath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)  # keeps letters, digits, "-", "_" and "."
    except SuspiciousFileOperation:  # nothing usable is left ("", ".", "..")
        cleaned = ""
    stem, dot, ext = cleaned.rpartition(".")
    if not dot:
        stem, ext = cleaned, ""
    # No leading dot: no hidden files, no "..".
    stem = stem.lstrip(".")[:100] or "plik"
    return f"{stem}.{ext[:10]}" if ext else stem


def document_upload_to(instance: object, filename: str) -> str:
    # A random folder per file: names never collide and cannot be guessed or traversed.
    return f"documents/{uuid.uuid4().hex}/{safe_filename(filename)}"


def attachment_response(file_field) -> FileResponse:
    """Serve a stored file as a download, never inline, so a browser never renders it."""
    name = PurePath(file_field.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as exc:  # the record outlived its file (restored backup, cleanup)
        raise Http404 from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
