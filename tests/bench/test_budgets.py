"""The benchmark's verdicts (bench.budgets): each budget of issue #9 passes when met and fails
when missed, on results shaped like those bench.run writes."""

import copy

import pytest

from bench import budgets


def _page(p95: float, queries: int = 12, baseline: str = "cards") -> dict:
    return {
        "label": "Card list",
        "persona": "pelnomocnik",
        "path": "/niezgodnosci/",
        "baseline": baseline,
        "median_ms": p95 * 0.8,
        "p95_ms": p95,
        "max_ms": p95 * 1.1,
        "n": 40,
        "queries": [queries],
    }


def _run(p95: float, admin_p95: float, **extra) -> dict:
    return {
        "seed_seconds": 10.0,
        "rows": {"cards": 1500},
        "pages": {"cards": _page(p95)},
        "admin": {
            "cards": {
                "path": "/admin/",
                "median_ms": 1,
                "p95_ms": admin_p95,
                "max_ms": 1,
                "n": 40,
                "queries": [8],
            }
        },
        "pdf": {"label": "Minutes", "median_ms": 900, "p95_ms": 1000, "max_ms": 1200, "n": 5},
        **extra,
    }


@pytest.fixture
def results() -> dict:
    return {
        "finished": "2026-11-27T20:00:00+01:00",
        "commit": "abc1234",
        "machine": {"CPU": "test, 2 cores"},
        "years": 10,
        "repeat": 40,
        "runs": {
            "1": _run(20.0, 30.0),
            "10": _run(
                25.0,
                60.0,
                sweep={
                    "due_items": 10_000,
                    "emails": 10_000,
                    "not_sent": 0,
                    "sweep_s": 10.0,
                    "send_s": 20.0,
                    "total_s": 30.0,
                },
            ),
        },
    }


def _failed(results: dict) -> set[tuple[str, str]]:
    return {(v.budget, v.subject) for v in budgets.check(results) if not v.ok}


def test_all_met(results):
    verdicts = budgets.check(results)
    assert {v.budget for v in verdicts} == {"queries", "growth", "admin", "pdf", "sweep"}
    assert _failed(results) == set()


def test_sizes_are_compared_numerically_not_as_text(results):
    # As text "2" sorts after "10"; then N=2 (no sweep measured) would be taken as the largest.
    results["runs"]["2"] = copy.deepcopy(results["runs"]["1"])
    assert _failed(results) == set()


def test_query_count_must_not_grow(results):
    results["runs"]["10"]["pages"]["cards"]["queries"] = [13]
    assert _failed(results) == {("queries", "cards")}


def test_query_count_must_be_steady_within_a_size(results):
    results["runs"]["1"]["pages"]["cards"]["queries"] = [12, 14]
    assert _failed(results) == {("queries", "cards")}


def test_query_count_cap(results):
    for size in ("1", "10"):
        results["runs"][size]["pages"]["cards"]["queries"] = [26]
    assert _failed(results) == {("queries", "cards")}


def test_p95_growth_beyond_one_and_a_half(results):
    results["runs"]["10"]["pages"]["cards"]["p95_ms"] = 30.5  # 1.5 × 20 = 30
    assert _failed(results) == {("growth", "cards")}


def test_slower_than_the_admin(results):
    results["runs"]["10"]["admin"]["cards"]["p95_ms"] = 24.0
    assert _failed(results) == {("admin", "cards")}


def test_a_page_compiled_from_several_registers_is_held_to_their_sum(results):
    for size in ("1", "10"):
        run = results["runs"][size]
        run["admin"]["risks"] = {**run["admin"]["cards"], "p95_ms": 10.0}
        run["pages"]["cards"]["baseline"] = ["cards", "risks"]
    results["runs"]["10"]["admin"]["cards"]["p95_ms"] = 20.0
    assert _failed(results) == set()  # 25 ≤ 20 + 10
    results["runs"]["10"]["admin"]["risks"]["p95_ms"] = 4.0
    assert _failed(results) == {("admin", "cards")}  # 25 > 20 + 4


def test_pdf_limit(results):
    results["runs"]["10"]["pdf"]["max_ms"] = 3000.0
    assert _failed(results) == {("pdf", "review minutes")}


def test_sweep_limit_and_size(results):
    results["runs"]["10"]["sweep"]["total_s"] = 61.0
    assert _failed(results) == {("sweep", "reminders")}
    results["runs"]["10"]["sweep"].update(total_s=10.0, due_items=9_999)
    assert _failed(results) == {("sweep", "reminders")}


def test_missing_measurements_fail(results):
    del results["runs"]["10"]["sweep"]
    del results["runs"]["10"]["pdf"]
    assert _failed(results) == {("sweep", "reminders"), ("pdf", "review minutes")}


def test_percentile_is_nearest_rank():
    samples = [float(n) for n in range(1, 101)]
    assert budgets.percentile(samples, 0.95) == 95.0
    assert budgets.percentile(samples, 0.5) == 50.0
    assert budgets.percentile([7.0, 1.0, 3.0], 0.95) == 7.0


def test_markdown_reports_the_verdicts(results):
    results["runs"]["10"]["admin"]["cards"]["p95_ms"] = 24.0
    text = budgets.markdown(results, budgets.check(results))
    assert "1 budget(s) missed" in text
    assert "| Card list | pelnomocnik | 12 | 12 |" in text
    assert "❌" in text
    assert "10,000 due items" in text


def test_markdown_says_how_each_database_was_seeded(results):
    results["runs"]["10"]["seed_seconds"] = None  # reused from an earlier run
    text = budgets.markdown(results, budgets.check(results))
    assert "Seeding: N=1 in 10 s; N=10 seeded by an earlier run (database reused)." in text
