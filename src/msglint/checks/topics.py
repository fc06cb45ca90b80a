"""Topic durability: replication factor, min.insync.replicas, and the brokers that must hold them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, default_note
from msglint.defaults import effective
from msglint.model import Entity, Setting

# Topic-level configuration names (org.apache.kafka.common.config.TopicConfig, Kafka 3.x-4.x).
TOPIC_CONFIGS = frozenset(
    {
        "cleanup.policy",
        "compression.type",
        "compression.gzip.level",
        "compression.lz4.level",
        "compression.zstd.level",
        "delete.retention.ms",
        "file.delete.delay.ms",
        "flush.messages",
        "flush.ms",
        "follower.replication.throttled.replicas",
        "index.interval.bytes",
        "leader.replication.throttled.replicas",
        "local.retention.bytes",
        "local.retention.ms",
        "max.compaction.lag.ms",
        "max.message.bytes",
        "message.downconversion.enable",
        "message.format.version",
        "message.timestamp.after.max.ms",
        "message.timestamp.before.max.ms",
        "message.timestamp.difference.max.ms",
        "message.timestamp.type",
        "min.cleanable.dirty.ratio",
        "min.compaction.lag.ms",
        "min.insync.replicas",
        "preallocate",
        "remote.storage.enable",
        "remote.log.copy.disable",
        "remote.log.delete.on.disable",
        "retention.bytes",
        "retention.ms",
        "segment.bytes",
        "segment.index.bytes",
        "segment.jitter.ms",
        "segment.ms",
        "unclean.leader.election.enable",
    }
)
# Broker names people write where the topic name is meant.
_TOPIC_NAME_FOR = {
    "log.retention.ms": "retention.ms",
    "log.retention.hours": "retention.ms",
    "log.retention.minutes": "retention.ms",
    "retention.hours": "retention.ms",
    "log.retention.bytes": "retention.bytes",
    "log.cleanup.policy": "cleanup.policy",
    "log.segment.bytes": "segment.bytes",
    "message.max.bytes": "max.message.bytes",
    "replication.factor": "spec.replicas",
    "partitions": "spec.partitions",
}


def _known(entity: Entity, key: str) -> tuple[Setting, int] | None:
    setting = effective(entity, key)
    if setting is None:
        return None
    value = setting.as_int()
    return None if value is None else (setting, value)


def _production(topic: Entity) -> bool:
    return topic.environment is None  # development topics are summed up once at their cluster


def _rf(topic: Entity) -> tuple[Setting, int] | None:
    found = _known(topic, "replication.factor")
    return None if found is None or found[1] < 1 else found  # below 1: KT108's finding


def _where(setting: Setting) -> str:
    return "" if setting.explicit else default_note(setting)


def unreplicated(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT101: A topic with a single replica; one broker or disk failure loses its data."""
    found = _rf(topic)
    if found is None or not _production(topic) or found[1] != 1:
        return
    setting, _ = found
    yield Hit(
        f"topic {topic.name} has one replica{_where(setting)}: a broker or disk failure loses its data, and "
        "while that broker is down the topic is unavailable",
        setting,
        ("replication.factor", "3"),
    )


def _room_for_three(topic: Entity) -> bool:
    """Can the topic's cluster hold three replicas (or is its size unknown)?"""
    cluster = topic.one("cluster")
    brokers = cluster.derived.get("brokers") if cluster is not None else None
    return brokers is None or brokers.value >= 3


def replication_two(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT102: A topic with two replicas; it cannot be both durable and available through one failure."""
    found = _rf(topic)
    if found is None or not _production(topic) or found[1] != 2:
        return
    setting, _ = found
    yield Hit(
        f"topic {topic.name} has two replicas{_where(setting)}: with min.insync.replicas=2 one broker down stops "
        "acks=all writes, with 1 an acknowledged write can live on one broker only",
        setting,
        ("replication.factor", "3") if _room_for_three(topic) else None,
    )


def _acks_all_producers(topic: Entity) -> list[Entity]:
    out = []
    for producer in topic.related.get("producers", []):
        acks = effective(producer, "acks")
        if acks is not None and acks.value == "all":
            out.append(producer)
    return out


def min_insync_low(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT103: A replicated topic with min.insync.replicas=1; acks=all can mean one copy."""
    rf, isr = _rf(topic), _known(topic, "min.insync.replicas")
    if rf is None or isr is None or not _production(topic) or rf[1] < 2 or isr[1] >= 2:
        return
    if _acks_all_producers(topic):
        return  # KX201 reports it with the producers that rely on it
    setting, value = isr
    yield Hit(
        f"topic {topic.name} has min.insync.replicas={value}{_where(setting)} with {rf[1]} replicas: an acks=all "
        "write is acknowledged as soon as the leader alone has it whenever the other replicas fall behind",
        setting,
        ("min.insync.replicas", "2") if rf[1] >= 3 else None,  # with two replicas, 2 would stop writes
    )


def min_insync_not_below_rf(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT104: min.insync.replicas equal to or above the replication factor; acks=all writes stop or fail."""
    rf, isr = _rf(topic), _known(topic, "min.insync.replicas")
    if rf is None or isr is None or not (rf[0].explicit or isr[0].explicit):
        return
    setting, value = isr
    if value < rf[1] or rf[1] == 1:
        return
    if value == rf[1]:
        effect = "one broker down (a restart, an upgrade) stops every acks=all write to it"
    else:
        effect = "every acks=all write fails with NotEnoughReplicas, even with all brokers up"
    at = setting if setting.explicit else rf[0]
    fix: tuple[str, str] | None
    if rf[1] >= 3 and at is setting:
        fix = ("min.insync.replicas", str(rf[1] - 1))
    elif _room_for_three(topic) and value <= 2:
        fix = ("replication.factor", "3")  # lowering the minimum to 1 would trade one problem for another
    else:
        fix = None
    yield Hit(
        f"topic {topic.name} has min.insync.replicas={value}{_where(setting)} and {rf[1]} replicas"
        f"{_where(rf[0])}: {effect}",
        at,
        fix,
        severity="warning" if value == rf[1] else None,  # an outage under a failure; above RF it never works
    )


def replication_above_brokers(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT105: A topic asks for more replicas than its cluster has brokers; it can never be created."""
    rf = _rf(topic)
    cluster = topic.one("cluster")
    brokers = cluster.derived.get("brokers") if cluster is not None else None
    if rf is None or brokers is None or cluster is None or rf[1] <= brokers.value:
        return
    setting, value = rf
    hit_at = setting if setting.explicit else None
    yield Hit(
        f"topic {topic.name} asks for {value} replicas{_where(setting)} but cluster {cluster.name} has "
        f"{brokers.value} broker{'s' if brokers.value != 1 else ''} ({brokers.how}): the topic cannot be created",
        hit_at,
        # two replicas or fewer is KT102's or KT101's problem: no fix that only moves the finding there
        ("replication.factor", str(min(brokers.value, 3))) if brokers.value >= 3 else None,
        related=tuple((o, f"broker count of cluster {cluster.name}") for o in brokers.origins),
    )


def retention_implicit(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT106: A delete-policy topic whose retention nobody wrote down; the broker's 7 days apply."""
    cluster = topic.one("cluster")
    policy = effective(topic, "cleanup.policy")
    if cluster is None or policy is None or "delete" not in (policy.value or "") or topic.environment:
        return
    if any(topic.get(k) is not None for k in ("retention.ms", "retention.bytes")):
        return
    if any(cluster.get(k) is not None for k in ("log.retention.ms", "log.retention.minutes", "log.retention.hours")):
        return
    yield Hit(
        f"topic {topic.name} has no retention.ms and cluster {cluster.name} sets no log.retention.*: records are "
        "kept 7 days (the broker's log.retention.hours=168), whether that suits this topic's replay needs or not",
        None,
        ("retention.ms", "604800000"),
    )


def invalid_spec(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT108: A KafkaTopic whose replicas or partitions is not a whole number of at least 1."""
    for key, field in (("replication.factor", "spec.replicas"), ("partitions", "spec.partitions")):
        setting = topic.get(key)
        if setting is None or setting.value is None:
            continue
        value = setting.as_int()
        if value is None or value < 1:
            yield Hit(
                f"{field}={setting.value} is not a whole number of at least 1: the Kubernetes API server rejects "
                "the KafkaTopic (the CRD's minimum is 1), so the topic is never created or changed",
                setting,
                (key, "3") if key == "replication.factor" else None,
            )


def unknown_config(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT107: A KafkaTopic config key that is not a topic configuration; the topic is never reconciled."""
    for setting in topic.settings.values():
        if setting.origin is None or setting.origin.section != "spec.config":
            continue
        key = setting.key  # as written: a KafkaTopic's config keys are not renamed
        if key in TOPIC_CONFIGS or "${" in key:
            continue
        hint = _TOPIC_NAME_FOR.get(key)
        instead = f"; the topic-level setting is {hint}" if hint else ""
        yield Hit(
            f"{key} is not a topic configuration{instead}: the Topic Operator cannot apply spec.config, "
            "and the KafkaTopic stays NotReady",
            setting,
            remove=hint is None or hint.startswith("spec."),
        )


_TINY_SEGMENT_MS = 600_000  # ten minutes


def constant_compaction(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KT109: A compacted topic with a tiny segment.ms and min.cleanable.dirty.ratio 0; the cleaner never rests."""
    policy, segment, ratio = (
        topic.settings.get(k) for k in ("cleanup.policy", "segment.ms", "min.cleanable.dirty.ratio")
    )
    if policy is None or segment is None or ratio is None or "compact" not in (policy.value or ""):
        return
    ms = segment.as_int()
    try:
        dirty = float(ratio.value or "")
    except ValueError:
        return
    if ms is None or ms >= _TINY_SEGMENT_MS or dirty > 0.01:
        return
    yield Hit(
        f"segment.ms={ms} with min.cleanable.dirty.ratio={ratio.value} on compacted topic {topic.name}: each "
        f"partition rolls a new segment every {ms / 1000:g} s and the log cleaner takes any partition with a "
        "rolled segment, so it recopies every partition of the topic over and over (disk and CPU spent, more "
        "open files, longer broker restarts) for compaction no reader sees sooner than with minutes; keep the "
        "ratio at its default 0.5 and let max.compaction.lag.ms bound how long a superseded record may stay",
        ratio,
    )
