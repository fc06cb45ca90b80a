"""Kafka Connect workers and MirrorMaker 2: the topics they create and what one lost broker takes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.model import Entity, Setting

# the topics Connect and MirrorMaker 2 create, by the key that sets their replication factor
REPLICATED = (
    "replication.factor",  # MirrorMaker 2: the mirrored topics it creates on the target
    "checkpoints.topic.replication.factor",
    "heartbeats.topic.replication.factor",
    "offset-syncs.topic.replication.factor",
    "config.storage.replication.factor",
    "offset.storage.replication.factor",
    "status.storage.replication.factor",
)


def replicated(entity: Entity) -> list[tuple[str, Setting]]:
    """(what the key is for, the setting) of every replication factor the entity writes, a
    MirrorMaker 2 key for one cluster or flow (``B.replication.factor``) included."""
    out = []
    for written, setting in entity.settings.items():
        # the longest key it ends with: checkpoints.topic.replication.factor, not replication.factor
        base = max((k for k in REPLICATED if written == k or written.endswith("." + k)), key=len, default=None)
        if base is not None:
            out.append((base, setting))
    return out


_LOST = {
    "replication.factor": "the topics MirrorMaker 2 mirrors onto the target cluster",
    "checkpoints.topic.replication.factor": "the checkpoints topic, whose translated offsets a fail-over needs",
    "heartbeats.topic.replication.factor": "the heartbeats topic, which shows that replication is alive",
    "offset-syncs.topic.replication.factor": "the offset-syncs topic, which maps offsets between the clusters",
    "config.storage.replication.factor": "the config topic, which holds every connector's configuration",
    "offset.storage.replication.factor": "the offsets topic: source connectors lose their positions, re-read or skip",
    "status.storage.replication.factor": "the status topic of connectors and tasks",
}


def single_replica(connect: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KM101: a Connect worker or MirrorMaker 2 creates a topic with one replica."""
    for base, setting in replicated(connect):
        if setting.as_int() == 1:
            yield Hit(
                f"{setting.key}=1: one replica for {_LOST[base]}; losing that broker loses it",
                setting,
                (setting.key, "3"),
            )


def _sink(connector: Entity) -> bool:
    """A sink connector: it reads ``topics`` (or ``topics.regex``), or its class says Sink."""
    name = connector.attributes.get("connector-class", "").rpartition(".")[2]
    return "topics" in connector.settings or "topics.regex" in connector.settings or "Sink" in name


def errors_dropped(connector: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KM102: a sink connector that tolerates every error with no dead-letter queue drops the records."""
    tolerance = connector.get("errors.tolerance")
    if tolerance is None or (tolerance.value or "").strip().lower() != "all" or not _sink(connector):
        return
    dlq = connector.get("errors.deadletterqueue.topic.name")
    if dlq is not None and (dlq.value or "").strip():
        return
    logged = connector.get("errors.log.enable")
    note = (
        ""
        if logged is not None and logged.as_bool()
        else " and errors.log.enable is not set, so not even the log says which"
    )
    name = connector.name or "connector"
    yield Hit(
        f"errors.tolerance=all with no errors.deadletterqueue.topic.name: a record the sink connector {name} "
        f"cannot convert or transform is skipped and its offset committed{note}",
        tolerance,
        ("errors.deadletterqueue.topic.name", f"dlq-{name}"),
    )
