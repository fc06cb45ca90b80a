"""Checks on how Spring Boot and Spring Kafka treat the configuration."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.kafka import keys
from msglint.model import Entity

_OTHER_CLIENT_KEYS = frozenset(
    {
        "request.timeout.ms",
        "retry.backoff.ms",
        "retry.backoff.max.ms",
        "metadata.max.age.ms",
        "reconnect.backoff.ms",
        "reconnect.backoff.max.ms",
        "connections.max.idle.ms",
        "receive.buffer.bytes",
        "send.buffer.bytes",
        "client.dns.lookup",
        "security.protocol",
        "sasl.mechanism",
    }
)


def _kafka_key_for(name: str, client: str) -> str | None:
    """``linger-ms``/``lingerMs``/``linger_ms`` -> ``linger.ms`` when that is a key of the client."""
    kebab = re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower().replace("_", "-")
    candidate = kebab.replace("-", ".")
    own = keys.PRODUCER_KEYS if client == "kafka.producer" else keys.CONSUMER_KEYS
    return candidate if candidate in own or candidate in _OTHER_CLIENT_KEYS else None


def unbound_property(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KS401: A spring.kafka.* key Spring Boot does not bind; it is ignored without a warning."""
    for setting in entity.ignored:
        origin = setting.origin
        raw = origin.raw_key if origin is not None else setting.key
        kafka_key = None if entity.kind == "kafka.listener" else _kafka_key_for(setting.key, entity.kind)
        if kafka_key is not None:
            yield Hit(
                f"`{raw}` is not a Spring Boot property: Boot ignores it without a word, so {kafka_key} "
                f"keeps its default; Kafka keys without a typed property go under `.properties`",
                setting,
                rename=(setting, kafka_key),
            )
        else:
            yield Hit(
                f"`{raw}` is not a Spring Boot property: Boot ignores it without a word, so it has no effect",
                setting,
            )


def manual_ack_with_auto_commit(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC203: Spring listener ack-mode MANUAL with enable.auto.commit=true; the container fails to start."""
    ack_mode = entity.get("ack-mode")
    consumer = entity.one("consumer")
    if ack_mode is None or ack_mode.value not in ("manual", "manual_immediate") or consumer is None:
        return
    auto = consumer.get("enable.auto.commit")
    if auto is not None and auto.as_bool() is True:
        yield Hit(
            f"enable.auto.commit=true with listener ack-mode {ack_mode.value.upper()}: the container refuses "
            'to start (IllegalStateException: "Consumer cannot be configured for auto commit for ackMode")',
            auto,
            ("enable.auto.commit", "false"),
            on=consumer,
        )
