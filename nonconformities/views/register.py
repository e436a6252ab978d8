"""The register of nonconformity cards (list, filtered export): reads only, each through the
selectors, so a person sees exactly the cards ``cards_visible`` gives them."""

from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from nonconformities.forms.register import CardFilter
from nonconformities.models import Nonconformity
from nonconformities.selectors import is_keeper
from nonconformities.selectors.register import register_cards
from processes.models import Process
from qms.spreadsheets import export_response
from qms.web import filtered, paginate

# Headers are fixed Polish, whatever the interface language: the file is a record of the city
# hall passed around in spreadsheets (as the process register's export).
EXPORT_HEADERS = [
    "Numer",
    "Rok",
    "Proces",
    "Nazwa procesu",
    "Komórka organizacyjna",
    "Źródło",
    "Znak sprawy",
    "Kategoria",
    "Status",
    "Wymaganie",
    "Stwierdzony stan",
    "Zgłaszający",
    "Data zgłoszenia",
    "Otwarte działania",
    "Działanie po terminie",
]


def _register(request: HttpRequest) -> tuple[CardFilter, QuerySet[Nonconformity]]:
    """The register as the person may read it, narrowed by the query string (an invalid filter
    value matches nothing), newest first."""
    filterset, cards = filtered(
        request, CardFilter, register_cards(user=request.user, today=timezone.localdate())
    )
    # Explicit: a query with an aggregate does not take the model's default ordering.
    return filterset, cards.order_by("-year", "-number")


@login_required
@require_GET
def card_list(request: HttpRequest) -> HttpResponse:
    filterset, cards = _register(request)
    page, query = paginate(request, cards)
    user = request.user
    # Only a hint for the button: the raising view checks permission again.
    can_raise = (
        is_keeper(user) or Process.objects.filter(owner=user, status=Process.Status.ACTIVE).exists()
    )
    return render(
        request,
        "nonconformities/register/list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query,
            "can_raise": can_raise,
        },
    )


def export_rows(cards: Iterable[Nonconformity]) -> Iterator[list[str]]:
    """The header and one row per card; ``cards`` must carry ``with_action_figures``."""
    yield list(EXPORT_HEADERS)
    # Choice labels in Polish to match the headers (an English session gets the same file).
    with translation.override("pl"):
        for card in cards:
            yield [
                card.number,
                card.year,
                card.process.code,
                card.process.name,
                card.unit.code,
                card.get_source_display(),
                card.external_reference,
                card.get_grade_display(),
                card.get_status_display(),
                card.requirement,
                card.description,
                card.raised_by,
                timezone.localtime(card.created_at).date().isoformat(),
                card.open_actions,
                "tak" if card.overdue else "nie",
            ]


@login_required
@require_GET
def card_export(request: HttpRequest, fmt: str) -> HttpResponse:
    _filterset, cards = _register(request)
    return export_response(
        export_rows(cards), fmt=fmt, basename="karty-niezgodnosci", title="Karty niezgodności"
    )
