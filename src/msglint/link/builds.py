"""Give each client the version of its library, read from the build files beside it.

A client's build files are those of its directory and every directory above it, nearest first: a
Maven module's ``pom.xml`` and its parent's, a Python package's ``requirements.txt`` and the
repository's ``pyproject.toml``. The version is the one written nearest (a lock's before a
specifier), else a Spring Boot version property (``kafka.version``), else what the Spring Boot
version or Spring Cloud train of the build manages (``spring/versions.toml``). The client keeps the
version and how it was found (``client-version``, ``client-version-from``), which
``kafka/defaults.py`` reads and messages quote.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import PurePosixPath
from typing import Any

from msglint import versions
from msglint.extract.builds import BINDER, BOOT_PROPERTIES, PROPERTY
from msglint.link.workspace import Workspace
from msglint.model import Entity, Setting

# (entity client, kind prefix) -> the library whose version decides its defaults
_LIBRARY = {
    "kafka-java": "kafka-clients",
    "spring-kafka": "kafka-clients",
    "scs-kafka": "kafka-clients",
    "kafka-python": "kafka-python",
    "aiokafka": "aiokafka",
    "librdkafka": "confluent-kafka",
}
_REFERENCE = re.compile(r"\$\{([^}]+)\}|\$([A-Za-z_][\w.]*)")


def library_of(entity: Entity) -> str | None:
    if entity.kind == "stream.binding":
        return "spring-cloud-stream" if entity.attributes.get("binder") == "kafka" else None
    if entity.kind in ("kafka.producer", "kafka.consumer", "kafka.listener"):
        return _LIBRARY.get(entity.client)
    return None


def versions_of(workspace: Workspace) -> None:
    """The join: each client entity with a library gets its version, where a build file says it."""
    by_dir: dict[PurePosixPath, list[Entity]] = {}
    for entity in workspace.entities:
        if entity.kind == "code.build":
            by_dir.setdefault(PurePosixPath(entity.path).parent, []).append(entity)
    if not by_dir:
        return
    for builds in by_dir.values():
        builds.sort(key=lambda b: not b.path.endswith(".lock"))  # a lock's exact version before a range
    for entity in workspace.entities:
        if entity.kind == "stream.binding" and entity.attributes.get("binder") == "unknown":
            entity.attributes["binder"] = binder_of(_chain(entity, by_dir)) or "unknown"
    for entity in workspace.entities:
        library = library_of(entity)
        if library is None:
            continue
        resolved = resolve(library, _chain(entity, by_dir))
        if resolved is not None:
            entity.attributes["client-version"], entity.attributes["client-version-from"] = resolved


def _chain(entity: Entity, by_dir: dict[PurePosixPath, list[Entity]]) -> list[Entity]:
    """The build files of the entity's directory and of every directory above it, nearest first."""
    return [b for d in PurePosixPath(entity.path).parents for b in by_dir.get(d, ())]


def binder_of(chain: list[Entity]) -> str | None:
    """The Spring Cloud Stream binder the nearest build file that declares one puts on the classpath:
    kafka or rabbit when it declares that one alone, else None (both, or Kafka Streams beside Kafka)."""
    for build in chain:
        families = {key.partition(":")[2] for key in build.settings if key.startswith(BINDER)}
        if families:
            return next(iter(families)) if len(families) == 1 and families <= {"kafka", "rabbit"} else None
    return None


def resolve(library: str, chain: list[Entity]) -> tuple[str, str] | None:
    """(version, how it was found) of ``library`` for a module whose build files are ``chain``."""
    written = _first(chain, library)
    if written is not None:
        value = _substitute(written.value or "", chain)
        if value is not None:
            at = _defined(written, chain)
            return value, f"{library}{'' if value[0] in '<>=!~^' else ' '}{value} from {_where(at)}"
        return None  # ${...} that nothing defines: unknown, not what a BOM would have said
    for name, managed in BOOT_PROPERTIES.items():
        prop = _first(chain, PROPERTY + name) if managed == library else None
        if prop is not None and (value := _substitute(prop.value or "", chain)) is not None:
            return value, f"{library} {value} from the {name} property at {_where(prop)}"
    family, table = ("spring-cloud", "cloud") if library == "spring-cloud-stream" else ("spring-boot", "boot")
    manager = _first(chain, family)
    if manager is None:
        return None
    version = _substitute(manager.value or "", chain)
    line = _line(version or "", table == "cloud")
    row = managed_versions().get(table, {}).get(line or "", {})
    if version is None or library not in row:
        return None
    managed = row.get(f"patch:{version}", row[library])
    label = "Spring Boot" if table == "boot" else "Spring Cloud"
    return managed, f"{library} {managed} managed by {label} {version} from {_where(manager)}"


def _line(version: str, train: bool) -> str | None:
    if train:  # 2023.0.3, or Hoxton.SR12 for the trains named after places
        found = re.match(r"(\d{4}\.\d+)|([A-Za-z]+)", version)
        return (found.group(1) or found.group(2).capitalize()) if found else None
    return versions.minor(version)


def _defined(written: Setting, chain: list[Entity]) -> Setting:
    """Where a version is written: at the property it names (``${kafka.version}``), else in place."""
    reference = _REFERENCE.search(written.value or "")
    if reference is None:
        return written
    name = reference.group(1) or reference.group(2)
    return _first(chain, PROPERTY + name) or _first(chain, PROPERTY + f"versions.{name}") or written


def _first(chain: list[Entity], key: str) -> Setting | None:
    return next((b.settings[key] for b in chain if key in b.settings), None)


def _substitute(value: str, chain: list[Entity], depth: int = 0) -> str | None:
    """``value`` with its ``${name}``/``$name`` properties replaced, or None when one is not defined."""
    if "$" not in value:
        return value.strip() or None
    if depth > 5:
        return None

    def one(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        prop = _first(chain, PROPERTY + name) or _first(chain, PROPERTY + f"versions.{name}")
        if prop is None:
            raise KeyError(name)
        return _substitute(prop.value or "", chain, depth + 1) or "$"

    try:
        result = _REFERENCE.sub(one, value)
    except KeyError:
        return None
    return None if "$" in result else result.strip() or None


def _where(setting: Setting) -> str:
    assert setting.origin is not None
    return f"{setting.origin.path}:{setting.origin.span.line}"


@functools.cache
def managed_versions() -> dict[str, dict[str, dict[str, str]]]:
    """``spring/versions.toml``: what each Spring Boot line and Spring Cloud train manages."""
    from msglint.readers.build import tomllib

    text = resources.files("msglint.spring").joinpath("versions.toml").read_text(encoding="utf-8")
    data: dict[str, Any] = tomllib.loads(text)
    return {
        table: {
            line: {k: str(v) for k, v in row.items() if k not in ("patch", "source", "last-release", "patches")}
            | {f"patch:{patch}": str(v) for patch, v in row.get("patches", {}).items()}
            for line, row in rows.items()
        }
        for table, rows in data.items()
    }
