"""Redis Streams: consumers, producers and groups found in code, and the servers the streams live on.

What a consumer's application does elsewhere (acknowledge, claim, trim) is its ``app-ops``, the union
link/redis.py makes over the application's files; a check asks that, never the one file.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, default_note
from msglint.checks.crossfile import Pods
from msglint.defaults import effective
from msglint.link import Workspace
from msglint.model import Entity, Setting

_AUTO = "reads are acknowledged when delivered"


def _ops(entity: Entity) -> set[str]:
    return set(entity.lists.get("app-ops", ()))


def _true(setting: Setting | None) -> bool:
    return setting is not None and (setting.value or "").lower() in ("true", "1")


def _auto_acknowledged(consumer: Entity) -> Setting | None:
    """The setting that makes the server or the container acknowledge on delivery: NOACK, autoAcknowledge."""
    for key in ("noack", "autoAcknowledge"):
        setting = effective(consumer, key)
        if _true(setting):
            return setting
    return None


def _stream(entity: Entity) -> str:
    name = entity.attributes.get("stream") or entity.attributes.get("stream-text") or "its stream"
    group = entity.attributes.get("group")
    return f"stream {name}" + (f" (group {group})" if group else "")


def never_acked(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD101: A consumer group read whose application never acknowledges (XACK) an entry."""
    if _auto_acknowledged(consumer) is not None or "ack" in _ops(consumer):
        return
    yield Hit(
        f"{_stream(consumer)} is read with XREADGROUP but nothing in this application calls XACK: every entry "
        "stays in the group's pending entries list for ever, which grows without bound, and any consumer that "
        "reads its pending entries or claims them processes each entry again"
    )


def _constant_name(consumer: Entity) -> str | None:
    return consumer.attributes.get("consumer-name")


def pending_never_reclaimed(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD102: Entries left pending by a consumer that is gone are never claimed by another."""
    ops = _ops(consumer)
    if _auto_acknowledged(consumer) is not None or "ack" not in ops or "claim" in ops:
        return
    if _constant_name(consumer) is not None:
        return  # a stable name gets its own entries back on restart, if it reads them: RD103
    text = consumer.attributes.get("consumer-text") or "a name not known here"
    yield Hit(
        f"the consumer of {_stream(consumer)} is named {text}, not a constant, and nothing in this application "
        "calls XAUTOCLAIM or XCLAIM: the entries a consumer had read but not acknowledged when it crashed or was "
        "scaled down stay pending under its name, and unless a process of the same name reads them again "
        "(id 0) they are never processed"
    )


def pending_never_reread(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD103: A consumer with a fixed name that reads only new entries (">") and never its pending ones."""
    ops = _ops(consumer)
    if _auto_acknowledged(consumer) is not None or "ack" not in ops or "claim" in ops:
        return
    if ops & {"read-pending", "read-unknown"}:
        return
    name = _constant_name(consumer)
    if name is None:
        return
    yield Hit(
        f'consumer {name} of {_stream(consumer)} only ever reads with id ">" and nothing here calls XAUTOCLAIM '
        "or XCLAIM: the entries it had read but not acknowledged when it crashed or was redeployed stay in its "
        'pending list, and are never delivered again; read with id "0" on start until nothing comes back'
    )


def poison_unbounded(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD104: Pending entries are redelivered with no delivery limit and no dead-letter stream."""
    ops = _ops(consumer)
    if _auto_acknowledged(consumer) is not None or not ops & {"claim", "read-pending"}:
        return  # without redelivery there is no loop (RD102, RD103 say what that costs)
    if ops & {"delivery-count", "dead-letter"}:
        return
    how = "claims" if "claim" in ops else "re-reads"
    yield Hit(
        f"this application {how} pending entries of {_stream(consumer)} but never looks at their delivery count "
        "(XPENDING's times delivered) and writes no dead-letter stream: an entry whose processing always fails "
        "is delivered again and again, for ever, and blocks or slows the entries behind it"
    )


def auto_acknowledged(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD105: A consumer group read with NOACK or auto-acknowledgement; a crash loses the entries it holds."""
    setting = _auto_acknowledged(consumer)
    if setting is None:
        return
    how = "NOACK" if setting.key == "noack" else f"autoAcknowledge=true{default_note(setting)}"
    yield Hit(
        f"{_stream(consumer)} is read with {how}: {_AUTO}, before the application has processed them, so an entry "
        "in flight when the consumer crashes, is redeployed or throws is lost; nothing delivers it again",
        # no edit: turning acknowledgement on without adding XACK leaves every entry pending (RD101)
        setting if setting.explicit else None,
    )


# Lettuce cancels a command after its timeout, 60 s by default, blocking ones too
_LETTUCE_TIMEOUT = 60_000


def block_forever(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD106: A blocking read with BLOCK 0, or one that blocks longer than the client's timeout."""
    block = consumer.get("block")
    ms = block.as_int() if block is not None else None
    if block is None or ms is None:
        return
    timeout = consumer.get("socket_timeout")
    limit = timeout.as_int() if timeout is not None else None
    if consumer.client == "lettuce" and limit is None:
        limit = _LETTUCE_TIMEOUT
    if ms == 0:
        cut = (
            f"; and the client's timeout ({limit} ms) cuts every such wait with a timeout error"
            if limit is not None
            else ""
        )
        yield Hit(
            f"XREADGROUP with BLOCK 0 on {_stream(consumer)} waits for ever: a connection that a proxy, a load "
            "balancer or a failover drops without a reset leaves the consumer waiting with no error, and it stops "
            f"consuming{cut}. Block for a few seconds and loop",
            block,
            ("block", "5000"),
        )
    elif limit is not None and ms >= limit:
        source = "socket_timeout" if timeout is not None else "Lettuce's default command timeout"
        yield Hit(
            f"block={ms} ms is not below {source} ({limit} ms): whenever the stream is idle the client gives up "
            "on the read first and raises a timeout error instead of returning nothing",
            block,
        )


def cancel_on_error(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD107: A Spring stream subscription that an error cancels, with no error handler to say so."""
    if consumer.client != "spring-data-redis":
        return
    cancel = effective(consumer, "cancelOnError")
    if cancel is None or not _true(cancel) or "error-handler" in _ops(consumer):
        return
    yield Hit(
        f"cancelOnError is true{default_note(cancel)}: the first error of the subscription to {_stream(consumer)} "
        "(from the connection, deserialization or the listener) cancels it, and the container's default error "
        "handler only logs it: the application keeps running and consumes nothing more. Set "
        "cancelOnError(e -> false) or an errorHandler that reacts",
        cancel if cancel.explicit else None,
    )


def group_at_end(group: Entity, options: Mapping[str, Any], workspace: Workspace) -> Iterator[Hit]:
    """RD108: A group created at "$" on a stream that already has entries; they are never delivered to it."""
    start = effective(group, "id")
    if start is None or start.value != "$":
        return
    key = group.attributes.get("stream")
    mkstream = group.get("mkstream")
    producers = [p for p in workspace.of("redis.producer") if key and p.attributes.get("stream") == key]
    must_exist = group.client == "redis-py" and not _true(mkstream)
    if not producers and not must_exist:
        return
    why = (
        f"stream {key} is written by {producers[0].path}:{producers[0].anchor.line}"
        if producers
        else "without mkstream the stream must already exist"
    )
    yield Hit(
        f'group {group.attributes.get("group", group.name)} is created at id "$"{default_note(start)} and {why}: '
        "entries added before the group exists (while the consumer is first deployed, or after the stream was "
        'recreated) are never delivered to it. Create it at id "0" to take the stream from its start',
        start if start.explicit else None,
        related=tuple((p, "adds entries to the stream") for p in producers[:3]),
    )


def _bounded(key: str, workspace: Workspace) -> bool:
    for client in workspace.of("redis.client"):
        ops = client.lists.get("ops", ())
        if f"trim:{key}" in ops or "trim:*" in ops or f"bounded:{key}" in ops:
            return True
    return False


def stream_unbounded(producer: Entity, options: Mapping[str, Any], workspace: Workspace) -> Iterator[Hit]:
    """RD201: XADD without MAXLEN or MINID, and no XTRIM of the stream anywhere."""
    if "maxlen" in producer.settings or "minid" in producer.settings:
        return
    key = producer.attributes.get("stream")
    if key is None or key == "" or _bounded(key, workspace):
        return  # a key not known here may be trimmed under another name
    yield Hit(
        f"XADD to stream {key} without MAXLEN or MINID, and nothing in the tree trims it (XTRIM): acknowledged "
        "entries are not deleted, so the stream grows until the server runs out of memory (then refuses writes, "
        "or evicts keys)",
        None,
        ("maxlen", "10000"),
    )


def _persistence(server: Entity) -> tuple[str, str, Setting | None] | None:
    """(grade, what is missing, the setting to point at) for a server that can lose writes; None: durable."""
    if server.attributes.get("storage") == "ephemeral":
        replicas = server.get("replicas")
        alone = replicas is None or (replicas.as_int() or 1) < 2
        # a replica that restarts copies its master again: only losing every pod at once empties the streams
        lost = (
            "a restarted pod starts empty"
            if alone
            else "the streams are empty when every pod restarts at once (a node pool upgrade)"
        )
        return ("none" if alone else "rdb"), f"its data directory is not on a persistent volume, so {lost}", None
    aof, save = effective(server, "appendonly"), effective(server, "save")
    if aof is None or save is None:
        return None  # a file it includes, or a server whose defaults are not known, may set them
    if (aof.value or "").lower() == "yes":
        fsync = effective(server, "appendfsync")
        if fsync is not None and (fsync.value or "").lower() == "no":
            return "rdb", "appendfsync no leaves it to the kernel to write the log, up to 30 s behind", fsync
        return None
    if (save.value or "").strip() in ("", '""'):
        return (
            "none",
            f'appendonly no{default_note(aof)} and save ""{default_note(save)}: nothing is written to disk, '
            "so a restart empties every stream",
            aof,
        )
    return (
        "rdb",
        f"appendonly no{default_note(aof)}: only snapshots ({save.value}) are written, so a crash loses every "
        "entry added since the last one",
        aof,
    )


def not_durable(server: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD301: A Redis server that streams live on writes no append-only file."""
    found = _persistence(server)
    if found is None:
        return
    grade, missing, at = found
    users = server.lists.get("used-by", ())
    if users:
        who = f"the streams of {', '.join(users[:3])}" + (" and more" if len(users) > 3 else "")
        severity = None if grade == "none" else "warning"
        message = f"{who} live on this server, and {missing}: acknowledged entries are lost"
    elif at is not None and at.explicit:
        severity, message = "info", f"{missing} (no stream consumer or producer in this tree uses this server)"
    else:
        return  # an image's defaults, and no stream known to live there: a cache, most likely
    if at is None:  # the volume, not a directive
        fix, advice = None, "keep the data on a persistent volume and set appendonly yes"
    elif at.key == "appendfsync":
        fix, advice = ("appendfsync", "everysec"), "set appendfsync everysec"
    else:
        fix, advice = ("appendonly", "yes"), "set appendonly yes"
    yield Hit(f"{message}; {advice}", at if at is not None and at.explicit else None, fix, severity=severity)


def eviction_deletes_streams(server: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD302: An allkeys-* eviction policy on a server that holds streams; a full server deletes them."""
    users = server.lists.get("used-by", ())
    policy, limit = effective(server, "maxmemory-policy"), server.get("maxmemory")
    if not users or policy is None or not (policy.value or "").lower().startswith("allkeys-"):
        return
    if limit is None or (limit.value or "0").strip() in ("0", "0b", "0mb", "0gb"):
        return  # no memory limit: nothing is evicted
    yield Hit(
        f"maxmemory-policy {policy.value} with maxmemory {limit.value}: when the server is full it deletes whole "
        f"keys, streams and their consumer groups among them, and the streams of {', '.join(users[:3])} live "
        "here; use noeviction (writes are refused instead) or a volatile-* policy, and bound the streams",
        policy if policy.explicit else None,
        ("maxmemory-policy", "noeviction"),
    )


def name_shared_by_replicas(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RD401: Replicas of one workload read a group under the same constant consumer name."""
    name = _constant_name(consumer)
    workload = consumer.one("workloads")
    if name is None or workload is None:
        return
    pods = Pods.of(workload)
    if pods.count is None or pods.count < 2:
        return
    yield Hit(
        f"consumer name {name} is a constant, and {pods.text(workload)} run this consumer of {_stream(consumer)}: "
        "they share one pending entries list, so a pod that restarts and reads its pending entries, or claims "
        "idle ones, takes the entries another pod is processing, and they are processed twice; name each "
        "consumer after its pod (the HOSTNAME variable)",
        related=((pods.setting or workload, "the replicas"),),
    )
