"""Side effects of Java methods: database writes and message sends -> ``code.handler`` entities for
dual writes (one method both writes and sends, no outbox in the file) and for inserts a Spring
listener makes with no idempotency idiom in its file. The same facts as Python's, in Java's terms.

Receivers are recognised by name, as types are not resolved: ``*Repository``/``*Repo``/``*Dao``,
``entityManager``/``em``, ``*JdbcTemplate``/``jdbc``, ``mongoTemplate`` write; ``*KafkaTemplate``,
``*RabbitTemplate``, ``*AmqpTemplate``, ``*JmsTemplate``, ``streamBridge``, ``*producer`` send.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from msglint.documents import Document
from msglint.extract.effects import IDEMPOTENCY_IDIOMS, IDIOMS_SHOWN, sql_write
from msglint.extract.java_kafka import File, java_value
from msglint.extract.java_listeners import annotations_of
from msglint.model import Entity
from msglint.readers.java import walk

_REPOSITORY_WRITES = {
    "save",
    "saveAll",
    "saveAndFlush",
    "saveAllAndFlush",
    "insert",
    "update",
    "delete",
    "deleteById",
    "deleteAll",
    "persist",
}
_JPA = {"persist": True, "merge": False, "remove": False}
_SQL_CALLS = {"update", "batchUpdate", "execute"}
_SENDS = {"send", "sendDefault", "convertAndSend"}
_SENDERS = ("kafkatemplate", "rabbittemplate", "amqptemplate", "jmstemplate", "streambridge", "producer", "template")
_LISTENERS = {"KafkaListener", "RabbitListener", "KafkaHandler", "RabbitHandler", "StreamListener", "JmsListener"}


@dataclass
class _Effect:
    node: Any
    what: str
    insert: bool = False


def _write(file: File, call: Any) -> _Effect | None:
    receiver = file.text(call.child_by_field_name("object"))
    if not receiver:
        return None
    method = file.text(call.child_by_field_name("name"))
    last = receiver.split(".")[-1].lower()
    arguments = call.child_by_field_name("arguments").named_children
    first = arguments[0] if arguments else None
    what = f"{receiver}.{method}()"
    if last.endswith(("repository", "repo", "dao")) and method in _REPOSITORY_WRITES:
        new = first is not None and first.type == "object_creation_expression"
        return _Effect(call, what, method in ("insert", "persist") or (method.startswith("save") and new))
    if (last.endswith("entitymanager") or last == "em") and method in _JPA:
        return _Effect(call, what, _JPA[method])
    if (last.endswith("jdbctemplate") or last == "jdbc") and method in _SQL_CALLS and first is not None:
        sql = java_value(file, first).text
        written = sql_write(sql) if sql is not None else None
        if written is not None:
            return _Effect(call, f'{receiver}.{method}("{written[0]} …")', written[1])
    if last.endswith("mongotemplate") and method in ("insert", "save", "updateFirst", "updateMulti", "remove"):
        return _Effect(call, what, method == "insert")
    return None


_NOT_BROKERS = ("messaging", "simp", "rest", "jdbc", "mongo", "redis", "transaction", "web")  # `…Template`s


def _send(file: File, call: Any) -> _Effect | None:
    receiver = file.text(call.child_by_field_name("object"))
    method = file.text(call.child_by_field_name("name"))
    last = receiver.split(".")[-1].lower()
    if method in _SENDS and last.endswith(_SENDERS) and not any(word in last for word in _NOT_BROKERS):
        return _Effect(call, f"{receiver}.{method}()")
    return None


def _in_catch(node: Any, method: Any) -> bool:
    current = node.parent
    while current is not None and current != method:  # new wrappers per access: compare, not `is`
        if current.type == "catch_clause":
            return True
        current = current.parent
    return False


def _effects(file: File, method: Any) -> tuple[list[_Effect], list[_Effect], set[str]]:
    """(writes, sends outside catch clauses, names of this class's methods it calls)."""
    writes: list[_Effect] = []
    sends: list[_Effect] = []
    callees: set[str] = set()
    body = method.child_by_field_name("body")
    for node in walk(body) if body is not None else ():
        if node.type != "method_invocation":
            continue
        receiver = file.text(node.child_by_field_name("object"))
        if receiver in ("", "this"):
            callees.add(file.text(node.child_by_field_name("name")))
        write = _write(file, node)
        if write is not None:
            writes.append(write)
            continue
        send = _send(file, node)
        if send is not None and not _in_catch(node, method):
            sends.append(send)
    return writes, sends, callees


def _code_text(file: File) -> str:
    """The file without its comments: prose saying "no dedupe" is not a guard."""
    data = bytearray(file.source.data)
    for node in walk(file.source.root):
        if node.type in ("line_comment", "block_comment"):
            data[node.start_byte : node.end_byte] = b" " * (node.end_byte - node.start_byte)
    return data.decode("utf-8", errors="replace")


def is_test_source(document: Document) -> bool:
    name = document.path.name
    return "/src/test/" in document.path.as_posix() or name.endswith(("Test.java", "Tests.java", "IT.java"))


def extract(document: Document, file: File) -> list[Entity]:
    if is_test_source(document):
        return []
    methods = [n for n in walk(file.source.root) if n.type in ("method_declaration", "constructor_declaration")]
    facts = {id(m): _effects(file, m) for m in methods}
    if not any(writes for writes, _, _ in facts.values()):
        return []
    code = _code_text(file)
    out: list[Entity] = []
    span = file.source.span
    if "outbox" not in code.lower():
        for method in methods:
            writes, sends, _ = facts[id(method)]
            if writes and sends:
                transactional = "Transactional" in annotations_of(file, method)
                out.append(
                    Entity(
                        "code.handler",
                        "java",
                        document.display,
                        span(sends[0].node),
                        label="dual write",
                        places={"dual-write": span(writes[0].node)},
                        attributes={"write-call": writes[0].what, "send-call": sends[0].what},
                        traits={"transactional"} if transactional else set(),
                    )
                )
    if not IDEMPOTENCY_IDIOMS.search(code):
        out.extend(_unguarded(file, methods, facts))
    return out


def _unguarded(
    file: File, methods: list[Any], facts: dict[int, tuple[list[_Effect], list[_Effect], set[str]]]
) -> Iterator[Entity]:
    by_name: dict[str, list[Any]] = {}
    for method in methods:
        by_name.setdefault(file.text(method.child_by_field_name("name")), []).append(method)
    seen: set[int] = set()
    span = file.source.span
    for method in methods:
        annotations = annotations_of(file, method)
        listener = next((a for a in annotations if a in _LISTENERS), None)
        if listener is None or (file.text(annotations[listener]).replace(" ", "").lower().find('ackmode="none"') >= 0):
            continue  # not a listener, or acknowledged on delivery: never redelivered
        reach, frontier = [method], [method]
        for _ in range(2):
            frontier = [m for f in frontier for name in facts[id(f)][2] for m in by_name.get(name, [])]
            reach.extend(frontier)
        name = file.text(method.child_by_field_name("name"))
        for reached in reach:
            for effect in facts[id(reached)][0]:
                if effect.insert and id(effect.node) not in seen:
                    seen.add(id(effect.node))
                    yield Entity(
                        "code.handler",
                        "java",
                        file.document.display,
                        span(effect.node),
                        label="listener write",
                        places={"handler-at": span(method.child_by_field_name("name"))},
                        attributes={
                            "unguarded-write": effect.what,
                            "handler": f"is the @{listener} {name}",
                            "looked-for": IDIOMS_SHOWN,
                        },
                    )
