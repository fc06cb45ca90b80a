"""Sends in Java. Kafka sends whose outcome nobody looks at -> a ``code.handler`` for each statement
``x.send(...);`` (or ``sendDefault``) that throws its result away, where ``x`` is declared in the
file as a ``KafkaProducer``/``Producer`` or a ``KafkaTemplate``: no callback argument, no ``get()``,
``whenComplete``/``thenAccept``/``addCallback`` or other use of the returned future.

Not reported: a send inside a ``@Transactional`` method or an ``executeInTransaction`` /
``inTransaction`` block, a producer's send in a file that begins transactions on it (a failed send
fails the commit), a file that sets a ``ProducerListener`` on its template (it is told of every
failure), and test sources.

RabbitMQ sends (``convertAndSend``/``send`` on a variable declared as a ``RabbitTemplate`` or
``AmqpTemplate``) -> a ``code.handler`` each, which ``link.listeners`` judges with its build module:
whether anything there turns publisher confirms on (RS207).
"""

from __future__ import annotations

import re
from typing import Any

from msglint.documents import Document
from msglint.extract.java_effects import is_test_source
from msglint.extract.java_kafka import File
from msglint.extract.java_listeners import annotations_of
from msglint.model import Entity
from msglint.readers.java import walk

_PRODUCER_TYPES = ("KafkaProducer", "Producer")
_TEMPLATE_TYPES = ("KafkaTemplate", "ReplyingKafkaTemplate", "RoutingKafkaTemplate")
_RABBIT_TYPES = ("RabbitTemplate", "AmqpTemplate", "RabbitOperations", "AmqpOperations")
_RABBIT_SENDS = {"convertAndSend", "send"}
_TRANSACTIONAL_CALLS = {"executeInTransaction", "inTransaction"}
# a file that deals with publisher confirms in some way: it is not the default that applies
_CONFIRMS = re.compile(rb"(?i)confirm|CorrelationData")


def _declared(file: File) -> dict[str, str]:
    """Variable or field name -> "producer" | "template", from the declarations in the file."""
    out: dict[str, str] = {}
    for node in walk(file.source.root):
        if node.type not in ("field_declaration", "local_variable_declaration", "formal_parameter"):
            continue
        kind = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
        role = (
            "producer"
            if kind in _PRODUCER_TYPES
            else "template"
            if kind in _TEMPLATE_TYPES
            else "rabbit"
            if kind in _RABBIT_TYPES
            else None
        )
        if role is None:
            continue
        if node.type == "formal_parameter":
            out[file.text(node.child_by_field_name("name"))] = role
        for declarator in node.children_by_field_name("declarator"):
            out[file.text(declarator.child_by_field_name("name"))] = role
    return out


def _in_transaction(file: File, node: Any) -> bool:
    current = node.parent
    while current is not None:
        if current.type == "method_invocation" and file.text(current.child_by_field_name("name")) in (
            _TRANSACTIONAL_CALLS
        ):
            return True
        if current.type == "method_declaration":
            return "Transactional" in annotations_of(file, current)
        current = current.parent
    return False


def extract(document: Document, file: File) -> list[Entity]:
    data = file.source.data
    if is_test_source(document) or (b".send" not in data and b"convertAndSend" not in data):
        return []
    declared = _declared(file)
    if not declared:
        return []
    listened = b"setProducerListener" in data
    transactional = b"beginTransaction" in data  # a transactional producer: a failed send fails its commit
    out = []
    for statement in walk(file.source.root):
        if statement.type != "expression_statement" or not statement.named_children:
            continue
        call = statement.named_children[0]
        if call.type != "method_invocation":
            continue
        name = file.text(call.child_by_field_name("name"))
        receiver = file.text(call.child_by_field_name("object")).removeprefix("this.")
        role = declared.get(receiver)
        arguments = call.child_by_field_name("arguments").named_children
        if role == "rabbit":
            if name in _RABBIT_SENDS:
                out.append(_rabbit_send(document, file, call, f"{receiver}.{name}(...)"))
            continue
        if role is None or name not in ("send", "sendDefault") or (role == "template" and listened):
            continue
        if role == "producer" and (name != "send" or len(arguments) != 1 or transactional):
            continue  # send(record, callback): the callback is told
        if _in_transaction(file, call):
            continue
        out.append(file.handler(call, "Kafka send", {"unchecked-send": f"{receiver}.{name}(...)", "sender": role}))
    return out


def _rabbit_send(document: Document, file: File, call: Any, text: str) -> Entity:
    """A RabbitTemplate send; whether its application confirms publishes is decided with its module."""
    entity = file.handler(call, "RabbitTemplate send", {"rabbit-send": text})
    if _CONFIRMS.search(file.source.data):
        entity.traits.add("confirms-in-file")
    return entity
