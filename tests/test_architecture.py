"""The house's rules, read from the source: no import circle, dependencies pointing one way.

``dashboard`` wires; ``callbacks`` use ``data`` and ``layouts``; ``layouts`` never query; ``data`` imports no Dash,
Flask or environment. Imports are read with ``ast`` (every import in a module, at its top or inside a function),
so these checks cost milliseconds and cannot be fooled by an import that only runs on some path.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("dashboard", "callbacks", "layouts", "data")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:  # Alembic's scripts are loaded by Alembic, not imported
                continue
            found[module_name(path)] = path
    return found


MODULES = modules()


def imported(path: Path, name: str) -> set[str]:
    """The modules ``path`` imports: ``from a.b import c`` counts as ``a.b.c`` when that is a module, else ``a.b``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                out.add(full if full in MODULES else base)
    return out


GRAPH = {
    name: {m for m in imported(path, name) if m in MODULES and m != name} for name, path in MODULES.items()
}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a circle of imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_module_imports_one_that_imports_it_back():
    assert cycles(GRAPH) == []


def test_the_circle_check_sees_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def offenders(prefix: str, forbidden: Iterable[str]) -> dict[str, list[str]]:
    out = {}
    for name, path in MODULES.items():
        if name != prefix and not name.startswith(prefix + "."):
            continue
        bad = sorted(
            m for m in imported(path, name) if any(m == f or m.startswith(f + ".") for f in forbidden)
        )
        if bad:
            out[name] = bad
    return out


@pytest.mark.parametrize(
    ("package", "forbidden"),
    [
        # the data layer: no web framework, no environment, nothing above it
        ("data", ("dash", "flask", "werkzeug", "dashboard", "callbacks", "layouts")),
        # layouts build components from what they are given: they never open the store, never wire
        ("layouts", ("dashboard", "callbacks", "data.engine", "data.store", "sqlalchemy", "flask")),
        # callbacks use data and layouts; the app factory wires them, never the other way
        ("callbacks", ("dashboard",)),
    ],
)
def test_dependencies_point_one_way(package, forbidden):
    assert offenders(package, forbidden) == {}


def test_layouts_never_call_the_query_layer():
    """Layouts may name the query layer's types and limits (Figure, MAX_CODES), never call its functions."""
    calls = {}
    for name, path in MODULES.items():
        if not name.startswith("layouts."):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        from_queries = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("data.queries")
            for alias in node.names
        }
        called = {
            node.func.id
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in from_queries
        }
        if called - {n for n in called if n[:1].isupper()}:
            calls[name] = sorted(called)
    assert calls == {}


def test_the_data_layer_reads_no_environment():
    readers = {}
    for name, path in MODULES.items():
        if name.startswith("data."):
            text = path.read_text(encoding="utf-8")
            if "os.environ" in text or "getenv(" in text:
                readers[name] = path
    assert readers == {}


def test_every_path_is_typed_once_in_the_route_table():
    """layouts/paths.py declares every path; code, templates and scripts take it from there, never retype it."""
    from layouts import paths

    table = {v for k, v in vars(paths).items() if k.isupper() and isinstance(v, str) and v.startswith("/")}
    retyped = {}
    sources = [
        *ROOT.glob("dashboard/**/*.py"),
        *ROOT.glob("layouts/**/*.py"),
        *ROOT.glob("callbacks/**/*.py"),
    ]
    sources += [*ROOT.glob("dashboard/templates/*.html"), *ROOT.glob("dashboard/static/*.js")]
    sources += [p for p in ROOT.glob("assets/2-app/*") if p.suffix in (".js", ".css")]
    for path in sources:
        if path.name == "paths.py" and path.parent.name == "layouts":
            continue
        text = path.read_text(encoding="utf-8")
        for value in table - {"/"}:
            # the path as a whole string or attribute value ("/data", '/data', "/data/…), not a longer word
            if any(f"{q}{value}{end}" in text for q in "\"'" for end in ('"', "'", "/", "?")):
                retyped.setdefault(str(path.relative_to(ROOT)), []).append(value)
    assert retyped == {}


def test_every_batch_state_has_its_label_and_a_styled_tone():
    """Batch states are declared once (data/imports/states.py Status); labels, tones and the stylesheet follow."""
    from data.imports.states import STATUS_TONES, STATUSES, Status

    assert set(STATUSES) == set(Status) == set(STATUS_TONES)
    css = (ROOT / "assets" / "2-app" / "app.css").read_text(encoding="utf-8")
    for tone in set(STATUS_TONES.values()) - {"closed"}:  # closed ones keep the plain .data-status grey
        assert f".data-status-{tone} " in css, tone
    retyped = [
        str(p.relative_to(ROOT))
        for p in [*ROOT.glob("dashboard/templates/*.html"), *ROOT.glob("dashboard/**/*.py")]
        for value in Status
        if f'status == "{value}"' in p.read_text(encoding="utf-8")
    ]
    assert retyped == []


def test_test_modules_share_fixtures_through_support_modules_not_through_one_another():
    """A test module that imports another runs that module's tests' imports, fixtures and all, and ties the two
    together: what tests share lives in conftest.py or a support module (seeded.py, admin_support.py…)."""
    found = {}
    for path in sorted((ROOT / "tests").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            bad = [n for n in names if n.split(".")[-1].startswith("test_") or n.startswith("tests.")]
            if bad:
                found.setdefault(path.name, []).extend(bad)
    assert found == {}
