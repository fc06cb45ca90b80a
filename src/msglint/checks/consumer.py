"""Consumer group liveness: heartbeat, session timeout and poll interval against each other."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, describe, first_explicit
from msglint.model import Entity, Origin, Setting, Span

# The broker's group.min.session.timeout.ms / group.max.session.timeout.ms defaults.
BROKER_MIN_SESSION_MS = 6000
BROKER_MAX_SESSION_MS = 1800000
CLASSIC_ONLY = ("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy")


def _consumer_protocol(entity: Entity) -> bool:
    protocol = entity.get("group.protocol")
    return protocol is not None and protocol.value == "consumer"


def _heartbeat_session(entity: Entity) -> tuple[int, int, Any, Any] | None:
    if _consumer_protocol(entity):
        return None  # the broker owns both timeouts under KIP-848
    hb, session = entity.effective("heartbeat.interval.ms"), entity.effective("session.timeout.ms")
    if hb is None or session is None or not (hb.explicit or session.explicit):
        return None
    h, s = hb.as_int(), session.as_int()
    if h is None or s is None:
        return None
    return h, s, hb, session


def heartbeat_not_below_session(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    found = _heartbeat_session(entity)
    if found is None:
        return
    h, s, hb, session = found
    if h >= s:
        yield Hit(
            f"{describe(hb)} is not below {describe(session)}: the consumer fails to start "
            '(IllegalArgumentException: "Heartbeat must be set lower than the session timeout")',
            first_explicit(hb, session),
            ("heartbeat.interval.ms", str(max(1, s // 3))),
        )


def heartbeat_above_third(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    found = _heartbeat_session(entity)
    if found is None:
        return
    h, s, hb, session = found
    if s / 3 < h < s:
        yield Hit(
            f"{describe(hb)} is more than a third of {describe(session)}: two lost heartbeats "
            "can already cost the member its partitions (Kafka recommends at most a third)",
            first_explicit(hb, session),
            ("heartbeat.interval.ms", str(s // 3)),
        )


def session_outside_broker_range(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    session = entity.get("session.timeout.ms")
    if session is None or _consumer_protocol(entity):
        return
    s = session.as_int()
    low = int(options.get("broker-min", BROKER_MIN_SESSION_MS))
    high = int(options.get("broker-max", BROKER_MAX_SESSION_MS))
    if s is not None and not low <= s <= high:
        yield Hit(
            f"session.timeout.ms={s} is outside the broker's allowed range [{low}, {high}] "
            "(group.min/max.session.timeout.ms defaults): joining the group fails with INVALID_SESSION_TIMEOUT",
            session,
            ("session.timeout.ms", "45000"),
        )


def session_outside_band(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    session = entity.get("session.timeout.ms")
    if session is None or _consumer_protocol(entity):
        return
    s = session.as_int()
    low = int(options.get("min", 10000))
    high = int(options.get("max", 300000))
    if s is None or not BROKER_MIN_SESSION_MS <= s <= BROKER_MAX_SESSION_MS:
        return  # out of the broker's range is the error rule's finding
    if s < low:
        yield Hit(
            f"session.timeout.ms={s} is below {low}: a GC pause or a slow network hop gets the member "
            "expelled and the group rebalances",
            session,
            ("session.timeout.ms", "45000"),
        )
    elif s > high and entity.get("group.instance.id") is None:
        yield Hit(
            f"session.timeout.ms={s} is above {high}: a crashed consumer keeps its partitions, unread, "
            f"for {s // 1000} s before the group notices (long timeouts suit static membership, "
            "group.instance.id, which is not set)",
            session,
            ("session.timeout.ms", "45000"),
        )


def group_protocol_mismatch(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    if not _consumer_protocol(entity):
        assignor = entity.get("group.remote.assignor")
        if assignor is not None:
            yield Hit(
                "group.remote.assignor only applies to group.protocol=consumer, and the group uses the classic "
                "protocol (the default): the consumer fails to start (ConfigException)",
                assignor,
                ("group.protocol", "consumer"),
            )
        return
    for key in CLASSIC_ONLY:
        setting = entity.get(key)
        if setting is not None:
            yield Hit(
                f"{key} cannot be set with group.protocol=consumer: the Kafka 4.x consumer fails to start "
                "(ConfigException); the broker's group.consumer.* settings govern the group instead",
                setting,
                remove=True,
            )


def poll_budget(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    interval, records = entity.effective("max.poll.interval.ms"), entity.effective("max.poll.records")
    if interval is None or records is None or not (interval.explicit or records.explicit):
        return
    i, r = interval.as_int(), records.as_int()
    if i is None or not r:
        return
    minimum = float(options.get("min-ms-per-record", 50))
    budget = i / r
    if budget < minimum:
        yield Hit(
            f"{describe(interval)} over {describe(records)} leaves {budget:g} ms per record: a batch that "
            "takes longer gets the member expelled, its commit fails and the group rebalances in a loop",
            first_explicit(records, interval),
            ("max.poll.records", str(max(1, int(i // (minimum * 2))))),
        )


def commit_before_processing(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """Python source: the consumer's commit() runs before a later call that is handed the message."""
    commit, processed = entity.attributes.get("commit-at"), entity.attributes.get("processed-at")
    if not commit or not processed:
        return
    binding = entity.attributes.get("binding", "consumer")
    later = Span.parse(processed)
    where = Origin(entity.path, Span.parse(commit), "commit", "python")
    yield Hit(
        f"{binding}.commit() runs before the message is processed (the call at line {later.line}): if processing "
        "fails or the process stops in between, the offset already says done and the message is never "
        "redelivered (at-most-once by accident); commit after processing",
        Setting("commit", None, "", where),
        related=((Origin(entity.path, later, "processing", "python"), "processing"),),
    )
