"""How RabbitMQ decides a queue's effective settings, as ``rabbit_policy`` and the queue types do:

- a policy applies when its vhost, ``pattern`` and ``apply-to`` match and the queue type supports
  every key of its definition (``rabbit_queue_type:is_policy_applicable``: an ``ha-*`` policy never
  applies to a quorum queue, a ``delivery-limit`` policy never to a classic one);
- of those, the one with the highest priority applies, alone (policies do not merge);
- the operator policy is applied on top;
- for limits (TTL, lengths, expiry) the lowest of argument and policies wins; a quorum queue's
  delivery limit also takes the lowest, unless one of them is negative (unlimited), in which case
  the highest wins; a quorum queue's ``overflow`` comes from the policy before its argument; for
  the other keys the queue's own argument wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from msglint.facts import Relation
from msglint.model import Entity, Setting

LIMITS = frozenset({"message-ttl", "max-length", "max-length-bytes", "expires", "delivery-limit"})

_APPLIES = {
    "all": {"classic", "quorum", "stream"},
    "queues": {"classic", "quorum", "stream"},
    "classic_queues": {"classic"},
    "quorum_queues": {"quorum"},
    "streams": {"stream"},
    "exchanges": set(),
}
_HA = {"ha-mode", "ha-params", "ha-sync-mode", "ha-sync-batch-size", "ha-promote-on-shutdown", "ha-promote-on-failure"}
# keys a queue type does not support: a policy holding any of them skips that type's queues
_UNSUPPORTED = {
    "quorum": _HA
    | {
        "queue-mode",
        "max-priority",
        "queue-master-locator",
        "max-age",
        "stream-max-segment-size-bytes",
        "initial-cluster-size",
        "queue-version",
    },
    "classic": {
        "delivery-limit",
        "dead-letter-strategy",
        "max-age",
        "stream-max-segment-size-bytes",
        "initial-cluster-size",
        "stream-filter-size-bytes",
    },
}
_STREAM_SUPPORTED = {
    "max-age",
    "max-length-bytes",
    "stream-max-segment-size-bytes",
    "initial-cluster-size",
    "queue-leader-locator",
    "stream-filter-size-bytes",
}
_POLICY_FIELDS = {"pattern", "apply-to", "priority"}
# nested quantifiers ((a+)+) make backtracking engines run for ever: such a pattern is not evaluated
_CATASTROPHIC = re.compile(r"\([^()]*[+*][^()]*\)\s*[+*{]")


@dataclass(frozen=True)
class Effective:
    setting: Setting
    source: str  # "argument x-message-ttl", "policy ha-all", "operator policy limits"


def queue_type(queue: Entity) -> str:
    kind = queue.get("x-queue-type") or queue.get("type")
    if kind is not None and kind.value:
        return kind.value.lower()
    return queue.attributes.get("default-queue-type", "classic")


def definition_keys(policy: Entity) -> set[str]:
    return {k for k in policy.settings if k not in _POLICY_FIELDS}


def _supports(kind: str, keys: set[str]) -> bool:
    if kind == "stream":
        return keys <= _STREAM_SUPPORTED or not keys
    return not keys & _UNSUPPORTED.get(kind, set())


@cache
def _pattern(text: str) -> re.Pattern[str] | None:
    if _CATASTROPHIC.search(text) or "$(" in text or "${" in text:
        return None  # unknown: a variable, or a pattern that would not finish
    try:
        return re.compile(text)
    except re.error:
        return None  # PCRE-only syntax: what it matches is unknown


def matches(policy: Entity, queue: Entity) -> bool:
    vhost = policy.attributes.get("vhost", "/")
    if "$" not in vhost and vhost != queue.attributes.get("vhost", "/"):  # a script variable: any vhost
        return False
    setting = policy.get("apply-to")
    apply_to = (setting.value if setting is not None else None) or policy.attributes.get("default-apply-to", "all")
    kind = queue_type(queue)
    if kind not in _APPLIES.get(apply_to, set()) or not _supports(kind, definition_keys(policy)):
        return False
    pattern = policy.get("pattern")
    compiled = _pattern(pattern.value) if pattern is not None and pattern.value is not None else None
    return compiled is not None and compiled.search(queue.name) is not None


def same_broker(policy: Entity, queue: Entity) -> bool:
    """Policies meet the queues of their own broker: the same definitions file, the same cluster
    reference; a policy from a bootstrap script meets the queues of the project it sits in."""
    group = policy.attributes.get("broker", "")
    if group.startswith("under:"):
        root = group.removeprefix("under:")
        return root in ("", ".") or queue.path.startswith(root.rstrip("/") + "/")
    return group == queue.attributes.get("broker")


def priority(policy: Entity) -> int:
    setting = policy.get("priority")
    return (setting.as_int() if setting is not None else None) or 0


def effective(queue: Entity, key: str) -> Effective | None:
    """The value RabbitMQ applies for policy key ``key`` (``message-ttl``), and where it comes from."""
    argument = queue.get(f"x-{key}")
    from_argument = [Effective(argument, f"argument x-{key}")] if argument is not None else []
    from_policies: list[Effective] = []
    relations: tuple[tuple[Relation, str], ...] = (("policy", "policy"), ("operator-policy", "operator policy"))
    for relation, label in relations:
        policy = queue.one(relation)
        setting = policy.get(key) if policy is not None else None
        if policy is not None and setting is not None:
            from_policies.append(Effective(setting, f"{label} {policy.name}"))
    quorum = queue_type(queue) == "quorum"
    found = from_policies + from_argument if quorum and key == "overflow" else from_argument + from_policies
    if not found:
        return None
    numeric = [f for f in found if f.setting.as_int() is not None]
    if key in LIMITS and numeric:
        if key == "delivery-limit" and any((f.setting.as_int() or 0) < 0 for f in numeric):
            return max(numeric, key=lambda f: f.setting.as_int() or 0)  # unlimited loses to any limit
        return min(numeric, key=lambda f: f.setting.as_int() or 0)
    return found[0]


def unknown(queue: Entity) -> bool:
    """Does a policy whose definition cannot be read apply to the queue? Then its values are unknown."""
    return any("templated" in p.traits for r in ("policy", "operator-policy") for p in queue.related.get(r, []))
