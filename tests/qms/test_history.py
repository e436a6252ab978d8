"""History rows as the record pages show them (``qms.history.history_rows``): one query
whatever the number of changes, newest first, with who, the kind of change, its reason, the
status after it and the fields changed."""

import pytest
from django.urls import reverse

from nonconformities.services import cards as card_services
from qms.history import history_rows
from tests.conftest import client_for


@pytest.fixture
def cancelled_card(card_setup, personas):
    card = card_setup["card"]
    return card_services.card_cancel(
        card=card, by=personas.pelnomocnik, expected_version=card.version, reason="Duplikat"
    )


def test_a_workflow_records_rows_show_the_status_after_each_change(
    cancelled_card, personas, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = history_rows(cancelled_card, changes=False)
    newest = rows[0]
    assert newest["status"] == cancelled_card.get_status_display()
    assert newest["user"] == personas.pelnomocnik
    assert rows[-1]["type"] == "Utworzono"  # the first row: the card raised
    assert all(row["changes"] == [] for row in rows)
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)


def test_the_fields_changed_are_named_unless_asked_not_to(cancelled_card):
    rows = history_rows(cancelled_card)
    assert any(row["changes"] for row in rows[:-1])
    assert rows[-1]["changes"] == []  # nothing to compare the first row with


def test_the_card_page_shows_its_status_history(cancelled_card, personas):
    response = client_for(personas.pelnomocnik).get(
        reverse("nonconformities:detail", args=[cancelled_card.pk])
    )
    page = response.content.decode()
    history = page[page.index('id="history-heading"') :]
    assert f"<td>{cancelled_card.get_status_display()}</td>" in history
    assert f"<td>{personas.pelnomocnik}</td>" in history
