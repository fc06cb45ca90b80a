"""Helm values of the Bitnami kafka chart -> one ``kafka.cluster`` (client ``kafka-helm``) and the
topics its provisioning job creates (``kafka.topic``).

A values file is recognised by its keys, at the top level (``helm install -f values.yaml
bitnami/kafka``) or under one key of an umbrella chart (``kafka:``, or the dependency's alias): the
image ``bitnami/kafka``, or the chart's own names (``offsetsTopicReplicationFactor``, ``kraft``,
``overrideConfiguration``, ...) with others of its parameters. The chart's own ``values.yaml``
(its ``## @param`` comments) is its defaults, not a deployment, and is not read.

Where the broker settings are, by chart generation:

- charts up to 22 write them as camelCase values (``defaultReplicationFactor: 3``), as ``KAFKA_CFG_*``
  variables in ``extraEnvVars``, or as a whole ``server.properties`` in ``config`` (which replaces
  the generated file and the variables);
- later charts append ``extraConfig`` (properties text, up to 31), ``extraConfigYaml`` (31) and
  ``overrideConfiguration`` (32 on), both maps of Kafka's own names, cluster-wide or per role
  (``controller.``, ``broker.``); a non-empty ``config`` (a string up to 31, a map from 32)
  replaces the generated configuration.

Like docker-compose's Bitnami image, the chart starts from a configuration of its own, so Kafka's
defaults are not taken to apply to what is not written: only written values are judged. An
``existingConfigmap`` replaces all of it, so nothing is known there.

The broker count: ``replicaCount`` (charts up to 22); from 23 on, ``controller.replicaCount``
(default 3, brokers too unless ``controller.controllerOnly``) plus ``broker.replicaCount`` (default
0). A file that writes neither leaves it unknown.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from msglint.documents import Document
from msglint.extract import compose, path, places, scalar
from msglint.fixes import YamlWriter
from msglint.fixes.naming import Raw, Under
from msglint.kafka import keys
from msglint.kafka.bitnami import LEGACY, OWN
from msglint.model import Derived, Entity, Origin, Setting, Span
from msglint.readers import ParseError
from msglint.readers import properties as properties_reader
from msglint.readers.properties import Entry
from msglint.readers.tree import Mapping, Node, Scalar, Sequence, yaml11_text

_IMAGE = re.compile(r"(?:^|/)bitnami[\w-]*/kafka$")
# names the chart shares with others
_PARAMETERS = frozenset(
    {
        *OWN,
        "replicaCount",
        "controller",
        "broker",
        "provisioning",
        "listeners",
        "externalAccess",
        "zookeeper",
        "heapOpts",
        "extraConfig",
        "extraEnvVars",
        "config",
        "existingConfigmap",
        "persistence",
        "auth",
        "sasl",
        "image",
        "metrics",
    }
)
_ROLES = ("controller", "broker")


def is_chart_defaults(document: Document) -> bool:
    """The chart's own values.yaml: its parameters documented with readme-generator's ``## @param``."""
    return any(line.lstrip().startswith("## @param ") for line in document.lines[:400])


def _is_kafka_values(values: Mapping) -> bool:
    image = values.get("image")
    if isinstance(image, Mapping) and _IMAGE.search(scalar(image.get("repository")) or ""):
        return True
    names = {k.value for k, _ in values.items}
    if names & OWN:
        return len(names & _PARAMETERS) >= 2
    # charts 23 on: node counts by role, and the topics the chart creates
    roles = any(path(values, role, "replicaCount") is not None for role in _ROLES)
    return roles and isinstance(path(values, "provisioning", "topics"), Sequence)


def chart_values(
    root: Node | None, word: str, recognised: Callable[[Mapping], bool]
) -> Iterator[tuple[tuple[str, ...], Mapping]]:
    """(where, values) of each configuration of one chart in a document: the document itself, or an
    umbrella chart's sub-chart under a key that contains ``word`` (``kafka:``, ``my-rabbitmq:``).
    Kubernetes manifests and compose files are not values."""
    if not isinstance(root, Mapping) or root.get("apiVersion") is not None or root.get("services") is not None:
        return
    if recognised(root):
        yield (), root
        return
    for key, child in root.items:
        if isinstance(child, Mapping) and word in key.value.lower() and recognised(child):
            yield (key.value,), child


def extract(document: Document, root: Node | None) -> list[Entity]:
    if is_chart_defaults(document):
        return []
    out: list[Entity] = []
    for prefix, values in chart_values(root, "kafka", _is_kafka_values):
        cluster = _cluster(document, root, prefix, values)
        out.append(cluster)
        out.extend(_topics(document, prefix, values, cluster))
    return out


def _setting(document: Document, key: Scalar, value: Node, canonical: str, raw_key: str, section: str) -> Setting:
    span, value_span, whole = places.place(key, value, document.lines, keep_quotes=True)
    origin = Origin(document.display, span, raw_key, "yaml", value_span, key.span, whole_lines=whole, section=section)
    text = yaml11_text(value) if isinstance(value, Scalar) else None
    if text is not None and canonical in LEGACY.values():
        text = text.removeprefix("_")
    normalized = None if text is None or "${" in text else keys.normalize(canonical, text)
    return Setting(canonical, normalized, text or "", origin)


def _dotted(prefix: tuple[str, ...], *names: str) -> str:
    return ".".join((*prefix, *names))


def _cluster(document: Document, root: Node | None, prefix: tuple[str, ...], values: Mapping) -> Entity:
    name = ".".join(prefix) or "values"
    cluster = Entity(
        "kafka.cluster",
        "kafka-helm",
        document.display,
        next((k.span for k, _ in values.items), Span.point(1)) if not prefix else _key_span(root, prefix[0]),
        label="Bitnami kafka chart",
        name=f"{document.display}:{name}",
    )
    existing = scalar(values.get("existingConfigmap"))
    if existing:
        cluster.traits.add("templated")  # a ConfigMap of the user's replaces the whole configuration
    else:
        _read_settings(document, prefix, values, cluster)
    if any(line in document.template_lines for line in range(values.span.line, values.span.end_line + 1)):
        cluster.traits.add("templated")
    brokers = _brokers(document, prefix, values)
    if brokers is not None:
        cluster.derived["brokers"] = brokers
    zookeeper = scalar(path(values, "kraft", "enabled")) == "false" or isinstance(values.get("zookeeper"), Mapping)
    if zookeeper and (
        scalar(path(values, "zookeeper", "enabled")) != "false" or values.get("externalZookeeper") is not None
    ):
        cluster.traits.add("zookeeper")
    cluster.writer = _writer(document, root, prefix, values)
    return cluster


def _own_key(node: Node | None, key: str) -> Scalar | None:
    return next((k for k, _ in node.items if k.value == key), None) if isinstance(node, Mapping) else None


def _key_span(root: Node | None, key: str) -> Span:
    for k, _ in root.items if isinstance(root, Mapping) else []:
        if k.value == key:
            return k.span
    return Span.point(1)


def _read_settings(document: Document, prefix: tuple[str, ...], values: Mapping, cluster: Entity) -> None:
    """The settings in the order the chart applies them, each later one overriding."""
    found: dict[str, Setting] = {}
    config = values.get("config")
    if isinstance(config, Scalar) and config.value.strip():
        found.update(_block(document, config))  # the whole server.properties: the rest is not used
    elif isinstance(config, Mapping) and config.items:
        found.update(_map(document, config, _dotted(prefix, "config")))  # chart 32 on: the same, as a map
    else:
        for key, value in values.items:
            if key.value in LEGACY:
                found[LEGACY[key.value]] = _setting(
                    document, key, value, LEGACY[key.value], _dotted(prefix, key.value), ".".join(prefix)
                )
        found.update(_variables(document, values.get("extraEnvVars")))
    for scope in [values, *(values.get(role) for role in _ROLES)]:
        if not isinstance(scope, Mapping):
            continue
        where = prefix if scope is values else (*prefix, next(r for r in _ROLES if values.get(r) is scope))
        extra = scope.get("extraConfig")
        if isinstance(extra, Scalar):
            _merge(found, _block(document, extra), scope is values)
        for name in ("extraConfigYaml", "overrideConfiguration"):  # charts 31 (the former) and 32 on
            overrides = scope.get(name)
            if isinstance(overrides, Mapping):
                _merge(found, _map(document, overrides, _dotted(where, name)), scope is values)
    cluster.settings.update(found)


def _map(document: Document, node: Mapping, section: str) -> dict[str, Setting]:
    """A map of Kafka's own names (``min.insync.replicas: 2``), each at its line."""
    return {
        k.value: _setting(document, k, v, k.value, f"{section}.{k.value}", section)
        for k, v in node.items
        if "${" not in k.value
    }


def _merge(found: dict[str, Setting], more: dict[str, Setting], cluster_wide: bool) -> None:
    """A role's own configuration fills in what the cluster-wide one leaves unset."""
    for key, setting in more.items():
        if cluster_wide or key not in found:
            found[key] = setting


def _block(document: Document, node: Scalar) -> dict[str, Setting]:
    """``server.properties`` text in a block scalar, its entries at their lines in the values file."""
    if not node.block or "${" in node.value:
        return {}
    first = node.span.line + 1  # the block's text starts on the line after its `|`
    indent = next((len(line) - len(line.lstrip()) for line in document.lines[first - 1 :] if line.strip()), 0)
    try:
        entries = properties_reader.parse(node.value)
    except ParseError as exc:
        document.problems.append(ParseError(exc.message, exc.line + first - 1, exc.column + indent))
        return {}
    out = {}
    for entry in entries:
        placed = _shift(entry, first - 1, indent)
        origin = Origin(document.display, placed.span, placed.key, "properties", placed.value_span, placed.key_span)
        out[placed.key] = Setting(placed.key, keys.normalize(placed.key, placed.value), placed.value, origin)
    return out


def _shift(entry: Entry, lines: int, columns: int) -> Entry:
    def moved(span: Span) -> Span:
        return Span(span.line + lines, span.column + columns, span.end_line + lines, span.end_column + columns)

    return Entry(
        entry.key, entry.value, moved(entry.span), moved(entry.key_span), moved(entry.value_span), entry.document
    )


def _variables(document: Document, node: Node | None) -> dict[str, Setting]:
    """``extraEnvVars: [{name: KAFKA_CFG_MIN_INSYNC_REPLICAS, value: "2"}]``, as the Bitnami image reads them."""
    out: dict[str, Setting] = {}
    for item in node.items if isinstance(node, Sequence) else []:
        name, value = scalar(path(item, "name")), path(item, "value")
        key = compose.env_key(name or "", "bitnami")
        if key is None or not isinstance(value, Scalar) or not isinstance(item, Mapping):
            continue
        value_key = next(k for k, v in item.items if v is value)
        span, value_span, whole = places.place(value_key, value, document.lines)
        origin = Origin(document.display, span, name or "", "yaml", value_span, value_key.span, whole_lines=whole)
        out[key] = Setting(key, keys.normalize(key, yaml11_text(value)), yaml11_text(value), origin)
    return out


def _count(
    document: Document, node: Node | None, where: tuple[str, ...], default: int | None
) -> tuple[int, str, tuple[Origin, ...]] | None:
    """(count, how it is known, where it is written) of a ``replicaCount``; None when unknown."""
    count, key = path(node, "replicaCount"), _dotted(where, "replicaCount")
    if count is None:
        return None if default is None else (default, f"{key} not set (the chart's default, {default})", ())
    text = scalar(count)
    if text is None or not text.isdigit() or not isinstance(count, Scalar):
        return None
    origin = Origin(document.display, count.span, key, "yaml", count.span)
    return int(text), f"{key}={text} ({document.display}:{count.span.line})", (origin,)


def _brokers(document: Document, prefix: tuple[str, ...], values: Mapping) -> Derived | None:
    roles = [values.get(r) for r in _ROLES]
    if not any(isinstance(r, Mapping) for r in roles):
        legacy = _count(document, values, prefix, None)
        return None if legacy is None else Derived(*legacy)
    parts = []
    if scalar(path(values, "kraft", "enabled")) != "false":
        controllers = _count(document, roles[0], (*prefix, "controller"), 3)
        if controllers is None:
            return None
        if scalar(path(roles[0], "controllerOnly")) != "true":
            parts.append(controllers)
    brokers = _count(document, roles[1], (*prefix, "broker"), 0)
    if brokers is None:
        return None
    if brokers[0] or not parts:
        parts.append(brokers)
    total = sum(p[0] for p in parts)
    return Derived(total, " + ".join(p[1] for p in parts), tuple(o for p in parts for o in p[2]))


def _writer(document: Document, root: Node | None, prefix: tuple[str, ...], values: Mapping) -> YamlWriter | None:
    """Where a new key goes: the ``overrideConfiguration`` map a file already writes, else, in a
    file of the charts up to 22, the chart's own value for it."""
    overrides = values.get("overrideConfiguration")
    legacy = tuple((canonical, (*prefix, name)) for name, canonical in LEGACY.items())
    if isinstance(overrides, Mapping) and overrides.items and not overrides.flow:
        naming = Under((*prefix, "overrideConfiguration"), placed=legacy if _legacy(values) else ())
    elif _legacy(values):
        # the chart has no map for other keys: only its own values get a new line
        only = frozenset(LEGACY.values())
        naming = Under(prefix, placed=legacy)
        return YamlWriter(document.display, Raw(naming), document.lines, root=root, literal=True, only=only)
    else:
        return None
    return YamlWriter(document.display, Raw(naming), document.lines, root=root, literal=True)


def _legacy(values: Mapping) -> bool:
    return any(k.value in LEGACY for k, _ in values.items) and not any(
        isinstance(values.get(r), Mapping) for r in _ROLES
    )


def _topics(document: Document, prefix: tuple[str, ...], values: Mapping, cluster: Entity) -> list[Entity]:
    """The topics ``provisioning.topics`` creates once ``provisioning.enabled`` is true (the chart's
    default is false: then nothing is created). A topic's replication factor is its own
    ``replicationFactor``, else ``provisioning.replicationFactor`` (the chart's default, 1)."""
    provisioning = values.get("provisioning")
    topics = path(provisioning, "topics")
    if scalar(path(provisioning, "enabled")) != "true" or not isinstance(topics, Sequence):
        return []
    section = _dotted(prefix, "provisioning")
    shared: dict[str, Setting] = {}
    for key, canonical in (("replicationFactor", "replication.factor"), ("numPartitions", "partitions")):
        node = path(provisioning, key)
        own = _own_key(provisioning, key)
        if node is not None and own is not None:
            shared[canonical] = _setting(document, own, node, canonical, f"{section}.{key}", section)
    out = []
    for i, item in enumerate(topics.items):
        name = scalar(path(item, "name"))
        if not isinstance(item, Mapping) or not name:
            continue
        where = f"{section}.topics[{i}]"
        topic = Entity(
            "kafka.topic",
            "kafka-helm",
            document.display,
            next(k.span for k, _ in item.items if k.value == "name"),
            label="topic provisioned by the Bitnami kafka chart",
            name="<templated>" if "${" in name else name,
        )
        for field, canonical in (("replicationFactor", "replication.factor"), ("partitions", "partitions")):
            own, value = _own_key(item, field), item.get(field)
            if own is not None and value is not None:
                topic.settings[canonical] = _setting(document, own, value, canonical, f"{where}.{field}", where)
            elif canonical in shared:
                topic.settings[canonical] = shared[canonical]
        if "replication.factor" not in topic.settings:
            topic.settings["replication.factor"] = Setting(
                "replication.factor", "1", "1", None, "the Bitnami kafka chart's provisioning.replicationFactor"
            )
        config = item.get("config")
        for config_key, value in config.items if isinstance(config, Mapping) else []:
            topic.settings[config_key.value] = _setting(
                document, config_key, value, config_key.value, f"{where}.config.{config_key.value}", where
            )
        topic.related["cluster"] = [cluster]
        cluster.related.setdefault("topics", []).append(topic)
        out.append(topic)
    return out
