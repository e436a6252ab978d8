"""The benchmark: ``make bench`` (or ``python -m bench.run``).

For each size (``--factors``, default 1 and 10) it builds a PostgreSQL database with
``seed_scale`` (kept and reused on the next run unless ``--fresh``), starts gunicorn on it with
``config.settings.bench`` and signs the demo personas in. Then it requests every page at every size
in turn — page by page, size by size, round after round, so that a slower moment of the machine
hits both sizes alike — reading the server's own time and SQL count from the response headers.
It also times the management-review minutes PDF and, at the largest size, the reminder run for
10,000 due items. Results go to ``bench/results/latest.json`` and BENCHMARKS.md; the exit status
is 1 when a budget (``bench.budgets``) is missed.
"""

from __future__ import annotations

import argparse
import datetime
import http.cookiejar
import json
import os
import platform
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path

from bench import budgets

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "demo-szj-2026"  # noqa: S105  # the seeded demo accounts' published password
SETTINGS = "config.settings.bench"


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", flush=True)


# --- databases ------------------------------------------------------------------------------


def database_url(base: str, name: str) -> str:
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def environment(url: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DATABASE_URL": url,
        "PYTHONPATH": str(ROOT),
    }


def manage(url: str, *args: str, capture: bool = False) -> str:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE if capture else None,
    )
    return completed.stdout or ""


def module(url: str, name: str, *args: str) -> dict:
    completed = subprocess.run(
        [sys.executable, "-m", name, *args],
        cwd=ROOT,
        env=environment(url),
        check=True,
        text=True,
        stdout=subprocess.PIPE,
    )
    return json.loads(completed.stdout)


def sql(base: str, statement: str) -> None:
    """One statement on the server's maintenance database (CREATE/DROP DATABASE)."""
    import psycopg

    with psycopg.connect(database_url(base, "postgres"), autocommit=True) as connection:
        connection.execute(statement)


def seeded(url: str) -> bool:
    import psycopg

    try:
        with psycopg.connect(url) as connection:
            row = connection.execute("SELECT count(*) FROM processes_process").fetchone()
    except psycopg.Error:
        return False
    return bool(row and row[0])


def database_name(factor: str, years: int) -> str:
    return f"szj_bench_f{factor.replace('.', '_')}_y{years}"


# The reminder run writes for real (each e-mail's row is committed as sent, as in production),
# so it runs on a copy of the largest database, made and dropped around it.
SWEEP_COPY_SUFFIX = "_sweep"


@contextmanager
def throwaway_copy(base: str, name: str):
    """A copy of database ``name`` (no one may be connected to it), dropped afterwards."""
    copy = name + SWEEP_COPY_SUFFIX
    sql(base, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')
    sql(base, f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    try:
        yield database_url(base, copy)
    finally:
        sql(base, f'DROP DATABASE IF EXISTS "{copy}" WITH (FORCE)')


def prepare(base: str, factor: str, years: int, fresh: bool) -> tuple[str, float | None]:
    """The database for one size: reused when it is already seeded (seeding N=10 takes
    minutes), otherwise created, migrated and seeded. Returns its URL and the seeding time."""
    name = database_name(factor, years)
    url = database_url(base, name)
    if not fresh and seeded(url):
        log(f"N={factor}: reusing database {name}")
        manage(url, "migrate", "--noinput", "-v", "0")  # the code may have moved on since
        return url, None
    log(f"N={factor}: creating database {name}")
    sql(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    sql(base, f'CREATE DATABASE "{name}"')
    manage(url, "migrate", "--noinput", "-v", "0")
    started = time.perf_counter()
    manage(url, "seed_scale", "--years", str(years), "--factor", factor)
    seconds = time.perf_counter() - started
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")
    return url, seconds


def row_counts(url: str) -> dict[str, int]:
    import psycopg

    tables = {
        "units": "qms_organisationalunit",
        "users": "qms_user",
        "processes": "processes_process",
        "audits": "audits_audit",
        "findings": "audits_finding",
        "cards": "nonconformities_nonconformity",
        "corrective actions": "nonconformities_correctiveaction",
        "objectives": "reviews_qualityobjective",
        "measurements": "reviews_measurement",
        "risks": "reviews_risk",
        "feedback": "reviews_feedback",
        "reviews": "reviews_managementreview",
        "reminder deliveries": "qms_delivery",
        "notifications": "qms_notification",
    }
    with psycopg.connect(url) as connection:
        return {
            label: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for label, table in tables.items()
        }


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def server(url: str):
    """gunicorn, one synchronous worker: requests are sent one at a time, so one worker
    measures each request alone."""
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--timeout",
            "120",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=environment(url),
    )
    address = f"http://127.0.0.1:{port}"
    try:
        for _attempt in range(150):
            try:
                urllib.request.urlopen(address + "/logowanie/", timeout=5).read()
                break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("bench: gunicorn did not start") from None
                time.sleep(0.2)
        else:
            raise RuntimeError("bench: gunicorn did not answer")
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


class Session:
    """One signed-in persona on one server."""

    def __init__(self, address: str, username: str) -> None:
        self.address = address
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        page = self.opener.open(address + "/logowanie/").read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token, "username": username, "password": PASSWORD}
        ).encode()
        response = self.opener.open(address + "/logowanie/", data=form)
        if "/logowanie/" in response.geturl():
            raise RuntimeError(f"bench: {username} could not sign in")

    def get(self, path: str) -> tuple[float, int, int]:
        """(server milliseconds, SQL statements, bytes) of one GET that must answer 200."""
        with self.opener.open(self.address + path, timeout=120) as response:
            body = response.read()
            if response.status != 200 or response.geturl() != self.address + path:
                raise RuntimeError(f"bench: {path} answered {response.status}")
            timing = response.headers["Server-Timing"]
            queries = int(response.headers["X-Query-Count"])
        milliseconds = float(re.search(r"dur=([0-9.]+)", timing).group(1))
        return milliseconds, queries, len(body)


# --- measuring ------------------------------------------------------------------------------


def measure(sizes: dict[str, dict], repeat: int, warmup: int, pdf_repeat: int) -> dict[str, dict]:
    """Every page and baseline, interleaved across sizes; then the PDF at each size."""
    samples: dict[tuple[str, str, str], list[tuple[float, int]]] = {}
    order = []
    for kind in ("pages", "baselines"):
        keys = list(next(iter(sizes.values()))["targets"][kind])
        order += [(kind, key) for key in keys]
    for round_number in range(warmup + repeat):
        for kind, key in order:
            for factor, size in sizes.items():
                target = size["targets"][kind][key]
                if kind == "pages":
                    session, path = size["sessions"][target["persona"]], target["path"]
                else:
                    session, path = size["sessions"]["admin"], target
                milliseconds, queries, _size = session.get(path)
                if round_number >= warmup:
                    samples.setdefault((factor, kind, key), []).append((milliseconds, queries))
        if round_number == warmup - 1:
            log("warm-up done")
    results: dict[str, dict] = {}
    for factor, size in sizes.items():
        pages, admin = {}, {}
        for kind, key in order:
            measured = samples[(factor, kind, key)]
            entry = {
                **budgets.summarise([m for m, _q in measured]),
                "queries": sorted({q for _m, q in measured}),
            }
            if kind == "pages":
                target = size["targets"]["pages"][key]
                pages[key] = {**target, **entry}
            else:
                admin[key] = {"path": size["targets"]["baselines"][key], **entry}
        pdf = size["targets"]["pdf"]
        session = size["sessions"][pdf["persona"]]
        session.get(pdf["path"])  # warm-up: fonts and templates loaded once per process
        timings = [session.get(pdf["path"])[0] for _ in range(pdf_repeat)]
        results[factor] = {
            "pages": pages,
            "admin": admin,
            "pdf": {**pdf, **budgets.summarise(timings)},
        }
    return results


def machine() -> dict[str, str]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split()[1]
        memory_gib = f"{int(memory) / 1024 / 1024:.0f} GiB"
    except OSError:
        memory_gib = "unknown"
    import django

    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "memory": memory_gib,
        "system": platform.platform(),
        "Python": platform.python_version(),
        "Django": django.get_version(),
    }


def commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            check=True,
            text=True,
            capture_output=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--factors", nargs="+", default=["1", "10"])
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=80, help="measured requests per page")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--pdf-repeat", type=int, default=5)
    parser.add_argument("--sweep-items", type=int, default=budgets.SWEEP_ITEMS)
    parser.add_argument("--fresh", action="store_true", help="seed again even if seeded")
    parser.add_argument(
        "--database-url",
        default=os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
        help="the PostgreSQL server (its database part is replaced per size)",
    )
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "latest.json")
    parser.add_argument("--markdown", type=Path, default=ROOT / "BENCHMARKS.md")
    options = parser.parse_args(argv)
    factors = sorted(options.factors, key=float)
    # A stopped run (Ctrl-C, timeout) still stops the servers it started.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(143))

    sizes: dict[str, dict] = {}
    for factor in factors:
        url, seconds = prepare(options.database_url, factor, options.years, options.fresh)
        sizes[factor] = {
            "url": url,
            "seed_seconds": seconds,
            "rows": row_counts(url),
            "targets": module(url, "bench.targets"),
        }
    with ExitStack() as stack:
        for factor, size in sizes.items():
            address = stack.enter_context(server(size["url"]))
            personas = {size["targets"]["pdf"]["persona"], "admin"}
            personas |= {page["persona"] for page in size["targets"]["pages"].values()}
            size["sessions"] = {name: Session(address, name) for name in sorted(personas)}
            log(f"N={factor}: server at {address}, {len(personas)} personas signed in")
        measured = measure(sizes, options.repeat, options.warmup, options.pdf_repeat)
    largest = factors[-1]
    log(f"N={largest}: reminder run for {options.sweep_items} due items, on a copy")
    with throwaway_copy(options.database_url, database_name(largest, options.years)) as url:
        sweep = module(url, "bench.sweep", "--items", str(options.sweep_items))

    results = {
        "finished": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "commit": commit(),
        "machine": {**machine(), "PostgreSQL": postgres_version(sizes[largest]["url"])},
        "years": options.years,
        "repeat": options.repeat,
        "runs": {
            factor: {
                "seed_seconds": size["seed_seconds"],
                "rows": size["rows"],
                **measured[factor],
                **({"sweep": sweep} if factor == largest else {}),
            }
            for factor, size in sizes.items()
        },
    }
    verdicts = budgets.check(results)
    results["budgets"] = budgets.as_dicts(verdicts)
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    options.markdown.write_text(budgets.markdown(results, verdicts))
    for verdict in verdicts:
        if not verdict.ok:
            log(f"MISSED {verdict.budget} · {verdict.subject}: {verdict.detail}")
    log(f"{sum(v.ok for v in verdicts)}/{len(verdicts)} budgets met; see {options.markdown}")
    return 0 if all(v.ok for v in verdicts) else 1


def postgres_version(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
