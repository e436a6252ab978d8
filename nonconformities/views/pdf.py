"""The printable nonconformity card (karta niezgodności), laid out like the paper form. Who may
download it is decided by the selector that guards the card's page, so the PDF never shows
more than the page does."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from nonconformities import selectors
from nonconformities.models import CorrectiveAction, DeadlineExtension, Evidence, Nonconformity
from qms.pdf import field_labels, pdf_response, render_pdf


@login_required
@require_GET
def card_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The card with its correction, analysis, actions and verification for whoever may read
    it (403 otherwise, 404 for no such card)."""
    card = selectors.card_get(user=request.user, pk=pk)
    # Everything below is prefetched by card_get, so the query count does not depend on how
    # many actions, extensions or evidence files the card has.
    actions = list(card.actions.all())
    labels = {
        "card": field_labels(Nonconformity),
        "action": field_labels(CorrectiveAction),
        "extension": field_labels(DeadlineExtension),
        "evidence": field_labels(Evidence),
    }
    # Signed on paper by whoever raised the card, the owner who answers for the actions and the
    # person who verified their effectiveness (a blank line until someone has).
    signatures = [
        (labels["card"]["raised_by"], card.raised_by),
        (_("Process owner"), card.process.owner),
        (labels["card"]["verified_by"], card.verified_by),
    ]
    title = _("Nonconformity card %(number)s") % {"number": card.number}
    pdf = render_pdf(
        "nonconformities/pdf/card.html",
        {
            "card": card,
            "actions": actions,
            "labels": labels,
            "evidence_files_label": capfirst(Evidence._meta.verbose_name_plural),
            "signatures": signatures,
            "pdf_title": title,
            "pdf_identity": title,
        },
        request=request,
    )
    return pdf_response(pdf, f"{title}.pdf")
