"""The benchmark's probe: ServerTimingMiddleware reports the server's own time and the SQL it
ran; it is on only in the benchmark settings."""

from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.conftest import client_for


def test_headers_report_time_and_every_query(personas, settings):
    settings.MIDDLEWARE = ["qms.middleware.ServerTimingMiddleware", *django_settings.MIDDLEWARE]
    client = client_for(personas.pelnomocnik)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("processes:list"))
    assert response.status_code == 200
    # Inside the test's transaction the request's own transaction is savepoints: counted too.
    assert int(response["X-Query-Count"]) == len(queries.captured_queries) > 4
    name, duration = response["Server-Timing"].split(";dur=")
    assert name == "app" and float(duration) > 0


def test_probe_is_off_outside_the_benchmark(personas):
    response = client_for(personas.pelnomocnik).get(reverse("processes:list"))
    assert "X-Query-Count" not in response
    assert "Server-Timing" not in response
