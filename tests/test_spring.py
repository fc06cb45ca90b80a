"""Spring Boot configuration: relaxed binding, precedence, profiles, conversions."""

from __future__ import annotations

import pytest

from msglint import engine
from msglint.defaults import effective
from msglint.documents import Document
from msglint.extract import spring_boot
from msglint.readers import properties, yaml


def _entities(tmp_path, files: dict[str, str]):
    docs = []
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        if name.endswith(".properties"):
            docs.append(
                Document(path, name, "spring-config", "properties", text.splitlines(), entries=properties.parse(text))
            )
        else:
            docs.append(Document(path, name, "spring-config", "yaml", text.splitlines(), yaml=yaml.parse(text)))

    def fail(what: str, exc: Exception) -> None:
        raise exc

    return spring_boot.extract(docs, fail)


def _one(entities, kind: str, profile: str | None = None):
    (found,) = [e for e in entities if e.kind == kind and e.profile == profile]
    return found


@pytest.mark.parametrize(
    "line",
    [
        "spring.kafka.consumer.enable-auto-commit=true",
        "spring.kafka.consumer.enableAutoCommit=true",
        "spring.kafka.consumer.enable_auto_commit=true",
        "SPRING.KAFKA.CONSUMER.ENABLE-AUTO-COMMIT=true",
        "spring.kafka.consumer.properties[enable.auto.commit]=true",
        "spring.kafka.consumer.properties.enable.auto.commit=true",
        "spring.kafka.properties[enable.auto.commit]=true",
    ],
)
def test_relaxed_names_bind_to_the_kafka_key(tmp_path, line: str) -> None:
    consumer = _one(_entities(tmp_path, {"application.properties": line + "\n"}), "kafka.consumer")
    setting = consumer.get("enable.auto.commit")
    assert setting is not None and setting.value == "true" and setting.origin.span.line == 1


def test_precedence_shared_then_typed_then_client_map(tmp_path) -> None:
    text = "spring.kafka.producer.properties[acks]=all\nspring.kafka.producer.acks=1\nspring.kafka.properties.acks=0\n"
    producer = _one(_entities(tmp_path, {"application.properties": text}), "kafka.producer")
    assert producer.get("acks").value == "all" and producer.get("acks").origin.span.line == 1


def test_shared_keys_alone_make_only_the_client_they_belong_to(tmp_path) -> None:
    text = (
        "spring.kafka.bootstrap-servers=k:9092\n"
        "spring.kafka.properties.acks=1\n"
        "spring.kafka.properties.sasl.mechanism=PLAIN\n"
    )
    kinds = {e.kind for e in _entities(tmp_path, {"application.properties": text})}
    assert kinds == {"kafka.producer"}


def test_no_kafka_client_configured_means_no_entity(tmp_path) -> None:
    assert _entities(tmp_path, {"application.yml": "spring:\n  kafka:\n    bootstrap-servers: k:9092\n"}) == []


def test_durations_sizes_and_enums_convert(tmp_path) -> None:
    text = (
        "spring:\n  kafka:\n    consumer:\n      heartbeat-interval: 2s\n      max-poll-interval: PT5M\n"
        "      isolation-level: READ-COMMITTED\n      fetch-min-size: 1KB\n"
        "    producer:\n      batch-size: 64KB\n    listener:\n      ack-mode: manualImmediate\n"
    )
    entities = _entities(tmp_path, {"application.yml": text})
    consumer = _one(entities, "kafka.consumer")
    assert consumer.get("heartbeat.interval.ms").value == "2000"
    assert consumer.get("max.poll.interval.ms").value == "300000"
    assert consumer.get("isolation.level").value == "read_committed"
    assert consumer.get("fetch.min.bytes").value == "1024"
    assert _one(entities, "kafka.producer").get("batch.size").value == "65536"
    assert _one(entities, "kafka.listener").get("ack-mode").value == "manual_immediate"


def test_placeholders_are_unknown_values(tmp_path) -> None:
    producer = _one(
        _entities(tmp_path, {"application.properties": "spring.kafka.producer.acks=${ACKS:1}\n"}), "kafka.producer"
    )
    assert producer.get("acks").value is None


def test_spring_defaults_differ_from_the_raw_client(tmp_path) -> None:
    consumer = _one(_entities(tmp_path, {"application.yml": "spring.kafka.consumer.group-id: g\n"}), "kafka.consumer")
    auto = effective(consumer, "enable.auto.commit")
    assert auto.value == "false" and not auto.explicit and "Spring Kafka" in auto.default_from


def test_profile_documents_and_files(tmp_path) -> None:
    files = {
        "application.yml": (
            "spring.kafka.producer.acks: all\n---\nspring.config.activate.on-profile: dev\n"
            "spring.kafka.producer.acks: 1\n"
        ),
        "application-prod.properties": "spring.kafka.producer.acks=0\n",
    }
    entities = _entities(tmp_path, files)
    assert _one(entities, "kafka.producer").get("acks").value == "all"
    assert _one(entities, "kafka.producer", "dev").get("acks").value == "1"
    assert _one(entities, "kafka.producer", "prod").get("acks").value == "0"


def test_properties_override_yaml_in_the_same_directory(tmp_path) -> None:
    files = {
        "application.yml": "spring.kafka.producer.acks: 1\n",
        "application.properties": "spring.kafka.producer.acks=all\n",
    }
    assert _one(_entities(tmp_path, files), "kafka.producer").get("acks").value == "all"


def test_findings_name_the_profile_and_are_not_repeated(lint) -> None:
    result = lint(
        {
            "application.yml": (
                "spring:\n  kafka:\n    producer:\n      acks: 1\n---\nspring:\n  config:\n    activate:\n"
                "      on-profile: prod\n  kafka:\n    producer:\n      acks: 0\n---\nspring:\n  config:\n"
                "    activate:\n      on-profile: staging\n  kafka:\n    producer:\n      retries: 3\n"
            )
        },
        select=("KP101",),
    )
    got = [(f.span.line, f.profile) for f in result.findings]
    assert got == [(4, None), (12, "prod")]  # staging repeats the default's finding: reported once
    assert result.findings[1].message.startswith("[profile prod] acks=0")


def test_the_same_mistake_in_three_syntaxes_is_the_same_rule_at_its_line(lint) -> None:
    result = lint(
        {
            "a/producer.properties": "bootstrap.servers=k:9092\n\nacks=1\n",
            "b/application.yml": "spring:\n  kafka:\n    producer:\n      retries: 2\n      acks: 1\n",
            "c/application.properties": "spring.kafka.producer.retries=2\nspring.kafka.producer.acks=1\n",
        },
        select=("KP101",),
    )
    assert [(f.code, f.path, f.span.line, f.span.column) for f in result.findings] == [
        ("KP101", "a/producer.properties", 3, 1),
        ("KP101", "b/application.yml", 5, 7),
        ("KP101", "c/application.properties", 2, 1),
    ]
    assert {f.fix.snippet for f in result.findings} == {
        "acks=all",
        "spring.kafka.producer.acks: all",
        "spring.kafka.producer.acks=all",
    }


def test_good_fixtures_have_no_findings_at_all() -> None:
    from pathlib import Path

    root = Path(__file__).resolve().parents[1] / "fixtures"
    for good in sorted(root.glob("*/good")):
        result = engine.run([str(good)], cwd=root)
        assert result.findings == [] and result.errors == [], (good, [(f.code, f.message) for f in result.findings])


_STREAM_BINDING = (
    "spring:\n  cloud:\n    stream:\n      bindings:\n        process-in-0:\n          destination: orders\n"
)


@pytest.mark.parametrize(
    "binder",
    [
        # spring.cloud.stream.kafka.binder.* is read by the Kafka Streams binder too: the binder is unknown
        "      kafka:\n        binder:\n          brokers: kafka:9092\n",
        "      kafka:\n        streams:\n          binder:\n            application-id: counts\n",
        "      default-binder: kstream\n",
        "      kinesis:\n        binder:\n          auto-create-stream: true\n",
    ],
    ids=["kafka-binder-keys-only", "kafka-streams", "kstream-type", "kinesis"],
)
def test_a_binding_whose_binder_the_configuration_does_not_show_is_not_judged(lint, binder: str) -> None:
    """Regression (spring-cloud-stream-samples kafka-streams-inventory-count, multi-binder-kafka-streams,
    kinesis-produce-consume): Kafka Streams and other binders have no consumer group to miss."""
    result = lint({"src/main/resources/application.yml": _STREAM_BINDING + binder}, select=("CS",))
    assert result.findings == [] and result.errors == []


def test_a_stream_group_does_not_put_a_consumer_trait_on_the_producer(lint) -> None:
    """Regression (spring-cloud-stream-samples kafka-batch-sample): a named group and Spring Kafka
    producer settings in one file made an internal error (scst-named-group on the producer)."""
    files = {
        "application.yml": _STREAM_BINDING + "          group: billing\n  kafka:\n    producer:\n      acks: all\n"
    }
    result = lint(files)
    assert result.errors == []
