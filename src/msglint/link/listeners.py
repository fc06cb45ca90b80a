"""Spring listeners to their application: the container settings, ack mode and dead-letter setup of
the build module each ``@KafkaListener`` / ``@RabbitListener`` runs in.

Unlike the other joins it runs before ``link.link`` and needs the documents, because an application's
ack mode and recovery are read from its Spring configuration text; it returns the ``code.app``
entities it builds.
"""

from __future__ import annotations

from collections.abc import Sequence

from msglint.documents import Document
from msglint.extract import java_listeners
from msglint.model import Entity


def applications(entities: list[Entity], documents: Sequence[Document]) -> list[Entity]:
    if not any(e.kind == "code.listener" for e in entities):
        return []
    texts: dict[str, list[tuple[str, str]]] = {}  # build module -> [(path, text)] of its Spring files
    for document in documents:
        if document.kind == "spring-config":
            module = str(java_listeners.module_root(document.path))
            texts.setdefault(module, []).append((document.display, "\n".join(document.lines)))
    modules = {d.display: str(java_listeners.module_root(d.path)) for d in documents}
    return java_listeners.applications(entities, texts, modules)
