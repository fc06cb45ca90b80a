"""docker-compose services running a Kafka image -> one ``kafka.cluster`` entity per broker service,
its broker settings read from the environment the image turns into ``server.properties``.

The images name a setting differently: Bitnami writes ``KAFKA_CFG_MIN_INSYNC_REPLICAS``, the Confluent
and Apache images ``KAFKA_MIN_INSYNC_REPLICAS`` (``_`` is ``.``, ``__`` is ``_``, ``___`` is ``-``).
Only the Confluent images build the broker's configuration from the environment alone, so only there
do Kafka's own defaults apply to what is not written; the Bitnami and Apache images start from a
configuration file of their own, whose values msglint does not know (nothing unset is judged).

The brokers of one cluster are the services that share a ``zookeeper.connect``, a
``controller.quorum.voters`` or a cluster id; a file with one broker service is a cluster of one.
"""

from __future__ import annotations

import re

from msglint.documents import Document
from msglint.fixes import YamlWriter
from msglint.fixes.naming import Raw
from msglint.kafka import keys
from msglint.model import Derived, Entity, Origin, Setting, Span
from msglint.readers.tree import Mapping, Node, Scalar, Sequence

# image (its repository's last part, after any registry and owner) -> flavour
_IMAGES = {"cp-kafka": "confluent", "cp-server": "confluent", "kafka": "kafka", "kafka-native": "kafka"}
# environment of the images that is not broker configuration
_NOT_CONFIG = re.compile(r"^(HEAP_OPTS|OPTS|JMX_\w*|LOG4J_\w*|JVM_\w*|DEBUG|ENABLE_KRAFT|KRAFT_CLUSTER_ID|CLUSTER_ID)$")
_GROUPING = ("zookeeper.connect", "controller.quorum.voters", "cluster.id")


def flavour(image: str) -> str | None:
    """confluent, bitnami, apache, other, or None for an image that is not a Kafka broker."""
    parts = image.strip().split("@")[0].split("/")
    name = parts[-1].split(":")[0]
    if name not in _IMAGES:
        return None
    if _IMAGES[name] == "confluent":
        return "confluent"
    owner = parts[-2] if len(parts) > 1 else ""
    return {"bitnami": "bitnami", "apache": "apache"}.get(owner, "other")


def env_key(name: str, kind: str) -> str | None:
    prefix = "KAFKA_CFG_" if kind == "bitnami" else "KAFKA_"
    if not name.startswith(prefix) or _NOT_CONFIG.match(name[len(prefix) :]):
        return "cluster.id" if name in ("KAFKA_KRAFT_CLUSTER_ID", "CLUSTER_ID", "KAFKA_CLUSTER_ID") else None
    rest = name[len(prefix) :].lower()
    return rest.replace("___", "\0").replace("__", "\1").replace("_", ".").replace("\0", "-").replace("\1", "_")


def extract(document: Document, root: Node | None) -> list[Entity]:
    services = root.get("services") if isinstance(root, Mapping) else None
    if not isinstance(services, Mapping):
        return []
    brokers: list[Entity] = []
    for name, service in services.items:
        image = service.get("image") if isinstance(service, Mapping) else None
        kind = flavour(image.value) if isinstance(image, Scalar) else None
        if kind is None or not isinstance(service, Mapping):
            continue
        broker = _broker(document, root, name, service, kind)
        roles = broker.settings.get("process.roles")
        if roles is None or (roles.value or "").replace(" ", "") != "controller":
            brokers.append(broker)
    _count(brokers, document)
    return brokers


def _broker(document: Document, root: Node | None, name: Scalar, service: Mapping, kind: str) -> Entity:
    environment = service.get("environment")
    settings: dict[str, Setting] = {}
    for env, value, key_span, value_span, syntax in _variables(environment):
        key = env_key(env, kind)
        if key is not None:
            origin = Origin(
                document.display,
                Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column),
                env,
                syntax,
                value_span,
                key_span,
            )
            settings[key] = Setting(key, keys.normalize(key, value), value, origin)
    writer = None
    if isinstance(environment, Mapping) and environment.items and not environment.flow:
        service_name = name.value

        def naming(key: str) -> list[str]:
            prefix = "KAFKA_CFG_" if kind == "bitnami" else "KAFKA_"
            env = prefix + key.replace("_", "__").replace("-", "___").replace(".", "_").upper()
            return ["services", service_name, "environment", env]

        writer = YamlWriter(document.display, Raw(naming), document.lines, root=root, literal=True)
    entity = Entity(
        "kafka.cluster",
        "kafka-broker" if kind == "confluent" else "kafka-compose",
        document.display,
        name.span,
        settings,
        writer=writer,
        label=f"Kafka broker service {name.value}",
        name=f"{document.display}:{name.value}",
    )
    if "process.roles" in settings:
        entity.traits.add("kraft")
    elif "zookeeper.connect" in settings:
        entity.traits.add("zookeeper")
    return entity


def _variables(environment: Node | None):  # type: ignore[no-untyped-def]
    """(name, value, name span, value span, syntax) of each variable: ``KEY: value`` or ``- KEY=value``."""
    if isinstance(environment, Mapping):
        for k, v in environment.items:
            if isinstance(v, Scalar) and not v.block:
                yield k.value, v.value, k.span, v.span, "yaml"
    elif isinstance(environment, Sequence):
        for item in environment.items:
            if (
                not isinstance(item, Scalar)
                or "=" not in item.value
                or item.block
                or item.span.line != item.span.end_line
            ):
                continue
            env, _, value = item.value.partition("=")
            start = item.span.column + (1 if item.quoted else 0)
            key_span = Span(item.span.line, start, item.span.line, start + len(env))
            value_span = Span(item.span.line, start + len(env) + 1, item.span.line, start + len(env) + 1 + len(value))
            yield env, value, key_span, value_span, "properties"


def _count(brokers: list[Entity], document: Document) -> None:
    """The broker count of each cluster: services grouped by what joins them into one cluster."""
    groups: dict[tuple[str, str], list[Entity]] = {}
    for broker in brokers:
        joined = next(((k, broker.settings[k].value or "") for k in _GROUPING if k in broker.settings), None)
        if joined is None:
            if len(brokers) > 1:
                continue  # several brokers and nothing says which belong together: the count is unknown
            joined = ("", "")
        groups.setdefault(joined, []).append(broker)
    for members in groups.values():
        names = ", ".join(m.label.rpartition(" ")[2] for m in members)
        how = f"{len(members)} Kafka broker service{'s' if len(members) != 1 else ''} in {document.display} ({names})"
        for member in members:
            member.derived["brokers"] = Derived(len(members), how)
