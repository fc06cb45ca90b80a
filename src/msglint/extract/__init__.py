"""Extractors: recognise entities in documents. Each is small and knows one kind of file.

The two tree look-ups below are shared by the extractors of YAML and JSON documents (Kubernetes
manifests, NATS and RabbitMQ files); they live here, below all of them, so no extractor imports
another for them.
"""

from __future__ import annotations

from msglint.readers.tree import Mapping, Node, Scalar


def scalar(node: Node | None) -> str | None:
    """A scalar's text; None for anything else, and for null."""
    return node.value if isinstance(node, Scalar) and node.tag != "null" else None


def path(node: Node | None, *keys: str) -> Node | None:
    """The node under ``keys`` (a mapping at each step), or None."""
    for key in keys:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node
