"""Order of operations around a Kafka consumer in Python source: is the offset committed before
the message it covers has been processed?

Conservative by design. A message is a name bound from ``consumer.poll()`` / ``consume()`` /
``getone()`` / ``getmany()`` or a ``for`` target over the consumer (or over such a name). A commit
counts when it is a statement of its own in a block, and processing when a later statement of the
same block passes the message (or something taken from it) to a call that is not logging.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msglint.model import Span

_RECEIVE = {"poll", "consume", "getone", "getmany"}
_LOGGING = {"log", "logger", "logging", "_log", "_logger", "LOG", "LOGGER", "print", "structlog"}


def _dotted(node: Any) -> str:
    import libcst as cst

    if isinstance(node, cst.Name):
        return str(node.value)
    if isinstance(node, cst.Attribute):
        inner = _dotted(node.value)
        return f"{inner}.{node.attr.value}" if inner else ""
    return ""


def _call(node: Any) -> Any:
    """The call of ``call(...)`` or ``await call(...)``, else None."""
    import libcst as cst

    if isinstance(node, cst.Await):
        node = node.expression
    return node if isinstance(node, cst.Call) else None


def _method_on(call: Any, binding: str, methods: set[str]) -> bool:
    import libcst as cst

    return (
        call is not None
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value in methods
        and _dotted(call.func.value) == binding
    )


def commit_before_processing(module: Any, binding: str, span_of: Callable[[Any], Span]) -> tuple[Span, Span] | None:
    """(the commit, the later processing call) for the first such pair, or None."""
    import libcst as cst

    messages: set[str] = set()
    blocks: list[Any] = []

    class Walk(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            if _method_on(_call(node.value), binding, _RECEIVE):
                messages.update(t.target.value for t in node.targets if isinstance(t.target, cst.Name))

        def visit_For(self, node: cst.For) -> None:
            iterated = _dotted(node.iter)
            source = _call(node.iter)
            over = iterated == binding or iterated in messages or _method_on(source, binding, _RECEIVE)
            if over and isinstance(node.target, cst.Name):
                messages.add(node.target.value)

        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            blocks.append(node)

    module.visit(Walk())
    if not messages:
        return None
    for block in blocks:
        commit = None
        for statement in block.body:
            if commit is None:
                commit = _own_commit(statement, binding)
                continue
            processing = _processing(statement, messages, binding)
            if processing is not None:
                return span_of(commit), span_of(processing)
    return None


def _own_commit(statement: Any, binding: str) -> Any:
    import libcst as cst

    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for small in statement.body:
        if isinstance(small, cst.Expr):
            call = _call(small.value)
            if _method_on(call, binding, {"commit"}):
                return call
    return None


def _processing(statement: Any, messages: set[str], binding: str) -> Any:
    """The first call in ``statement`` that is handed a message, logging and the consumer aside."""
    import libcst as cst

    found: list[Any] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> bool:
            if found:
                return False
            callee = _dotted(node.func)
            root = callee.split(".")[0]
            if root in _LOGGING or callee.startswith(binding + ".") or root in messages:
                return True  # look inside: log(process(msg)) still processes
            if any(_mentions(arg.value, messages) for arg in node.args):
                found.append(node)
                return False
            return True

    statement.visit(Calls())
    return found[0] if found else None


def _mentions(node: Any, names: set[str]) -> bool:
    import libcst as cst

    hit: list[bool] = []

    class Names(cst.CSTVisitor):
        def visit_Name(self, name: cst.Name) -> None:
            if name.value in names:
                hit.append(True)

    node.visit(Names())
    return bool(hit)
