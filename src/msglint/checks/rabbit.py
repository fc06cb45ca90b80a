"""RabbitMQ queues, policies, users and nodes, on their effective configuration."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint import numbers
from msglint.checks import Hit, default_note
from msglint.defaults import effective as with_default
from msglint.model import Entity, Setting
from msglint.rabbit import versions
from msglint.rabbit.policies import definition_keys, effective, queue_type, unknown

HA_KEYS = (
    "ha-mode",
    "ha-params",
    "ha-sync-mode",
    "ha-sync-batch-size",
    "ha-promote-on-shutdown",
    "ha-promote-on-failure",
)


def _queues(policy: Entity, limit: int = 5, classic_only: bool = False) -> str:
    queues = [q for q in policy.related.get("queues", []) if not classic_only or queue_type(q) == "classic"]
    if not queues:
        return "no queue in the files checked matches it"
    names = ", ".join(q.name for q in queues[:limit]) + (
        f" and {len(queues) - limit} more" if len(queues) > limit else ""
    )
    return f"it applies to {len(queues)} queue{'s' if len(queues) != 1 else ''}: {names}"


def mirroring(policy: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ101: A policy with ha-mode (classic mirrored queues), removed in RabbitMQ 4.0."""
    found = [s for key in HA_KEYS if (s := policy.get(key)) is not None]
    if not found:
        return
    keys = ", ".join(s.key for s in found)
    version, _ = versions.of(policy)
    if versions.before(version, (4, 0)):
        now = (
            f"on {versions.said(policy)} it still mirrors, but it is deprecated and 4.0 removed it: after the "
            "upgrade these classic queues have no replica at all"
        )
    else:
        runs = f" (this runs {versions.said(policy)})" if version else ""
        now = f"4.x rejects new policies with it and ignores old ones{runs}, so its classic queues have no replica"
    yield Hit(
        f"{policy.label} {policy.name} sets {keys}: classic queue mirroring was removed in RabbitMQ 4.0 "
        f"(deprecated since 3.9); {now} ({_queues(policy, classic_only=True)}); use quorum queues",
        found[0],
        remove=len(found) == 1 and len(definition_keys(policy)) > 1,  # never leave an empty definition
        related=tuple(
            (q, f"queue {q.name}") for q in policy.related.get("queues", [])[:20] if queue_type(q) == "classic"
        ),
        # an error where 4.x is known to run (it refuses the policy); before 4.0, or unknown, a warning
        severity=None if version and not versions.before(version, (4, 0)) else "warning",
    )


def lazy_mode(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ102: queue-mode lazy or x-queue-mode; a no-op since RabbitMQ 3.12 (info), refused on a quorum queue (error)."""
    key = "queue-mode" if entity.kind == "rabbit.policy" else "x-queue-mode"
    setting = entity.get(key)
    if setting is None:
        return
    if entity.kind == "rabbit.queue" and queue_type(entity) == "quorum":
        effect = "on a quorum queue the declaration fails (PRECONDITION_FAILED: invalid arg 'x-queue-mode')"
    elif versions.before(versions.of(entity)[0], (3, 12)):
        return  # before 3.12 lazy mode still pages a classic queue to disk: a real choice
    else:
        where = f" ({_queues(entity)})" if entity.kind == "rabbit.policy" else ""
        effect = f"it has done nothing since RabbitMQ 3.12, where classic queues always page to disk{where}"
    alone = entity.kind == "rabbit.policy" and len(definition_keys(entity)) == 1
    refused = entity.kind == "rabbit.queue" and queue_type(entity) == "quorum"
    yield Hit(f"{key}={setting.value}: {effect}", setting, remove=not alone, severity=None if refused else "info")


def _source(found: Any) -> str:
    return f" (from {found.source})"


def quorum_delivery_limit(queue: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ103: A quorum queue without a delivery limit; a poison message can be redelivered forever."""
    if queue_type(queue) != "quorum" or unknown(queue):
        return
    limit = effective(queue, "delivery-limit")
    version, _ = versions.of(queue)
    # a limit without a dead-letter exchange deletes the message at the limit (RQ108): no fix until it has one
    dead_letters = effective(queue, "dead-letter-exchange") is not None
    if limit is None and versions.before(version, (4, 0)) is False:
        return  # 4.0 and later: a quorum queue stops at 20 deliveries unless told otherwise
    if limit is None and "in-code" in queue.traits:
        return  # the broker's version and policies are out of sight
    if limit is None:
        runs = (
            f"it runs on {versions.said(queue)}, where"
            if version
            else "the files checked do not say which RabbitMQ version runs it (no image tag, RabbitmqCluster or "
            "rabbitmq_version), so a version before 4.0 is assumed: there"
        )
        yield Hit(
            f"quorum queue {queue.name} has no delivery-limit: {runs} a quorum queue has no limit unless one is set, "
            "so a message that keeps failing is redelivered forever (4.0 and later stop at 20 and dead-letter or "
            "drop it)",
            None,
            ("x-delivery-limit", "20") if dead_letters else None,
        )
    elif (limit.setting.as_int() or 0) < 0:
        yield Hit(
            f"quorum queue {queue.name} has delivery-limit={limit.setting.value}{_source(limit)}: unlimited, so a "
            "poison message is redelivered forever and blocks the consumers behind it",
            limit.setting,
            None
            if not dead_letters
            else ("delivery-limit", "20")
            if limit.setting.key == "delivery-limit"
            else ("x-delivery-limit", "20"),
        )


def _drops_silently(queue: Entity) -> tuple[Any, Any] | None:
    """(bound, overflow) when a full queue would discard its oldest messages without dead-lettering."""
    if queue_type(queue) == "stream" or unknown(queue):
        return None  # a stream's size limit is retention: it has no overflow and no dead-lettering
    bound = effective(queue, "max-length") or effective(queue, "max-length-bytes")
    if bound is None:
        return None
    overflow = effective(queue, "overflow")
    if overflow is not None and overflow.setting.value != "drop-head":
        return None
    if effective(queue, "dead-letter-exchange") is not None:
        return None
    return bound, overflow


def drop_head(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ104: On a queue when its own argument bounds it; on the policy, once, when a policy does."""
    if entity.kind == "rabbit.policy":
        queues = [
            q
            for q in entity.related.get("queues", [])
            if (found := _drops_silently(q)) and _holder(q, found[0].setting) is entity
        ]
        if not queues:
            return
        bound = entity.get("max-length") or entity.get("max-length-bytes")
        if bound is None:
            return
        names = ", ".join(q.name for q in queues[:5]) + (f" and {len(queues) - 5} more" if len(queues) > 5 else "")
        yield Hit(
            f"{entity.label} {entity.name} bounds {len(queues)} queue{'s' if len(queues) != 1 else ''} ({names}) "
            f"with {bound.key}={bound.value}, overflow drop-head and no dead-letter-exchange: when one is full "
            "its oldest messages are discarded without a trace",
            bound,
            ("overflow", "reject-publish"),
            related=tuple((q, f"queue {q.name}") for q in queues[:20]),
        )
        return
    found = _drops_silently(entity)
    if found is None or _holder(entity, found[0].setting) is not entity:  # a policy's: reported there
        return
    bound, overflow = found
    how = f"overflow={overflow.setting.value}{_source(overflow)}" if overflow else "overflow not set (drop-head)"
    yield Hit(
        f"queue {entity.name} is bounded ({bound.setting.key}={bound.setting.value}{_source(bound)}) with {how} and "
        "no dead-letter-exchange: when it is full the oldest messages are discarded without a trace",
        overflow.setting if overflow is not None else bound.setting,
        ("x-overflow", "reject-publish"),
    )


def _holder(queue: Entity, setting: Setting) -> Entity:
    """The queue or the policy whose setting this is: a fix goes next to it."""
    for relation in ("policy", "operator-policy"):
        policy = queue.one(relation)
        if policy is not None and setting in policy.settings.values():
            return policy
    return queue


def transient(queue: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ105: A queue declared non-durable (and not exclusive); it vanishes with a node restart."""
    durable = with_default(queue, "durable")  # pika and aio-pika declare non-durable queues unless told
    if durable is None or durable.as_bool() is not False or queue.environment:
        return
    exclusive = with_default(queue, "exclusive")
    if exclusive is not None and exclusive.as_bool():
        return  # an exclusive queue is meant to live and die with its connection
    if queue_type(queue) == "quorum":
        effect = "a quorum queue must be durable: the declaration fails"
    else:
        effect = (
            "it and its messages are gone when the node restarts; transient non-exclusive queues are deprecated "
            "and denied by default from RabbitMQ 4.3"
        )
    yield Hit(f"queue {queue.name} is not durable{default_note(durable)}: {effect}", durable, ("durable", "true"))


def unbounded(queue: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ106: A queue without TTL or length limit (argument or policy); it grows while consumers are down."""
    if queue_type(queue) == "stream" or queue.environment or unknown(queue) or "in-code" in queue.traits:
        return  # a queue declared in code is usually bounded by a policy on the broker, out of sight
    if any(effective(queue, k) is not None for k in ("message-ttl", "max-length", "max-length-bytes", "expires")):
        return
    if any((s := queue.get(k)) is not None and s.as_bool() for k in ("exclusive", "auto_delete")):
        return  # it goes away with its connection or its last consumer
    yield Hit(
        f"queue {queue.name} has no message-ttl, max-length or max-length-bytes (as arguments or from a policy): "
        "when its consumers stop, it grows until the node hits its memory or disk alarm and blocks every publisher",
        None,
    )


def guest_user(user: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB303: The default guest user is defined in definitions.json."""
    if user.name != "guest":
        return
    yield Hit(
        "the default guest user is defined: its password is the well-known one unless changed, and removing "
        "loopback_users restrictions (common in containers) opens it to the network; create named users instead",
        None,
    )


def bytes_of(text: str | None) -> int | None:
    """A RabbitMQ information unit in bytes; None when not one, or beyond 64 bits (unknown: no rule
    judges it)."""
    return numbers.rabbitmq_bytes(text)


def memory_watermark(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB301: vm_memory_high_watermark set so high that the node can run out of memory before its alarm."""
    if "advanced" in node.traits or "merged" in node.traits:
        return
    relative = node.get("vm_memory_high_watermark.relative")
    maximum = float(options.get("max-relative", 0.8))
    # cuttlefish's float datatype: nan, inf or 1e999 is not an Erlang float (the node does not start);
    # such a value is unknown here, and compared exactly otherwise
    text = relative.value if relative is not None else None
    value = numbers.decimal(text) if numbers.parse_double(text) is not None else None
    if relative is not None and value is not None and value > maximum:
        yield Hit(
            f"vm_memory_high_watermark.relative={relative.value}: publishers are only blocked when RabbitMQ uses "
            f"{value:.0%} of the memory it sees, leaving too little headroom for garbage collection and the OS: "
            "the node can be killed for running out of memory (defaults: 0.4 before 4.0, 0.6 since)",
            relative,
            ("vm_memory_high_watermark.relative", "0.6"),
        )
    absolute = node.get("vm_memory_high_watermark.absolute")
    limit = node.derived.get("memory-limit")
    size = bytes_of(absolute.value if absolute is not None else None)
    if absolute is not None and limit is not None and size is not None and size > limit.value:
        yield Hit(
            f"vm_memory_high_watermark.absolute={absolute.value} is above the container's memory limit "
            f"({limit.how}): the memory alarm can never trigger before the container is killed",
            absolute,
            related=tuple((o, "memory limit") for o in limit.origins),
        )


def disk_free_limit(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB302: disk_free_limit at RabbitMQ's 50 MB default (or below 1 GB); too late to protect the node."""
    if {"advanced", "merged"} & node.traits or node.get("disk_free_limit.relative") is not None:
        return
    absolute: Setting | None = with_default(node, "disk_free_limit.absolute")
    minimum = int(options.get("min-bytes", 1_000_000_000))
    size = bytes_of(absolute.value if absolute is not None else None)
    if absolute is None or size is None or size >= minimum or node.environment:
        return
    note = "" if absolute.explicit else f" (not set: {absolute.default_from})"
    yield Hit(
        f"disk_free_limit.absolute={absolute.value}{note}: the disk alarm fires only when about {size // 10**6} MB "
        "are left, too late to protect a production node that persists messages; it may run out of disk and "
        "stop (set an absolute limit of a few GB, or relative to RAM)",
        absolute if absolute.explicit else None,
        ("disk_free_limit.absolute", "2GB"),
    )


def quorum_cluster_size(queue: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ107: A quorum queue on a RabbitmqCluster of fewer than three nodes or an even number of nodes."""
    cluster = queue.one("cluster")
    nodes = cluster.derived.get("nodes") if cluster is not None else None
    if queue_type(queue) != "quorum" or cluster is None or nodes is None or cluster.environment:
        return
    n = nodes.value
    if n >= 3 and n % 2 == 1:
        return
    if n < 3:
        effect = (
            "with one node there is no replica at all"
            if n == 1
            else "with two nodes a majority is both, so one node down stops the queue"
        )
    else:
        effect = f"an even count tolerates no more failures than {n - 1} nodes would"
    yield Hit(
        f"quorum queue {queue.name} runs on RabbitmqCluster {cluster.name} of {n} node{'s' if n != 1 else ''} "
        f"({nodes.how}): {effect}; use 3 or 5 nodes",
        None,
        related=tuple((o, "cluster size") for o in nodes.origins),
    )


def consumer_timeout_disabled(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB304: The delivery acknowledgement timeout (consumer_timeout) switched off in advanced.config."""
    setting = node.get("consumer_timeout")
    if setting is None or setting.value != "undefined":
        return
    yield Hit(
        "consumer_timeout is undefined: a consumer that never acknowledges (a stuck thread, a forgotten basicAck) "
        "keeps its messages unacknowledged for ever; they are not redelivered to anyone until the connection "
        "closes, and quorum queues cannot truncate their log behind them (the default is 30 minutes)",
        setting,
    )


def guest_open(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB305: loopback_users.guest = false with guest as the default user; guest/guest reachable remotely."""
    if {"advanced", "merged"} & node.traits or node.client != "rabbitmq" or node.environment:
        return
    loopback = node.get("loopback_users.guest") or node.get("loopback_users")
    if loopback is None or (loopback.value or "").lower() not in ("false", "none"):
        return
    user = node.get("default_user")
    if user is not None and (user.value or "") != "guest":
        return
    password = node.get("default_pass")
    if password is not None and user is not None and (password.value or "") != "guest":
        return
    yield Hit(
        f"{loopback.key}={loopback.value} lets the guest user log in from other hosts, and guest is the default "
        "user here (default_user is not set to another name): anyone who reaches the port is an administrator "
        "with the well-known password",
        loopback,
        remove=True,
    )


def client_auto_ack(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RC201: A pika or aio-pika consumer with automatic acknowledgement; in-flight messages are lost on a crash."""
    setting = consumer.get("auto-ack")
    if setting is None or setting.as_bool() is not True:
        return
    written = setting.origin.raw_key if setting.origin is not None else "auto_ack"
    yield Hit(
        f"{written}=True: the broker forgets each message as soon as it is sent, so the messages being handled "
        "and those already prefetched are lost when the process crashes or the handler raises; acknowledge "
        "after processing instead",
        setting,
    )


def client_unlimited_prefetch(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RC202: A pika or aio-pika consumer with manual acknowledgement on a channel without a prefetch limit."""
    qos, here = consumer.attributes.get("qos"), "channel-here" in consumer.traits
    auto = consumer.get("auto-ack")
    if qos not in ("none", "zero") or not here or (auto is not None and auto.as_bool() is not False):
        return  # prefetch set, the channel made elsewhere, or auto-ack (RC201; no prefetch applies)
    how = "basic_qos(prefetch_count=0)" if qos == "zero" else "no basic_qos/set_qos on the channel"
    yield Hit(
        f"this consumer acknowledges manually but its channel has no prefetch limit ({how}): RabbitMQ pushes "
        "it every message of the queue at once, so one consumer holds them all unacknowledged in memory while "
        "the others idle; set a prefetch (RabbitMQ finds 100-300 usually enough, lower for slow handlers)",
        None,
    )


def client_no_confirms(publisher: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RC203: pika publishes on a channel without publisher confirms; lost publishes go unnoticed."""
    if publisher.attributes.get("confirms") != "none":
        return
    count = publisher.counts.get("publishes", 1) or 1
    calls = "basic_publish" if count == 1 else f"{count} basic_publish calls"
    yield Hit(
        f"{calls} on a channel opened in this module that never calls confirm_delivery(): a publish returns "
        "as soon as the bytes are written, so a dropped connection, a node failure or a full queue loses the "
        "message without an error; enable publisher confirms",
        None,
    )


def rejected_without_dead_letter(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RC206 (Python), RL303 (Java): A message rejected without requeue from a queue that has no dead-letter
    exchange; it is dropped."""
    how = handler.attributes.get("reject-call")
    queues = handler.related.get("queues", [])
    if how is None or not queues:
        return  # the queue is not declared in the files read: whether it dead-letters is unknown
    for queue in queues:
        if unknown(queue) or {"arguments-unknown", "templated"} & queue.traits or queue_type(queue) == "stream":
            return
        if effective(queue, "dead-letter-exchange") is not None:
            return
    if any("templated" in p.traits or p.get("dead-letter-exchange") for p in handler.related.get("policy", [])):
        return  # a policy in the tree may give the queue its dead-letter exchange
    name = queues[0].name
    places = ", ".join(f"{q.path}:{q.anchor.line}" for q in queues[:3])
    yield Hit(
        f"{how} drops the message: queue {name} (declared at {places}) has no dead-letter-exchange, neither in its "
        "arguments nor in a policy read, so RabbitMQ discards a rejected message without a trace; give the queue "
        "a dead-letter exchange (the x-dead-letter-exchange argument, or a policy's dead-letter-exchange) so that "
        "rejected messages are kept where they can be inspected and replayed",
        None,
        related=tuple((q, f"queue {q.name}") for q in queues[:5]),
    )


_DAY_MS = 86_400_000


def consumer_timeout_long(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB306: consumer_timeout raised to a day or more; a stuck consumer holds its messages that long."""
    setting = node.get("consumer_timeout")
    ms = setting.as_int() if setting is not None else None
    if setting is None or ms is None or ms < _DAY_MS:
        return
    yield Hit(
        f"consumer_timeout={ms} ({ms / 3_600_000:g} hours): a consumer that stops acknowledging (a deadlock, a "
        "lost acknowledgement, a listener waiting on a dead dependency) keeps its unacknowledged messages from "
        "every other consumer that long before RabbitMQ closes its channel and redelivers them, and a quorum "
        "queue cannot truncate its log behind them meanwhile; keep the broker-wide timeout near the default "
        "30 minutes and raise it only for the queues of long jobs (the consumer-timeout policy key or the "
        "x-consumer-timeout queue argument)",
        setting,
    )


_SAFE_PARTITION_HANDLING = ("pause_minority", "autoheal", "pause_if_all_down")


def _cluster_formation(node: Entity) -> str | None:
    """How a node's rabbitmq.conf forms a cluster of several nodes, or None when it does not say so."""
    seeds = [k for k in node.settings if k.startswith("cluster_formation.classic_config.nodes.")]
    if len(seeds) >= 2:
        return f"cluster_formation.classic_config lists {len(seeds)} nodes"
    backend = node.get("cluster_formation.peer_discovery_backend")
    value = (backend.value or "") if backend is not None else ""
    if value and "classic" not in value:
        return f"cluster_formation.peer_discovery_backend = {value}"
    return None


def partition_handling(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB307: A RabbitMQ cluster (before 4.3) left on cluster_partition_handling ignore."""
    if {"advanced", "merged"} & node.traits or node.client not in ("rabbitmq", "rabbitmq-helm") or node.environment:
        return  # the Cluster Operator writes pause_minority into the configuration it generates
    formation = _cluster_formation(node)
    if node.client == "rabbitmq-helm":
        nodes = node.derived.get("nodes")
        if nodes is None or nodes.value < 2 or node.get("cluster_partition_handling") is None:
            return  # one node, or the Bitnami chart's own autoheal
        formation = f"{nodes.how}, joined by the chart's Kubernetes peer discovery"
    if formation is None:
        return
    version, _ = versions.of(node)
    if version is not None and (not versions.before(version, (4, 3)) or version == versions.CURRENT):
        return  # Khepri only: 4.3 removed partition handling strategies (a bare `4` is the current line)
    setting = node.get("cluster_partition_handling")
    value = (setting.value or "").split(".")[0] if setting is not None else ""
    if value in _SAFE_PARTITION_HANDLING or (setting is not None and not value):
        return
    how = f"cluster_partition_handling = {value}" if setting is not None else "cluster_partition_handling not set"
    runs = versions.said(node) if version else "a version before 4.3 (assumed: the files checked do not say)"
    yield Hit(
        f"{how}{' (its default, ignore)' if setting is None else ''} on a cluster of several nodes ({formation}), "
        f"running {runs}: after a network partition both sides keep accepting writes to classic queues, exchanges "
        "and bindings, and when the partition heals one side's changes and messages are thrown away; use "
        "pause_minority (three nodes or more) or autoheal",
        setting,
        ("cluster_partition_handling", "pause_minority"),
    )


def quorum_limit_drops(queue: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ108: A quorum queue with a delivery limit and no dead-letter exchange; a message past the limit is dropped."""
    if queue_type(queue) != "quorum" or unknown(queue) or {"arguments-unknown", "templated"} & queue.traits:
        return
    if effective(queue, "dead-letter-exchange") is not None:
        return
    limit = effective(queue, "delivery-limit")
    version, source = versions.of(queue)
    if limit is None:
        if version is None or "assumed" in source or versions.before(version, (4, 0)) is not False:
            return  # no limit before 4.0 (RQ103's finding), or a version the files do not give
        how = f"the default delivery limit of 20 on {versions.said(queue)}"
    elif (limit.setting.as_int() or -1) < 0:
        return  # unlimited: RQ103's finding
    else:
        how = f"delivery-limit={limit.setting.value}{_source(limit)}"
    yield Hit(
        f"quorum queue {queue.name} has {how} and no dead-letter-exchange: a message returned or rejected with "
        "requeue that many times (a listener that keeps failing on it, a consumer that crashes while holding it) "
        "is then deleted without a trace; give the queue a dead-letter exchange (x-dead-letter-exchange, or a "
        "policy's dead-letter-exchange) so those messages are kept",
        limit.setting if limit is not None else None,
        ("x-dead-letter-exchange", "dlx"),
    )


def single_node_cluster(node: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RB308: A RabbitmqCluster with spec.replicas unset: the Cluster Operator runs one node."""
    if node.client != "rabbitmq-operator" or node.environment:
        return
    nodes = node.derived.get("nodes")
    if nodes is None or nodes.origins:
        return  # replicas written (one node is then a choice), or not known
    yield Hit(
        f"RabbitmqCluster {node.name} does not set spec.replicas, so the Cluster Operator runs a single node: every "
        "restart, upgrade or node failure stops the broker for all its clients, and its queues have no replica "
        "(a quorum queue on one node is as durable as its one disk); set spec.replicas: 3 (an odd number) for "
        "anything but development",
        None,
    )


def classic_on_cluster(queue: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RQ109: A durable classic queue on a RabbitmqCluster of three nodes or more: one node holds it, unreplicated."""
    cluster = queue.one("cluster")
    nodes = cluster.derived.get("nodes") if cluster is not None else None
    if cluster is None or nodes is None or nodes.value < 3 or cluster.environment or unknown(queue):
        return
    if queue_type(queue) != "classic" or "arguments-unknown" in queue.traits:
        return
    flags = [queue.get(flag) for flag in ("exclusive", "auto_delete")]
    if any(flag is not None and flag.as_bool() for flag in flags):
        return  # a queue of one connection or one consumer: replication means nothing to it
    durable = queue.get("durable")
    if durable is not None and durable.as_bool() is False:
        return  # RQ105's finding
    if effective(queue, "ha-mode") is not None:
        return  # mirrored (RQ101's finding)
    yield Hit(
        f"classic queue {queue.name} runs on RabbitmqCluster {cluster.name} of {nodes.value} nodes ({nodes.how}), yet "
        "lives on one of them with no replica: while that node is down the queue is unavailable, and losing its "
        "disk loses its messages; declare it as a quorum queue (x-queue-type: quorum), replicated across the "
        "cluster",
        None,
        related=tuple((o, "cluster size") for o in nodes.origins),
    )
