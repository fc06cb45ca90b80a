"""Which of several same-named entities one means: the nearest in the tree, in a namespace that fits."""

from __future__ import annotations

from pathlib import PurePosixPath

from msglint.model import Entity, Origin


def same_namespace(a: Entity, b: Entity) -> bool:
    # a manifest without a namespace gets one when applied (kustomize, kubectl -n): do not rule it out
    return a.namespace is None or b.namespace is None or a.namespace == b.namespace


def _closeness(a: Entity, b: Entity) -> int:
    """How many leading directories two entities' files share, plus one for the same file."""
    pa, pb = PurePosixPath(a.path).parts, PurePosixPath(b.path).parts
    shared = 0
    for x, y in zip(pa[:-1], pb[:-1], strict=False):
        if x != y:
            break
        shared += 1
    return shared + (1 if pa == pb else 0)


def nearest(entity: Entity, candidates: list[Entity]) -> list[Entity]:
    """The candidates closest to ``entity`` in the tree: the same name can be declared twice (overlays,
    examples, other environments), and the copy in the same file, else the same directory, is the one
    meant. Several equally close candidates are all returned: the caller decides an ambiguity."""
    if len(candidates) < 2:
        return candidates
    best = max(_closeness(entity, c) for c in candidates)
    return [c for c in candidates if _closeness(entity, c) == best]


def module(path: str) -> str:
    """The build module a file belongs to, from its path as shown: the directory above its ``src/``,
    else its own directory (java_listeners.module_root asks the file system; this only needs to
    compare a configuration file with the code beside it)."""
    parts = PurePosixPath(path).parts
    if "src" in parts[:-1]:
        return str(PurePosixPath(*parts[: len(parts) - 1 - parts[::-1].index("src")]))
    return str(PurePosixPath(path).parent)


def where(origin: Origin | None) -> str:
    return f"{origin.path}:{origin.span.line}" if origin is not None else "its default"
