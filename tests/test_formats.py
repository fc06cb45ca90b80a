"""Each output format, read back by a real consumer of it where one exists here."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
from click.testing import CliRunner

from msglint.cli import main

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
FILES = {
    "producer.properties": "acks=1\ncompression.type=lz4\n",  # KP101 with a fix
    "consumer.properties": "group.id=g\nauto.offset.reset=earliest\n",  # KC201 unset: no edit
    "topic.yaml": """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: orders
  labels:
    strimzi.io/cluster: main
spec:
  partitions: 3
  replicas: 3
  config:
    min.insync.replicas: 1
""",
    "weird, name%.properties": "acks=0\ncompression.type=lz4\n",
}


def _run(tmp_path: Path, *args: str) -> str:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(main, ["check", ".", *args], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    return result.stdout


def test_sarif_validates_against_the_official_schema(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    report = json.loads(_run(tmp_path, "--format", "sarif"))
    schema = json.loads(SCHEMA.read_text())
    # the schema's own meta-check trips on a known quirk: validate instances only
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(report), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors[:5]]
    run = report["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["partialFingerprints"]["msglint/v1"]
    kp101 = next(r for r in run["results"] if r["ruleId"] == "KP101" and "producer" in str(r["locations"]))
    assert kp101["level"] == "error" and kp101["fixes"][0]["artifactChanges"][0]["replacements"]
    assert kp101["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    rule = next(r for r in rules if r["id"] == "KP101")
    assert rule["help"]["text"] and rule["helpUri"].startswith("https://")
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "weird%2C%20name%25.properties" in uris


_COMMAND = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotations_parse_as_the_runner_parses_them(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    lines = _run(tmp_path, "--format", "github").splitlines()
    parsed = []
    for line in lines:
        match = _COMMAND.match(line)
        assert match, line
        props = dict(p.split("=", 1) for p in match.group(2).split(","))
        parsed.append((match.group(1), _unescape(props["file"]), int(props["line"]), _unescape(props["title"])))
    assert ("error", "producer.properties", 1, "KP101 producer-acks-not-all") in parsed
    assert any(file == "weird, name%.properties" for _, file, _, _ in parsed)


def test_junit_reads_back_with_junitparser(tmp_path: Path, monkeypatch) -> None:
    from junitparser import Failure, JUnitXml

    monkeypatch.chdir(tmp_path)
    report = tmp_path / "report.xml"
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(main, ["check", ".", "--format", "junit", "--output-file", str(report)])
    assert result.exit_code == 1 and result.stdout == ""
    xml = JUnitXml.fromfile(str(report))
    cases = [case for suite in xml for case in suite]
    assert cases and all(isinstance(case.result[0], Failure) for case in cases)
    assert any(case.name.startswith("KP101 producer.properties:1") for case in cases)


def test_junit_passes_what_fail_on_lets_through(tmp_path: Path, monkeypatch) -> None:
    from junitparser import Failure, JUnitXml

    monkeypatch.chdir(tmp_path)
    for name, text in FILES.items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(main, ["check", ".", "--format", "junit", "--fail-on", "error", "-o", "r.xml"])
    assert result.exit_code == 1
    cases = [case for suite in JUnitXml.fromfile("r.xml") for case in suite]
    failed = {case.name.split()[0] for case in cases if case.result and isinstance(case.result[0], Failure)}
    passed = [case for case in cases if case.is_passed]
    assert failed == {"KP101"} and passed  # the errors fail; warnings pass, their text kept
    assert all("[warning]" in (case.system_out or "") for case in passed)


def test_a_clean_junit_report_has_one_passing_case(tmp_path: Path, monkeypatch) -> None:
    from junitparser import JUnitXml

    monkeypatch.chdir(tmp_path)
    (tmp_path / "producer.properties").write_text("acks=all\ncompression.type=lz4\n")
    result = CliRunner().invoke(main, ["check", ".", "--format", "junit", "-o", "r.xml"])
    assert result.exit_code == 0
    cases = [case for suite in JUnitXml.fromfile("r.xml") for case in suite]
    assert len(cases) == 1 and cases[0].is_passed


def test_gitlab_code_quality_has_the_required_fields(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    issues = json.loads(_run(tmp_path, "--format", "gitlab"))
    assert issues and len({i["fingerprint"] for i in issues}) == len(issues)
    for issue in issues:
        assert {"description", "check_name", "fingerprint", "severity", "location"} <= set(issue)
        assert issue["severity"] in ("info", "minor", "major", "critical", "blocker")
        assert issue["location"]["path"] and issue["location"]["lines"]["begin"] >= 1


def test_statistics_count_findings_per_rule(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    out = _run(tmp_path, "--statistics")
    counts = {line.split()[1]: int(line.split()[0]) for line in out.splitlines()}
    assert counts["KP101"] == 2 and counts["KC201"] == 1
    assert list(counts.values()) == sorted(counts.values(), reverse=True)
    as_json = json.loads(_run(tmp_path, "--statistics", "--format", "json"))
    kp101 = {"code": "KP101", "name": "producer-acks-not-all", "severity": "error", "count": 2, "fixable": 2}
    assert kp101 in as_json


def test_progress_shows_on_a_terminal_after_a_moment_and_never_when_piped(tmp_path: Path, monkeypatch, capsys) -> None:
    from msglint import cli

    progress = cli._Progress()
    progress(25, 100)  # too soon: nothing
    assert capsys.readouterr().err == ""
    progress.start -= 1.0
    progress(25, 100)
    progress(26, 100)  # only every 25th file, and the last
    progress(100, 100)
    progress.done()
    err = capsys.readouterr().err
    assert "reading 25/100" in err and "26/100" not in err and "100/100" in err and err.endswith("\033[K")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", ".", "--format", "json"], catch_exceptions=False)
    assert "reading" not in result.stderr
