"""One walk of a Python module, shared by every Python extractor.

The walk visits nodes in source order (decorators before the function, a dict's keys beside their
values, ``x if c else y`` left to right), iteratively, and keeps what the extractors look for: the
calls, assignments, loops, ``with`` statements, function definitions and indented blocks, each with
the function it is in. Statements are grouped as they are written on a line (``a(); b()`` is one),
which is what the order-of-operation patterns count.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from msglint.model import Span

if TYPE_CHECKING:
    from msglint.readers.python import PythonTree

FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)
TRY_STAR: tuple[type, ...] = (ast.TryStar,) if hasattr(ast, "TryStar") else ()  # Python 3.11
COMPOUND = (
    ast.If,
    ast.For,
    ast.AsyncFor,
    ast.While,
    ast.Try,
    *TRY_STAR,
    ast.With,
    ast.AsyncWith,
    ast.FunctionDef,
    ast.AsyncFunctionDef,
    ast.ClassDef,
    ast.Match,
)


@dataclass(frozen=True)
class Arg:
    """A call's argument as written: positional, ``*x``, ``name=value`` or ``**x``."""

    value: ast.expr
    name: str | None = None  # the keyword
    name_span: Span | None = None
    star: str = ""  # "", "*" or "**"


@dataclass(frozen=True)
class Site:
    """A node the extractors look at, with where the walk found it."""

    node: Any
    function: Any  # the innermost def it is in, None at module level
    excepting: bool = False  # inside an except clause
    in_lambda: bool = False


@dataclass(frozen=True)
class Block:
    """The statements of an indented block (what follows a `:` on lines of its own)."""

    body: list[ast.stmt]


@dataclass
class Index:
    """What one walk of the module found, in source order."""

    tree: PythonTree
    sites: list[Site] = field(default_factory=list)  # calls, assignments, for, with items, defs
    calls: list[Site] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    _args: dict[int, list[Arg]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        _Walk(self).run()

    def args(self, call: ast.Call) -> list[Arg]:
        """The call's arguments in the order they are written."""
        found = self._args.get(id(call))
        if found is None:
            found = self._args[id(call)] = arguments(self.tree, call)
        return found

    def of(self, *kinds: type[ast.AST]) -> Iterator[Site]:
        return (site for site in self.sites if isinstance(site.node, kinds))


def arguments(tree: PythonTree, call: ast.Call) -> list[Arg]:
    found = [Arg(a.value, star="*") if isinstance(a, ast.Starred) else Arg(a) for a in call.args]
    for keyword in call.keywords:
        if keyword.arg is None:
            found.append(Arg(keyword.value, star="**"))
        else:
            found.append(Arg(keyword.value, keyword.arg, tree.name_span(keyword)))
    if call.keywords and call.args and _position(call.args[-1]) > _position(call.keywords[0]):
        found.sort(key=lambda a: _position(a.value))  # `f(a=1, *rest)`
    return found


def _position(node: Any) -> tuple[int, int]:
    return node.lineno, node.col_offset


class _Walk:
    """An iterative pre-order walk (deep expressions must not exhaust the stack)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self.tree = index.tree
        self.star_handlers: set[int] = set()  # `except*` clauses: not what the patterns call except

    def run(self) -> None:
        # entries: (node, function, excepting, in_lambda); a Block stands for an indented body
        stack: list[tuple[Any, Any, bool, bool]] = [(self.tree.module, None, False, False)]
        while stack:
            node, function, excepting, in_lambda = stack.pop()
            kind = type(node)
            if kind is Block:
                self.index.blocks.append(node)
            elif kind in _RECORDED:
                self._record(node, function, excepting, in_lambda)
                if kind in FUNCTIONS:
                    function = node
                elif kind is ast.ExceptHandler and id(node) not in self.star_handlers:
                    excepting = True
                elif kind is ast.Lambda:
                    in_lambda = True
            kids = [kid for kid in children(self.tree, node) if type(kid) not in _LEAVES]
            stack.extend((kid, function, excepting, in_lambda) for kid in reversed(kids))

    def _record(self, node: Any, function: Any, excepting: bool, in_lambda: bool) -> None:
        if type(node) in _SITES:
            site = Site(node, function, excepting, in_lambda)
            self.index.sites.append(site)
            if type(node) is ast.Call:
                self.index.calls.append(site)
        elif type(node).__name__ == "TryStar":  # Python 3.11
            self.star_handlers.update(id(handler) for handler in node.handlers)


_SITES = frozenset(
    {ast.Call, ast.Assign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.withitem, *FUNCTIONS, ast.While, ast.With}
    | {ast.AsyncWith}
)
_RECORDED = _SITES | {ast.ExceptHandler, ast.Lambda, *TRY_STAR}
# nodes with nothing below them the extractors look for: contexts, operators, names and constants
_LEAVES = frozenset(
    {ast.Load, ast.Store, ast.Del, ast.Name, ast.Constant}
    | {c for base in (ast.operator, ast.boolop, ast.unaryop, ast.cmpop) for c in base.__subclasses__()}
)


def children(tree: PythonTree, node: Any) -> Iterable[Any]:
    """A node's children in source order, an indented body as a Block, then its statements."""
    if isinstance(node, Block):
        return node.body
    if isinstance(node, ast.Call):
        return [node.func, *written(node)]
    if isinstance(node, ast.Dict):
        return [n for k, v in zip(node.keys, node.values, strict=True) for n in (k, v) if n is not None]
    if isinstance(node, ast.IfExp):
        return [node.body, node.test, node.orelse]
    if isinstance(node, (*FUNCTIONS, ast.ClassDef)):
        return _definition(tree, node)
    if isinstance(node, ast.arguments):
        return sorted(ast.iter_child_nodes(node), key=_position)
    if isinstance(node, (*COMPOUND, ast.ExceptHandler, ast.match_case)):
        return _compound(tree, node)
    return ast.iter_child_nodes(node)


def written(call: ast.Call) -> list[Any]:
    """A call's argument nodes (Starred and keyword nodes as they are) in the order written."""
    found: list[Any] = [*call.args, *call.keywords]
    if call.keywords and call.args and _position(call.args[-1]) > _position(call.keywords[0]):
        found.sort(key=_position)
    return found


def _definition(tree: PythonTree, node: Any) -> list[Any]:
    head = [*node.decorator_list]
    if isinstance(node, ast.ClassDef):
        head += [*node.bases, *node.keywords]
    else:
        head += [node.args] + ([node.returns] if node.returns is not None else [])
    return head + _body(tree, node.body)


def _body(tree: PythonTree, body: list[ast.stmt]) -> list[Any]:
    """An indented body is a Block; one written after the colon (`if x: y`) is just its statements."""
    if body and tree.starts_line(body[0]):
        return [Block(body)]
    return list(body)


def _compound(tree: PythonTree, node: Any) -> list[Any]:
    if isinstance(node, ast.If):
        return [node.test, *_body(tree, node.body), *_orelse(tree, node.orelse)]
    if isinstance(node, (ast.For, ast.AsyncFor)):
        return [node.target, node.iter, *_body(tree, node.body), *_body(tree, node.orelse)]
    if isinstance(node, ast.While):
        return [node.test, *_body(tree, node.body), *_body(tree, node.orelse)]
    if isinstance(node, (ast.With, ast.AsyncWith)):
        return [*node.items, *_body(tree, node.body)]
    if type(node).__name__ in ("Try", "TryStar"):
        handlers: list[Any] = list(node.handlers)
        return [*_body(tree, node.body), *handlers, *_body(tree, node.orelse), *_body(tree, node.finalbody)]
    if isinstance(node, ast.ExceptHandler):
        return ([node.type] if node.type is not None else []) + _body(tree, node.body)
    if isinstance(node, ast.Match):
        return [node.subject, *node.cases]
    if isinstance(node, ast.match_case):
        guard = [node.guard] if node.guard is not None else []
        return [node.pattern, *guard, *_body(tree, node.body)]
    return list(ast.iter_child_nodes(node))


def _orelse(tree: PythonTree, orelse: list[ast.stmt]) -> list[Any]:
    """``elif`` is an If inside the first one's else, with no block of its own."""
    if len(orelse) == 1 and isinstance(orelse[0], ast.If) and _is_elif(tree, orelse[0]):
        return [orelse[0]]
    return _body(tree, orelse)


def _is_elif(tree: PythonTree, node: ast.If) -> bool:
    column = tree.column(node.lineno, node.col_offset) - 1
    return tree.lines[node.lineno - 1].startswith("elif", column)


def lines(body: list[ast.stmt]) -> list[list[ast.stmt]]:
    """A body's statements grouped by line as written: ``a(); b()`` is one group, a compound
    statement is a group of its own."""
    groups: list[list[ast.stmt]] = []
    for statement in body:
        simple = not isinstance(statement, COMPOUND)
        if (
            groups
            and simple
            and not isinstance(groups[-1][-1], COMPOUND)
            and statement.lineno == groups[-1][-1].end_lineno
        ):
            groups[-1].append(statement)
        else:
            groups.append([statement])
    return groups


def indented(tree: PythonTree, body: list[ast.stmt]) -> list[ast.stmt]:
    """The body's statements when it is an indented block, else none."""
    return body if body and tree.starts_line(body[0]) else []


def preorder(tree: PythonTree, roots: Iterable[Any], skip: tuple[type, ...] = ()) -> Iterator[Any]:
    """Every node under ``roots`` in source order, not entering nodes of the ``skip`` types."""
    stack = list(roots)[::-1]
    while stack:
        node = stack.pop()
        if isinstance(node, Block):
            stack.extend(reversed(node.body))
            continue
        yield node
        if not isinstance(node, skip):
            stack.extend(reversed(list(children(tree, node))))
