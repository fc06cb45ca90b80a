"""The topology view: the linked model of one run, as nodes (clusters, topics, queues, streams,
applications, consumers...), edges (the links the joins made) and the findings on each node.

``build`` turns a run's entities and findings into a ``Graph``; ``mermaid``, ``dot`` and ``page``
(self-contained HTML) draw it, and ``Graph.as_json`` is the stable form (``schema.json`` beside this
file). Every place a finding names, its own and each ``related`` one, is a node of the graph, and a
cross-file finding is an edge between them when no link of the model already joins the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from msglint.model import Entity, Finding
from msglint.redact import MASK, is_secret_name, redact_line

VERSION = 1

# what a kind is drawn as: its family (the legend's entries) and a short name
FAMILIES: dict[str, str] = {
    "kafka.cluster": "broker",
    "kafka.nodepool": "broker",
    "rabbit.broker": "broker",
    "rabbit.cluster": "broker",
    "nats.server": "broker",
    "redis.server": "broker",
    "kafka.topic": "channel",
    "rabbit.queue": "channel",
    "rabbit.exchange": "channel",
    "nats.stream": "channel",
    "stream.binding": "channel",
    "kafka.producer": "producer",
    "rabbit.publisher": "producer",
    "redis.producer": "producer",
    "kafka.consumer": "consumer",
    "kafka.listener": "consumer",
    "rabbit.consumer": "consumer",
    "nats.consumer": "consumer",
    "redis.consumer": "consumer",
    "redis.group": "consumer",
    "k8s.workload": "workload",
    "k8s.hpa": "workload",
    "code.listener": "code",
    "code.handler": "code",
    "code.app": "code",
}
_SKIPPED_KINDS = {"redis.client", "file"}  # a file's list of calls: its consumers and producers are drawn


@dataclass
class Node:
    id: str
    kind: str
    family: str
    label: str
    path: str
    line: int
    group: str
    settings: dict[str, str] = field(default_factory=dict)
    findings: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Edge:
    source: str
    target: str
    relation: str  # a model relation (topics, servers...), or "finding" for a cross-file finding's link
    code: str = ""  # the finding's code, for a finding edge


@dataclass
class Graph:
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)

    def groups(self) -> list[str]:
        return sorted({n.group for n in self.nodes})

    def as_json(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "groups": [{"id": g, "label": g} for g in self.groups()],
            "nodes": [
                {
                    "id": n.id,
                    "kind": n.kind,
                    "family": n.family,
                    "label": n.label,
                    "path": n.path,
                    "line": n.line,
                    "group": n.group,
                    "settings": n.settings,
                    "findings": n.findings,
                }
                for n in self.nodes
            ],
            "edges": [
                {"source": e.source, "target": e.target, "relation": e.relation, **({"code": e.code} if e.code else {})}
                for e in self.edges
            ],
        }


def group_of(entity: Entity) -> str:
    """What a node is drawn inside: its Kubernetes namespace, else the directory of its file."""
    if entity.namespace:
        return f"namespace {entity.namespace}"
    parent = str(PurePosixPath(entity.path).parent)
    return parent if parent != "." else "(top)"


def _label(entity: Entity) -> str:
    name = entity.name if entity.name and entity.name != entity.path else PurePosixPath(entity.path).name
    short = entity.kind.split(".", 1)[-1]
    profile = f" [{entity.profile}]" if entity.profile else ""
    return f"{short}: {name}{profile}"


def _settings(entity: Entity) -> dict[str, str]:
    shown = {}
    for key, setting in sorted(entity.settings.items()):
        value = setting.value if setting.value is not None else setting.raw
        shown[key] = MASK if is_secret_name(key) else redact_line(str(value))[:200]
    return shown


class _Places:
    """Which node a place (a file and line) belongs to: the entity anchored or set there, else the
    entity of that file written last before the line, else a node for the file itself."""

    def __init__(self, graph: Graph, nodes: dict[int, Node], entities: list[Entity]) -> None:
        self.graph = graph
        self.lines: dict[tuple[str, int], Node] = {}
        self.files: dict[str, list[tuple[int, Node]]] = {}
        for entity in entities:
            node = nodes.get(id(entity))
            if node is None:
                continue
            self.lines.setdefault((entity.path, entity.anchor.line), node)
            self.files.setdefault(entity.path, []).append((entity.anchor.line, node))
        for entity in entities:  # a setting's line, after every anchor: an anchor wins
            node = nodes.get(id(entity))
            for setting in entity.settings.values() if node is not None else ():
                origin = setting.origin
                if origin is not None and origin.path == entity.path and node is not None:
                    for line in range(origin.span.line, origin.span.end_line + 1):
                        self.lines.setdefault((entity.path, line), node)

    def node(self, path: str, line: int) -> Node:
        found = self.lines.get((path, line))
        if found is not None:
            return found
        before = [n for at, n in sorted(self.files.get(path, []), key=lambda x: x[0]) if at <= line]
        if before:
            return before[-1]
        if path in self.files:
            return self.files[path][0][1]
        node = Node(f"f{len(self.graph.nodes)}", "file", "file", PurePosixPath(path).name, path, 1, _file_group(path))
        self.graph.nodes.append(node)
        self.files[path] = [(1, node)]
        return node


def _file_group(path: str) -> str:
    parent = str(PurePosixPath(path).parent)
    return parent if parent != "." else "(top)"


def build(entities: list[Entity], findings: list[Finding]) -> Graph:
    graph = Graph()
    nodes: dict[int, Node] = {}
    for entity in entities:
        if entity.kind in _SKIPPED_KINDS:
            continue
        node = Node(
            f"n{len(graph.nodes)}",
            entity.kind,
            FAMILIES.get(entity.kind, "other"),
            _label(entity),
            entity.path,
            entity.anchor.line,
            group_of(entity),
            _settings(entity),
        )
        nodes[id(entity)] = node
        graph.nodes.append(node)
    joined: set[tuple[str, str]] = set()
    for entity in entities:
        source = nodes.get(id(entity))
        for relation, linked in entity.related.items() if source is not None else ():
            for other in linked:
                target = nodes.get(id(other))
                if source is None or target is None or target is source:
                    continue
                key = (source.id, target.id)
                if key in joined or (target.id, source.id) in joined:
                    continue  # a link made both ways is one edge
                joined.add(key)
                graph.edges.append(Edge(source.id, target.id, relation))
    places = _Places(graph, nodes, entities)
    for finding in findings:
        at = places.node(finding.path, finding.span.line)
        at.findings.append(
            {
                "code": finding.code,
                "name": finding.name,
                "severity": finding.severity,
                "message": finding.message,
                "path": finding.path,
                "line": finding.span.line,
            }
        )
        for related in finding.related:
            there = places.node(related.path, related.span.line)
            if there is at or (at.id, there.id) in joined or (there.id, at.id) in joined:
                continue
            joined.add((at.id, there.id))
            graph.edges.append(Edge(at.id, there.id, "finding", finding.code))
    return graph
