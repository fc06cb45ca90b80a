"""The import graph of src/msglint has no cycles, and the layers import only downwards.

The graph is built with ``ast``, not by importing: every ``import`` / ``from ... import`` of a msglint
module, at module level or inside a function (a deferred import still ties the two modules together),
with relative imports resolved and ``from pkg import submodule`` counted as an edge to the submodule.
Imports under ``if TYPE_CHECKING:`` never run, so they are left out.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
PACKAGE = "msglint"
# the packages that hold what msglint knows about each broker: the model layer sits below them
KNOWLEDGE = ("msglint.kafka", "msglint.rabbit", "msglint.nats", "msglint.redis", "msglint.spring", "msglint.defaults")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((SRC / PACKAGE).rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement below ``node``, skipping ``if TYPE_CHECKING:`` bodies (their ``else``
    branches do run)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for stmt in child.orelse:
                yield from _imports(ast.Module(body=[stmt], type_ignores=[]))
        else:
            yield from _imports(child)


def _base(module: str, is_package: bool, stmt: ast.ImportFrom) -> str:
    """The absolute module a ``from X import ...`` names, relative levels resolved."""
    if not stmt.level:
        return stmt.module or ""
    parts = module.split(".")
    if not is_package:
        parts.pop()  # a module's relative imports start from its package
    parts = parts[: len(parts) - (stmt.level - 1)]
    return ".".join(parts + ([stmt.module] if stmt.module else []))


def _targets(module: str, stmt: ast.Import | ast.ImportFrom) -> Iterator[str]:
    modules = _modules()
    if isinstance(stmt, ast.Import):
        names = [alias.name for alias in stmt.names]
    else:
        base = _base(module, modules[module].name == "__init__.py", stmt)
        # `from pkg import sub` imports the submodule; `from mod import name` imports mod
        names = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in stmt.names]
    for name in names:
        while name and name not in modules:  # `import msglint.x.y` of something not a file: its package
            name = name.rpartition(".")[0]
        if name.split(".")[0] == PACKAGE:
            yield name


@cache
def graph() -> dict[str, frozenset[str]]:
    edges: dict[str, frozenset[str]] = {}
    for module, path in _modules().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        edges[module] = frozenset(t for s in _imports(tree) for t in _targets(module, s) if t != module)
    return edges


def cycles(edges: dict[str, frozenset[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(edges):
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return sorted(found)


def _describe(component: list[str], edges: dict[str, frozenset[str]]) -> str:
    members = set(component)
    links = [f"{a} -> {b}" for a in component for b in sorted(edges[a] & members)]
    return "{" + ", ".join(component) + "}: " + "; ".join(links)


def _within(module: str, packages: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_graph_sees_the_package() -> None:
    edges = graph()
    assert "msglint.engine" in edges and "msglint.model" in edges
    assert "msglint.model" in edges["msglint.engine"]
    # a function-level import counts: engine defers reading Spring Boot until there is a Spring file
    assert "msglint.extract.spring_boot" in edges["msglint.engine"]


def test_cycles_are_found() -> None:
    edges = {"a": frozenset({"b"}), "b": frozenset({"c"}), "c": frozenset({"a"}), "d": frozenset({"a"})}
    assert cycles(edges) == [["a", "b", "c"]]
    assert cycles({"a": frozenset({"b"}), "b": frozenset()}) == []


def test_relative_imports_resolve() -> None:
    stmt = ast.parse("from ..kafka import keys").body[0]
    assert isinstance(stmt, ast.ImportFrom)
    assert _base("msglint.extract.spring_boot", False, stmt) == "msglint.kafka"
    assert list(_targets("msglint.extract.spring_boot", stmt)) == ["msglint.kafka.keys"]
    stmt = ast.parse("from . import places").body[0]
    assert isinstance(stmt, ast.ImportFrom)
    assert list(_targets("msglint.extract", stmt)) == ["msglint.extract.places"]


def test_no_import_cycles() -> None:
    edges = graph()
    found = cycles(edges)
    assert not found, "import cycles:\n" + "\n".join(_describe(c, edges) for c in found)


def test_the_model_imports_no_broker_knowledge() -> None:
    wrong = sorted(t for t in graph()["msglint.model"] if _within(t, KNOWLEDGE))
    assert not wrong, f"msglint.model imports {wrong}: the model layer sits below {', '.join(KNOWLEDGE)}"


def test_reporters_do_not_import_the_engine() -> None:
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in graph().items()
        if _within(module, ("msglint.reporters",))
        for target in targets
        if _within(target, ("msglint.engine",))
    )
    assert not wrong, "reporters render findings and import nothing from msglint.engine: " + "; ".join(wrong)


def test_no_private_name_is_imported_from_another_module() -> None:
    """A leading underscore means "this module's own": another module needing it means it is public."""
    crossings = []
    for path in sorted(SRC.rglob("*.py")):
        for stmt in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(stmt, ast.ImportFrom) and (stmt.level or (stmt.module or "").startswith("msglint")):
                crossings += [
                    f"{path.relative_to(SRC)}: {a.name}"
                    for a in stmt.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
    assert crossings == []
