"""Cases a review found: false positives, missed failures, crashes and leaks. Each stays fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import engine
from msglint.cli import main
from tests.conftest import write

BASE = (
    "spring:\n  kafka:\n    consumer:\n      group-id: billing\n      auto-offset-reset: earliest\n"
    "    producer:\n      compression-type: zstd\n"
)


def codes(result: engine.Result) -> list[tuple[str, str, int]]:
    return [(f.code, f.path, f.span.line) for f in result.findings]


def test_a_profile_file_named_alone_is_checked_with_its_base(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/main/resources/application.yml": BASE + "      acks: 1\n",
            "src/main/resources/config/application-prod.yml": "spring.kafka.consumer.max-poll-records: 100\n",
            "src/test/resources/application-test.yml": "spring.kafka.consumer.max-poll-records: 50\n",
        },
    )
    for name in ("src/main/resources/config/application-prod.yml", "src/test/resources/application-test.yml"):
        result = engine.run([str(tmp_path / name)], cwd=tmp_path)
        assert result.findings == [] and result.files == 1, codes(result)
    # the whole tree: the base file's own finding, once, and nothing about the profiles
    assert {c for c, _, _ in codes(engine.run([str(tmp_path)], cwd=tmp_path))} == {"KP101", "KP105"}


def test_no_auto_commit_finding_without_a_group(lint) -> None:
    result = lint({"consumer.properties": "bootstrap.servers=k:9092\nauto.offset.reset=earliest\n"}, select=("KC",))
    assert codes(result) == []


def test_kafka_streams_shared_keys_make_no_plain_clients(lint) -> None:
    text = (
        "spring:\n  kafka:\n    properties:\n      max.poll.records: 100\n      acks: all\n"
        "    streams:\n      application-id: orders-aggregator\n"
    )
    assert codes(lint({"application.yml": text})) == []


def test_spring_cloud_stream_named_group_starts_at_earliest(lint) -> None:
    text = (
        "spring:\n  cloud:\n    stream:\n      bindings:\n        in-0:\n          destination: orders\n"
        "          group: billing\n  kafka:\n    consumer:\n      max-poll-records: 100\n"
    )
    assert codes(lint({"application.yml": text}, select=("KC202",))) == []


def test_client_file_with_spring_deserializer_keys_is_still_a_client_file(lint) -> None:
    text = (
        "group.id=billing\nauto.offset.reset=earliest\nenable.auto.commit=false\nsession.timeout.ms=3000\n"
        "spring.json.trusted.packages=com.example\n"
    )
    got = codes(lint({"consumer.properties": text}))
    assert got == [("KC210", "consumer.properties", 4), ("KC212", "consumer.properties", 4)]


def test_yaml_1_1_booleans_are_what_spring_boot_reads(lint) -> None:
    text = (
        "spring:\n  kafka:\n    consumer:\n      group-id: billing\n      auto-offset-reset: earliest\n"
        "      properties:\n        enable.auto.commit: yes\n    listener:\n      ack-mode: manual\n"
        "    producer:\n      properties:\n        enable.idempotence: off\n"
    )
    got = {c for c, _, _ in codes(lint({"application.yml": text}))}
    assert {"KC203", "KP102"} <= got
    assert "KX101" not in got


def test_transactional_producer_without_idempotence_does_not_start(lint) -> None:
    text = "transactional.id=orders-tx\nenable.idempotence=false\nacks=all\n"
    result = lint({"producer.properties": text}, select=("KP103", "KP105"))
    assert codes(result) == [("KP103", "producer.properties", 2)]
    assert "Cannot set a transactional.id" in result.findings[0].message


def test_duplicate_yaml_keys_are_a_parse_error(lint) -> None:
    text = "spring:\n  kafka:\n    producer:\n      acks: all\nspring:\n  application:\n    name: x\n"
    result = lint({"application.yml": text})
    assert codes(result) == [("MSG001", "application.yml", 5)]
    assert "first written at line 1" in result.findings[0].message


def test_a_recursive_alias_hides_nothing(lint) -> None:
    result = lint(
        {
            "a/application.yml": "spring:\n  kafka:\n    producer: &p\n      acks: all\n      self: *p\n",
            "b/application.yml": "spring:\n  kafka:\n    producer:\n      acks: 1\n",
        },
        select=("KP101",),
    )
    assert not result.errors
    assert codes(result) == [("KP101", "b/application.yml", 4)]


@pytest.mark.parametrize("text", ["acks=all\n\\\n", "acks=all\r\n\\", "\\"])
def test_a_lone_continuation_backslash_is_not_a_crash(lint, text: str) -> None:
    assert not lint({"producer.properties": text}).errors


def test_negated_profile_applies_to_the_default_run(lint) -> None:
    text = (
        "spring:\n  kafka:\n    consumer:\n      group-id: billing\n      auto-offset-reset: earliest\n---\n"
        'spring:\n  config:\n    activate:\n      on-profile: "!local"\n  kafka:\n    consumer:\n'
        "      enable-auto-commit: true\n    listener:\n      ack-mode: manual\n"
    )
    result = lint({"application.yml": text}, select=("KC203",))
    assert [(f.code, f.profile) for f in result.findings] == [("KC203", None)]


def test_schema_registry_credentials_and_unbound_secret_keys_stay_masked(tmp_path: Path, monkeypatch) -> None:
    secret = "srSecretValue987"
    write(
        tmp_path,
        {
            "producer.properties": f"basic.auth.user.info=SRKEY:{secret}\nbootstrap.servers=k:9092\n",
            "application.yml": (
                "spring:\n  kafka:\n    consumer:\n      group-id: g\n      auto-offset-reset: earliest\n"
                f"      ssl-keystore-password: {secret}\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json"):
        out = CliRunner().invoke(main, ["--format", fmt, "--fail-on", "info", "."]).output
        assert secret not in out
    payload = json.loads(CliRunner().invoke(main, ["--format", "json", "."]).output)
    ks401 = next(f for f in payload["findings"] if f["code"] == "KS401")
    assert "is not a Spring Boot property" in ks401["message"]
    text = CliRunner().invoke(main, ["."]).output
    assert "is not a Spring Boot property" in text  # messages are not mangled by masking


def test_yaml_1_1_integers_are_what_spring_boot_reads(lint) -> None:
    text = "spring:\n  kafka:\n    producer:\n      retries: 0x0\n      batch-size: 1_024\n      acks: 01\n"
    result = lint({"application.yml": text}, select=("KX101", "KP104", "KP101"))
    assert [(f.code, f.span.line) for f in result.findings] == [("KP104", 4), ("KP101", 6)]


@pytest.mark.parametrize(
    ("text", "quoted", "bound"),
    [
        ("30000", False, "30000"),
        ("0x1F", False, "31"),
        ("010", False, "8"),
        ("1_000", False, "1000"),
        ("0", False, "0"),
        ("0b11", False, "3"),
        ("08", False, "08"),
        ("010", True, "010"),
        ("on", False, "true"),
        ("On", True, "On"),
        ("all", False, "all"),
    ],
)
def test_scalar_text_as_snakeyaml_resolves_it(text: str, quoted: bool, bound: str) -> None:
    from msglint.model import Span
    from msglint.readers.tree import Scalar, yaml11_text

    assert yaml11_text(Scalar(Span.point(1), text, "str", quoted)) == bound
