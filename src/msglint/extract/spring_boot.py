"""Spring Boot configuration (``application*.yml|yaml|properties``) -> Kafka producer, consumer and
listener-container entities, one set per active profile.

Files in one directory form one application. Documents without a profile condition apply to every
profile; ``spring.config.activate.on-profile`` documents and ``application-<profile>.*`` files add to
them for their profile. Within a variant, later documents override earlier ones and ``.properties``
overrides YAML, as Boot loads them. Within one document the Kafka keys follow Boot's precedence:
``spring.kafka.properties.*`` < common typed keys < client typed keys < ``<client>.properties.*``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from msglint import facts
from msglint.documents import Document
from msglint.extract import spring_binder, spring_rabbit, spring_stream
from msglint.extract.spring_docs import Prop, SpringDoc, origin, writer
from msglint.extract.spring_docs import documents as _documents
from msglint.extract.spring_docs import starts as _starts
from msglint.fixes import spring_naming
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting
from msglint.spring import binding as spring
from msglint.spring import profiles

_SUFFIX_ORDER = {"yml": 0, "yaml": 1, "properties": 2}

LABELS = {
    "kafka.producer": "Spring Kafka producer",
    "kafka.consumer": "Spring Kafka consumer",
    "kafka.listener": "Spring Kafka listener container",
}


@dataclass
class _Binding:
    client: str  # producer, consumer, listener
    key: str  # Kafka key, or the Boot name for listener settings
    level: int  # Boot precedence within a document
    kind: str  # value conversion
    ignored: bool = False  # a name Boot does not bind: silently without effect


def _bindings(prop: Prop) -> list[_Binding]:
    """What one ``spring.kafka.*`` property sets, for each client it applies to."""
    seg = prop.segments
    if len(seg) < 3 or [spring.canonical(s) for s in seg[:2]] != ["spring", "kafka"]:
        return []
    head = spring.canonical(seg[2])
    rest = seg[3:]
    if head == "properties" and rest:
        key = spring.map_key(rest)
        return [_Binding(c, key, 0, spring.RAW) for c in ("producer", "consumer")]
    if head in ("bootstrapservers", "clientid") and not rest:
        name = spring.typed_property("producer", seg[2]) or ""
        kafka_key, kind = spring.COMMON[name]
        return [_Binding(c, kafka_key or name, 1, kind) for c in ("producer", "consumer")]
    if head in ("producer", "consumer", "listener") and rest:
        return _client_bindings(head, rest)
    return []


def _client_bindings(client: str, rest: list[str]) -> list[_Binding]:
    """``spring.kafka.<client>.<rest>``: a typed property, a ``properties.*`` map key, or a name Boot
    does not bind."""
    if spring.canonical(rest[0]) == "properties" and client != "listener":
        return [_Binding(client, spring.map_key(rest[1:]), 3, spring.RAW)] if rest[1:] else []
    typed = spring.typed_property(client, rest[0])
    if typed is not None and len(rest) == 1:
        kafka_key, kind = spring.CLIENT_TABLES[client][typed]
        return [_Binding(client, kafka_key, 2, kind)] if kafka_key else []
    if typed is None and spring.canonical(rest[0]) not in spring.NESTED:
        return [_Binding(client, ".".join(rest), 2, spring.RAW, ignored=True)]
    return []


def _configures(b: _Binding, streams: bool) -> bool:
    """Does this binding show that the application configures (and so uses) that client?
    Shared keys count only when they belong to the client (``spring.kafka.properties.acks`` makes a
    producer, ``...sasl.mechanism`` nothing), and not in a Kafka Streams application, whose shared
    keys configure the clients Streams makes for itself."""
    if b.level in (2, 3) or b.client == "listener":
        return True
    own = keys.PRODUCER_KEYS if b.client == "producer" else keys.CONSUMER_KEYS
    return b.level == 0 and b.key in own and not streams


def _traits(docs: list[SpringDoc]) -> set[str]:
    """What else the application runs that changes the clients' defaults."""
    traits = set()
    for doc in docs:
        for prop in doc.props:
            if _starts(prop, "spring", "kafka", "streams"):
                traits.add("kafka-streams")
    return traits


_CONSUMER_HINTS = ("consum", "listen", "input", "inbound", "subscri", "-in-", "source")
_PRODUCER_HINTS = ("produc", "output", "outbound", "publish", "template", "-out-", "send", "sink")


def _topic_refs(docs: list[SpringDoc]) -> list[tuple[Setting, str]]:
    """Settings whose values may name topics (keys with `topic` in a name, Spring Cloud Stream
    destinations, KafkaTemplate's default topic), each with the side its key suggests: producer,
    consumer, or either."""
    refs: list[tuple[Setting, str]] = []
    for doc in docs:
        for prop in doc.props:
            names = [spring.canonical(s) for s in prop.segments]
            destination = names[:4] == ["spring", "cloud", "stream", "bindings"] and names[-1] == "destination"
            if not destination and not any("topic" in n for n in names):
                continue
            if names[:3] == ["spring", "kafka", "retry"] or "${" in prop.value:
                continue
            where = Origin(
                doc.document.display, prop.span, prop.raw_key, doc.document.syntax, prop.value_span, prop.key_span
            )
            key = prop.raw_key.lower()
            consumer = any(h in key for h in _CONSUMER_HINTS)
            producer = any(h in key for h in _PRODUCER_HINTS)
            side = "either" if consumer == producer else "consumer" if consumer else "producer"
            refs.append((Setting("topic", prop.value, prop.value, where), side))
    return refs


def _refs_for(client: str, refs: list[tuple[Setting, str]], clients: set[str]) -> list[Setting]:
    """A key that says nothing of its side counts for a client only when the application has no
    client of the other side: `app.topics.orders` may be read, written, or both."""
    other = "consumer" if client == "producer" else "producer"
    return [ref for ref, side in refs if side == client or (side == "either" and other not in clients)]


def _application_name(docs: list[SpringDoc]) -> str:
    name = ""
    for doc in docs:
        for prop in doc.props:
            if [spring.canonical(s) for s in prop.segments] == [
                "spring",
                "application",
                "name",
            ] and "${" not in prop.value:
                name = prop.value
    return name


def _setting(b: _Binding, prop: Prop, doc: SpringDoc) -> Setting:
    if b.level == 2:  # a typed property: Boot converts it first
        value = spring.convert(b.kind, prop.value)
        if value is not None and b.client != "listener":
            value = keys.normalize(b.key, value)
    else:
        value = keys.normalize(b.key, prop.value)
    return Setting(b.key, value, prop.value, origin(prop, doc, b.kind))


@dataclass
class _Clients:
    """The Kafka clients one profile of an application configures, gathered binding by binding."""

    streams: bool  # a Kafka Streams application: shared keys configure Streams' own clients
    written: set[str]  # clients with keys of their own section
    chosen: dict[tuple[str, str], tuple[tuple[int, int], Setting]] = field(default_factory=dict)
    ignored: dict[str, list[Setting]] = field(default_factory=dict)
    anchors: dict[str, tuple[Prop, SpringDoc]] = field(default_factory=dict)  # where each is first configured

    def add(self, b: _Binding, prop: Prop, doc: SpringDoc, order: int) -> None:
        setting = _setting(b, prop, doc)
        # findings about absent keys point at the anchor: never a line that holds a secret
        if _configures(b, self.streams) and not keys.is_secret_key(b.key):
            self.anchors.setdefault(b.client, (prop, doc))
            if b.client == "listener":
                self.anchors.setdefault("consumer", (prop, doc))
            if b.level in (2, 3) and b.client != "listener":
                self.written.add(b.client)  # a key of that client's own section
        if b.ignored:
            self.ignored.setdefault(b.client, []).append(setting)
            return
        rank = (b.level, order)
        previous = self.chosen.get((b.client, b.key))
        if previous is None or rank >= previous[0]:
            self.chosen[(b.client, b.key)] = (rank, setting)


def _clients(active: list[SpringDoc], traits: set[str]) -> _Clients:
    """What ``spring.kafka.*`` configures for each client, as Boot builds it."""
    found = _Clients("kafka-streams" in traits, set())
    for order, doc in enumerate(active):
        for prop in doc.props:
            for b in _bindings(prop):
                found.add(b, prop, doc, order)
    return found


def _boot_settings(found: _Clients) -> dict[str, dict[str, Setting]]:
    """client -> Kafka key -> the setting Boot hands that client (what the Kafka binder starts from)."""
    out: dict[str, dict[str, Setting]] = {}
    for (client, key), (_, setting) in found.chosen.items():
        out.setdefault(client, {})[key] = setting
    return out


def _entities(active: list[SpringDoc], profile: str | None, traits: set[str], found: _Clients) -> list[Entity]:
    chosen, anchors, written = found.chosen, found.anchors, found.written

    entities: dict[str, Entity] = {}
    refs = _topic_refs(active)
    name = _application_name(active)
    for client, (prop, doc) in anchors.items():
        kind = facts.kind(f"kafka.{client}")
        entities[client] = Entity(
            kind,
            "spring-kafka",
            doc.document.display,
            prop.key_span,
            {key: s for (c, key), (_, s) in chosen.items() if c == client},
            profile,
            writer(doc, spring_naming(client)),
            LABELS[kind],
            ignored=found.ignored.get(client, []),
            traits={t for t in traits if kind in facts.FACTS[t].kinds},
            name=name,
            refs=_refs_for(client, refs, set(anchors)),
        )
    for client, entity in entities.items():
        entity.related = {facts.relation(c): [e] for c, e in entities.items() if c != client}
        if client == "consumer" and client not in written:
            # only keys every client shares, or listener-container settings: a consumer only when code
            # in its module consumes (link/spring.py decides, once the code is read)
            entity.attributes["role-from"] = "shared"
    return list(entities.values())


def _app_root(path: Path) -> Path:
    """Files in ``config/`` beside the classpath root (``classpath:/config/``, ``./config/``) belong
    to the application of the directory above."""
    parent = path.parent
    return parent.parent if parent.name == "config" else parent


def _join_test_profiles(apps: dict[Path, list[SpringDoc]]) -> None:
    """``src/test/resources/application-test.yml`` with no base file of its own runs on top of
    ``src/main/resources/application.yml`` (both are on the test classpath)."""
    for root in list(apps):
        parts = root.parts
        if len(parts) < 3 or parts[-3:] != ("src", "test", "resources"):
            continue
        if any(d.file_profile is None for d in apps[root]):
            continue
        main = Path(*parts[:-2], "main", "resources")
        if main in apps:
            apps[main].extend(apps.pop(root))


def extract(documents: list[Document], on_error: Callable[[str, Exception], None]) -> list[Entity]:
    apps: dict[Path, list[SpringDoc]] = {}
    for document in documents:
        apps.setdefault(_app_root(document.path), []).extend(_documents(document))
    _join_test_profiles(apps)
    out: list[Entity] = []
    for root, app in sorted(apps.items()):
        try:
            out.extend(_application(app))
        except Exception as exc:  # one application's bug must not hide the others
            on_error(f"extracting the Spring Boot configuration in {root}", exc)
    return out


def _application(app: list[SpringDoc]) -> list[Entity]:
    app.sort(
        key=lambda d: (
            d.file_profile is not None,
            d.file_profile or "",
            _SUFFIX_ORDER.get(d.document.path.suffix.lstrip("."), 3),
            d.index,
        )
    )
    names = profiles.names([e for d in app for e in d.profiles]) | {d.file_profile for d in app if d.file_profile}
    out: list[Entity] = []
    for profile in [None, *sorted(names - {"default"})]:
        # a profile that changes nothing about Kafka or RabbitMQ would only repeat the default's findings
        active = [d for d in app if d.active_in({profile or "default"})]
        kafka = profile is None or _changes(app, profile, "kafka")
        cloud = profile is None or _changes(app, profile, "cloud")
        traits = _traits(active)
        found = _clients(active, traits) if kafka or cloud else None
        if kafka and found is not None:
            out.extend(_entities(active, profile, traits, found))
        if profile is None or _changes(app, profile, "rabbitmq"):
            out.extend(spring_rabbit.entities(active, profile))
        if cloud and found is not None:
            bindings = spring_stream.entities(active, profile)
            out.extend(bindings)
            out.extend(spring_binder.clients(active, profile, bindings, _boot_settings(found)))
    return out


def _changes(app: list[SpringDoc], profile: str, family: str) -> bool:
    """Does a document of ``profile`` alone (not the base configuration) write ``spring.<family>.*``?"""
    return any((d.profiles or d.file_profile) and d.active_in({profile}) and _mentions(d, family) for d in app)


def _mentions(doc: SpringDoc, family: str) -> bool:
    return any(_starts(p, "spring", family) for p in doc.props)
