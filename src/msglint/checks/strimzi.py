"""What the Strimzi operator does with what it is given."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import PurePosixPath
from typing import Any

from msglint.checks import Hit
from msglint.link import Workspace
from msglint.link.strimzi import clusters_in_tree
from msglint.model import Entity

# KafkaClusterSpec.FORBIDDEN_PREFIXES and FORBIDDEN_PREFIX_EXCEPTIONS (strimzi-kafka-operator, main)
KAFKA_FORBIDDEN = (
    "listeners",
    "advertised.",
    "broker.",
    "listener.",
    "host.name",
    "port",
    "inter.broker.listener.name",
    "sasl.",
    "ssl.",
    "security.",
    "password.",
    "log.dir",
    "zookeeper.connect",
    "zookeeper.set.acl",
    "zookeeper.ssl",
    "zookeeper.clientCnxnSocket",
    "authorizer.",
    "super.user",
    "cruise.control.metrics.topic",
    "cruise.control.metrics.reporter.bootstrap.servers",
    "node.id",
    "process.roles",
    "controller.",
    "metadata.log.dir",
    "zookeeper.metadata.migration.enable",
    "client.quota.callback.static.",
    "prometheus.metrics.reporter.",
    "cordoned.log.dirs",
)
KAFKA_ALLOWED = (
    "zookeeper.connection.timeout.ms",
    "sasl.server.max.receive.size",
    "ssl.cipher.suites",
    "ssl.protocol",
    "ssl.enabled.protocols",
    "ssl.secure.random.implementation",
    "cruise.control.metrics.topic.num.partitions",
    "cruise.control.metrics.topic.replication.factor",
    "cruise.control.metrics.topic.retention.ms",
    "cruise.control.metrics.topic.auto.create.retries",
    "cruise.control.metrics.topic.auto.create.timeout.ms",
    "cruise.control.metrics.topic.min.insync.replicas",
    "broker.session.timeout.ms",
    "broker.heartbeat.interval.ms",
    "controller.socket.timeout.ms",
    "controller.quorum.election.backoff.max.ms",
    "controller.quorum.election.timeout.ms",
    "controller.quorum.fetch.timeout.ms",
)
# KafkaConnectSpec: always, and in the v1 API the ones that moved to spec fields
CONNECT_FORBIDDEN = (
    "ssl.",
    "sasl.",
    "security.",
    "listeners",
    "plugin.path",
    "rest.",
    "bootstrap.servers",
    "consumer.interceptor.classes",
    "producer.interceptor.classes",
    "prometheus.metrics.reporter.",
)
CONNECT_FORBIDDEN_V1 = ("group.id", "config.storage.topic", "offset.storage.topic", "status.storage.topic")
CONNECT_ALLOWED = (
    "ssl.endpoint.identification.algorithm",
    "ssl.cipher.suites",
    "ssl.protocol",
    "ssl.enabled.protocols",
)


def forbidden_config(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS501: A config option Strimzi manages itself; the operator ignores the value."""
    forbidden: tuple[str, ...]
    allowed: tuple[str, ...]
    if entity.kind == "kafka.cluster":
        if entity.client != "strimzi":
            return
        forbidden, allowed, where = KAFKA_FORBIDDEN, KAFKA_ALLOWED, "spec.kafka.config"
    else:
        v1 = "api:v1" in entity.traits
        forbidden = CONNECT_FORBIDDEN + (CONNECT_FORBIDDEN_V1 if v1 else ())
        allowed, where = CONNECT_ALLOWED, "spec.config"
    for key, setting in entity.settings.items():
        if setting.origin is None or setting.origin.section != where:
            continue
        if key in allowed or not key.startswith(forbidden):
            continue
        yield Hit(
            f"{key} in {where} is an option Strimzi manages itself: the operator ignores it (with a warning in "
            "its log), so this value never reaches the brokers; configure it through the resource's own fields "
            "(listeners, authentication, authorization, storage)",
            setting,
            remove=True,
        )


def _distance(a: str, b: str) -> int:
    """Levenshtein distance, for telling a typo from another cluster's name."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def topic_cluster_unknown(topic: Entity, options: Mapping[str, Any], workspace: Workspace) -> Iterator[Hit]:
    """KS502: A KafkaTopic whose strimzi.io/cluster label names no Kafka cluster in the tree."""
    known = clusters_in_tree(workspace)
    if topic.client != "strimzi" or topic.one("cluster") is not None or not known or "ambiguous-cluster" in topic.lists:
        return  # a topic created in code is no KafkaTopic
    label = topic.labels.get("strimzi.io/cluster")
    if label is None:
        yield Hit(
            f"KafkaTopic {topic.name} has no strimzi.io/cluster label: no Topic Operator reconciles it, so the "
            f"topic is never created (clusters in this tree: {', '.join(known)})",
            None,
        )
        return
    if "${" in label:
        return
    close = [n for n in known if _distance(label, n) <= max(1, min(2, len(n) // 4))]
    if close:  # a name that is not a near miss may be a cluster kept in another repository
        yield Hit(
            f"KafkaTopic {topic.name} names cluster {label!r} in its strimzi.io/cluster label; no Kafka of that "
            f"name is in this tree, but {close[0]!r} is: a typo leaves the topic unmanaged, never created",
            None,
        )


def replicas_ignored(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS503: spec.kafka.replicas written while node pools define the brokers; it is ignored."""
    replicas = cluster.get("replicas")
    if cluster.client != "strimzi" or replicas is None or cluster.attributes.get("brokers-from") != "node-pools":
        return
    pools = cluster.related.get("nodepools", [])
    where = f" ({', '.join(p.name for p in pools)})" if pools else ""
    removed = (
        "; the v1 API (this resource's) has no such field"
        if "api:v1" in cluster.traits
        else ("; the v1 API removes the field")
    )
    yield Hit(
        f"spec.kafka.replicas is ignored: Strimzi takes cluster {cluster.name}'s brokers from its "
        f"KafkaNodePools{where}{removed}",
        replicas,
        remove=True,
        related=tuple((p, f"KafkaNodePool {p.name}") for p in pools),
    )


def controller_quorum(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS504: A KRaft controller quorum that tolerates no more failures than it should (even, or one)."""
    controllers = cluster.derived.get("controllers")
    if controllers is None or controllers.value == 0:
        return
    n = controllers.value
    brokers = cluster.derived.get("brokers")
    related = tuple((o, "controller replicas") for o in controllers.origins)
    if n % 2 == 0:
        tolerance = (n - 1) // 2
        survives = (
            "no controller failure"
            if tolerance == 0
            else f"{tolerance} controller failure" + ("s" if tolerance > 1 else "")
        )
        yield Hit(
            f"cluster {cluster.name} has {n} KRaft controllers ({controllers.how}): a majority of {n // 2 + 1} is "
            f"needed, so it survives {survives}, as {n - 1} would; use an odd number (3 or 5)",
            None,
            related=related,
        )
    elif n == 1 and brokers is not None and brokers.value >= 3 and not cluster.environment:
        yield Hit(
            f"cluster {cluster.name} has one KRaft controller ({controllers.how}) for {brokers.value} brokers: "
            "when it is down no metadata changes (leader elections included) happen; use 3 controllers",
            None,
            related=related,
        )


def zookeeper_cluster(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS505: A ZooKeeper-based Strimzi cluster; Strimzi 0.46+ and Kafka 4.0 need KRaft."""
    if cluster.client != "strimzi" or "zookeeper" not in cluster.traits:
        return
    yield Hit(
        f"cluster {cluster.name} runs on ZooKeeper (spec.zookeeper): Strimzi 0.46 and later support only KRaft "
        "(Kafka 4.0 has no ZooKeeper mode); it must be migrated to KRaft before those upgrades",
        None,
    )


def ephemeral_storage(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS506: a Strimzi cluster whose brokers or controllers keep their data in ephemeral storage."""
    if cluster.client != "strimzi" or cluster.environment:
        return
    if cluster.attributes.get("brokers-from") == "node-pools":
        places = [(p, p.get("storage.type"), f"node pool {p.name}") for p in cluster.related.get("nodepools", [])]
    else:
        places = [(cluster, cluster.get("storage.type"), "spec.kafka.storage")]
    for owner, storage, what in places:
        if storage is None or (storage.value or "").strip().lower() != "ephemeral":
            continue
        yield Hit(
            f"{what} of cluster {cluster.name} has storage type ephemeral (an emptyDir): a pod that restarts or moves "
            "starts with no data, so each rolling update re-replicates everything, and losing the pods of a "
            "partition's replicas (or the controllers' metadata) loses it for good; use persistent-claim "
            "(with a size) outside development",
            storage,
            on=owner,
        )


_ZOOKEEPER_ERA = ("inter.broker.protocol.version", "log.message.format.version")


def kraft_leftovers(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS507: inter.broker.protocol.version or log.message.format.version left in a KRaft cluster's config."""
    if cluster.client != "strimzi" or "zookeeper" in cluster.traits:
        return
    for key in _ZOOKEEPER_ERA:
        setting = cluster.settings.get(key)
        if setting is None or setting.origin is None or setting.origin.section != "spec.kafka.config":
            continue
        yield Hit(
            f"{key}={setting.value} in spec.kafka.config of KRaft cluster {cluster.name}: a ZooKeeper-era setting that "
            "KRaft does not use (the metadata version, spec.kafka.metadataVersion, decides the features), so the "
            "value only misleads whoever reads it, and Strimzi reports it in the Kafka resource's status as a "
            "warning; remove it",
            setting,
            remove=True,
        )


def duplicate_topic_name(topic: Entity, options: Mapping[str, Any], workspace: Workspace) -> Iterator[Hit]:
    """KS508: Two KafkaTopics in one directory and namespace name the same Kafka topic."""
    resource = topic.attributes.get("resource")
    if topic.client != "strimzi" or not resource or not topic.name or topic.name.startswith("<"):
        return  # no name, or a templated one (<templated>)
    folder = PurePosixPath(topic.path).parent
    cluster = topic.labels.get("strimzi.io/cluster")
    others = [
        t
        for t in workspace.named("kafka.topic", topic.name)
        if t is not topic
        and t.client == "strimzi"
        and t.attributes.get("resource") not in (None, resource)
        and PurePosixPath(t.path).parent == folder  # applied together; overlays live in folders of their own
        and t.namespace == topic.namespace
        and t.labels.get("strimzi.io/cluster") == cluster
    ]
    if not others:
        return
    # kept: the one named by its own metadata.name, else the first by file and line
    first = min([topic, *others], key=lambda t: (t.name != t.attributes.get("resource"), t.path, t.anchor.line))
    if first is topic:
        return  # the others are reported
    yield Hit(
        f"KafkaTopic {resource} names topic {topic.name}, as KafkaTopic {first.attributes['resource']} "
        f"({first.path}:{first.anchor.line}) already does: the Topic Operator manages a topic from one resource only "
        '(the oldest), marks the other not ready with a ResourceConflict ("Managed by ..."), and never applies its '
        "partitions, replicas or config; keep one KafkaTopic per topic",
        None,
        related=((first, f"KafkaTopic {first.attributes['resource']}"),),
    )
