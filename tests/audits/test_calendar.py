"""Each person's audit calendar: the page with their audits and roles, the personal iCalendar
feed (its format, its secret address) and resetting that address."""

import datetime
import secrets

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit
from audits.services import calendar as calendar_services
from audits.views.calendar import ics_escape, ics_fold
from tests.conftest import client_for
from tests.factories import AuditFactory, PlannedAuditFactory


def _english(client: Client) -> Client:
    # Texts are checked in the English msgids, which stay put when the Polish catalogue grows.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _rows(response) -> dict[str, list[str]]:
    return {row["audit"].number: [str(r) for r in row["roles"]] for row in response.context["rows"]}


# --- the page -------------------------------------------------------------------------------


def test_page_lists_the_audits_a_person_leads(personas, audit_setup):
    response = _english(client_for(personas.auditor)).get(reverse("audits:calendar"))
    assert response.status_code == 200
    assert _rows(response) == {"A/2027/01": ["lead auditor"]}
    html = response.content.decode()
    assert reverse("audits:detail", args=[audit_setup["audit"].pk]) in html
    assert "A/2027/02" not in html


def test_page_shows_team_membership_and_ownership(personas, audit_setup):
    audit_setup["audit"].team.add(personas.auditor2)
    auditor2 = _english(client_for(personas.auditor2)).get(reverse("audits:calendar"))
    assert _rows(auditor2) == {"A/2027/01": ["audit team member"], "A/2027/02": ["lead auditor"]}
    owner = _english(client_for(personas.wlasciciel)).get(reverse("audits:calendar"))
    assert _rows(owner) == {"A/2027/01": ["owner of the audited process"]}
    assert "owner of the audited process" in owner.content.decode()


def test_overseers_see_only_their_own_involvement(personas, audit_setup):
    response = client_for(personas.pelnomocnik).get(reverse("audits:calendar"))
    assert response.status_code == 200
    assert _rows(response) == {}


def test_audits_are_ordered_by_year_and_date(personas, audit_setup):
    plan = audit_setup["plan"]
    entry = PlannedAuditFactory(plan=plan, processes=[audit_setup["audit"].processes.first()])
    AuditFactory(
        planned_entry=entry,
        processes=list(audit_setup["audit"].processes.all()),
        lead_auditor=personas.auditor,
        number="A/2027/09",
        planned_month=1,
    )
    AuditFactory(
        planned_entry=entry,
        processes=list(audit_setup["audit"].processes.all()),
        lead_auditor=personas.auditor,
        number="A/2026/05",
        year=2026,
        planned_month=11,
    )
    response = client_for(personas.auditor).get(reverse("audits:calendar"))
    assert list(_rows(response)) == ["A/2026/05", "A/2027/09", "A/2027/01"]


def test_page_needs_signing_in(audit_setup):
    response = Client().get(reverse("audits:calendar"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_page_offers_creating_the_address_when_there_is_none(personas):
    response = _english(client_for(personas.auditor)).get(reverse("audits:calendar"))
    assert response.context["feed_url"] == ""
    html = response.content.decode()
    assert "Create the calendar address" in html
    assert reverse("audits:calendar_reset") in html


def test_page_shows_the_absolute_feed_address(personas):
    token = calendar_services.calendar_token_reset(user=personas.auditor)
    response = client_for(personas.auditor).get(reverse("audits:calendar"))
    expected = "http://testserver" + reverse("audits:calendar_feed", kwargs={"token": token})
    assert response.context["feed_url"] == expected
    assert expected in response.content.decode()


# --- resetting the address ------------------------------------------------------------------


def test_creating_the_address_the_first_time(personas):
    client = client_for(personas.auditor)
    response = client.post(reverse("audits:calendar_reset"))
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:calendar")
    personas.auditor.refresh_from_db()
    token = personas.auditor.calendar_token
    assert token
    assert client.get(reverse("audits:calendar_feed", kwargs={"token": token})).status_code == 200
    assert len(list(get_messages(response.wsgi_request))) == 1


def test_reset_stops_the_old_address_and_starts_a_new_one(personas, audit_setup):
    old = calendar_services.calendar_token_reset(user=personas.auditor)
    client = client_for(personas.auditor)
    assert client.get(reverse("audits:calendar_feed", kwargs={"token": old})).status_code == 200
    response = client.post(reverse("audits:calendar_reset"))
    assert response.status_code == 302
    personas.auditor.refresh_from_db()
    new = personas.auditor.calendar_token
    assert new and new != old
    feed = Client()
    assert feed.get(reverse("audits:calendar_feed", kwargs={"token": old})).status_code == 404
    assert feed.get(reverse("audits:calendar_feed", kwargs={"token": new})).status_code == 200


def test_reset_needs_post(personas):
    response = client_for(personas.auditor).get(reverse("audits:calendar_reset"))
    assert response.status_code == 405
    personas.auditor.refresh_from_db()
    assert personas.auditor.calendar_token is None


def test_reset_needs_signing_in(personas):
    response = Client().post(reverse("audits:calendar_reset"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_reset_needs_the_csrf_token(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.auditor)
    assert client.post(reverse("audits:calendar_reset")).status_code == 403
    personas.auditor.refresh_from_db()
    assert personas.auditor.calendar_token is None


# --- the feed -------------------------------------------------------------------------------


def _feed(token: str):
    return Client().get(reverse("audits:calendar_feed", kwargs={"token": token}))


def _unfold(body: bytes) -> list[str]:
    lines: list[str] = []
    for raw in body.split(b"\r\n")[:-1]:
        text = raw.decode()  # a fold inside a UTF-8 character would fail here
        if text.startswith(" "):
            lines[-1] += text[1:]
        else:
            lines.append(text)
    return lines


def _events(lines: list[str]) -> list[dict[str, str]]:
    events, current = [], None
    for line in lines:
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            name, value = line.split(":", 1)
            current[name] = value
    return events


@pytest.fixture
def feed_setup(personas, audit_setup):
    """``auditor`` leads A/2027/01 (planned, no dates) and is on the team of A/2027/02 (in
    progress, 10–12 March), whose scope has diacritics and every character to escape."""
    other = audit_setup["other_audit"]
    other.team.add(personas.auditor)
    Audit.objects.filter(pk=other.pk).update(
        status=Audit.Status.IN_PROGRESS,
        start_date=datetime.date(2027, 3, 10),
        end_date=datetime.date(2027, 3, 12),
        scope="Zażółć gęślą jaźń, rejestracja; wydział\\WKM\nz drugą linią i długim opisem "
        "zakresu, który na pewno przekroczy siedemdziesiąt pięć oktetów w jednej linii",
    )
    personas.auditor.language = "en"
    personas.auditor.save(update_fields=["language"])
    token = calendar_services.calendar_token_reset(user=personas.auditor)
    return {"token": token, **audit_setup}


def test_feed_is_an_icalendar_with_one_event_per_audit(feed_setup):
    response = _feed(feed_setup["token"])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content
    # CRLF everywhere, and no physical line longer than 75 octets.
    assert body.endswith(b"\r\n")
    assert body.count(b"\n") == body.count(b"\r\n")
    assert body.count(b"\r") == body.count(b"\r\n")
    physical = body.split(b"\r\n")[:-1]
    assert all(len(line) <= 75 for line in physical)
    assert any(line.startswith(b" ") for line in physical)  # the long scope was folded
    lines = _unfold(body)
    stack = []
    for line in lines:
        if line.startswith("BEGIN:"):
            stack.append(line[6:])
        elif line.startswith("END:"):
            assert stack.pop() == line[4:]
    assert stack == []
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    for header in ("VERSION:2.0", "CALSCALE:GREGORIAN"):
        assert header in lines
    assert any(line.startswith("PRODID:") for line in lines)
    assert any(line.startswith("X-WR-CALNAME:") for line in lines)
    assert lines.count("BEGIN:VEVENT") == 2


def test_feed_events_carry_dates_status_uid_and_link(feed_setup):
    events = {e["UID"]: e for e in _events(_unfold(_feed(feed_setup["token"]).content))}
    planned = events[f"audit-{feed_setup['audit'].pk}@szj"]
    in_progress = events[f"audit-{feed_setup['other_audit'].pk}@szj"]
    # No dates yet: the first day of the planned month (March), as a one-day event.
    assert planned["DTSTART;VALUE=DATE"] == "20270301"
    assert planned["DTEND;VALUE=DATE"] == "20270302"
    assert planned["STATUS"] == "TENTATIVE"
    assert planned["SUMMARY"] == "Audit A/2027/01: PG.3"
    assert planned["URL"] == "http://testserver" + reverse(
        "audits:detail", args=[feed_setup["audit"].pk]
    )
    # 10–12 March: the end is exclusive.
    assert in_progress["DTSTART;VALUE=DATE"] == "20270310"
    assert in_progress["DTEND;VALUE=DATE"] == "20270313"
    assert in_progress["STATUS"] == "CONFIRMED"
    assert len(planned["DTSTAMP"]) == 16 and planned["DTSTAMP"].endswith("Z")


def test_feed_description_keeps_polish_letters_and_escapes_text(feed_setup):
    events = _events(_unfold(_feed(feed_setup["token"]).content))
    description = next(e["DESCRIPTION"] for e in events if "team" in e["DESCRIPTION"])
    assert description.startswith("Your role: audit team member\\nScope: Zażółć gęślą jaźń\\, ")
    assert "rejestracja\\; wydział\\\\WKM\\nz drugą linią" in description
    assert "\\nStatus: in progress" in description


@pytest.mark.parametrize("token", ["nieznany-token-" + "x" * 30, "x", "None"])
def test_unknown_token_is_404(feed_setup, token):
    assert _feed(token).status_code == 404


def test_random_valid_looking_token_is_404(feed_setup):
    assert _feed(secrets.token_urlsafe(32)).status_code == 404


def test_token_with_other_letter_case_is_404(feed_setup):
    assert _feed(feed_setup["token"].swapcase()).status_code == 404


def test_empty_token_is_404(feed_setup):
    assert Client().get("/audity/kalendarz/.ics").status_code == 404


def test_feed_of_a_deactivated_person_is_404(feed_setup, personas):
    personas.auditor.is_active = False
    personas.auditor.save(update_fields=["is_active"])
    assert _feed(feed_setup["token"]).status_code == 404


def test_feed_only_holds_its_owners_audits(feed_setup, personas):
    token = calendar_services.calendar_token_reset(user=personas.auditor2)
    events = _events(_unfold(_feed(token).content))
    assert [e["SUMMARY"] for e in events] == ["Audit A/2027/02: PG.2"]


def test_feed_query_count_does_not_grow_with_audits(personas, audit_setup):
    token = calendar_services.calendar_token_reset(user=personas.auditor)
    process = audit_setup["audit"].processes.first()

    def add(count: int, start: int) -> None:
        for i in range(start, start + count):
            entry = PlannedAuditFactory(plan=audit_setup["plan"], processes=[process])
            AuditFactory(
                planned_entry=entry,
                processes=[process],
                lead_auditor=personas.auditor2,
                team=[personas.auditor],
                number=f"A/2027/{i:03d}",
            )

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            response = _feed(token)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.count(b"BEGIN:VEVENT")

    add(1, 100)  # with A/2027/01: two audits
    small, small_events = queries()
    add(18, 200)
    large, large_events = queries()
    assert (small_events, large_events) == (2, 20)
    assert small == large


def test_page_query_count_does_not_grow_with_audits(personas, audit_setup):
    process = audit_setup["audit"].processes.first()
    client = client_for(personas.auditor)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("audits:calendar"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    for i in range(20):
        entry = PlannedAuditFactory(plan=audit_setup["plan"], processes=[process])
        AuditFactory(
            planned_entry=entry,
            processes=[process],
            lead_auditor=personas.auditor,
            number=f"A/2027/{i + 100:03d}",
        )
    assert queries() == small


# --- the text helpers -----------------------------------------------------------------------


def test_escape_handles_backslash_semicolon_comma_and_newlines():
    assert ics_escape("a\\b;c,d\ne\r\nf") == "a\\\\b\\;c\\,d\\ne\\nf"


def test_fold_keeps_lines_within_75_octets_and_characters_whole():
    line = "DESCRIPTION:" + "ż" * 100
    folded = ics_fold(line)
    pieces = folded.split("\r\n")
    assert all(len(piece.encode()) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert pieces[0] + "".join(piece[1:] for piece in pieces[1:]) == line
    ascii_pieces = ics_fold("X:" + "a" * 200).split("\r\n")
    assert [len(piece) for piece in ascii_pieces] == [75, 75, 54]
    assert ics_fold("SHORT:line") == "SHORT:line"
