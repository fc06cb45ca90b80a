"""RabbitMQ clients in Python source: pika's and aio-pika's queue declarations and consumers ->
``rabbit.queue`` and ``rabbit.consumer`` entities, so the queue rules apply to code too.

Calls are recognised by method name (``queue_declare``, ``basic_consume``, ``declare_queue``,
``consume``, ``iterator``) in a module that imports the library; the receiver's type is not known
statically, so aio-pika's ``consume`` and ``iterator`` count only with an explicit ``no_ack``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from msglint.documents import Document
from msglint.extract.python_kafka import (
    Scopes,
    dict_entries,
    in_function,
    module_imports,
    own_package,
    python_literal,
    python_origin,
)
from msglint.fixes.python import PythonWriter, QueueWriter
from msglint.model import Entity, Setting, Span

# method -> (library, entity kind, positional parameter names in order)
_QUEUE_CALLS = {
    "queue_declare": ("pika", ("queue", "passive", "durable", "exclusive", "auto_delete", "arguments")),
    "declare_queue": ("aio-pika", ("name",)),
}
_CONSUME_CALLS = {
    "basic_consume": ("pika", "auto_ack"),
    "basic_get": ("pika", "auto_ack"),
    "consume": ("aio-pika", "no_ack"),  # pika's BlockingChannel.consume(auto_ack=) is matched below too
    "iterator": ("aio-pika", "no_ack"),
}
_QUEUE_FLAGS = ("durable", "exclusive", "auto_delete")
LABELS = {"pika": "pika", "aio-pika": "aio-pika"}
REPLY_QUEUE = re.compile(r"(?i)amq\.rabbitmq\.reply-to|reply|callback|response")


def extract(document: Document) -> list[Entity]:
    import libcst as cst

    module, span_of = document.python
    roots = {q.split(".")[0] for q in module_imports(module).values()}
    libraries = {lib for lib, root in (("pika", "pika"), ("aio-pika", "aio_pika")) if root in roots}
    if not libraries or own_package(document) in ("pika", "aio_pika"):
        return []
    scopes = Scopes(module)
    out: list[Entity] = []

    class Calls(in_function()):  # type: ignore[misc]
        def visit_Call(inner, node: cst.Call) -> None:
            if not isinstance(node.func, cst.Attribute):
                return
            method = node.func.attr.value
            function = inner.function
            if method in _QUEUE_CALLS and _QUEUE_CALLS[method][0] in libraries:
                entity = _queue(document, node, method, scopes, function, span_of)
                if entity is not None:
                    out.append(entity)
            elif method in _CONSUME_CALLS:
                entity = _consumer(document, node, method, libraries, span_of)
                if entity is not None:
                    out.append(entity)
            elif method in ("basic_qos", "set_qos"):
                prefetch = next((a for a in node.args if a.keyword and a.keyword.value == "prefetch_count"), None)
                if prefetch is not None:
                    qos.append(python_literal(prefetch.value).text)
                else:  # positional: pika's first parameter is prefetch_size, aio-pika's prefetch_count
                    qos.append("0" if not node.args else None)
            elif method == "channel":
                channels.append(node)
            elif method == "basic_publish" and "pika" in libraries:
                # an RPC request or reply (reply_to, a reply routing key): its caller waits, times out, retries
                if not REPLY_QUEUE.search(cst.Module([]).code_for_node(node)):
                    publishes.append(node)
            elif method == "confirm_delivery":
                confirms.append(node)

    qos: list[str | None] = []
    channels: list[Any] = []
    publishes: list[Any] = []
    confirms: list[Any] = []
    module.visit(Calls())
    if publishes and channels and not confirms:  # the channel is opened here, so confirms would be set here
        out.append(
            Entity(
                "rabbit.publisher",
                "pika",
                document.display,
                span_of(publishes[0].func),
                label="pika publisher",
                traits={"in-code"},
                attributes={"confirms": "none"},
                counts={"publishes": len(publishes)},
            )
        )
    limit = "none" if not qos else "zero" if all(q == "0" for q in qos) else "set"
    for entity in out:
        if entity.kind == "rabbit.consumer":
            entity.attributes["qos"] = limit
            if channels:
                entity.traits.add("channel-here")
    return out


def _arguments(call: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """Parameter name -> value node, positional arguments named by their place."""
    found: dict[str, Any] = {}
    for index, arg in enumerate(call.args):
        if arg.star:
            continue
        if arg.keyword is not None:
            found[arg.keyword.value] = arg
        elif index < len(names):
            found[names[index]] = arg
    return found


def _setting(
    document: Document,
    key: str,
    raw_key: str,
    key_node: Any,
    value_node: Any,
    span_of: Callable[[Any], Span],
    syntax: str,
) -> Setting:
    value = python_literal(value_node)
    origin = python_origin(document, key_node, value_node, raw_key, syntax, value.kind, value.text is not None, span_of)
    return Setting(key, value.text, value.text or "", origin)


def _queue(
    document: Document, call: Any, method: str, scopes: Scopes, function: Any, span_of: Callable[[Any], Span]
) -> Entity | None:
    library, names = _QUEUE_CALLS[method]
    args = _arguments(call, names)
    passive = args.get("passive")
    if passive is not None and python_literal(passive.value).text != "false":
        return None  # a passive declaration only checks that the queue exists
    if any(arg.star for arg in call.args):
        return None  # **options: the flags may be anywhere
    name_arg = args.get("queue") or args.get("name")
    name = python_literal(name_arg.value).text if name_arg is not None else ""  # absent: the server names it
    settings: dict[str, Setting] = {}
    for flag in _QUEUE_FLAGS:
        arg = args.get(flag)
        if arg is not None:
            key_node = arg.keyword if arg.keyword is not None else arg.value
            settings[flag] = _setting(document, flag, flag, key_node, arg.value, span_of, "python-kwarg")
    arguments = args.get("arguments")
    traits = {"in-code"}
    if arguments is not None:
        entries = list(dict_entries(arguments.value, scopes, function))
        if not entries and not _is_none(arguments.value):
            traits.add("arguments-unknown")
        for key_node, key, value_node in entries:
            settings[key] = _setting(document, key, f'"{key}"', key_node, value_node, span_of, "python")
    return Entity(
        "rabbit.queue",
        library,
        document.display,
        span_of(call.func),
        settings,
        writer=QueueWriter(document.display, "kwargs"),
        label=f"{LABELS[library]} queue",
        traits=traits,
        name="(server-named)" if name == "" else name or "(named at run time)",
    )


def _is_none(node: Any) -> bool:
    import libcst as cst

    return isinstance(node, cst.Name) and node.value == "None"


def _consumer(
    document: Document, call: Any, method: str, libraries: set[str], span_of: Callable[[Any], Span]
) -> Entity | None:
    library, keyword = _CONSUME_CALLS[method]
    if method == "consume" and "pika" in libraries:
        library, keyword = "pika", "auto_ack"  # BlockingChannel.consume(queue, auto_ack=...)
        if not any(a.keyword is not None and a.keyword.value == "auto_ack" for a in call.args):
            library, keyword = "aio-pika", "no_ack"
    if library not in libraries:
        return None
    arg = next((a for a in call.args if a.keyword is not None and a.keyword.value == keyword), None)
    if arg is None and method == "basic_get":
        return None  # a poll: no acknowledgement mode to judge, no prefetch
    queue = _consumed_queue(call, library)
    if REPLY_QUEUE.search(queue):
        return None  # RPC replies: direct reply-to requires auto-ack; a lost reply fails only its caller
    settings = {}
    if arg is not None:
        settings["auto-ack"] = _setting(document, "auto-ack", keyword, arg.keyword, arg.value, span_of, "python-kwarg")
    return Entity(
        "rabbit.consumer",
        library,
        document.display,
        span_of(call.func),
        settings,
        writer=PythonWriter(document.display, "kwargs"),
        label=f"{LABELS[library]} consumer",
        traits={"in-code"},
        attributes={"call": method},
    )


def _consumed_queue(call: Any, library: str) -> str:
    """The queue a consumer reads, as written (a literal's value, or the expression's source)."""
    import libcst as cst

    if library != "pika":  # aio-pika consumes from a queue object: its variable's name is what there is
        return cst.Module([]).code_for_node(call.func.value)
    args = _arguments(call, ("queue",))
    arg = args.get("queue")
    if arg is None:
        return ""
    text = python_literal(arg.value).text
    return text if text is not None else cst.Module([]).code_for_node(arg.value)
