"""Redis stream calls in one shape, whatever the language or client: the Python and Java extractors
report each ``XADD``, ``XREADGROUP``, ``XACK``, ... they find as a ``Call``, and ``entities`` turns one
file's calls into the model: a consumer per group read, a producer per ``XADD``, a group per
``XGROUP CREATE``, and one ``redis.client`` per file that lists what the file does to streams, which
the join (link/redis.py) unions over an application.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from msglint.facts import Kind
from msglint.model import Entity, Setting, Span, Writer

Op = Literal[
    "read",  # XREADGROUP, a container's receive: a consumer of a group
    "ack",  # XACK
    "add",  # XADD
    "trim",  # XTRIM
    "claim",  # XCLAIM, XAUTOCLAIM: entries of another consumer taken over
    "pending-range",  # XPENDING with a range: entries with their delivery counts
    "delivery-count",  # a delivery count read from a pending entry
    "group-create",  # XGROUP CREATE
    "error-handler",  # a Spring container's errorHandler: its subscriptions' errors are handled
]

# a stream written to on a failure path: a dead-letter (or parking) stream
_DEAD_LETTER = re.compile(r"(?i)dead|dlq|dlx|poison|parking|quarantine|fail|error")


@dataclass
class Call:
    op: Op
    at: Span  # the call (its method name): where a finding about it points
    stream: str | None = None  # the stream key, when written as a constant
    stream_text: str = ""  # the key's expression as written (a variable's name says what it is)
    group: str | None = None
    consumer: str | None = None  # the consumer name, when a constant
    consumer_text: str = ""
    settings: dict[str, Setting] = field(default_factory=dict)  # maxlen, block, noack, id, mkstream, ...
    ids: tuple[str, ...] = ()  # a read's start ids: ">" for new entries, "0" for its own pending ones
    writer: Writer | None = None


def _tokens(calls: list[Call]) -> tuple[str, ...]:
    """What the file does to streams, as the join and the checks compare it: ``ack``, ``claim``,
    ``pending-range``, ``delivery-count``, ``error-handler``, ``read-pending``, ``read-unknown``,
    ``dead-letter``, ``add:KEY``, ``bounded:KEY`` (an XADD with MAXLEN or MINID), ``trim:KEY``
    (``*`` for a key not known)."""
    out: set[str] = set()
    for call in calls:
        key = call.stream or "*"
        if call.op in ("ack", "claim", "pending-range", "delivery-count", "error-handler"):
            out.add(call.op)
        elif call.op == "read" and not call.ids:
            out.add("read-unknown")  # start ids not known here: it may read its pending entries
        elif call.op == "read" and any(i != ">" for i in call.ids):
            out.add("read-pending")
        elif call.op == "add":
            out.add(f"add:{key}")
            if "maxlen" in call.settings or "minid" in call.settings:
                out.add(f"bounded:{key}")
            if _DEAD_LETTER.search(call.stream_text or key):
                out.add("dead-letter")
        elif call.op == "trim":
            out.add(f"trim:{key}")
    return tuple(sorted(out))


# a command sent by name rather than by the client's method: in a Lua script (redis.call('XACK', ...)),
# redis-py's execute_command("XACK", ...), Lettuce's dispatch(CommandType.XCLAIM, ...)
_BY_NAME = re.compile(
    r"""(?i)(?:redis\.p?call\(\s*|execute_command\(\s*)["'](xack|xclaim|xautoclaim|xtrim|xpending)["']"""
    r"|\bCommandType\.(XACK|XCLAIM|XAUTOCLAIM|XTRIM|XPENDING)\b"
)
_NAMED_OPS: dict[str, Op] = {
    "xack": "ack",
    "xclaim": "claim",
    "xautoclaim": "claim",
    "xtrim": "trim",
    "xpending": "pending-range",
}


def by_name(lines: list[str]) -> list[Call]:
    """The stream commands a file sends by name, one call per command and line (the key is not known)."""
    out = []
    for number, line in enumerate(lines, 1):
        for found in _BY_NAME.finditer(line):
            name = (found.group(1) or found.group(2)).lower()
            out.append(Call(_NAMED_OPS[name], Span(number, found.start() + 1, number, found.end() + 1)))
    return out


_KINDS: dict[str, Kind] = {"read": "redis.consumer", "add": "redis.producer", "group-create": "redis.group"}
_LABELS = {"read": "Redis stream consumer", "add": "Redis stream producer", "group-create": "Redis consumer group"}


def entities(path: str, client: str, calls: list[Call]) -> list[Entity]:
    if not calls:
        return []
    ops = _tokens(calls)
    out = [
        Entity(
            "redis.client",
            client,
            path,
            calls[0].at,
            label="Redis stream calls",
            name=path,
            lists={"ops": ops},
        )
    ]
    for call in calls:
        kind = _KINDS.get(call.op)
        if kind is None:
            continue
        entity = Entity(
            kind,
            client,
            path,
            call.at,
            dict(call.settings),
            writer=call.writer,
            label=_LABELS[call.op],
            name=call.group or call.stream or "",
            traits={"in-code"},
            attributes={"stream": call.stream or "", "stream-text": call.stream_text or call.stream or ""},
        )
        if call.group is not None:
            entity.attributes["group"] = call.group
        if call.op == "read":
            entity.lists["read-ids"] = call.ids
            if call.consumer is not None:
                entity.attributes["consumer-name"] = call.consumer
            entity.attributes["consumer-text"] = call.consumer_text
        out.append(entity)
    return out
