"""NATS JetStream consumers, streams and servers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, default_note
from msglint.defaults import effective
from msglint.model import Entity, Setting


def _int(setting: Setting | None) -> int | None:
    return setting.as_int() if setting is not None else None


def _seconds(ns: int) -> str:
    return f"{ns / 10**9:g}s"


def ack_none(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NC101: A JetStream consumer with ack_policy none; a message is gone once delivered."""
    policy = effective(consumer, "ack_policy")
    if policy is None or policy.value != "none":
        return
    stream = consumer.one("stream")
    retention = effective(stream, "retention") if stream is not None else None
    if retention is not None and retention.value == "workqueue":
        effect = (
            f"the server refuses it: a consumer of work-queue stream {stream.name if stream else ''} must acknowledge"
        )
    else:
        effect = (
            "the server forgets each message as soon as it is delivered, so a consumer that crashes or fails "
            "while processing loses it; nothing is ever redelivered"
        )
    yield Hit(
        f"ack_policy=none{default_note(policy)}: {effect}",
        policy if policy.explicit else None,
        ("ack_policy", "explicit"),
    )


def redelivery_unlimited(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NC102: max_deliver unlimited with no backoff; a poison message is redelivered for ever."""
    policy = effective(consumer, "ack_policy")
    if policy is not None and policy.value == "none":
        return  # nothing is redelivered at all: ack_none's finding
    deliver = effective(consumer, "max_deliver")
    n = _int(deliver)
    if deliver is None or n is None or n > 0:
        return
    pace = "after its last backoff step, again and again" if consumer.get("backoff") is not None else "every ack_wait"
    yield Hit(
        f"max_deliver={n}{default_note(deliver)}: a message that keeps failing is redelivered {pace}, for ever "
        "(a backoff list slows redelivery but never ends it), and JetStream has no dead-letter queue to move it "
        "to; set a limit and handle the MAX_DELIVERIES advisory (or term() the message)",
        deliver if deliver.explicit else None,
        ("max_deliver", "5"),
    )


def ack_pending_unlimited(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NC103: max_ack_pending -1; no bound on messages in flight to a consumer."""
    policy = effective(consumer, "ack_policy")
    if policy is not None and policy.value == "none":
        return  # without acknowledgements there is nothing pending (and a positive value is refused)
    pending = consumer.get("max_ack_pending")
    if pending is None or _int(pending) != -1:
        return
    yield Hit(
        "max_ack_pending=-1: no limit on unacknowledged messages, so a slow or stuck consumer receives everything "
        "and they all time out (ack_wait) and are redelivered together",
        pending,
        ("max_ack_pending", "1000"),
    )


def backoff_longer_than_max_deliver(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NC104: A backoff list longer than max_deliver; the server refuses the consumer."""
    backoff, deliver = consumer.get("backoff"), consumer.get("max_deliver")
    n = _int(deliver)
    if backoff is None or deliver is None or n is None or n <= 0 or not backoff.value:
        return
    steps = len(backoff.value.split(","))
    if steps > n:
        yield Hit(
            f"backoff has {steps} steps but max_deliver={n}: the server refuses the consumer "
            "(JSConsumerMaxDeliverBackoffError: the backoff list must not be longer than max_deliver)",
            backoff,
            ("max_deliver", str(steps)),
            related=((deliver, "max_deliver"),),
        )


def _clustered(stream: Entity) -> int | None:
    nodes = [
        s.derived["nodes-at-least"].value for s in stream.related.get("servers", []) if "nodes-at-least" in s.derived
    ]
    return max(nodes) if nodes else None


def stream_replicas(stream: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NS201: A stream with an even replica count, or a single replica on a cluster of three or more."""
    replicas = effective(stream, "num_replicas")
    n = _int(replicas)
    if replicas is None or n is None:
        return
    nodes = _clustered(stream)
    if n in (2, 4):
        yield Hit(
            f"stream {stream.name} has num_replicas={n}: JetStream replicates with a majority, so {n} replicas "
            f"tolerate no more failures than {n - 1} would; use 3 (or 5)",
            replicas,
            ("num_replicas", "3"),
        )
    elif n == 1 and nodes is not None and nodes >= 3:
        yield Hit(
            f"stream {stream.name} has one replica{default_note(replicas)} on a cluster of {nodes} servers: its data "
            "lives on one server, lost with its disk and unavailable while it restarts",
            replicas if replicas.explicit else None,
            ("num_replicas", "3"),
        )


def stream_unbounded(stream: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NS202: A limits-retention stream with no max_age, max_bytes or max_msgs; it grows until storage is full."""
    retention = effective(stream, "retention")
    if retention is None or retention.value != "limits":
        return
    for key in ("max_age", "max_bytes", "max_msgs"):  # max_msgs_per_subject caps a subject, not the stream
        written = stream.get(key)
        if written is not None and written.value is None:
            return  # written, but not knowable here (a placeholder, an expression in code)
        value = _int(effective(stream, key)) if effective(stream, key) is not None else None
        if value is not None and value > 0:
            return
    yield Hit(
        f"stream {stream.name} keeps messages under limits retention{default_note(retention)} but sets no "
        "max_age, max_bytes or max_msgs: it grows until the server's JetStream storage is full and publishes fail",
        None,
        ("max_age", str(7 * 24 * 3600 * 10**9)),
    )


def memory_storage(stream: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NS203: A stream kept in memory (written, or the NACK default); a restart loses its messages."""
    storage = effective(stream, "storage")
    if storage is None or storage.value != "memory":
        return
    yield Hit(
        f"stream {stream.name} is stored in memory{default_note(storage)}: a server restart loses every message "
        "not yet consumed (replicas lose them too when they restart together)",
        storage if storage.explicit else None,
        ("storage", "file"),
    )


def _subjects(setting: Setting | None) -> list[str]:
    return [s for s in (setting.value or "").split(",") if s] if setting is not None else []


def subject_matches(pattern: str, subject: str) -> bool:
    """NATS wildcards: ``*`` one token, ``>`` the rest; ``subject`` may itself contain wildcards."""
    p, s = pattern.split("."), subject.split(".")
    for i, token in enumerate(p):
        if token == ">":
            return len(s) > i
        if i >= len(s):
            return False
        if token != "*" and token != s[i] and s[i] != "*":
            return False
        if s[i] == ">":
            return False
    return len(p) == len(s)


def _overlap(a: list[str], b: list[str]) -> bool:
    if not a or not b:
        return True  # an unfiltered consumer takes every subject
    return any(subject_matches(x, y) or subject_matches(y, x) for x in a for y in b)


def workqueue_overlap(stream: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NS204: Two consumers of a work-queue stream with overlapping filters; the server refuses one."""
    retention = stream.get("retention")
    if retention is None or retention.value != "workqueue":
        return
    consumers = stream.related.get("consumers", [])
    for i, a in enumerate(consumers):
        for b in consumers[i + 1 :]:
            fa = _subjects(a.get("filter_subject")) + _subjects(a.get("filter_subjects"))
            fb = _subjects(b.get("filter_subject")) + _subjects(b.get("filter_subjects"))
            if _overlap(fa, fb):
                yield Hit(
                    f"consumers {a.name} and {b.name} of work-queue stream {stream.name} take overlapping subjects: "
                    "the server refuses the second (a work queue delivers each message to one consumer only)",
                    None,
                    related=((a, f"consumer {a.name}"), (b, f"consumer {b.name}")),
                )


def consumer_contradicts_stream(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NX401: A consumer with more replicas than its stream, or a filter outside the stream's subjects."""
    stream = consumer.one("stream")
    if stream is None:
        return
    mine, theirs = _int(consumer.get("num_replicas")), _int(effective(stream, "num_replicas"))
    retention = effective(stream, "retention")
    strict = retention is not None and retention.value in ("workqueue", "interest")
    if mine is not None and theirs is not None and mine != theirs and mine != 0 and (mine > theirs or strict):
        yield Hit(
            f"consumer {consumer.name} asks for {mine} replicas but stream {stream.name} has {theirs}: the server "
            "refuses a consumer with more replicas than its stream, and on work-queue and interest streams any "
            "other count than the stream's",
            consumer.get("num_replicas"),
            ("num_replicas", str(theirs)),
            related=((stream, f"stream {stream.name}"),),
        )
    subjects = _subjects(stream.get("subjects"))
    filters = _subjects(consumer.get("filter_subject")) + _subjects(consumer.get("filter_subjects"))
    outside = [f for f in filters if subjects and not any(subject_matches(s, f) for s in subjects)]
    if outside:
        yield Hit(
            f"consumer {consumer.name} filters on {', '.join(outside)}, which stream {stream.name} does not hold "
            f"(its subjects: {', '.join(subjects)}): the server refuses the consumer, or it never receives anything",
            consumer.get("filter_subject") or consumer.get("filter_subjects"),
            related=((stream.get("subjects") or stream, f"subjects of stream {stream.name}"),),
        )


def jetstream_disabled(server: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NV301: A NATS server configuration without JetStream while streams are defined in the tree."""
    streams = server.related.get("streams", [])
    if "jetstream" in server.traits or "includes" in server.traits or not streams:
        return
    names = ", ".join(s.name for s in streams[:5])
    yield Hit(
        f"JetStream is not enabled in this server configuration, yet {len(streams)} stream"
        f"{'s are' if len(streams) != 1 else ' is'} defined in the tree ({names}): creating them fails "
        "(JetStream not enabled), unless the server is started with -js",
        server.get("jetstream"),
        related=tuple((s, f"stream {s.name}") for s in streams[:10]),
    )


def jetstream_unlimited(server: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NV302: JetStream enabled with neither max_file_store nor max_memory_store."""
    if "jetstream" not in server.traits or "includes" in server.traits or server.environment:
        return
    if server.get("jetstream.max_file_store") is not None or server.get("jetstream.max_memory_store") is not None:
        return
    yield Hit(
        "JetStream has no max_file_store or max_memory_store: the server takes up to 75% of the disk and of the "
        "memory it sees, so one runaway stream can starve the host and everything else on it",
        server.get("jetstream"),
    )


def two_node_cluster(server: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NV303: A NATS cluster of two servers; no majority survives one of them going down."""
    nodes = server.derived.get("nodes")
    if nodes is None or nodes.value != 2:
        return
    yield Hit(
        f"the cluster has two servers ({nodes.how}): JetStream's meta group and every replicated stream need a "
        "majority, which two servers only have while both are up; use three",
        server.get("cluster.routes"),
        related=tuple((o, "routes") for o in nodes.origins),
    )


def push_without_heartbeat(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NC105: A push consumer without flow control or idle heartbeats."""
    deliver = consumer.get("deliver_subject")
    if deliver is None or not deliver.value:
        return  # a pull consumer asks for messages; heartbeats are for push consumers
    if consumer.get("idle_heartbeat") is not None and consumer.get("flow_control") is not None:
        return
    missing = [k for k in ("idle_heartbeat", "flow_control") if consumer.get(k) is None]
    yield Hit(
        f"push consumer {consumer.name} (deliver_subject {deliver.value}) has no {' or '.join(missing)}: the server "
        "pushes as fast as it can, so a slow subscriber is cut off as a slow consumer and its messages wait for "
        "ack_wait, and without heartbeats a lost subscription goes unnoticed",
        deliver,
        ("flow_control", "true") if "flow_control" in missing else ("idle_heartbeat", str(5 * 10**9)),
    )


def discard_new(stream: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NS205: discard new; a full stream refuses publishes, so publishers must handle the error."""
    discard = stream.get("discard")
    if discard is None or discard.value != "new":
        return
    yield Hit(
        f"stream {stream.name} has discard=new: when a limit is reached, publishes are refused (the publisher gets "
        "an error) instead of the oldest messages being dropped; make sure every publisher checks the "
        "acknowledgement and retries or alerts, or the newest messages are the ones lost",
        discard,
    )
