"""The graph as one self-contained HTML page: Cytoscape.js (vendor/, inlined) draws it, with pan and
zoom, a details panel for the clicked node, a legend, and groups (namespaces, directories) that fold
into one node each. Nothing is fetched when the page is viewed."""

from __future__ import annotations

import html
import json
from importlib import resources

from msglint.graph import Graph

CYTOSCAPE_VERSION = "3.35.0"
# above this many nodes the page opens with every group folded: a big tree stays readable and quick
FOLD_ABOVE = 150


def _asset(name: str) -> str:
    return resources.files("msglint.graph").joinpath(name).read_text(encoding="utf-8")


def _script(text: str) -> str:
    return text.replace("</", "<\\/")  # nothing inlined may close the script element


def page(graph: Graph, title: str = "msglint topology") -> str:
    data = json.dumps(graph.as_json(), separators=(",", ":"), sort_keys=True)
    options = json.dumps({"foldAbove": FOLD_ABOVE})
    return (
        _asset("page.html")
        .replace("@@TITLE@@", html.escape(title))
        .replace("@@STYLE@@", _asset("page.css"))
        .replace("@@CYTOSCAPE@@", _script(_asset("vendor/cytoscape.min.js")))
        .replace("@@DATA@@", _script(data))
        .replace("@@OPTIONS@@", options)
        .replace("@@APP@@", _script(_asset("page.js")))
        .replace("@@VERSION@@", CYTOSCAPE_VERSION)
    )
