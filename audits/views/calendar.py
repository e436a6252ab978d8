"""Each person's audit calendar: a page listing the audits they lead, are on or whose process is
audited, and a personal iCalendar feed (RFC 5545) of the same audits for calendar programs.

The feed has no session: calendar programs fetch it on their own. Its address carries a secret
(``User.calendar_token``) that the person can replace at any time, which stops the old address.
"""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audits.models import Audit
from audits.selectors.audits import audit_relations
from audits.selectors.calendar import audit_start, audits_involving, feed_owner
from audits.services import calendar as services
from qms.models import User

ROLE_ORDER = ("lead", "team", "owner")


def _role_labels() -> dict[str, str]:
    return {
        "lead": _("lead auditor"),
        "team": _("audit team member"),
        "owner": _("owner of the audited process"),
    }


def _audit_end_exclusive(audit: Audit) -> datetime.date:
    start = audit_start(audit)
    if audit.start_date and audit.end_date and audit.end_date >= audit.start_date:
        return audit.end_date + datetime.timedelta(days=1)
    return start + datetime.timedelta(days=1)


def _roles(user: User, audit: Audit) -> list[str]:
    relations = audit_relations(user, audit)
    return [role for role in ROLE_ORDER if role in relations]


def _feed_url(request: HttpRequest, user: User) -> str:
    if not user.calendar_token:
        return ""
    return request.build_absolute_uri(
        reverse("audits:calendar_feed", kwargs={"token": user.calendar_token})
    )


@login_required
@require_GET
def calendar_page(request: HttpRequest) -> HttpResponse:
    labels = _role_labels()
    rows = [
        {
            "audit": audit,
            "roles": [labels[role] for role in _roles(request.user, audit)],
            "processes": list(audit.processes.all()),
        }
        for audit in audits_involving(request.user)
    ]
    return render(
        request,
        "audits/calendar/calendar.html",
        {"rows": rows, "feed_url": _feed_url(request, request.user)},
    )


@login_required
@require_POST
def calendar_token_reset(request: HttpRequest) -> HttpResponse:
    """Create the person's feed address, or replace it (the old one stops working)."""
    had_token = bool(request.user.calendar_token)
    services.calendar_token_reset(user=request.user)
    if had_token:
        messages.success(
            request,
            _(
                "Your calendar has a new address. The old one no longer works: "
                "update the subscription in your calendar program."
            ),
        )
    else:
        messages.success(request, _("Your calendar address was created."))
    return redirect("audits:calendar")


# --- the iCalendar feed ---------------------------------------------------------------------


def ics_escape(text: str) -> str:
    """A TEXT value escaped as RFC 5545 3.3.11 requires."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def ics_fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 3.1), never splitting
    a UTF-8 character: continuation lines start with a space, which counts in their 75."""
    pieces = []
    current, size, limit = [], 0, 75
    for char in line:
        width = len(char.encode())
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(char)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def _ics_date(value: datetime.date) -> str:
    return value.strftime("%Y%m%d")


def _event_lines(
    request: HttpRequest, user: User, audit: Audit, stamp: str, labels: dict[str, str]
) -> list[str]:
    codes = ", ".join(process.code for process in audit.processes.all())
    summary = _("Audit %(number)s: %(processes)s") % {"number": audit.number, "processes": codes}
    description = "\n".join(
        [
            _("Your role: %(roles)s")
            % {"roles": ", ".join(labels[r] for r in _roles(user, audit))},
            _("Scope: %(scope)s") % {"scope": audit.scope},
            _("Status: %(status)s") % {"status": audit.get_status_display()},
        ]
    )
    url = request.build_absolute_uri(reverse("audits:detail", kwargs={"pk": audit.pk}))
    return [
        "BEGIN:VEVENT",
        f"UID:audit-{audit.pk}@szj",
        f"DTSTAMP:{stamp}",
        f"DTSTART;VALUE=DATE:{_ics_date(audit_start(audit))}",
        f"DTEND;VALUE=DATE:{_ics_date(_audit_end_exclusive(audit))}",
        f"SUMMARY:{ics_escape(summary)}",
        f"DESCRIPTION:{ics_escape(description)}",
        f"URL:{url}",
        "STATUS:" + ("TENTATIVE" if audit.status == Audit.Status.PLANNED else "CONFIRMED"),
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    ]


def calendar_ics(request: HttpRequest, user: User, audits: list[Audit]) -> str:
    """The iCalendar text of ``audits`` for ``user``: CRLF line ends, folded lines."""
    stamp = timezone.now().astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    labels = _role_labels()
    lines = [
        "BEGIN:VCALENDAR",
        "PRODID:-//Urzad Miasta//SZJ audity jakosci//PL",
        "VERSION:2.0",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:" + ics_escape(_("Quality audits — %(name)s") % {"name": user}),
    ]
    for audit in audits:
        lines += _event_lines(request, user, audit, stamp, labels)
    lines.append("END:VCALENDAR")
    return "".join(ics_fold(line) + "\r\n" for line in lines)


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The person's audits as iCalendar, for a calendar program that has no session: the
    secret in the address is the only credential, so an unknown one is a plain 404."""
    user = feed_owner(token)
    # In the language the person chose for the system, not the (absent) browser's.
    with translation.override(user.language or settings.LANGUAGE_CODE):
        body = calendar_ics(request, user, audits_involving(user))
    response = HttpResponse(body.encode(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="audity.ics"'
    # Personal data behind a secret address: no shared cache may keep a copy.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
