"""Kafka client configuration keys: which client reads them and how a value is normalized."""

from __future__ import annotations

import re

from msglint import numbers

# Keys only a producer reads (Java client ProducerConfig); enough to tell a producer file by its keys.
PRODUCER_KEYS = frozenset(
    {
        "acks",
        "batch.size",
        "buffer.memory",
        "compression.type",
        "compression.gzip.level",
        "compression.lz4.level",
        "compression.zstd.level",
        "delivery.timeout.ms",
        "enable.idempotence",
        "key.serializer",
        "value.serializer",
        "linger.ms",
        "max.block.ms",
        "max.in.flight.requests.per.connection",
        "max.request.size",
        "partitioner.class",
        "partitioner.ignore.keys",
        "partitioner.adaptive.partitioning.enable",
        "retries",
        "transactional.id",
        "transaction.timeout.ms",
    }
)

# Keys only a consumer reads (Java client ConsumerConfig).
CONSUMER_KEYS = frozenset(
    {
        "group.id",
        "group.instance.id",
        "group.protocol",
        "group.remote.assignor",
        "enable.auto.commit",
        "auto.commit.interval.ms",
        "auto.offset.reset",
        "key.deserializer",
        "value.deserializer",
        "session.timeout.ms",
        "heartbeat.interval.ms",
        "max.poll.interval.ms",
        "max.poll.records",
        "isolation.level",
        "fetch.min.bytes",
        "fetch.max.bytes",
        "fetch.max.wait.ms",
        "max.partition.fetch.bytes",
        "partition.assignment.strategy",
        "allow.auto.create.topics",
        "check.crcs",
        "exclude.internal.topics",
        "default.api.timeout.ms",
    }
)

# Keys that only a broker (server.properties) has; a file with them is not client configuration.
BROKER_KEYS = frozenset(
    {
        "broker.id",
        "node.id",
        "process.roles",
        "log.dirs",
        "log.dir",
        "zookeeper.connect",
        "controller.quorum.voters",
        "controller.quorum.bootstrap.servers",
        "num.partitions",
        "default.replication.factor",
        "offsets.topic.replication.factor",
        "log.retention.hours",
        "num.network.threads",
    }
)

BOOLEAN_KEYS = frozenset({"enable.idempotence", "enable.auto.commit", "allow.auto.create.topics", "check.crcs"})

# group.protocol is validated case-insensitively; booleans parse with equalsIgnoreCase. Other enum
# values keep their case, so that a value the client rejects stays visible.
_LOWER_KEYS = frozenset({"group.protocol"})

# What the Java client accepts (ConfigDef validators); None: any value of the type.
ENUMS: dict[str, tuple[str, ...]] = {
    "acks": ("all", "-1", "0", "1"),
    "auto.offset.reset": ("latest", "earliest", "none"),  # 4.x adds by_duration:<ISO-8601>
    "isolation.level": ("read_committed", "read_uncommitted"),
    "compression.type": ("none", "gzip", "snappy", "lz4", "zstd"),
    "group.protocol": ("classic", "consumer"),
}
# The Java client's numeric keys by ConfigDef type, from apache/kafka trunk: ProducerConfig.java
# (commit 0106e705) and ConsumerConfig.java (0025adef). ConfigDef.parseType reads a String with
# Integer.parseInt (INT) or Long.parseLong (LONG), so a value outside the type's range is refused at
# start-up like any other non-number: ConfigException "Not a number of type INT".
JAVA_INT = numbers.INT32_KEYS  # the table lives with the model's number parsing, which needs it
JAVA_LONG = frozenset(
    {
        # ProducerConfig
        "linger.ms",
        "buffer.memory",
        "max.block.ms",
        "partitioner.availability.timeout.ms",
        "metadata.max.idle.ms",
        # both
        "metadata.max.age.ms",
        "retry.backoff.ms",
        "retry.backoff.max.ms",
        "reconnect.backoff.ms",
        "reconnect.backoff.max.ms",
        "metrics.sample.window.ms",
        "socket.connection.setup.timeout.ms",
        "socket.connection.setup.timeout.max.ms",
        "connections.max.idle.ms",
    }
)
NUMBERS = JAVA_INT | JAVA_LONG


value_bits = numbers.value_bits


SECRET_MARKERS = (
    "password",
    "passwd",
    "secret",
    "jaas",
    "token",
    "credential",
    "apikey",
    "api.key",
    "api-key",
    "private",
    "user.info",  # Schema Registry basic.auth.user.info = user:password
    "userinfo",
)


_PASS = re.compile(r"(^|[._-])pass($|[._-])")


def is_secret_key(key: str) -> bool:
    """Keys whose values must never be shown: passwords, JAAS configs, tokens, keys."""
    k = key.lower()
    if any(marker in k for marker in SECRET_MARKERS) or _PASS.search(k):  # rabbitmq.conf: default_pass
        return True
    return k.endswith((".key", "-key", "_key")) and "serializer" not in k


# Placeholders a template engine fills in before the client reads the file: ${x} (Spring, shell,
# Maven), {{ x }} and {% %} (Jinja, Go), {x} (Python str.format, whole value), @x@ (Maven/Gradle
# resource filtering, whole value).
_PLACEHOLDER = re.compile(r"\$\{|\{\{|\{%|^\{[A-Za-z_][\w.-]*\}$|^@[A-Za-z_][\w.-]*@$")


def is_placeholder(text: str) -> bool:
    """A value (or a whole template line) that is not known until a template is rendered."""
    return _PLACEHOLDER.search(text.strip()) is not None


def normalize(key: str, raw: str) -> str | None:
    """The canonical text of a raw Kafka value, or None when it cannot be known statically."""
    value = raw.strip()
    if is_placeholder(value):
        return None  # a placeholder resolved at run time: say nothing about it
    if key in _LOWER_KEYS or key in BOOLEAN_KEYS:
        value = value.lower()
    if key == "acks" and value == "-1":
        return "all"
    return value


# librdkafka (confluent-kafka) accepts two names for these properties; msglint's key is the Java
# client's name where there is one. Every "Alias for" entry of librdkafka's CONFIGURATION.md
# (global and topic tables; rdkafka_conf.c, the `_RK_C_ALIAS` properties): written name -> key.
# `batch.num.messages`, `queue.buffering.max.messages`/`.kbytes`, `retry.backoff.ms` and
# `topic.metadata.refresh.interval.ms` are properties of their own, not aliases. The topic-level
# `auto.commit.enable` (alias `enable.auto.commit`) and `auto.commit.interval.ms` of the legacy
# simple consumer only matter inside a topic configuration; confluent-kafka merges
# `default.topic.config` into the global dict, where the global properties of the same name apply.
LIBRDKAFKA_ALIASES = {
    "metadata.broker.list": "bootstrap.servers",
    "max.in.flight": "max.in.flight.requests.per.connection",
    "sasl.mechanisms": "sasl.mechanism",
    "fetch.message.max.bytes": "max.partition.fetch.bytes",
    "queue.buffering.max.ms": "linger.ms",
    "message.send.max.retries": "retries",
    "compression.codec": "compression.type",
    "request.required.acks": "acks",
    "message.timeout.ms": "delivery.timeout.ms",
    "sasl.oauthbearer.client.credentials.client.id": "sasl.oauthbearer.client.id",
    "sasl.oauthbearer.client.credentials.client.secret": "sasl.oauthbearer.client.secret",
}
