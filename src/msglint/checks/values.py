"""Values the Kafka client refuses when it is created."""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from msglint import numbers
from msglint.checks import Hit
from msglint.kafka import keys
from msglint.model import Entity, Setting
from msglint.spring import binding as spring

_LIBRDKAFKA_RESET = {"smallest": "earliest", "beginning": "earliest", "largest": "latest", "end": "latest"}


def _comment_hint(raw: str) -> str:
    return " (in .properties a `#` starts a comment only at the start of a line)" if " #" in raw else ""


JAVA_CLIENTS = frozenset({"kafka-java", "spring-kafka", "kafka-connect", "scs-kafka"})


def invalid_value(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KX101: A Kafka client setting with a value the client rejects; the application fails to start."""
    if entity.client not in JAVA_CLIENTS:
        return  # the values are the Java client's validators; librdkafka and the Python clients differ
    for key, setting in entity.settings.items():
        value = setting.value
        if value is None or keys.is_secret_key(key):
            continue
        problem, effect, fix = _problem(key, value, setting)
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
            yield Hit(f"{problem}{effect}", setting, fix)


def _problem(key: str, value: str, setting: Setting) -> tuple[str, str, tuple[str, str] | None]:
    """(problem, its effect, a fix) when the client refuses ``value`` for ``key``; a problem of "" when
    it takes it."""
    allowed = keys.ENUMS.get(key)
    if allowed is not None:
        problem, fix = _not_in_enum(key, value, allowed)
        return problem, _FAILS, fix
    if key in keys.BOOLEAN_KEYS and value not in ("true", "false"):
        return f"{key}={value} is not a boolean (true or false){_comment_hint(value)}", _FAILS, None
    if key in keys.NUMBERS:
        return _not_a_number(key, value, setting)
    return "", _FAILS, None


def _not_in_enum(key: str, value: str, allowed: Collection[str]) -> tuple[str, tuple[str, str] | None]:
    ok = value.lower() in allowed if key == "group.protocol" else value in allowed
    if key == "auto.offset.reset" and value.startswith("by_duration:"):
        ok = True  # Kafka 4.x (KIP-1106)
    if key == "acks" and not ok and value.lower() in allowed:
        problem = f"acks={value} is not accepted: the client compares it case-sensitively ({', '.join(allowed)})"
        return problem, (key, value.lower())
    if not ok and value.lower() not in allowed:
        suggestion = _LIBRDKAFKA_RESET.get(value.lower()) if key == "auto.offset.reset" else None
        hint = f"; `{value}` is librdkafka's name for `{suggestion}`" if suggestion else ""
        problem = f"{key}={value} is not one of {', '.join(allowed)}{hint}{_comment_hint(value)}"
        return problem, (key, suggestion) if suggestion else None
    return "", None


_FAILS = ": the client fails to start (ConfigException)"


def _not_a_number(key: str, value: str, setting: Setting) -> tuple[str, str, tuple[str, str] | None]:
    """(problem, its effect, a fix) when the client refuses ``value`` for a numeric key; a problem of
    "" when it takes it. The number is parsed with bounds: a value beyond the key's Java type is the
    client's own error, told with its first digits."""
    bits = keys.value_bits(key)
    kind = setting.origin.value_kind if setting.origin is not None else ""
    literal = {"javaint": 32, "javalong": 64}.get(kind)  # a Java literal: javac reads it first
    parsed = numbers.integer(value, literal or bits)
    if parsed is None:
        return f"{key}={numbers.clip(value)} is not a whole number{_comment_hint(value)}", _FAILS, None
    if isinstance(parsed, numbers.OutOfRange):
        shown = (
            f"`{key}={numbers.clip(parsed.text)}` is outside the range of a Java "
            f"{numbers.JAVA_NAMES[parsed.bits]} ({parsed.low}..{parsed.high})"
        )
        if literal:
            return shown, ": javac refuses the literal (integer number too large), so the code does not compile", None
        wide = numbers.parse_int(value, 64)
        if kind in (spring.DURATION, spring.DATASIZE) and wide is not None:
            # Boot's PropertyMapper.asInt narrows the converted Duration or DataSize with Number.intValue()
            narrowed = (wide + 2**31) % 2**32 - 2**31
            return shown, f": Spring Boot converts {setting.raw.strip()} and hands the client {narrowed} instead", None
        return shown, f": the client fails to start (ConfigException: Not a number of type {_kind_name(bits)})", None
    if kind == "javalong" and bits == 32:
        fits = numbers.in_range(parsed, 32)
        return (
            f"{key} is put as a java.lang.Long ({value}L), and the client takes only an Integer or a String for it",
            ': it fails to start (ConfigException: "Expected value to be a 32-bit integer, but it was a '
            f'java.lang.Long"){f"; write {value}" if fits else ""}',
            (key, value) if fits else None,
        )
    return "", "", None


def _kind_name(bits: int) -> str:
    """ConfigDef's name of the type: INT or LONG."""
    return "INT" if bits == 32 else "LONG"


# keys the Java client defines as STRING: a Java Integer or Boolean object put for them is refused
_STRING_KEYS = frozenset(
    {
        "acks",
        "compression.type",
        "auto.offset.reset",
        "isolation.level",
        "group.protocol",
        "group.id",
        "group.instance.id",
        "client.id",
        "transactional.id",
    }
)
