"""NATS JetStream: streams and consumers as the ``nats`` CLI writes them (JSON or YAML, server
field names), as NACK custom resources (camelCase), and the server's own configuration.

Durations are kept in nanoseconds: the CLI's JSON writes them so, NACK writes Go durations
("30s", "1m30s"), which are converted.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from msglint import numbers
from msglint.documents import Document
from msglint.extract import path, places, scalar
from msglint.facts import Kind
from msglint.fixes import JsonWriter, YamlWriter
from msglint.fixes.naming import Under
from msglint.model import Entity, Origin, Setting
from msglint.readers.tree import Mapping, Node, Scalar, Sequence

if TYPE_CHECKING:
    from msglint.extract.manifests import Manifest  # manifests.KINDS names nack: it imports this module

STREAM_KEYS = frozenset(
    {
        "name",
        "subjects",
        "retention",
        "storage",
        "num_replicas",
        "max_age",
        "max_bytes",
        "max_msgs",
        "max_msgs_per_subject",
        "discard",
        "duplicate_window",
        "max_consumers",
    }
)
CONSUMER_KEYS = frozenset(
    {
        "stream_name",
        "durable_name",
        "name",
        "ack_policy",
        "ack_wait",
        "max_deliver",
        "backoff",
        "max_ack_pending",
        "filter_subject",
        "filter_subjects",
        "deliver_subject",
        "deliver_policy",
        "num_replicas",
        "flow_control",
        "idle_heartbeat",
        "mem_storage",
    }
)
DURATIONS = frozenset({"max_age", "duplicate_window", "ack_wait", "idle_heartbeat", "backoff"})
# NACK's camelCase fields -> the server's names
NACK = {
    "streamName": "stream_name",
    "durableName": "durable_name",
    "ackPolicy": "ack_policy",
    "ackWait": "ack_wait",
    "maxDeliver": "max_deliver",
    "maxAckPending": "max_ack_pending",
    "filterSubject": "filter_subject",
    "filterSubjects": "filter_subjects",
    "deliverSubject": "deliver_subject",
    "deliverPolicy": "deliver_policy",
    "replicas": "num_replicas",
    "flowControl": "flow_control",
    "heartbeatInterval": "idle_heartbeat",
    "memStorage": "mem_storage",
    "maxAge": "max_age",
    "maxBytes": "max_bytes",
    "maxMsgs": "max_msgs",
    "maxMsgsPerSubject": "max_msgs_per_subject",
    "duplicateWindow": "duplicate_window",
    "maxConsumers": "max_consumers",
}


def nanoseconds(text: str) -> str | None:
    """A duration as nanoseconds: an integer as written (Setting.as_int bounds it), or a Go duration
    string, converted exactly; None where Go's time.ParseDuration fails (an int64 overflow too)."""
    text = text.strip()
    if re.fullmatch(r"-?[0-9]+", text):
        return text
    ns = numbers.go_duration_ns(text)
    return None if ns is None else str(ns)


def _value(key: str, node: Node) -> str | None:
    if isinstance(node, Scalar):
        if node.tag == "null" or "${" in node.value:
            return None
        return (
            nanoseconds(node.value)
            if key in DURATIONS
            else node.value.lower()
            if key in ("ack_policy", "retention", "storage", "discard", "deliver_policy")
            else node.value
        )
    if isinstance(node, Sequence) and all(isinstance(i, Scalar) for i in node.items):
        items = [i.value for i in node.items if isinstance(i, Scalar)]
        if key in DURATIONS:
            converted = [nanoseconds(i) for i in items]
            return None if None in converted else ",".join(c for c in converted if c)
        return ",".join(items)
    return None


def _entity(document: Document, root: Mapping, kind: Kind, client: str, names: dict[str, str], where: str) -> Entity:
    allowed = STREAM_KEYS if kind == "nats.stream" else CONSUMER_KEYS
    entity = Entity(kind, client, document.display, root.span, label=kind.replace("nats.", "JetStream "))
    for key, value in root.items:
        canonical = names.get(key.value, key.value)
        if canonical not in allowed:
            continue
        span, value_span, whole = places.place(key, value, document.lines)
        origin = Origin(
            document.display, span, f"{where}{key.value}", document.syntax, value_span, key.span, whole_lines=whole
        )
        text = _value(canonical, value)
        entity.settings[canonical] = Setting(canonical, text, text or "", origin)
    name = entity.get("name") or entity.get("durable_name")
    entity.name = name.value if name is not None and name.value else ""
    name_key = next((k for k, _ in root.items if names.get(k.value, k.value) in ("name", "durable_name")), None)
    if name_key is not None:
        entity.anchor = name_key.span
    return entity


_RETENTIONS = {"limits", "interest", "workqueue"}


def _kind_of(root: Mapping) -> Kind | None:
    """A consumer by its consumer-only fields; a stream by a NATS retention value, or by subjects with
    a NATS storage or replica count (an application's `retention: 30d` is not a stream)."""
    keys = {NACK.get(k.value, k.value): v for k, v in root.items}
    if set(keys) & {"ack_policy", "deliver_policy", "durable_name", "max_ack_pending", "deliver_subject"}:
        return "nats.consumer"
    retention = scalar(keys.get("retention"))
    storage = scalar(keys.get("storage"))
    if (retention or "").lower() in _RETENTIONS or (
        "subjects" in keys and ((storage or "").lower() in ("file", "memory") or "num_replicas" in keys)
    ):
        return "nats.stream"
    return None


def extract(document: Document) -> list[Entity]:
    """CLI-style stream and consumer configurations in JSON or YAML files."""
    out = []
    for top in document.yaml:
        if not isinstance(top, Mapping) or scalar(top.get("apiVersion")) is not None:
            continue
        # `nats stream info -j` / `nats consumer info -j` wrap the configuration in "config"
        nested = top.get("config")
        root = nested if isinstance(nested, Mapping) else top
        kind = _kind_of(root)
        if kind is not None:
            entity = _entity(document, root, kind, "nats-server", {}, "config." if root is not top else "")
            if root is not top:
                stream_name = scalar(top.get("stream_name"))
                if stream_name:
                    key = next(k for k, _ in top.items if k.value == "stream_name")
                    origin = Origin(document.display, key.span, "stream_name", document.syntax, None, key.span)
                    entity.settings["stream_name"] = Setting("stream_name", stream_name, stream_name, origin)
            if document.syntax == "json":
                entity.writer = JsonWriter(document.display, lambda key: "the configuration")
            else:
                entity.writer = YamlWriter(
                    document.display,
                    lambda key: ([key], "raw"),
                    document.lines,
                    root=root,
                    last_line=root.span.end_line - (1 if root.span.end_column == 1 else 0),
                    literal=True,
                )
            out.append(entity)
    return out


def nack(m: Manifest) -> list[Entity]:
    """A NACK ``Stream`` or ``Consumer`` custom resource (manifests.KINDS routes them here)."""
    spec = path(m.root, "spec")
    if not isinstance(spec, Mapping):
        return []
    kind: Kind = "nats.stream" if m.kind == "Stream" else "nats.consumer"
    entity = _entity(m.document, spec, kind, "nack", NACK, "spec.")
    entity.writer = m.writer(Under(("spec",), renamed=tuple((s, c) for c, s in reversed(NACK.items()))))
    entity.namespace = m.namespace
    return [entity]


# nats-server reads its configuration keys case-insensitively and under several names; msglint keeps
# one name per option. From server/opts.go: `processConfigFileLine` (top level, `strings.ToLower(k)`),
# `parseJetStream` (the jetstream block) and `parseCluster` (the cluster block).
_SERVER_KEYS = {"leaf": "leafnodes", "storedir": "store_dir", "log_file": "logfile"}  # processConfigFileLine
_JETSTREAM_KEYS = {  # parseJetStream
    "store": "store_dir",
    "storedir": "store_dir",
    "max_mem_store": "max_memory_store",
    "max_mem": "max_memory_store",
    "max_file": "max_file_store",
    "enable": "enabled",
    "sync": "sync_interval",
    "key": "encryption_key",
    "ek": "encryption_key",
    "prev_key": "prev_encryption_key",
    "prev_ek": "prev_encryption_key",
}
_BLOCK_KEYS = {"jetstream": _JETSTREAM_KEYS, "cluster": {}}  # parseCluster: names only lower-cased


def server_key(block: str, key: str) -> str:
    """The one name msglint uses for a key nats-server accepts under ``block`` ("" for the top level)."""
    key = key.lower()
    return _BLOCK_KEYS.get(block, {}).get(key, key) if block else _SERVER_KEYS.get(key, key)


def extract_server(document: Document) -> list[Entity]:
    """``nats-server.conf`` -> a ``nats.server``: JetStream (on, and its limits) and the cluster."""
    root = document.yaml[0] if document.yaml else None
    if not isinstance(root, Mapping):
        return []
    anchor = root.items[0][0].span if root.items else root.span  # the first key, not a leading comment
    server = Entity("nats.server", "nats-server", document.display, anchor, label="NATS server", name=document.display)
    for key, value in root.items:
        top = server_key("", key.value)
        if top in ("jetstream", "cluster") and isinstance(value, Mapping):
            _block(document, server, top, key, value)
        elif top == "jetstream" and isinstance(value, Scalar):
            _jetstream_switch(document, server, key, value)
    _routes(server, next((scalar(v) or "" for k, v in root.items if server_key("", k.value) == "server_name"), ""))
    if any(k.value.lower() == "include" for k, _ in root.items) or document.template_lines:
        server.traits.add("includes")  # settings may come from the included file (or template logic): unknown
    if (
        server.get("jetstream") is None
        and server.get("cluster") is None
        and not any(
            server_key("", k.value) in ("port", "server_name", "listen", "leafnodes", "accounts") for k, _ in root.items
        )
    ):
        return []
    return [server]


def _block(document: Document, server: Entity, top: str, key: Scalar, value: Mapping) -> None:
    """A ``jetstream { ... }`` or ``cluster { ... }`` block: the block, and each of its keys."""
    if top == "jetstream":
        enabled = next((scalar(v) for k, v in value.items if server_key(top, k.value) == "enabled"), None)
        if (enabled or "true").lower() in ("true", "yes", "on", "enabled"):
            server.traits.add("jetstream")
    span, _, _ = places.place(key, value, document.lines)
    block = Origin(document.display, span, key.value, "natsconf", None, key.span)
    server.settings[top] = Setting(top, "block", "", block)
    for child, child_value in value.items:
        canonical = f"{top}.{server_key(top, child.value)}"
        span, value_span, whole = places.place(child, child_value, document.lines)
        text = _value(child.value, child_value) if not isinstance(child_value, Mapping) else None
        origin = Origin(
            document.display,
            span,
            f"{key.value}.{child.value}",
            "natsconf",
            value_span,
            child.span,
            whole_lines=whole,
        )
        server.settings[canonical] = Setting(canonical, text, text or "", origin)


def _jetstream_switch(document: Document, server: Entity, key: Scalar, value: Scalar) -> None:
    """``jetstream: enabled`` (or off): the last one written wins, as in parseJetStream."""
    span, value_span, _ = places.place(key, value, document.lines)
    switch = Origin(document.display, span, "jetstream", "natsconf", value_span, key.span)
    server.settings["jetstream"] = Setting("jetstream", value.value, value.value, switch)
    if value.value.lower() in ("enabled", "enable", "true", "on", "yes"):  # parseJetStream
        server.traits.add("jetstream")
    else:
        server.traits.discard("jetstream")


def _routes(server: Entity, name: str) -> None:
    """How many servers the cluster has, from ``cluster.routes`` (``name`` is this server's)."""
    from msglint.model import Derived

    routes = server.get("cluster.routes")
    if routes is None or not routes.value or routes.origin is None:
        return
    urls = routes.value.split(",")
    where = f"{routes.origin.path}:{routes.origin.span.line}"
    # routes may list every server or only the peers: the count is exact only when this one is listed
    hosts = [re.sub(r"^\w+://(?:[^@/]*@)?", "", u).split(":")[0].split(".")[0] for u in urls]
    if name and "$" not in name and name in hosts:
        server.derived["nodes"] = Derived(len(urls), f"cluster.routes lists {len(urls)} at {where}", (routes.origin,))
    server.derived["nodes-at-least"] = Derived(
        len(urls), f"cluster.routes lists {len(urls)} at {where}", (routes.origin,)
    )
