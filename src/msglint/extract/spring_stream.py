"""Spring Cloud Stream ``spring.cloud.stream.*`` -> one ``stream.binding`` entity per configured
binding, per profile, with the binder-specific consumer settings that decide what happens to a
message that keeps failing.

A binding's direction comes from its name (``process-in-0``, ``input``; ``-out-0``, ``output``) or
from its ``consumer``/``producer`` block; its binder from ``bindings.<b>.binder`` and
``binders.<n>.type``, else from which binder's own keys (``spring.cloud.stream.kafka.*`` or
``.rabbit.*``) or which client's (``spring.kafka.*``, ``spring.rabbitmq.*``) the application writes.
``spring.cloud.stream.default.*`` and ``.<binder>.default.*`` apply to every binding that does not
set the key itself (DOMAIN.md §2.5).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from msglint.extract.spring_docs import Prop, SpringDoc, origin, starts, writer
from msglint.model import Entity, Setting
from msglint.spring import binding as spring

# canonical key after bindings.<b>. (or default.) -> (the entity's key, conversion)
COMMON_KEYS = {
    "destination": ("destination", spring.RAW),
    "group": ("group", spring.RAW),
    "binder": ("binder", spring.RAW),
    "consumer.maxattempts": ("max-attempts", spring.RAW),
    "consumer.concurrency": ("concurrency", spring.RAW),
}
# canonical key after <binder>.bindings.<b>.consumer. (or <binder>.default.consumer.)
BINDER_KEYS = {
    "kafka": {
        "enabledlq": ("kafka.enable-dlq", spring.BOOLEAN),
        "dlqname": ("kafka.dlq-name", spring.RAW),
        "ackmode": ("kafka.ack-mode", spring.ENUM),
    },
    "rabbit": {
        "autobinddlq": ("rabbit.auto-bind-dlq", spring.BOOLEAN),
        "requeuerejected": ("rabbit.requeue-rejected", spring.BOOLEAN),
        "republishtodlq": ("rabbit.republish-to-dlq", spring.BOOLEAN),
        "acknowledgemode": ("rabbit.acknowledge-mode", spring.ENUM),
    },
}
# Where else the producer's acks may be written: the Kafka binder puts required-acks into the producer
# configuration and then every one of these over it (BindingUtils.createProducerConfigs).
_ACKS_OVERRIDES = (
    ["spring", "kafka", "producer", "acks"],
    ["spring", "kafka", "properties", "acks"],
    ["spring", "kafka", "producer", "properties", "acks"],
    ["spring", "cloud", "stream", "kafka", "binder", "configuration", "acks"],
    ["spring", "cloud", "stream", "kafka", "binder", "producerproperties", "acks"],
    ["spring", "cloud", "stream", "kafka", "default", "producer", "configuration", "acks"],
)
_REQUIRED_ACKS = ["spring", "cloud", "stream", "kafka", "binder", "requiredacks"]
_CONSUMER_NAME = re.compile(r"(?i)(?:-in-\d+|^input)$")
_PRODUCER_NAME = re.compile(r"(?i)(?:-out-\d+|^output)$")


@dataclass
class _Binding:
    name: str
    settings: dict[str, Setting] = field(default_factory=dict)
    anchor: tuple[Prop, SpringDoc] | None = None
    sides: set[str] = field(default_factory=set)  # consumer, producer: blocks it writes


_PRODUCER_ACKS = {"configuration.acks": ("kafka.acks", spring.RAW)}


def _naming(binding: str):  # type: ignore[no-untyped-def]
    def naming(key: str) -> tuple[list[str], str]:
        if key == "kafka.required-acks":
            return ["spring", "cloud", "stream", "kafka", "binder", "required-acks"], spring.RAW
        binder, _, name = key.rpartition(".")
        if binder:
            return ["spring", "cloud", "stream", binder, "bindings", binding, "consumer", name], spring.RAW
        block = ["consumer"] if name in ("max-attempts", "concurrency") else []
        return ["spring", "cloud", "stream", "bindings", binding, *block, name], spring.RAW

    return naming


def entities(active: list[SpringDoc], profile: str | None) -> list[Entity]:
    """The bindings the active documents configure, later documents overriding earlier ones."""
    bindings: dict[str, _Binding] = {}
    defaults: dict[str, Setting] = {}
    binder_types: dict[str, str] = {}
    default_binder: str | None = None
    seen: set[str] = set()  # binder families whose own keys or client keys the application writes
    streams = False
    producing: dict[str, Setting] = {}  # what decides the acks of every producer binding
    for doc in active:
        for prop in doc.props:
            names = [spring.canonical(s) for s in prop.segments]
            if names[:2] == ["spring", "rabbitmq"]:
                seen.add("rabbit")
            inner = names[names.index("environment") + 1 :] if "environment" in names[5:7] else None
            if inner is not None and (inner in _ACKS_OVERRIDES or inner == _REQUIRED_ACKS):
                # a binder's own environment: it decides the acks of that binder's bindings alone, which
                # are not told apart here, so it counts as written for the producer (nothing is judged)
                producing["kafka.acks"] = _written("kafka.acks", prop.value, prop, doc)
            elif names[:7] == ["spring", "cloud", "stream", "kafka", "binder", "transaction", "transactionidprefix"]:
                # transactional: one producer for every binding, configured under transaction.producer,
                # and a transactional producer with acks other than all does not start at all
                producing["kafka.transactional"] = _written("kafka.transactional", "true", prop, doc)
            elif names in _ACKS_OVERRIDES or names == _REQUIRED_ACKS:
                key = "kafka.required-acks" if names == _REQUIRED_ACKS else "kafka.acks"
                producing[key] = _written(key, prop.value, prop, doc)
            if names[:3] != ["spring", "cloud", "stream"] or len(names) < 4:
                continue
            rest, raw = names[3:], prop.segments[3:]
            if rest[0] not in _CORE and len(rest) > 1:
                seen.add(_evidence(rest))
            if rest[0] in ("kafka", "rabbit"):
                streams = streams or rest[1:2] == ["streams"]
                table = BINDER_KEYS[rest[0]]
                if rest[1:2] == ["bindings"] and len(rest) >= 5 and rest[3] == "consumer":
                    _put(bindings, raw[2], table, ".".join(rest[4:]), prop, doc, "consumer")
                elif rest[1:2] == ["bindings"] and rest[3:] == ["producer", "configuration", "acks"]:
                    _put(bindings, raw[2], _PRODUCER_ACKS, "configuration.acks", prop, doc, "producer")
                elif rest[1:3] == ["default", "consumer"] and len(rest) >= 4:
                    _default(defaults, table, ".".join(rest[3:]), prop, doc)
            elif rest[0] == "bindings" and len(rest) >= 3:
                side = rest[2] if rest[2] in ("consumer", "producer") else None
                _put(bindings, raw[1], COMMON_KEYS, ".".join(rest[2:]), prop, doc, side)
            elif rest[0] == "default" and len(rest) >= 2:
                _default(defaults, COMMON_KEYS, ".".join(rest[1:]), prop, doc)
            elif rest[0] == "binders" and len(rest) == 3 and rest[2] == "type":
                binder_types[raw[1]] = spring.canonical(prop.value)
            elif rest == ["defaultbinder"]:
                default_binder = prop.value.strip()
    if streams:
        return []  # Kafka Streams bindings: an application.id, not a consumer group, decides
    out = []
    for binding in bindings.values():
        if binding.anchor is None:
            continue
        direction = _direction(binding)
        if direction is None:
            continue
        settings = {**{k: v for k, v in defaults.items()}, **binding.settings}
        if direction == "producer":
            settings = {**producing, **settings}
        chosen = settings["binder"].value if "binder" in settings else default_binder
        family = _family(chosen, binder_types, seen)
        prop, doc = binding.anchor
        out.append(
            Entity(
                "stream.binding",
                "spring-cloud-stream",
                doc.document.display,
                prop.key_span,
                settings,
                profile,
                writer(doc, _naming(binding.name), "cloud"),
                f"Spring Cloud Stream binding {binding.name}",
                name=binding.name,
                attributes={"direction": direction, "binder": family},
            )
        )
    return out


def _written(key: str, value: str, prop: Prop, doc: SpringDoc) -> Setting:
    return Setting(key, value.strip(), prop.value, origin(prop, doc, spring.RAW))


def _put(
    bindings: dict[str, _Binding],
    name: str,
    table: dict[str, tuple[str, str]],
    rest: str,
    prop: Prop,
    doc: SpringDoc,
    side: str | None,
) -> None:
    binding = bindings.setdefault(name, _Binding(name))
    if binding.anchor is None:
        binding.anchor = (prop, doc)
    if side is not None:
        binding.sides.add(side)
    entry = table.get(rest)
    if entry is not None:
        key, conversion = entry
        binding.settings[key] = Setting(
            key, spring.convert(conversion, prop.value), prop.value, origin(prop, doc, conversion)
        )


def _default(
    defaults: dict[str, Setting], table: dict[str, tuple[str, str]], rest: str, prop: Prop, doc: SpringDoc
) -> None:
    entry = table.get(rest)
    if entry is not None:
        key, conversion = entry
        defaults[key] = Setting(key, spring.convert(conversion, prop.value), prop.value, origin(prop, doc, conversion))


def _direction(binding: _Binding) -> str | None:
    if _CONSUMER_NAME.search(binding.name) or binding.sides == {"consumer"}:
        return "consumer"
    if "group" in binding.settings and not binding.sides:
        return "consumer"  # a group is a consumer property
    if _PRODUCER_NAME.search(binding.name) or binding.sides == {"producer"}:
        return "producer"
    return None


# the keys of spring.cloud.stream itself; any other first segment is a binder's own (kafka, rabbit, kinesis)
_CORE = {
    "bindings",
    "default",
    "binders",
    "defaultbinder",
    "function",
    "source",
    "sendto",
    "poller",
    "dynamicdestinations",
}


def _evidence(rest: list[str]) -> str:
    """Which binder a ``spring.cloud.stream.<binder>.*`` key shows: ``kafka.binder.*`` is read by the
    Kafka Streams binder too, so only Kafka's ``bindings`` and ``default`` blocks show the Kafka binder."""
    if rest[0] == "rabbit":
        return "rabbit"
    if rest[0] == "kafka" and rest[1] in ("bindings", "default"):
        return "kafka"
    if rest[0] == "kafka" and rest[1] == "binder":
        return "kafka-or-streams"
    return "other"  # kafka.streams, kinesis, pubsub, solace...


def _family(chosen: str | None, types: dict[str, str], seen: set[str]) -> str:
    """kafka, rabbit, other (Kafka Streams, Kinesis...: not judged) or unknown: the binder a binding
    runs on, from its ``binder``, the binders' ``type`` or the keys the application writes. Without
    those, which binder is on the classpath decides, and that is in the build file, not read here."""
    if chosen is not None or len(types) == 1:
        named = types.get(chosen, chosen) if chosen is not None else next(iter(types.values()))
        return named if named in ("kafka", "rabbit") else "other"
    if "other" in seen:
        return "other"
    shown = seen - {"kafka-or-streams"}
    return next(iter(shown)) if len(shown) == 1 else "unknown"


def mentions(doc: SpringDoc) -> bool:
    """Does the document write ``spring.cloud.stream.*``?"""
    return any(starts(p, "spring", "cloud", "stream") for p in doc.props)
