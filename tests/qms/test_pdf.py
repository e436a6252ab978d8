"""The shared PDF helper (qms/pdf.py): only our static files reach WeasyPrint, nothing is ever
embedded, Polish text survives, and every page carries the header and its page number."""

import io
import logging
import re
from pathlib import Path
from urllib.parse import urljoin

import pypdf
import pytest
from django.conf import settings
from django.template import Context, Template, TemplateSyntaxError
from django.templatetags.static import static
from django.test import override_settings
from django.utils import translation
from weasyprint import HTML

from qms.pdf import (
    PDF_BASE_URL,
    PdfResourceRefused,
    StaticFilesURLFetcher,
    ascii_filename,
    pdf_response,
    render_pdf,
)

PASSWD = Path("/etc/passwd")

# --- helpers, shared with tests/audits/test_pdf.py -------------------------------------------


def pdf_reader(pdf: bytes) -> pypdf.PdfReader:
    assert pdf.startswith(b"%PDF-")
    return pypdf.PdfReader(io.BytesIO(pdf))


def pdf_text(pdf: bytes) -> str:
    """All pages' text with whitespace collapsed, so a value wrapped in a table cell still
    matches."""
    reader = pdf_reader(pdf)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def squashed(text: str) -> str:
    """``text`` without any whitespace: a value that wraps inside a narrow table cell (or at
    the hyphen of "PN-EN") still matches the text it was typed as."""
    return "".join(text.split())


def pdf_page_texts(pdf: bytes) -> list[str]:
    return [" ".join((page.extract_text() or "").split()) for page in pdf_reader(pdf).pages]


def embedded_files(pdf: bytes) -> list[str]:
    """What the PDF embeds: document-level files (/Names /EmbeddedFiles) and file-attachment
    annotations on any page."""
    reader = pdf_reader(pdf)
    found = []
    names = reader.trailer["/Root"].get("/Names")
    if names is not None and "/EmbeddedFiles" in names.get_object():
        found.append("/EmbeddedFiles")
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            if annot.get_object().get("/Subtype") == "/FileAttachment":
                found.append(f"/FileAttachment on page {number}")
    return found


def assert_no_trace_of_passwd(pdf: bytes) -> None:
    assert embedded_files(pdf) == []
    assert "root:x:0" not in pdf_text(pdf)
    assert b"root:x:0" not in pdf
    # The first line of the real file, whatever the machine's first account is.
    first_line = PASSWD.read_text().splitlines()[0]
    assert first_line not in pdf_text(pdf)


def templates_with(**templates: str) -> list[dict]:
    """TEMPLATES with extra in-memory templates in front of the project's own (which hold
    pdf/base.html)."""
    engine = settings.TEMPLATES[0]
    return [
        {
            **engine,
            "APP_DIRS": False,
            "OPTIONS": {
                **engine["OPTIONS"],
                "loaders": [
                    ("django.template.loaders.locmem.Loader", templates),
                    "django.template.loaders.filesystem.Loader",
                    "django.template.loaders.app_directories.Loader",
                ],
            },
        }
    ]


# --- the URL fetcher -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "FILE:///etc/passwd",
        "http://127.0.0.1:8000/admin/",
        "https://example.org/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "data:text/plain;base64,cm9vdDp4OjA6MA==",
        "ftp://example.org/file.css",
        # Relative paths in a template, as WeasyPrint resolves them against the base URL.
        urljoin(PDF_BASE_URL, "../../etc/passwd"),
        urljoin(PDF_BASE_URL, "/static/../../etc/passwd"),
        urljoin(PDF_BASE_URL, "/media/documents/secret.pdf"),
        # Percent-encoded traversal stays encoded through urljoin; the fetcher decodes it.
        PDF_BASE_URL + "static/%2e%2e/%2e%2e/etc/passwd",
        PDF_BASE_URL + "static/css%2f..%2f..%2fqms%2fsettings%2fbase.css",
        # Our host name as a prefix of somebody else's.
        "https://szj-pdf.invalid.example.org/static/css/szj.css",
        # A static file that exists, but of a type a document has no use for.
        urljoin(PDF_BASE_URL, static("vendor/bootstrap/bootstrap.bundle.min.js")),
        urljoin(PDF_BASE_URL, static("css/does-not-exist.css")),
    ],
)
def test_fetcher_refuses_everything_but_our_static_files(url, caplog):
    with caplog.at_level(logging.WARNING, logger="qms.pdf"), pytest.raises(PdfResourceRefused):
        StaticFilesURLFetcher().fetch(url)
    assert any("PDF resource refused" in r.getMessage() for r in caplog.records)


def test_fetcher_serves_an_allowed_static_file():
    url = urljoin(PDF_BASE_URL, static("css/szj.css"))
    response = StaticFilesURLFetcher().fetch(url)
    try:
        body = response.read()
    finally:
        response.close()
    assert body == (settings.BASE_DIR / "static" / "css" / "szj.css").read_bytes()
    assert response.content_type == "text/css"


def test_fetcher_urllib_entry_point_is_the_same_allow_list():
    with pytest.raises(PdfResourceRefused):
        StaticFilesURLFetcher().open("file:///etc/passwd")


# --- rendering -------------------------------------------------------------------------------

HOSTILE = """{% extends "pdf/base.html" %}{% block content %}
<h1>Dokument</h1>
<img src="file:///etc/passwd" alt="">
<link rel="stylesheet" href="file:///etc/passwd">
<link rel="attachment" href="file:///etc/passwd">
<a rel="attachment" href="file:///etc/passwd">załącznik</a>
<a rel="attachment" href="../../etc/passwd">względny</a>
<img src="http://127.0.0.1:9/tracker.png" alt="">
<div style="background: url(file:///etc/passwd)">tło</div>
{# An allowed file is not embedded either: our documents never carry attachments. #}
<a rel="attachment" href="{% load static %}{% static 'css/szj.css' %}">arkusz</a>
<link rel="attachment" href="{% static 'css/szj.css' %}">
{% endblock %}"""


def test_hostile_markup_embeds_nothing_and_reads_no_local_file(caplog):
    with (
        override_settings(TEMPLATES=templates_with(**{"hostile.html": HOSTILE})),
        caplog.at_level(logging.WARNING, logger="qms.pdf"),
    ):
        pdf = render_pdf("hostile.html", {"pdf_title": "T", "pdf_identity": "Dokument 1"})
    assert_no_trace_of_passwd(pdf)
    assert "Dokument" in pdf_text(pdf)
    refused = [r.getMessage() for r in caplog.records if "PDF resource refused" in r.getMessage()]
    assert any("'file'" in message for message in refused)


def test_the_embedded_file_check_would_see_an_attachment(tmp_path):
    """Control for the test above: with WeasyPrint's own fetcher the same kind of markup does
    embed a file, and ``embedded_files`` notices it."""
    harmless = tmp_path / "harmless.txt"
    harmless.write_text("nic tajnego")
    html = (
        f'<link rel="attachment" href="{harmless.as_uri()}">'
        f'<p><a rel="attachment" href="{harmless.as_uri()}">plik</a></p>'
    )
    pdf = HTML(string=html).write_pdf()
    assert "/EmbeddedFiles" in embedded_files(pdf)
    assert any("/FileAttachment" in found for found in embedded_files(pdf))


POLISH = """{% extends "pdf/base.html" %}{% block content %}
<h1>{{ heading }}</h1>
{% for row in rows %}<p>{{ row }}</p>{% endfor %}
{% endblock %}"""


@pytest.mark.parametrize("language", ["pl", "en"])
def test_polish_text_header_and_page_numbers_on_every_page(language):
    context = {
        "pdf_title": "Zażółć gęślą jaźń",
        "pdf_identity": "Dokument ŁÓDŹ-1 — Zażółć gęślą jaźń",
        "heading": "Zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż",
        # Enough rows for three pages, so "of N" is the real total.
        "rows": [f"Wiersz {n}: źdźbło" for n in range(150)],
    }
    with (
        override_settings(TEMPLATES=templates_with(**{"polish.html": POLISH})),
        translation.override(language),
    ):
        pdf = render_pdf("polish.html", context)
        page_label = translation.gettext("Page %(page)s of %(pages)s")
    pages = pdf_page_texts(pdf)
    assert len(pages) >= 2
    assert "Zażółć gęślą jaźń ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż" in pages[0]
    for number, text in enumerate(pages, start=1):
        assert "Dokument ŁÓDŹ-1 — Zażółć gęślą jaźń" in text
        assert page_label % {"page": number, "pages": len(pages)} in text
    if language == "en":
        assert f"Page 1 of {len(pages)}" in pages[0]


def test_the_pdf_uses_dejavu_sans():
    with override_settings(TEMPLATES=templates_with(**{"polish.html": POLISH})):
        pdf = render_pdf("polish.html", {"pdf_title": "T", "pdf_identity": "I", "heading": "Ł"})
    fonts = set()
    for page in pdf_reader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert fonts
    assert all("+DejaVu-Sans" in name for name in fonts), fonts


def test_identity_is_text_not_markup():
    """The header comes from an element of the document, so typed text stays text."""
    identity = '"; } @page { background: url(file:///etc/passwd) } <img src="file:///etc/passwd">'
    with override_settings(TEMPLATES=templates_with(**{"polish.html": POLISH})):
        pdf = render_pdf(
            "polish.html", {"pdf_title": "T", "pdf_identity": identity, "heading": "X"}
        )
    assert_no_trace_of_passwd(pdf)
    assert "@page { background: url(file:///etc/passwd) }" in pdf_text(pdf)


# --- the response ----------------------------------------------------------------------------


def test_pdf_response_is_a_download_with_an_ascii_pdf_name():
    response = pdf_response(b"%PDF-1.7 test", "Raport z auditu A/2027/01 – Łódź.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="Raport_z_auditu_A-2027-01_Lodz.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == b"%PDF-1.7 test"
    assert pdf_response(b"%PDF-", "raport.exe")["Content-Disposition"] == (
        'attachment; filename="raport.exe.pdf"'
    )


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (
            "Roczny plan auditów jakości 2027, rewizja 2.pdf",
            "Roczny_plan_auditow_jakosci_2027_rewizja_2.pdf",
        ),
        ("../../etc/passwd", "etc-passwd.pdf"),
        ('zły"nagłówek\r\nX-Evil: 1.pdf', "zlynaglowek_X-Evil_1.pdf"),
        ("A/2027/01", "A-2027-01.pdf"),
        ("żółć", "zolc.pdf"),
        ("...", "dokument.pdf"),
    ],
)
def test_ascii_filename(name, expected):
    assert ascii_filename(name) == expected
    assert ascii_filename(name).isascii()


# --- rendering cost ---------------------------------------------------------------------------


def test_documents_compute_no_pseudo_element_styles_for_every_element():
    """WeasyPrint's own sheet styles ``::marker`` and the footnote and note pseudo-elements of
    every element; our sheet keeps markers for list items only and drops the footnote rules."""
    from weasyprint import html as weasyprint_html

    from qms.pdf import LEAN_UA_STYLESHEET, DocumentHTML, _lean_user_agent_css

    universal = re.compile(r"^::[a-z-]+ \{", re.MULTILINE)
    assert universal.search(weasyprint_html.UA)  # what the lean sheet is about
    lean = _lean_user_agent_css(weasyprint_html.UA)
    assert not universal.search(lean)
    assert "li::marker, summary::marker {" in lean
    assert DocumentHTML(string="<p>x</p>")._ua_stylesheets() == [LEAN_UA_STYLESHEET]


def test_lists_keep_their_bullets_and_numbers():
    with override_settings(TEMPLATES=templates_with(**{"list.html": LIST})):
        pdf = render_pdf("list.html", {"pdf_title": "T", "pdf_identity": "I"})
    words = pdf_text(pdf).split()
    # pypdf reads the markers after the items' text; each item has its own.
    assert words.count("•") == 2
    assert "1." in words and "2." in words
    assert {"Pierwszy", "Drugi", "Jeden", "Dwa"} <= set(words)


LIST = """{% extends "pdf/base.html" %}
{% block content %}<ul><li>Pierwszy</li><li>Drugi</li></ul><ol><li>Jeden</li><li>Dwa</li></ol>
{% endblock %}"""


@pytest.mark.parametrize("pdf", [True, False])
def test_pdf_columns_are_written_only_in_a_pdf(pdf):
    template = Template("{% load pdf_tags %}<table>{% pdf_columns 18.5 10.5 71 %}</table>")
    html = template.render(Context({"pdf": pdf}))
    if pdf:
        assert html == (
            '<table><colgroup class="pdf-columns"><col style="width: 18.5%">'
            '<col style="width: 10.5%"><col style="width: 71%"></colgroup></table>'
        )
    else:
        assert html == "<table></table>"


def test_pdf_columns_must_add_up_to_the_whole_table():
    template = Template("{% load pdf_tags %}{% pdf_columns 50 40 %}")
    with pytest.raises(TemplateSyntaxError, match="100"):
        template.render(Context({"pdf": True}))
