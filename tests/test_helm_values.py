"""Bitnami kafka chart values: which files are read, where each chart generation keeps the broker
settings, how many brokers a values file runs and what its provisioning job creates."""

from __future__ import annotations

from pathlib import Path

import msglint
from msglint.model import Entity
from tests.test_clusters import entities


def _cluster(tmp_path: Path, text: str, name: str = "values.yaml") -> Entity:
    (cluster,) = [e for e in entities(tmp_path, {name: text}) if e.kind == "kafka.cluster"]
    return cluster


def _codes(tmp_path: Path, name: str, text: str) -> list[tuple[str, int]]:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return sorted((f.code, f.span.line) for f in msglint.lint([str(tmp_path)]).findings)


def test_legacy_values_and_their_broker_count(tmp_path: Path) -> None:
    cluster = _cluster(tmp_path, "replicaCount: 3\ndefaultReplicationFactor: 2\nautoCreateTopicsEnable: false\n")
    assert cluster.client == "kafka-helm"
    assert cluster.derived["brokers"].value == 3
    assert cluster.settings["default.replication.factor"].value == "2"
    assert cluster.settings["default.replication.factor"].origin.span.line == 2
    assert cluster.settings["auto.create.topics.enable"].value == "false"


def test_extra_env_vars_are_read_as_the_image_reads_them(tmp_path: Path) -> None:
    text = (
        "replicaCount: 3\nzookeeperChrootPath: /kafka\nextraEnvVars:\n"
        "  - name: KAFKA_CFG_MIN_INSYNC_REPLICAS\n    value: '1'\n"
    )
    setting = _cluster(tmp_path, text).settings["min.insync.replicas"]
    assert (setting.value, setting.origin.span.line) == ("1", 5)


def test_a_config_string_replaces_the_camel_case_values(tmp_path: Path) -> None:
    text = (
        "replicaCount: 3\ndefaultReplicationFactor: 1\nconfig: |\n  default.replication.factor=3\n  num.partitions=6\n"
    )
    cluster = _cluster(tmp_path, text)
    assert cluster.settings["default.replication.factor"].value == "3"
    assert cluster.settings["num.partitions"].origin.span.line == 5


def test_chart_32_config_map_and_role_overrides(tmp_path: Path) -> None:
    text = (
        "image:\n  repository: bitnami/kafka\n"
        "config:\n  min.insync.replicas: 2\n"
        "controller:\n  replicaCount: 3\n  overrideConfiguration:\n    min.insync.replicas: 1\n    num.io.threads: 8\n"
        "broker:\n  replicaCount: 2\n"
    )
    cluster = _cluster(tmp_path, text)
    assert cluster.settings["min.insync.replicas"].value == "2"  # a role fills only what is unset
    assert cluster.settings["num.io.threads"].origin.span.line == 9
    assert cluster.derived["brokers"].value == 5
    assert "controller.replicaCount=3" in cluster.derived["brokers"].how


def test_chart_31_extra_config_yaml(tmp_path: Path) -> None:
    text = "kafka:\n  kraft:\n    enabled: true\n  extraConfigYaml:\n    default.replication.factor: 1\n"
    cluster = _cluster(tmp_path, text)
    assert cluster.settings["default.replication.factor"].origin.span.line == 5
    assert "brokers" not in cluster.derived  # no role and no replicaCount: the chart generation is unknown


def test_controller_only_nodes_are_not_brokers(tmp_path: Path) -> None:
    text = (
        "controller:\n  replicaCount: 3\n  controllerOnly: true\n"
        "broker:\n  replicaCount: 1\nprovisioning:\n  topics: []\n"
    )
    assert _cluster(tmp_path, text).derived["brokers"].value == 1


def test_existing_configmap_means_nothing_is_known(tmp_path: Path) -> None:
    text = "replicaCount: 3\nexistingConfigmap: my-kafka\ndefaultReplicationFactor: 1\n"
    cluster = _cluster(tmp_path, text)
    assert "templated" in cluster.traits and "default.replication.factor" not in cluster.settings


def test_the_charts_own_values_file_is_not_a_deployment(tmp_path: Path) -> None:
    text = "## @param replicaCount Number of Kafka nodes\nreplicaCount: 1\ndefaultReplicationFactor: 1\n"
    assert not [e for e in entities(tmp_path, {"values.yaml": text}) if e.kind == "kafka.cluster"]


def test_other_charts_values_are_not_read(tmp_path: Path) -> None:
    text = "replicaCount: 2\nimage:\n  repository: nginx\nconfig: |\n  a=b\n"
    assert not [e for e in entities(tmp_path, {"values.yaml": text}) if e.kind == "kafka.cluster"]


def test_provisioned_topics_only_when_provisioning_is_enabled(tmp_path: Path) -> None:
    topics = "  topics:\n    - name: orders\n    - name: audit\n      replicationFactor: 3\n"
    off = "broker:\n  replicaCount: 3\nprovisioning:\n" + topics
    assert not [e for e in entities(tmp_path, {"values.yaml": off}) if e.kind == "kafka.topic"]
    on = "broker:\n  replicaCount: 3\nprovisioning:\n  enabled: true\n  replicationFactor: 2\n" + topics
    found = {e.name: e for e in entities(tmp_path, {"values.yaml": on}) if e.kind == "kafka.topic"}
    assert found["orders"].settings["replication.factor"].value == "2"
    assert found["audit"].settings["replication.factor"].value == "3"


def test_a_provisioned_topic_on_the_charts_default_factor_is_reported(tmp_path: Path) -> None:
    text = "broker:\n  replicaCount: 3\nprovisioning:\n  enabled: true\n  topics:\n    - name: orders\n"
    assert ("KT101", 6) in _codes(tmp_path, "values.yaml", text)
