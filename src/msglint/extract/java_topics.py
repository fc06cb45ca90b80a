"""Java code that creates topics -> ``kafka.topic`` entities with the replication factor it asks for:
the admin client's ``new NewTopic(name, partitions, (short) rf)`` and Spring Kafka's
``TopicBuilder.name(name)...replicas(rf)``. A topic whose factor is left to the broker
(``Optional.empty()``, no ``replicas(...)``) says nothing here: the broker's default decides.
"""

from __future__ import annotations

from typing import Any

from msglint.documents import Document
from msglint.extract.java_kafka import File, java_origin, java_value
from msglint.model import Entity, Setting
from msglint.readers.java import walk

LABEL = "Kafka topic created in code"


def extract(document: Document, file: File | None = None) -> list[Entity]:
    file = file or File(document)
    out = []
    for node in walk(file.source.root):
        found = _new_topic(file, node) if node.type == "object_creation_expression" else None
        if found is None and node.type == "method_invocation":
            found = _builder(file, node)
        if found is None:
            continue
        name_node, factor_node, anchor, parameter = found
        literal = _uncast(factor_node)  # a fix rewrites the 1 of (short) 1: NewTopic takes a short
        factor = java_value(file, literal)
        if factor.text is None:
            continue  # a variable or an expression: not known here
        origin = java_origin(file, factor_node, literal, parameter, factor)
        name = java_value(file, name_node).text or file.text(name_node)
        setting = Setting("replication.factor", factor.text, factor.text, origin)
        out.append(
            Entity(
                "kafka.topic",
                "kafka-admin",
                document.display,
                file.source.span(anchor),
                {"replication.factor": setting},
                name=name,
                label=LABEL,
            )
        )
    return out


def _new_topic(file: File, node: Any) -> tuple[Any, Any, Any, str] | None:
    """``new NewTopic(name, partitions, (short) rf)``: (name, rf, the creation, the parameter's name)."""
    kind = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
    arguments = node.child_by_field_name("arguments")
    if kind != "NewTopic" or arguments is None or len(arguments.named_children) != 3:
        return None
    name, _, factor = arguments.named_children
    return name, factor, node, "replicationFactor"


def _builder(file: File, node: Any) -> tuple[Any, Any, Any, str] | None:
    """``TopicBuilder.name(name)....replicas(rf)``: (name, rf, the ``replicas`` call, "replicas")."""
    method = node.child_by_field_name("name")
    arguments = node.child_by_field_name("arguments")
    if method is None or file.text(method) != "replicas" or arguments is None or len(arguments.named_children) != 1:
        return None
    chain = node.child_by_field_name("object")
    while chain is not None and chain.type == "method_invocation":
        owner = chain.child_by_field_name("object")
        called = chain.child_by_field_name("name")
        if owner is not None and file.text(owner).split(".")[-1] == "TopicBuilder" and called is not None:
            given = chain.child_by_field_name("arguments")
            if file.text(called) != "name" or given is None or len(given.named_children) != 1:
                return None
            return given.named_children[0], arguments.named_children[0], node, "replicas"
        chain = owner
    return None


def _uncast(node: Any) -> Any:
    """``(short) 1`` -> ``1``; parentheses too."""
    while node.type in ("cast_expression", "parenthesized_expression") and node.named_children:
        node = node.named_children[-1]
    return node
