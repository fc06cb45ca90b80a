"""Values the Kafka client refuses when it is created."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.kafka import keys
from msglint.model import Entity

_LIBRDKAFKA_RESET = {"smallest": "earliest", "beginning": "earliest", "largest": "latest", "end": "latest"}


def _comment_hint(raw: str) -> str:
    return " (in .properties a `#` starts a comment only at the start of a line)" if " #" in raw else ""


JAVA_CLIENTS = frozenset({"kafka-java", "spring-kafka", "kafka-connect"})


def invalid_value(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    if entity.client not in JAVA_CLIENTS:
        return  # the values are the Java client's validators; librdkafka and the Python clients differ
    for key, setting in entity.settings.items():
        value = setting.value
        if value is None or keys.is_secret_key(key):
            continue
        fix: tuple[str, str] | None = None
        problem = ""
        allowed = keys.ENUMS.get(key)
        if allowed is not None:
            ok = value.lower() in allowed if key == "group.protocol" else value in allowed
            if key == "auto.offset.reset" and value.startswith("by_duration:"):
                ok = True  # Kafka 4.x (KIP-1106)
            if key == "acks" and not ok and value.lower() in allowed:
                problem = (
                    f"acks={value} is not accepted: the client compares it case-sensitively ({', '.join(allowed)})"
                )
                fix = (key, value.lower())
            elif not ok and value.lower() not in allowed:
                suggestion = _LIBRDKAFKA_RESET.get(value.lower()) if key == "auto.offset.reset" else None
                hint = f"; `{value}` is librdkafka's name for `{suggestion}`" if suggestion else ""
                problem = f"{key}={value} is not one of {', '.join(allowed)}{hint}{_comment_hint(value)}"
                fix = (key, suggestion) if suggestion else None
        elif key in keys.BOOLEAN_KEYS and value not in ("true", "false"):
            problem = f"{key}={value} is not a boolean (true or false){_comment_hint(value)}"
        elif key in keys.NUMBERS:
            try:
                int(value)
            except ValueError:
                problem = f"{key}={value} is not a whole number{_comment_hint(value)}"
        java = entity.attributes.get(f"object-type:{key}")
        if not problem and key in _STRING_KEYS and java:
            # a Map<String, Object> passes the Java object itself: ConfigDef takes only a String for these keys
            yield Hit(
                f"{key} is put as a java.lang.{java} ({setting.raw}), and the client takes only a String for it: it "
                f'fails to start (ConfigException: "Expected value to be a string, but it was a java.lang.{java}"); '
                f'write "{value}"',
                setting,
            )
            continue
        if problem:
            yield Hit(f"{problem}: the client fails to start (ConfigException)", setting, fix)


# keys the Java client defines as STRING: a Java Integer or Boolean object put for them is refused
_STRING_KEYS = frozenset({"acks", "compression.type", "auto.offset.reset", "isolation.level", "group.protocol",
                          "group.id", "group.instance.id", "client.id", "transactional.id"})  # fmt: skip
