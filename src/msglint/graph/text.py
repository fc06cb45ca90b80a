"""The graph as Mermaid (a GitHub job summary, a pull-request comment) and as Graphviz DOT."""

from __future__ import annotations

import re

from msglint.graph import Graph

_SHAPES = {  # Mermaid node shapes by family
    "broker": ('[("', '")]'),
    "channel": ('[["', '"]]'),
    "producer": ('>"', '"]'),
    "consumer": ('(["', '"])'),
    "workload": ('{{"', '"}}'),
}


def _mermaid_text(text: str) -> str:
    # Mermaid strings take no double quotes, and # starts an entity code
    return text.replace('"', "'").replace("#", "&num;").replace("\n", " ")


def _group_id(group: str, index: int) -> str:
    return f"g{index}_" + re.sub(r"\W+", "_", group)[:40]


def mermaid(graph: Graph) -> str:
    out = ["flowchart LR"]
    groups = graph.groups()
    for index, group in enumerate(groups):
        out.append(f'  subgraph {_group_id(group, index)}["{_mermaid_text(group)}"]')
        for node in (n for n in graph.nodes if n.group == group):
            opening, closing = _SHAPES.get(node.family, ('["', '"]'))
            worst = _worst(node.findings)
            count = len(node.findings)
            mark = f" - {count} finding{'s' if count > 1 else ''}, worst {worst}" if worst else ""
            out.append(f"    {node.id}{opening}{_mermaid_text(node.label + mark)}{closing}")
        out.append("  end")
    for edge in graph.edges:
        label = edge.code if edge.relation == "finding" else edge.relation
        arrow = "-.->" if edge.relation == "finding" else "-->"
        out.append(f"  {edge.source} {arrow}|{_mermaid_text(label)}| {edge.target}")
    for node in graph.nodes:
        worst = _worst(node.findings)
        if worst:
            out.append(f"  class {node.id} {worst}")
    out += [
        "  classDef error fill:#fdd,stroke:#c00,stroke-width:2px",
        "  classDef warning fill:#ffe9c2,stroke:#d80",
        "  classDef info fill:#e3efff,stroke:#36c",
    ]
    return "\n".join(out) + "\n"


def markdown(graph: Graph) -> str:
    """Mermaid in a fenced block, as GitHub renders it in a job summary or a comment."""
    return f"### msglint topology\n\n```mermaid\n{mermaid(graph)}```\n"


def _worst(findings: list[dict[str, object]]) -> str:
    severities = {f["severity"] for f in findings}
    return next((s for s in ("error", "warning", "info") if s in severities), "")


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


_DOT_SHAPES = {
    "broker": "cylinder",
    "channel": "box3d",
    "producer": "cds",
    "consumer": "ellipse",
    "workload": "hexagon",
}
_DOT_COLOURS = {"error": "#ffdddd", "warning": "#ffe9c2", "info": "#e3efff"}


def dot(graph: Graph) -> str:
    out = ["digraph msglint {", "  rankdir=LR;", '  node [fontname="Helvetica", style=filled, fillcolor=white];']
    for index, group in enumerate(graph.groups()):
        out.append(f"  subgraph cluster_{index} {{")
        out.append(f'    label="{_dot_text(group)}";')
        for node in (n for n in graph.nodes if n.group == group):
            shape = _DOT_SHAPES.get(node.family, "note")
            fill = _DOT_COLOURS.get(_worst(node.findings), "white")
            tooltip = f"{node.path}:{node.line}"
            out.append(
                f'    {node.id} [label="{_dot_text(node.label)}", shape={shape}, fillcolor="{fill}", '
                f'tooltip="{_dot_text(tooltip)}"];'
            )
        out.append("  }")
    for edge in graph.edges:
        if edge.relation == "finding":
            out.append(
                f'  {edge.source} -> {edge.target} [label="{_dot_text(edge.code)}", style=dashed, color="#c00"];'
            )
        else:
            out.append(f'  {edge.source} -> {edge.target} [label="{_dot_text(edge.relation)}"];')
    out.append("}")
    return "\n".join(out) + "\n"
