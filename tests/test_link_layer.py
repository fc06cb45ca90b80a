"""The link layer: every join across files is in msglint.link, and checks read the whole model
(a Workspace) instead of context copied onto entities."""

from __future__ import annotations

import re
from pathlib import Path

from msglint import link
from msglint.checks.strimzi import topic_cluster_unknown
from msglint.model import Entity, Span
from tests.test_clusters import KAFKA, TOPIC, entities

SRC = Path(__file__).resolve().parents[1] / "src" / "msglint"
# a relation written: `x.related["k"] = ...`, `x.related.setdefault(...)`, `x.related.update(...)`
_JOINING = re.compile(r"\.related\[[^\]]*\]\s*=(?!=)|\.related\.(setdefault|update)\(")


def test_a_check_sees_clusters_declared_in_another_file(tmp_path: Path) -> None:
    files = {
        "platform/kafka.yaml": KAFKA.format(name="events", ns="kafka"),
        "apps/billing/topics.yaml": TOPIC.format(
            name="invoices", ns="kafka", cluster="event", partitions=3, replicas=3
        ),
    }
    found = entities(tmp_path, files)
    topic = next(e for e in found if e.kind == "kafka.topic")
    assert "clusters-in-tree" not in topic.attributes  # no copied context on the entity
    hits = list(topic_cluster_unknown(topic, {}, workspace=link.Workspace(found)))
    assert len(hits) == 1 and "'events' is" in hits[0].message
    # the same topic alone in its workspace: no cluster in the tree, nothing to compare with
    assert list(topic_cluster_unknown(topic, {}, workspace=link.Workspace([topic]))) == []


def test_the_engine_gives_the_workspace_to_the_checks_that_ask(lint) -> None:
    result = lint(
        {
            "platform/kafka.yaml": KAFKA.format(name="events", ns="kafka"),
            "apps/topics.yaml": TOPIC.format(name="invoices", ns="kafka", cluster="event", partitions=3, replicas=3),
        },
        select=("KS502",),
    )
    assert [(f.code, f.path) for f in result.findings] == [("KS502", "apps/topics.yaml")]


def test_workspace_indexes_by_kind_and_name_and_drops_from_relations() -> None:
    def entity(kind: str, name: str) -> Entity:
        return Entity(kind, "strimzi", f"{name}.yaml", Span.point(1), name=name)

    cluster, topic, other = entity("kafka.cluster", "a"), entity("kafka.topic", "t"), entity("kafka.topic", "u")
    cluster.related["topics"] = [topic, other]
    everything = [cluster, topic, other]
    workspace = link.Workspace(everything)
    assert workspace.of("kafka.topic") == [topic, other]
    assert workspace.of("nats.stream") == []
    assert workspace.named("kafka.cluster", "a") == [cluster]
    workspace.drop([other])
    assert everything == [cluster, topic]  # the caller's list, changed in place
    assert workspace.of("kafka.topic") == [topic]
    assert cluster.related["topics"] == [topic]


def test_joins_across_files_live_in_the_link_package() -> None:
    # extractors build the relations inside one file (or one application); only link/ joins files
    allowed = (SRC / "link", SRC / "extract")
    offenders = [
        f"{path.relative_to(SRC)}:{n}"
        for path in sorted(SRC.rglob("*.py"))
        if not any(path.is_relative_to(a) for a in allowed)
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if _JOINING.search(line)
    ]
    assert offenders == []


def test_the_joins_run_in_one_explicit_order() -> None:
    names = [f"{j.__module__.rpartition('.')[2]}.{j.__name__}" for j in link.JOINS]
    assert names == [
        "builds.versions_of",
        "spring.binder_clients",
        "strimzi.clusters",
        "strimzi.topics",
        "kubernetes.autoscalers",
        "spring.roles_from_code",
        "link._environments",
        "nats.streams",
        "redis.applications",
        "rabbit.policies_and_clusters",
        "rabbit.rejected_queues",
        "rabbit.version",
        "spring.applications",
    ]
