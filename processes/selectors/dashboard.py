"""The start page's section of this app (registered in ``ProcessesConfig.ready()``)."""

import datetime

from django.db.models import QuerySet

from processes.models import Process
from qms.models import User

DASHBOARD_ROWS = 10


def processes_owned_by(*, user: User) -> QuerySet[Process]:
    """The active processes ``user`` owns: the start page's first section."""
    return (
        Process.objects.filter(owner=user, status=Process.Status.ACTIVE)
        .select_related("owner_unit")
        .order_by("sort_key", "code")
    )


def dashboard_section(user: User, today: datetime.date) -> dict:
    """The start page's first section: the first ten owned processes, and whether there are
    more (an eleventh row, not a second query)."""
    owned = list(processes_owned_by(user=user)[: DASHBOARD_ROWS + 1])
    return {
        "owned_processes": owned[:DASHBOARD_ROWS],
        "owned_processes_more": len(owned) > DASHBOARD_ROWS,
    }
