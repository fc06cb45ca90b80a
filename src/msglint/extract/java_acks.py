"""Acknowledgements in Java consumers -> a ``code.handler`` for each one written in a ``finally``
block: RabbitMQ's ``channel.basicAck(...)`` or a no-argument ``acknowledge()`` (Spring Kafka's
``Acknowledgment``, JMS's ``Message``), a statement of the ``finally`` block itself, after a ``try``
that does some work. Such an acknowledgement runs whether that work succeeded or threw.

An acknowledgement under an ``if`` or in a loop of the ``finally`` block is taken for a decision the
code makes, and is not reported; test sources are skipped, like the other Java handler patterns.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from msglint.documents import Document
from msglint.extract.java_effects import is_test_source
from msglint.extract.java_kafka import File
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
    if is_test_source(document) or b"finally" not in file.source.data:
        return []
    out = []
    span = file.source.span
    for node in walk(file.source.root):
        if node.type not in ("try_statement", "try_with_resources_statement"):
            continue
        for call in _in_finally(file, node):
            out.append(
                Entity(
                    "code.handler",
                    "java",
                    document.display,
                    span(call),
                    label="acknowledgement in finally",
                    places={"try-at": span(node)},
                    attributes={"finally-ack": file.text(call).split("(")[0] + "(...)"},
                )
            )
    return out
