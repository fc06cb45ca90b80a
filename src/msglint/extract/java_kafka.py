"""Kafka clients in Java source: ``Properties``/``Map`` configurations handed to ``new KafkaProducer``,
``new KafkaConsumer`` and Spring's ``DefaultKafka{Producer,Consumer}Factory`` -> producer and consumer
entities, so every configuration rule applies to Java too, at the line of the ``put``.

Followed statically, within the file: a local or field variable filled with ``put``/``setProperty``
(and ``putAll`` of another such variable), a same-class method that builds and returns one
(``consumerConfigs()``, the Spring ``@Bean`` idiom), and ``Map.of(...)``. Keys are string literals or
the clients' ``*_CONFIG`` constants; values are literals, ``Integer.MAX_VALUE`` and the like, or
constants of the file. A map seeded from something else (``new HashMap<>(boot.buildProducerProperties())``)
is partial: what is written is judged, but no default is assumed for what is not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

from msglint import numbers
from msglint.documents import Document
from msglint.facts import Kind
from msglint.fixes.java import JavaWriter
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.java import Source, walk

# constructed class -> (entity kind, whose defaults apply)
CLIENTS: dict[str, tuple[Kind, str]] = {
    "KafkaProducer": ("kafka.producer", "kafka-java"),
    "KafkaConsumer": ("kafka.consumer", "kafka-java"),
    "DefaultKafkaProducerFactory": ("kafka.producer", "spring-kafka"),
    "DefaultKafkaConsumerFactory": ("kafka.consumer", "spring-kafka"),
}
_KNOWN = (
    keys.PRODUCER_KEYS
    | keys.CONSUMER_KEYS
    | {"bootstrap.servers", "client.id", "request.timeout.ms", "retry.backoff.ms", "message.timeout.ms"}
)
# Kafka's constant for a key is its name in capitals with `_CONFIG`, except these
_CONSTANT_NAMES = {
    "max.in.flight.requests.per.connection": "MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION",
    "key.serializer": "KEY_SERIALIZER_CLASS_CONFIG",
    "value.serializer": "VALUE_SERIALIZER_CLASS_CONFIG",
    "key.deserializer": "KEY_DESERIALIZER_CLASS_CONFIG",
    "value.deserializer": "VALUE_DESERIALIZER_CLASS_CONFIG",
    "partitioner.class": "PARTITIONER_CLASS_CONFIG",
}
CONSTANTS = {_CONSTANT_NAMES.get(k, k.upper().replace(".", "_") + "_CONFIG"): k for k in _KNOWN}
_CONFIG_CLASSES = {"ProducerConfig", "ConsumerConfig", "CommonClientConfigs"}
# Spring Kafka's deserializer keys, which ride in the consumer's configuration map
_SPRING_CONSTANTS = {
    (owner, constant): key
    for owner in ("JsonDeserializer", "JacksonJsonDeserializer")
    for constant, key in (
        ("TRUSTED_PACKAGES", "spring.json.trusted.packages"),
        ("USE_TYPE_INFO_HEADERS", "spring.json.use.type.headers"),
    )
}
_SPRING_KEYS = frozenset(_SPRING_CONSTANTS.values())
_WELL_KNOWN = {
    "Integer.MAX_VALUE": "2147483647",
    "Long.MAX_VALUE": "9223372036854775807",
    "Integer.MIN_VALUE": "-2147483648",
    "Boolean.TRUE": "true",
    "Boolean.FALSE": "false",
}
_TO_STRING = {"String.valueOf", "Integer.toString", "Long.toString", "Boolean.toString"}
_PUTS = {"put", "setProperty", "putIfAbsent"}
_OBJECT_TYPES = {"javaint": "Integer", "javalong": "Long", "javabool": "Boolean"}
_INTEGER_LITERALS = (
    "decimal_integer_literal",
    "hex_integer_literal",
    "octal_integer_literal",
    "binary_integer_literal",
)


@dataclass
class JavaValue:
    text: str | None  # the value as text; None: not known statically
    kind: str  # javastr, javaint, javabool, other


# The client libraries' own namespaces. Their sources (Kafka's tools and benchmark workers, Spring
# Kafka's reference-doc snippets) build clients to exercise the library, not to run an application:
# the Java twin of python_kafka.own_package. Spring AMQP is left out: its official samples live in
# its namespace (org.springframework.amqp.helloworld), and applications are what they show.
OWN_NAMESPACES = ("org.apache.kafka.", "org.springframework.kafka.", "com.rabbitmq.client.", "io.nats.client.")
_PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;")


def library_own(document: Document) -> bool:
    """A source file in a client library's own namespace (its ``package`` line says so)."""
    for line in document.lines[:200]:
        found = _PACKAGE.match(line)
        if found:
            return (found.group(1) + ".").startswith(OWN_NAMESPACES)
    return False


class File:
    """What the Java extractors need of one file: its text, its constants, its methods. Built once
    per file and shared by java_kafka, java_spring, java_listeners and java_effects."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.source: Source = document.java
        self.constants: dict[str, Any] = {}  # field name -> initializer (only names declared once)
        self.fields: set[str] = set()
        self.methods: dict[str, list[Any]] = {}
        twice: set[str] = set()
        for node in walk(self.source.root):
            if node.type == "field_declaration":
                for declarator in node.children_by_field_name("declarator"):
                    name = self.text(declarator.child_by_field_name("name"))
                    value = declarator.child_by_field_name("value")
                    if name in self.fields:
                        twice.add(name)
                    self.fields.add(name)
                    if value is not None:
                        self.constants[name] = value
            elif node.type == "method_declaration":
                self.methods.setdefault(self.text(node.child_by_field_name("name")), []).append(node)
        for name in twice:
            self.constants.pop(name, None)

    def text(self, node: Any) -> str:
        return self.source.text(node) if node is not None else ""

    def handler(
        self, node: Any, label: str, attributes: dict[str, str], places: dict[str, Any] | None = None
    ) -> Entity:
        """A ``code.handler`` for a pattern found at ``node``; ``places``: other nodes it names."""
        spans = {key: self.source.span(n) for key, n in (places or {}).items()}
        return Entity(
            "code.handler",
            "java",
            self.document.display,
            self.source.span(node),
            label=label,
            attributes=attributes,
            places=spans,
        )


def enclosing_scope(node: Any) -> Any:
    """The method, constructor, initializer or lambda body a node is in (None: a field initializer)."""
    current = node.parent
    while current is not None:
        if current.type in (
            "method_declaration",
            "constructor_declaration",
            "static_initializer",
            "lambda_expression",
            "class_body",
        ):
            return None if current.type == "class_body" else current
        current = current.parent
    return None


def java_value(file: File, node: Any, depth: int = 0) -> JavaValue:
    if node.type == "string_literal":
        return _string(file.text(node))
    if node.type in _INTEGER_LITERALS:
        # read with bounds: a decimal literal is kept as written however long (KX101 says javac refuses it)
        literal = numbers.java_literal(file.text(node))
        if literal is None:
            return JavaValue(None, "javaint")
        return JavaValue(literal[0], "javalong" if literal[1] else "javaint")
    if node.type in ("true", "false"):
        return JavaValue(node.type, "javabool")
    if node.type == "unary_expression" and file.text(node).startswith("-"):
        negated = _negated(java_value(file, node.named_children[0], depth + 1))
        if negated is not None:
            return negated
    return _named(file, node, depth)


def _string(text: str) -> JavaValue:
    inner = text[1:-1] if text.startswith('"') and not text.startswith('"""') else None
    if inner is None or "\\" in inner:
        return JavaValue(None, "javastr")
    return JavaValue(inner, "javastr")


def _negated(value: JavaValue) -> JavaValue | None:
    """``-x`` of an integer value, as Java computes it; None: not an integer known statically."""
    if value.kind not in ("javaint", "javalong") or value.text is None:
        return None
    if not value.text.startswith("-"):
        return JavaValue(f"-{value.text}", value.kind)
    if len(value.text) > numbers.MAX_DIGITS + 1:
        return JavaValue(None, value.kind)  # - -999…: out of range either way
    bits = 64 if value.kind == "javalong" else 32  # a two's complement literal: the negation wraps
    wrapped = (2 ** (bits - 1) - int(value.text)) % 2**bits - 2 ** (bits - 1)
    return JavaValue(str(wrapped), value.kind)


def _named(file: File, node: Any, depth: int) -> JavaValue:
    """A value written by name: ``Integer.MAX_VALUE``, a constant of the file, ``String.valueOf(x)``."""
    text = file.text(node)
    if node.type in ("field_access", "identifier") and text in _WELL_KNOWN:
        return JavaValue(_WELL_KNOWN[text], "other")
    if node.type == "identifier" and depth < 5 and text in file.constants:
        return JavaValue(java_value(file, file.constants[text], depth + 1).text, "other")  # a constant: not edited
    if node.type == "method_invocation" and depth < 5:
        callee = file.text(node.child_by_field_name("object")) + "." + file.text(node.child_by_field_name("name"))
        arguments = node.child_by_field_name("arguments").named_children
        if callee in _TO_STRING and len(arguments) == 1:
            return JavaValue(java_value(file, arguments[0], depth + 1).text, "other")
    return JavaValue(None, "other")


def _key(file: File, node: Any) -> str | None:
    text = file.text(node)
    if node.type == "string_literal":
        return text[1:-1] if text.startswith('"') else None
    if node.type == "field_access":
        owner, _, constant = text.rpartition(".")
        owner = owner.split(".")[-1]
        return CONSTANTS.get(constant) if owner in _CONFIG_CLASSES else _SPRING_CONSTANTS.get((owner, constant))
    if node.type == "identifier":
        if text in CONSTANTS:
            return CONSTANTS[text]  # statically imported
        if text in file.constants:
            initial = file.constants[text]
            return _key(file, initial) if initial.type != "identifier" else None
    return None


@dataclass
class _Config:
    entries: list[tuple[Any, Any]]  # (key node, value node), in the order they are written
    variable: str
    partial: bool  # seeded from something that cannot be followed


def calls_on(file: File, scope: Any, variable: str) -> Iterator[Any]:
    """Method calls on ``variable`` (or ``this.variable``) in ``scope``; for a field (no scope), in the
    whole file except where a local of the same name hides it."""
    for node in walk(scope if scope is not None else file.source.root):
        if node.type == "method_invocation":
            receiver = file.text(node.child_by_field_name("object"))
            if receiver == f"this.{variable}" or (
                receiver == variable and (scope is not None or not _shadowed(file, node, variable))
            ):
                yield node


def _shadowed(file: File, node: Any, variable: str) -> bool:
    """Is ``variable`` at ``node`` a local (or parameter) of the enclosing method, not the field?"""
    method = enclosing_scope(node)
    if method is None:
        return False
    return any(
        n.type in ("variable_declarator", "formal_parameter") and file.text(n.child_by_field_name("name")) == variable
        for n in walk(method)
    )


def _reassigned(file: File, scope: Any, variable: str) -> bool:
    """A local declared twice (two blocks), or a local or field assigned again: which configuration
    reaches the client is not followed, so nothing is said."""
    declarations = assignments = 0
    for node in walk(scope if scope is not None else file.source.root):
        if node.type == "variable_declarator" and file.text(node.child_by_field_name("name")) == variable:
            declarations += 1
        elif node.type == "assignment_expression":
            left = file.text(node.child_by_field_name("left"))
            hidden = scope is None and _shadowed(file, node, variable)
            if left == f"this.{variable}" or (left == variable and not hidden):
                assignments += 1
    return (scope is not None and declarations > 1) or assignments > 0


def _declaration(file: File, scope: Any, variable: str) -> Any:
    """The initializer of ``variable`` declared in ``scope``, or None."""
    for node in walk(scope) if scope is not None else ():
        if node.type == "variable_declarator" and file.text(node.child_by_field_name("name")) == variable:
            return node.child_by_field_name("value")
    return None


def _follow(file: File, node: Any, scope: Any, depth: int = 0) -> _Config | None:
    """The configuration an expression stands for, or None when it cannot be followed."""
    if depth > 5 or node is None:
        return None
    if node.type == "identifier":
        return _follow_variable(file, file.text(node), scope, depth)
    if node.type == "method_invocation":
        return _follow_call(file, node, depth)
    return None


def _follow_variable(file: File, name: str, scope: Any, depth: int) -> _Config | None:
    """A local or field filled by ``put`` calls, starting from its initializer."""
    local = _declaration(file, scope, name) if scope is not None else None
    if local is None and name not in file.fields:
        return None
    if _reassigned(file, scope if local is not None else None, name):
        return None
    where = scope if local is not None else None
    initial = local if local is not None else file.constants.get(name)
    config = _Config([], name, False)
    if initial is not None:
        _merge(config, _seed(file, initial, scope, depth))
    for call in calls_on(file, where, name):
        method = file.text(call.child_by_field_name("name"))
        arguments = call.child_by_field_name("arguments").named_children
        if method in _PUTS and len(arguments) == 2:
            config.entries.append((arguments[0], arguments[1]))
        elif method == "putAll" and len(arguments) == 1:
            _merge(config, _follow(file, arguments[0], scope, depth + 1))
    return config


def _merge(config: _Config, other: _Config | None) -> None:
    """Add what ``other`` holds to ``config``; one that cannot be followed makes it partial."""
    if other is None:
        config.partial = True
    else:
        config.entries.extend(other.entries)
        config.partial = config.partial or other.partial


def _follow_call(file: File, node: Any, depth: int) -> _Config | None:
    """``Map.of(...)``, or a same-class method without arguments that returns one configuration."""
    owner = file.text(node.child_by_field_name("object"))
    name = file.text(node.child_by_field_name("name"))
    arguments = node.child_by_field_name("arguments").named_children
    if owner == "Map" and name == "of":
        pairs = list(zip(arguments[::2], arguments[1::2], strict=False))
        return _Config(pairs, "", False)
    if owner in ("", "this") and not arguments and len(file.methods.get(name, [])) == 1:
        method = file.methods[name][0]
        returned = [n for n in walk(method) if n.type == "return_statement" and n.named_children]
        if len(returned) == 1:
            return _follow(file, returned[0].named_children[0], method, depth + 1)
    return None


def _seed(file: File, initial: Any, scope: Any, depth: int) -> _Config | None:
    """What a configuration variable starts as: empty (``new Properties()``), or another config."""
    if initial.type == "object_creation_expression":
        arguments = initial.child_by_field_name("arguments").named_children
        if not arguments:
            return _Config([], "", False)
        if len(arguments) == 1 and arguments[0].type == "decimal_integer_literal":
            return _Config([], "", False)  # an initial capacity
        return _follow(file, arguments[0], scope, depth + 1)
    return _follow(file, initial, scope, depth + 1)


def _block(node: Any) -> Any:
    """The innermost block or switch arm a node is in (its branch)."""
    current = node.parent
    while current is not None and current.type not in (
        "block",
        "switch_block_statement_group",
        "switch_rule",
        "class_body",
    ):
        current = current.parent
    return current


def java_origin(file: File, head: Any, value_node: Any, raw_key: str, value: JavaValue) -> Origin:
    """Where a Java setting is written: from its key (or setter) through its value, which is
    replaceable only when it is a literal."""
    key_span, value_span = file.source.span(head), file.source.span(value_node)
    span = Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column)
    editable = value.text is not None and value.kind != "other"
    return Origin(
        file.document.display,
        span,
        raw_key,
        "java",
        value_span if editable else None,
        key_span,
        value.kind,
        whole_lines=False,
    )


def assigned_to(file: File, node: Any) -> str:
    """The name an expression is assigned to (``factory`` in ``var factory = new ...()``), or empty."""
    parent = node.parent
    if parent is not None and parent.type == "variable_declarator":
        return file.text(parent.child_by_field_name("name"))
    if parent is not None and parent.type == "assignment_expression":
        return file.text(parent.child_by_field_name("left")).removeprefix("this.")
    return ""


def _setting(file: File, key: str, key_node: Any, value_node: Any) -> Setting:
    value = java_value(file, value_node)
    origin = java_origin(file, key_node, value_node, file.text(key_node), value)
    text = None if value.text is None else keys.normalize(key, value.text)
    return Setting(key, text, value.text or "", origin)


def extract(document: Document, file: File | None = None) -> list[Entity]:
    file = file or File(document)
    out: list[Entity] = []
    for node in walk(file.source.root):
        if node.type != "object_creation_expression":
            continue
        type_node = node.child_by_field_name("type")
        simple = file.text(type_node).split("<")[0].split(".")[-1]
        if simple not in CLIENTS:
            continue
        arguments = node.child_by_field_name("arguments").named_children
        if not arguments:
            continue
        config = _follow(file, arguments[0], enclosing_scope(node))
        if config is None:
            continue  # built where it cannot be followed: say nothing
        kind, client = CLIENTS[simple]
        settings: dict[str, Setting] = {}
        objects: dict[str, str] = {}  # key -> the Java type of a literal put as an object (Integer, Boolean)
        branches: dict[str, Any] = {}  # key -> the block of its last put
        for key_node, value_node in config.entries:
            key = _key(file, key_node)
            if key is None or (key not in _KNOWN and key not in _SPRING_KEYS):
                continue
            block = _block(key_node)
            setting = _setting(file, key, key_node, value_node)
            if key in branches and branches[key] != block:
                # put in two branches (if/else, switch): which value applies is decided at run time
                setting = replace(setting, value=None)
            branches[key] = block
            settings.pop(key, None)  # the last put wins, and keeps its place
            settings[key] = setting
            kind_of = setting.origin.value_kind if setting.origin is not None else ""
            objects.pop(key, None)
            if kind_of in _OBJECT_TYPES:
                objects[key] = _OBJECT_TYPES[kind_of]
        label = f"{'Spring Kafka' if client == 'spring-kafka' else 'Kafka'} {kind.split('.')[1]}"
        entity = Entity(
            kind,
            client,
            document.display,
            file.source.span(type_node),
            settings,
            writer=JavaWriter(document.display, config.variable, CONSTANTS),
            label=label,
        )
        for key, java_type in objects.items():
            entity.attributes[f"object-type:{key}"] = java_type  # what a Map<String, Object> hands the client
        if config.partial:
            entity.traits.add("templated")  # part of the configuration comes from elsewhere: no defaults
        out.append(entity)
    return out
