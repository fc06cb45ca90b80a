"""Kustomize: the files a kustomization applies as patches. A patch is a fragment of an object
(``kind: Kafka`` with only the replicas that change), so it is not read as a whole object."""

from __future__ import annotations

from pathlib import Path

from msglint.documents import Document
from msglint.readers.tree import Mapping, Scalar, Sequence


def patch_files(document: Document) -> set[Path]:
    found: set[Path] = set()
    base = document.path.parent
    for root in document.yaml:
        if not isinstance(root, Mapping):
            continue
        for key in ("patchesStrategicMerge", "patches", "patchesJson6902"):
            items = root.get(key)
            for item in items.items if isinstance(items, Sequence) else []:
                target = item.get("path") if isinstance(item, Mapping) else item
                if isinstance(target, Scalar) and "\n" not in target.value and target.value.strip():
                    found.add((base / target.value.strip()).resolve())
    return found
