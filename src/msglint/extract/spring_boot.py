"""Spring Boot configuration (``application*.yml|yaml|properties``) -> Kafka producer, consumer and
listener-container entities, one set per active profile.

Files in one directory form one application. Documents without a profile condition apply to every
profile; ``spring.config.activate.on-profile`` documents and ``application-<profile>.*`` files add to
them for their profile. Within a variant, later documents override earlier ones and ``.properties``
overrides YAML, as Boot loads them. Within one document the Kafka keys follow Boot's precedence:
``spring.kafka.properties.*`` < common typed keys < client typed keys < ``<client>.properties.*``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from msglint.documents import Document
from msglint.fixes import PropertiesWriter, YamlWriter, spring_naming
from msglint.kafka import keys, spring
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.tree import Mapping, Node, Scalar, Sequence

_PROFILE_FILE = re.compile(r"^application-(?P<profile>.+)\.(?:ya?ml|properties)$")
_SUFFIX_ORDER = {"yml": 0, "yaml": 1, "properties": 2}

LABELS = {
    "kafka.producer": "Spring Kafka producer",
    "kafka.consumer": "Spring Kafka consumer",
    "kafka.listener": "Spring Kafka listener container",
}


@dataclass
class Prop:
    segments: list[str]
    raw_key: str
    value: str
    span: Span
    key_span: Span
    value_span: Span


@dataclass
class SpringDoc:
    document: Document
    index: int  # which document of the file
    props: list[Prop]
    profiles: tuple[str, ...] = ()  # activation condition; empty: always active
    file_profile: str | None = None
    root: Node | None = None  # the YAML document, for inserting keys
    last_line: int = 0

    def active_in(self, profile: str | None) -> bool:
        if self.file_profile is not None and self.file_profile != profile:
            return False
        return not self.profiles or profile in self.profiles


def _flatten(node: Node, prefix: list[str], raw_prefix: str) -> Iterator[Prop]:
    if not isinstance(node, Mapping):
        return
    for key, value in node.items:
        parts = spring.split_key(key.value)
        if not parts:
            continue
        segments = prefix + parts
        glue = "" if not raw_prefix or key.value.startswith("[") else "."
        raw = f"{raw_prefix}{glue}{key.value}"
        if isinstance(value, Mapping):
            yield from _flatten(value, segments, raw)
        elif isinstance(value, Scalar):
            if value.tag == "null":
                continue  # an empty value binds nothing
            span = Span(key.span.line, key.span.column, value.span.end_line, value.span.end_column)
            yield Prop(segments, raw, value.value, span, key.span, value.span)
        elif isinstance(value, Sequence) and all(isinstance(i, Scalar) for i in value.items):
            text = ",".join(i.value for i in value.items if isinstance(i, Scalar))
            span = Span(key.span.line, key.span.column, value.span.end_line, value.span.end_column)
            yield Prop(segments, raw, text, span, key.span, value.span)


def _profiles(props: list[Prop]) -> tuple[str, ...]:
    for prop in props:
        names = [spring.canonical(s) for s in prop.segments]
        if names in (["spring", "config", "activate", "onprofile"], ["spring", "profiles"]):
            # "prod", "prod,eu", "prod | eu": each names a profile; negations stay as written
            return tuple(p.strip() for p in re.split(r"[,|]", prop.value) if p.strip())
    return ()


def _documents(document: Document) -> list[SpringDoc]:
    match = _PROFILE_FILE.match(document.path.name)
    file_profile = match.group("profile") if match else None
    docs: list[SpringDoc] = []
    if document.syntax == "yaml":
        for index, root in enumerate(document.yaml):
            if root is None:
                continue
            props = list(_flatten(root, [], ""))
            last = root.span.end_line - (1 if root.span.end_column == 1 else 0)
            docs.append(SpringDoc(document, index, props, _profiles(props), file_profile, root, last))
    else:
        grouped: dict[int, list[Prop]] = {}
        for e in document.entries:
            grouped.setdefault(e.document, []).append(
                Prop(spring.split_key(e.key), e.key, e.value, e.span, e.key_span, e.value_span)
            )
        for index, props in sorted(grouped.items()):
            last = max(p.span.end_line for p in props)
            docs.append(SpringDoc(document, index, props, _profiles(props), file_profile, None, last))
    return docs


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
        key = _map_key(rest)
        return [_Binding(c, key, 0, spring.RAW) for c in ("producer", "consumer")]
    if head in ("bootstrapservers", "clientid") and not rest:
        name = spring.typed_property("producer", seg[2]) or ""
        kafka_key, kind = spring.COMMON[name]
        return [_Binding(c, kafka_key or name, 1, kind) for c in ("producer", "consumer")]
    if head in ("producer", "consumer", "listener") and rest:
        client = head
        if spring.canonical(rest[0]) == "properties" and client != "listener":
            return [_Binding(client, _map_key(rest[1:]), 3, spring.RAW)] if rest[1:] else []
        typed = spring.typed_property(client, rest[0])
        if typed is not None and len(rest) == 1:
            kafka_key, kind = spring.CLIENT_TABLES[client][typed]
            return [_Binding(client, kafka_key, 2, kind)] if kafka_key else []
        if typed is None and spring.canonical(rest[0]) not in spring.NESTED:
            return [_Binding(client, ".".join(rest), 2, spring.RAW, ignored=True)]
    return []


def _configures(b: _Binding) -> bool:
    """Does this binding show that the application configures (and so uses) that client?
    Shared keys count only when they belong to the client: ``spring.kafka.properties.acks`` makes a
    producer, ``spring.kafka.properties.sasl.mechanism`` makes nothing."""
    if b.level in (2, 3) or b.client == "listener":
        return True
    own = keys.PRODUCER_KEYS if b.client == "producer" else keys.CONSUMER_KEYS
    return b.level == 0 and b.key in own


def _map_key(segments: list[str]) -> str:
    """``[linger.ms]`` or ``linger`` + ``ms`` -> ``linger.ms`` (Boot keeps dots in map keys)."""
    return ".".join(s.strip("[]") for s in segments)


def _entities(app: list[SpringDoc], profile: str | None) -> list[Entity]:
    active = [d for d in app if d.active_in(profile)]
    chosen: dict[tuple[str, str], tuple[tuple[int, int], Setting]] = {}
    ignored: dict[str, list[Setting]] = {}
    anchors: dict[str, tuple[Prop, SpringDoc]] = {}  # where each client is first configured
    for order, doc in enumerate(active):
        for prop in doc.props:
            for b in _bindings(prop):
                if b.level == 2:  # a typed property: Boot converts it first
                    value = spring.convert(b.kind, prop.value)
                    if value is not None and b.client != "listener":
                        value = keys.normalize(b.key, value)
                else:
                    value = keys.normalize(b.key, prop.value)
                origin = Origin(
                    doc.document.display,
                    prop.span,
                    prop.raw_key,
                    doc.document.syntax,
                    prop.value_span,
                    prop.key_span,
                    b.kind,
                )
                setting = Setting(b.key, value, prop.value, origin)
                if _configures(b):
                    anchors.setdefault(b.client, (prop, doc))
                    if b.client == "listener":
                        anchors.setdefault("consumer", (prop, doc))
                if b.ignored:
                    ignored.setdefault(b.client, []).append(setting)
                    continue
                rank = (b.level, order)
                previous = chosen.get((b.client, b.key))
                if previous is None or rank >= previous[0]:
                    chosen[(b.client, b.key)] = (rank, setting)

    entities: dict[str, Entity] = {}
    for client, (prop, doc) in anchors.items():
        kind = f"kafka.{client}"
        written = {key: s for (c, key), (_, s) in chosen.items() if c == client}
        naming = spring_naming(client)
        writer: YamlWriter | PropertiesWriter
        document = doc.document
        if document.syntax == "yaml":
            writer = YamlWriter(document.display, naming, document.lines, root=doc.root, last_line=doc.last_line)
        else:
            last = max(
                (
                    p.span.end_line
                    for p in doc.props
                    if [spring.canonical(s) for s in p.segments[:2]] == ["spring", "kafka"]
                ),
                default=doc.last_line,
            )
            writer = PropertiesWriter(document.display, naming, document.lines, after=last)
        entity = Entity(
            kind,
            "spring-kafka",
            document.display,
            prop.key_span,
            written,
            profile,
            writer,
            LABELS[kind],
            ignored=ignored.get(client, []),
        )
        entities[client] = entity
    for client, entity in entities.items():
        entity.related = {c: e for c, e in entities.items() if c != client}
    return list(entities.values())


def _mentions_kafka(doc: SpringDoc) -> bool:
    return any([spring.canonical(s) for s in p.segments[:2]] == ["spring", "kafka"] for p in doc.props)


def extract(documents: list[Document]) -> list[Entity]:
    apps: dict[str, list[SpringDoc]] = {}
    for document in documents:
        apps.setdefault(str(document.path.parent), []).extend(_documents(document))
    out: list[Entity] = []
    for _, app in sorted(apps.items()):
        app.sort(
            key=lambda d: (
                d.file_profile is not None,
                d.file_profile or "",
                _SUFFIX_ORDER.get(d.document.path.suffix.lstrip("."), 3),
                d.index,
            )
        )
        profiles = sorted({p for d in app for p in d.profiles} | {d.file_profile for d in app if d.file_profile})
        for profile in [None, *profiles]:
            if profile is None or any(
                d.active_in(profile) and (d.profiles or d.file_profile) and _mentions_kafka(d) for d in app
            ):
                out.extend(_entities(app, profile))
    return out
