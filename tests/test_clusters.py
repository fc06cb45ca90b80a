"""Kafka clusters, topics and workloads: reading manifests, linking across files, environments."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from msglint import engine
from msglint.cli import main
from msglint.defaults import effective
from msglint.readers import template
from tests.conftest import write

KAFKA = """apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: {name}
  namespace: {ns}
spec:
  kafka:
    config:
      min.insync.replicas: 2
      default.replication.factor: 3
      auto.create.topics.enable: false
"""
POOL = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaNodePool
metadata:
  name: {name}
  namespace: {ns}
  labels:
    strimzi.io/cluster: {cluster}
spec:
  replicas: {replicas}
  roles: [{roles}]
"""
TOPIC = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: {name}
  namespace: {ns}
  labels:
    strimzi.io/cluster: {cluster}
spec:
  partitions: {partitions}
  replicas: {replicas}
"""


def entities(tmp_path: Path, files: dict[str, str]):
    write(tmp_path, files)
    from msglint.discover import discover
    from msglint.documents import read

    result = engine.Result()
    docs = [read(c, tmp_path) for c in discover([str(tmp_path)])]
    return engine.extract_all(docs, result)


def test_broker_count_is_the_sum_of_broker_pools_in_the_same_namespace(tmp_path: Path) -> None:
    files = {
        "k.yaml": KAFKA.format(name="prod", ns="kafka")
        + "---\n"
        + POOL.format(name="a", ns="kafka", cluster="prod", replicas=3, roles="broker")
        + "---\n"
        + POOL.format(name="b", ns="kafka", cluster="prod", replicas=2, roles="broker, controller")
        + "---\n"
        + POOL.format(name="c", ns="kafka", cluster="prod", replicas=3, roles="controller")
        + "---\n"
        + POOL.format(name="x", ns="other", cluster="prod", replicas=9, roles="broker")
    }
    (cluster,) = [e for e in entities(tmp_path, files) if e.kind == "kafka.cluster"]
    assert cluster.derived["brokers"].value == 5
    assert cluster.derived["controllers"].value == 5
    assert "KafkaNodePool a" in cluster.derived["brokers"].how


def test_topics_link_to_their_cluster_and_inherit_its_defaults(tmp_path: Path) -> None:
    files = {
        "k.yaml": KAFKA.format(name="prod", ns="kafka"),
        "t.yaml": TOPIC.format(name="orders", ns="kafka", cluster="prod", partitions=6, replicas=3),
    }
    (topic,) = [e for e in entities(tmp_path, files) if e.kind == "kafka.topic"]
    assert topic.one("cluster") is not None
    isr = effective(topic, "min.insync.replicas")
    assert isr is not None and isr.value == "2" and "k.yaml:9" in (isr.default_from or "")


def test_a_topic_without_its_cluster_has_unknown_defaults(lint) -> None:
    files = {"t.yaml": TOPIC.format(name="orders", ns="kafka", cluster="prod", partitions=6, replicas=3)}
    assert lint(files, select=("KT", "KX", "KS")).findings == []


def test_development_inferred_from_namespace_single_broker_and_localhost(tmp_path: Path) -> None:
    files = {
        "a.yaml": KAFKA.format(name="one", ns="team-dev"),
        "b.yaml": KAFKA.format(name="two", ns="kafka")
        + "---\n"
        + POOL.format(name="p", ns="kafka", cluster="two", replicas=1, roles="broker, controller"),
        "c/server.properties": "process.roles=broker,controller\nnode.id=1\nlisteners=PLAINTEXT://localhost:9092\n",
        "d.yaml": KAFKA.format(name="three", ns="kafka-prod"),
    }
    reasons = {e.name: e.environment for e in entities(tmp_path, files) if e.kind == "kafka.cluster"}
    assert reasons == {
        "one": "its namespace 'team-dev'",
        "two": "its single broker",
        "c/server.properties": "its listeners, on localhost only",
        "three": None,
    }


def test_one_development_finding_instead_of_one_per_topic(lint) -> None:
    single = (
        KAFKA.format(name="local", ns="kafka")
        .replace("default.replication.factor: 3", "default.replication.factor: 1")
        .replace("min.insync.replicas: 2", "min.insync.replicas: 1")
        + "      offsets.topic.replication.factor: 1\n      transaction.state.log.replication.factor: 1\n"
        "      transaction.state.log.min.isr: 1\n"
    )
    files = {
        "k.yaml": single
        + "---\n"
        + POOL.format(name="p", ns="kafka", cluster="local", replicas=1, roles="broker, controller"),
        "t.yaml": "---\n".join(
            TOPIC.format(name=f"t{i}", ns="kafka", cluster="local", partitions=1, replicas=1) for i in range(5)
        ),
    }
    result = lint(files)
    assert [f.code for f in result.findings] == ["KB208"]
    assert "single broker" in result.findings[0].message and "5 topics" in result.findings[0].message


def test_template_lines_keep_their_positions() -> None:
    text = "{{- if .Values.on }}\nname: {{ .Values.name }}\nreplicas: 3\n{{- end }}\n"
    neutral, blanked = template.neutralize(text)
    assert neutral.split("\n")[1] == "name: ${_______________}"
    assert len(neutral.split("\n")[1]) == len(text.split("\n")[1])
    assert blanked == {1, 4}


def test_templated_config_makes_defaults_unknown(lint) -> None:
    files = {
        "chart/templates/kafka.yaml": (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: {{ .Values.name }}\nspec:\n"
            "  kafka:\n    config:\n      {{- toYaml .Values.config | nindent 6 }}\n"
            "      unclean.leader.election.enable: true\n"
        )
    }
    result = lint(files)
    assert [(f.code, f.span.line) for f in result.findings] == [("KB205", 9)]  # no KB206/KB201 from defaults


def test_cross_file_finding_names_both_places_in_json(tmp_path: Path, monkeypatch) -> None:
    write(
        tmp_path,
        {
            "kafka/t.yaml": KAFKA.format(name="prod", ns="kafka").replace(
                "min.insync.replicas: 2", "min.insync.replicas: 1"
            )
            + "---\n"
            + TOPIC.format(name="orders", ns="kafka", cluster="prod", partitions=6, replicas=3),
            "svc/src/main/resources/application.yml": (
                "spring:\n  kafka:\n    producer:\n      acks: all\napp:\n  orders-topic: orders\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["--format", "json", "--select", "KX201", "."]).output
    (finding,) = json.loads(out)["findings"]
    assert finding["path"] == "kafka/t.yaml" and finding["line"] == 16
    related = {(r["path"], r["line"], r["message"]) for r in finding["related"]}
    assert related == {
        ("svc/src/main/resources/application.yml", 4, "producer asks acks=all"),
        ("svc/src/main/resources/application.yml", 6, "names topic orders"),
    }
    text = CliRunner().invoke(main, ["--select", "KX201", "."]).output
    assert "= related: svc/src/main/resources/application.yml:4:7: producer asks acks=all" in text


def test_workload_profile_and_autoscaler_decide_the_consumer_count(lint) -> None:
    files = {
        "t.yaml": TOPIC.format(name="orders", ns="kafka", cluster="prod", partitions=4, replicas=3),
        "svc/deploy.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc\nspec:\n  replicas: 1\n  template:\n"
            "    spec:\n      containers:\n        - name: svc\n          env:\n"
            "            - name: SPRING_PROFILES_ACTIVE\n              value: prod\n---\n"
            "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: svc\nspec:\n"
            "  scaleTargetRef:\n    name: svc\n  maxReplicas: 3\n"
        ),
        "svc/src/main/resources/application.yml": (
            "spring.kafka.consumer.group-id: svc\napp.topic: orders\nspring.kafka.listener.concurrency: 1\n"
        ),
        "svc/src/main/resources/application-prod.yml": "spring.kafka.listener.concurrency: 2\n",
    }
    result = lint(files, select=("KX202",))
    (finding,) = result.findings
    assert finding.profile == "prod" and finding.path == "svc/src/main/resources/application-prod.yml"
    assert "6 consumers" in finding.message and "HPA maxReplicas" in finding.message


def test_kafka_connect_overrides_are_clients_with_connect_defaults(lint) -> None:
    files = {
        "connect.yaml": (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaConnect\nmetadata:\n  name: cdc\nspec:\n"
            "  config:\n    producer.acks: 1\n    producer.compression.type: lz4\n    consumer.max.poll.records: 10\n"
        )
    }
    result = lint(files)
    assert [(f.code, f.span.line) for f in result.findings] == [("KP101", 7)]
    assert result.findings[0].fix is not None and result.findings[0].fix.snippet == "spec.config.producer.acks: all"


def test_bundled_cluster_fixtures_cover_every_new_rule() -> None:
    root = Path(__file__).resolve().parents[1]
    result = engine.run([str(root / "fixtures" / "strimzi"), str(root / "fixtures" / "broker")], cwd=root)
    codes = {f.code for f in result.findings}
    expected = {"KT101", "KT103", "KT104", "KT105", "KT107", "KB201", "KB202", "KB203", "KB204", "KB205"}
    expected |= {"KB206", "KB207", "KB208", "KS501", "KS502", "KS503", "KS504", "KS505", "KX201", "KX202", "MSG002"}
    assert expected <= codes
    assert not [f for f in result.findings if "/good/" in f.path]


def test_kustomize_patches_are_not_whole_objects(lint) -> None:
    base = KAFKA.format(name="events", ns="kafka") + "  zookeeper:\n    replicas: 3\n"
    base = base.replace("config:", "replicas: 3\n    config:")
    files = {
        "base/kafka.yaml": base,
        "base/kustomization.yaml": "resources:\n  - kafka.yaml\n",
        "overlays/prod/kafka-patch.yaml": (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: events\nspec:\n  kafka:\n"
            "    replicas: 5\n"
        ),
        "overlays/prod/kustomization.yaml": "resources:\n  - ../../base\npatches:\n  - path: kafka-patch.yaml\n",
    }
    assert lint(files, ignore=("KS505",)).findings == []


def test_ambiguous_overlays_link_nothing_rather_than_the_wrong_cluster(lint) -> None:
    files = {
        "base/topics.yaml": TOPIC.format(name="payments", ns="kafka", cluster="events", partitions=3, replicas=1),
        "overlays/dev/kafka.yaml": KAFKA.format(name="events", ns="kafka")
        + "---\n"
        + POOL.format(name="p", ns="kafka", cluster="events", replicas=1, roles="broker, controller"),
        "overlays/prod/kafka.yaml": KAFKA.format(name="events", ns="kafka")
        + "---\n"
        + POOL.format(name="p", ns="kafka", cluster="events", replicas=3, roles="broker, controller"),
    }
    result = lint(files, select=("KT101", "KS502"))
    assert [(f.code, f.path) for f in result.findings] == [("KT101", "base/topics.yaml")]


def test_broker_count_follows_what_strimzi_reads(tmp_path: Path) -> None:
    zk = KAFKA.format(name="zk", ns="kafka") + "    replicas: 5\n  zookeeper:\n    replicas: 3\n"
    zk = zk.replace("    config:", "    replicas: 5\n    config:").replace(
        "    replicas: 5\n  zookeeper", "  zookeeper"
    )
    v1 = (
        KAFKA.format(name="kraft", ns="kafka")
        .replace("v1beta2", "v1")
        .replace("    config:", "    replicas: 1\n    config:")
    )
    files = {
        "zk.yaml": zk + "---\n" + POOL.format(name="stray", ns="kafka", cluster="zk", replicas=1, roles="broker"),
        "v1.yaml": v1,
    }
    clusters = {e.name: e for e in entities(tmp_path, files) if e.kind == "kafka.cluster"}
    assert clusters["zk"].derived["brokers"].value == 5  # ZooKeeper without the annotation: spec.kafka.replicas
    assert "brokers" not in clusters["kraft"].derived  # KRaft: node pools, none here, so unknown
    assert clusters["kraft"].environment is None


def test_explicit_patch_file_is_known_as_a_patch(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "overlays/prod/kafka-patch.yaml": (
                "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: events\nspec:\n  kafka: {}\n"
            ),
            "overlays/prod/kustomization.yaml": "resources:\n  - ../../base\npatches:\n  - path: kafka-patch.yaml\n",
        },
    )
    result = engine.run([str(tmp_path / "overlays/prod/kafka-patch.yaml")], cwd=tmp_path)
    assert result.findings == [] and result.files == 1


def test_flow_maps_block_scalars_and_aliases_get_no_damaging_fix(lint) -> None:
    files = {
        "t.yaml": (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: a\n"
            "spec: {replicas: 3, config: {min.insync.replicas: 3}}\n---\n"
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: b\nspec:\n  replicas: 3\n"
            "  config:\n    min.insync.replicas: >-\n      3\n---\n"
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: c\nspec:\n  replicas: &n 3\n"
            "  config:\n    min.insync.replicas: *n\n"
        )
    }
    result = lint(files, select=("KT104",))
    assert [f.span.line for f in result.findings] == [5, 14, 24]
    flow, block, alias = result.findings
    assert flow.fix is not None and flow.fix.edits[0].content == "2"  # a value in a flow map: replaced in place
    assert block.fix is None and alias.fix is None
    assert alias.span.end_line == 24  # the alias's own line, not the anchor's
