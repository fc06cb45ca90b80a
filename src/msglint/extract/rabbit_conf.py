"""``rabbitmq.conf`` -> a ``rabbit.broker`` entity (also used for a RabbitmqCluster's
``additionalConfig``, whose lines are placed inside the manifest)."""

from __future__ import annotations

import re

from msglint.documents import Document
from msglint.fixes import PropertiesWriter, raw_naming
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.properties import Entry


def broker(path: str, entries: list[Entry], anchor: Span, syntax: str = "conf") -> Entity:
    settings = {}
    for e in entries:
        origin = Origin(path, e.span, e.key, syntax, e.value_span, e.key_span)
        settings[e.key] = Setting(e.key, None if "${" in e.value else e.value.strip(), e.value, origin)
    first = next((e for e in entries if not keys.is_secret_key(e.key)), None)
    return Entity(
        "rabbit.broker",
        "rabbitmq",
        path,
        first.key_span if first is not None else anchor,
        settings,
        label="RabbitMQ node configuration",
        name=path,
    )


def extract(document: Document) -> list[Entity]:
    node = broker(document.display, document.entries, Span.point(1))
    last = max((e.span.end_line for e in document.entries), default=0)
    node.writer = PropertiesWriter(document.display, raw_naming, document.lines, after=last, separator=" = ")
    return [node]


_ADVANCED_TIMEOUT = re.compile(r"\{\s*consumer_timeout\s*,\s*([A-Za-z0-9_]+)\s*\}")


def advanced_entries(lines: list[str], first_line: int = 1, indent: int = 0) -> list[Entry]:
    """``{consumer_timeout, ...}`` terms found as text in Erlang configuration lines."""
    entries = []
    for number, line in enumerate(lines, start=first_line):
        code = line.split("%", 1)[0]  # Erlang comments start with %
        shift = indent  # the lines of a YAML block come without their indentation
        for match in _ADVANCED_TIMEOUT.finditer(code):
            column = match.start() + 1 + shift
            value = match.start(1) + 1 + shift
            entries.append(
                Entry(
                    "consumer_timeout",
                    match.group(1),
                    Span(number, column, number, match.end() + 1 + shift),
                    Span(number, column, number, value),
                    Span(number, value, number, match.end(1) + 1 + shift),
                    0,
                )
            )
    return entries


def extract_advanced(document: Document) -> list[Entity]:
    """``advanced.config`` holds Erlang terms; only what a rule needs is looked for, as text, so no
    term can make the run fail: ``{consumer_timeout, undefined}`` switches the timeout off."""
    entries = advanced_entries(document.lines)
    if not entries:
        return []
    node = broker(document.display, entries, Span.point(1), "erlang")
    node.traits.add("advanced")  # a complement to rabbitmq.conf: not a whole node configuration
    return [node]
