"""The whole model: every entity of the run, by kind and by name. Joins read and change it; checks
that compare an entity with the rest of the tree read it, so no entity carries a copy of its context."""

from __future__ import annotations

from collections.abc import Iterable

from msglint.model import Entity


class Workspace:
    def __init__(self, entities: list[Entity]) -> None:
        self.entities = entities  # the caller's list, kept: an entity dropped here is gone there too
        self._kinds: dict[str, list[Entity]] = {}
        for entity in entities:
            self._kinds.setdefault(entity.kind, []).append(entity)

    def of(self, kind: str) -> list[Entity]:
        """The entities of one kind, in the order they were read ([] for a kind with none)."""
        return self._kinds.get(kind, [])

    def named(self, kind: str, name: str) -> list[Entity]:
        return [e for e in self.of(kind) if e.name == name]

    def drop(self, gone: Iterable[Entity]) -> None:
        """Remove entities from the model, and from every relation that names them."""
        ids = {id(e) for e in gone}
        if not ids:
            return
        self.entities[:] = [e for e in self.entities if id(e) not in ids]
        for kind, entities in self._kinds.items():
            self._kinds[kind] = [e for e in entities if id(e) not in ids]
        for entity in self.entities:
            for relation, linked in entity.related.items():
                entity.related[relation] = [e for e in linked if id(e) not in ids]
