"""A page's SQL query count must not grow with the number of rows (DEVELOPERS.md, rule 6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from processes.services import register as services
from tests.conftest import client_for
from tests.factories import DocumentFactory, ProcessFactory


def _populate(personas, count: int) -> list:
    processes = ProcessFactory.create_batch(
        count, owner_unit=personas.wlasciciel.unit, owner=personas.wlasciciel
    )
    # Relations and documents, so prefetching is exercised too.
    for a, b in zip(processes, processes[1:], strict=False):
        a.related.add(b)
    for process in processes:
        DocumentFactory(process=process)
    return processes


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("url_name", ["processes:list", "processes:map", "dashboard"])
def test_page_query_count_does_not_grow_with_processes(personas, url_name):
    client = client_for(personas.wlasciciel)
    _populate(personas, 5)
    small = _queries(client, reverse(url_name))
    _populate(personas, 45)
    large = _queries(client, reverse(url_name))
    assert small == large


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_query_count_does_not_grow(personas, fmt):
    client = client_for(personas.pracownik)
    _populate(personas, 5)
    small = _queries(client, reverse("processes:export", args=[fmt]))
    _populate(personas, 45)
    large = _queries(client, reverse("processes:export", args=[fmt]))
    assert small == large


def test_detail_query_count_does_not_grow_with_relations_documents_or_history(personas):
    client = client_for(personas.wlasciciel)
    processes = _populate(personas, 5)
    target = processes[2]
    small = _queries(client, reverse("processes:detail", args=[target.pk]))
    others = _populate(personas, 45)
    target.related.add(*others)
    DocumentFactory.create_batch(20, process=target)
    for i in range(20):
        target.refresh_from_db()
        services.process_update_description(
            process=target,
            by=personas.wlasciciel,
            expected_version=target.version,
            purpose=f"Zmiana {i}",
        )
    large = _queries(client, reverse("processes:detail", args=[target.pk]))
    assert small == large


def _cards(personas, process, count: int, start: int) -> None:
    """``count`` open cards of ``process``, each with an overdue and a soon-due action of
    ``wlasciciel`` and one card in verification, so every card section has rows."""
    import datetime

    from nonconformities.models import CorrectiveAction, Nonconformity

    today = datetime.date.today()
    for i in range(start, start + count):
        card = Nonconformity.objects.create(
            number=f"KN/2026/{i:03d}",
            year=2026,
            source=Nonconformity.Source.OWN_DETECTION,
            process=process,
            unit=process.owner_unit,
            requirement="Procedura",
            description="Opis",
            evidence="Dowód",
            grade=Nonconformity.Grade.MINOR,
            raised_by=personas.pelnomocnik,
            status=Nonconformity.Status.VERIFICATION if i == start else "in_progress",
        )
        for days in (-1, 3):
            CorrectiveAction.objects.create(
                card=card,
                description="Działanie",
                responsible=personas.wlasciciel,
                deadline=today + datetime.timedelta(days=days),
            )


@pytest.mark.parametrize("persona", ["wlasciciel", "pelnomocnik", "pracownik"])
def test_detail_and_dashboard_query_counts_do_not_grow_with_cards(personas, persona):
    client = client_for(personas[persona])
    target = _populate(personas, 1)[0]
    urls = [reverse("processes:detail", args=[target.pk]), reverse("dashboard")]
    _cards(personas, target, 3, 1)
    small = [_queries(client, url) for url in urls]
    _cards(personas, target, 30, 4)
    large = [_queries(client, url) for url in urls]
    assert small == large
