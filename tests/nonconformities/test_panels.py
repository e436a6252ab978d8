"""What this app shows on the pages of the apps below it: the open cards on a process page and
on an audit page, and the open cards per process in the audit coverage table."""

from django.test import RequestFactory

from nonconformities.selectors import panels
from qms import registry
from tests.factories import UserFactory


def _request(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_process_page_lists_the_open_cards_the_person_may_read(personas, card_setup):
    card = card_setup["card"]
    page = "processes.process_detail"

    owner = registry.panels_context(page, _request(personas.wlasciciel), card.process)
    assert owner["open_cards"] == [card]
    assert owner["show_cards"] is True
    assert [p.template for p in owner["panels"]] == ["nonconformities/panels/process_detail.html"]

    stranger = registry.panels_context(page, _request(UserFactory()), card.process)
    assert stranger["open_cards"] == []
    assert stranger["show_cards"] is False

    top = registry.panels_context(page, _request(personas.prezydent), card.process)
    assert top["open_cards"] == [card]


def test_the_audit_page_links_the_cards_raised_from_its_findings(personas, card_setup):
    card, audit = card_setup["card"], card_setup["audit"]
    for user in (personas.auditor, personas.pelnomocnik):
        context = registry.panels_context("audits.audit_detail", _request(user), audit)
        assert context["readable_card_ids"] == {card.pk}
        # Raised on this audit: new, not an earlier card to follow up.
        assert context["cards_open"] == []
        assert context["cards_to_verify"] == []
        assert [p.template for p in context["panels"]] == [
            "nonconformities/panels/audit_detail.html"
        ]

    stranger = registry.panels_context("audits.audit_detail", _request(UserFactory()), audit)
    assert stranger["readable_card_ids"] == set()


def test_the_audit_coverage_counts_open_cards_raised_up_to_the_year(card_setup):
    card = card_setup["card"]
    answers = registry.hooks("audits.open_nonconformities_by_process")
    assert panels.open_cards_by_process in answers
    assert panels.open_cards_by_process(year=card.year) == {card.process_id: 1}
    assert panels.open_cards_by_process(year=card.year - 1) == {}
