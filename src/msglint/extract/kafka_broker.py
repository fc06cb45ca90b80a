"""Broker ``server.properties`` (ZooKeeper and KRaft styles) -> a ``kafka.cluster`` entity.

One file describes one broker; how many brokers the cluster has is not written there, so the rules
that need the count say nothing about such a cluster.
"""

from __future__ import annotations

from msglint.documents import Document
from msglint.fixes import PropertiesWriter, raw_naming
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting


def is_broker(document: Document) -> bool:
    return any(e.key in keys.BROKER_KEYS for e in document.entries)


def settings_of(document: Document) -> dict[str, Setting]:
    """Each entry of a Kafka ``.properties`` file as a setting where it is written."""
    settings: dict[str, Setting] = {}
    for e in document.entries:
        origin = Origin(document.display, e.span, e.key, "properties", e.value_span, e.key_span)
        settings[e.key] = Setting(e.key, keys.normalize(e.key, e.value), e.value, origin)
    return settings


def extract(document: Document) -> list[Entity]:
    entries = document.entries
    settings = settings_of(document)
    anchor = next((e for e in entries if not keys.is_secret_key(e.key)), entries[0])
    cluster = Entity(
        "kafka.cluster",
        "kafka-broker",
        document.display,
        anchor.key_span,
        settings,
        writer=PropertiesWriter(
            document.display, raw_naming, document.lines, after=max(e.span.end_line for e in entries)
        ),
        label="Kafka broker configuration",
        name=document.display,
    )
    cluster.traits.add(
        "kraft" if "process.roles" in settings else "zookeeper" if "zookeeper.connect" in settings else ""
    )
    cluster.traits.discard("")
    roles = settings.get("process.roles")
    if roles is not None and roles.value is not None and {r.strip() for r in roles.value.split(",")} == {"controller"}:
        cluster.traits.add("controller-only")  # a KRaft controller serves no clients and holds no partitions
    if any(keys.is_placeholder(e.key) for e in entries):
        cluster.traits.add("templated")  # a template line may write any key: defaults are unknown
    return [cluster]
