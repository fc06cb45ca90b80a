"""RabbitMQ joins: one node's files merged, policies applied to queues, operator queues tied to their
RabbitmqCluster, and the RabbitMQ version each queue, policy and node runs. What RabbitMQ does with a
policy or a version is known in ``msglint.rabbit``; this module only decides which entities meet."""

from __future__ import annotations

from pathlib import PurePosixPath

from msglint.link.near import nearest
from msglint.link.workspace import Workspace
from msglint.model import Entity
from msglint.rabbit import policies, versions


def policies_and_clusters(workspace: Workspace) -> None:
    """One node's files merged, policies applied to queues, operator queues tied to their
    RabbitmqCluster (and development when it is)."""
    queues, nodes = workspace.of("rabbit.queue"), workspace.of("rabbit.broker")
    _merge_node_files(nodes)
    _policies(queues, workspace.of("rabbit.policy"))
    _clusters(queues, nodes)
    for queue in queues:
        cluster = queue.one("cluster")
        if cluster is not None and cluster.environment and not queue.environment:
            queue.environment = f"its RabbitmqCluster {cluster.name}: {cluster.environment}"


def rejected_queues(workspace: Workspace) -> None:
    """Tie each rejection in code to the queues of the name it consumes (every declaration read of
    that name, wherever it is: the code does not say which broker or vhost) and to every policy
    that matches them."""
    found = workspace.of("rabbit.policy")
    for handler in workspace.of("code.handler"):
        name = handler.attributes.get("rejects-from")
        if not name:
            continue
        queues = workspace.named("rabbit.queue", name)
        handler.related["queues"] = queues
        # any policy of the tree that would match, on whichever broker: the code does not say which
        handler.related["policy"] = [p for p in found if any(policies.matches(p, q) for q in queues)]


def _merge_node_files(nodes: list[Entity]) -> None:
    """RabbitMQ reads rabbitmq.conf, then conf.d/*.conf in name order, later files overriding: the
    files of one node become one configuration, held by the first; the others are marked merged."""
    groups: dict[str, list[Entity]] = {}
    for node in nodes:
        if node.client != "rabbitmq" or "advanced" in node.traits:
            continue
        parent = PurePosixPath(node.path).parent
        root = parent.parent if parent.name == "conf.d" else parent
        groups.setdefault(str(root), []).append(node)
    for group in groups.values():
        if len(group) < 2:
            continue
        group.sort(key=lambda n: (PurePosixPath(n.path).parent.name == "conf.d", n.path))
        primary = group[0]
        for other in group[1:]:
            primary.settings.update(other.settings)
            other.traits.add("merged")
        primary.lists["files"] = tuple(n.path for n in group)


def _policies(queues: list[Entity], found: list[Entity]) -> None:
    """Give each queue the policy and operator policy that apply to it, and each policy its queues."""
    for queue in queues:
        for operator in (False, True):
            candidates = [
                p
                for p in found
                if ("operator" in p.traits) == operator
                and policies.same_broker(p, queue)
                and policies.matches(p, queue)
            ]
            if not candidates:
                continue
            chosen = max(candidates, key=lambda p: (policies.priority(p), p.name))
            queue.related["operator-policy" if operator else "policy"] = [chosen]
            chosen.related.setdefault("queues", []).append(queue)


def _clusters(queues: list[Entity], nodes: list[Entity]) -> None:
    """Topology-operator queues name their RabbitmqCluster (rabbitmqClusterReference, in its
    namespace or their own)."""
    for queue in queues:
        reference = queue.attributes.get("broker", "")
        if not reference.startswith("cluster:"):
            continue
        closest = nearest(queue, _named_clusters(reference, nodes))
        if len(closest) == 1:
            queue.related["cluster"] = closest


def _named_clusters(reference: str, nodes: list[Entity]) -> list[Entity]:
    """The RabbitmqClusters a ``cluster:namespace/name`` reference may mean."""
    namespace, _, name = reference.removeprefix("cluster:").rpartition("/")
    return [
        n
        for n in nodes
        if n.client == "rabbitmq-operator" and n.name == name and (not namespace or n.namespace in (None, namespace))
    ]


def version(workspace: Workspace) -> None:
    """The RabbitMQ version of each node, queue and policy, from what governs it."""
    nodes, images = workspace.of("rabbit.broker"), workspace.of("rabbit.image")
    for node in nodes:
        if node.client != "rabbitmq-operator":  # a RabbitmqCluster says its own (extract)
            nearby = versions.nearby_image(node.path, images)
            versions.set_version(node, *(nearby or (None, "")))
    for entity in workspace.of("rabbit.queue") + workspace.of("rabbit.policy"):
        versions.set_version(entity, *_governing(entity, nodes, images))


def _governing(entity: Entity, nodes: list[Entity], images: list[Entity]) -> tuple[str | None, str]:
    broker = entity.attributes.get("broker", "")
    if broker.startswith("cluster:") and broker != "cluster:?":
        cluster = entity.one("cluster") or _cluster(broker, entity, nodes)
        if cluster is not None:
            return versions.of(cluster)
        return versions.assumed(broker.rpartition("/")[2])
    if broker.startswith("definitions:"):
        importer = versions.importer(entity.path, nodes)
        if importer is not None and versions.of(importer)[0]:
            found, source = versions.of(importer)
            return found, f"{source}, which imports {PurePosixPath(entity.path).name}"
        own = entity.attributes.get("definitions-version")
        if own:
            return own, f"rabbitmq_version in {entity.path}"
    nearby = versions.nearby_image(entity.path, images)
    return nearby or (None, "")


def _cluster(reference: str, entity: Entity, nodes: list[Entity]) -> Entity | None:
    """The RabbitmqCluster of a queue or policy the cluster join left alone (a policy names one too)."""
    closest = nearest(entity, _named_clusters(reference, nodes))
    return closest[0] if len(closest) == 1 else None
