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

from qms.registry import dashboard_sections

logger = logging.getLogger(__name__)


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """What concerns the signed-in person: each app's sections (``qms.registry``), in order."""
    today = timezone.localdate()
    sections = dashboard_sections()
    context: dict = {"dashboard_sections": sections}
    for section in sections:
        context.update(section.context(request.user, today))
    return render(request, "qms/dashboard.html", context)


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
