"""``rabbitmq.conf`` -> a ``rabbit.broker`` entity (also used for a RabbitmqCluster's
``additionalConfig``, whose lines are placed inside the manifest)."""

from __future__ import annotations

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
