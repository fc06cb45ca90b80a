"""Spring Cloud Stream bindings: consumer groups and what happens to a message that keeps failing."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.model import Entity

MAX_ATTEMPTS = 3  # ConsumerProperties.maxAttempts (DOMAIN.md §2.5)

_ANONYMOUS = {
    "kafka": (
        "the Kafka binder gives it an anonymous consumer group (a new random id each start, beginning at the "
        "latest offset), so records written while the application is down are never read, and every instance "
        "receives every record instead of sharing them"
    ),
    "rabbit": (
        "the Rabbit binder binds it an anonymous, auto-delete, exclusive queue, which is deleted with the "
        "messages in it when the application stops, so messages published while it is down are never "
        "delivered, and every instance receives its own copy of each message"
    ),
}


def no_group(binding: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """CS201: a consumer binding without a group is an anonymous consumer."""
    family = binding.attributes.get("binder", "unknown")
    if (
        binding.attributes.get("direction") != "consumer"
        or binding.get("group") is not None
        or family not in _ANONYMOUS
    ):
        return  # unknown: the binder on the classpath decides (Kafka Streams has no groups), not read yet
    yield Hit(
        f"consumer binding {binding.name} has no group: {_ANONYMOUS[family]}; "
        "name a group (one per application, shared by its instances)",
        None,
        ("group", _group_name(binding.name)),
    )


def no_dead_letter(binding: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """CS202: a consumer binding whose failed messages are dropped after the last attempt."""
    family = binding.attributes.get("binder")
    if binding.attributes.get("direction") != "consumer" or binding.get("group") is None:
        return  # an anonymous consumer is CS201's finding (and a DLQ needs a group)
    if family == "kafka":
        dlq = binding.get("kafka.enable-dlq")
        if dlq is not None and dlq.as_bool() is True:
            return
        yield Hit(
            f"consumer binding {binding.name} has no dead-letter topic (enable-dlq is "
            f"{'false' if dlq is not None else 'not set, so false'}): a record whose handler keeps failing is "
            "retried by the container's default error handler (10 attempts; max-attempts has no bearing without "
            "a DLQ), then logged and skipped, and its offset committed: it is lost; set enable-dlq: true (the "
            "binder publishes it to error.<destination>.<group> after max-attempts)",
            dlq if dlq is not None and dlq.explicit else None,
            ("kafka.enable-dlq", "true"),
        )
    elif family == "rabbit":
        dlq = binding.get("rabbit.auto-bind-dlq")
        requeue = binding.get("rabbit.requeue-rejected")
        if (dlq is not None and dlq.as_bool() is True) or (requeue is not None and requeue.as_bool() is True):
            return  # requeue-rejected loops instead of dropping: another problem
        attempts = binding.get("max-attempts")
        count = attempts.as_int() if attempts is not None else MAX_ATTEMPTS
        tried = (
            "with max-attempts=1 it is not retried at all and"
            if count == 1
            else f"after {count} attempts{'' if attempts is not None else ' (max-attempts, the default)'} it"
        )
        yield Hit(
            f"consumer binding {binding.name} has no dead-letter queue (auto-bind-dlq is "
            f"{'false' if dlq is not None else 'not set, so false'}): a message whose handler keeps failing is "
            f"rejected without requeue, {tried} is dropped unless the queue has a dead-letter exchange from a "
            "policy; set auto-bind-dlq: true (the binder binds <destination>.<group>.dlq)",
            dlq if dlq is not None and dlq.explicit else None,
            ("rabbit.auto-bind-dlq", "true"),
        )


def _group_name(binding: str) -> str:
    """A group to suggest: the function's name (``process`` for ``process-in-0``)."""
    base = binding.rsplit("-in-", 1)[0] if "-in-" in binding else binding
    return base or "my-group"


BINDER_ACKS_CHANGED = "5.0.2"  # the Kafka binder's required-acks default: "1" before, "all" since (GH-3170)


def binder_acks(binding: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """CS203: the Kafka binder writes its required-acks (``1`` before 5.0.2) into the producer's acks."""
    from msglint import versions

    if binding.attributes.get("direction") != "producer" or binding.attributes.get("binder") != "kafka":
        return
    if binding.get("kafka.acks") is not None or binding.get("kafka.transactional") is not None:
        return  # acks written for the producer itself overrides required-acks (KP101 judges spring.kafka's);
        # a transactional binder's producer is configured under transaction.producer, and acks=1 stops it
    required = binding.get("kafka.required-acks")
    effect = (
        "the Kafka binder writes it into the producer's acks, so a write to "
        f"{binding.name} is acknowledged before any follower has it and losing the leader loses it"
    )
    if required is not None:
        if required.value in ("0", "1"):
            yield Hit(f"required-acks={required.value}: {effect}", required, ("kafka.required-acks", "all"))
        return
    version = binding.attributes.get("client-version")
    if version is not None and versions.before(version, BINDER_ACKS_CHANGED) is not True:
        return  # 5.0.2 or later ("all"), or a range that may be either
    if version is not None:
        found = binding.attributes["client-version-from"]
        how = f"the default of the Kafka binder before {BINDER_ACKS_CHANGED} ({found})"
    else:
        how = (
            f"the default of the Kafka binder before {BINDER_ACKS_CHANGED}, assumed as no Spring Cloud Stream version "
            "was found in a build file; 5.0.2 (February 2026) made it all"
        )
    yield Hit(f"required-acks=1 (not set: {how}): {effect}", None, ("kafka.required-acks", "all"))
