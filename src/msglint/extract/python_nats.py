"""nats-py JetStream in Python source: ``StreamConfig(...)``, ``ConsumerConfig(...)`` and
``js.add_stream(name=..., ...)`` keywords -> stream and consumer entities, so the NATS rules apply
to code too. nats-py takes durations in seconds and policies as enums (``AckPolicy.NONE``); both
are read into the server's terms (nanoseconds, ``none``) and fixes are written back in nats-py's.
"""

from __future__ import annotations

import ast
from typing import Any

from msglint import numbers
from msglint.documents import Document
from msglint.extract.nats import CONSUMER_KEYS, DURATIONS, STREAM_KEYS
from msglint.extract.python_kafka import (
    is_constant,
    module_imports,
    own_package,
    python_literal,
    python_origin,
    qualified_name,
)
from msglint.facts import Kind
from msglint.fixes.python import NatsWriter
from msglint.model import Entity, Setting
from msglint.readers.python import PythonTree

_CONFIGS: dict[str, Kind] = {"nats.js.api.StreamConfig": "nats.stream", "nats.js.api.ConsumerConfig": "nats.consumer"}
_ENUMS = {
    "ack_policy": "AckPolicy",
    "retention": "RetentionPolicy",
    "storage": "StorageType",
    "discard": "DiscardPolicy",
    "deliver_policy": "DeliverPolicy",
}
_MEMBERS = {"workqueue": "WORK_QUEUE"}  # server value -> nats-py enum member, where not just upper-cased


def extract(document: Document) -> list[Entity]:
    tree: PythonTree = document.python
    imports = module_imports(tree.module)
    if not any(q.split(".")[0] == "nats" for q in imports.values()) or own_package(document) == "nats":
        return []
    out: list[Entity] = []
    for site in tree.index.calls:
        kind = _kind(tree, site.node, imports)
        if kind is not None:
            out.append(_entity(document, site.node, kind, tree))
    return out


def _kind(tree: PythonTree, node: ast.Call, imports: dict[str, str]) -> Kind | None:
    """The entity a call configures: ``StreamConfig(...)``, ``js.add_stream(name=...)``, ..."""
    kind = _CONFIGS.get(qualified_name(node.func, imports))
    method = node.func.attr if isinstance(node.func, ast.Attribute) else ""
    args = tree.index.args(node)
    keywords = {a.name for a in args if a.name is not None}
    if kind is None and method == "add_stream":
        if "name" in keywords and "config" not in keywords:  # js.add_stream(name=..., subjects=...)
            kind = "nats.stream"
    elif kind is None and method == "add_consumer" and keywords & CONSUMER_KEYS:
        # js.add_consumer("ORDERS", durable_name=..., ...): manager.py builds ConsumerConfig() and
        # evolves it with the keywords, so ConsumerConfig's defaults apply to what is not written
        positional = [a for a in args if a.name is None and not a.star]
        if len(positional) <= 1 and "config" not in keywords and not any(a.star for a in args):
            kind = "nats.consumer"
    return kind


def _value(key: str, node: Any, tree: PythonTree) -> tuple[str | None, str]:
    """The server's value for a nats-py keyword value, and how it is written."""
    if isinstance(node, ast.Attribute) and key in _ENUMS:
        return node.attr.lower().replace("_", ""), "enum"
    literal = python_literal(node, tree)
    # seconds to nanoseconds, exactly and within an int64 (nats-py's int(seconds * 1e9)); beyond, unknown
    if key in DURATIONS and literal.kind == "pyint" and literal.text is not None:
        ns = numbers.seconds_to_ns(literal.text)
        return (None if ns is None else str(ns)), literal.kind
    if key in DURATIONS and isinstance(node, ast.Constant) and type(node.value) is float:
        ns = numbers.seconds_to_ns(tree.segment(node))
        return (None if ns is None else str(ns)), "pyfloat"
    if key in DURATIONS:
        return None, "other"
    if literal.text is not None and key in _ENUMS:
        return literal.text.lower(), literal.kind
    return literal.text, literal.kind


def _entity(document: Document, call: ast.Call, kind: Kind, tree: PythonTree) -> Entity:
    allowed = STREAM_KEYS if kind == "nats.stream" else CONSUMER_KEYS
    settings: dict[str, Setting] = {}
    args = tree.index.args(call)
    for arg in args:
        if arg.name is None or arg.name not in allowed:
            continue
        key = arg.name
        text: str | None
        if is_constant(arg.value, None):
            if key != "ack_policy":
                continue  # as_dict() leaves None out: the server's default applies, as when not written
            text, how = "none", "other"  # ack_policy=None leaves the field out: the server's AckNone
        else:
            text, how = _value(key, arg.value, tree)
        # no value edit: a server value does not read back as nats-py's (an enum, seconds)
        origin = python_origin(document, arg.name_span, arg.value, key, "python-kwarg", how, False, tree.span)
        settings[key] = Setting(key, text, text or "", origin)
    positional = [a for a in args if a.name is None and not a.star]
    if kind == "nats.consumer" and isinstance(call.func, ast.Attribute) and positional:
        stream = python_literal(positional[0].value, tree)  # add_consumer("ORDERS", ...)
        if stream.kind == "pystr" and stream.text:
            value = positional[0].value
            where = python_origin(document, value, value, "stream", "python-kwarg", stream.kind, False, tree.span)
            settings["stream_name"] = Setting("stream_name", stream.text, stream.text, where)
    name = settings.get("name") or settings.get("durable_name")
    return Entity(
        kind,
        # nats-py's ConsumerConfig has defaults of its own (ack_policy=EXPLICIT); the rest is the server's
        "nats-py",
        document.display,
        tree.span(call.func),
        settings,
        writer=NatsWriter(document.display, "kwargs", enums=_ENUMS, members=_MEMBERS, durations=DURATIONS),
        label=kind.replace("nats.", "JetStream "),
        name=name.value if name is not None and name.value else "",
        traits={"in-code"},
    )
