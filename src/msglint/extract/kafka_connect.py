"""Kafka Connect worker and MirrorMaker 2 ``.properties`` -> a ``kafka.connect`` entity.

A Connect worker (``connect-distributed.properties``) names its internal topics
(``config.storage.topic``...); a MirrorMaker 2 configuration (``connect-mirror-maker.properties``)
names its ``clusters`` and replication flows (``A->B.enabled``). Both create topics with the
replication factors they write. MirrorMaker 2 also takes a key per cluster or flow
(``B.offset.storage.replication.factor``, ``A->B.replication.factor``): such a key stays the
entity's setting under its own name. A connector's ``.properties`` or REST API JSON is a
``kafka.connector``.
"""

from __future__ import annotations

import re

from msglint.documents import Document
from msglint.extract import scalar
from msglint.extract.kafka_broker import settings_of
from msglint.fixes import JsonWriter, PropertiesWriter, raw_naming
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.tree import Mapping, Scalar

_WORKER_KEYS = ("config.storage.topic", "offset.storage.topic", "status.storage.topic")
_FLOW = re.compile(r"^[\w.-]+->[\w.-]+\.enabled$")


def is_mirror_maker(document: Document) -> bool:
    found = {e.key for e in document.entries}
    return "clusters" in found and any(_FLOW.match(k) or k.endswith(".bootstrap.servers") for k in found)


def is_worker(document: Document) -> bool:
    return any(e.key in _WORKER_KEYS for e in document.entries)


def extract(document: Document, mirror: bool) -> list[Entity]:
    entries = document.entries
    settings = settings_of(document)
    anchor = next((e for e in entries if not keys.is_secret_key(e.key)), entries[0])
    label = "MirrorMaker 2 configuration" if mirror else "Kafka Connect worker configuration"
    entity = Entity(
        "kafka.connect",
        "mirror-maker-2" if mirror else "kafka-connect-worker",
        document.display,
        anchor.key_span,
        settings,
        writer=PropertiesWriter(
            document.display, raw_naming, document.lines, after=max(e.span.end_line for e in entries)
        ),
        label=label,
        name=document.display,
    )
    if any(keys.is_placeholder(e.key) for e in entries):
        entity.traits.add("templated")
    return [entity]


def is_connector(document: Document) -> bool:
    return any(e.key == "connector.class" for e in document.entries)


def connector(document: Document) -> list[Entity]:
    """A connector's ``.properties`` (``connect-file-sink.properties``): its ``name``, class and config."""
    settings = settings_of(document)
    anchor = next(e for e in document.entries if e.key == "connector.class")
    entity = Entity(
        "kafka.connector",
        "kafka-connect-worker",
        document.display,
        anchor.key_span,
        settings,
        writer=PropertiesWriter(
            document.display, raw_naming, document.lines, after=max(e.span.end_line for e in document.entries)
        ),
        label=f"Kafka Connect connector {settings['name'].value if 'name' in settings else document.display}",
        name=settings["name"].value or "" if "name" in settings else document.display,
        attributes={"connector-class": anchor.value.strip()},
    )
    return [entity]


def connector_json(document: Document) -> list[Entity]:
    """A connector's JSON, as the Connect REST API takes it: ``{"name": ..., "config": {...}}`` (POST
    /connectors) or the config alone (PUT /connectors/<name>/config)."""
    top = document.yaml[0] if document.yaml else None
    if not isinstance(top, Mapping):
        return []
    nested = top.get("config")
    config = nested if isinstance(nested, Mapping) else top
    connector_class = config.get("connector.class")
    if not isinstance(connector_class, Scalar):
        return []
    settings = {
        k.value: Setting(
            k.value,
            v.value.strip(),
            v.value,
            Origin(
                document.display,
                Span(k.span.line, k.span.column, v.span.end_line, v.span.end_column),
                k.value,
                "json",
                v.span,
                k.span,
            ),
        )
        for k, v in config.items
        if isinstance(v, Scalar)
    }
    name = scalar(top.get("name")) or scalar(config.get("name")) or document.display
    anchor = next(k for k, _ in config.items if k.value == "connector.class")
    return [
        Entity(
            "kafka.connector",
            "kafka-connect-worker",
            document.display,
            anchor.span,
            settings,
            writer=JsonWriter(document.display, lambda key: "the connector's config"),
            label=f"Kafka Connect connector {name}",
            name=name,
            attributes={"connector-class": connector_class.value.strip()},
        )
    ]
