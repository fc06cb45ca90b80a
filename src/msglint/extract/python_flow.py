"""Order of operations around a Kafka consumer in Python source: is the offset committed before
the message it covers has been processed?

Conservative by design. A message is a name bound from ``consumer.poll()`` / ``consume()`` /
``getone()`` / ``getmany()`` or a ``for`` target over the consumer (or over such a name). A commit
counts when it is a statement of its own in a block, and processing when a later statement of the
same block passes the message (or something taken from it) to a call that is not logging.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from msglint.documents import Document
from msglint.extract.effects import IDIOMS_SHOWN
from msglint.extract.python_effects import is_jetstream, is_true
from msglint.extract.python_kafka import dotted_expression, module_imports
from msglint.model import Entity, Span

_RECEIVE = {"poll", "consume", "getone", "getmany"}
_LOGGING = {"log", "logger", "logging", "_log", "_logger", "LOG", "LOGGER", "print", "structlog"}


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
        and dotted_expression(call.func.value) == binding
    )


@dataclass
class _Structure:
    """What the pattern checks need from a module, gathered in one walk (a libcst walk is slow)."""

    blocks: list[Any] = field(default_factory=list)  # every indented block
    forever: list[Any] = field(default_factory=list)  # every `while True:` loop
    requeuing: list[Any] = field(default_factory=list)  # every `.process(requeue=True)` (aio-pika)
    processing: list[tuple[Any, Any]] = field(default_factory=list)  # (`with x.process():` block, the call)
    auto_acked: list[tuple[str, Any]] = field(default_factory=list)  # (callback, JetStream subscribe auto-acking it)
    functions: dict[str, list[Any]] = field(default_factory=dict)
    # in source order: (receiver, method) of a received value or an iteration, and the names bound
    receives: list[tuple[str, str, list[str]]] = field(default_factory=list)
    handoffs: list[Any] = field(default_factory=list)  # calls that run their arguments elsewhere (a thread, a task)
    loops: list[tuple[str, str, Any]] = field(default_factory=list)  # (receiver, bound name, `for` node)


def _structure(module: Any) -> _Structure:
    import libcst as cst

    found = _Structure()

    class Walk(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            call = _call(node.value)
            if call is not None and isinstance(call.func, cst.Attribute) and call.func.attr.value in _RECEIVE:
                names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
                found.receives.append((dotted_expression(call.func.value), call.func.attr.value, names))

        def visit_For(self, node: cst.For) -> None:
            if not isinstance(node.target, cst.Name):
                return
            call = _call(node.iter)
            if call is not None and isinstance(call.func, cst.Attribute):
                found.receives.append((dotted_expression(call.func.value), call.func.attr.value, [node.target.value]))
            else:
                found.receives.append((dotted_expression(node.iter), "", [node.target.value]))
                found.loops.append((dotted_expression(node.iter), node.target.value, node))

        def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
            found.blocks.append(node)

        def visit_Call(self, node: cst.Call) -> None:
            if (
                isinstance(node.func, cst.Attribute)
                and node.func.attr.value == "process"
                and any(a.keyword is not None and a.keyword.value == "requeue" and is_true(a.value) for a in node.args)
            ):
                found.requeuing.append(node)
            callback = _auto_acked_callback(node)
            if callback:
                found.auto_acked.append((callback, node))
            if _hands_off(node):
                found.handoffs.append(node)

        def visit_With(self, node: cst.With) -> None:
            for item in node.items:
                call = _call(item.item)
                if call is not None and isinstance(call.func, cst.Attribute) and call.func.attr.value == "process":
                    found.processing.append((node, call))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            found.functions.setdefault(node.name.value, []).append(node)

        def visit_While(self, node: cst.While) -> None:
            if isinstance(node.test, cst.Name) and node.test.value == "True":
                found.forever.append(node)

    module.visit(Walk())
    return found


# calls that hand their arguments to another thread, process or task and return before it is done
_HANDOFF = {
    "submit",
    "create_task",
    "ensure_future",
    "run_in_executor",
    "run_coroutine_threadsafe",
    "to_thread",
    "apply_async",
    "start_soon",
    "spawn",
    "Thread",
    "Process",
    "Timer",
}
_QUEUE_NAME = re.compile(r"(?i)queue|(^|[._])q$")


def _hands_off(call: Any) -> bool:
    callee = dotted_expression(call.func)
    method = callee.split(".")[-1]
    if method in _HANDOFF:
        return True
    # queue.put(msg): a worker takes it from there
    return method in ("put", "put_nowait") and bool(_QUEUE_NAME.search(callee.rsplit(".", 1)[0]))


def handoff(found: _Structure, binding: str) -> Any:
    """The first call that hands a message received from the consumer ``binding`` to another thread or
    task (``executor.submit(process, msg)``, ``asyncio.create_task(handle(msg))``, ``queue.put(msg)``)."""
    messages = _messages(found, binding)
    # a name bound by `for m in <consumer>:` is the consumer's only inside that loop (two loops may share it)
    loops = [(name, node) for receiver, name, node in found.loops if receiver == binding]
    looped = {name for _, name, _ in found.loops}
    for call in found.handoffs:
        if not messages or not any(_mentions(arg.value, messages) for arg in call.args):
            continue
        if not any(_mentions(arg.value, messages - looped) for arg in call.args) and not any(
            _contains(loop.body, call) for name, loop in loops if any(_mentions(a.value, {name}) for a in call.args)
        ):
            continue
        return call
    return None


def _contains(tree: Any, target: Any) -> bool:
    import libcst as cst

    hit: list[bool] = []

    class Find(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if node is target:
                hit.append(True)

    tree.visit(Find())
    return bool(hit)


def _messages(found: _Structure, binding: str) -> set[str]:
    messages: set[str] = set()
    for receiver, method, names in found.receives:
        if (receiver == binding and method in _RECEIVE | {""}) or (method == "" and receiver in messages):
            messages.update(names)
    return messages


def _auto_acked_callback(call: Any) -> str:
    """The callback's name when ``call`` is a nats-py JetStream ``subscribe(cb=f)`` without ``manual_ack``:
    nats-py then acknowledges each message once the callback returns (an exception skips the ack)."""
    import libcst as cst

    if not isinstance(call.func, cst.Attribute) or call.func.attr.value != "subscribe":
        return ""
    if not is_jetstream(call.func.value):
        return ""  # core NATS subscriptions have no acknowledgement
    keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
    manual = keywords.get("manual_ack")
    if manual is not None and not (isinstance(manual, cst.Name) and manual.value == "False"):
        return ""
    callback = keywords.get("cb")
    if isinstance(callback, cst.Name):
        return str(callback.value)
    if isinstance(callback, cst.Attribute) and dotted_expression(callback.value) == "self":
        return str(callback.attr.value)
    return ""


def endless_fixed_retries(
    structure: _Structure, sleeps: set[str], span_of: Callable[[Any], Span]
) -> list[tuple[Span, str]]:
    """(the sleep, its delay) of each ``while True:`` retry loop: a ``try`` whose body leaves the loop on
    success (``break``/``return``) and whose broad-or-not ``except`` sleeps a constant and goes round again."""
    import libcst as cst

    found: list[tuple[Span, str]] = []
    for loop in structure.forever:
        if not isinstance(loop.body, cst.IndentedBlock):
            continue
        for statement in loop.body.body:
            if not isinstance(statement, cst.Try) or not _leaves_on_success(statement):
                continue
            for handler in statement.handlers:
                if not _falls_through(handler, again=True):
                    continue  # it gives up (raise, return, break) or routes the message: bounded
                sleep = _constant_sleep(handler, sleeps)
                if sleep is not None:
                    found.append((span_of(sleep[0]), sleep[1]))
    return found


def _leaves_on_success(statement: Any) -> bool:
    import libcst as cst

    body = statement.body.body if isinstance(statement.body, cst.IndentedBlock) else []
    last = body[-1] if body else None
    if isinstance(last, cst.SimpleStatementLine):
        return any(isinstance(small, (cst.Break, cst.Return)) for small in last.body)
    return False


def _constant_sleep(handler: Any, sleeps: set[str]) -> tuple[Any, str] | None:
    import libcst as cst

    for statement in handler.body.body if isinstance(handler.body, cst.IndentedBlock) else []:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            call = _call(small.value) if isinstance(small, cst.Expr) else None
            if call is None or dotted_expression(call.func) not in sleeps or len(call.args) != 1:
                continue
            delay = call.args[0].value
            if isinstance(delay, (cst.Integer, cst.Float)):
                return call, delay.value
    return None


def commit_before_processing(
    found: _Structure, binding: str, span_of: Callable[[Any], Span]
) -> tuple[Span, Span] | None:
    """(the commit, the later processing call) for the first such pair, or None."""
    messages = _messages(found, binding)
    if not messages:
        return None
    for block in found.blocks:
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
        def visit_FormattedString(self, node: cst.FormattedString) -> bool:
            return False  # calls inside an f-string format text, they do not process the message

        def visit_Call(self, node: cst.Call) -> bool:
            if found:
                return False
            callee = dotted_expression(node.func)
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


_BROAD = {"Exception", "BaseException"}
_ACKS = {"ack", "basic_ack", "store_offsets"}  # `commit` only on a Kafka consumer: db sessions commit too
# calls in an except block that give the message a way out: redelivery, dead-lettering, or a stop
_WAY_OUT = {
    "nack",
    "reject",
    "basic_nack",
    "basic_reject",
    "basic_publish",
    "publish",
    "produce",
    "send",
    "send_and_wait",
    "seek",
    "exit",
    "_exit",
    "abort",
    "term",
}


def swallowed_then_acknowledged(
    structure: _Structure, consumers: set[str], span_of: Callable[[Any], Span]
) -> list[tuple[Span, Span, str]]:
    """(the except clause, the acknowledgement, how it acknowledges) wherever a broad ``except`` that
    neither re-raises, leaves, nor routes the message is followed by an ack or commit that always runs:
    a call, the end of aio-pika's ``async with message.process()``, or the return of a callback that
    nats-py acknowledges."""
    import libcst as cst

    found: list[tuple[Span, Span, str]] = []

    def statements(node: Any) -> list[Any]:
        return list(node.body) if isinstance(node, (cst.Module, cst.IndentedBlock)) else []

    def swallowing(body: Any) -> Any:
        for statement in statements(body):
            if isinstance(statement, cst.Try):
                handler = next((h for h in statement.handlers if _broad(h) and _falls_through(h)), None)
                if handler is not None:
                    return handler
        return None

    for block, call in structure.processing:
        handler = swallowing(block.body)
        if handler is not None:
            how = f"to the end of `with {dotted_expression(call.func)}()`, which acknowledges the message"
            found.append((span_of(handler), span_of(call), how))
    for name, subscribe in structure.auto_acked:
        for function in structure.functions.get(name, []):
            handler = swallowing(function.body)
            if handler is not None:
                how = (
                    f"to the end of the callback `{name}`, and {dotted_expression(subscribe.func)}() without "
                    "manual_ack acknowledges the message when the callback returns"
                )
                found.append((span_of(handler), span_of(subscribe), how))

    for block in structure.blocks:
        body = statements(block)
        for index, statement in enumerate(body):
            if not isinstance(statement, cst.Try):
                continue
            handler = next((h for h in statement.handlers if _broad(h) and _falls_through(h)), None)
            if handler is None:
                continue
            later = body[index + 1 :]
            if statement.finalbody is not None:
                later = statements(statement.finalbody.body) + later
            ack = next((c for s in later if (c := _acknowledgement(s, consumers)) is not None), None)
            if ack is not None:
                found.append((span_of(handler), span_of(ack), f"to {dotted_expression(ack.func)}()"))
    return found


def _broad(handler: Any) -> bool:
    import libcst as cst

    return handler.type is None or (isinstance(handler.type, cst.Name) and handler.type.value in _BROAD)


def _falls_through(handler: Any, again: bool = False) -> bool:
    """Does the except block end by going on to the next statement (or, with ``again``, round the
    loop once more), without a way out for the message?"""
    import libcst as cst

    leaves: list[bool] = []

    class Exits(cst.CSTVisitor):
        def visit_Raise(self, node: cst.Raise) -> None:
            leaves.append(True)

        def visit_Return(self, node: cst.Return) -> None:
            leaves.append(True)

        def visit_Break(self, node: cst.Break) -> None:
            leaves.append(True)

        def visit_Continue(self, node: cst.Continue) -> None:
            if not again:
                leaves.append(True)

        def visit_Call(self, node: cst.Call) -> None:
            func = node.func
            name = func.attr.value if isinstance(func, cst.Attribute) else getattr(func, "value", "")
            if name in _WAY_OUT:
                leaves.append(True)

    handler.body.visit(Exits())
    return not leaves


def _acknowledgement(statement: Any, consumers: set[str]) -> Any:
    import libcst as cst

    if not isinstance(statement, cst.SimpleStatementLine):
        return None
    for small in statement.body:
        call = _call(small.value) if isinstance(small, cst.Expr) else None
        if call is None or not isinstance(call.func, cst.Attribute):
            continue
        method = call.func.attr.value
        if method in _ACKS or (method == "commit" and dotted_expression(call.func.value) in consumers):
            return call
    return None


# the client libraries whose own modules wrap messaging calls (see python_kafka.own_package)
CLIENT_PACKAGES = frozenset({"pika", "aio_pika", "aiormq", "confluent_kafka", "kafka", "aiokafka", "nats", "kombu"})


def handlers(document: Document, entities: list[Entity]) -> list[Entity]:
    """Order-of-operation facts on the module's Kafka consumers (a commit before processing), and a
    ``code.handler`` entity for each except clause that swallows an error before an acknowledgement."""
    from msglint.extract.python_kafka import own_package

    if own_package(document) in CLIENT_PACKAGES:
        return []  # a client library's own code (aio-pika's RPC pattern) is not an application's handler
    module, span_of = document.python
    structure = _structure(module)
    bound = [e for e in entities if e.kind == "kafka.consumer" and e.attributes.get("binding")]
    for consumer in bound:
        pair = commit_before_processing(structure, consumer.attributes["binding"], span_of)
        if pair is not None:
            consumer.places["commit-at"], consumer.places["processed-at"] = pair
        handed = handoff(structure, consumer.attributes["binding"])
        if handed is not None:
            consumer.places["handoff-at"] = span_of(handed)
            consumer.attributes["handoff-call"] = dotted_expression(handed.func)
    consumers = {e.attributes["binding"] for e in bound}
    out: list[Entity] = []
    for sleep, delay in endless_fixed_retries(structure, _sleeps(module), span_of):
        out.append(
            Entity(
                "code.handler", "python", document.display, sleep, label="retry loop", attributes={"retry-delay": delay}
            )
        )
    if any(e.kind in ("rabbit.queue", "rabbit.consumer", "rabbit.publisher") for e in entities) or _rabbit(module):
        for where, how in requeued_on_failure(structure, span_of):
            out.append(
                Entity(
                    "code.handler", "python", document.display, where, label="failure path", attributes={"requeue": how}
                )
            )
    out.extend(_effects(document, module, entities, consumers, span_of))
    if not any(q.split(".")[0] == "aio_pika" for q in module_imports(module).values()):
        structure.processing.clear()  # another library's `process()` acknowledges nothing
    for handler, ack, call in swallowed_then_acknowledged(structure, consumers, span_of):
        out.append(
            Entity(
                "code.handler",
                "python",
                document.display,
                handler,
                label="handler",
                places={"ack-at": ack},
                attributes={"ack-how": call},
            )
        )
    return out


def _effects(
    document: Document, module: Any, entities: list[Entity], consumers: set[str], span_of: Callable[[Any], Span]
) -> list[Entity]:
    """A ``code.handler`` entity for each dual write and each insert a handler makes without a guard."""
    from msglint.extract import python_effects

    producers = {e.attributes.get("binding", "") for e in entities if e.kind == "kafka.producer"} - {""}
    libraries = {q.split(".")[0] for q in module_imports(module).values()}
    name = document.path.name
    test = name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
    found = python_effects.facts(
        module, "\n".join(document.lines), consumers, producers, bool(libraries & {"pika", "aio_pika", "nats"}), test
    )
    out: list[Entity] = []
    for write, send in found.dual_writes:
        out.append(
            Entity(
                "code.handler",
                "python",
                document.display,
                span_of(send.node),
                label="dual write",
                places={"dual-write": span_of(write.node)},
                attributes={"write-call": write.what, "send-call": send.what},
            )
        )
    for insert, where, how in found.inserts:
        out.append(
            Entity(
                "code.handler",
                "python",
                document.display,
                span_of(insert.node),
                label="handler write",
                places={"handler-at": span_of(where)},
                attributes={"unguarded-write": insert.what, "handler": how, "looked-for": IDIOMS_SHOWN},
            )
        )
    return out


def _sleeps(module: Any) -> set[str]:
    """How ``time.sleep`` and ``asyncio.sleep`` are spelled in this module."""
    spelled = set()
    for local, qualified in module_imports(module).items():
        if qualified in ("time", "asyncio"):
            spelled.add(f"{local}.sleep")
        elif qualified in ("time.sleep", "asyncio.sleep"):
            spelled.add(local)
    return spelled


def _rabbit(module: Any) -> bool:
    return any(q.split(".")[0] in ("pika", "aio_pika") for q in module_imports(module).values())


# method -> is the message requeued when `requeue` is not written (pika and aio-pika defaults)
_REQUEUES = {"basic_nack": True, "basic_reject": True, "nack": True, "reject": False}


def requeued_on_failure(structure: _Structure, span_of: Callable[[Any], Span]) -> list[tuple[Span, str]]:
    """(the call, how it requeues) for each nack/reject in an ``except`` clause that puts the failed
    message straight back on its queue: ``requeue=True`` written, or the method's requeuing default."""
    import libcst as cst

    found: list[tuple[Span, str]] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if not isinstance(node.func, cst.Attribute) or node.func.attr.value not in _REQUEUES:
                return
            method = node.func.attr.value
            requeue = next((a for a in node.args if a.keyword is not None and a.keyword.value == "requeue"), None)
            if requeue is None and _REQUEUES[method] and not any(a.star for a in node.args):
                positional = [a for a in node.args if a.keyword is None]
                place = {"basic_nack": 3, "basic_reject": 2}.get(method)
                if place is not None and len(positional) >= place:
                    return  # requeue passed by position: not judged
                found.append((span_of(node), f"{method}() requeues by default"))
            elif requeue is not None and isinstance(requeue.value, cst.Name) and requeue.value.value == "True":
                found.append((span_of(node), f"{method}(requeue=True)"))

    for block in structure.blocks:
        for statement in block.body:
            if isinstance(statement, cst.Try):
                for handler in statement.handlers:
                    handler.body.visit(Calls())
    # aio-pika's `async with message.process(requeue=True):` requeues whenever the body raises
    found.extend((span_of(node), "process(requeue=True)") for node in structure.requeuing)
    return found
