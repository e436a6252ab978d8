"""The register of nonconformity cards (list, filtered export) and "My actions": reads only,
each through the selectors, so a person sees exactly the cards ``cards_visible`` gives them."""

import datetime
from collections.abc import Iterable, Iterator

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from nonconformities import selectors
from nonconformities.filters import CardFilter
from nonconformities.models import Nonconformity
from processes.models import Process
from qms.spreadsheets import export_response

PAGE_SIZE = 25
# "Due soon" on this page means the same as on the start page (selectors.dashboard_sections).
DUE_SOON_DAYS = 14

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


def _filtered(request: HttpRequest) -> tuple[CardFilter, QuerySet[Nonconformity]]:
    """The cards the person may read, narrowed by the query string. An invalid filter value
    matches nothing (the form says why) rather than being ignored, so neither the list nor the
    export ever shows more than was asked for."""
    filterset = CardFilter(
        request.GET or None,
        queryset=selectors.cards_visible(user=request.user),
        today=timezone.localdate(),
    )
    if not filterset.is_bound:
        cards = filterset.queryset
    else:
        cards = filterset.qs if filterset.is_valid() else filterset.queryset.none()
    # Explicit: a query with an aggregate does not take the model's default ordering.
    return filterset, cards.order_by("-year", "-number")


@login_required
@require_GET
def card_list(request: HttpRequest) -> HttpResponse:
    filterset, cards = _filtered(request)
    page = Paginator(cards, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    user = request.user
    # Only a hint for the button: the raising view checks permission again.
    can_raise = (
        selectors.is_keeper(user)
        or Process.objects.filter(owner=user, status=Process.Status.ACTIVE).exists()
    )
    return render(
        request,
        "nonconformities/card_list.html",
        {
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
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
    _filterset, cards = _filtered(request)
    return export_response(
        export_rows(cards), fmt=fmt, basename="karty-niezgodnosci", title="Karty niezgodności"
    )


@login_required
@require_GET
def my_actions(request: HttpRequest) -> HttpResponse:
    """The open actions the person is responsible for and, for process owners, those on the
    cards of their processes, by urgency."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=DUE_SOON_DAYS)
    overdue, due_soon, later = [], [], []
    for action in selectors.my_actions(user=request.user):
        if action.deadline < today:
            overdue.append(action)
        elif action.deadline <= soon:
            due_soon.append(action)
        else:
            later.append(action)
    sections = [
        {"id": "overdue", "title": _("Overdue"), "actions": overdue},
        {
            "id": "due-soon",
            "title": ngettext("Due within %(days)s day", "Due within %(days)s days", DUE_SOON_DAYS)
            % {"days": DUE_SOON_DAYS},
            "actions": due_soon,
        },
        {"id": "later", "title": _("Later"), "actions": later},
    ]
    return render(
        request,
        "nonconformities/my_actions.html",
        {"sections": sections, "count": len(overdue) + len(due_soon) + len(later)},
    )
