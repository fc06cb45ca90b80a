"""Is this a development setup? Durability rules relax there; the reason is said in messages."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from msglint.model import Entity

DEV_WORDS = frozenset(
    {"dev", "development", "local", "test", "tests", "testing", "sandbox", "ci", "demo", "playground"}
)
_WORDS = re.compile(r"[^a-z0-9]+")


def _dev(name: str | None) -> bool:
    return bool(name) and any(word in DEV_WORDS for word in _WORDS.split(name.lower()))  # type: ignore[union-attr]


def infer(entity: Entity, brokers: int | None = None) -> str | None:
    """Why ``entity`` looks like a development setup, or None."""
    if entity.kind == "kafka.cluster" and brokers == 1:
        return "its single broker"
    if _dev(entity.namespace):
        return f"its namespace '{entity.namespace}'"
    path = PurePosixPath(entity.path)
    # only directories below where msglint runs: a checkout in ~/dev or a CI path says nothing
    for part in [] if path.is_absolute() else path.parts[:-1]:
        if part.lower() in DEV_WORDS:
            return f"its directory '{part}/'"
    if entity.kind == "kafka.cluster":
        if _dev(entity.name) and entity.client == "strimzi":
            return f"its name '{entity.name}'"
        voters = entity.get("controller.quorum.voters")
        if voters is not None and voters.value and "," not in voters.value:
            return "its single KRaft controller (controller.quorum.voters)"
        listeners = " ".join(
            s.value or "" for k in ("listeners", "advertised.listeners") if (s := entity.get(k)) is not None
        )
        hosts = re.findall(r"//([^:/,]*)", listeners)
        if hosts and all(h in ("localhost", "127.0.0.1", "[::1]") for h in hosts):  # an empty host is every one
            return "its listeners, on localhost only"
    return None
