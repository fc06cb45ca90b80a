"""Which RabbitMQ version a queue, policy or node runs on, as far as the tree says.

Several rules depend on it (a quorum queue has a delivery limit of 20 by default since 4.0, none
before; lazy mode did something before 3.12). The version is read where a tree declares it:

* a ``RabbitmqCluster``'s ``spec.image`` tag, else the Cluster Operator's default image;
* a definitions export's ``rabbitmq_version`` / ``rabbit_version`` (but a node that imports the
  file, ``load_definitions`` / ``definitions.local.path``, runs the version that matters);
* a ``rabbitmq`` image in a docker-compose file, a Kubernetes workload or Helm values
  (``image: rabbitmq:4.1-management``, ``image: {repository: bitnami/rabbitmq, tag: 3.13.7}``)
  in the directory of the file or one above it.

Each entity gets the attributes ``rabbitmq-version`` and ``rabbitmq-version-from`` (said in messages).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from msglint.model import Entity

# The image the RabbitMQ Cluster Operator deploys when spec.image is not written: the
# `defaultRabbitmqImage` constant in cmd/main.go of rabbitmq/cluster-operator (main branch, 2026;
# operator releases since late 2024 default to a 4.x image: 4.0.3 in PR #1760, 4.1.x in 2025, 4.2.6
# in PR #2142). The operator can be started with another default (--default-rabbitmq-image).
OPERATOR_DEFAULT_IMAGE = "rabbitmq:4.3.4-management"

# A tag with no version in it (latest, management, alpine) is the current release line.
CURRENT = "4"

# parts of at most 9 ASCII digits: a longer run is no version, and int() never sees 5,000 digits
_VERSION = re.compile(r"^v?([0-9]{1,9})(?![0-9])(?:\.([0-9]{1,9})(?![0-9]))?(?:\.([0-9]{1,9})(?![0-9]))?")
_IMAGE = re.compile(r"^(?:[\w.:-]+/)*rabbitmq(?::(?P<tag>[\w.-]+))?(?:@sha256:[0-9a-f]+)?$")


def from_tag(tag: str | None) -> str | None:
    """``3.13.7-management`` -> ``3.13.7``; ``management`` or ``latest`` -> the current line; a
    templated tag -> None."""
    if tag is None or tag == "":
        return CURRENT
    if any(c in tag for c in "${}"):
        return None
    m = _VERSION.match(tag)
    if m:
        return ".".join(g for g in m.groups() if g is not None)
    return CURRENT if re.fullmatch(r"[a-z-]+", tag) else None


def from_image(image: str | None) -> str | None:
    """The version of a ``rabbitmq`` image reference, or None (another image, or templated)."""
    m = _IMAGE.match((image or "").strip().strip("\"'"))
    return from_tag(m.group("tag")) if m else None


def is_rabbitmq_repository(repository: str | None) -> bool:
    return bool(_IMAGE.match((repository or "").strip().strip("\"'").split(":")[0]))


def major(version: str | None) -> int | None:
    m = _VERSION.match(version or "")
    return int(m.group(1)) if m else None


def before(version: str | None, wanted: tuple[int, ...]) -> bool | None:
    """Is ``version`` older than ``wanted`` (None: unknown)? ``4`` counts as 4.0."""
    m = _VERSION.match(version or "")
    if not m:
        return None
    have = tuple(int(g) if g is not None else 0 for g in m.groups())
    return have[: len(wanted)] < wanted


def of(entity: Entity) -> tuple[str | None, str]:
    """(version, where it comes from) for messages; the version is None when the tree does not say."""
    return entity.attributes.get("rabbitmq-version") or None, entity.attributes.get("rabbitmq-version-from", "")


def said(entity: Entity) -> str:
    """``RabbitMQ 3.13.7 (image rabbitmq:3.13.7 of RabbitmqCluster a)``, or what was assumed."""
    version, source = of(entity)
    return f"RabbitMQ {version} ({source})" if version else "a RabbitMQ version the files checked do not declare"


def set_version(entity: Entity, version: str | None, source: str) -> None:
    if version:
        entity.attributes["rabbitmq-version"] = version
        entity.attributes["rabbitmq-version-from"] = source
    else:
        entity.attributes.pop("rabbitmq-version", None)
        entity.attributes.pop("rabbitmq-version-from", None)


def _dir(path: str) -> PurePosixPath:
    return PurePosixPath(path).parent


def _under(directory: PurePosixPath, path: str) -> bool:
    """Is ``path`` in ``directory`` or below it?"""
    return directory in PurePosixPath(path).parents


def nearby_image(path: str, images: list[Entity]) -> tuple[str | None, str] | None:
    """The rabbitmq image of the project ``path`` is in: from the deepest directory above (or at)
    ``path`` that holds one; None when there is none, or when that directory disagrees with itself."""
    found = [(len(_dir(i.path).parts), i) for i in images if _under(_dir(i.path), path)]
    if not found:
        return None
    depth = max(d for d, _ in found)
    closest = [i for d, i in found if d == depth]
    versions = {major(i.attributes.get("rabbitmq-version")) for i in closest}
    if len(versions) != 1:
        return None  # two major versions side by side (an upgrade in progress): unknown
    chosen = closest[0]
    return chosen.attributes.get("rabbitmq-version"), chosen.attributes.get("rabbitmq-version-from", "")


def importer(definitions: str, nodes: list[Entity]) -> Entity | None:
    """The node that loads this definitions file at boot: its load_definitions (or
    definitions.local.path) names the file, and the node's file is in the same project."""
    name = PurePosixPath(definitions).name
    for node in nodes:
        for key in ("load_definitions", "definitions.local.path"):
            setting = node.get(key)
            value = (setting.value or "").split("#")[0].strip() if setting is not None else ""
            near = _under(_dir(node.path), definitions) or _under(_dir(definitions), node.path)
            if value and PurePosixPath(value).name == name and near:
                return node
    return None


def assumed(cluster: str) -> tuple[str | None, str]:
    """The version of a RabbitmqCluster the files checked do not hold: the operator's default image."""
    return from_image(OPERATOR_DEFAULT_IMAGE), (
        f"RabbitmqCluster {cluster} is not in the files checked: assumed the Cluster Operator's default image "
        f"{OPERATOR_DEFAULT_IMAGE}"
    )
