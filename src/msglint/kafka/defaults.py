"""Defaults that apply when a key is not written, by client, with the source each one comes from.

Values are for Kafka clients 3.0 and later (what every supported Spring Boot manages); where an older
or newer client differs, the origin text says so, and messages quote it. See DOMAIN.md §1 and §2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from msglint.model import Setting

if TYPE_CHECKING:
    from msglint.model import Entity

JAVA = "the Kafka Java client"

# (value, who supplies it). A value of None means the default depends on the client version.
_JAVA_PRODUCER: dict[str, tuple[str | None, str]] = {
    "acks": ("all", f"{JAVA} since 3.0 (assumed: no kafka-clients version found in a build file; it was 1 before 3.0)"),
    "enable.idempotence": (
        "true",
        f"{JAVA} since 3.0 (not effective in 3.0.0 and 3.1.0 unless set, KAFKA-13598)",
    ),
    "linger.ms": (None, f"{JAVA}: 0 before 4.0, 5 since 4.0"),
    "batch.size": ("16384", JAVA),
    "compression.type": ("none", JAVA),
    "buffer.memory": ("33554432", JAVA),
    "delivery.timeout.ms": ("120000", JAVA),
    "request.timeout.ms": ("30000", JAVA),
    "retries": ("2147483647", JAVA),
    "max.in.flight.requests.per.connection": ("5", JAVA),
    "max.block.ms": ("60000", JAVA),
    "transaction.timeout.ms": ("60000", JAVA),
}

_JAVA_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": ("true", JAVA),
    "auto.commit.interval.ms": ("5000", JAVA),
    "auto.offset.reset": ("latest", JAVA),
    "session.timeout.ms": ("45000", f"{JAVA} since 3.0 (10000 before 3.0)"),
    "heartbeat.interval.ms": ("3000", JAVA),
    "max.poll.interval.ms": ("300000", JAVA),
    "max.poll.records": ("500", JAVA),
    "isolation.level": ("read_uncommitted", JAVA),
    "group.protocol": ("classic", JAVA),
    "request.timeout.ms": ("30000", JAVA),
}

SPRING_KAFKA = "Spring Kafka"
_SPRING_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": (
        "false",
        f"{SPRING_KAFKA}, whose listener container sets enable.auto.commit=false when it is not set (since 2.3)",
    ),
    "isolation.level": ("read_uncommitted", "Spring Boot, which always writes spring.kafka.consumer.isolation-level"),
}
_SPRING_LISTENER: dict[str, tuple[str | None, str]] = {
    "ack-mode": ("batch", f"{SPRING_KAFKA} (ContainerProperties.AckMode.BATCH)"),
    "concurrency": ("1", f"{SPRING_KAFKA}"),
    "type": ("single", "Spring Boot"),
}

SCS = "the Spring Cloud Stream Kafka binder"
# What the binder writes before any user configuration (BindingUtils.createConsumerConfigs and
# createProducerConfigs); auto.offset.reset follows the group (``contextual``).
_SCS_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": ("false", f"{SCS}, which sets enable.auto.commit=false and commits through its container"),
    "auto.commit.interval.ms": ("100", SCS),
}
_SCS_PRODUCER: dict[str, tuple[str | None, str]] = {
    "acks": (None, f"{SCS}'s required-acks: 1 before 5.0.2, all since (CS203 judges it)"),
    "batch.size": ("16384", f"{SCS} (its producer buffer-size)"),
    "compression.type": ("none", f"{SCS} (its producer compression-type)"),
}

BROKER = "the Kafka broker"
_BROKER: dict[str, tuple[str | None, str]] = {
    "default.replication.factor": ("1", BROKER),
    "min.insync.replicas": ("1", BROKER),
    "unclean.leader.election.enable": ("false", f"{BROKER} (since 0.11)"),
    "auto.create.topics.enable": ("true", BROKER),
    "offsets.topic.replication.factor": ("3", BROKER),
    "transaction.state.log.replication.factor": ("3", BROKER),
    "transaction.state.log.min.isr": ("2", BROKER),
    "num.partitions": ("1", BROKER),
    "log.cleanup.policy": ("delete", BROKER),
    "log.retention.hours": ("168", BROKER),
}
# A topic without its own value takes the broker's: topic key -> broker key.
TOPIC_FROM_BROKER = {
    "replication.factor": "default.replication.factor",
    "partitions": "num.partitions",
    "min.insync.replicas": "min.insync.replicas",
    "unclean.leader.election.enable": "unclean.leader.election.enable",
    "cleanup.policy": "log.cleanup.policy",
}
# Kafka Connect's worker overrides these client defaults for its connectors (Worker.java).
_CONNECT_PRODUCER: dict[str, tuple[str | None, str]] = {
    "acks": ("all", "the Kafka Connect worker"),
    "max.in.flight.requests.per.connection": ("1", "the Kafka Connect worker"),
}
_CONNECT_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": ("false", "the Kafka Connect worker"),
    "auto.offset.reset": ("earliest", "the Kafka Connect worker"),
}

RDK = "librdkafka (confluent-kafka)"
_RDK_PRODUCER: dict[str, tuple[str | None, str]] = {
    "acks": ("all", f"{RDK} since 1.0"),
    "enable.idempotence": ("false", RDK),
    "linger.ms": ("5", f"{RDK} since 1.5"),
    "compression.type": ("none", RDK),
    "retries": ("2147483647", RDK),
    "max.in.flight.requests.per.connection": ("1000000", RDK),
    "request.timeout.ms": ("30000", RDK),
    "delivery.timeout.ms": ("300000", f"{RDK} (message.timeout.ms)"),
}
_RDK_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": ("true", RDK),
    "auto.offset.reset": ("latest", f"{RDK} (`largest`, the end of the partition)"),
    "session.timeout.ms": ("45000", RDK),
    "heartbeat.interval.ms": ("3000", RDK),
    "max.poll.interval.ms": ("300000", RDK),
    "isolation.level": ("read_committed", RDK),
    "enable.auto.offset.store": ("true", f"{RDK}, which stores a message's offset when poll() returns it"),
    "auto.commit.interval.ms": ("5000", RDK),
}
KPY = "kafka-python"
_KPY_PRODUCER: dict[str, tuple[str | None, str]] = {
    "acks": (None, f"{KPY}: 1 before 3.0, all (-1) since 3.0"),
    "enable.idempotence": (None, f"{KPY}: false before 3.0, true since"),
    "linger.ms": ("0", KPY),
    "compression.type": ("none", KPY),
    "max.in.flight.requests.per.connection": ("5", KPY),
}
_KPY_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": ("true", KPY),
    "auto.offset.reset": ("latest", KPY),
    "session.timeout.ms": (None, f"{KPY}: 10000 before 3.0, 45000 since"),
    "heartbeat.interval.ms": ("3000", KPY),
    "max.poll.interval.ms": ("300000", KPY),
    "max.poll.records": ("500", KPY),
}
AIOK = "aiokafka"
_AIOK_PRODUCER: dict[str, tuple[str | None, str]] = {
    "acks": ("1", f"{AIOK} (acks=1 unless enable_idempotence)"),
    "enable.idempotence": ("false", AIOK),
    "linger.ms": ("0", AIOK),
    "compression.type": ("none", AIOK),
    "request.timeout.ms": ("40000", AIOK),
}
_AIOK_CONSUMER: dict[str, tuple[str | None, str]] = {
    "enable.auto.commit": ("true", AIOK),
    "auto.offset.reset": ("latest", AIOK),
    "session.timeout.ms": ("10000", AIOK),
    "heartbeat.interval.ms": ("3000", AIOK),
    "max.poll.interval.ms": ("300000", AIOK),
}

TABLES: dict[tuple[str, str], list[dict[str, tuple[str | None, str]]]] = {
    ("librdkafka", "kafka.producer"): [_RDK_PRODUCER],
    ("librdkafka", "kafka.consumer"): [_RDK_CONSUMER],
    ("kafka-python", "kafka.producer"): [_KPY_PRODUCER],
    ("kafka-python", "kafka.consumer"): [_KPY_CONSUMER],
    ("aiokafka", "kafka.producer"): [_AIOK_PRODUCER],
    ("aiokafka", "kafka.consumer"): [_AIOK_CONSUMER],
    ("strimzi", "kafka.cluster"): [_BROKER],
    ("kafka-broker", "kafka.cluster"): [_BROKER],
    ("kafka-connect", "kafka.producer"): [_CONNECT_PRODUCER, _JAVA_PRODUCER],
    ("kafka-connect", "kafka.consumer"): [_CONNECT_CONSUMER, _JAVA_CONSUMER],
    ("kafka-java", "kafka.producer"): [_JAVA_PRODUCER],
    ("kafka-java", "kafka.consumer"): [_JAVA_CONSUMER],
    ("spring-kafka", "kafka.producer"): [_JAVA_PRODUCER],
    ("spring-kafka", "kafka.consumer"): [_SPRING_CONSUMER, _JAVA_CONSUMER],
    ("spring-kafka", "kafka.listener"): [_SPRING_LISTENER],
    ("scs-kafka", "kafka.producer"): [_SCS_PRODUCER, _JAVA_PRODUCER],
    ("scs-kafka", "kafka.consumer"): [_SCS_CONSUMER, _JAVA_CONSUMER],
}


# Defaults that changed at a client version: client -> key -> (the version, the value before, since).
# The tables above give the value for an unknown version; with a version from a build file
# (link/builds.py) the value is known for the version found.
_BY_VERSION: dict[str, dict[str, tuple[str, str, str]]] = {
    "kafka-java": {
        "acks": ("3.0", "1", "all"),
        "enable.idempotence": ("3.0", "false", "true"),
        "session.timeout.ms": ("3.0", "10000", "45000"),
        "linger.ms": ("4.0", "0", "5"),
    },
    "kafka-python": {
        "acks": ("3.0", "1", "all"),
        "enable.idempotence": ("3.0", "false", "true"),
        "session.timeout.ms": ("3.0", "10000", "45000"),
    },
}
_BY_VERSION["spring-kafka"] = _BY_VERSION["kafka-java"]
# the binder writes acks itself, from its required-acks (CS203)
_BY_VERSION["scs-kafka"] = {k: v for k, v in _BY_VERSION["kafka-java"].items() if k != "acks"}
_WHO = {"kafka-java": JAVA, "spring-kafka": JAVA, "scs-kafka": JAVA, "kafka-python": KPY}


def by_version(entity: Entity, key: str) -> tuple[str, str] | None:
    """The default of ``key`` for the client version a build file gives, when it changed at a version."""
    from msglint import versions

    changed = _BY_VERSION.get(entity.client, {}).get(key)
    version = entity.attributes.get("client-version")
    if changed is None or version is None or entity.kind == "kafka.listener":
        return None
    bound, old, new = changed
    earlier = versions.before(version, bound)
    if earlier is None:
        return None
    found = entity.attributes.get("client-version-from", version)
    who = _WHO[entity.client]
    return (old, f"{who} before {bound} ({found})") if earlier else (new, f"{who} since {bound} ({found})")


def contextual(entity: Entity, key: str, effective: Callable[[Entity, str], Setting | None]) -> tuple[str, str] | None:
    """Kafka defaults that depend on the rest of the configuration, not only on the client (a topic's
    come from its cluster, read through ``effective``; a client's from its version)."""
    if (versioned := by_version(entity, key)) is not None:
        return versioned
    if entity.client == "aiokafka" and key == "acks" and entity.kind == "kafka.producer":
        # aiokafka's producer.py: enable_idempotence (which a transactional_id implies) makes acks -1
        idempotent = entity.settings.get("enable.idempotence")
        if (idempotent is not None and idempotent.as_bool()) or "transactional.id" in entity.settings:
            return "all", f"{AIOK} when enable_idempotence or transactional_id is set"
    if entity.kind == "kafka.topic":
        cluster = entity.one("cluster")
        broker_key = TOPIC_FROM_BROKER.get(key)
        if cluster is None or broker_key is None:
            return None  # the topic's cluster is not in the tree: its defaults are unknown
        inherited = effective(cluster, broker_key)
        if inherited is None or inherited.value is None:
            return None
        if inherited.origin is not None:
            where = f"{inherited.origin.path}:{inherited.origin.span.line}"
            return inherited.value, f"cluster {cluster.name}, whose {broker_key}={inherited.value} ({where})"
        return inherited.value, f"{inherited.default_from}, as cluster {cluster.name} does not set {broker_key}"
    if entity.kind != "kafka.consumer":
        return None
    if key == "enable.auto.commit" and "group.id" not in entity.settings:
        if entity.client == "kafka-java":
            return "false", f"{JAVA}, which turns auto-commit off for a consumer without group.id"
        if entity.client == "kafka-python":  # coordinator/consumer.py: "group_id is None: disabling auto-commit"
            return "false", f"{KPY}, which turns auto-commit off when group_id is None (its default)"
        if entity.client == "aiokafka":  # consumer.py start(): no GroupCoordinator, so nothing commits
            return "false", f"{AIOK}, which commits nothing when group_id is None (its default)"
    if key == "auto.offset.reset" and "scst-named-group" in entity.traits:
        return "earliest", "the Spring Cloud Stream Kafka binder, for a consumer group with a name"
    if key == "auto.offset.reset" and entity.client == "scs-kafka":
        return "latest", f"{SCS}, for an anonymous consumer group"
    return None
