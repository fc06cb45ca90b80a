"""Join entities across files, here and nowhere else: node pools and topics to their cluster,
autoscalers to workloads, NATS consumers to streams, RabbitMQ policies to queues, Spring applications
to the Deployments that run them and to the topics their configuration names. Each link says how it
was made, because messages repeat it.

One module per family of joins; ``JOINS`` runs them in order, over a ``Workspace`` (the whole model),
which the checks that compare an entity with the rest of the tree are given as well.
"""

from __future__ import annotations

from collections.abc import Callable

from msglint import environment
from msglint.link import builds, kubernetes, nats, rabbit, redis, spring, strimzi
from msglint.link.near import module, nearest, same_namespace, where
from msglint.link.workspace import Workspace
from msglint.model import Entity

__all__ = ["JOINS", "Join", "Workspace", "link", "module", "nearest", "same_namespace", "where"]

Join = Callable[[Workspace], None]


def _environments(workspace: Workspace) -> None:
    # one notion of development for every entity (environment.infer); what runs on a cluster (a topic,
    # a queue) is development when its cluster is, which the Strimzi and RabbitMQ joins decide
    for entity in workspace.entities:
        if entity.kind not in ("kafka.cluster", "kafka.topic"):
            entity.environment = environment.infer(entity)


# The order matters: topics take their cluster's environment, consumers nothing runs are dropped
# before anything is judged, RabbitMQ queues take their RabbitmqCluster's environment after
# ``_environments``, and the version join reads the clusters the RabbitMQ join tied.
JOINS: tuple[Join, ...] = (
    builds.versions_of,
    spring.binder_clients,
    strimzi.clusters,
    strimzi.topics,
    kubernetes.autoscalers,
    spring.roles_from_code,
    _environments,
    nats.streams,
    redis.applications,
    rabbit.policies_and_clusters,
    rabbit.rejected_queues,
    rabbit.version,
    spring.applications,
)


def link(entities: list[Entity]) -> Workspace:
    """Run every join over ``entities`` (changed in place: a dropped entity leaves the list)."""
    workspace = Workspace(entities)
    for join in JOINS:
        join(workspace)
    return workspace
