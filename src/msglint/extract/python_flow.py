"""Order of operations around a Kafka consumer in Python source: is the offset committed before
the message it covers has been processed?

Conservative by design. A message is a name bound from ``consumer.poll()`` / ``consume()`` /
``getone()`` / ``getmany()`` or a ``for`` target over the consumer (or over such a name). A commit
counts when it is a statement of its own in a block, and processing when a later statement of the
same block passes the message (or something taken from it) to a call that is not logging.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from msglint.documents import Document
from msglint.extract.effects import IDIOMS_SHOWN
from msglint.extract.python_effects import is_jetstream, is_true
from msglint.extract.python_kafka import dotted_expression, module_imports, python_literal
from msglint.model import Entity, Span
from msglint.readers.pyindex import COMPOUND, FUNCTIONS, Arg, Block, indented, lines, preorder
from msglint.readers.python import PythonTree

_RECEIVE = {"poll", "consume", "getone", "getmany"}
_LOGGING = {"log", "logger", "logging", "_log", "_logger", "LOG", "LOGGER", "print", "structlog"}


def _call(node: Any) -> Any:
    """The call of ``call(...)`` or ``await call(...)``, else None."""
    if isinstance(node, ast.Await):
        node = node.value
    return node if isinstance(node, ast.Call) else None


def _method_on(call: Any, binding: str, methods: set[str]) -> bool:
    return (
        call is not None
        and isinstance(call.func, ast.Attribute)
        and call.func.attr in methods
        and dotted_expression(call.func.value) == binding
    )


@dataclass
class _Structure:
    """What the pattern checks need from a module, gathered from the shared walk."""

    tree: PythonTree
    blocks: list[Block] = field(default_factory=list)  # every indented block
    forever: list[Any] = field(default_factory=list)  # every `while True:` loop
    requeuing: list[Any] = field(default_factory=list)  # every `.process(requeue=True)` (aio-pika)
    processing: list[tuple[Any, Any]] = field(default_factory=list)  # (`with x.process():` block, the call)
    auto_acked: list[tuple[str, Any]] = field(default_factory=list)  # (callback, JetStream subscribe auto-acking it)
    functions: dict[str, list[Any]] = field(default_factory=dict)
    # in source order: (receiver, method) of a received value or an iteration, and the names bound
    receives: list[tuple[str, str, list[str]]] = field(default_factory=list)
    handoffs: list[Any] = field(default_factory=list)  # calls that run their arguments elsewhere (a thread, a task)
    loops: list[tuple[str, str, Any]] = field(default_factory=list)  # (receiver, bound name, `for` node)

    def site(self, node: Any) -> None:
        if isinstance(node, ast.Assign):
            call = _call(node.value)
            if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr in _RECEIVE:
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
                self.receives.append((dotted_expression(call.func.value), call.func.attr, names))
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            self.loop(node)
        elif isinstance(node, ast.Call):
            self.call(node)
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            for item in node.items:
                call = _call(item.context_expr)
                if call is not None and isinstance(call.func, ast.Attribute) and call.func.attr == "process":
                    self.processing.append((node, call))
        elif isinstance(node, FUNCTIONS):
            self.functions.setdefault(node.name, []).append(node)
        elif isinstance(node, ast.While) and is_true(node.test):
            self.forever.append(node)

    def loop(self, node: ast.For | ast.AsyncFor) -> None:
        if not isinstance(node.target, ast.Name):
            return
        call = _call(node.iter)
        if call is not None and isinstance(call.func, ast.Attribute):
            self.receives.append((dotted_expression(call.func.value), call.func.attr, [node.target.id]))
        else:
            self.receives.append((dotted_expression(node.iter), "", [node.target.id]))
            self.loops.append((dotted_expression(node.iter), node.target.id, node))

    def call(self, node: ast.Call) -> None:
        args = self.tree.index.args(node)
        if (
            isinstance(node.func, ast.Attribute)
            and node.func.attr == "process"
            and any(a.name == "requeue" and is_true(a.value) for a in args)
        ):
            self.requeuing.append(node)
        callback = _auto_acked_callback(node, args)
        if callback:
            self.auto_acked.append((callback, node))
        if _hands_off(node):
            self.handoffs.append(node)


def _structure(tree: PythonTree) -> _Structure:
    found = _Structure(tree, blocks=tree.index.blocks)
    for site in tree.index.sites:
        found.site(site.node)
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
        args = found.tree.index.args(call)
        if not messages or not any(_mentions(arg.value, messages) for arg in args):
            continue
        if not any(_mentions(arg.value, messages - looped) for arg in args) and not any(
            _contains(loop.body, call) for name, loop in loops if any(_mentions(a.value, {name}) for a in args)
        ):
            continue
        return call
    return None


def _contains(body: list[ast.stmt], target: Any) -> bool:
    """Whether ``target`` is written inside these statements."""
    start, end = (body[0].lineno, body[0].col_offset), (body[-1].end_lineno or 0, body[-1].end_col_offset or 0)
    return start <= (target.lineno, target.col_offset) and (target.end_lineno, target.end_col_offset) <= end


def _messages(found: _Structure, binding: str) -> set[str]:
    messages: set[str] = set()
    for receiver, method, names in found.receives:
        if (receiver == binding and method in _RECEIVE | {""}) or (method == "" and receiver in messages):
            messages.update(names)
    return messages


def _auto_acked_callback(call: ast.Call, args: list[Arg]) -> str:
    """The callback's name when ``call`` is a nats-py JetStream ``subscribe(cb=f)`` without ``manual_ack``:
    nats-py then acknowledges each message once the callback returns (an exception skips the ack)."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr != "subscribe":
        return ""
    if not is_jetstream(call.func.value):
        return ""  # core NATS subscriptions have no acknowledgement
    keywords = {a.name: a.value for a in args if a.name is not None}
    manual = keywords.get("manual_ack")
    if manual is not None and not (isinstance(manual, ast.Constant) and manual.value is False):
        return ""
    callback = keywords.get("cb")
    if isinstance(callback, ast.Name):
        return callback.id
    if isinstance(callback, ast.Attribute) and dotted_expression(callback.value) == "self":
        return callback.attr
    return ""


def endless_fixed_retries(structure: _Structure, sleeps: set[str]) -> list[tuple[Span, str]]:
    """(the sleep, its delay) of each ``while True:`` retry loop: a ``try`` whose body leaves the loop on
    success (``break``/``return``) and whose broad-or-not ``except`` sleeps a constant and goes round again."""
    tree = structure.tree
    found: list[tuple[Span, str]] = []
    for loop in structure.forever:
        for statement, *_ in lines(indented(tree, loop.body)):
            if not isinstance(statement, ast.Try) or not _leaves_on_success(tree, statement):
                continue
            for handler in statement.handlers:
                if not _falls_through(handler, again=True):
                    continue  # it gives up (raise, return, break) or routes the message: bounded
                sleep = _constant_sleep(tree, handler, sleeps)
                if sleep is not None:
                    found.append((tree.span(sleep[0]), sleep[1]))
    return found


def _simple(group: list[ast.stmt]) -> list[ast.stmt]:
    """The statements of a line of simple statements; none for a compound statement."""
    return [] if isinstance(group[0], COMPOUND) else group


def _leaves_on_success(tree: PythonTree, statement: ast.Try) -> bool:
    body = lines(indented(tree, statement.body))
    return bool(body) and any(isinstance(small, (ast.Break, ast.Return)) for small in _simple(body[-1]))


def _constant_sleep(tree: PythonTree, handler: ast.ExceptHandler, sleeps: set[str]) -> tuple[Any, str] | None:
    for group in lines(indented(tree, handler.body)):
        for small in _simple(group):
            call = _call(small.value) if isinstance(small, ast.Expr) else None
            if call is None or dotted_expression(call.func) not in sleeps:
                continue
            args = tree.index.args(call)
            if len(args) != 1:
                continue
            delay = args[0].value
            if isinstance(delay, ast.Constant) and type(delay.value) in (int, float):
                return call, tree.segment(delay)
    return None


def commit_before_processing(found: _Structure, binding: str) -> tuple[Span, Span] | None:
    """(the commit, the later processing call) for the first such pair, or None."""
    messages = _messages(found, binding)
    if not messages:
        return None
    tree = found.tree
    for block in found.blocks:
        commit = None
        for statement in lines(block.body):
            if commit is None:
                commit = _own_commit(statement, binding)
                continue
            processing = _processing(tree, statement, messages, binding)
            if processing is not None:
                return tree.span(commit), tree.span(processing)
    return None


def _own_commit(statement: list[ast.stmt], binding: str) -> Any:
    for small in _simple(statement):
        if isinstance(small, ast.Expr):
            call = _call(small.value)
            if _method_on(call, binding, {"commit"}):
                return call
    return None


def _processing(tree: PythonTree, statement: list[ast.stmt], messages: set[str], binding: str) -> Any:
    """The first call in ``statement`` that is handed a message, logging and the consumer aside.
    Calls inside an f-string format text, they do not process the message."""
    for node in preorder(tree, statement, skip=(ast.JoinedStr,)):
        if not isinstance(node, ast.Call):
            continue
        callee = dotted_expression(node.func)
        root = callee.split(".")[0]
        if root in _LOGGING or callee.startswith(binding + ".") or root in messages:
            continue  # look inside: log(process(msg)) still processes
        if any(_mentions(arg.value, messages) for arg in tree.index.args(node)):
            return node
    return None


def _mentions(node: Any, names: set[str]) -> bool:
    """Whether a name in ``names`` is written in the expression (as a variable, an attribute, a
    keyword or a lambda's parameter)."""
    for inner in ast.walk(node):
        if isinstance(inner, ast.Name):
            written = inner.id
        elif isinstance(inner, ast.Attribute):
            written = inner.attr
        elif isinstance(inner, (ast.keyword, ast.arg)):
            written = inner.arg or ""
        else:
            continue
        if written in names:
            return True
    return False


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


def swallowed_then_acknowledged(structure: _Structure, consumers: set[str]) -> list[tuple[Span, Span, str]]:
    """(the except clause, the acknowledgement, how it acknowledges) wherever a broad ``except`` that
    neither re-raises, leaves, nor routes the message is followed by an ack or commit that always runs:
    a call, the end of aio-pika's ``async with message.process()``, or the return of a callback that
    nats-py acknowledges."""
    tree = structure.tree
    found: list[tuple[Span, Span, str]] = []
    for block, call in structure.processing:
        handler = _swallowing(tree, block.body)
        if handler is not None:
            how = f"to the end of `with {dotted_expression(call.func)}()`, which acknowledges the message"
            found.append((tree.span(handler), tree.span(call), how))
    for name, subscribe in structure.auto_acked:
        for function in structure.functions.get(name, []):
            handler = _swallowing(tree, function.body)
            if handler is not None:
                how = (
                    f"to the end of the callback `{name}`, and {dotted_expression(subscribe.func)}() without "
                    "manual_ack acknowledges the message when the callback returns"
                )
                found.append((tree.span(handler), tree.span(subscribe), how))
    for block in structure.blocks:
        found.extend(_swallowed_in_block(tree, lines(block.body), consumers))
    return found


def _swallowing(tree: PythonTree, body: list[ast.stmt]) -> Any:
    """The first broad except clause that falls through, in a try statement of an indented body."""
    for statement, *_ in lines(indented(tree, body)):
        if isinstance(statement, ast.Try):
            handler = next((h for h in statement.handlers if _broad(h) and _falls_through(h)), None)
            if handler is not None:
                return handler
    return None


def _swallowed_in_block(
    tree: PythonTree, body: list[list[ast.stmt]], consumers: set[str]
) -> Iterator[tuple[Span, Span, str]]:
    for index, (statement, *_) in enumerate(body):
        if not isinstance(statement, ast.Try):
            continue
        handler = next((h for h in statement.handlers if _broad(h) and _falls_through(h)), None)
        if handler is None:
            continue
        later = body[index + 1 :]
        if statement.finalbody:
            later = lines(indented(tree, statement.finalbody)) + later
        ack = next((c for s in later if (c := _acknowledgement(s, consumers)) is not None), None)
        if ack is not None:
            yield tree.span(handler), tree.span(ack), f"to {dotted_expression(ack.func)}()"


def _broad(handler: ast.ExceptHandler) -> bool:
    return handler.type is None or (isinstance(handler.type, ast.Name) and handler.type.id in _BROAD)


def _falls_through(handler: ast.ExceptHandler, again: bool = False) -> bool:
    """Does the except block end by going on to the next statement (or, with ``again``, round the
    loop once more), without a way out for the message?"""
    for statement in handler.body:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Raise, ast.Return, ast.Break)) or (isinstance(node, ast.Continue) and not again):
                return False
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
                if name in _WAY_OUT:
                    return False
    return True


def _acknowledgement(statement: list[ast.stmt], consumers: set[str]) -> Any:
    for small in _simple(statement):
        call = _call(small.value) if isinstance(small, ast.Expr) else None
        if call is None or not isinstance(call.func, ast.Attribute):
            continue
        method = call.func.attr
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
    tree: PythonTree = document.python
    module, span_of = tree.module, tree.span
    structure = _structure(tree)
    bound = [e for e in entities if e.kind == "kafka.consumer" and e.attributes.get("binding")]
    for consumer in bound:
        pair = commit_before_processing(structure, consumer.attributes["binding"])
        if pair is not None:
            consumer.places["commit-at"], consumer.places["processed-at"] = pair
        handed = handoff(structure, consumer.attributes["binding"])
        if handed is not None:
            consumer.places["handoff-at"] = span_of(handed)
            consumer.attributes["handoff-call"] = dotted_expression(handed.func)
    consumers = {e.attributes["binding"] for e in bound}
    imported = {q.split(".")[0] for q in module_imports(module).values()}
    out: list[Entity] = []

    def handler(at: Span, label: str, attributes: dict[str, str], places: dict[str, Span] | None = None) -> None:
        entity = Entity("code.handler", "python", document.display, at, label=label, attributes=attributes)
        entity.places.update(places or {})
        out.append(entity)

    for sleep, delay in endless_fixed_retries(structure, _sleeps(module)):
        handler(sleep, "retry loop", {"retry-delay": delay})
    if any(e.kind in ("rabbit.queue", "rabbit.consumer", "rabbit.publisher") for e in entities) or _rabbit(module):
        for where, how in requeued_on_failure(structure):
            handler(where, "failure path", {"requeue": how})
    out.extend(_effects(document, tree, entities, consumers))
    if "aio_pika" not in imported:
        structure.processing.clear()  # another library's `process()` acknowledges nothing
    unacked = [*never_acknowledged(structure)] if "pika" in imported else []
    unacked += [*aio_never_acknowledged(structure)] if "aio_pika" in imported else []
    for call, function, name in unacked:
        label = "pika consumer" if call.func.attr == "basic_consume" else "aio-pika consumer"
        attributes = {"unacked-callback": name, "consume-call": call.func.attr}
        handler(span_of(call), label, attributes, {"handler-at": span_of(function)})
    for library in sorted(imported & set(_REJECTS)):
        for call, queue, how in rejections(structure, library):
            handler(span_of(call), "rejection", {"rejects-from": queue, "reject-call": how})
    if "pull_subscribe" in tree.text:  # nats-py's, or a framework's handle on it (panini's js_client)
        for subscribe, fetch in unacknowledged_pulls(structure):
            attributes = {"unacked-fetch": dotted_expression(fetch.func.value)}
            handler(span_of(fetch), "nats-py pull subscription", attributes, {"subscribe-at": span_of(subscribe)})
    for where, ack, call in swallowed_then_acknowledged(structure, consumers):
        handler(where, "handler", {"ack-how": call}, {"ack-at": ack})
    return out


def _effects(document: Document, tree: PythonTree, entities: list[Entity], consumers: set[str]) -> list[Entity]:
    """A ``code.handler`` entity for each dual write and each insert a handler makes without a guard."""
    from msglint.extract import python_effects

    producers = {e.attributes.get("binding", "") for e in entities if e.kind == "kafka.producer"} - {""}
    libraries = {q.split(".")[0] for q in module_imports(tree.module).values()}
    span_of = tree.span
    name = document.path.name
    test = name.startswith("test_") or name.endswith("_test.py") or name == "conftest.py"
    found = python_effects.facts(
        tree, "\n".join(document.lines), consumers, producers, bool(libraries & {"pika", "aio_pika", "nats"}), test
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


def requeued_on_failure(structure: _Structure) -> list[tuple[Span, str]]:
    """(the call, how it requeues) for each nack/reject in an ``except`` clause that puts the failed
    message straight back on its queue: ``requeue=True`` written, or the method's requeuing default."""
    tree = structure.tree
    found: list[tuple[Span, str]] = []
    for block in structure.blocks:
        for statement, *_ in lines(block.body):
            if not isinstance(statement, ast.Try):
                continue
            for handler in statement.handlers:
                for node in preorder(tree, handler.body):
                    how = _requeues(tree, node) if isinstance(node, ast.Call) else None
                    if how is not None:
                        found.append((tree.span(node), how))
    # aio-pika's `async with message.process(requeue=True):` requeues whenever the body raises
    found.extend((tree.span(node), "process(requeue=True)") for node in structure.requeuing)
    return found


def _requeues(tree: PythonTree, node: ast.Call) -> str | None:
    """How a nack or reject call requeues the message, if it does."""
    if not isinstance(node.func, ast.Attribute) or node.func.attr not in _REQUEUES:
        return None
    method = node.func.attr
    args = tree.index.args(node)
    requeue = next((a for a in args if a.name == "requeue"), None)
    if requeue is None and _REQUEUES[method] and not any(a.star for a in args):
        positional = [a for a in args if a.name is None]
        place = {"basic_nack": 3, "basic_reject": 2}.get(method)
        if place is not None and len(positional) >= place:
            return None  # requeue passed by position: not judged
        return f"{method}() requeues by default"
    if requeue is not None and is_true(requeue.value):
        return f"{method}(requeue=True)"
    return None


_ACKS = {"basic_ack", "basic_nack", "basic_reject", "ack", "nack", "reject"}


def never_acknowledged(found: _Structure) -> Iterator[tuple[Any, Any, str]]:
    """(the basic_consume call, the callback's def, its name) for each pika callback consumed with
    manual acknowledgement whose function never acknowledges, nacks or rejects. Conservative: a
    callback that hands its channel, method frame or delivery tag to any other call may acknowledge
    there (pika's own examples do, through a method or ``add_callback_threadsafe``), so it does not
    count; nor does a callback defined more than once, or not in this module."""
    defs = found.functions
    calls = (s.node for s in found.tree.index.calls)
    for call in calls:
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "basic_consume"):
            continue
        keywords = {k.arg: k.value for k in call.keywords if k.arg}
        if is_true(keywords.get("auto_ack")) or is_true(keywords.get("no_ack")):
            continue  # RC201's finding
        callback = keywords.get("on_message_callback")
        if callback is None:  # pika 1.x: basic_consume(queue, callback); 0.x: basic_consume(callback, queue)
            named = [a for a in call.args[:2] if isinstance(a, (ast.Name, ast.Attribute))]
            callback = next((a for a in named if _callee_name(a) in defs), None)
        name = _callee_name(callback) if callback is not None else ""
        defined = defs.get(name, [])
        if len(defined) != 1:
            continue
        function = defined[0]
        if not _acknowledges(function):
            yield call, function, name


def _callee_name(node: Any) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
        return node.attr
    return ""


def _acknowledges(function: Any) -> bool:
    """Does the function acknowledge, or pass what acknowledging needs to another call?"""
    # pika calls back (channel, method, properties, body): the channel and the method frame (its
    # delivery tag) are what acknowledging takes; the body going to a call is the processing
    parameters = set([a.arg for a in function.args.args if a.arg not in ("self", "cls")][:2])
    if function.args.vararg is not None or function.args.kwarg is not None:
        return True  # *args: what it does with the channel is not visible
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Attribute) and node.func.attr in _ACKS:
            return True
        passed = [*node.args, *(k.value for k in node.keywords)]
        if not _logging(node) and any(
            isinstance(n, ast.Name) and n.id in parameters for p in passed for n in ast.walk(p)
        ):
            return True  # the channel or the delivery tag goes elsewhere: it may be acknowledged there
    return False


def _logging(call: Any) -> bool:
    head = call.func
    while isinstance(head, ast.Attribute):
        head = head.value
    return isinstance(head, ast.Name) and head.id in _LOGGING


# what settles a JetStream message (nats-py's Msg), as a call or a reference (`cb=msg.ack`)
_SETTLES = re.compile(r"\.(?:ack|ack_sync|nak|term|in_progress)\b")
_PRINTING = {"print", "repr", "str", "len", "isinstance", "type", "id"}


def unacknowledged_pulls(found: _Structure) -> Iterator[tuple[Any, Any]]:
    """(the pull_subscribe call, the first fetch on it) for each nats-py pull subscription whose
    consumer acknowledges explicitly (``ConsumerConfig``'s default) and whose fetched messages the
    module never settles: no ``ack``, ``ack_sync``, ``nak``, ``term`` or ``in_progress`` anywhere in
    it, and no fetched message (or batch) handed whole to a function of another module."""
    tree = found.tree
    if _SETTLES.search(tree.text):
        return
    subscriptions: dict[str, Any] = {}
    for site in tree.index.sites:
        node = site.node
        call = _call(node.value) if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if call is None or not (isinstance(call.func, ast.Attribute) and call.func.attr == "pull_subscribe"):
            continue
        target = dotted_expression(node.targets[0])
        if target and _acknowledging_config(tree, call):
            subscriptions[target] = call
    if not subscriptions:
        return
    fetches: dict[str, Any] = {}
    messages: set[str] = set()
    for site in tree.index.sites:
        node = site.node
        if isinstance(node, ast.Call):
            for name in subscriptions:
                if _method_on(node, name, {"fetch"}):
                    fetches.setdefault(name, node)
        if isinstance(node, ast.Assign) and _fetched(node.value, subscriptions):
            messages.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.For, ast.AsyncFor)) and isinstance(node.target, ast.Name):
            over = node.iter
            if _fetched(over, subscriptions) or (isinstance(over, ast.Name) and over.id in messages):
                messages.add(node.target.id)
    for site in tree.index.calls:
        call = site.node
        callee = _callee_name(call.func) if isinstance(call.func, ast.Name) else ""
        if callee in found.functions or callee in _PRINTING or _logging(call):
            continue  # this module's own functions settle nothing either
        passed = [*call.args, *(k.value for k in call.keywords)]
        if any(isinstance(p, (ast.Name, ast.Starred)) and _names(p) & messages for p in passed):
            return  # a message goes to code this module does not show: it may be acknowledged there
    for name, call in subscriptions.items():
        if name in fetches:
            yield call, fetches[name]


def _names(node: Any) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _fetched(node: Any, subscriptions: dict[str, Any]) -> bool:
    call = _call(node)
    return call is not None and any(_method_on(call, name, {"fetch"}) for name in subscriptions)


def _acknowledging_config(tree: PythonTree, call: ast.Call) -> bool:
    """Does the consumer pull_subscribe creates expect acknowledgements? No ``config`` (nats-py's
    ``ConsumerConfig()``: explicit), or a ``ConsumerConfig(...)`` written in the call whose ack
    policy is not ``NONE``. A config built elsewhere is unknown, and not counted."""
    args = tree.index.args(call)
    config = next((a.value for a in args if a.name == "config"), None)
    if any(a.star for a in args):
        return False
    if config is None:
        return True
    if not (isinstance(config, ast.Call) and tree.segment(config.func).split(".")[-1] == "ConsumerConfig"):
        return False
    policy = next((k.value for k in config.keywords if k.arg == "ack_policy"), None)
    return policy is None or (isinstance(policy, ast.Attribute) and policy.attr in ("EXPLICIT", "ALL"))


# where `requeue` sits among the positional arguments of each rejection, and its default
_REJECTS = {
    "pika": {"basic_reject": (1, True), "basic_nack": (2, True)},
    "aio_pika": {"reject": (0, False), "nack": (1, True), "process": (0, False)},
}


def rejections(found: _Structure, library: str) -> Iterator[tuple[Any, str, str]]:
    """(the call, the queue, how) for each rejection that drops its message unless the queue
    dead-letters: pika's ``basic_reject``/``basic_nack`` with ``requeue=False`` in a callback that
    ``basic_consume`` reads from a queue named by a literal; aio-pika's ``reject()`` (its default
    does not requeue), ``nack(requeue=False)`` and ``process(requeue=False)`` in a callback given to
    ``queue.consume`` or in a loop over ``queue.iterator()``, of a queue declared in the module
    (``queue = await channel.declare_queue("orders")``). aio-pika's ``process()`` with nothing
    written is left out: it is the library's idiom, and its rejection only happens on an error; so
    is an RPC server (one that reads ``reply_to``)."""
    tree = found.tree
    owners: list[tuple[Any, str]] = []  # (a function or loop whose rejections are of that queue, the queue)
    if library == "pika":
        for call in (s.node for s in tree.index.calls):
            if isinstance(call.func, ast.Attribute) and call.func.attr == "basic_consume":
                queue = _literal_argument(tree, call, "queue", 0)
                callback = _pika_callback(found, call)
                if queue and callback is not None:
                    owners.append((callback, queue))
    else:
        declared = _declared_queues(found)
        for site in tree.index.sites:
            node = site.node
            if isinstance(node, ast.Call) and _method_on_any(node, declared, {"consume"}):
                args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "callback")]
                defined = found.functions.get(_callee_name(args[0]) if args else "", [])
                if len(defined) == 1:
                    owners.append((defined[0], declared[dotted_expression(node.func.value)]))  # type: ignore[attr-defined]
            elif isinstance(node, (ast.For, ast.AsyncFor)):
                queue = _iterated_queue(found, node, declared)
                if queue:
                    owners.append((node, queue))
    seen: set[int] = set()
    for owner, queue in owners:
        if any(isinstance(n, ast.Attribute) and n.attr == "reply_to" for n in ast.walk(owner)):
            continue  # an RPC server: a dropped request fails its caller, who is waiting, not silently
        for node in ast.walk(owner):
            how = _dropping(tree, node, library) if isinstance(node, ast.Call) and id(node) not in seen else None
            if how is not None:
                seen.add(id(node))
                yield node, queue, how


def _literal_argument(tree: PythonTree, call: ast.Call, name: str, position: int) -> str:
    args = tree.index.args(call)
    arg = next((a for a in args if a.name == name), None)
    positional = [a for a in args if a.name is None and not a.star]
    if arg is None and len(positional) > position:
        arg = positional[position]
    text = python_literal(arg.value, tree).text if arg is not None else None
    return text or ""


def _pika_callback(found: _Structure, call: ast.Call) -> Any:
    keywords = {k.arg: k.value for k in call.keywords if k.arg}
    callback = keywords.get("on_message_callback")
    if callback is None:
        callback = next((a for a in call.args[:2] if _callee_name(a) in found.functions), None)
    defined = found.functions.get(_callee_name(callback), []) if callback is not None else []
    return defined[0] if len(defined) == 1 else None


def _declared_queues(found: _Structure) -> dict[str, str]:
    """Names bound to an aio-pika queue declared with a literal name, once in the module."""
    out: dict[str, str] = {}
    twice: set[str] = set()
    for site in found.tree.index.sites:
        node = site.node
        call = _call(node.value) if isinstance(node, ast.Assign) and len(node.targets) == 1 else None
        if call is None or not (isinstance(call.func, ast.Attribute) and call.func.attr == "declare_queue"):
            continue
        name, target = _literal_argument(found.tree, call, "name", 0), dotted_expression(node.targets[0])
        if name and target:
            if target in out and out[target] != name:
                twice.add(target)
            out[target] = name
    return {k: v for k, v in out.items() if k not in twice}


def _method_on_any(call: ast.Call, bindings: dict[str, str], methods: set[str]) -> bool:
    return any(_method_on(call, binding, methods) for binding in bindings)


def _iterated_queue(found: _Structure, loop: ast.For | ast.AsyncFor, declared: dict[str, str]) -> str:
    """The declared queue a loop reads: ``async for m in queue.iterator()``, or over the name an
    ``async with queue.iterator() as it:`` binds."""
    call = _call(loop.iter)
    if call is not None and _method_on_any(call, declared, {"iterator"}):
        return declared[dotted_expression(call.func.value)]
    if not isinstance(loop.iter, ast.Name):
        return ""
    for site in found.tree.index.sites:
        node = site.node
        if not isinstance(node, (ast.With, ast.AsyncWith)):
            continue
        for item in node.items:
            entered = _call(item.context_expr)
            bound = item.optional_vars
            if (
                entered is not None
                and isinstance(bound, ast.Name)
                and bound.id == loop.iter.id
                and _method_on_any(entered, declared, {"iterator"})
            ):
                return declared[dotted_expression(entered.func.value)]
    return ""


def _dropping(tree: PythonTree, call: ast.Call, library: str) -> str | None:
    """How a call rejects without requeueing (``basic_nack(requeue=False)``), else None."""
    if not isinstance(call.func, ast.Attribute) or call.func.attr not in _REJECTS[library]:
        return None
    position, default = _REJECTS[library][call.func.attr]
    args = tree.index.args(call)
    if any(a.star for a in args):
        return None
    written = next((a.value for a in args if a.name == "requeue"), None)
    positional = [a.value for a in args if a.name is None]
    if written is None and len(positional) > position:
        written = positional[position]
    if written is None:
        if default or call.func.attr == "process":
            return None
        return f"{call.func.attr}() (requeue is False by default)"
    literal = python_literal(written, tree).text
    return f"{call.func.attr}(requeue=False)" if literal == "false" else None


_AIO_SETTLES = {"ack", "nack", "reject", "process"}


def aio_never_acknowledged(found: _Structure) -> Iterator[tuple[Any, Any, str]]:
    """(the consume call, the callback's def, its name) for each aio-pika ``queue.consume(callback)``
    without ``no_ack=True`` whose callback, a function of this module defined once, never settles
    its message: no ``ack()``, ``nack()``, ``reject()`` or ``process()`` on anything, and the message
    never handed whole to another call (which may settle it)."""
    tree = found.tree
    for call in (s.node for s in tree.index.calls):
        if not (isinstance(call.func, ast.Attribute) and call.func.attr == "consume"):
            continue
        args = tree.index.args(call)
        written_off = (isinstance(a.value, ast.Constant) and a.value.value is False for a in args if a.name == "no_ack")
        if any(a.star for a in args) or not all(written_off):
            continue  # automatic acknowledgement (RC201's finding), or not visible
        callback = next((a.value for a in args if a.name == "callback"), None)
        positional = [a.value for a in args if a.name is None]
        callback = callback if callback is not None else (positional[0] if positional else None)
        name = _callee_name(callback) if callback is not None else ""
        defined = found.functions.get(name, [])
        if len(defined) != 1 or not isinstance(defined[0], ast.AsyncFunctionDef):
            continue
        function = defined[0]
        if not _settles_message(function):
            yield call, function, name


def _settles_message(function: ast.AsyncFunctionDef) -> bool:
    parameters = [a.arg for a in function.args.args if a.arg not in ("self", "cls")]
    if function.args.vararg is not None or function.args.kwarg is not None or not parameters:
        return True  # what it does with the message is not visible
    message = parameters[0]
    # `message = json.loads(message.body)`: after that line the name holds something else
    rebound = min(
        (
            n.lineno
            for n in ast.walk(function)
            if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == message for t in n.targets)
        ),
        default=None,
    )

    def named(node: Any) -> bool:
        return isinstance(node, ast.Name) and node.id == message

    def stale(node: Any) -> bool:  # the name, once it no longer holds the message
        return named(node) and rebound is not None and node.lineno > rebound

    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr in _AIO_SETTLES and not stale(node.value):
            return True
        if isinstance(node, ast.Call) and not _logging(node):
            passed = [*node.args, *(k.value for k in node.keywords)]
            if any(named(p) and not stale(p) for p in passed):
                return True  # the message goes elsewhere: it may be acknowledged there
    return False
