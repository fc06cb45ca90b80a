"""Acknowledgements in Java consumers -> ``code.handler`` entities:

* each acknowledgement written in a ``finally`` block: RabbitMQ's ``channel.basicAck(...)`` or a
  no-argument ``acknowledge()`` (Spring Kafka's ``Acknowledgment``, JMS's ``Message``), a statement
  of the ``finally`` block itself, after a ``try`` that does some work. Such an acknowledgement runs
  whether that work succeeded or threw. One under an ``if`` or in a loop of the ``finally`` block is
  taken for a decision the code makes, and is not reported;
* each rejection without requeue in a ``@RabbitListener`` (or a ``@RabbitHandler`` of a class
  annotated with it) that reads one queue named by a literal or a constant: ``basicNack(tag, multiple,
  false)``, ``basicReject(tag, false)``, ``throw new AmqpRejectAndDontRequeueException(...)``. The
  link layer ties it to that queue's declarations (RL303).

Test sources are skipped, like the other Java handler patterns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from msglint.documents import Document
from msglint.extract.java_effects import is_test_source
from msglint.extract.java_kafka import File
from msglint.extract.java_listeners import annotation_value, annotations_of
from msglint.model import Entity
from msglint.readers.java import walk


def _acknowledgement(file: File, statement: Any) -> Any:
    """The call of a statement ``x.basicAck(...);`` or ``x.acknowledge();``, else None."""
    if statement.type != "expression_statement" or not statement.named_children:
        return None
    call = statement.named_children[0]
    if call.type != "method_invocation" or call.child_by_field_name("object") is None:
        return None
    name = file.text(call.child_by_field_name("name"))
    arguments = call.child_by_field_name("arguments").named_children
    return call if name == "basicAck" or (name == "acknowledge" and not arguments) else None


def _in_finally(file: File, attempt: Any) -> Iterator[Any]:
    """The acknowledgements that are statements of the try's own ``finally`` block."""
    work = attempt.child_by_field_name("body")
    if work is None or not work.named_children:
        return
    for clause in attempt.named_children:
        if clause.type != "finally_clause":
            continue
        block = next((c for c in clause.named_children if c.type == "block"), None)
        for statement in block.named_children if block is not None else ():
            call = _acknowledgement(file, statement)
            if call is not None:
                yield call


def extract(document: Document, file: File) -> list[Entity]:
    if is_test_source(document):
        return []
    out = _rejections(document, file) if b"RabbitListener" in file.source.data else []
    if b"finally" not in file.source.data:
        return out
    for node in walk(file.source.root):
        if node.type not in ("try_statement", "try_with_resources_statement"):
            continue
        for call in _in_finally(file, node):
            what = {"finally-ack": file.text(call).split("(")[0] + "(...)"}
            out.append(file.handler(call, "acknowledgement in finally", what, {"try-at": node}))
    return out


def _listened_queue(file: File, method: Any) -> str:
    """The one queue a @RabbitListener method (or a @RabbitHandler of a listener class) reads, else ""."""
    annotations = annotations_of(file, method)
    annotation = annotations.get("RabbitListener")
    if annotation is None and "RabbitHandler" in annotations:
        owner = method.parent.parent if method.parent is not None else None  # class_body -> class_declaration
        annotation = annotations_of(file, owner).get("RabbitListener") if owner is not None else None
    if annotation is None:
        return ""
    return annotation_value(file, annotation, "queues") or ""


def _dropping(file: File, node: Any) -> str | None:
    """How a statement rejects without requeue, else None."""
    if node.type == "method_invocation":
        name = file.text(node.child_by_field_name("name"))
        arguments = node.child_by_field_name("arguments").named_children
        position = {"basicNack": 2, "basicReject": 1}.get(name)
        if position is not None and len(arguments) == position + 1 and arguments[position].type == "false":
            return f"{name}(..., requeue false)"
    elif (
        node.type == "object_creation_expression"
        and node.parent is not None
        and node.parent.type == "throw_statement"
        and file.text(node.child_by_field_name("type")).split(".")[-1] == "AmqpRejectAndDontRequeueException"
    ):
        return "throw new AmqpRejectAndDontRequeueException(...)"
    return None


def _rejections(document: Document, file: File) -> list[Entity]:
    out = []
    for methods in file.methods.values():
        for method in methods:
            body = method.child_by_field_name("body")
            queue = _listened_queue(file, method) if body is not None else ""
            if not queue or "${" in queue or "#{" in queue:
                continue
            for node in walk(body):
                how = _dropping(file, node)
                if how is not None:
                    out.append(file.handler(node, "rejection", {"rejects-from": queue, "reject-call": how}))
    return out
