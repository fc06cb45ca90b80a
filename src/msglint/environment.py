"""Is this a development setup? Durability rules relax there; the reason is said in messages."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from msglint.model import Entity

DEV_WORDS = frozenset(
    {"dev", "development", "local", "test", "tests", "testing", "sandbox", "ci", "demo", "playground"}
)
_WORDS = re.compile(r"[^a-z0-9]+")


@dataclass
class Settings:
    """What marks development settings; the configuration's ``[environments]`` replaces the words."""

    namespaces: frozenset[str] = DEV_WORDS
    profiles: frozenset[str] = DEV_WORDS
    directories: frozenset[str] = DEV_WORDS
    paths: Any = None  # a pathspec of globs, relative to ``root``
    root: Path | None = None
    cwd: Path | None = None


_settings = Settings()


def configure(settings: Settings) -> None:
    """Set for one run (engine.run), before linking."""
    global _settings
    _settings = settings


def _matches(name: str | None, words: frozenset[str]) -> bool:
    return bool(name) and any(word in words for word in _WORDS.split(name.lower()))  # type: ignore[union-attr]


def _dev(name: str | None) -> bool:
    return _matches(name, _settings.namespaces)


def _configured_path(path: str) -> bool:
    if _settings.paths is None or _settings.root is None:
        return False
    try:
        relative = ((_settings.cwd or Path.cwd()) / path).resolve().relative_to(_settings.root.resolve())
    except ValueError:
        return False
    return bool(_settings.paths.match_file(relative.as_posix()))


def infer(entity: Entity, brokers: int | None = None) -> str | None:
    """Why ``entity`` looks like a development setup, or None."""
    if entity.kind == "kafka.cluster" and brokers == 1:
        return "its single broker"
    nodes = entity.derived.get("nodes") if entity.kind == "rabbit.broker" else None
    if nodes is not None and nodes.value == 1 and nodes.origins:  # written: the operator's default is one too
        return "its single node (spec.replicas=1)"
    if _dev(entity.namespace):
        return f"its namespace '{entity.namespace}'"
    if entity.profile and _matches(entity.profile, _settings.profiles):
        return f"its Spring profile '{entity.profile}'"
    if _configured_path(entity.path):
        return "its path, listed under [environments] paths in the configuration"
    path = PurePosixPath(entity.path)
    # only directories below where msglint runs: a checkout in ~/dev or a CI path says nothing
    for part in [] if path.is_absolute() else path.parts[:-1]:
        if part.lower() in _settings.directories:
            return f"its directory '{part}/'"
    # docker-compose.dev.yml, compose-local.yaml: a Compose file named for a development setup
    if path.name.lower().startswith(("docker-compose", "compose")) and _matches(path.stem, _settings.directories):
        return f"its file name '{path.name}'"
    if entity.kind == "kafka.cluster":
        return _kafka_cluster(entity)
    return None


def _kafka_cluster(entity: Entity) -> str | None:
    """Why a Kafka cluster looks like a development setup by its name, controllers or listeners."""
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
