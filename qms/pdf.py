"""PDF documents: one helper every app uses to turn a Django template into a PDF.

Documents carry text people typed (findings, comments, minutes). Autoescaping keeps that text
from becoming markup, and WeasyPrint gets a URL fetcher that serves only our own static files:
even markup that does reach the renderer cannot read a local file (``file:///etc/passwd``),
call an internal service (server-side request forgery) or embed a file as a PDF attachment.
"""

import logging
import mimetypes
import re
import unicodedata
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urljoin, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import ImproperlyConfigured, SuspiciousFileOperation
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from weasyprint import CSS, HTML
from weasyprint import html as weasyprint_html
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# The document's own address. ".invalid" never resolves (RFC 2606), so even a fetcher bug could
# not reach a real host; the name only lets the fetcher recognise our static URLs, and relative
# URLs in a template are resolved against it, so they reach the fetcher too.
PDF_BASE_URL = "https://szj-pdf.invalid/"

# What a document may pull in: styles, images and fonts. Nothing that runs or embeds documents.
ALLOWED_TYPES = {
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}
MAX_RESOURCE_BYTES = 5 * 1024 * 1024


def _lean_user_agent_css(css: str) -> str:
    """WeasyPrint's default stylesheet without its rules for every element's pseudo-elements.

    ``::marker`` and the footnote and note pseudo-elements (``::footnote-call`` ...) are written
    for every element, so WeasyPrint computes six extra styles per element: in a document of
    tables (the review minutes: 1,500 elements) that was a tenth of the rendering time. Only
    list items have markers; our documents use no footnotes or notes (``float: footnote``).
    """
    marker = "::marker {"
    if marker not in css:  # a WeasyPrint upgrade changed the sheet: use it as it is
        return css
    css = css.replace(marker, "li::marker, summary::marker {", 1)
    return re.sub(r"^::(?:footnote|note)-[a-z]+ \{[^}]*\}\n", "", css, flags=re.MULTILINE)


# The sheet's @counter-style rules are already in WeasyPrint's registry (it parsed the same
# sheet on import, and each render starts from a copy of that registry): a throwaway one here.
LEAN_UA_STYLESHEET = CSS(string=_lean_user_agent_css(weasyprint_html.UA), counter_style={})


class DocumentHTML(HTML):
    """WeasyPrint's ``HTML`` with the lean default stylesheet; ``render_pdf`` uses it (and a
    test that needs the laid-out boxes). Our documents hold no forms: no form stylesheet."""

    def _ua_stylesheets(self, forms: bool = False) -> list[CSS]:
        return [LEAN_UA_STYLESHEET]


class PdfResourceRefused(ValueError):
    """A URL outside the allow-list. WeasyPrint catches it and leaves the resource out."""


def _static_prefix() -> str:
    # A relative STATIC_URL ("/static/") lives on the document's own address; an absolute one
    # (a CDN) is recognised as it is and still read from disk, never over the network.
    return urljoin(PDF_BASE_URL, settings.STATIC_URL)


def _static_name(url: str) -> str:
    """The static file name (``css/szj.css``) a URL addresses, or ``PdfResourceRefused``."""
    prefix = _static_prefix()
    parts = urlsplit(url)
    # Compare without query and fragment: "?v=2" cache busters are harmless, but the prefix
    # test must be on scheme, host and path, so "https://szj-pdf.invalid.evil/" fails it.
    bare = f"{parts.scheme}://{parts.netloc}{parts.path}"
    if not bare.startswith(prefix):
        raise PdfResourceRefused("not one of our static files")
    name = unquote(bare[len(prefix) :])
    segments = name.split("/")
    # Decoded after the prefix test, so "%2e%2e" and "%2f" are caught here as well.
    if (
        not name
        or "\\" in name
        or "\x00" in name
        or any(segment in ("", ".", "..") for segment in segments)
    ):
        raise PdfResourceRefused("not a plain static file name")
    if PurePosixPath(name).suffix.lower() not in ALLOWED_TYPES:
        raise PdfResourceRefused("file type not allowed in a PDF")
    return name


def _static_path(name: str) -> Path:
    """The file on disk behind a static name: from the finders (our ``static/`` and the apps'),
    else from the collected files (a hashed name in production)."""
    try:
        found = finders.find(name)
        if not found and hasattr(staticfiles_storage, "path"):
            candidate = staticfiles_storage.path(name)  # safe_join: stays inside STATIC_ROOT
            found = candidate if Path(candidate).is_file() else None
    except SuspiciousFileOperation as exc:
        raise PdfResourceRefused("outside the static directories") from exc
    except ImproperlyConfigured as exc:  # no STATIC_ROOT: nothing collected to look in
        raise PdfResourceRefused("no such static file") from exc
    if not found:
        raise PdfResourceRefused("no such static file")
    path = Path(found)
    if not path.is_file() or path.stat().st_size > MAX_RESOURCE_BYTES:
        raise PdfResourceRefused("not a file, or too large")
    return path


class StaticFilesURLFetcher(URLFetcher):
    """Serves our static files to WeasyPrint and refuses every other URL: ``file:``,
    ``http(s):`` to anywhere, ``data:``, and relative paths outside the static directories.
    It never opens a network connection."""

    def __init__(self) -> None:
        # The parent's settings would only matter for a real fetch, which never happens here;
        # they are set to the strictest values in case WeasyPrint consults them.
        super().__init__(
            timeout=1, allowed_protocols=("https",), allow_redirects=False, fail_on_errors=False
        )

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        try:
            path = _static_path(_static_name(url))
        except PdfResourceRefused as refusal:
            # The scheme and a bounded repr are enough to find the template at fault; the URL
            # may hold typed text, and nothing of it goes into the document.
            logger.warning(
                "PDF resource refused (%s): scheme %r, url %.200r",
                refusal,
                urlsplit(url).scheme,
                url,
            )
            raise
        content_type = ALLOWED_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(
            url, body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def open(
        self, url: object, data: object = None, timeout: float | None = None
    ) -> URLFetcherResponse:
        # urllib's entry point leads to the same allow-list, never to the parent's handlers.
        full_url = getattr(url, "full_url", url)
        return self.fetch(full_url)


def render_pdf(template_name: str, context: dict, *, request: HttpRequest | None = None) -> bytes:
    """Render ``template_name`` with ``context`` and return the PDF.

    Templates extend ``pdf/base.html`` and set ``pdf_title`` (the document's title and PDF
    metadata) and ``pdf_identity`` (the header on every page). Resources load only through
    ``StaticFilesURLFetcher``, and file attachments are dropped: a PDF of ours never carries
    an embedded file, whatever reached the markup.
    """
    html = render_to_string(template_name, context, request=request)
    document = DocumentHTML(
        string=html, base_url=PDF_BASE_URL, url_fetcher=StaticFilesURLFetcher()
    ).render()
    # WeasyPrint embeds <link rel="attachment"> and <a rel="attachment"> targets when writing
    # the file. We never attach anything, so both kinds are removed before they are fetched.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    return document.write_pdf()


def field_labels(model: type[Model]) -> dict[str, str]:
    """The model's field labels by field name (``labels.audit.scope`` in a template), in the
    language active when the document is rendered: documents reuse the models' translated
    verbose names instead of repeating them."""
    opts = model._meta
    return {
        field.name: capfirst(field.verbose_name) for field in (*opts.fields, *opts.many_to_many)
    }


_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L", "đ": "d", "Đ": "D"})


def ascii_filename(filename: str) -> str:
    """``Raport A/2027/01 – Łódź.pdf`` -> ``Raport_A-2027-01_Lodz.pdf``: letters, digits,
    ``_``, ``-`` and ``.`` only, so every browser and mail client keeps the name as it is and no
    header or path can be smuggled in. A name without a plain extension gets ``.pdf``."""
    text = unicodedata.normalize("NFKD", filename.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    text = text.encode("ascii", "ignore").decode("ascii")
    stem, dot, ext = text.rpartition(".")
    if not dot or not re.fullmatch(r"[A-Za-z0-9]{1,5}", ext):
        stem, ext = text, "pdf"
    stem = re.sub(r"[/\\]+", "-", stem)
    stem = re.sub(r"\s+", "_", stem)
    stem = re.sub(r"[^A-Za-z0-9._-]", "", stem)
    stem = re.sub(r"\.{2,}", ".", stem).strip("._-")
    return f"{stem[:100] or 'dokument'}.{ext.lower()}"


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """The PDF as a download (never rendered inside our origin), with an ASCII file name."""
    response = HttpResponse(pdf, content_type="application/pdf")
    name = ascii_filename(filename)
    if not name.lower().endswith(".pdf"):
        name += ".pdf"  # the name must not promise another program than the content type
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    # Reports name people and findings: shared caches must not keep a copy.
    response["Cache-Control"] = "private, no-store"
    return response
