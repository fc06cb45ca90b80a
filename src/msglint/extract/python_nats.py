"""nats-py JetStream in Python source: ``StreamConfig(...)``, ``ConsumerConfig(...)`` and
``js.add_stream(name=..., ...)`` keywords -> stream and consumer entities, so the NATS rules apply
to code too. nats-py takes durations in seconds and policies as enums (``AckPolicy.NONE``); both
are read into the server's terms (nanoseconds, ``none``) and fixes are written back in nats-py's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from msglint import numbers
from msglint.documents import Document
from msglint.extract.nats import CONSUMER_KEYS, DURATIONS, STREAM_KEYS
from msglint.extract.python_kafka import module_imports, own_package, python_literal, python_origin, qualified_name
from msglint.facts import Kind
from msglint.fixes.python import NatsWriter
from msglint.model import Entity, Setting, Span

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
    import libcst as cst

    module, span_of = document.python
    imports = module_imports(module)
    if not any(q.split(".")[0] == "nats" for q in imports.values()) or own_package(document) == "nats":
        return []
    out: list[Entity] = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            kind = _CONFIGS.get(qualified_name(node.func, imports))
            method = node.func.attr.value if isinstance(node.func, cst.Attribute) else ""
            keywords = {a.keyword.value for a in node.args if a.keyword is not None}
            if kind is None and method == "add_stream":
                if "name" in keywords and "config" not in keywords:  # js.add_stream(name=..., subjects=...)
                    kind = "nats.stream"
            elif kind is None and method == "add_consumer" and keywords & CONSUMER_KEYS:
                # js.add_consumer("ORDERS", durable_name=..., ...): manager.py builds ConsumerConfig() and
                # evolves it with the keywords, so ConsumerConfig's defaults apply to what is not written
                positional = [a for a in node.args if a.keyword is None and not a.star]
                if len(positional) <= 1 and "config" not in keywords and not any(a.star for a in node.args):
                    kind = "nats.consumer"
            if kind is not None:
                out.append(_entity(document, node, kind, span_of))

    module.visit(Calls())
    return out


def _value(key: str, node: Any) -> tuple[str | None, str]:
    """The server's value for a nats-py keyword value, and how it is written."""
    import libcst as cst

    if isinstance(node, cst.Attribute) and key in _ENUMS:
        return node.attr.value.lower().replace("_", ""), "enum"
    literal = python_literal(node)
    # seconds to nanoseconds, exactly and within an int64 (nats-py's int(seconds * 1e9)); beyond, unknown
    if key in DURATIONS and literal.kind == "pyint" and literal.text is not None:
        ns = numbers.seconds_to_ns(literal.text)
        return (None if ns is None else str(ns)), literal.kind
    if key in DURATIONS and isinstance(node, cst.Float):
        ns = numbers.seconds_to_ns(node.value)
        return (None if ns is None else str(ns)), "pyfloat"
    if key in DURATIONS:
        return None, "other"
    if literal.text is not None and key in _ENUMS:
        return literal.text.lower(), literal.kind
    return literal.text, literal.kind


def _entity(document: Document, call: Any, kind: Kind, span_of: Callable[[Any], Span]) -> Entity:
    import libcst as cst

    allowed = STREAM_KEYS if kind == "nats.stream" else CONSUMER_KEYS
    settings: dict[str, Setting] = {}
    for arg in call.args:
        if arg.keyword is None or arg.keyword.value not in allowed:
            continue
        key = arg.keyword.value
        text: str | None
        if isinstance(arg.value, cst.Name) and arg.value.value == "None":
            if key != "ack_policy":
                continue  # as_dict() leaves None out: the server's default applies, as when not written
            text, how = "none", "other"  # ack_policy=None leaves the field out: the server's AckNone
        else:
            text, how = _value(key, arg.value)
        # no value edit: a server value does not read back as nats-py's (an enum, seconds)
        origin = python_origin(document, arg.keyword, arg.value, key, "python-kwarg", how, False, span_of)
        settings[key] = Setting(key, text, text or "", origin)
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if kind == "nats.consumer" and isinstance(call.func, cst.Attribute) and positional:
        stream = python_literal(positional[0].value)  # add_consumer("ORDERS", ...)
        if stream.kind == "pystr" and stream.text:
            where = python_origin(
                document,
                positional[0].value,
                positional[0].value,
                "stream",
                "python-kwarg",
                stream.kind,
                False,
                span_of,
            )
            settings["stream_name"] = Setting("stream_name", stream.text, stream.text, where)
    name = settings.get("name") or settings.get("durable_name")
    return Entity(
        kind,
        # nats-py's ConsumerConfig has defaults of its own (ack_policy=EXPLICIT); the rest is the server's
        "nats-py",
        document.display,
        span_of(call.func),
        settings,
        writer=NatsWriter(document.display, "kwargs", enums=_ENUMS, members=_MEMBERS, durations=DURATIONS),
        label=kind.replace("nats.", "JetStream "),
        name=name.value if name is not None and name.value else "",
        traits={"in-code"},
    )
