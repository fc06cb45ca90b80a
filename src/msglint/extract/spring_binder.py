"""The Kafka clients Spring Cloud Stream's Kafka binder creates -> one ``kafka.consumer`` per consumer
binding and one ``kafka.producer`` per producer binding (client ``scs-kafka``), holding the client
configuration the binder hands to Kafka, so that every Kafka client rule judges it.

The binder builds that configuration in layers, each overriding the one before
(``BindingUtils.createConsumerConfigs``/``createProducerConfigs`` and
``KafkaBinderConfigurationProperties.merged*Configuration``, spring-cloud-stream @ 472a0fae):

1. its own values: ``enable.auto.commit=false``, ``auto.offset.reset`` by group, ``acks`` from
   ``required-acks`` (these are defaults here, ``kafka/defaults.py``; CS203 judges ``required-acks``);
2. what Spring Boot builds from ``spring.kafka.*``;
3. ``spring.cloud.stream.kafka.binder.configuration``, only the keys that client has;
4. ``binder.consumer-properties`` / ``binder.producer-properties``;
   then, for a consumer, ``enable.auto.commit=true`` and ``group.id`` are dropped (the binder ignores
   them, with a warning in its log);
5. the binding's own ``kafka.bindings.<b>.consumer|producer.configuration`` (over
   ``kafka.default.*.configuration``), and a consumer's ``start-offset``.

Whether a binding runs on the Kafka binder may only be known once the build files are read; the
Spring join drops the clients of a binding that turns out not to (``link/spring.py``).
"""

from __future__ import annotations

import dataclasses

from msglint.extract.spring_docs import Prop, SpringDoc, origin, writer
from msglint.kafka import keys
from msglint.model import Entity, Setting
from msglint.spring import binding as spring

_BINDER = ["spring", "cloud", "stream", "kafka", "binder"]
_BINDINGS = ["spring", "cloud", "stream", "kafka", "bindings"]
_IGNORED_BY_BINDER = ("group.id",)  # and enable.auto.commit=true: see _filtered


def clients(
    active: list[SpringDoc], profile: str | None, bindings: list[Entity], boot: dict[str, dict[str, Setting]]
) -> list[Entity]:
    """The binder's clients for the Kafka (or not yet known) ``bindings``; ``boot`` is what Spring Boot
    builds for each client from ``spring.kafka.*`` (client -> Kafka key -> setting)."""
    if any(_transactional(p) for d in active for p in d.props):
        return []  # one transactional producer for every binding, configured under transaction.producer
    layers = _Layers()
    for doc in active:
        for prop in doc.props:
            layers.add(prop, doc)
    out = []
    for binding in bindings:
        direction = binding.attributes.get("direction", "")
        if binding.attributes.get("binder") not in ("kafka", "unknown") or direction not in ("consumer", "producer"):
            continue
        scopes = [layers, *_environment(layers, binding)]
        settings = {k: s for k, s in boot.get(direction, {}).items() if k != "transactional.id"}
        for scope in scopes:
            settings.update(scope.binder[direction])
        for scope in scopes:
            settings.update(scope.client[direction])
        if direction == "consumer":
            settings = _filtered(settings)
        for scope in scopes:
            settings.update(scope.defaults[direction])
        for scope in scopes:
            settings.update(scope.bindings.get((binding.name, direction), {}))
        home = _doc_of(active, binding)
        entity = Entity(
            "kafka.consumer" if direction == "consumer" else "kafka.producer",
            "scs-kafka",
            binding.path,
            binding.anchor,
            settings,
            profile,
            writer(home, _naming(binding.name, direction), "cloud") if home is not None else None,
            f"Kafka binder {direction} of binding {binding.name}",
            traits={"scst-named-group"} if direction == "consumer" and binding.get("group") else set(),
            name=binding.name,
            attributes={"binding": binding.name},
        )
        entity.related["stream-binding"] = [binding]
        out.append(entity)
    return out


class _Layers:
    """The binder's and the bindings' client configuration, read from the active documents in order."""

    def __init__(self) -> None:
        sides = ("consumer", "producer")
        self.binder: dict[str, dict[str, Setting]] = {s: {} for s in sides}  # binder.configuration
        self.client: dict[str, dict[str, Setting]] = {s: {} for s in sides}  # binder.<side>-properties
        self.defaults: dict[str, dict[str, Setting]] = {s: {} for s in sides}  # kafka.default.<side>.configuration
        self.bindings: dict[tuple[str, str], dict[str, Setting]] = {}  # (binding, side) -> its configuration
        self.environments: dict[str, _Layers] = {}  # binders.<name>.environment: that binder's own context

    def add(self, prop: Prop, doc: SpringDoc) -> None:
        names = [spring.canonical(s) for s in prop.segments]
        if names[:4] == ["spring", "cloud", "stream", "binders"] and names[5:6] == ["environment"]:
            scoped = self.environments.setdefault(prop.segments[4], _Layers())
            scoped.add(dataclasses.replace(prop, segments=prop.segments[6:]), doc)
            return
        if names[:4] != ["spring", "cloud", "stream", "kafka"] or len(names) < 7:
            return
        if names[:6] == [*_BINDER, "configuration"]:
            key = spring.map_key(prop.segments[6:])
            known = keys.CONSUMER_KEYS | _SHARED, keys.PRODUCER_KEYS | _SHARED
            for side, names_of in zip(("consumer", "producer"), known, strict=True):
                if key in names_of:  # ConsumerConfig/ProducerConfig.configNames(): other keys are not copied
                    self.binder[side][key] = _setting(key, prop, doc)
        elif names[:5] == _BINDER and names[5] in ("consumerproperties", "producerproperties"):
            side = names[5].removesuffix("properties")
            key = spring.map_key(prop.segments[6:])
            self.client[side][key] = _setting(key, prop, doc)
        elif names[4] == "default" and names[5:7] in (["consumer", "configuration"], ["producer", "configuration"]):
            if len(names) > 7:
                key = spring.map_key(prop.segments[7:])
                self.defaults[names[5]][key] = _setting(key, prop, doc)
        elif names[4] == "default" and names[5:7] == ["consumer", "startoffset"]:
            self.defaults["consumer"]["auto.offset.reset"] = _start_offset(prop, doc)
        elif names[4] == "bindings" and len(names) >= 8 and names[6] in ("consumer", "producer"):
            own = self.bindings.setdefault((prop.segments[5], names[6]), {})
            if names[7] == "configuration" and len(names) > 8:
                key = spring.map_key(prop.segments[8:])
                own[key] = _setting(key, prop, doc)
            elif names[6:8] == ["consumer", "startoffset"]:
                own["auto.offset.reset"] = _start_offset(prop, doc)


# keys both clients have (CommonClientConfigs) that the rules read
_SHARED = frozenset({"request.timeout.ms", "client.id", "retry.backoff.ms", "reconnect.backoff.ms"})


def _filtered(settings: dict[str, Setting]) -> dict[str, Setting]:
    """``filterStreamManagedConfiguration``: the binder drops enable.auto.commit=true and group.id
    from what Boot and its binder-level maps give (not from a binding's own configuration)."""
    out = {k: s for k, s in settings.items() if k not in _IGNORED_BY_BINDER}
    commit = out.get("enable.auto.commit")
    if commit is not None and commit.as_bool() is True:
        del out["enable.auto.commit"]
    return out


def _environment(layers: _Layers, binding: Entity) -> list[_Layers]:
    """The environment of the binder the binding runs on (named, or the only one), over the application's."""
    chosen = binding.get("binder")
    if chosen is not None:
        scoped = layers.environments.get(chosen.raw.strip())
        return [scoped] if scoped is not None else []
    return list(layers.environments.values()) if len(layers.environments) == 1 else []


def _doc_of(active: list[SpringDoc], binding: Entity) -> SpringDoc | None:
    """The document the binding is anchored in, whose writer adds the keys its client lacks."""
    here = (d for d in active if d.document.display == binding.path)
    return next((d for d in here if any(p.key_span == binding.anchor for p in d.props)), None)


def _setting(key: str, prop: Prop, doc: SpringDoc) -> Setting:
    return Setting(key, keys.normalize(key, prop.value), prop.value, origin(prop, doc, spring.RAW))


def _start_offset(prop: Prop, doc: SpringDoc) -> Setting:
    return Setting("auto.offset.reset", prop.value.strip().lower(), prop.value, origin(prop, doc, spring.ENUM))


def _transactional(prop: Prop) -> bool:
    """``kafka.binder.transaction.transaction-id-prefix``, for the application or in a binder's environment."""
    names = [spring.canonical(s) for s in prop.segments]
    return names[-7:] == [*_BINDER, "transaction", "transactionidprefix"]


def _naming(binding: str, side: str):  # type: ignore[no-untyped-def]
    """A key the binding's client lacks goes into the binding's own configuration map."""

    def naming(key: str) -> tuple[list[str], str]:
        return [*_BINDINGS, binding, side, "configuration", f"[{key}]"], spring.RAW

    return naming
