"""msglint graph: the topology of a tree in JSON (schema.json), Mermaid, DOT and one HTML page."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from msglint import engine
from msglint import graph as topology
from msglint.cli import main
from msglint.graph import page, text
from msglint.model import Entity
from tests.conftest import write

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = json.loads(resources.files("msglint.graph").joinpath("schema.json").read_text(encoding="utf-8"))


def _fixtures_graph() -> tuple[topology.Graph, list]:
    entities: list[Entity] = []
    result = engine.run(["fixtures/"], cwd=ROOT, model=entities)
    return topology.build(entities, result.findings), result.findings


def _node_at(graph: topology.Graph, path: str, line: int) -> topology.Node:
    return next(n for n in graph.nodes if any(f["path"] == path and f["line"] == line for f in n.findings))


def test_every_related_place_of_a_cross_file_finding_on_fixtures_is_joined_to_it() -> None:
    graph, findings = _fixtures_graph()
    edges = {(e.source, e.target) for e in graph.edges} | {(e.target, e.source) for e in graph.edges}
    crossing = [f for f in findings if any(r.path != f.path for r in f.related)]
    assert crossing, "fixtures/ has cross-file findings"
    for finding in crossing:
        node = _node_at(graph, finding.path, finding.span.line)
        for related in finding.related:
            if related.path == finding.path:
                continue
            there = [n for n in graph.nodes if n.path == related.path]
            assert there, f"{finding.code}: no node for {related.path}"
            assert any((node.id, t.id) in edges for t in there), (
                f"{finding.code} at {finding.path}:{finding.span.line} is not joined to "
                f"{related.path}:{related.span.line}"
            )


def test_the_json_form_follows_its_schema_and_counts_every_node(tmp_path: Path) -> None:
    out = tmp_path / "graph.json"
    result = CliRunner().invoke(main, ["graph", str(ROOT / "fixtures"), "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA)
    ids = {n["id"] for n in data["nodes"]}
    assert len(ids) == len(data["nodes"])
    assert all(e["source"] in ids and e["target"] in ids for e in data["edges"])
    assert {"broker", "channel", "consumer", "producer", "workload"} <= {n["family"] for n in data["nodes"]}


def test_the_redis_tree_is_one_connected_topology() -> None:
    entities: list[Entity] = []
    result = engine.run(["fixtures/redis/bad"], cwd=ROOT, model=entities)
    graph = topology.build(entities, result.findings)
    conf = next(n for n in graph.nodes if n.kind == "redis.server" and n.path.endswith("redis.conf"))
    linked = {e.target for e in graph.edges if e.source == conf.id}
    linked |= {e.source for e in graph.edges if e.target == conf.id}
    kinds = {n.kind for n in graph.nodes if n.id in linked}
    assert {"redis.consumer", "redis.producer"} <= kinds
    assert any(f["code"] == "RD301" for f in conf.findings)


def test_secrets_never_reach_the_graph(tmp_path: Path) -> None:
    write(tmp_path, {"producer.properties": 'acks=1\nsasl.jaas.config=x required password="Gr4phSecret";\n'})
    for fmt in ("json", "mermaid", "dot", "html"):
        result = CliRunner().invoke(main, ["graph", str(tmp_path), "--format", fmt])
        assert result.exit_code == 0, result.output
        assert "Gr4phSecret" not in result.output, fmt


def test_mermaid_and_dot_draw_every_node_and_edge() -> None:
    graph, _ = _fixtures_graph()
    diagram = text.mermaid(graph)
    assert diagram.startswith("flowchart LR\n")
    for node in graph.nodes:
        assert f"    {node.id}" in diagram
    assert diagram.count(" -->|") + diagram.count(" -.->|") == len(graph.edges)
    assert text.markdown(graph).count("```") == 2
    dot = text.dot(graph)
    assert dot.startswith("digraph msglint {") and dot.rstrip().endswith("}")
    assert dot.count(" -> ") == len(graph.edges)


def test_the_page_is_self_contained() -> None:
    graph, _ = _fixtures_graph()
    html = page.page(graph)
    assert "<script src" not in html and "<link" not in html and "http://" not in html.split("<script>")[0]
    assert "window.MSGLINT_GRAPH = {" in html
    data = html.split("window.MSGLINT_GRAPH = ", 1)[1].split("; window.MSGLINT_OPTIONS", 1)[0]
    assert len(json.loads(data.replace("<\\/", "</"))["nodes"]) == len(graph.nodes)
    assert "cytoscape" in html


def test_an_empty_tree_is_an_empty_graph(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["graph", str(tmp_path), "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["nodes"] == []
