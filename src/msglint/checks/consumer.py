"""Consumer group liveness: heartbeat, session timeout and poll interval against each other."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, default_note, describe, first_explicit
from msglint.defaults import effective
from msglint.model import Entity, Origin, Setting

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
    hb, session = effective(entity, "heartbeat.interval.ms"), effective(entity, "session.timeout.ms")
    if hb is None or session is None or not (hb.explicit or session.explicit):
        return None
    h, s = hb.as_int(), session.as_int()
    if h is None or s is None:
        return None
    return h, s, hb, session


def heartbeat_not_below_session(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC210: heartbeat.interval.ms not below session.timeout.ms; the consumer fails to start."""
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
    """KC211: heartbeat.interval.ms above a third of session.timeout.ms; members get expelled."""
    found = _heartbeat_session(entity)
    if found is None:
        return
    h, s, hb, session = found
    if s < 3 * h and h < s:  # above a third, compared as ints: no float on a written value
        yield Hit(
            f"{describe(hb)} is more than a third of {describe(session)}: two lost heartbeats "
            "can already cost the member its partitions (Kafka recommends at most a third)",
            first_explicit(hb, session),
            ("heartbeat.interval.ms", str(s // 3)),
        )


def session_outside_broker_range(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC212: session.timeout.ms outside the broker's allowed range; the consumer cannot join its group."""
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
    """KC213: session.timeout.ms so short that pauses cause rebalances, or so long that failures stall."""
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
    """KC214."""
    written = entity.get("group.protocol")
    if written is not None and written.value is None:
        return  # known only at run time (a command-line value): either protocol may apply
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
    """KC215: max.poll.interval.ms leaves too little time per record of a max.poll.records batch."""
    interval, records = effective(entity, "max.poll.interval.ms"), effective(entity, "max.poll.records")
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
    """KC204: Python source: the consumer's commit() runs before a later call that is handed the message."""
    commit, later = entity.places.get("commit-at"), entity.places.get("processed-at")
    if commit is None or later is None:
        return
    binding = entity.attributes.get("binding", "consumer")
    where = Origin(entity.path, commit, "commit", "python")
    yield Hit(
        f"{binding}.commit() runs before the message is processed (the call at line {later.line}): if processing "
        "fails or the process stops in between, the offset already says done and the message is never "
        "redelivered (at-most-once by accident); commit after processing",
        Setting("commit", None, "", where),
        related=((Origin(entity.path, later, "processing", "python"), "processing"),),
    )


# How each client auto-commits, and so what an auto-committing consumer risks (DOMAIN.md §1.2, §6).
_IN_POLL = (
    "the client commits, inside a later poll() and at most every auto.commit.interval.ms, the offsets of "
    "the records earlier polls returned: a loop that finishes each batch before it polls again is "
    "at-least-once, but records handed to another thread or task are committed before they are processed, "
    "so a crash loses them, and close() after a failed record commits it too (close auto-commits the "
    "positions already returned)"
)
_BACKGROUND = {
    "librdkafka": (
        "librdkafka stores a message's offset as soon as poll()/consume() returns it (enable.auto.offset.store="
        "true) and commits the stored offsets from a background thread every auto.commit.interval.ms, so a "
        "commit can land while the message is still being processed and a crash then loses it; set "
        "enable.auto.offset.store=false and call store_offsets(message) after processing (auto-commit then "
        "commits only what was processed)"
    ),
    "aiokafka": (
        "aiokafka commits from a background task every auto_commit_interval_ms the position after the records "
        "getone()/getmany()/`async for` already returned, so a commit can land while a record (or a getmany() "
        "batch) is still being processed and a crash then loses it"
    ),
}


# Without group.id: the Java client refuses enable.auto.commit=true (InvalidConfigurationException) and
# turns the default off; kafka-python turns it off ("group_id is None: disabling auto-commit"); aiokafka
# starts no GroupCoordinator, so nothing commits; confluent-kafka refuses the Consumer ("group.id must be set").
_GROUPLESS = ("kafka-java", "kafka-python", "aiokafka", "librdkafka")


def auto_commit(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC201: enable.auto.commit=true, written or by the client's default, told in the terms of that client."""
    setting = effective(entity, "enable.auto.commit")
    if setting is None or setting.value is None or setting.value.strip().lower() != "true":
        return
    if entity.client == "librdkafka":
        store = effective(entity, "enable.auto.offset.store")
        if store is not None and store.as_bool() is False:
            return  # offsets are committed only once the application stores them: at-least-once
    if entity.client in _GROUPLESS and "group.id" not in entity.settings and "templated" not in entity.traits:
        return  # no group, no commits: _GROUPLESS says what the client does instead
    risk = _BACKGROUND.get(entity.client, _IN_POLL)
    at, call = entity.places.get("handoff-at"), entity.attributes.get("handoff-call", "")
    related: tuple[tuple[Setting | Entity | Origin, str], ...] = ()
    if at is not None:
        shown = (
            f"; here the records are handed off at line {at.line} ({call}()), so they are committed before "
            "they are processed and a crash loses them"
        )
        related = ((Origin(entity.path, at, "hand-off", "python"), "records handed off"),)
    elif entity.attributes.get("binding") and entity.client in ("kafka-python", "aiokafka", "librdkafka"):
        shown = "" if entity.client in _BACKGROUND else "; this module shows no hand-off to another thread or task"
    else:
        shown = "; msglint cannot tell from here how the records are processed, so which of these applies is unknown"
    fix = ("enable.auto.offset.store", "false") if entity.client == "librdkafka" else ("enable.auto.commit", "false")
    yield Hit(
        f"enable.auto.commit=true{default_note(setting)}: {risk}{shown}",
        setting if setting.explicit else None,
        fix,
        related=related,
    )


def trusts_every_package(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC220: Spring's JsonDeserializer trusts every package: the producer picks the classes it builds."""
    trusted = entity.get("spring.json.trusted.packages")
    if trusted is None or trusted.value is None or "*" not in [p.strip() for p in trusted.value.split(",")]:
        return
    headers = entity.get("spring.json.use.type.headers")
    if headers is not None and headers.as_bool() is False:
        return  # type headers ignored: the configured default type is built, whatever a record says
    yield Hit(
        "spring.json.trusted.packages=*: Spring's JsonDeserializer builds whatever class a record's __TypeId__ "
        "header names, so anyone who can write to the topic chooses the classes this consumer instantiates "
        "(Jackson gadget classes on the classpath reach remote code execution); list the application's own "
        "event packages instead",
        trusted,
    )


def never_commits(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC205: a Python consumer with auto-commit written off that nothing in its module commits."""
    auto = consumer.get("enable.auto.commit")
    if "never-commits" not in consumer.traits or auto is None or auto.as_bool() is not False:
        return
    if consumer.get("group.id") is None:
        return  # no group: there is nowhere to commit to (and nothing to resume from)
    reset = effective(consumer, "auto.offset.reset")
    start = f"auto.offset.reset={reset.value}{default_note(reset)}" if reset is not None else "auto.offset.reset"
    yield Hit(
        f"enable.auto.commit=false, and nothing in this module commits for consumer `{consumer.attributes['binding']}` "
        "(no commit() call on it, no assign/seek of its own positions): its group never records a position, so "
        f"after every restart and every rebalance a partition starts again from {start}: `latest` skips what "
        "arrived meanwhile, `earliest` processes everything again; commit after processing each message or batch",
        auto,
    )
