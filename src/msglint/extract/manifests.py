"""Kubernetes manifests -> entities: Strimzi ``Kafka``, ``KafkaNodePool``, ``KafkaTopic``,
``KafkaConnect`` and ``KafkaMirrorMaker2``; the ``Deployment``/``StatefulSet`` that run applications
and the ``HorizontalPodAutoscaler`` that scales them; the RabbitMQ operators' ``RabbitmqCluster``,
``Queue`` and policies; NACK's ``Stream`` and ``Consumer`` (read by nats.nack). ``KINDS``, at the end,
is the one table of them.

Keys inside ``config`` maps are literal Kafka names (``min.insync.replicas`` is one key), so settings
keep them as they are. Values produced by a template (``${___}`` after blanking) are unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from msglint import facts
from msglint.documents import Document
from msglint.extract import compose, helm_rabbitmq, helm_values, nats, places, redis_manifests
from msglint.extract import path as path  # re-exported: other extractors import path and scalar from here
from msglint.extract import scalar as scalar
from msglint.facts import Kind
from msglint.fixes import YamlWriter
from msglint.fixes.naming import Raw, Under
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting
from msglint.readers import ParseError
from msglint.readers.properties import Entry
from msglint.readers.tree import Mapping, Node, Scalar, Sequence, yaml11_text

STRIMZI = "kafka.strimzi.io/"


@dataclass
class Manifest:
    document: Document
    root: Mapping
    kind: str
    api: str
    name: str
    namespace: str | None
    labels: dict[str, str]
    annotations: dict[str, str]
    last_line: int

    def writer(self, naming: Callable[[str], list[str]]) -> YamlWriter:
        return YamlWriter(
            self.document.display,
            Raw(naming),
            self.document.lines,
            root=self.root,
            last_line=self.last_line,
            literal=True,
        )

    def entity(self, kind: Kind, client: str, anchor: Node, label: str, naming: Callable[[str], list[str]]) -> Entity:
        return Entity(
            kind,
            client,
            self.document.display,
            anchor.span,
            writer=self.writer(naming),
            label=label,
            name=self.name,
            namespace=self.namespace,
            labels=dict(self.labels),
            traits={f"api:{self.api.removeprefix(STRIMZI)}"} if self.api.startswith(STRIMZI) else set(),
        )


def _string_map(node: Node | None) -> dict[str, str]:
    if not isinstance(node, Mapping):
        return {}
    return {k.value: v.value for k, v in node.items if isinstance(v, Scalar)}


def _value(node: Node) -> str | None:
    """A scalar's text, a list's items joined; None when a template or placeholder decides it."""
    if isinstance(node, Scalar):
        text = yaml11_text(node)  # Kubernetes reads YAML 1.1: `yes` is true there
    elif isinstance(node, Sequence) and all(isinstance(i, Scalar) for i in node.items):
        text = ",".join(yaml11_text(i) for i in node.items if isinstance(i, Scalar))
    else:
        return None
    return None if "${" in text else text


def setting(m: Manifest, key: Scalar, value: Node, canonical: str, raw_key: str, section: str = "") -> Setting:
    span, value_span, whole = places.place(key, value, m.document.lines, keep_quotes=m.document.syntax == "yaml")
    origin = Origin(m.document.display, span, raw_key, "yaml", value_span, key.span, whole_lines=whole, section=section)
    text = _value(value)
    normalized = None if text is None else keys.normalize(canonical, text)
    return Setting(canonical, normalized, text if text is not None else "", origin)


def templated(m: Manifest, node: Node | None) -> bool:
    """Does a template decide what ``node`` holds (``config: {{ toYaml ... }}``, or lines of template
    logic inside it), so that keys we cannot see may be there?"""
    if isinstance(node, Scalar):
        return "${" in node.value
    if node is None or not m.document.template_lines:
        return False
    lines = range(node.span.line - 1, node.span.end_line + 1)
    return any(line in m.document.template_lines for line in lines)


TEMPLATED_NAME = "<templated>"


def _config(m: Manifest, node: Node | None, where: str, prefix: str = "") -> Iterator[tuple[str, Setting]]:
    """(key without ``prefix``, setting) for each ``prefix``-ed key of a config map."""
    if not isinstance(node, Mapping):
        return
    for key, value in node.items:
        if "${" in key.value:
            continue  # a key a template writes: unknown
        if key.value.startswith(prefix) and len(key.value) > len(prefix):
            name = key.value[len(prefix) :]
            yield name, setting(m, key, value, name, f"{where}.{key.value}", where)


def _field(m: Manifest, parent: Node | None, key: str, canonical: str, where: str) -> Setting | None:
    if not isinstance(parent, Mapping):
        return None
    for k, v in parent.items:
        if k.value == key:
            return setting(m, k, v, canonical, f"{where}.{key}", where)
    return None


def _kafka(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    kafka = path(spec, "kafka")
    config = path(kafka, "config")
    cluster = m.entity(
        "kafka.cluster",
        "strimzi",
        path(m.root, "metadata", "name") or m.root,
        "Strimzi Kafka cluster",
        Under(("spec", "kafka", "config")),
    )
    for name, s in _config(m, config, "spec.kafka.config"):
        cluster.settings[name] = s
    if config is not None and not isinstance(config, Mapping) and not templated(m, config):
        cluster.traits.add("templated")  # not a map: Strimzi rejects it; what applies is unknown
    if templated(m, config) or templated(m, kafka) or (config is None and m.document.template_lines):
        cluster.traits.add("templated")  # a template may add keys: defaults are not known to apply
        cluster.writer = None  # nor where a new key would go without writing it twice
    replicas = _field(m, kafka, "replicas", "replicas", "spec.kafka")
    if replicas is not None:
        cluster.settings["replicas"] = replicas
    storage = _storage(m, path(kafka, "storage"), "spec.kafka.storage")
    if storage is not None:
        cluster.settings["storage.type"] = storage
    if path(spec, "zookeeper") is not None:
        cluster.traits.add("zookeeper")
    zk = _field(m, path(spec, "zookeeper"), "replicas", "zookeeper.replicas", "spec.zookeeper")
    if zk is not None:
        cluster.settings["zookeeper.replicas"] = zk
    if m.annotations.get("strimzi.io/node-pools") == "enabled" or m.api == STRIMZI + "v1":
        cluster.traits.add("node-pools")  # read by link: where Strimzi takes the broker count from
    return [cluster]


def _storage(m: Manifest, storage: Node | None, where: str) -> Setting | None:
    """The storage type as ``storage.type``; a ``jbod`` whose volumes are all ephemeral is ephemeral,
    at its first volume's ``type``."""
    kind = _field(m, storage, "type", "storage.type", where)
    volumes = path(storage, "volumes")
    if kind is None or kind.value != "jbod" or not isinstance(volumes, Sequence) or not volumes.items:
        return kind
    types = [_field(m, v, "type", "storage.type", f"{where}.volumes[{i}]") for i, v in enumerate(volumes.items)]
    if all(t is not None and t.value == "ephemeral" for t in types):
        return types[0]
    return kind


def _node_pool(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    pool = m.entity(
        "kafka.nodepool",
        "strimzi",
        path(m.root, "metadata", "name") or m.root,
        "Strimzi node pool",
        Under(("spec",)),
    )
    for key, canonical in (("replicas", "replicas"), ("roles", "roles")):
        s = _field(m, spec, key, canonical, "spec")
        if s is not None:
            pool.settings[canonical] = s
    storage = _storage(m, path(spec, "storage"), "spec.storage")
    if storage is not None:
        pool.settings["storage.type"] = storage
    return [pool]


def _topic(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    name_node = path(spec, "topicName")
    topic = m.entity(
        "kafka.topic",
        "strimzi",
        path(m.root, "metadata", "name") or m.root,
        "Strimzi KafkaTopic",
        Under(
            ("spec", "config"),
            placed=(("partitions", ("spec", "partitions")), ("replication.factor", ("spec", "replicas"))),
        ),
    )
    topic_name = scalar(name_node)
    topic.attributes["resource"] = m.name  # metadata.name: the topic's name unless spec.topicName says another
    if topic_name:
        topic.name = TEMPLATED_NAME if "${" in topic_name else topic_name
    for key, canonical in (("partitions", "partitions"), ("replicas", "replication.factor")):
        s = _field(m, spec, key, canonical, "spec")
        if s is not None:
            topic.settings[canonical] = s
    for name, s in _config(m, path(spec, "config"), "spec.config"):
        # `replicas`/`partitions` belong in spec, not spec.config, where they mean nothing
        topic.settings[f"spec.config.{name}" if name in ("replication.factor", "partitions") else name] = s
    if templated(m, spec) or templated(m, path(spec, "config")):
        topic.traits.add("templated")
        topic.writer = None
    return [topic]


def _clients(
    m: Manifest, config: Node | None, where: str, prefixes: tuple[str, str], naming_root: list[str]
) -> list[Entity]:
    """Producer/consumer overrides in a Connect-style config (``producer.acks``)."""
    out = []
    for side, prefix in zip(("producer", "consumer"), prefixes, strict=True):
        found = list(_config(m, config, where, prefix))
        if not found:
            continue
        entity = m.entity(
            facts.kind(f"kafka.{side}"),
            "kafka-connect",
            m.root,
            f"Kafka Connect {side} ({m.kind} {m.name})",
            _prefixed(naming_root, prefix),
        )
        first = found[0][1].origin
        if first is not None and first.key_span is not None:
            entity.anchor = first.key_span  # findings about absent keys point at the first override
        for name, s in found:
            entity.settings[name] = s
        out.append(entity)
    return out


def _prefixed(root: list[str], prefix: str) -> Callable[[str], list[str]]:
    return Under(tuple(root), prefix)


def _spec_config(m: Manifest, kind: Kind, label: str) -> Entity:
    """A Strimzi resource whose settings are its ``spec.config`` map, written back there."""
    entity = m.entity(kind, "strimzi", path(m.root, "metadata", "name") or m.root, label, Under(("spec", "config")))
    for name, s in _config(m, path(m.root, "spec", "config"), "spec.config"):
        entity.settings[name] = s
    return entity


def _connect(m: Manifest) -> list[Entity]:
    config = path(m.root, "spec", "config")
    connect = _spec_config(m, "kafka.connect", "Strimzi KafkaConnect")
    return [connect, *_clients(m, config, "spec.config", ("producer.", "consumer."), ["spec", "config"])]


def _connector(m: Manifest) -> list[Entity]:
    config = path(m.root, "spec", "config")
    connector = _spec_config(m, "kafka.connector", "Strimzi KafkaConnector")
    connector_class = scalar(path(m.root, "spec", "class"))
    if connector_class:
        connector.attributes["connector-class"] = connector_class
    if templated(m, path(m.root, "spec")) or templated(m, config):
        connector.traits.add("templated")
    return [connector]


def _mirror_maker(m: Manifest) -> list[Entity]:
    out: list[Entity] = []
    clusters = path(m.root, "spec", "clusters")
    for i, cluster in enumerate(clusters.items if isinstance(clusters, Sequence) else []):
        config = path(cluster, "config")
        out += _clients(m, config, f"spec.clusters[{i}].config", ("producer.", "consumer."), [])
    mirrors = path(m.root, "spec", "mirrors")
    for i, mirror in enumerate(mirrors.items if isinstance(mirrors, Sequence) else []):
        config = path(mirror, "sourceConnector", "config")
        out += _clients(
            m, config, f"spec.mirrors[{i}].sourceConnector.config", ("producer.override.", "consumer.override."), []
        )
    for entity in out:
        entity.writer = None  # list items: a new key's place is ambiguous; fixes replace values only
    return out


def _workload(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    workload = m.entity(
        "k8s.workload", "kubernetes", path(m.root, "metadata", "name") or m.root, m.kind, Under(("spec",))
    )
    replicas = _field(m, spec, "replicas", "replicas", "spec")
    if replicas is not None:
        workload.settings["replicas"] = replicas
    template_labels = _string_map(path(spec, "template", "metadata", "labels"))
    workload.labels = {**template_labels, **m.labels}
    containers = path(spec, "template", "spec", "containers")
    names = []
    for container in containers.items if isinstance(containers, Sequence) else []:
        name = scalar(path(container, "name"))
        if name:
            names.append(name)
        env = path(container, "env")
        for item in env.items if isinstance(env, Sequence) else []:
            env_name = scalar(path(item, "name"))
            value = path(item, "value")
            if env_name and isinstance(item, Mapping):
                key_node = next((k for k, _ in item.items if k.value == "value"), None)
                if key_node is not None and value is not None:
                    workload.settings[f"env.{env_name}"] = setting(m, key_node, value, f"env.{env_name}", env_name)
    workload.lists["containers"] = tuple(names)
    workload.attributes["kind"] = m.kind
    return [workload]


def _autoscaler(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    hpa = m.entity("k8s.hpa", "kubernetes", path(m.root, "metadata", "name") or m.root, m.kind, Under(("spec",)))
    target = scalar(path(spec, "scaleTargetRef", "name"))
    maximum = _field(m, spec, "maxReplicas", "maxReplicas", "spec")
    if target is None or maximum is None:
        return []
    hpa.attributes["target"] = target
    hpa.settings["maxReplicas"] = maximum
    return [hpa]


def _objects(root: Node | None) -> Iterator[Mapping]:
    if not isinstance(root, Mapping):
        return
    if scalar(root.get("kind")) == "List":
        items = root.get("items")
        for item in items.items if isinstance(items, Sequence) else []:
            if isinstance(item, Mapping):
                yield item
    else:
        yield root


def _name(text: str | None) -> str:
    return TEMPLATED_NAME if text and "${" in text else text or ""


def _images(document: Document, node: Node | None, depth: int = 0) -> Iterator[Entity]:
    """``rabbitmq`` images anywhere in a YAML file: docker-compose services, Kubernetes containers,
    Helm values (``image: rabbitmq:4.1-management``; ``image: {repository: bitnami/rabbitmq, tag: 3.13.7}``,
    a registry in front or not). They tell which RabbitMQ version the project runs (rabbit/versions.py)."""
    from msglint.rabbit import versions

    if depth > 12 or not isinstance(node, (Mapping, Sequence)):
        return
    children = node.items if isinstance(node, Sequence) else [v for _, v in node.items]
    if isinstance(node, Mapping):
        image = node.get("image")
        found: tuple[str | None, str, Node] | None = None
        where: Node
        if isinstance(image, Scalar) and versions.from_image(image.value) is not None:
            found = versions.from_image(image.value), f"image {image.value.strip()}", image
        elif isinstance(image, Mapping) and versions.is_rabbitmq_repository(scalar(image.get("repository"))):
            tag = image.get("tag")
            text = scalar(tag) if tag is not None else None
            version = versions.from_tag(text) if tag is not None else None  # no tag: the chart's own default
            where = tag if isinstance(tag, Scalar) else image
            found = version, f"image {scalar(image.get('repository'))}:{text or '?'} (Helm image.tag)", where
        if found is not None and found[0] is not None:
            version, said, where = found
            yield Entity(
                "rabbit.image",
                "rabbitmq",
                document.display,
                where.span,
                label="RabbitMQ image",
                name=said,
                attributes={
                    "rabbitmq-version": version or "",
                    "rabbitmq-version-from": f"{said} in {document.display}:{where.span.line}",
                },
            )
    for child in children:
        yield from _images(document, child, depth + 1)


def extract(document: Document) -> list[Entity]:
    out: list[Entity] = []
    for root in document.yaml:
        if not (isinstance(root, Mapping) and scalar(root.get("kind")) == "RabbitmqCluster"):
            out.extend(_images(document, root))
        out.extend(compose.extract(document, root))
        out.extend(helm_values.extract(document, root))
        out.extend(helm_rabbitmq.extract(document, root))
        out.extend(redis_manifests.compose(document, root))
        out.extend(redis_manifests.bitnami(document, root))
        for obj in _objects(root):
            kind, api = scalar(obj.get("kind")), scalar(obj.get("apiVersion"))
            handler = KINDS.get(kind or "")
            if handler is None or api is None or not api.startswith(handler[0]):
                continue
            metadata = path(obj, "metadata")
            last = obj.span.end_line - (1 if obj.span.end_column == 1 else 0)
            m = Manifest(
                document,
                obj,
                kind or "",
                api,
                _name(scalar(path(metadata, "name"))),
                scalar(path(metadata, "namespace")),
                _string_map(path(metadata, "labels")),
                _string_map(path(metadata, "annotations")),
                last,
            )
            out.extend(handler[1](m))
    return out


# --- RabbitMQ Cluster Operator and Messaging Topology Operator (rabbitmq.com/v1beta1) ---------------


def quantity(text: str | None) -> int | None:
    """A Kubernetes memory quantity (``2Gi``, ``512M``) in bytes; None when not one or beyond 64 bits."""
    from msglint import numbers

    return numbers.kubernetes_bytes(text)


def _rabbitmq_cluster(m: Manifest) -> list[Entity]:
    from msglint.extract import rabbit_conf
    from msglint.fixes import PropertiesWriter, raw_naming

    spec = path(m.root, "spec")
    entries, indent, problem = _additional_config(m, path(spec, "rabbitmq"))
    anchor = (path(m.root, "metadata", "name") or m.root).span
    node = rabbit_conf.broker(m.document.display, entries, anchor, "conf")
    if problem is not None:
        m.document.problems.append(problem)
        node.traits.add("templated")  # part of its configuration is unreadable: defaults are not known
    _advanced_config(m, path(spec, "rabbitmq", "advancedConfig"), node)
    node.client, node.label, node.name, node.namespace = "rabbitmq-operator", "RabbitmqCluster", m.name, m.namespace
    node.anchor = anchor
    if entries:
        node.writer = PropertiesWriter(
            m.document.display,
            raw_naming,
            m.document.lines,
            after=max(e.span.end_line for e in entries),
            separator=" = ",
            indent=" " * indent,
        )
    _operator_version(m, scalar(path(spec, "image")), node)
    _operator_size(m, spec, node)
    return [node]


def _additional_config(m: Manifest, rabbitmq: Node | None) -> tuple[list[Entry], int, ParseError | None]:
    """``spec.rabbitmq.additionalConfig``, a rabbitmq.conf in a block scalar: (its entries, the
    block's indent, the ParseError that stopped reading it)."""
    from msglint.readers import ParseError, conf

    additional = path(rabbitmq, "additionalConfig")
    has_key = isinstance(rabbitmq, Mapping) and any(k.value == "additionalConfig" for k, _ in rabbitmq.items)
    if not (isinstance(additional, Scalar) and has_key and not templated(m, additional)):
        return [], 0, None
    first = additional.span.line + 1  # the block's text starts on the line after its `|`
    lines = m.document.lines[first - 1 :]
    indent = next((len(line) - len(line.lstrip()) for line in lines if line.strip()), 0)
    if not additional.block or "${" in additional.value:
        return [], indent, None
    try:
        return conf.parse(additional.value, first_line=first, indent=indent), indent, None
    except ParseError as exc:
        return [], indent, exc  # reported as a parse finding; the rest of the manifest is still read


def _advanced_config(m: Manifest, advanced: Node | None, node: Entity) -> None:
    """``spec.rabbitmq.advancedConfig``: an advanced.config (Erlang terms) in a block scalar."""
    from msglint.extract import rabbit_conf

    if not isinstance(advanced, Scalar):
        return
    lines = m.document.lines[advanced.span.line :]
    shift = next((len(line) - len(line.lstrip()) for line in lines if line.strip()), 0)
    for entry in rabbit_conf.advanced_entries(advanced.value.split("\n"), advanced.span.line + 1, shift):
        found = Origin(m.document.display, entry.span, entry.key, "erlang", entry.value_span, entry.key_span)
        node.settings[entry.key] = Setting(entry.key, entry.value, entry.value, found)


def _operator_version(m: Manifest, image: str | None, node: Entity) -> None:
    """The RabbitMQ version the cluster runs: its spec.image, else the Cluster Operator's default."""
    from msglint.rabbit import versions

    if image:
        version = versions.from_image(image)
        source = f"spec.image {image} of RabbitmqCluster {m.name}"
    else:
        version = versions.from_image(versions.OPERATOR_DEFAULT_IMAGE)
        default = versions.OPERATOR_DEFAULT_IMAGE
        source = f"no spec.image in RabbitmqCluster {m.name}: the Cluster Operator's default {default}"
    if version is not None:
        node.attributes.update({"rabbitmq-version": version, "rabbitmq-version-from": source})


def _operator_size(m: Manifest, spec: Node | None, node: Entity) -> None:
    """Nodes and memory limit, with the Cluster Operator's defaults (one node, 2Gi) where unset."""
    from msglint.model import Derived

    replicas = _field(m, spec, "replicas", "replicas", "spec")
    n = replicas.as_int() if replicas is not None else 1  # the operator's default is one node
    origins = (replicas.origin,) if replicas is not None and replicas.origin is not None else ()
    if n is not None:
        where = f"spec.replicas={n}" if replicas is not None else "spec.replicas not set (1)"
        node.derived["nodes"] = Derived(n, f"{where} of RabbitmqCluster {m.name}", origins)
    memory = _field(m, path(spec, "resources", "limits"), "memory", "memory", "spec.resources.limits")
    size = quantity(memory.value if memory is not None else "2Gi")  # the operator's default limit
    if size is not None:
        shown = memory.value if memory is not None else "2Gi (the operator's default)"
        origin = (memory.origin,) if memory is not None and memory.origin is not None else ()
        node.derived["memory-limit"] = Derived(size, f"resources.limits.memory={shown}", origin)


def _topology_reference(m: Manifest) -> str:
    """Which broker a topology object lives on: ``cluster:<namespace>/<name>`` of its RabbitmqCluster
    (the reference's namespace, else the object's own), or its connection secret."""
    reference = path(m.root, "spec", "rabbitmqClusterReference")
    name = scalar(path(reference, "name"))
    if name:
        namespace = scalar(path(reference, "namespace")) or m.namespace or ""
        return f"cluster:{namespace}/{name}"
    secret = scalar(path(reference, "connectionSecret", "name"))
    return f"secret:{m.namespace or ''}/{secret}" if secret else "cluster:?"


def _topology_queue(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    queue = m.entity(
        "rabbit.queue",
        "rabbitmq",
        path(spec, "name") or m.root,
        "Queue",
        Under(("spec",), routed=(("x-", ("spec", "arguments")),)),
    )
    queue.name = scalar(path(spec, "name")) or m.name
    queue.writer = None
    queue.traits.add("immutable")  # the operator's webhook refuses changes to arguments and durability
    queue.attributes.update({"vhost": scalar(path(spec, "vhost")) or "/", "broker": _topology_reference(m)})
    for key, canonical in (("durable", "durable"), ("autoDelete", "auto_delete"), ("type", "x-queue-type")):
        s = _field(m, spec, key, canonical, "spec")
        if s is not None:
            queue.settings[canonical] = s
    for name, s in _config(m, path(spec, "arguments"), "spec.arguments"):
        queue.settings[name] = s
    return [queue]


def _topology_policy(m: Manifest) -> list[Entity]:
    spec = path(m.root, "spec")
    operator = m.kind == "OperatorPolicy"
    policy = m.entity(
        "rabbit.policy",
        "rabbitmq",
        path(spec, "name") or m.root,
        "operator policy" if operator else "policy",
        Under(("spec", "definition")),
    )
    policy.name = scalar(path(spec, "name")) or m.name
    policy.attributes.update({"vhost": scalar(path(spec, "vhost")) or "/", "broker": _topology_reference(m)})
    if operator:
        policy.traits.add("operator")
    for key, canonical in (("pattern", "pattern"), ("applyTo", "apply-to"), ("priority", "priority")):
        s = _field(m, spec, key, canonical, "spec")
        if s is not None:
            policy.settings[canonical] = s
    if operator and "apply-to" not in policy.settings:
        policy.attributes["default-apply-to"] = "queues"
    for name, s in _config(m, path(spec, "definition"), "spec.definition"):
        policy.settings[name] = s
    return [policy]


# Every Kubernetes kind msglint reads: kind -> (the apiVersion it must start with, its handler).
# discover.MANIFEST_KINDS lists the same kinds for its sniff (tests/test_registries.py holds them equal).
KINDS: dict[str, tuple[str, Callable[[Manifest], list[Entity]]]] = {
    "Kafka": (STRIMZI, _kafka),
    "KafkaNodePool": (STRIMZI, _node_pool),
    "KafkaTopic": (STRIMZI, _topic),
    "KafkaConnect": (STRIMZI, _connect),
    "KafkaConnector": (STRIMZI, _connector),
    "KafkaMirrorMaker2": (STRIMZI, _mirror_maker),
    "Deployment": ("apps/", _workload),
    "StatefulSet": ("apps/", _workload),
    "HorizontalPodAutoscaler": ("autoscaling/", _autoscaler),
    "RabbitmqCluster": ("rabbitmq.com/", _rabbitmq_cluster),
    "Queue": ("rabbitmq.com/", _topology_queue),
    "Policy": ("rabbitmq.com/", _topology_policy),
    "OperatorPolicy": ("rabbitmq.com/", _topology_policy),
    "Stream": ("jetstream.nats.io/", nats.nack),
    "Consumer": ("jetstream.nats.io/", nats.nack),
    "RedisFailover": ("databases.spotahome.com/", redis_manifests.redis_failover),
    "Redis": ("redis.redis.opstreelabs.in/", redis_manifests.opstree),
    "RedisReplication": ("redis.redis.opstreelabs.in/", redis_manifests.opstree),
    "RedisCluster": ("redis.redis.opstreelabs.in/", redis_manifests.opstree),
}
