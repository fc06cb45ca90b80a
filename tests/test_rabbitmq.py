"""RabbitMQ: readers, the effective configuration of a queue, Spring AMQP, secrets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import engine
from msglint.cli import main
from msglint.readers import ParseError, conf, shell
from tests.conftest import write


def definitions(queues: list[dict], policies: list[dict], operator: list[dict] | None = None) -> str:
    return json.dumps({"queues": queues, "policies": policies, "operator_policies": operator or []}, indent=2)


def queue(name: str, **arguments: object) -> dict:
    return {"name": name, "vhost": "/", "durable": True, "auto_delete": False, "arguments": arguments}


def policy(name: str, pattern: str, priority: int = 0, apply_to: str = "all", **definition: object) -> dict:
    return {
        "vhost": "/",
        "name": name,
        "pattern": pattern,
        "apply-to": apply_to,
        "priority": priority,
        "definition": definition,
    }


def entities(tmp_path: Path, files: dict[str, str]):
    from msglint.discover import discover
    from msglint.documents import read

    write(tmp_path, files)
    return engine.extract_all([read(c, tmp_path) for c in discover([str(tmp_path)])], engine.Result())


class TestConf:
    def test_entries_comments_and_positions(self) -> None:
        entries = conf.parse("# comment\n\nvm_memory_high_watermark.relative = 0.6\n  log.file=false\n")
        assert [(e.key, e.value, e.key_span.line, e.key_span.column) for e in entries] == [
            ("vm_memory_high_watermark.relative", "0.6", 3, 1),
            ("log.file", "false", 4, 3),
        ]
        assert entries[0].value_span.column == 37

    def test_a_line_without_equals_is_a_parse_error(self) -> None:
        with pytest.raises(ParseError) as info:
            conf.parse("a = 1\n  oops\n")
        assert (info.value.line, info.value.column) == (2, 3)

    def test_embedded_text_is_placed_in_its_file(self) -> None:
        (entry,) = conf.parse("disk_free_limit.absolute = 2GB\n", first_line=12, indent=6)
        assert (entry.key_span.line, entry.key_span.column) == (12, 7)


class TestEffectiveConfiguration:
    def test_highest_priority_policy_applies_and_no_merge(self, tmp_path: Path) -> None:
        text = definitions(
            [queue("orders")],
            [
                policy("low", ".*", 0, **{"message-ttl": 1000, "max-length": 10}),
                policy("high", "^ord", 5, **{"max-length": 99}),
            ],
        )
        (q,) = [e for e in entities(tmp_path, {"definitions.json": text}) if e.kind == "rabbit.queue"]
        assert q.one("policy").name == "high"
        from msglint.rabbit.policies import effective

        assert effective(q, "message-ttl") is None  # the lower-priority policy does not apply at all
        assert effective(q, "max-length").source == "policy high"

    def test_apply_to_and_vhost_and_operator_limits(self, tmp_path: Path) -> None:
        text = definitions(
            [queue("a", **{"x-queue-type": "quorum", "x-max-length": 500}), queue("b")],
            [policy("classic-only", ".*", 0, "classic_queues", **{"max-length": 1})],
            [policy("cap", ".*", 0, "queues", **{"max-length": 100})],
        )
        found = {e.name: e for e in entities(tmp_path, {"definitions.json": text}) if e.kind == "rabbit.queue"}
        from msglint.rabbit.policies import effective

        assert found["a"].one("policy") is None  # a quorum queue: classic_queues does not match
        limit = effective(found["a"], "max-length")
        assert limit is not None and limit.setting.value == "100" and limit.source == "operator policy cap"
        assert effective(found["b"], "max-length").setting.value == "1"

    def test_argument_wins_for_non_limits(self, tmp_path: Path) -> None:
        text = definitions(
            [queue("q", **{"x-dead-letter-exchange": "mine"})],
            [policy("p", ".*", **{"dead-letter-exchange": "theirs"})],
        )
        (q,) = [e for e in entities(tmp_path, {"definitions.json": text}) if e.kind == "rabbit.queue"]
        from msglint.rabbit.policies import effective

        assert effective(q, "dead-letter-exchange").setting.value == "mine"

    def test_a_policy_is_reported_once_naming_its_queues(self, lint) -> None:
        text = definitions([queue(f"q{i}") for i in range(7)], [policy("ha", ".*", **{"ha-mode": "all"})])
        result = lint({"definitions.json": text}, select=("RQ101",))
        (finding,) = result.findings
        assert "it applies to 7 queues: q0, q1, q2, q3, q4 and 2 more" in finding.message
        assert len(finding.related) == 7


def test_shell_commands_with_continuations_and_json_positions() -> None:
    text = '#!/bin/sh\nrabbitmqctl set_policy DLX ".*" \\\n  \'{"dead-letter-exchange":"dlx"}\' --apply-to queues\n'
    (command,) = shell.parse(text)
    assert command.words[:3] == ["set_policy", "DLX", ".*"]
    span, value = command.json_keys["dead-letter-exchange"]
    assert (span.line, span.column, value) == (3, 5, "dlx")
    assert shell.parse("rabbitmqctl set_policy p '.*' \"$DEFINITION\"\n")[0].json_keys == {}


def test_advanced_config_never_fails_on_erlang_terms(lint) -> None:
    files = {
        "advanced.config": "[{rabbit, [{tcp_listen_options, [{backlog, 128}]}, {consumer_timeout, undefined}, {{}}\n"
    }
    result = lint(files)
    assert not result.errors
    assert [f.code for f in result.findings] == ["RB304"]


def test_spring_rabbit_profiles_and_container_type(lint) -> None:
    base = "spring:\n  rabbitmq:\n    listener:\n      type: direct\n      direct:\n        prefetch: 5000\n"
    files = {"application.yml": base, "application-prod.yml": "spring.rabbitmq.listener.direct.prefetch: 0\n"}
    result = lint(files, select=("RS202",))
    assert {(f.path, f.profile) for f in result.findings} == {
        ("application.yml", None),
        ("application-prod.yml", "prod"),
    }


def test_nothing_secret_from_definitions_in_any_output(tmp_path: Path, monkeypatch) -> None:
    secret = "Bx4qBR0hh0gQCx2Tt0fnYb1CGnZp"
    write(
        tmp_path,
        {
            "definitions.json": json.dumps(
                {"users": [{"name": "guest", "password_hash": secret, "tags": ["administrator"]}], "queues": []}
            ),
            "rabbitmq.conf": (
                f"default_pass = {secret}\ndefault_user = admin\nvm_memory_high_watermark.relative = 0.95\n"
            ),
        },
    )
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json"):
        output = CliRunner().invoke(main, ["--format", fmt, "--fail-on", "info", "."]).output
        assert secret not in output and "RB303" in output


def test_bundled_rabbitmq_fixtures_cover_every_rule() -> None:
    root = Path(__file__).resolve().parents[1]
    result = engine.run([str(root / "fixtures" / "rabbitmq")], ["ALL"], cwd=root)  # RQ106 is opt-in
    codes = {f.code for f in result.findings}
    expected = (
        {f"RQ10{i}" for i in range(1, 8)} | {f"RS20{i}" for i in (1, 2, 3, 5)} | {"RB301", "RB302", "RB303", "RB304"}
    )
    assert expected <= codes
    assert not [f for f in result.findings if "/good/" in f.path]


class TestReviewedSemantics:
    """RabbitMQ's own rules (rabbit_policy, rabbit_queue_type, rabbit_quorum_queue) that a review
    found the first model missing."""

    def test_a_policy_with_keys_the_queue_type_lacks_does_not_apply(self, lint) -> None:
        text = definitions(
            [queue("orders", **{"x-queue-type": "quorum"}), queue("emails")],
            [
                policy("ha-legacy", ".*", 10, "queues", **{"ha-mode": "all", "max-length": 100000}),
                policy("qq", ".*", 0, "quorum_queues", **{"delivery-limit": 5, "dead-letter-exchange": "dlx"}),
                policy("safety", ".*", 20, "queues", **{"delivery-limit": 5, "overflow": "reject-publish"}),
            ],
        )
        result = lint({"definitions.json": text}, select=("RQ103", "RQ104"))
        # orders (quorum): ha-legacy cannot apply, safety wins (limit 5, reject-publish): nothing to say
        # emails (classic): safety cannot apply (delivery-limit), ha-legacy bounds it with drop-head
        assert [(f.code, "emails" in f.message) for f in result.findings] == [("RQ104", True)]

    def test_quorum_overflow_from_policy_and_negative_delivery_limit_loses(self, tmp_path: Path) -> None:
        text = definitions(
            [queue("q", **{"x-queue-type": "quorum", "x-delivery-limit": -1, "x-overflow": "reject-publish"})],
            [policy("p", ".*", 0, "quorum_queues", **{"delivery-limit": 10, "overflow": "drop-head"})],
        )
        (q,) = [e for e in entities(tmp_path, {"definitions.json": text}) if e.kind == "rabbit.queue"]
        from msglint.rabbit.policies import effective

        assert effective(q, "delivery-limit").setting.value == "10"
        assert effective(q, "overflow").setting.value == "drop-head"

    def test_catastrophic_or_pcre_patterns_are_not_evaluated(self, lint) -> None:
        text = definitions([queue("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!")], [policy("p", "^(a+)+$", 0)])
        assert not lint({"definitions.json": text}).errors  # returns at once instead of backtracking

    def test_a_bound_from_a_policy_is_reported_once_at_the_policy(self, lint) -> None:
        text = definitions([queue("a"), queue("b")], [policy("caps", ".*", **{"max-length": 10})])
        (finding,) = lint({"definitions.json": text}, select=("RQ104",)).findings
        assert "policy caps bounds 2 queues (a, b)" in finding.message

    def test_topology_queue_gets_no_fix_and_additional_config_positions(self, lint) -> None:
        files = {
            "k.yaml": (
                "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata:\n  name: b\nspec:\n  replicas: 3\n"
                "  rabbitmq:\n    additionalConfig:\n      |\n      vm_memory_high_watermark.relative = 0.95\n---\n"
                "apiVersion: rabbitmq.com/v1beta1\nkind: Queue\nmetadata:\n  name: q\nspec:\n  name: q\n"
                "  durable: false\n  rabbitmqClusterReference:\n    name: b\n"
            )
        }
        result = lint(files, select=("RB301", "RQ105"))
        assert [(f.code, f.span.line, f.span.column, f.fix is None) for f in result.findings] == [
            ("RB301", 10, 7, False),
            ("RQ105", 18, 3, True),
        ]

    def test_conf_d_fragments_are_one_node_and_scripts_prose_is_skipped(self, lint) -> None:
        files = {
            "rabbitmq/conf.d/10-defaults.conf": "listeners.tcp.default = 5672\n",
            "rabbitmq/conf.d/30-limits.conf": "disk_free_limit.absolute = 4GB\n",
            "run.sh": (
                "cat <<EOF\nrabbitmqctl won't answer before boot.\nEOF\n"
                "rabbitmqctl set_policy q '.*' '{\"queue-mode\":\"lazy\"}'\n"
            ),
        }
        result = lint(files)
        assert [f.code for f in result.findings] == ["RQ102"]
        assert not result.errors
