"""The command line as users and CI see it: output, exit codes, selection, secrets."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import catalog, engine
from msglint.cli import main
from tests.conftest import write

BAD = {
    "producer.properties": (
        "bootstrap.servers=k:9092\nacks=1\ncompression.type=lz4\nmax.in.flight.requests.per.connection=1\n"
    ),
    "application.yml": "spring:\n  kafka:\n    producer:\n      acks: all\n      compression-type: zstd\n",
}
SECRET = "hunter2-do-not-leak"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)

    def invoke(*args: str, files: dict[str, str | bytes] | None = None):
        if files:
            write(tmp_path, files)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def test_findings_exit_1_with_ruff_style_text(run) -> None:
    result = run(".", files=BAD)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[0].startswith("producer.properties:2:1: KP101 [*] [error] acks=1")
    assert lines[2] == "2 | acks=1" and lines[3] == "  | ^^^^^^"
    assert "= fix: Set `acks` to `all`" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal
    assert result.output.rstrip().endswith("in 2 files read.\n[*] 1 fixable with --fix.")


def test_default_path_is_the_current_directory(run) -> None:
    assert run(files=BAD).exit_code == 1


def test_clean_exit_0(run) -> None:
    result = run(".", files={"producer.properties": "acks=all\ncompression.type=lz4\n"})
    assert result.exit_code == 0 and "All checks passed" in result.output


def test_fail_on_threshold(run) -> None:
    files = {"producer.properties": "acks=all\n"}  # only the compression hint (info, opt-in)
    assert run(".", "--extend-select", "KP302", files=files).exit_code == 0
    assert run(".", "--fail-on", "info", "--extend-select", "KP302").exit_code == 1
    assert run(".", "--fail-on", "info").exit_code == 0  # KP302 is not in the default set
    assert run(".", "--fail-on", "error", "--select", "KP302").exit_code == 0


def test_select_and_ignore_by_prefix(run) -> None:
    write_files = {"consumer.properties": "group.id=g\nsession.timeout.ms=3000\n"}
    out = run(".", "--format", "json", "--select", "KC2", "--ignore", "KC21", files=write_files)
    codes = {f["code"] for f in json.loads(out.output)["findings"]}
    assert codes == {"KC201", "KC202"}
    out = run(".", "--format", "json", "--select", "KC212")
    assert {f["code"] for f in json.loads(out.output)["findings"]} == {"KC212"}


def test_json_output_is_the_documented_object(run) -> None:
    result = run("--format", "json", ".", files=BAD)
    assert result.exit_code == 1
    payload = json.loads(result.output)
    assert set(payload) == {"version", "findings", "errors", "summary"}
    finding = payload["findings"][0]
    assert set(finding) == {
        "code",
        "name",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
        "profile",
        "fingerprint",
        "fix",
        "related",
    }
    assert (finding["code"], finding["path"], finding["line"], finding["column"]) == (
        "KP101",
        "producer.properties",
        2,
        1,
    )
    assert finding["fix"]["edits"][0] == {
        "path": "producer.properties",
        "line": 2,
        "column": 6,
        "end_line": 2,
        "end_column": 7,
        "content": "all",
    }
    assert payload["summary"]["by_severity"] == {"error": 1, "warning": 0, "info": 0}
    assert payload["summary"]["exit_code"] == 1


def test_quiet_prints_one_line_per_finding(run) -> None:
    result = run("-q", ".", files=BAD)
    assert result.output.strip().splitlines() == [
        "producer.properties:2:1: KP101 [*] [error] acks=1: a write is acknowledged before any follower has it, "
        "so losing the leader loses acknowledged records"
    ]


def test_usage_errors_exit_2(run) -> None:
    assert run("does-not-exist/").exit_code == 2
    assert run(".", "--format", "xml").exit_code == 2
    assert run("explain", "NOPE999").exit_code == 2


def test_parse_errors_are_findings_and_other_files_still_report(run) -> None:
    files = {
        **BAD,
        "svc/application.yml": "spring:\n  kafka:\n    producer:\n      acks: [1\n",
        "svc2/application.yml": b"spring:\n  kafka:\n    producer:\n      client-id: caf\xe9\n",
    }
    result = run("--format", "json", ".", files=files)
    findings = json.loads(result.output)["findings"]
    got = {(f["code"], f["path"]) for f in findings}
    assert ("MSG001", "svc/application.yml") in got
    assert ("MSG001", "svc2/application.yml") in got
    assert ("KP101", "producer.properties") in got
    assert result.exit_code == 1


def test_a_crashing_rule_is_reported_and_hides_nothing(run, monkeypatch: pytest.MonkeyPatch) -> None:
    import msglint.checks.producer as producer

    def boom(entity, options):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(producer, "batching_disabled", boom)
    catalog._function.cache_clear()
    try:
        result = run("--format", "json", ".", files={"producer.properties": "acks=1\nlinger.ms=0\n"})
    finally:
        catalog._function.cache_clear()
    payload = json.loads(result.output)
    assert result.exit_code == 2
    assert any("KP301" in e and "kaboom" in e for e in payload["errors"])
    assert any(f["code"] == "KP101" for f in payload["findings"])


def test_secrets_never_appear_in_any_output(run) -> None:
    files = {
        "producer.properties": (
            "acks=1\n"
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\\n"
            f'    username="u" password="{SECRET}";\n'
            f"ssl.key.password={SECRET}\n"
        ),
        # a parse error on the line that holds the secret
        "application.yml": f"spring:\n  kafka:\n    properties:\n      ssl.truststore.password: {SECRET}: x\n",
        "application.properties": (
            f"spring.kafka.producer.ssl.key-password={SECRET}\nspring.kafka.producer.password={SECRET}\n"
        ),
    }
    for fmt in ("text", "json"):
        result = run("--format", fmt, "--fail-on", "info", ".", files=files)
        assert result.exit_code == 1
        assert SECRET not in result.output
    text = run(".").output
    assert "ssl.truststore.password: ****" in text  # the parse error's excerpt is masked


def test_rules_lists_every_rule(run) -> None:
    result = run("rules")
    assert result.exit_code == 0
    for rule in catalog.load():
        assert rule.code in result.output and rule.name in result.output
    payload = json.loads(run("rules", "--format", "json").output)
    assert {r["code"] for r in payload} == {r.code for r in catalog.load()}


@pytest.mark.parametrize("rule", catalog.load(), ids=lambda r: r.code)
def test_explain_covers_every_rule(run, rule: catalog.Rule) -> None:
    result = run("explain", rule.code)
    assert result.exit_code == 0
    for heading in (
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## Fix",
        "## References",
    ):
        assert heading in result.output
    assert run("explain", rule.name).output == result.output


def test_version_and_module_entry_point() -> None:
    out = subprocess.run([sys.executable, "-m", "msglint", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("msglint, version ")


def test_bundled_fixtures_give_findings_in_every_family() -> None:
    root = Path(__file__).resolve().parents[1]
    result = engine.run([str(root / "fixtures")], cwd=root)
    paths = {f.path.split("/")[1] for f in result.findings}
    assert {"kafka-client", "spring-yaml", "spring-properties", "broken"} <= paths
    assert not [f for f in result.findings if "/good/" in f.path]
    assert not result.errors


def test_colour_only_on_a_terminal(tmp_path: Path) -> None:
    write(tmp_path, BAD)
    env = {**os.environ, "NO_COLOR": "1"}
    out = subprocess.run([sys.executable, "-m", "msglint", str(tmp_path)], capture_output=True, text=True, env=env)
    assert out.returncode == 1 and "\x1b[" not in out.stdout


def test_only_relevant_skips_named_files_that_cannot_matter(run) -> None:
    files = {"ci.yml": "on: [push\n", "messages.properties": "a=\\u00G1\n", "producer.properties": "acks=1\n"}
    result = run("--format", "json", "ci.yml", "messages.properties", "producer.properties", files=files)
    assert {f["path"] for f in json.loads(result.output)["findings"]} >= {"ci.yml", "messages.properties"}
    result = run("--format", "json", "--only-relevant", "ci.yml", "messages.properties", "producer.properties")
    assert {f["path"] for f in json.loads(result.output)["findings"]} == {"producer.properties"}
