"""Standalone Kafka client ``.properties`` (``producer.properties``, ``consumer.properties``, ...).

The side is told by the file name when it says (``*producer*``, ``*consumer*``), else by keys that
only one client reads. Broker, Kafka Streams and Kafka Connect worker files are not client files.
"""

from __future__ import annotations

from msglint import facts
from msglint.documents import Document
from msglint.fixes import PropertiesWriter, raw_naming
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting

# Files whose keys configure something other than one plain client.
_NOT_A_CLIENT = keys.BROKER_KEYS | {"application.id", "config.storage.topic", "offset.storage.topic"}

LABELS = {"kafka.producer": "Kafka producer", "kafka.consumer": "Kafka consumer"}


def is_spring(document: Document) -> bool:
    """Spring Boot configuration, not a client file that happens to carry Spring's own client keys
    (``spring.json.trusted.packages`` and the like are read by Spring's deserializers)."""
    prefixes = ("spring.kafka.", "spring.rabbitmq.", "spring.config.", "spring.profiles")
    return any(e.key.startswith(prefixes) for e in document.entries)


def extract(document: Document) -> list[Entity]:
    entries = document.entries
    if not entries or any(e.key in _NOT_A_CLIENT for e in entries):
        return []
    from msglint.discover import kafka_properties

    if not kafka_properties(document.path.name, "\n".join(document.lines).encode()):
        return []  # a resource bundle named on the command line: read (its syntax is checked), not a client
    name = document.path.name.lower()
    sides = [side for side in ("producer", "consumer") if side in name]
    if not sides:
        present = {e.key for e in entries}
        sides = [
            side for side, own in (("producer", keys.PRODUCER_KEYS), ("consumer", keys.CONSUMER_KEYS)) if present & own
        ]
    settings: dict[str, Setting] = {}
    for e in entries:  # the last occurrence wins, as in java.util.Properties
        origin = Origin(document.display, e.span, e.key, "properties", e.value_span, e.key_span)
        settings[e.key] = Setting(e.key, keys.normalize(e.key, e.value), e.value, origin)
    last_line = max(e.span.end_line for e in entries)
    # findings about absent keys point at the first setting: never at a line that holds a secret
    anchor = next((e for e in entries if not keys.is_secret_key(e.key)), entries[0])
    out = []
    for side in sides:
        kind = facts.kind(f"kafka.{side}")
        out.append(
            Entity(
                kind,
                "kafka-java",
                document.display,
                anchor.key_span,
                dict(settings),
                writer=PropertiesWriter(document.display, raw_naming, document.lines, after=last_line),
                label=LABELS[kind],
            )
        )
        if any(keys.is_placeholder(e.key) for e in entries):
            out[-1].traits.add("templated")  # a template line may write any key: defaults are unknown
    return out
