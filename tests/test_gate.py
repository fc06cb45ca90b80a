"""The gate agrees with itself: a named file is judged as `msglint .` judges it, the argument order
does not matter, every named file gets an answer, a rule's name is as good as its code, and the CLI
takes its options anywhere."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint.cli import main
from tests.conftest import write
from tests.test_precommit import KAFKA, POOL, TOPIC


def _msglint(cwd: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    run = subprocess.run(["msglint", *args], cwd=cwd, capture_output=True, text=True, input=stdin, timeout=120)
    return run.returncode, run.stdout, run.stderr


@pytest.fixture
def repository(tmp_path: Path) -> Path:
    write(tmp_path, {"platform/kafka.yaml": KAFKA, "platform/pool.yaml": POOL, "apps/topic.yaml": TOPIC})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_a_named_file_is_judged_with_its_repository(repository: Path) -> None:
    code, out, _ = _msglint(repository, "-q", "apps/topic.yaml")
    assert code == 1 and out.startswith("apps/topic.yaml:10:3: KT105"), out
    # the pool alone: the topic it no longer fits is reported, because the finding names the pool
    code, out, _ = _msglint(repository, "-q", "platform/pool.yaml")
    assert code == 1 and "apps/topic.yaml:10:3: KT105" in out, out
    # the cluster file alone is fine, and says so
    code, out, _ = _msglint(repository, "-q", "platform/kafka.yaml")
    assert (code, out) == (0, ""), out


def test_argument_order_does_not_change_the_result(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "a/msglint.toml": 'ignore = ["producer-acks-not-all"]\n',  # a rule's name, as good as its code
            "a/producer.properties": "acks=1\n",
            "b/producer.properties": "acks=1\n",
        },
    )
    forward = _msglint(tmp_path, "-q", "--select", "KP101", "a", "b")
    backward = _msglint(tmp_path, "-q", "--select", "KP101", "b", "a")
    assert forward == backward
    code, out, _ = forward
    assert code == 1 and out.splitlines() == [line for line in out.splitlines() if line.startswith("b/")], out
    settings = json.loads(_msglint(tmp_path, "--show-settings", "b", "a")[1])
    assert [(s["paths"], s["configuration"] and Path(s["configuration"]).name) for s in settings] == [
        (["b"], None),
        (["a"], "msglint.toml"),
    ]
    assert settings[1]["ignore"] == ["KP101"]
    # --isolated: no configuration at all, so a's ignore is gone
    code, out, _ = _msglint(tmp_path, "-q", "--isolated", "--select", "KP101", "a", "b")
    assert code == 1 and "a/producer.properties:1:1: KP101" in out


def test_a_configuration_below_a_walked_directory_judges_its_own_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "msglint.toml": 'ignore = ["KP105"]\n',
            "legacy/msglint.toml": 'ignore = ["producer-acks-not-all"]\n[severity]\nKP104 = "info"\n',
            "legacy/producer.properties": "acks=1\nretries=0\n",
            "app/producer.properties": "acks=1\nretries=0\n",
        },
    )
    code, out, _ = _msglint(tmp_path, "-q", ".")
    assert code == 1
    assert sorted(line.split(" [")[0] for line in out.splitlines()) == [
        "app/producer.properties:1:1: KP101",
        "app/producer.properties:2:1: KP104",
        "legacy/producer.properties:2:1: KP104",
    ]
    assert "legacy/producer.properties:2:1: KP104 [info]" in out  # re-graded by legacy's configuration
    assert _msglint(tmp_path, "-q", ".", "legacy") == _msglint(tmp_path, "-q", "legacy", ".")
    # --isolated: neither configuration
    assert "legacy/producer.properties:1:1: KP101" in _msglint(tmp_path, "-q", "--isolated", ".")[1]


def test_an_unknown_rule_id_is_a_usage_error_with_a_suggestion(tmp_path: Path) -> None:
    write(tmp_path, {"producer.properties": "acks=1\n"})
    code, out, err = _msglint(tmp_path, "--select", "producer-acks-not-all", "-q", ".")
    assert code == 1 and "KP101" in out
    code, _, err = _msglint(tmp_path, "--select", "producer-acks-not-al", ".")
    assert code == 2 and "did you mean `KP101 (producer-acks-not-all)`" in err
    code, out, _ = _msglint(tmp_path, "explain", "producer-acks-not-all")
    assert code == 0 and "KP101" in out


def test_every_named_file_gets_an_answer(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "kafka-prod.cfg": "acks=1\n",
            "roles/app/templates/application.yml.j2": (
                "spring:\n  kafka:\n    bootstrap-servers: {{ servers }}\n{% if tuned %}\n"
                "    producer:\n      acks: 1\n{% endif %}\n"
            ),
        },
    )
    code, out, _ = _msglint(tmp_path, "-q", "kafka-prod.cfg")
    assert code == 0 and out.startswith("kafka-prod.cfg:1:1: MSG004 [info] not read:"), out
    assert _msglint(tmp_path, "-q", "--fail-on", "info", "kafka-prod.cfg")[0] == 1
    code, out, _ = _msglint(tmp_path, "-q", "roles/app/templates/application.yml.j2")
    assert code == 1 and "application.yml.j2:6:7: KP101" in out, out
    (tmp_path / "empty").mkdir()
    code, out, _ = _msglint(tmp_path, "empty")
    assert code == 0 and "0 files read" in out and "msglint reads:" in out


def test_standard_input_is_judged_as_the_file_it_stands_for(repository: Path) -> None:
    edited = TOPIC.replace("replicas: 5", "replicas: 3")
    assert _msglint(repository, "-q", "-", "--stdin-filename", "apps/topic.yaml", stdin=edited)[:2] == (0, "")
    code, out, _ = _msglint(repository, "-q", "-", "--stdin-filename", "apps/topic.yaml", stdin=TOPIC)
    assert code == 1 and out.startswith("apps/topic.yaml:10:3: KT105")  # with its repository's cluster
    code, out, _ = _msglint(repository, "-q", "-", "--stdin-filename", "new/producer.properties", stdin="acks=1\n")
    assert code == 1 and out.startswith("new/producer.properties:1:1: KP101")  # not on disk yet
    assert _msglint(repository, "-")[0] == 2  # no --stdin-filename


def test_the_cli_takes_options_anywhere_and_help_as_a_command(tmp_path: Path) -> None:
    write(tmp_path, {"rules/producer.properties": "acks=1\n"})
    code, out, _ = _msglint(tmp_path, "--format", "json", "rules")
    assert code == 0 and any(r["code"] == "KP101" for r in json.loads(out))
    code, out, _ = _msglint(tmp_path, "help")
    assert code == 0 and "Lint options" in out and "--select" in out and "--fail-on" in out
    assert "Usage: msglint rules" in _msglint(tmp_path, "help", "rules")[1]
    assert _msglint(tmp_path, "--exit-zero", "-q", "check", "rules")[:2][0] == 0
    files = _msglint(tmp_path, "--show-files", "check", "rules")[1]
    assert files.splitlines() == ["rules/producer.properties  kafka-properties  properties  (walked)"]


def test_several_reports_from_one_run(tmp_path: Path) -> None:
    write(tmp_path, {"producer.properties": "acks=1\n"})
    code, out, _ = _msglint(tmp_path, ".", "--output-format", "text", "--output-format", "sarif:out.sarif", "-q")
    assert code == 1 and "KP101" in out
    sarif = json.loads((tmp_path / "out.sarif").read_text())
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"KP101"}
    code, out, _ = _msglint(tmp_path, ".", "--statistics", "--format", "sarif")
    assert code == 1 and json.loads(out)["runs"][0]["properties"]["statistics"]
    code, out, _ = _msglint(tmp_path, ".", "--statistics", "--format", "junit")
    assert code == 1 and '<testcase classname="msglint" name="KP101 producer-acks-not-all">' in out


def test_a_baseline_reports_its_stale_entries_and_prunes_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    Path("producer.properties").write_text("acks=1\nenable.idempotence=false\n")
    assert runner.invoke(main, [".", "--write-baseline", "base.json"]).exit_code == 0
    Path("producer.properties").write_text("acks=all\n")  # every finding fixed
    result = runner.invoke(main, [".", "--baseline", "base.json"])
    assert result.exit_code == 0 and "no longer match any finding" in result.stderr
    result = runner.invoke(main, [".", "--baseline", "base.json", "--prune-baseline"])
    assert result.exit_code == 0 and "pruned" in result.stderr
    assert json.loads(Path("base.json").read_text())["findings"] == []
    assert "no longer match" not in runner.invoke(main, [".", "--baseline", "base.json"]).stderr
