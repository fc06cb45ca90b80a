"""Spring Boot configuration files read as Boot binds them: each document's properties as key
segments with their places, its profile conditions, and a writer for keys to add.

Shared by the Kafka (``spring_boot``) and RabbitMQ (``spring_rabbit``) extractors, so that neither
imports the other's module for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from msglint.documents import Document
from msglint.extract import places
from msglint.fixes import Naming, PropertiesWriter, YamlWriter
from msglint.model import Origin, Span
from msglint.readers.tree import Mapping, Node, Scalar, Sequence, yaml11_text
from msglint.spring import binding as spring
from msglint.spring import profiles

_PROFILE_FILE = re.compile(r"^application-(?P<profile>.+)\.(?:ya?ml|properties)$")


@dataclass
class Prop:
    segments: list[str]
    raw_key: str
    value: str
    span: Span
    key_span: Span
    value_span: Span | None
    whole_lines: bool = True


@dataclass
class SpringDoc:
    document: Document
    index: int  # which document of the file
    props: list[Prop]
    profiles: list[str] = field(default_factory=list)  # on-profile expressions; empty: always active
    file_profile: str | None = None
    root: Node | None = None  # the YAML document, for inserting keys
    last_line: int = 0

    def active_in(self, active: set[str]) -> bool:
        if self.file_profile is not None and self.file_profile not in active:
            return False
        return not self.profiles or profiles.matches(self.profiles, active)


def _flatten(
    node: Node,
    prefix: list[str],
    raw_prefix: str,
    lines: list[str],
    seen: frozenset[int] = frozenset(),
    aliased: bool = False,
) -> Iterator[Prop]:
    if not isinstance(node, Mapping) or id(node) in seen:
        return  # a recursive alias: Boot would fail on it too; nothing more to read
    seen = seen | {id(node)}
    for key, value in node.items:
        parts = spring.split_key(key.value)
        if not parts:
            continue
        segments = prefix + parts
        glue = "" if not raw_prefix or key.value.startswith("[") else "."
        raw = f"{raw_prefix}{glue}{key.value}"
        if isinstance(value, Mapping):
            # `producer: *base`: what is below is written at the anchor, maybe for others too
            alias = (value.span.line, value.span.column) < (key.span.line, key.span.column)
            yield from _flatten(value, segments, raw, lines, seen, aliased or alias)
        elif isinstance(value, Scalar):
            if value.tag == "null":
                continue  # an empty value binds nothing
            span, value_span, whole = places.place(key, value, lines, keep_quotes=True)
            yield Prop(segments, raw, yaml11_text(value), span, key.span, None if aliased else value_span, whole)
        elif isinstance(value, Sequence) and all(isinstance(i, Scalar) for i in value.items):
            text = ",".join(yaml11_text(i) for i in value.items if isinstance(i, Scalar))
            span, _, whole = places.place(key, value, lines)
            yield Prop(segments, raw, text, span, key.span, None, whole)


def _profiles(props: list[Prop]) -> list[str]:
    """The document's on-profile expressions (a comma-separated list matches when any does)."""
    for prop in props:
        names = [spring.canonical(s) for s in prop.segments]
        if names in (["spring", "config", "activate", "onprofile"], ["spring", "profiles"]):
            return [p.strip() for p in prop.value.split(",") if p.strip()]
    return []


def documents(document: Document) -> list[SpringDoc]:
    match = _PROFILE_FILE.match(document.path.name)
    file_profile = match.group("profile") if match else None
    docs: list[SpringDoc] = []
    if document.syntax == "yaml":
        for index, root in enumerate(document.yaml):
            if not isinstance(root, Mapping) or not any(
                spring.canonical(k.value).startswith("spring") for k, _ in root.items
            ):
                continue  # a Kubernetes manifest or other YAML: nothing for Spring Boot here
            props = list(_flatten(root, [], "", document.lines))
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


def starts(prop: Prop, *names: str) -> bool:
    return [spring.canonical(s) for s in prop.segments[: len(names)]] == list(names)


def writer(doc: SpringDoc, naming: Naming, family: str = "kafka") -> YamlWriter | PropertiesWriter:
    """Writes new keys into ``doc``: nested YAML, or a line after the last ``spring.<family>`` one."""
    document = doc.document
    if document.syntax == "yaml":
        return YamlWriter(document.display, naming, document.lines, root=doc.root, last_line=doc.last_line)
    last = max((p.span.end_line for p in doc.props if starts(p, "spring", family)), default=doc.last_line)
    return PropertiesWriter(document.display, naming, document.lines, after=last)


def origin(prop: Prop, doc: SpringDoc, conversion: str) -> Origin:
    """Where a Spring property is written, its value converted by ``conversion`` (binding.RAW...)."""
    return Origin(
        doc.document.display,
        prop.span,
        prop.raw_key,
        doc.document.syntax,
        prop.value_span,
        prop.key_span,
        conversion,
        prop.whole_lines,
    )
