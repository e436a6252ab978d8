"""Reads of each person's audit calendar: the audits they are involved in, and whose feed a
secret address belongs to."""

import datetime
import hmac
import re

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import Http404

from audits.models import Audit
from audits.selectors.audits import audits_visible
from processes.models import Process
from qms.models import User

# token_urlsafe(32) gives 43 characters of this alphabet; anything else is not a token.
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def audit_start(audit: Audit) -> datetime.date:
    """The day the audit begins on a calendar: its start date, else its planned month's first."""
    return audit.start_date or datetime.date(audit.year, audit.planned_month, 1)


def audits_involving(user: User) -> list[Audit]:
    """The audits ``user`` leads, is on the team of, or whose process they own, with their
    processes and team, ordered by date (the start date, else the planned month). Overseers
    see every audit elsewhere; a calendar is about one's own involvement. Three queries."""
    in_team = Exists(Audit.team.through.objects.filter(audit=OuterRef("pk"), user=user))
    owns_process = Exists(Process.objects.filter(audits=OuterRef("pk"), owner=user))
    audits = list(
        audits_visible(user=user)
        .filter(Q(lead_auditor=user) | in_team | owns_process)
        .prefetch_related(
            Prefetch("processes", queryset=Process.objects.order_by("sort_key", "code")),
            "team",
        )
    )
    audits.sort(key=lambda audit: (audit.year, audit_start(audit), audit.number))
    return audits


def feed_owner(token: str) -> User:
    """The active person whose calendar feed ``token`` opens; 404 for any other token."""
    if not TOKEN_PATTERN.fullmatch(token):
        raise Http404
    user = User.objects.filter(calendar_token=token, is_active=True).first()
    # The database may compare case-insensitively (collations differ between backends):
    # insist on the exact secret, in constant time.
    if user is None or not hmac.compare_digest(user.calendar_token.encode(), token.encode()):
        raise Http404
    return user
