"""RabbitMQ ``definitions.json`` (the management export): queues with their ``arguments``, policies,
operator policies and users. Password hashes are never read into the model."""

from __future__ import annotations

from msglint.documents import Document
from msglint.extract import places
from msglint.extract.manifests import path, scalar
from msglint.fixes import JsonWriter
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting
from msglint.readers.tree import Mapping, Node, Scalar, Sequence


def is_definitions(document: Document) -> bool:
    root = document.yaml[0] if document.yaml else None
    return isinstance(root, Mapping) and any(root.get(k) is not None for k in ("queues", "policies", "rabbit_version"))


def _setting(document: Document, key: Scalar, value: Node, canonical: str, raw_key: str) -> Setting:
    span, value_span, _ = places.place(key, value, document.lines)
    origin = Origin(document.display, span, raw_key, "json", value_span, key.span, whole_lines=False)
    text = value.value if isinstance(value, Scalar) and value.tag != "null" else None
    if isinstance(value, Mapping | Sequence):
        text = None
    return Setting(canonical, None if text is None else keys.normalize(canonical, text), text or "", origin)


def _fields(document: Document, item: Mapping, where: str, entity: Entity, names: tuple[str, ...]) -> None:
    for key, value in item.items:
        if key.value in names:
            entity.settings[key.value] = _setting(document, key, value, key.value, f"{where}.{key.value}")


def _map(document: Document, node: Node | None, where: str, entity: Entity) -> None:
    if isinstance(node, Mapping):
        for key, value in node.items:
            entity.settings[key.value] = _setting(document, key, value, key.value, f"{where}.{key.value}")


def _items(root: Mapping, key: str) -> list[Mapping]:
    node = root.get(key)
    return [i for i in node.items if isinstance(i, Mapping)] if isinstance(node, Sequence) else []


def _policy(document: Document, item: Mapping, value: Mapping, where: str, operator: bool) -> Entity:
    name = scalar(item.get("name")) or ""
    anchor = item.get("name") or item
    policy = Entity(
        "rabbit.policy",
        "rabbitmq",
        document.display,
        anchor.span,
        label="operator policy" if operator else "policy",
        name=name,
        attributes={"vhost": scalar(item.get("vhost")) or "/", "broker": f"definitions:{document.display}"},
    )
    if operator:
        policy.traits.add("operator")
    policy.writer = JsonWriter(document.display, lambda key: f"the definition of policy {name}")
    _fields(document, value, where, policy, ("pattern", "apply-to", "priority"))
    _map(document, value.get("definition"), f"{where}.definition", policy)
    return policy


def extract(document: Document) -> list[Entity]:
    root = document.yaml[0] if document.yaml else None
    if not isinstance(root, Mapping):
        return []
    version = scalar(root.get("rabbitmq_version")) or scalar(root.get("rabbit_version")) or ""
    out = _queues(document, root, version)
    policies = _policies(document, root)
    for policy in policies:
        policy.attributes["definitions-version"] = version  # linked to what governs it (rabbit/versions.py)
    out += policies
    out += _users(document, root)
    return out


def _default_types(root: Mapping) -> dict[str, str]:
    """vhost -> its default queue type."""
    default_types = {}
    for vhost in _items(root, "vhosts"):
        kind = scalar(vhost.get("default_queue_type")) or scalar(path(vhost, "metadata", "default_queue_type"))
        if kind:
            default_types[scalar(vhost.get("name")) or "/"] = kind
    return default_types


def _queues(document: Document, root: Mapping, version: str) -> list[Entity]:
    out: list[Entity] = []
    default_types = _default_types(root)
    for i, item in enumerate(_items(root, "queues")):
        name = scalar(item.get("name")) or ""
        if name.startswith("amq."):
            continue  # import skips reserved names
        anchor = item.get("name") or item
        queue = Entity(
            "rabbit.queue",
            "rabbitmq",
            document.display,
            anchor.span,
            label="queue",
            name=name,
            attributes={
                "vhost": scalar(item.get("vhost")) or "/",
                "broker": f"definitions:{document.display}",
                "definitions-version": version,
            },
        )
        if queue.attributes["vhost"] in default_types:
            queue.attributes["default-queue-type"] = default_types[queue.attributes["vhost"]]
        queue.writer = JsonWriter(
            document.display, lambda key: "the queue's arguments" if key.startswith("x-") else "the queue"
        )
        _fields(document, item, f"queues[{i}]", queue, ("durable", "auto_delete", "exclusive"))
        _map(document, item.get("arguments"), f"queues[{i}].arguments", queue)
        out.append(queue)
    return out


def _policies(document: Document, root: Mapping) -> list[Entity]:
    """Policies, operator policies, and operator policies written as parameters."""
    out: list[Entity] = []
    for i, item in enumerate(_items(root, "policies")):
        out.append(_policy(document, item, item, f"policies[{i}]", operator=False))
    for i, item in enumerate(_items(root, "operator_policies")):
        out.append(_policy(document, item, item, f"operator_policies[{i}]", operator=True))
    for i, item in enumerate(_items(root, "parameters")):
        value = item.get("value")
        if scalar(item.get("component")) == "operator_policy" and isinstance(value, Mapping):
            out.append(_policy(document, item, value, f"parameters[{i}].value", operator=True))
    return out


def _users(document: Document, root: Mapping) -> list[Entity]:
    out: list[Entity] = []
    for item in _items(root, "users"):
        name_node = item.get("name")
        tags = item.get("tags")
        tag_text = scalar(tags) or (
            ",".join(t.value for t in tags.items if isinstance(t, Scalar)) if isinstance(tags, Sequence) else ""
        )
        out.append(
            Entity(
                "rabbit.user",
                "rabbitmq",
                document.display,
                (name_node or item).span,
                label="user",
                name=scalar(name_node) or "",
                attributes={"tags": tag_text, "broker": f"definitions:{document.display}"},
            )
        )
    return out
