"""The benchmark command end to end at a toy size: two databases seeded with seed_scale,
gunicorn on each, every page requested by its persona, the PDF and the reminder run measured,
BENCHMARKS-style markdown and JSON written. Timings at this size prove nothing, so only what
does not depend on the clock is asserted: every page answered, and its SQL count was steady,
the same at both sizes and within the budget."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.run import SWEEP_COPY_SUFFIX, database_name, database_url, sql
from bench.targets import PERSONAS

ROOT = Path(__file__).resolve().parents[2]
FACTORS = ("0.03", "0.06")
YEARS = 2


@pytest.fixture
def base():
    """The PostgreSQL server of the suite; the run's own databases are dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/szj")
    yield url
    for factor in FACTORS:
        name = database_name(factor, YEARS)
        sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        sql(url, f'DROP DATABASE IF EXISTS "{name}{SWEEP_COPY_SUFFIX}" WITH (FORCE)')


def test_bench_runs_end_to_end(tmp_path, base):
    output, markdown = tmp_path / "latest.json", tmp_path / "BENCHMARKS.md"
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.run",
            "--factors",
            "0.03",
            "0.06",
            "--years",
            "2",
            "--repeat",
            "2",
            "--warmup",
            "1",
            "--pdf-repeat",
            "1",
            "--sweep-items",
            "30",
            "--fresh",
            "--database-url",
            base,
            "--json",
            str(output),
            "--markdown",
            str(markdown),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert output.exists(), completed.stdout + completed.stderr
    results = json.loads(output.read_text())
    runs = results["runs"]
    assert set(runs) == {"0.03", "0.06"}
    small, large = runs["0.03"]["pages"], runs["0.06"]["pages"]
    assert {f"start ({name})" for name in PERSONAS} <= set(large)
    assert {"register", "plan", "audit", "cards", "card", "review"} <= set(large)
    assert runs["0.06"]["rows"]["cards"] > runs["0.03"]["rows"]["cards"] > 0
    for key, page in large.items():
        baselines = page["baseline"] if isinstance(page["baseline"], list) else [page["baseline"]]
        assert page["n"] == 2 and set(baselines) <= set(runs["0.06"]["admin"]), key
    by_budget = {(v["budget"], v["subject"]): v for v in results["budgets"]}
    for key in large:
        assert by_budget[("queries", key)]["ok"], by_budget[("queries", key)]["detail"]
        assert small[key]["queries"] == large[key]["queries"], key
    # 30 items are fewer than the 10,000 the budget asks for: the verdict must say so.
    sweep = runs["0.06"]["sweep"]
    assert sweep["due_items"] >= 30 and sweep["emails"] >= 30
    assert not by_budget[("sweep", "reminders")]["ok"]
    # The reminder run wrote to a copy, dropped afterwards: the benchmark database is as seeded.
    import psycopg

    large_db = database_url(base, database_name("0.06", YEARS))
    with psycopg.connect(large_db) as connection:
        deliveries = connection.execute("SELECT count(*) FROM qms_delivery").fetchone()[0]
        copies = connection.execute(
            "SELECT count(*) FROM pg_database WHERE datname LIKE %s", [f"%{SWEEP_COPY_SUFFIX}"]
        ).fetchone()[0]
    assert deliveries == runs["0.06"]["rows"]["reminder deliveries"]
    assert copies == 0
    assert completed.returncode == 1
    assert "| Card list | pelnomocnik |" in markdown.read_text()


def test_the_reminder_run_refuses_a_database_that_is_not_a_throwaway_copy(base):
    completed = subprocess.run(
        [sys.executable, "-m", "bench.sweep", "--items", "1"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": base, "DJANGO_SETTINGS_MODULE": "config.settings.bench"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert completed.returncode != 0
    assert f"runs only on a database named *{SWEEP_COPY_SUFFIX}" in completed.stderr
