"""Connection settings shared by every environment (config.settings.base.tuned)."""

from django.db import connection


def test_postgres_jit_is_off_for_the_app(db):
    # The JIT compiler added ~350 ms to the management review's query of many counts.
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"


def test_requests_run_in_one_transaction():
    assert connection.settings_dict["ATOMIC_REQUESTS"] is True
