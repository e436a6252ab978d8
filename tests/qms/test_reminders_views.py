"""In-app notifications: the counter in the navigation, the list with read/unread, the
person's reminder settings, and the Pełnomocnik's page of reminders that were not delivered."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from qms import reminders
from qms.context_processors import notifications
from qms.models import Delivery, Notification, ReminderSettings
from qms.reminders import Due
from tests.conftest import client_for

State = Delivery.State


def _remind(person, record, occasion: str, text: str = "Audyt A/2027/01 za 7 dni") -> Delivery:
    due = Due(
        kind="audit_upcoming",
        record=record,
        recipient=person,
        occasion=occasion,
        link=reverse("processes:detail", args=[record.pk]),
        describe=lambda: (text, "Treść"),
    )
    return reminders.deliveries_create([due]).created[0]


def test_the_counter_costs_one_query_and_nothing_for_anonymous_visitors(
    personas, own_process, django_assert_num_queries
):
    from django.contrib.auth.models import AnonymousUser

    _remind(personas.wlasciciel, own_process, "a")
    _remind(personas.wlasciciel, own_process, "b")
    request = RequestFactory().get("/")
    request.user = personas.wlasciciel
    with django_assert_num_queries(1):
        assert notifications(request) == {"unread_notifications": 2}
    request.user = AnonymousUser()
    with django_assert_num_queries(0):
        assert notifications(request) == {}


def test_the_navigation_shows_the_unread_count(personas, own_process):
    _remind(personas.wlasciciel, own_process, "a")
    page = client_for(personas.wlasciciel).get(reverse("dashboard"))
    assert page.context["unread_notifications"] == 1
    html = page.content.decode()
    assert f'href="{reverse("notifications")}"' in html
    assert '<span aria-hidden="true">1</span>' in html
    other = client_for(personas.pracownik).get(reverse("dashboard"))
    assert other.context["unread_notifications"] == 0
    assert '<span aria-hidden="true">' not in other.content.decode()
    login = client_for(None).get(reverse("login"))
    assert "unread_notifications" not in login.context


def test_the_list_shows_ones_own_notifications_with_links_and_marks_them_read(
    personas, own_process
):
    _remind(personas.wlasciciel, own_process, "a", "Pierwsze przypomnienie")
    _remind(personas.wlasciciel, own_process, "b", "Drugie przypomnienie")
    _remind(personas.auditor, own_process, "a", "Cudze przypomnienie")
    client = client_for(personas.wlasciciel)
    page = client.get(reverse("notifications"))
    html = page.content.decode()
    assert "Pierwsze przypomnienie" in html and "Drugie przypomnienie" in html
    assert "Cudze przypomnienie" not in html
    assert reverse("delivery_failures") not in html  # the Pełnomocnik's page only
    assert f'href="{reverse("processes:detail", args=[own_process.pk])}"' in html

    first = Notification.objects.get(text="Pierwsze przypomnienie")
    response = client.post(
        reverse("notification_read", args=[first.pk]), {"next": reverse("notifications")}
    )
    assert response.status_code == 302 and response["Location"] == reverse("notifications")
    first.refresh_from_db()
    assert first.read_at is not None
    unread = client.get(reverse("notifications"), {"show": "unread"}).content.decode()
    assert "Drugie przypomnienie" in unread and "Pierwsze przypomnienie" not in unread

    # Somebody else's notification cannot be marked; an outside "next" is not followed.
    theirs = Notification.objects.get(text="Cudze przypomnienie")
    response = client.post(
        reverse("notification_read", args=[theirs.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("notifications")
    theirs.refresh_from_db()
    assert theirs.read_at is None

    client.post(reverse("notifications_read_all"))
    assert not Notification.objects.filter(recipient=personas.wlasciciel, read_at=None).exists()
    assert client.get(reverse("dashboard")).context["unread_notifications"] == 0


def test_marking_needs_post(personas, own_process):
    _remind(personas.wlasciciel, own_process, "a")
    client = client_for(personas.wlasciciel)
    assert client.get(reverse("notifications_read_all")).status_code == 405


def test_a_person_turns_the_daily_digest_on_and_off(personas):
    client = client_for(personas.pracownik)
    page = client.get(reverse("notification_settings"))
    assert page.status_code == 200
    assert 'name="daily_digest"' in page.content.decode()
    response = client.post(reverse("notification_settings"), {"daily_digest": "on"})
    assert response.status_code == 302
    assert ReminderSettings.objects.get(user=personas.pracownik).daily_digest is True
    client.post(reverse("notification_settings"), {})
    assert ReminderSettings.objects.get(user=personas.pracownik).daily_digest is False


@pytest.mark.parametrize("persona", ["koordynator", "prezydent", "wlasciciel", "pracownik"])
def test_only_the_pelnomocnik_sees_undelivered_reminders(personas, persona):
    assert client_for(personas[persona]).get(reverse("delivery_failures")).status_code == 403


def test_the_pelnomocnik_sees_failures_and_sends_them_again(personas, own_process):
    failed = _remind(personas.wlasciciel, own_process, "a")
    sent = _remind(personas.auditor, own_process, "a")
    Delivery.objects.filter(pk=failed.pk).update(
        state=State.FAILED, attempts=5, last_error="SMTPRecipientsRefused: 550 no such user"
    )
    Delivery.objects.filter(pk=sent.pk).update(state=State.SENT, sent_at=timezone.now())
    client = client_for(personas.pelnomocnik)
    assert reverse("delivery_failures") in client.get(reverse("notifications")).content.decode()
    html = client.get(reverse("delivery_failures")).content.decode()
    assert "550 no such user" in html and "wlasciciel@example.org" in html
    assert "auditor@example.org" not in html

    response = client.post(reverse("delivery_retry", args=[failed.pk]), follow=True)
    assert response.status_code == 200
    failed.refresh_from_db()
    assert failed.state == State.PENDING and failed.attempts == 0
    # A row that has not failed is refused with a message, not an error page.
    response = client.post(reverse("delivery_retry", args=[sent.pk]), follow=True)
    assert response.status_code == 200
    assert Delivery.objects.get(pk=sent.pk).state == State.SENT
    assert (
        client_for(personas.koordynator)
        .post(reverse("delivery_retry", args=[failed.pk]))
        .status_code
        == 403
    )


def test_failures_selector_refuses_others(personas):
    with pytest.raises(PermissionDenied):
        reminders.failed_deliveries(user=personas.wlasciciel)


def test_the_admin_lists_deliveries_with_filters(personas, own_process):
    from qms.models import User

    _remind(personas.wlasciciel, own_process, "a")
    admin = User.objects.create_superuser("admin", "admin@example.org", "haslo-testowe-123")
    client = client_for(admin)
    url = reverse("admin:qms_delivery_changelist")
    page = client.get(url, {"state__exact": "pending", "kind__exact": "audit_upcoming"})
    assert page.status_code == 200
    assert "wlasciciel" in page.content.decode() or "Łęcka" in page.content.decode()
    assert client.get(url, {"state__exact": "sent"}).context["cl"].result_count == 0
