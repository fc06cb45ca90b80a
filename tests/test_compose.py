"""docker-compose Kafka brokers, and Connect/MirrorMaker 2 properties: how their keys are read and
how many brokers a compose file's cluster has."""

from __future__ import annotations

from pathlib import Path

import pytest

import msglint
from msglint.extract import compose


@pytest.mark.parametrize(
    ("image", "flavour"),
    [
        ("confluentinc/cp-kafka:7.5.0", "confluent"),
        ("docker.io/confluentinc/cp-server:7.5.0", "confluent"),
        ("bitnami/kafka:3.7", "bitnami"),
        ("apache/kafka:3.8.0", "apache"),
        ("apache/kafka-native:3.8.0", "apache"),
        ("wurstmeister/kafka", "other"),
        ("kafka", "other"),
        ("confluentinc/cp-zookeeper:7.5.0", None),
        ("provectuslabs/kafka-ui:latest", None),
    ],
)
def test_image_flavours(image: str, flavour: str | None) -> None:
    assert compose.flavour(image) == flavour


@pytest.mark.parametrize(
    ("variable", "kind", "key"),
    [
        ("KAFKA_CFG_MIN_INSYNC_REPLICAS", "bitnami", "min.insync.replicas"),
        ("KAFKA_MIN_INSYNC_REPLICAS", "bitnami", None),
        ("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "confluent", "offsets.topic.replication.factor"),
        ("KAFKA_LISTENER_NAME_INTERNAL_SSL__KEY", "confluent", "listener.name.internal.ssl_key"),
        ("KAFKA_CONFLUENT___METRICS", "confluent", "confluent-metrics"),
        ("KAFKA_HEAP_OPTS", "confluent", None),
        ("KAFKA_JMX_PORT", "confluent", None),
        ("CLUSTER_ID", "apache", "cluster.id"),
    ],
)
def test_environment_names(variable: str, kind: str, key: str | None) -> None:
    assert compose.env_key(variable, kind) == key


def _codes(tmp_path: Path, name: str, text: str) -> list[tuple[str, int]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return [(f.code, f.span.line) for f in msglint.lint([str(tmp_path)]).findings]


BROKER = """  {name}:
    image: confluentinc/cp-kafka:7.5.0
    environment:
      KAFKA_ZOOKEEPER_CONNECT: {zookeeper}
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: 1
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: 1
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: 1
"""


def test_two_clusters_in_one_file_are_counted_apart(tmp_path: Path) -> None:
    # a MirrorMaker demo: two single-broker clusters, each with its own ZooKeeper
    text = (
        "services:\n"
        + BROKER.format(name="source", zookeeper="zk1:2181")
        + BROKER.format(name="target", zookeeper="zk2:2181")
    )
    found = _codes(tmp_path, "docker-compose.yml", text)
    assert ("KB201", 2) not in found and ("KB202", 2) not in found  # each is a cluster of one, not of two
    assert [c for c, _ in found if c == "KB208"] == ["KB208", "KB208"]  # both taken for development setups


def test_brokers_nothing_groups_have_no_count(tmp_path: Path) -> None:
    one = "  kafka-{n}:\n    image: bitnami/kafka:3.7\n    environment:\n      - KAFKA_CFG_MIN_INSYNC_REPLICAS=1\n"
    text = "services:\n" + one.format(n=1) + one.format(n=2) + one.format(n=3)
    assert _codes(tmp_path, "compose.yaml", text) == []


def test_mirror_maker_keys_for_one_cluster_or_flow(tmp_path: Path) -> None:
    text = (
        "clusters = a, b\n"
        "a.bootstrap.servers = a:9092\n"
        "b.bootstrap.servers = b:9092\n"
        "a->b.enabled = true\n"
        "a->b.replication.factor = 1\n"
        "a->b.checkpoints.topic.replication.factor = 2\n"
        "b.status.storage.replication.factor = -1\n"
    )
    assert _codes(tmp_path, "connect-mirror-maker.properties", text) == [("KM101", 5)]
