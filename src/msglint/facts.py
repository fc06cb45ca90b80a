"""What an entity may say about itself: its kinds, relations and facts, declared once.

Extractors write facts, checks read them; this table is the contract between the two. The engine
checks every entity against it once the model is built (``problems``), so a fact nobody declared,
or one written in the wrong shape, is an internal error in the tests rather than a silent miss in
a check. CONTRIBUTING.md's glossary explains the same names for readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, cast, get_args

if TYPE_CHECKING:
    from msglint.model import Entity

Kind = Literal[
    "kafka.producer",
    "kafka.consumer",
    "kafka.listener",
    "kafka.cluster",
    "kafka.nodepool",
    "kafka.topic",
    "kafka.connect",
    "kafka.connector",
    "rabbit.broker",
    "rabbit.queue",
    "rabbit.policy",
    "rabbit.user",
    "rabbit.image",
    "rabbit.consumer",
    "rabbit.publisher",
    "stream.binding",
    "nats.server",
    "nats.stream",
    "nats.consumer",
    "redis.server",
    "redis.client",
    "redis.consumer",
    "redis.producer",
    "redis.group",
    "k8s.workload",
    "k8s.hpa",
    "code.listener",
    "code.handler",
    "code.config",
    "code.app",
    "code.recovery",
    "code.error-handler",
    "code.build",
]

Relation = Literal[
    "cluster",
    "nodepools",
    "topics",
    "producers",
    "consumers",
    "producer",
    "consumer",
    "listener",
    "listeners",
    "workloads",
    "hpa",
    "policy",
    "operator-policy",
    "queues",
    "stream",
    "streams",
    "servers",
    "groups",
    "stream-binding",  # a Kafka binder client -> the Spring Cloud Stream binding it serves
]

KINDS: frozenset[str] = frozenset(get_args(Kind))
RELATIONS: frozenset[str] = frozenset(get_args(Relation))


def kind(name: str) -> Kind:
    """A kind named in data or built from parts (``f"kafka.{side}"``), checked here rather than trusted."""
    if name not in KINDS:
        raise ValueError(f"unknown entity kind {name!r}")
    return cast(Kind, name)


def relation(name: str) -> Relation:
    if name not in RELATIONS:
        raise ValueError(f"unknown relation {name!r}")
    return cast(Relation, name)


Shape = Literal["text", "list", "count", "trait", "place"]


@dataclass(frozen=True)
class Fact:
    """One declared fact: which kinds carry it, and in which store of the entity (its shape): ``text``
    in ``attributes``, ``list`` in ``lists``, ``count`` in ``counts``, ``trait`` in ``traits``,
    ``place`` (a Span in the entity's file) in ``places``."""

    shape: Shape
    kinds: tuple[Kind, ...]


_KAFKA_CLIENTS: tuple[Kind, ...] = ("kafka.producer", "kafka.consumer", "kafka.listener")
_STRIMZI: tuple[Kind, ...] = (
    "kafka.cluster",
    "kafka.nodepool",
    "kafka.topic",
    "kafka.connect",
    "kafka.connector",
    *_KAFKA_CLIENTS,
)
_JAVA_PLACED: tuple[Kind, ...] = (
    "code.listener",
    "code.config",
    "code.recovery",
    "code.error-handler",
    "kafka.listener",
    "rabbit.consumer",
)
_REDIS_CODE: tuple[Kind, ...] = ("redis.consumer", "redis.producer", "redis.group")
_RABBIT_DEFINED: tuple[Kind, ...] = ("rabbit.queue", "rabbit.policy", "rabbit.user")
_VERSIONED: tuple[Kind, ...] = ("rabbit.broker", "rabbit.image", "rabbit.queue", "rabbit.policy")


def _text(*kinds: Kind) -> Fact:
    return Fact("text", kinds)


FACTS: dict[str, Fact] = {
    # where a Java class sits: its build module and source set (placement in extract/places.py)
    "module": _text(*_JAVA_PLACED, "code.app"),
    "source-set": _text(*_JAVA_PLACED),
    "class": _text(*_JAVA_PLACED),
    "package": _text("code.config"),
    "extends": _text("code.config"),
    "roles": Fact("list", ("code.config",)),  # boot-app, configuration, scan, test, test-configuration
    "loads": Fact("list", ("code.config",)),  # the classes a test's @SpringBootTest/@ContextConfiguration loads
    "imports": Fact("list", ("code.config",)),  # @Import(...) classes
    "loads-unknown": Fact("trait", ("code.config",)),
    # a @KafkaListener / @RabbitListener method
    "framework": _text("code.listener"),  # kafka | rabbit
    "method": _text("code.listener"),
    "classes": Fact("list", ("code.listener",)),  # the classes enclosing the method, outermost first
    "ack-parameter": _text("code.listener"),
    "acknowledges": _text("code.listener"),  # may (its Acknowledgment is used) | never | on completion
    "factory": _text("code.listener"),
    "ack-mode": _text("code.listener"),
    "ack-mode-from": _text("code.listener"),
    "ack-mode-annotation": _text("code.listener"),
    "error-handler": _text("code.listener", "code.app"),
    "async": Fact("trait", ("code.listener",)),
    "non-null-ack": Fact("trait", ("code.listener",)),
    "handles-failure": Fact("trait", ("code.listener",)),  # catches, or throws a no-requeue exception
    "boot-listener-defaults": Fact("trait", ("code.listener",)),  # Boot's factory, no listener setting written
    "dead-letters-itself": Fact("trait", ("code.listener",)),
    # a Spring Kafka application: its listeners and how failed records leave
    "dead-letter": _text("code.app"),
    "listeners": Fact("count", ("code.app",)),
    "recovery": _text("code.recovery"),
    "outcome": _text("code.error-handler"),  # retries for ever | skips | stops
    # handler patterns in code (effects, flows, back-offs)
    "ack-how": _text("code.handler"),
    "retry-delay": _text("code.handler"),
    "requeue": _text("code.handler"),
    "write-call": _text("code.handler"),
    "send-call": _text("code.handler"),
    "unguarded-write": _text("code.handler"),
    "handler": _text("code.handler"),
    "looked-for": _text("code.handler"),
    "unacked-callback": _text("code.handler"),  # a callback consumed with manual acks that never acks
    "consume-call": _text("code.handler"),  # basic_consume (pika) or consume (aio-pika)
    "back-off": _text("code.handler"),  # fixed | unlimited
    "back-off-call": _text("code.handler"),
    "attempts": _text("code.handler"),
    "transactional": Fact("trait", ("code.handler",)),
    "ack-at": Fact("place", ("code.handler",)),
    "dual-write": Fact("place", ("code.handler",)),
    "handler-at": Fact("place", ("code.handler",)),
    "rejects-from": _text("code.handler"),  # the queue a rejection without requeue drops its message from
    "reject-call": _text("code.handler"),
    "unacked-fetch": _text("code.handler"),  # a nats-py pull subscription whose fetched messages are never acked
    "subscribe-at": Fact("place", ("code.handler",)),
    "finally-ack": _text("code.handler"),  # Java: an acknowledgement written in a finally block
    "early-commit": _text("code.handler"),  # Java: a consumer commit before the records are processed
    "processed-at": Fact("place", ("kafka.consumer", "code.handler")),
    "unchecked-send": _text("code.handler"),  # Java: a Kafka send whose result is thrown away
    "rabbit-send": _text("code.handler"),  # Java: a RabbitTemplate send
    "spring-files": _text("code.handler"),
    "sends": Fact("count", ("code.handler",)),
    "confirms-in-file": Fact("trait", ("code.handler",)),
    "unconfirmed": Fact("trait", ("code.handler",)),  # the first send of a Boot module that never confirms
    "sender": _text("code.handler"),  # producer | template
    "try-at": Fact("place", ("code.handler",)),
    # clients and containers built in code
    "binding": _text("kafka.producer", "kafka.consumer", "kafka.listener", "rabbit.consumer"),
    "bean": _text("kafka.listener", "rabbit.consumer"),
    "container": _text("kafka.listener", "rabbit.consumer", "rabbit.publisher"),
    "container-properties": _text("kafka.listener", "rabbit.consumer"),
    "advice-chain": Fact("trait", ("rabbit.consumer",)),
    "served-by": Fact("list", ("kafka.producer",)),  # poll, flush: what serves a producer's delivery reports
    "produce-at": Fact("place", ("kafka.producer",)),
    "handoff-call": _text("kafka.consumer"),
    "handoff-at": Fact("place", ("kafka.consumer",)),
    "commit-at": Fact("place", ("kafka.consumer",)),
    "role-from": _text("kafka.consumer"),
    "scst-named-group": Fact("trait", ("kafka.consumer",)),
    "never-commits": Fact("trait", ("kafka.consumer",)),  # Python: used in its module, never committed there
    "kafka-streams": Fact("trait", _KAFKA_CLIENTS),
    # the version of the client's library, from the build files beside it (link/builds.py)
    "client-version": _text(*_KAFKA_CLIENTS, "stream.binding"),
    "client-version-from": _text(*_KAFKA_CLIENTS, "stream.binding"),
    "workload-link": _text("kafka.producer", "kafka.consumer", "redis.consumer"),
    "templated": Fact("trait", (*_STRIMZI, "rabbit.queue", "rabbit.policy", "rabbit.consumer", "rabbit.broker")),
    # Kafka Connect connectors
    "connector-class": _text("kafka.connector"),
    # Strimzi and Kafka brokers
    "brokers-from": _text("kafka.cluster"),
    "controller-only": Fact("trait", ("kafka.cluster",)),
    "kraft": Fact("trait", ("kafka.cluster",)),
    "zookeeper": Fact("trait", ("kafka.cluster",)),
    "node-pools": Fact("trait", ("kafka.cluster",)),
    "ambiguous-cluster": Fact("list", ("kafka.topic", "kafka.nodepool")),
    "resource": _text("kafka.topic"),  # a KafkaTopic's metadata.name  # the Kafka files it could belong to
    # RabbitMQ
    "vhost": _text("rabbit.queue", "rabbit.policy"),
    "broker": _text(*_RABBIT_DEFINED),
    "definitions-version": _text("rabbit.queue", "rabbit.policy"),
    "default-apply-to": _text("rabbit.policy"),  # a topology Policy applies to queues unless it says
    "default-queue-type": _text("rabbit.queue"),
    "rabbitmq-version": _text(*_VERSIONED),
    "rabbitmq-version-from": _text(*_VERSIONED),
    "tags": _text("rabbit.user"),
    "files": Fact("list", ("rabbit.broker",)),  # the rabbitmq.conf files merged into one node
    "advanced": Fact("trait", ("rabbit.broker",)),
    "merged": Fact("trait", ("rabbit.broker",)),
    "operator": Fact("trait", ("rabbit.policy",)),
    "immutable": Fact("trait", ("rabbit.queue",)),
    "arguments-unknown": Fact("trait", ("rabbit.queue",)),
    "in-code": Fact(
        "trait", ("rabbit.queue", "rabbit.consumer", "rabbit.publisher", "nats.stream", "nats.consumer", *_REDIS_CODE)
    ),
    "qos": _text("rabbit.consumer"),  # none | set | zero
    "call": _text("rabbit.consumer"),
    "channel-here": Fact("trait", ("rabbit.consumer",)),
    "confirms": _text("rabbit.publisher"),
    "publishes": Fact("count", ("rabbit.publisher",)),
    # Spring Cloud Stream bindings
    "direction": _text("stream.binding"),  # consumer | producer
    "binder": _text("stream.binding"),  # kafka | rabbit | unknown
    # NATS
    "jetstream": Fact("trait", ("nats.server",)),
    "includes": Fact("trait", ("nats.server", "redis.server")),
    # Redis Streams (redis/calls.py, link/redis.py)
    "ops": Fact("list", ("redis.client",)),  # what one file does to streams: ack, claim, add:KEY, ...
    "app-ops": Fact("list", _REDIS_CODE),  # the same, over the application the entity belongs to
    "stream": _text(*_REDIS_CODE),
    "stream-text": _text(*_REDIS_CODE),
    "group": _text(*_REDIS_CODE),
    "read-ids": Fact("list", ("redis.consumer",)),
    "consumer-name": _text("redis.consumer"),
    "consumer-text": _text("redis.consumer"),
    "storage": _text("redis.server"),  # persistent | ephemeral (an operator's pods)
    "used-by": Fact("list", ("redis.server",)),  # the applications whose streams live there
    # Kubernetes
    "kind": _text("k8s.workload"),
    "containers": Fact("list", ("k8s.workload",)),
    "target": _text("k8s.hpa"),
}

# facts named with a variable part: the Java type a Map<String, Object> hands the client for a key
# ("object-type:acks"), and a Strimzi resource's API version ("api:v1beta2")
PREFIXED: dict[str, Fact] = {
    "object-type:": _text("kafka.producer", "kafka.consumer"),
    "api:": Fact("trait", _STRIMZI),
}


def declared(name: str) -> Fact | None:
    if name in FACTS:
        return FACTS[name]
    return next((fact for prefix, fact in PREFIXED.items() if name.startswith(prefix)), None)


def problems(entity: Entity) -> list[str]:
    """What the entity says that the table does not allow: an unknown kind or relation, a fact not
    declared, declared in another shape, or not for this kind."""
    out = [] if entity.kind in KINDS else [f"unknown entity kind {entity.kind!r}"]
    out += [f"unknown relation {r!r}" for r in entity.related if r not in RELATIONS]
    stores: dict[Shape, tuple[object, type]] = {
        "text": (entity.attributes, str),
        "list": (entity.lists, tuple),
        "count": (entity.counts, int),
        "trait": (entity.traits, object),
        "place": (entity.places, object),
    }
    for shape, (store, kind_of_value) in stores.items():
        for name in store:  # type: ignore[attr-defined]
            fact = declared(name)
            if fact is None:
                out.append(f"undeclared {shape} fact {name!r}")
            elif fact.shape != shape:
                out.append(f"fact {name!r} is a {fact.shape}, written as a {shape}")
            elif entity.kind not in fact.kinds:
                out.append(f"fact {name!r} is not declared for {entity.kind}")
            elif isinstance(store, dict) and not isinstance(store[name], kind_of_value):
                out.append(f"fact {name!r} holds {type(store[name]).__name__}, not {kind_of_value.__name__}")
    return out
