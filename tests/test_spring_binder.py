"""The Kafka clients Spring Cloud Stream's Kafka binder creates: the client configuration it merges
from spring.kafka, its binder-level maps and each binding's own map, and what it overrides."""

from __future__ import annotations

from pathlib import Path

import msglint
from msglint.defaults import effective
from msglint.documents import Document
from msglint.extract import spring_boot
from msglint.readers import yaml

GRADLE_KAFKA = "dependencies {\n    implementation 'org.springframework.cloud:spring-cloud-stream-binder-kafka'\n}\n"
GRADLE_RABBIT = "dependencies {\n    implementation 'org.springframework.cloud:spring-cloud-stream-binder-rabbit'\n}\n"


def _found(tmp_path: Path, yml: str, build: str | None = GRADLE_KAFKA) -> list[tuple[str, int]]:
    (tmp_path / "application.yml").write_text(yml, encoding="utf-8")
    if build is not None:
        (tmp_path / "build.gradle").write_text(build, encoding="utf-8")
    result = msglint.lint([str(tmp_path)])
    assert result.errors == []
    return sorted((f.code, f.span.line) for f in result.findings if not f.code.startswith("CS"))


BINDINGS = """\
      bindings:
        process-in-0:
          destination: orders
          group: billing
        process-out-0:
          destination: invoices
"""


def test_binder_level_configuration_reaches_the_consumer_and_producer(tmp_path: Path) -> None:
    yml = (
        "spring:\n  cloud:\n    stream:\n"
        + BINDINGS
        + """\
      kafka:
        binder:
          configuration:
            session.timeout.ms: 5000
            acks: 0
          producer-properties:
            linger.ms: 0
"""
    )
    found = _found(tmp_path, yml)
    # session.timeout.ms is a consumer key (KC212); acks a producer key (KP101); linger.ms info (KP301)
    assert ("KC212", 13) in found
    assert ("KP101", 14) in found
    assert ("KP301", 16) in found


def test_the_binder_drops_auto_commit_from_spring_kafka_and_its_own_maps(tmp_path: Path) -> None:
    """Regression: KC201 fired on spring.kafka.consumer.enable-auto-commit=true in a Spring Cloud Stream
    application, which the binder ignores (filterStreamManagedConfiguration)."""
    yml = (
        "spring:\n  kafka:\n    consumer:\n      enable-auto-commit: true\n  cloud:\n    stream:\n"
        + BINDINGS
        + "      kafka:\n        binder:\n          configuration:\n            enable.auto.commit: true\n"
    )
    assert _found(tmp_path, yml) == []


def test_a_bindings_own_configuration_is_not_filtered(tmp_path: Path) -> None:
    yml = (
        "spring:\n  cloud:\n    stream:\n"
        + BINDINGS
        + """\
      kafka:
        bindings:
          process-in-0:
            consumer:
              configuration:
                enable.auto.commit: true
"""
    )
    assert _found(tmp_path, yml) == [("KC201", 15)]


def test_the_binding_configuration_overrides_the_binder_level_one(tmp_path: Path) -> None:
    yml = (
        "spring:\n  cloud:\n    stream:\n"
        + BINDINGS
        + """\
      kafka:
        binder:
          producer-properties:
            acks: 1
        bindings:
          process-out-0:
            producer:
              configuration:
                acks: all
"""
    )
    assert _found(tmp_path, yml) == []


def test_spring_kafka_reaches_the_binders_clients(tmp_path: Path) -> None:
    yml = "spring:\n  kafka:\n    properties:\n      session.timeout.ms: 4000\n  cloud:\n    stream:\n" + BINDINGS
    assert _found(tmp_path, yml) == [("KC211", 4), ("KC212", 4)]


def test_no_client_when_the_bindings_run_on_the_rabbit_binder(tmp_path: Path) -> None:
    yml = (
        "spring:\n  kafka:\n    properties:\n      session.timeout.ms: 4000\n  cloud:\n    stream:\n"
        + BINDINGS
        + "      kafka:\n        binder:\n          configuration:\n            acks: 0\n"
    )
    assert _found(tmp_path, yml, GRADLE_RABBIT) == []


def test_no_client_when_the_binder_is_unknown(tmp_path: Path) -> None:
    # no build file, and kafka.binder.* is read by the Kafka Streams binder too: not judged
    yml = "spring:\n  cloud:\n    stream:\n" + BINDINGS + "      kafka:\n        binder:\n          configuration:\n"
    yml += "            acks: 0\n"
    assert _found(tmp_path, yml, None) == []


def test_a_transactional_binder_makes_no_producer_here(tmp_path: Path) -> None:
    yml = (
        "spring:\n  cloud:\n    stream:\n"
        + BINDINGS
        + """\
      kafka:
        binder:
          transaction:
            transaction-id-prefix: tx-
          producer-properties:
            acks: 1
"""
    )
    assert [c for c, _ in _found(tmp_path, yml) if c.startswith("KP")] == []


def test_a_start_offset_sets_auto_offset_reset_and_a_group_its_default(tmp_path: Path) -> None:
    text = (
        "spring:\n  cloud:\n    stream:\n"
        + BINDINGS
        + "        audit-in-0:\n          destination: orders\n"
        + "      kafka:\n        bindings:\n          process-in-0:\n"
        + "            consumer:\n              start-offset: latest\n"
    )
    path = tmp_path / "application.yml"
    path.write_text(text, encoding="utf-8")
    document = Document(path, "application.yml", "spring-config", "yaml", text.splitlines(), yaml=yaml.parse(text))

    def fail(what: str, exc: Exception) -> None:
        raise exc

    consumers = {
        e.name: e
        for e in spring_boot.extract([document], fail)
        if e.kind == "kafka.consumer" and e.client == "scs-kafka"
    }
    process = effective(consumers["process-in-0"], "auto.offset.reset")
    assert process is not None and process.value == "latest" and process.explicit
    audit = effective(consumers["audit-in-0"], "auto.offset.reset")  # no group: anonymous
    assert audit is not None and audit.value == "latest" and not audit.explicit
    commit = effective(consumers["process-in-0"], "enable.auto.commit")
    assert commit is not None and commit.value == "false" and "binder" in (commit.default_from or "")


def test_a_binders_environment_configures_the_bindings_on_it(tmp_path: Path) -> None:
    yml = """\
spring:
  cloud:
    stream:
      bindings:
        process-out-0:
          destination: invoices
          binder: left
        audit-out-0:
          destination: audit
          binder: right
      binders:
        left:
          type: kafka
          environment:
            spring:
              cloud:
                stream:
                  kafka:
                    binder:
                      producer-properties:
                        acks: 1
        right:
          type: kafka
          environment:
            spring.cloud.stream.kafka.binder.brokers: right:9092
"""
    # the producer of process-out-0 takes acks=1 from its binder's environment; audit-out-0's does not
    found = _found(tmp_path, yml)
    assert ("KP101", 21) in found
    assert len([c for c, _ in found if c == "KP101"]) == 1
