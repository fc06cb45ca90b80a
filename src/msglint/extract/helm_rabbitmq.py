"""Helm values of the Bitnami rabbitmq chart -> one ``rabbit.broker`` (client ``rabbitmq-helm``).

A values file is recognised by the chart's own parameter names (``extraConfiguration``,
``memoryHighWatermark``, ``communityPlugins``, ...), at the top level or under an umbrella chart's
key that contains ``rabbitmq``; the chart's own values.yaml (its ``## @param`` comments) is not read.

What the node runs with: the chart's generated ``rabbitmq.conf`` (its ``configuration`` value,
which the user may replace) followed by ``extraConfiguration``, both rabbitmq.conf text read at
their lines in the values file; ``memoryHighWatermark`` (written into the file only when
``enabled``); ``clustering.partitionHandling`` (the chart's default is ``autoheal``). Lines whose
value is a template (``{{ ... }}``) are unknown. ``*ExistingSecret`` replaces the text, so nothing
is known then. As with the kafka chart, only written values are judged: the chart writes its own
configuration, and RabbitMQ's defaults are not taken to apply to what is not written.

The node count is ``replicaCount`` (the chart's default, 1).
"""

from __future__ import annotations

import re

from msglint.documents import Document
from msglint.extract import path, scalar
from msglint.extract.helm_values import chart_values, is_chart_defaults
from msglint.model import Derived, Entity, Origin, Setting, Span
from msglint.rabbit.bitnami import OWN
from msglint.readers import ParseError, conf
from msglint.readers.tree import Mapping, Node, Scalar, yaml11_text

_TEMPLATE = ("{{", "${")
_IMAGE = re.compile(r"(?:^|/)bitnami[\w-]*/rabbitmq$")
_SHARED = frozenset({"replicaCount", "auth", "clustering", "loadDefinition", "plugins", "persistence", "image"})


def _is_rabbitmq_values(values: Mapping) -> bool:
    image = values.get("image")
    if isinstance(image, Mapping) and _IMAGE.search(scalar(image.get("repository")) or ""):
        return True
    names = {k.value for k, _ in values.items}
    return bool(names & OWN) and len(names & (OWN | _SHARED)) >= 2


def extract(document: Document, root: Node | None) -> list[Entity]:
    if is_chart_defaults(document):
        return []
    return [_node(document, prefix, values) for prefix, values in chart_values(root, "rabbitmq", _is_rabbitmq_values)]


def _node(document: Document, prefix: tuple[str, ...], values: Mapping) -> Entity:
    anchor = next((k.span for k, _ in values.items), Span.point(1))
    node = Entity(
        "rabbit.broker",
        "rabbitmq-helm",
        document.display,
        anchor,
        label="Bitnami rabbitmq chart",
        name=f"{document.display}:{'.'.join(prefix) or 'values'}",
    )
    secret = any(scalar(values.get(k)) for k in ("configurationExistingSecret", "extraConfigurationExistingSecret"))
    if secret:
        node.traits.add("templated")  # a Secret of the user's holds the configuration
    else:
        for key in ("configuration", "extraConfiguration"):
            block = values.get(key)
            if isinstance(block, Scalar) and block.block:
                node.settings.update(_entries(document, block))
    watermark = values.get("memoryHighWatermark")
    if scalar(path(watermark, "enabled")) == "true":
        kind = scalar(path(watermark, "type")) or "relative"
        where = (*prefix, "memoryHighWatermark", "value")
        _written(document, node, f"vm_memory_high_watermark.{kind}", path(watermark, "value"), where)
    _written(
        document,
        node,
        "cluster_partition_handling",
        path(values, "clustering", "partitionHandling"),
        (*prefix, "clustering", "partitionHandling"),
    )
    count = path(values, "replicaCount")
    text = scalar(count)
    key = ".".join((*prefix, "replicaCount"))
    if count is None:
        node.derived["nodes"] = Derived(1, f"{key} not set (the chart's default, 1)")
    elif isinstance(count, Scalar) and text is not None and text.isdigit():
        origin = Origin(document.display, count.span, key, "yaml", count.span)
        node.derived["nodes"] = Derived(int(text), f"{key}={text} ({document.display}:{count.span.line})", (origin,))
    return node


def _written(document: Document, node: Entity, key: str, value: Node | None, where: tuple[str, ...]) -> None:
    if not isinstance(value, Scalar):
        return
    text = yaml11_text(value)
    origin = Origin(document.display, value.span, ".".join(where), "yaml", value.span)
    node.settings[key] = Setting(key, None if any(t in text for t in _TEMPLATE) else text, text, origin)


def _entries(document: Document, block: Scalar) -> dict[str, Setting]:
    """rabbitmq.conf text in a block scalar, each entry at its line in the values file."""
    first = block.span.line + 1  # the block's text starts on the line after its `|`
    indent = next((len(line) - len(line.lstrip()) for line in document.lines[first - 1 :] if line.strip()), 0)
    # template lines ({{- if ... }}) are no rabbitmq.conf: blanked, so the rest keeps its lines
    # (the reader has already turned each {{ ... }} into a ${...} placeholder of the same length)
    text = "\n".join("" if line.lstrip().startswith(_TEMPLATE) else line for line in block.value.split("\n"))
    try:
        entries = conf.parse(text, first_line=first, indent=indent)
    except ParseError:
        return {}  # text that is only rabbitmq.conf once rendered
    out = {}
    for e in entries:
        origin = Origin(document.display, e.span, e.key, "conf", e.value_span, e.key_span)
        known = not any(t in e.value or t in e.key for t in _TEMPLATE)
        out[e.key] = Setting(e.key, e.value.strip() if known else None, e.value, origin)
    return out
