"""Strimzi joins: node pools and topics to their Kafka cluster (by the strimzi.io/cluster label),
and the broker and controller counts that follow."""

from __future__ import annotations

from msglint import environment
from msglint.link.near import nearest, same_namespace
from msglint.link.workspace import Workspace
from msglint.model import Derived, Entity


def _roles(pool: Entity) -> set[str]:
    roles = pool.get("roles")
    return {r.strip() for r in (roles.value or "").split(",")} if roles is not None and roles.value else set()


def _count(cluster: Entity, pools: list[Entity], role: str) -> Derived | None:
    chosen = [p for p in pools if role in _roles(p)]
    total, parts, origins = 0, [], []
    for pool in chosen:
        replicas = pool.get("replicas")
        n = replicas.as_int() if replicas is not None else None
        if n is None or replicas is None or replicas.origin is None:
            return None  # a templated or missing count: unknown
        total += n
        parts.append(f"{n} in KafkaNodePool {pool.name} ({replicas.origin.path}:{replicas.origin.span.line})")
        origins.append(replicas.origin)
    if not chosen:
        return None
    return Derived(total, " + ".join(parts), tuple(origins))


def _owner(child: Entity, clusters: list[Entity]) -> Entity | None:
    """The Strimzi cluster a node pool or topic belongs to: by label and namespace, the nearest one;
    None when several are equally near (overlays of one base): guessing would judge the wrong one."""
    label = child.labels.get("strimzi.io/cluster")
    if not label or "${" in label:
        return None
    named = [c for c in clusters if c.client == "strimzi" and c.name == label and same_namespace(child, c)]
    closest = nearest(child, named)
    if len(closest) > 1:
        exact = [c for c in closest if c.namespace == child.namespace]
        closest = exact if len(exact) == 1 else closest
    if len(closest) > 1:
        child.lists["ambiguous-cluster"] = tuple(sorted({c.path for c in closest}))
        return None
    return closest[0] if closest else None


def _uses_node_pools(cluster: Entity) -> bool:
    """Whether Strimzi takes the brokers from node pools: always for KRaft clusters and the v1 API; for
    a ZooKeeper cluster (Strimzi 0.45 and before) only with the strimzi.io/node-pools annotation."""
    return "zookeeper" not in cluster.traits or "node-pools" in cluster.traits


def clusters(workspace: Workspace) -> None:
    """Each Kafka cluster's node pools, broker and controller counts, and environment."""
    pools = workspace.of("kafka.nodepool")
    found = workspace.of("kafka.cluster")
    owners = {id(p): _owner(p, found) for p in pools}
    for cluster in found:
        mine = [p for p in pools if owners[id(p)] is cluster]
        if cluster.client == "strimzi" and _uses_node_pools(cluster):
            # spec.kafka.replicas is ignored here; pools kept elsewhere leave the count unknown
            cluster.attributes["brokers-from"] = "node-pools"
            cluster.related["nodepools"] = mine
            brokers = _count(cluster, mine, "broker")
            controllers = _count(cluster, mine, "controller")
            if brokers is not None:
                cluster.derived["brokers"] = brokers
            if controllers is not None:
                cluster.derived["controllers"] = controllers
        elif cluster.client == "strimzi":
            replicas = cluster.get("replicas")
            n = replicas.as_int() if replicas is not None else None
            if replicas is not None and replicas.origin is not None and n is not None:
                where = f"{replicas.origin.path}:{replicas.origin.span.line}"
                cluster.derived["brokers"] = Derived(n, f"spec.kafka.replicas={n} ({where})", (replicas.origin,))
        else:
            _from_voters(cluster)
        count = cluster.derived.get("brokers")
        cluster.environment = environment.infer(cluster, count.value if count else None)


def _from_voters(cluster: Entity) -> None:
    """A KRaft server.properties lists the controller quorum: the one count such a file has."""
    voters = cluster.get("controller.quorum.voters")
    if voters is not None and voters.value and voters.origin is not None:
        n = len([v for v in voters.value.split(",") if v.strip()])
        where = f"{voters.origin.path}:{voters.origin.span.line}"
        cluster.derived["controllers"] = Derived(n, f"controller.quorum.voters lists {n} ({where})", (voters.origin,))


def topics(workspace: Workspace) -> None:
    """Each KafkaTopic's cluster (a chart's topics have theirs); a topic is development when its cluster is."""
    found = workspace.of("kafka.cluster")
    for topic in workspace.of("kafka.topic"):
        linked = topic.one("cluster")  # known where it was found: a chart's provisioned topics
        match = linked or _owner(topic, found)
        if match is not None and linked is None:
            topic.related["cluster"] = [match]
            match.related.setdefault("topics", []).append(topic)
        topic.environment = (match.environment if match is not None else None) or environment.infer(topic)


def clusters_in_tree(workspace: Workspace) -> list[str]:
    """The names of the Strimzi Kafka clusters in the tree, sorted; templated names left out."""
    names = {c.name for c in workspace.of("kafka.cluster") if c.client == "strimzi"}
    return sorted(n for n in names if n and not n.startswith("<"))
