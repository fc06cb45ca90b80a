"""Order of operations around a Java Kafka consumer: is the offset committed before the records it
covers have been processed? -> a ``code.handler`` for each ``consumer.commitSync()`` /
``commitAsync()`` that is a statement of a block in which a later statement processes the polled
records: a ``for`` loop over them, or a call that is handed them (or one record of them).

The consumer is a variable or field declared in the file as a ``KafkaConsumer`` (or Kafka's
``Consumer``); the records are a variable bound from its ``poll(...)``, and the loop variable of a
``for`` over them. Calls to loggers and ``System.out`` are not processing. Test sources are skipped.
"""

from __future__ import annotations

from typing import Any

from msglint.documents import Document
from msglint.extract.java_effects import is_test_source
from msglint.extract.java_kafka import File
from msglint.model import Entity
from msglint.readers.java import walk

_COMMITS = {"commitSync", "commitAsync"}
_LOGGERS = ("log", "logger", "LOG", "LOGGER", "System.out", "System.err")


def _consumers(file: File) -> set[str]:
    kafka_consumer = b"org.apache.kafka.clients.consumer.Consumer;" in file.source.data
    out: set[str] = set()
    for node in walk(file.source.root):
        if node.type not in ("field_declaration", "local_variable_declaration"):
            continue
        kind = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
        if kind == "KafkaConsumer" or (kind == "Consumer" and kafka_consumer):
            out.update(file.text(d.child_by_field_name("name")) for d in node.children_by_field_name("declarator"))
    return out


def _call_on(file: File, node: Any, receivers: set[str], names: set[str]) -> Any:
    """The call of a statement ``receiver.name(...);`` (or its value in a declaration), else None."""
    if node.type == "expression_statement" and node.named_children:
        node = node.named_children[0]
    elif node.type == "local_variable_declaration":
        declarator = node.child_by_field_name("declarator")
        node = declarator.child_by_field_name("value") if declarator is not None else None
    if node is None or node.type != "method_invocation":
        return None
    receiver = file.text(node.child_by_field_name("object")).removeprefix("this.")
    return node if receiver in receivers and file.text(node.child_by_field_name("name")) in names else None


def _processes(file: File, statement: Any, records: set[str]) -> Any:
    """The node of a statement that processes the records: a for over them, or a call handed them."""
    if statement.type == "enhanced_for_statement":
        iterated = file.text(statement.child_by_field_name("value")).split(".")[0]
        if iterated in records:
            return statement
    for node in walk(statement):
        if node.type != "method_invocation":
            continue
        head = file.text(node.child_by_field_name("object"))
        if head.startswith(_LOGGERS) or head.split(".")[0] in records:
            continue  # logging, or a method of the records themselves (records.count())
        arguments = node.child_by_field_name("arguments").named_children
        if any(n.type == "identifier" and file.text(n) in records for a in arguments for n in walk(a)):
            return node  # handed a record, or something taken from it (record.value())
    return None


def extract(document: Document, file: File) -> list[Entity]:
    data = file.source.data
    if is_test_source(document) or b"commit" not in data or b".poll(" not in data:
        return []
    consumers = _consumers(file)
    if not consumers:
        return []
    records: set[str] = set()
    for node in walk(file.source.root):
        if node.type == "local_variable_declaration" and _call_on(file, node, consumers, {"poll"}) is not None:
            records.update(file.text(d.child_by_field_name("name")) for d in node.children_by_field_name("declarator"))
    for node in walk(file.source.root):  # the loop variable of a for over the records is one of them
        if node.type == "enhanced_for_statement" and file.text(node.child_by_field_name("value")) in records:
            records.add(file.text(node.child_by_field_name("name")))
    out = []
    for block in walk(file.source.root):
        if block.type != "block" or not records:
            continue
        statements = block.named_children
        for i, statement in enumerate(statements):
            commit = _call_on(file, statement, consumers, _COMMITS)
            if commit is None:
                continue
            later = next((p for s in statements[i + 1 :] if (p := _processes(file, s, records)) is not None), None)
            if later is not None:
                receiver = file.text(commit.child_by_field_name("object"))
                name = file.text(commit.child_by_field_name("name"))
                what = {"early-commit": f"{receiver}.{name}()"}
                out.append(file.handler(commit, "consumer commit", what, {"processed-at": later}))
    return out
