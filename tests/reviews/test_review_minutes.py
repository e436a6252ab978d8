"""Management reviews (Księga Jakości §29): the minutes — frozen when the Prezydent
approves them, refused when the stored file was tampered with, the PDF's text and the
inputs' headings in the manual's wording, the draft marker, and tables that keep within
the page."""

import datetime
import hashlib
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from reviews.models import ManagementReview, Risk
from reviews.selectors.review_inputs import INPUT_CODES, INPUT_TITLES, minutes_context, minutes_pdf
from reviews.services import review as services
from tests.conftest import client_for
from tests.qms.test_pdf import pdf_text, squashed
from tests.reviews.conftest import at, hold_with_a_decision, make_feedback, make_risk

# Księga Jakości §29, word for word: the Polish catalogue must carry these.
MANUAL_WORDING = {
    "a": "status działań podjętych w następstwie wcześniejszych przeglądów zarządzania",
    "b": "zmiany czynników zewnętrznych i wewnętrznych, istotnych dla SZJ",
    "c": "wyniki auditów jakości, audytów wewnętrznych i kontroli wewnętrznych",
    "d": "informacje o przebiegu i stopniu realizacji działań korygujących",
    "e": "informacje o zadowoleniu klienta i stron zainteresowanych",
    "f": "informacje dotyczące skarg i wniosków wnoszonych przez klientów",
    "g": "informacje o adekwatności zasobów",
    "h": "informacje o skuteczności działań podjętych w związku ze stwierdzonymi ryzykami "
    "i szansami",
    "i": "informacje o stopniu realizacji celów jakościowych",
    "j": "możliwość doskonalenia",
}


# --- the minutes ------------------------------------------------------------------------------


def test_approval_freezes_the_minutes_against_later_changes(world, personas, media):
    review = hold_with_a_decision(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    review.refresh_from_db()
    stored = review.minutes_pdf.read()
    review.minutes_pdf.close()
    assert review.status == "approved"
    assert hashlib.sha256(stored).hexdigest() == review.minutes_sha256
    assert "Utrata danych" in pdf_text(stored)

    # The records change after approval ...
    Risk.objects.filter(pk=world["h1"].pk).update(title="Zmieniona nazwa ryzyka")
    make_feedback(personas, "complaint", datetime.date(2025, 9, 9), "justified")
    decision = review.decisions.get()
    services.decision_complete(
        decision=decision, by=personas.koordynator, expected_version=decision.version, note="OK"
    )

    # ... and the minutes served are the bytes approved, checksum unchanged.
    response = client_for(personas.kierownictwo).get(
        reverse("reviews:review_minutes", args=[review.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content == stored
    review.refresh_from_db()
    assert review.minutes_sha256 == hashlib.sha256(stored).hexdigest()
    assert "Zmieniona nazwa ryzyka" not in pdf_text(response.content)
    # A fresh rendering would differ: the file served is not rendered again.
    assert "Zmieniona nazwa ryzyka" in pdf_text(minutes_pdf(review, final=True))


def test_a_tampered_stored_minutes_file_is_refused(world, personas, media):
    review = hold_with_a_decision(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    path = media / review.minutes_pdf.name
    path.write_bytes(path.read_bytes() + b"\n%tampered")
    response = client_for(personas.prezydent).get(
        reverse("reviews:review_minutes", args=[review.pk])
    )
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")
    assert b"%PDF" not in response.content
    path.unlink()
    missing = client_for(personas.prezydent).get(
        reverse("reviews:review_minutes", args=[review.pk])
    )
    assert missing.status_code == 500


def test_pdf_holds_every_input_heading_the_decisions_and_signatures(world, personas, media):
    review = hold_with_a_decision(world, personas)
    review = services.review_approve(
        review=review, by=personas.prezydent, expected_version=review.version
    )
    text = squashed(pdf_text(review.minutes_pdf.read()))
    with translation.override("pl"):
        for code in INPUT_CODES:
            assert squashed(f"{code}) {INPUT_TITLES[code]}") in text, code
    assert squashed("Zatrudnić dwóch auditorów wewnętrznych") in text
    assert squashed(str(personas.prezydent)) in text
    assert squashed("PZ/2026/1") in text
    assert "PROJEKT" not in text


def test_input_headings_use_the_manuals_polish_wording():
    """Fails until the Polish catalogue carries the msgids of reviews/selectors/review_inputs.py."""
    with translation.override("pl"):
        actual = {code: str(INPUT_TITLES[code]) for code in INPUT_CODES}
    assert actual == MANUAL_WORDING


def test_draft_minutes_carry_the_draft_marker(world, personas):
    response = client_for(personas.pelnomocnik).get(
        reverse("reviews:review_minutes", args=[world["review"].pk])
    )
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert "PROJEKT / DRAFT" in text
    assert squashed("Wdrożyć e-kolejkę") in squashed(text)  # input a) from the previous review


def _laid_out_minutes(review: ManagementReview):
    from qms.pdf import PDF_BASE_URL, DocumentHTML

    html = render_to_string("reviews/review/pdf/minutes.html", minutes_context(review, final=False))
    return html, DocumentHTML(string=html, base_url=PDF_BASE_URL).render()


def _boxes(box, kind):
    if isinstance(box, kind):
        yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child, kind)


@pytest.mark.parametrize("language", ["pl", "en"])
def test_minutes_tables_keep_within_the_page_and_text_within_its_column(world, personas, language):
    """The data tables carry their column widths ({% pdf_columns %}, fixed layout): a long word
    in a seven-column table used to push it past the page's right edge."""
    from weasyprint.formatting_structure.boxes import TableBox, TableCellBox, TextBox

    risk = make_risk(
        personas, "Niewystarczające kwalifikacje pracowników administracyjnych", 4, 5,
        created=at(2025, 3, 1), next_review=datetime.date(2025, 6, 1),
    )  # fmt: skip
    Risk.objects.filter(pk=risk.pk).update(
        controls="Nadzór kierownika komórki organizacyjnej; szkolenia wewnątrzurzędowe"
    )
    with translation.override(language):
        html, document = _laid_out_minutes(world["review"])
    data_tables = len(re.findall(r'<table class="table(?: table-sm)?">', html))
    assert data_tables >= 12
    assert html.count('<colgroup class="pdf-columns">') == data_tables
    for page in document.pages:
        box = page._page_box
        right = box.content_box_x() + box.width  # the page's content edge
        for table in _boxes(box, TableBox):
            assert table.position_x + table.margin_width() <= right + 0.5
        for cell in _boxes(box, TableCellBox):
            edge = cell.content_box_x() + cell.width
            for text in _boxes(cell, TextBox):
                assert text.position_x + text.width <= edge + 0.5, text.text
