"""Spring Boot ``spring.rabbitmq.*`` -> a RabbitMQ listener container (``rabbit.consumer``) and a
publisher (``rabbit.publisher``), per profile, in Spring Boot's names.

The listener settings are read under the container type in use (``listener.type``: ``simple`` by
default, or ``direct``). Entities exist only when the configuration shows the role: listener keys
for a consumer, confirm/return/template keys for a publisher.
"""

from __future__ import annotations

from msglint.extract.spring_docs import Prop, SpringDoc, origin, starts, writer
from msglint.facts import Kind
from msglint.fixes import Naming
from msglint.model import Entity, Setting
from msglint.spring import binding as spring

CONSUMER_KEYS = {
    "acknowledgemode": ("acknowledge-mode", spring.ENUM),
    "prefetch": ("prefetch", spring.RAW),
    "defaultrequeuerejected": ("default-requeue-rejected", spring.BOOLEAN),
    "concurrency": ("concurrency", spring.RAW),
    "maxconcurrency": ("max-concurrency", spring.RAW),
    "retry.enabled": ("retry.enabled", spring.BOOLEAN),
    "retry.maxattempts": ("retry.max-attempts", spring.RAW),
    "retry.stateless": ("retry.stateless", spring.BOOLEAN),
}
PUBLISHER_KEYS = {
    "publisherconfirmtype": ("publisher-confirm-type", spring.ENUM),
    "publisherreturns": ("publisher-returns", spring.BOOLEAN),
    "template.mandatory": ("template.mandatory", spring.BOOLEAN),
    "template.retry.enabled": ("template.retry.enabled", spring.BOOLEAN),
}
LABELS = {"rabbit.consumer": "Spring AMQP listener container", "rabbit.publisher": "Spring AMQP RabbitTemplate"}


def _naming(kind: str, container: str) -> Naming:
    def naming(key: str) -> tuple[list[str], str]:
        parts = key.split(".")
        if kind == "rabbit.consumer":
            return ["spring", "rabbitmq", "listener", container, *parts], spring.RAW
        return ["spring", "rabbitmq", *parts], spring.RAW

    return naming


def entities(active: list[SpringDoc], profile: str | None) -> list[Entity]:
    container = "simple"
    for doc in active:
        for prop in doc.props:
            if [spring.canonical(s) for s in prop.segments] == ["spring", "rabbitmq", "listener", "type"]:
                container = spring.canonical(prop.value)
    found: dict[Kind, dict[str, Setting]] = {"rabbit.consumer": {}, "rabbit.publisher": {}}
    anchors: dict[Kind, tuple[Prop, SpringDoc]] = {}
    kind: Kind
    for doc in active:
        for prop in doc.props:
            if not starts(prop, "spring", "rabbitmq"):
                continue
            names = [spring.canonical(s) for s in prop.segments[2:]]
            if names[:1] == ["listener"] and names[1:2] == [container]:
                kind, table, rest = "rabbit.consumer", CONSUMER_KEYS, ".".join(names[2:])
            elif names[:1] == ["listener"]:
                if names[1:2] not in (["type"], [container]) and len(names) > 2:
                    continue  # another container type's settings: not in use
                anchors.setdefault("rabbit.consumer", (prop, doc))
                continue
            else:
                kind, table, rest = "rabbit.publisher", PUBLISHER_KEYS, ".".join(names)
            if kind == "rabbit.publisher" and rest == "publisherconfirms":
                # Spring Boot 2.1's boolean, before publisher-confirm-type: true meant correlated confirms
                legacy = spring.convert(spring.BOOLEAN, prop.value)
                rest, prop = (
                    "publisherconfirmtype",
                    Prop(
                        prop.segments,
                        prop.raw_key,
                        "correlated" if legacy == "true" else "none",
                        prop.span,
                        prop.key_span,
                        None,
                        prop.whole_lines,
                    ),
                )
            entry = table.get(rest)
            if entry is None:
                continue
            key, conversion = entry
            found[kind][key] = Setting(
                key, spring.convert(conversion, prop.value), prop.value, origin(prop, doc, conversion)
            )
            anchors.setdefault(kind, (prop, doc))
    out = []
    for kind, (prop, doc) in anchors.items():
        out.append(
            Entity(
                kind,
                "spring-amqp",
                doc.document.display,
                prop.key_span,
                found[kind],
                profile,
                writer(doc, _naming(kind, container), "rabbitmq"),
                LABELS[kind],
                attributes={"container": container},
            )
        )
    return out
