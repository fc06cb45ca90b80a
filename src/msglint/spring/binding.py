"""Spring Boot's ``spring.kafka.*`` properties: relaxed names, the Kafka key each one is written to,
and how its value converts (Spring Boot 3.x ``KafkaProperties``; Boot 4 keeps the names).
"""

from __future__ import annotations

import functools
import re
from decimal import ROUND_DOWN

from msglint import numbers

# kind of value conversion Boot applies before handing the value to the Kafka client
RAW, DURATION, DATASIZE, ENUM, BOOLEAN, LIST = "raw", "duration", "datasize", "enum", "boolean", "list"

# typed property (kebab) -> (Kafka key or None when it is container/Boot-only, conversion)
COMMON: dict[str, tuple[str | None, str]] = {
    "bootstrap-servers": ("bootstrap.servers", LIST),
    "client-id": ("client.id", RAW),
}

PRODUCER: dict[str, tuple[str | None, str]] = {
    **COMMON,
    "acks": ("acks", RAW),
    "batch-size": ("batch.size", DATASIZE),
    "buffer-memory": ("buffer.memory", DATASIZE),
    "compression-type": ("compression.type", RAW),
    "key-serializer": ("key.serializer", RAW),
    "value-serializer": ("value.serializer", RAW),
    "retries": ("retries", RAW),
    "transaction-id-prefix": ("transactional.id", RAW),  # the prefix of each producer's transactional.id
}

CONSUMER: dict[str, tuple[str | None, str]] = {
    **COMMON,
    "auto-commit-interval": ("auto.commit.interval.ms", DURATION),
    "auto-offset-reset": ("auto.offset.reset", RAW),
    "enable-auto-commit": ("enable.auto.commit", BOOLEAN),
    "fetch-max-wait": ("fetch.max.wait.ms", DURATION),
    "fetch-min-size": ("fetch.min.bytes", DATASIZE),
    "group-id": ("group.id", RAW),
    "heartbeat-interval": ("heartbeat.interval.ms", DURATION),
    "isolation-level": ("isolation.level", ENUM),
    "key-deserializer": ("key.deserializer", RAW),
    "value-deserializer": ("value.deserializer", RAW),
    "max-poll-records": ("max.poll.records", RAW),
    "max-poll-interval": ("max.poll.interval.ms", DURATION),  # Boot 3.5+
}

# spring.kafka.listener.*: container settings, kept under their Boot names
LISTENER: dict[str, tuple[str | None, str]] = {
    name: (name, kind)
    for name, kind in {
        "type": ENUM,
        "ack-mode": ENUM,
        "async-acks": BOOLEAN,
        "client-id": RAW,
        "concurrency": RAW,
        "poll-timeout": DURATION,
        "no-poll-threshold": RAW,
        "ack-count": RAW,
        "ack-time": DURATION,
        "idle-between-polls": DURATION,
        "idle-event-interval": DURATION,
        "idle-partition-event-interval": DURATION,
        "monitor-interval": RAW,  # @DurationUnit(SECONDS): not milliseconds
        "log-container-config": BOOLEAN,
        "missing-topics-fatal": BOOLEAN,
        "immediate-stop": BOOLEAN,
        "auto-startup": BOOLEAN,
        "change-consumer-thread-name": BOOLEAN,
        "observation-enabled": BOOLEAN,
        "auth-exception-retry-interval": DURATION,
    }.items()
}

# Nested groups that hold their own keys (not checked for unknown names).
NESTED = frozenset({"ssl", "security", "properties"})

CLIENT_TABLES = {"producer": PRODUCER, "consumer": CONSUMER, "listener": LISTENER}

# Kafka key -> typed Boot property, to write a fix the way a Boot user would.
TYPED_FOR_KEY: dict[str, dict[str, tuple[str, str]]] = {
    client: {kafka_key: (prop, kind) for prop, (kafka_key, kind) in table.items() if kafka_key}
    for client, table in CLIENT_TABLES.items()
}


@functools.lru_cache(maxsize=4096)
def canonical(segment: str) -> str:
    """Boot's relaxed form of one name segment: ``enableAutoCommit``, ``enable_auto_commit`` and
    ``ENABLE-AUTO-COMMIT`` are all ``enableautocommit``."""
    return re.sub(r"[-_]", "", segment).lower()


_RELAXED = {client: {canonical(p): p for p in table} for client, table in CLIENT_TABLES.items()}


def typed_property(client: str, segment: str) -> str | None:
    """The kebab-case typed property ``segment`` binds to under ``spring.kafka.<client>``."""
    return _RELAXED[client].get(canonical(segment))


_DURATION = re.compile(r"^\s*(-?[0-9]+)\s*(ns|us|ms|s|m|h|d)?\s*$", re.IGNORECASE)
_UNIT_NS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9, "d": 86400 * 10**9}
_ISO = re.compile(r"^\s*P(?:([0-9]+)D)?(?:T(?:([0-9]+)H)?(?:([0-9]+)M)?([0-9]+(?:\.[0-9]+)?S)?)?\s*$", re.IGNORECASE)
_DATASIZE = re.compile(r"^\s*([0-9]+)\s*(B|KB|MB|GB|TB)?\s*$", re.IGNORECASE)
_SIZE = {"b": 1, "kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}


def duration_ms(raw: str) -> int | None:
    """Boot's Duration conversion with milliseconds as the unit of a bare number, exact: amounts
    are Long.parseLong'd and Duration.toMillis() truncates toward zero; None where Boot cannot bind
    the value (an amount or a result beyond a long)."""
    m = _DURATION.match(raw)
    if m:
        amount = numbers.parse_int(m.group(1))
        if amount is None:
            return None
        ns = amount * _UNIT_NS[(m.group(2) or "ms").lower()]
        ms = abs(ns) // 10**6 * (-1 if ns < 0 else 1)
        return ms if numbers.in_range(ms) else None
    m = _ISO.match(raw)
    if m and any(m.groups()):
        d, h, mi = (numbers.parse_int(g or "0") for g in m.groups()[:3])
        seconds_ms = numbers.scaled((m.group(4) or "0S")[:-1], 1000, rounding=ROUND_DOWN)
        if d is None or h is None or mi is None or seconds_ms is None:
            return None
        ms = ((d * 24 + h) * 60 + mi) * 60_000 + seconds_ms
        return ms if numbers.in_range(ms) else None
    return None


def datasize_bytes(raw: str) -> int | None:
    """Boot's DataSize conversion, exact; None beyond a long (Math.multiplyExact overflows)."""
    m = _DATASIZE.match(raw)
    amount = numbers.parse_int(m.group(1)) if m else None
    if m is None or amount is None:
        return None
    size = amount * _SIZE[(m.group(2) or "b").lower()]
    return size if numbers.in_range(size) else None


# Enum constants Boot binds, in the lower-case underscore form the Kafka client and our rules use.
_ENUM_CONSTANTS = {
    re.sub(r"_", "", name): name
    for name in (
        "read_committed",
        "read_uncommitted",
        "record",
        "batch",
        "time",
        "count",
        "count_time",
        "manual",
        "manual_immediate",
        "single",
    )
}


def convert(kind: str, raw: str) -> str | None:
    """The value Boot hands to Kafka for a typed property, as canonical text; None if unknowable."""
    value = raw.strip()
    if "${" in value:
        return None
    if kind == DURATION:
        ms = duration_ms(value)
        return None if ms is None else str(ms)
    if kind == DATASIZE:
        size = datasize_bytes(value)
        return None if size is None else str(size)
    if kind == BOOLEAN:
        # Spring's String-to-Boolean conversion
        low = value.lower()
        if low in ("true", "on", "yes", "1"):
            return "true"
        if low in ("false", "off", "no", "0"):
            return "false"
        return None
    if kind == ENUM:
        # Boot binds enums leniently: letters and digits only, case-insensitive
        letters = re.sub(r"[^a-z0-9]", "", value.lower())
        return _ENUM_CONSTANTS.get(letters, letters)
    return value


def render_value(kind: str, value: str) -> str:
    """A canonical value written back as a Boot user would write it for this property."""
    ms = numbers.parse_int(value) if kind == DURATION else None
    if ms is not None and ms >= 0:
        return f"{ms // 1000}s" if ms and ms % 1000 == 0 else f"{ms}ms"
    if kind == ENUM:
        return value.upper()
    return value


_KEY_PART = re.compile(r"\[[^\]]*\]|[^.\[]+")


def split_key(key: str) -> list[str]:
    """``spring.kafka.properties[linger.ms]`` -> spring, kafka, properties, [linger.ms]."""
    return _KEY_PART.findall(key)


def same_segment(a: str, b: str) -> bool:
    """Relaxed equality for names; map keys in brackets compare exactly."""
    if a.startswith("[") or b.startswith("["):
        return a.strip("[]") == b.strip("[]")
    return canonical(a) == canonical(b)


def map_key(segments: list[str]) -> str:
    """A map property's key: ``[linger.ms]`` or ``linger`` + ``ms`` -> ``linger.ms`` (Boot keeps dots)."""
    return ".".join(s.strip("[]") for s in segments)
