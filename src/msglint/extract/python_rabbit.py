"""RabbitMQ clients in Python source: pika's and aio-pika's queue declarations and consumers ->
``rabbit.queue`` and ``rabbit.consumer`` entities, so the queue rules apply to code too.

Calls are recognised by method name (``queue_declare``, ``basic_consume``, ``declare_queue``,
``consume``, ``iterator``) in a module that imports the library; the receiver's type is not known
statically, so aio-pika's ``consume`` and ``iterator`` count only with an explicit ``no_ack``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from msglint.documents import Document
from msglint.extract.python_kafka import (
    Scopes,
    dict_entries,
    is_constant,
    module_imports,
    own_package,
    python_literal,
    python_origin,
)
from msglint.fixes.python import PythonWriter, QueueWriter
from msglint.model import Entity, Setting
from msglint.readers.pyindex import Arg
from msglint.readers.python import PythonTree

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


@dataclass
class _Calls:
    """What a module's calls say about its channels."""

    qos: list[str | None] = field(default_factory=list)
    channels: list[Any] = field(default_factory=list)
    publishes: list[Any] = field(default_factory=list)
    confirms: list[Any] = field(default_factory=list)


def extract(document: Document) -> list[Entity]:
    tree: PythonTree = document.python
    roots = {q.split(".")[0] for q in module_imports(tree.module).values()}
    libraries = {lib for lib, root in (("pika", "pika"), ("aio-pika", "aio_pika")) if root in roots}
    if not libraries or own_package(document) in ("pika", "aio_pika"):
        return []
    scopes = Scopes(tree)
    out: list[Entity] = []
    calls = _Calls()
    for site in tree.index.calls:
        entity = _call(document, site.node, site.function, scopes, libraries, calls)
        if entity is not None:
            out.append(entity)
    if calls.publishes and calls.channels and not calls.confirms:  # confirms would be set where the channel is
        out.append(
            Entity(
                "rabbit.publisher",
                "pika",
                document.display,
                tree.span(calls.publishes[0].func),
                label="pika publisher",
                traits={"in-code"},
                attributes={"confirms": "none"},
                counts={"publishes": len(calls.publishes)},
            )
        )
    qos = calls.qos
    limit = "none" if not qos else "zero" if all(q == "0" for q in qos) else "set"
    for entity in out:
        if entity.kind == "rabbit.consumer":
            entity.attributes["qos"] = limit
            if calls.channels:
                entity.traits.add("channel-here")
    return out


def _call(
    document: Document, node: ast.Call, function: Any, scopes: Scopes, libraries: set[str], calls: _Calls
) -> Entity | None:
    """The queue or consumer ``node`` declares, after noting what it says about the channel."""
    if not isinstance(node.func, ast.Attribute):
        return None
    tree = scopes.tree
    method = node.func.attr
    if method in _QUEUE_CALLS and _QUEUE_CALLS[method][0] in libraries:
        return _queue(document, node, method, scopes, function)
    if method in _CONSUME_CALLS:
        return _consumer(document, node, method, libraries, tree)
    if method in ("basic_qos", "set_qos"):
        args = tree.index.args(node)
        prefetch = next((a for a in args if a.name == "prefetch_count"), None)
        if prefetch is not None:
            calls.qos.append(python_literal(prefetch.value, tree).text)
        else:  # positional: pika's first parameter is prefetch_size, aio-pika's prefetch_count
            calls.qos.append("0" if not args else None)
    elif method == "channel":
        calls.channels.append(node)
    elif method == "basic_publish" and "pika" in libraries:
        # an RPC request or reply (reply_to, a reply routing key): its caller waits, times out, retries
        if not REPLY_QUEUE.search(tree.segment(node)):
            calls.publishes.append(node)
    elif method == "confirm_delivery":
        calls.confirms.append(node)
    return None


def _arguments(tree: PythonTree, call: ast.Call, names: tuple[str, ...]) -> dict[str, Arg]:
    """Parameter name -> argument, positional arguments named by their place."""
    found: dict[str, Arg] = {}
    for index, arg in enumerate(tree.index.args(call)):
        if arg.star:
            continue
        if arg.name is not None:
            found[arg.name] = arg
        elif index < len(names):
            found[names[index]] = arg
    return found


def _setting(
    document: Document, key: str, raw_key: str, key_node: Any, value_node: Any, tree: PythonTree, syntax: str
) -> Setting:
    value = python_literal(value_node, tree)
    origin = python_origin(
        document, key_node, value_node, raw_key, syntax, value.kind, value.text is not None, tree.span
    )
    return Setting(key, value.text, value.text or "", origin)


def _queue(document: Document, call: ast.Call, method: str, scopes: Scopes, function: Any) -> Entity | None:
    tree = scopes.tree
    library, names = _QUEUE_CALLS[method]
    args = _arguments(tree, call, names)
    passive = args.get("passive")
    if passive is not None and python_literal(passive.value, tree).text != "false":
        return None  # a passive declaration only checks that the queue exists
    if any(arg.star for arg in tree.index.args(call)):
        return None  # **options: the flags may be anywhere
    name_arg = args.get("queue") or args.get("name")
    name = python_literal(name_arg.value, tree).text if name_arg is not None else ""  # absent: the server names it
    settings: dict[str, Setting] = {}
    for flag in _QUEUE_FLAGS:
        arg = args.get(flag)
        if arg is not None:
            key_node = arg.name_span if arg.name_span is not None else arg.value
            settings[flag] = _setting(document, flag, flag, key_node, arg.value, tree, "python-kwarg")
    arguments = args.get("arguments")
    traits = {"in-code"}
    if arguments is not None:
        entries = list(dict_entries(arguments.value, scopes, function))
        if not entries and not is_constant(arguments.value, None):
            traits.add("arguments-unknown")
        for key_node, key, value_node in entries:
            settings[key] = _setting(document, key, f'"{key}"', key_node, value_node, tree, "python")
    return Entity(
        "rabbit.queue",
        library,
        document.display,
        tree.span(call.func),
        settings,
        writer=QueueWriter(document.display, "kwargs"),
        label=f"{LABELS[library]} queue",
        traits=traits,
        name="(server-named)" if name == "" else name or "(named at run time)",
    )


def _consumer(document: Document, call: ast.Call, method: str, libraries: set[str], tree: PythonTree) -> Entity | None:
    library, keyword = _CONSUME_CALLS[method]
    args = tree.index.args(call)
    if method == "consume" and "pika" in libraries:
        library, keyword = "pika", "auto_ack"  # BlockingChannel.consume(queue, auto_ack=...)
        if not any(a.name == "auto_ack" for a in args):
            library, keyword = "aio-pika", "no_ack"
    if library not in libraries:
        return None
    arg = next((a for a in args if a.name == keyword), None)
    if arg is None and method == "basic_get":
        return None  # a poll: no acknowledgement mode to judge, no prefetch
    queue = _consumed_queue(call, library, tree)
    if REPLY_QUEUE.search(queue):
        return None  # RPC replies: direct reply-to requires auto-ack; a lost reply fails only its caller
    settings = {}
    if arg is not None:
        settings["auto-ack"] = _setting(document, "auto-ack", keyword, arg.name_span, arg.value, tree, "python-kwarg")
    return Entity(
        "rabbit.consumer",
        library,
        document.display,
        tree.span(call.func),
        settings,
        writer=PythonWriter(document.display, "kwargs"),
        label=f"{LABELS[library]} consumer",
        traits={"in-code"},
        attributes={"call": method},
    )


def _consumed_queue(call: ast.Call, library: str, tree: PythonTree) -> str:
    """The queue a consumer reads, as written (a literal's value, or the expression's source)."""
    if library != "pika":  # aio-pika consumes from a queue object: its variable's name is what there is
        return tree.segment(call.func.value)  # type: ignore[attr-defined]
    arg = _arguments(tree, call, ("queue",)).get("queue")
    if arg is None:
        return ""
    text = python_literal(arg.value, tree).text
    return text if text is not None else tree.segment(arg.value)
