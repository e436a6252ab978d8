"""Project-wide views: the start page (Pulpit) and the health check."""

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from audits.selectors import dashboard_audit_sections
from nonconformities.selectors import dashboard_sections as dashboard_card_sections
from processes.selectors import processes_owned_by
from reviews.selectors.objectives import measurements_due
from reviews.selectors.proposals import proposal_actions_due
from reviews.selectors.review import review_dashboard_sections
from reviews.selectors.risks import risks_due

logger = logging.getLogger(__name__)


DASHBOARD_ROWS = 10


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What concerns the signed-in person. Later apps add their sections here."""
    today = timezone.localdate()
    # The first ten, and whether there are more (an eleventh row, not a second query).
    owned = list(processes_owned_by(user=request.user)[: DASHBOARD_ROWS + 1])
    return render(
        request,
        "qms/dashboard.html",
        {
            "owned_processes": owned[:DASHBOARD_ROWS],
            "owned_processes_more": len(owned) > DASHBOARD_ROWS,
            **dashboard_audit_sections(user=request.user, today=today),
            **dashboard_card_sections(user=request.user, today=today),
            **review_dashboard_sections(user=request.user, today=today),
            "measurements_due": measurements_due(user=request.user, today=today)[:10],
            "risks_due": list(risks_due(user=request.user, today=today)[:10]),
            "proposal_actions_due": list(proposal_actions_due(user=request.user, today=today)[:10]),
        },
    )


@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The deklaracja dostępności, public as the law requires, linked from every page."""
    return render(request, "qms/accessibility.html")


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unavailable")
        return False


def _redis_ok() -> bool:
    if not settings.REDIS_URL:
        return True  # the embedded default (Celery eager) runs without Redis
    import redis

    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=1, socket_timeout=1
        )
        return bool(client.ping())
    except Exception:
        logger.exception("health check: Redis unavailable")
        return False


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 when the database and Redis answer, 503 otherwise. Says only which part failed,
    never why: the details go to the log."""
    checks = {"database": _database_ok(), "redis": _redis_ok()}
    healthy = all(checks.values())
    return JsonResponse(
        {
            "status": "ok" if healthy else "unavailable",
            "checks": {k: "ok" if v else "fail" for k, v in checks.items()},
        },
        status=200 if healthy else 503,
    )


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)
