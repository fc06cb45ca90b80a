"""The one model: every reader feeds it, every rule reads it.

Positions are 1-based; an end column points just past the last character (as in ruff's JSON).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from msglint import numbers
from msglint.facts import Kind, Relation


@dataclass(frozen=True, order=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int

    @staticmethod
    def point(line: int, column: int = 1) -> Span:
        return Span(line, column, line, column)


@dataclass(frozen=True)
class Origin:
    """Where a setting was written."""

    path: str
    span: Span  # the key through the end of the value
    raw_key: str  # the key exactly as written, e.g. spring.kafka.producer.acks
    syntax: str  # "properties" or "yaml"
    value_span: Span | None = None
    key_span: Span | None = None
    value_kind: str = "raw"  # how the value is written: raw, duration, datasize, enum, boolean, list
    whole_lines: bool = True  # the setting alone fills its lines (not one item of a flow mapping)
    section: str = ""  # the dotted path of the block it was written in (spec.config); "" outside manifests


@dataclass(frozen=True)
class Setting:
    """A value in the canonical key space, written somewhere or supplied by a default.

    ``value`` is the canonical text (milliseconds for durations, bytes for sizes, ``all`` for
    ``acks=-1``); it is None when the value cannot be known statically (a ``${placeholder}``).
    """

    key: str
    value: str | None
    raw: str
    origin: Origin | None = None
    default_from: str | None = None  # who supplies the value when it is not written

    @property
    def explicit(self) -> bool:
        return self.origin is not None

    def as_int(self) -> int | None:
        """The value as a whole number, or None: not one, or beyond what the key holds (a Java int for
        the Kafka client's INT keys, 64 bits otherwise), which is the invalid-value rule's finding."""
        return numbers.parse_int(self.value, numbers.value_bits(self.key))

    def as_bool(self) -> bool | None:
        v = (self.value or "").strip().lower()
        return True if v == "true" else False if v == "false" else None


@dataclass(frozen=True)
class Edit:
    """Replace ``span`` of ``path`` with ``content``; an empty span inserts."""

    path: str
    span: Span
    content: str


@dataclass(frozen=True)
class Fix:
    """A fix and whether it may be applied, as ruff's: ``safe`` keeps the meaning the fix states (the
    file lints clean after it), ``unsafe`` changes behaviour the user must review, ``display-only`` is
    shown and never applied. Writers leave the default; the engine sets the rule's ``fix_safety``
    on a fix that edits. Not in the JSON or SARIF output yet."""

    title: str
    snippet: str  # the fix as it reads in the file's own syntax
    edits: tuple[Edit, ...] = ()
    applicability: str = "display-only"  # safe, unsafe or display-only: nothing applies unless told


class Writer(Protocol):
    """Writes a key that an entity does not have yet, in the syntax and naming of its anchor file."""

    def insert(self, key: str, value: str) -> Fix | None: ...

    def rename(self, current: Setting, key: str) -> Fix | None: ...


@dataclass(frozen=True)
class Derived:
    """A number worked out from several places (a cluster's brokers: the sum of its node pools)."""

    value: int
    how: str  # said in messages: "3 from KafkaNodePool pool-a (line 9)"
    origins: tuple[Origin, ...] = ()


@dataclass(frozen=True)
class Related:
    """Another place a finding involves (the topic a producer writes to)."""

    path: str
    span: Span
    message: str


@dataclass
class Entity:
    kind: Kind  # kafka.producer, rabbit.queue, nats.stream, code.listener...: facts.Kind lists them
    client: str  # whose defaults apply: kafka-java | spring-kafka | kafka-broker | strimzi | kubernetes
    path: str  # the file the entity is anchored in
    anchor: Span  # where findings about absent keys point
    settings: dict[str, Setting] = field(default_factory=dict)
    profile: str | None = None
    writer: Writer | None = None
    label: str = ""
    related: dict[Relation, list[Entity]] = field(default_factory=dict)  # links made by extract and link
    ignored: list[Setting] = field(default_factory=list)  # written, but bound to nothing
    traits: set[str] = field(default_factory=set)  # context that changes defaults: kafka-streams, ...
    name: str = ""  # a cluster's, topic's or workload's name
    namespace: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    derived: dict[str, Derived] = field(default_factory=dict)
    refs: list[Setting] = field(default_factory=list)  # settings whose values name topics
    # the facts extractors found, each declared once in facts.FACTS with its shape and kinds
    attributes: dict[str, str] = field(default_factory=dict)  # text facts: vhost, ack-mode, module
    lists: dict[str, tuple[str, ...]] = field(default_factory=dict)  # roles, containers, served-by
    counts: dict[str, int] = field(default_factory=dict)  # publishes, listeners
    places: dict[str, Span] = field(default_factory=dict)  # where in the entity's file a fact is: produce-at, ack-at
    environment: str | None = None  # why this is taken for a development setup, when it is

    def one(self, relation: Relation) -> Entity | None:
        linked = self.related.get(relation)
        return linked[0] if linked else None

    def get(self, key: str) -> Setting | None:
        """The setting as written, or None."""
        return self.settings.get(key)


@dataclass(frozen=True)
class Finding:
    code: str
    name: str
    severity: str  # error | warning | info
    path: str
    span: Span
    message: str
    fix: Fix | None = None
    profile: str | None = None
    related: tuple[Related, ...] = ()
    fingerprint: str = ""  # stable across edits that move lines (see baseline.py)

    def sort_key(self) -> tuple[str, Span, str]:
        return (self.path, self.span, self.code)


SEVERITIES = ("info", "warning", "error")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass
class Result:
    """What a run found: the findings, and the internal errors that make its exit code 2."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # internal errors: exit code 2
    files: int = 0  # files read
    baselined: int = 0  # findings left out because a baseline knows them
    fail_on: str = "warning"  # the run's threshold (msglint.lint sets the configuration's)
    unread: set[str] = field(default_factory=set)  # paths skipped unread (too large): a report never opens them
    read: set[str] = field(default_factory=set)  # paths read and reported on: the only files a fix may change
    templated: set[str] = field(default_factory=set)  # of those, templates (Helm, Jinja): fixes shown, not applied
    stale_baseline: list[dict[str, str]] = field(default_factory=list)  # baseline entries no finding matches

    def exit_code(self, fail_on: str | None = None) -> int:
        """2 after an internal error, else 1 when a finding is at or above ``fail_on`` (default: the
        run's), else 0: the exit code of ``msglint check``."""
        if self.errors:
            return 2
        threshold = severity_rank(fail_on or self.fail_on)
        return 1 if any(severity_rank(f.severity) >= threshold for f in self.findings) else 0
