"""The budgets of the benchmark, and the report. Pure functions over the results dictionary
that ``bench.run`` builds, so they can be tested without a server."""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

MAX_QUERIES = 25
MAX_GROWTH = 1.5  # p95 at the large size / p95 at the small size
PDF_LIMIT_MS = 3000.0
SWEEP_ITEMS = 10_000
SWEEP_LIMIT_S = 60.0


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: the smallest sample with at least ``fraction`` of the samples
    at or below it (no interpolation, so it is always a time that was really measured)."""
    if not samples:
        raise ValueError("no samples")
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(percentile(samples, 0.5), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "max_ms": round(max(samples), 2),
        "n": len(samples),
    }


@dataclass(frozen=True)
class Verdict:
    budget: str
    subject: str
    ok: bool
    detail: str


def baseline_p95(run: dict, page: dict) -> float:
    """The admin's p95 for the page's rows: one changelist, or the sum of several when the page
    compiles what the admin shows on several (the management review)."""
    keys = page["baseline"] if isinstance(page["baseline"], list) else [page["baseline"]]
    return sum(run["admin"][key]["p95_ms"] for key in keys)


def baseline_label(page: dict) -> str:
    keys = page["baseline"] if isinstance(page["baseline"], list) else [page["baseline"]]
    return " + ".join(keys)


def _sizes(results: dict) -> tuple[str, str]:
    sizes = sorted(results["runs"], key=float)
    return sizes[0], sizes[-1]


def check(results: dict) -> list[Verdict]:
    """Every budget of issue #9, for every page, at the smallest and the largest size run."""
    small, large = _sizes(results)
    runs = results["runs"]
    verdicts: list[Verdict] = []
    for key, page in runs[large]["pages"].items():
        before = runs[small]["pages"][key]
        counts = set(page["queries"]) | set(before["queries"])
        verdicts.append(
            Verdict(
                "queries",
                key,
                len(counts) == 1 and max(counts) <= MAX_QUERIES,
                f"N={small}: {_counts(before['queries'])}, N={large}: {_counts(page['queries'])}"
                f" (the same at both sizes, at most {MAX_QUERIES})",
            )
        )
        limit = MAX_GROWTH * before["p95_ms"]
        verdicts.append(
            Verdict(
                "growth",
                key,
                page["p95_ms"] <= limit,
                f"p95 {page['p95_ms']:.1f} ms at N={large} vs {before['p95_ms']:.1f} ms at "
                f"N={small} (at most {limit:.1f} ms)",
            )
        )
        baseline = baseline_p95(runs[large], page)
        verdicts.append(
            Verdict(
                "admin",
                key,
                page["p95_ms"] <= baseline,
                f"p95 {page['p95_ms']:.1f} ms vs the admin's {baseline:.1f} ms "
                f"({baseline_label(page)})",
            )
        )
    pdf = runs[large].get("pdf")
    verdicts.append(
        Verdict(
            "pdf",
            "review minutes",
            bool(pdf) and pdf["max_ms"] < PDF_LIMIT_MS,
            f"slowest of {pdf['n']} renders {pdf['max_ms']:.0f} ms at N={large} "
            f"(under {PDF_LIMIT_MS:.0f} ms)"
            if pdf
            else "not measured",
        )
    )
    sweep = runs[large].get("sweep")
    verdicts.append(
        Verdict(
            "sweep",
            "reminders",
            bool(sweep) and sweep["due_items"] >= SWEEP_ITEMS and sweep["total_s"] < SWEEP_LIMIT_S,
            f"{sweep['due_items']} due items swept and sent in {sweep['total_s']:.1f} s "
            f"(at least {SWEEP_ITEMS}, under {SWEEP_LIMIT_S:.0f} s)"
            if sweep
            else "not measured",
        )
    )
    return verdicts


def _counts(counts: list[int]) -> str:
    values = sorted(set(counts))
    return "/".join(str(v) for v in values)


def as_dicts(verdicts: list[Verdict]) -> list[dict]:
    return [asdict(v) for v in verdicts]


def markdown(results: dict, verdicts: list[Verdict]) -> str:
    """BENCHMARKS.md: the machine, the data, one table of pages and one of budgets."""
    small, large = _sizes(results)
    runs = results["runs"]
    machine = results["machine"]
    failed = [v for v in verdicts if not v.ok]
    lines = [
        "# Benchmarks",
        "",
        "Written by `make bench` (see README); do not edit by hand. What is measured and how is",
        "described in `bench/README.md`.",
        "",
        f"**Result: {'every budget met' if not failed else f'{len(failed)} budget(s) missed'}**"
        f" — run {results['finished']}, commit `{results['commit']}`.",
        "",
        "## Machine",
        "",
        *[f"- {label}: {value}" for label, value in machine.items()],
        "",
        "## Data",
        "",
        "| rows | " + " | ".join(f"N={n}" for n in sorted(runs, key=float)) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    models = list(runs[large]["rows"])
    for model in models:
        lines.append(
            f"| {model} | "
            + " | ".join(f"{runs[n]['rows'].get(model, 0):,}" for n in sorted(runs, key=float))
            + " |"
        )
    lines += [
        "",
        "Seeding: "
        + "; ".join(
            f"N={n} in {runs[n]['seed_seconds']:.0f} s"
            if runs[n].get("seed_seconds") is not None
            else f"N={n} seeded by an earlier run (database reused)"
            for n in sorted(runs, key=float)
        )
        + ".",
        "",
        "## Pages",
        "",
        f"Server time in milliseconds over {results['repeat']} requests per page and size "
        "(after warm-up), SQL statements per request, and the Django admin changelist of the "
        f"same rows at N={large} as the baseline.",
        "",
        f"| page | as | queries N={small} | queries N={large} | median N={small} "
        f"| p95 N={small} | median N={large} | p95 N={large} | admin p95 N={large} | budgets |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|:---:|",
    ]
    by_subject: dict[str, list[Verdict]] = {}
    for verdict in verdicts:
        by_subject.setdefault(verdict.subject, []).append(verdict)
    for key, page in runs[large]["pages"].items():
        before = runs[small]["pages"][key]
        baseline = baseline_p95(runs[large], page)
        ok = all(v.ok for v in by_subject.get(key, []))
        lines.append(
            f"| {page['label']} | {page['persona']} | {_counts(before['queries'])} "
            f"| {_counts(page['queries'])} | {before['median_ms']:.1f} | {before['p95_ms']:.1f} "
            f"| {page['median_ms']:.1f} | {page['p95_ms']:.1f} | {baseline:.1f} "
            f"| {'✅' if ok else '❌'} |"
        )
    lines += [
        "",
        "### Admin baselines",
        "",
        f"| changelist | queries N={large} | median N={large} | p95 N={large} |",
        "|---|---:|---:|---:|",
    ]
    for key, baseline in runs[large]["admin"].items():
        lines.append(
            f"| {key} | {_counts(baseline['queries'])} | {baseline['median_ms']:.1f} "
            f"| {baseline['p95_ms']:.1f} |"
        )
    lines += ["", "## Budgets", "", "| budget | subject | met | detail |", "|---|---|:---:|---|"]
    for verdict in verdicts:
        lines.append(
            f"| {verdict.budget} | {verdict.subject} | {'✅' if verdict.ok else '❌'} "
            f"| {verdict.detail} |"
        )
    sweep = runs[large].get("sweep")
    if sweep:
        lines += [
            "",
            "## Reminder sweep",
            "",
            f"At N={large}: {sweep['due_items']:,} due items; collecting and recording them "
            f"took {sweep['sweep_s']:.1f} s, sending {sweep['emails']:,} e-mails "
            f"{sweep['send_s']:.1f} s, {sweep['total_s']:.1f} s in all.",
        ]
    return "\n".join(lines) + "\n"
