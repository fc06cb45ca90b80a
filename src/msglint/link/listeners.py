"""Spring listeners to their application: the container settings, ack mode and dead-letter setup of
the build module each ``@KafkaListener`` / ``@RabbitListener`` runs in.

Unlike the other joins it runs before ``link.link`` and needs the documents, because an application's
ack mode and recovery are read from its Spring configuration text; it returns the ``code.app``
entities it builds.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msglint.documents import Document
from msglint.extract import java_listeners
from msglint.model import Entity


def applications(entities: list[Entity], documents: Sequence[Document]) -> list[Entity]:
    sends = any(e.kind == "code.handler" and "rabbit-send" in e.attributes for e in entities)
    if not sends and not any(e.kind == "code.listener" for e in entities):
        return []
    texts: dict[str, list[tuple[str, str]]] = {}  # build module -> [(path, text)] of its Spring files
    for document in documents:
        if document.kind == "spring-config":
            module = str(java_listeners.module_root(document.path))
            texts.setdefault(module, []).append((document.display, "\n".join(document.lines)))
    modules = {d.display: str(java_listeners.module_root(d.path)) for d in documents}
    if sends:
        unconfirmed_sends(entities, texts, modules)
    return java_listeners.applications(entities, texts, modules)


_CONFIRM = re.compile(r"(?i)confirm")
_BOOT_RABBIT = re.compile(r"(?m)spring\.rabbitmq\.|^[ \t]*rabbitmq:")


def unconfirmed_sends(entities: list[Entity], texts: dict[str, list[tuple[str, str]]], modules: dict[str, str]) -> None:
    """Mark the first RabbitTemplate send of each Spring Boot module in which nothing turns publisher
    confirms on: no ``publisher-confirm*`` in its Spring files, no RabbitTemplate or connection
    factory built in its code, no file of its sends that speaks of confirms."""
    by_module: dict[str, list[Entity]] = {}
    for entity in entities:
        if entity.kind == "code.handler" and "rabbit-send" in entity.attributes:
            by_module.setdefault(modules.get(entity.path, ""), []).append(entity)
    publishers = {modules.get(e.path, "") for e in entities if e.kind == "rabbit.publisher"}
    for module, sends in by_module.items():
        spring = texts.get(module, [])
        if not module or module in publishers or any("confirms-in-file" in s.traits for s in sends):
            continue
        if not any(_BOOT_RABBIT.search(t) for _, t in spring) or any(_CONFIRM.search(t) for _, t in spring):
            continue  # not known to be a Boot application, or one that says something about confirms
        first = min(sends, key=lambda s: (s.path, s.anchor.line))
        first.traits.add("unconfirmed")
        first.counts["sends"] = len(sends)
        first.attributes["spring-files"] = ", ".join(p for p, _ in spring)
