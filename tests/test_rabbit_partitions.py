"""RB307: the RabbitMQ version decides whether partition handling exists at all."""

from __future__ import annotations

from pathlib import Path

import pytest

import msglint

CONF = (
    "cluster_formation.peer_discovery_backend = classic_config\n"
    "cluster_formation.classic_config.nodes.1 = rabbit@a\n"
    "cluster_formation.classic_config.nodes.2 = rabbit@b\n"
    "cluster_formation.classic_config.nodes.3 = rabbit@c\n"
)


@pytest.mark.parametrize(
    ("image", "fires"),
    [("rabbitmq:3.13.7-management", True), ("rabbitmq:4.2.1", True), ("rabbitmq:4.3.0", False), ("rabbitmq:4", False)],
)
def test_the_version_beside_the_configuration(tmp_path: Path, image: str, fires: bool) -> None:
    (tmp_path / "rabbitmq.conf").write_text(CONF, encoding="utf-8")
    compose = f"services:\n  rabbit:\n    image: {image}\n"
    (tmp_path / "docker-compose.yml").write_text(compose, encoding="utf-8")
    found = [f for f in msglint.lint([str(tmp_path)]).findings if f.code == "RB307"]
    assert bool(found) is fires
    if fires:
        assert image.split(":")[1].split("-")[0] in found[0].message


def test_an_unknown_version_is_said_to_be_assumed(tmp_path: Path) -> None:
    (tmp_path / "rabbitmq.conf").write_text(CONF, encoding="utf-8")
    (finding,) = [f for f in msglint.lint([str(tmp_path)]).findings if f.code == "RB307"]
    assert "assumed" in finding.message


def test_a_quorum_queue_on_an_assumed_version_is_not_said_to_drop(tmp_path: Path) -> None:
    # RQ108: the RabbitmqCluster the Queue names is not in the tree, so its version is only assumed
    queue = (
        "apiVersion: rabbitmq.com/v1beta1\nkind: Queue\nmetadata:\n  name: qq\nspec:\n  name: qq\n"
        "  type: quorum\n  durable: true\n  rabbitmqClusterReference:\n    name: elsewhere\n"
    )
    (tmp_path / "queue.yaml").write_text(queue, encoding="utf-8")
    assert not [f for f in msglint.lint([str(tmp_path)]).findings if f.code == "RQ108"]
    cluster = "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata:\n  name: elsewhere\n"
    (tmp_path / "cluster.yaml").write_text(cluster + "spec:\n  image: rabbitmq:4.1.2\n", encoding="utf-8")
    assert [f.span.line for f in msglint.lint([str(tmp_path)]).findings if f.code == "RQ108"] == [6]  # spec.name
