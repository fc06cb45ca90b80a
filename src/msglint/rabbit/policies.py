"""How RabbitMQ decides a queue's effective settings: its own ``x-`` arguments, the one policy that
applies (matching vhost, pattern and apply-to; the highest priority wins, no merging), and the
operator policy on top. For limits the stricter value wins; for other keys the argument wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from msglint.model import Entity, Setting

# Keys where RabbitMQ applies the lower of argument and policy values (docs: ttl, maxlength).
LIMITS = frozenset({"message-ttl", "max-length", "max-length-bytes", "expires", "delivery-limit"})

_APPLIES = {
    "all": {"classic", "quorum", "stream"},
    "queues": {"classic", "quorum", "stream"},
    "classic_queues": {"classic"},
    "quorum_queues": {"quorum"},
    "streams": {"stream"},
    "exchanges": set(),
}


@dataclass(frozen=True)
class Effective:
    setting: Setting
    source: str  # "argument x-message-ttl", "policy ha-all", "operator policy limits"


def queue_type(queue: Entity) -> str:
    kind = queue.get("x-queue-type") or queue.get("type")
    return (kind.value or "classic").lower() if kind is not None and kind.value else "classic"


def matches(policy: Entity, queue: Entity) -> bool:
    if policy.attributes.get("vhost", "/") != queue.attributes.get("vhost", "/"):
        return False
    setting = policy.get("apply-to")
    apply_to = (setting.value if setting is not None else None) or "all"
    if queue_type(queue) not in _APPLIES.get(apply_to, set()):
        return False
    pattern = policy.get("pattern")
    if pattern is None or pattern.value is None:
        return False
    try:
        return re.search(pattern.value, queue.name) is not None
    except re.error:
        return False


def same_broker(policy: Entity, queue: Entity) -> bool:
    """Policies meet the queues of their own broker: the same definitions file, the same cluster
    reference; a policy from a bootstrap script meets the queues of the project it sits in."""
    group = policy.attributes.get("broker", "")
    if group.startswith("under:"):
        root = group.removeprefix("under:")
        return root in ("", ".") or queue.path.startswith(root.rstrip("/") + "/")
    return group == queue.attributes.get("broker")


def _priority(policy: Entity) -> int:
    setting = policy.get("priority")
    return (setting.as_int() if setting is not None else None) or 0


def link(queues: list[Entity], policies: list[Entity]) -> None:
    """Give each queue the policy and operator policy that apply to it, and each policy its queues."""
    for queue in queues:
        for operator in (False, True):
            candidates = [
                p
                for p in policies
                if ("operator" in p.traits) == operator and same_broker(p, queue) and matches(p, queue)
            ]
            if not candidates:
                continue
            chosen = max(candidates, key=lambda p: (_priority(p), p.name))
            queue.related["operator-policy" if operator else "policy"] = [chosen]
            chosen.related.setdefault("queues", []).append(queue)


def effective(queue: Entity, key: str) -> Effective | None:
    """The value RabbitMQ applies for policy key ``key`` (``message-ttl``), and where it comes from."""
    found: list[Effective] = []
    argument = queue.get(f"x-{key}")
    if argument is not None:
        found.append(Effective(argument, f"argument x-{key}"))
    for relation, label in (("policy", "policy"), ("operator-policy", "operator policy")):
        policy = queue.one(relation)
        if policy is not None and policy.get(key) is not None:
            found.append(Effective(policy.get(key), f"{label} {policy.name}"))  # type: ignore[arg-type]
    if not found:
        return None
    if key in LIMITS:
        numeric = [f for f in found if f.setting.as_int() is not None]
        if numeric:
            return min(numeric, key=lambda f: f.setting.as_int() or 0)
    return found[0]


def link_clusters(queues: list[Entity], nodes: list[Entity]) -> None:
    """Topology-operator queues name their RabbitmqCluster (rabbitmqClusterReference)."""
    from msglint.link import nearest

    for queue in queues:
        reference = queue.attributes.get("broker", "")
        if not reference.startswith("cluster:"):
            continue
        named = [n for n in nodes if n.client == "rabbitmq-operator" and n.name == reference.removeprefix("cluster:")]
        closest = nearest(queue, named)
        if len(closest) == 1:
            queue.related["cluster"] = closest
