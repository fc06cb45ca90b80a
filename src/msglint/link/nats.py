"""NATS joins: JetStream streams to the servers beside them, consumers to the stream they name."""

from __future__ import annotations

from msglint.link.near import nearest
from msglint.link.workspace import Workspace


def streams(workspace: Workspace) -> None:
    servers, found = workspace.of("nats.server"), workspace.of("nats.stream")
    for stream in found:
        for server in nearest(stream, servers):
            stream.related.setdefault("servers", []).append(server)
            server.related.setdefault("streams", []).append(stream)
    for consumer in workspace.of("nats.consumer"):
        wanted = consumer.get("stream_name")
        if wanted is None or not wanted.value:
            continue
        named = [
            s
            for s in found
            if s.name == wanted.value and (consumer.namespace is None or s.namespace in (None, consumer.namespace))
        ]
        closest = nearest(consumer, named)
        if len(closest) == 1:
            consumer.related["stream"] = closest
            closest[0].related.setdefault("consumers", []).append(consumer)
