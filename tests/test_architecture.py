"""The house keeps its shape: imports run one way (ARCHITECTURE.md), no module imports itself
round a circle, no file grows past the size a reader takes in. These fail the suite, and
`make lint`, the moment an import or a file breaks them."""

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "importlinter"
]
PACKAGES = CONFIG["root_packages"]
MAX_LINES = 700
# Not ours, or not code: installed packages, caches, generated files.
SKIPPED_DIRS = {".venv", "node_modules", ".git", "staticfiles", "szj.egg-info", "test-artifacts"}
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def _lint_imports(cwd: Path, *config: str, pythonpath: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *config],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_the_import_contracts_hold():
    result = _lint_imports(ROOT, pythonpath=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_layers_contract_refuses_an_upward_import(tmp_path):
    """The contract as configured in pyproject.toml, on a throwaway tree where the foundation
    imports an app from inside a function: it must fail (so the test above can)."""
    for package in PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "qms" / "views.py").write_text("def f():\n    import reviews  # noqa\n")
    (tmp_path / "pyproject.toml").write_text(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    result = _lint_imports(tmp_path, pythonpath=tmp_path)
    assert result.returncode != 0
    assert "qms.views -> reviews" in result.stdout


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's components of more than one module (or a module importing itself)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1 or node in graph.get(node, ()):
                found.append(component)

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_a_circle():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_itself_round_a_circle():
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    edges: dict[str, set[str]] = {}
    for module in graph.modules:
        if ".migrations" in module:
            continue
        edges[module] = set(graph.find_modules_directly_imported_by(module))
    circles = strongly_connected(edges)
    assert circles == [], "module circles: " + "; ".join(" <-> ".join(sorted(c)) for c in circles)


def test_no_file_is_over_700_lines():
    """Every Python file of the project — apps, tests, benchmark — stays readable in one
    sitting; migrations are generated and left out."""
    too_long = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT)
        if relative.parts[0] in SKIPPED_DIRS or "migrations" in relative.parts:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            too_long.append(f"{relative} ({lines})")
    assert too_long == []


def test_every_module_imports():
    """A moved or renamed name breaks no import, also in a module no other test loads (ruff
    cannot see a name missing from another module). Settings modules are left out: each
    environment's reads its own variables."""
    import importlib
    import pkgutil

    failures = []
    for package_name in PACKAGES:
        package = importlib.import_module(package_name)
        for module in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            if ".migrations" in module.name or module.name.startswith("config.settings"):
                continue
            try:
                importlib.import_module(module.name)
            except Exception as error:  # noqa: BLE001 - every failure is reported, by name
                failures.append(f"{module.name}: {error!r}")
    assert failures == []
