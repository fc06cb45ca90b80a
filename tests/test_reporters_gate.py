"""Issue 15's reporter points, on real runs: --statistics per format, JUnit that agrees with the exit
code, several outputs in one run, --color, and what a run that read nothing says."""

from __future__ import annotations

import io
import json
import os
import re
from dataclasses import replace
from pathlib import Path

import click
import jsonschema
import pytest
from junitparser import Failure, JUnitXml

from msglint import reporters
from msglint.model import Result
from msglint.reporters import Context, OutputError, text

SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
SECRET = "hunter2secret"
FILES = {
    # KP101 (error), KP105 (warning), KP302 (info, opt-in), each with a fix; a secret to keep out
    "producer.properties": (
        "acks=1\ncompression.type=none\nsecurity.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
        f'username="u" password="{SECRET}";\n'
    ),
    "consumer.properties": f"ssl.key.password={SECRET}\ngroup.id=g\nauto.offset.reset=earliest\n",  # KC201 (warning)
}


@pytest.fixture
def run(lint, tmp_path: Path, monkeypatch) -> Result:
    monkeypatch.chdir(tmp_path)
    result: Result = lint(FILES, select=("ALL",))
    assert {f.severity for f in result.findings} == {"error", "warning", "info"}
    return result


def _context(result: Result, tmp_path: Path, **kw: bool) -> Context:
    return Context(result.exit_code(), tmp_path, **kw)


# --statistics


def test_statistics_text_is_a_table_of_count_code_name_severity_fixable(run: Result, tmp_path: Path) -> None:
    table = reporters.render_statistics(run, "text", _context(run, tmp_path))
    rows = [line.split() for line in table.splitlines()]
    by_code = {row[1]: row for row in rows}
    assert by_code["KP101"][:4] == ["1", "KP101", "producer-acks-not-all", "error"]
    assert by_code["KP302"][3] == "info" and by_code["KP302"][4:] == ["1", "fixable"]
    assert sorted(by_code) == sorted({f.code for f in run.findings})
    # aligned: every name column starts at the same place
    assert len({line.index(row[2]) for line, row in zip(table.splitlines(), rows, strict=True)}) == 1
    assert reporters.render_statistics(Result(), "text") == ""


def test_statistics_json_is_a_list_and_sarif_a_valid_log_with_the_counts(run: Result, tmp_path: Path) -> None:
    listed = json.loads(reporters.render_statistics(run, "json", _context(run, tmp_path)))
    assert {"code": "KP101", "name": "producer-acks-not-all", "severity": "error", "count": 1, "fixable": 1} in listed
    assert sum(row["count"] for row in listed) == len(run.findings)
    assert json.loads(reporters.render_statistics(Result(), "json")) == []

    log = json.loads(reporters.render_statistics(run, "sarif", _context(run, tmp_path)))
    errors = list(jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(log))
    assert not errors, [e.message for e in errors[:3]]
    assert log["runs"][0]["properties"]["statistics"] == listed
    assert len(log["runs"][0]["results"]) == len(run.findings)  # code scanning still gets the findings


def test_statistics_in_junit_github_and_gitlab_are_one_entry_per_rule(run: Result) -> None:
    rows = reporters.statistics_rows(run)
    context = Context(run.exit_code(), Path.cwd())
    suite = next(iter(JUnitXml.fromstring(reporters.render_statistics(run, "junit", context))))
    cases = {case.name.split()[0]: case for case in suite}
    assert list(cases) == [row["code"] for row in rows]
    assert cases["KP302"].is_passed and not cases["KP101"].is_passed  # info passes under fail-on warning
    notices = reporters.render_statistics(run, "github", context).splitlines()
    assert len(notices) == len(rows) and notices[0].startswith(f"::notice title=msglint {rows[0]['code']} ")
    issues = json.loads(reporters.render_statistics(run, "gitlab", context))
    assert [i["check_name"].split()[0] for i in issues] == [row["code"] for row in rows]
    assert all(i["location"]["path"] for i in issues)


def test_the_older_statistics_call_still_answers(run: Result, tmp_path: Path) -> None:
    assert text.statistics(run) == text.statistics_table(run)
    assert json.loads(text.statistics(run, as_json=True)) == reporters.statistics_rows(run)


# JUnit


def _cases(report: str) -> dict[str, object]:
    return {case.name.split()[0]: case for suite in JUnitXml.fromstring(report) for case in suite}


def test_junit_passes_findings_below_fail_on_with_their_text(run: Result) -> None:
    assert run.fail_on == "warning"
    report = reporters.render("junit", run, Context(run.exit_code(), Path.cwd()))
    cases = _cases(report)
    info = cases["KP302"]
    assert info.is_passed and "KP302 [info] compression.type=none" in info.system_out
    assert all(isinstance(cases[c].result[0], Failure) for c in ("KP101", "KP105", "KC201"))
    suite = next(iter(JUnitXml.fromstring(report)))
    assert (suite.tests, suite.failures) == (len(run.findings), len(run.findings) - 1)


def test_junit_fails_every_finding_under_fail_on_info_and_passes_all_under_error(run: Result) -> None:
    strict = _cases(reporters.render("junit", replace(run, fail_on="info"), Context(1, Path.cwd())))
    assert all(not case.is_passed for case in strict.values())
    lenient = _cases(reporters.render("junit", replace(run, fail_on="error"), Context(1, Path.cwd())))
    assert [code for code, case in lenient.items() if not case.is_passed] == ["KP101"]


# several outputs


def test_output_specs_parse_and_unknown_formats_list_the_choices() -> None:
    assert reporters.parse_output_spec("json:out.json") == ("json", "out.json")
    assert reporters.parse_output_spec("sarif:reports/a:b.sarif") == ("sarif", "reports/a:b.sarif")
    assert reporters.parse_output_spec("text") == ("text", None)
    assert reporters.parse_output_spec("text:-") == ("text", None)
    with pytest.raises(
        OutputError, match=r"unknown output format 'xml'.*: choose from text, json, sarif, github, junit, gitlab$"
    ):
        reporters.parse_output_spec("xml:out.xml")
    with pytest.raises(OutputError, match="names no file"):
        reporters.parse_output_spec("json:")
    assert reporters.parse_outputs(["text", "gitlab:gl.json"], statistics=True)[1] == ("gitlab", "gl.json")
    assert reporters.parse_outputs(["text", "gitlab:gl.json"]) == [("text", None), ("gitlab", "gl.json")]
    with pytest.raises(OutputError, match="only one report can go to standard output"):
        reporters.parse_outputs(["text", "json"])
    with pytest.raises(OutputError, match=re.escape("two reports would be written to b/../a.json")):
        reporters.parse_outputs(["json:a.json", "sarif:b/../a.json"])


# a finding on the very line of a secret: the excerpt shows that line
ON_A_SECRET = (
    'spring: {kafka: {producer: {acks: 1}, properties: {sasl.jaas.config: "org.apache.kafka.common.security.plain.'
    f'PlainLoginModule required username=\\"u\\" password=\\"{SECRET}\\";"}}}}}}\n'
)


def test_write_outputs_writes_every_format_and_never_a_secret(lint, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    run: Result = lint({**FILES, "application.yml": ON_A_SECRET}, select=("ALL",))
    stream = io.StringIO()
    specs = [f"{fmt}:out.{fmt}" for fmt in reporters.FORMATS if fmt != "text"] + ["text"]
    reporters.write_outputs(run, specs, _context(run, tmp_path), stream=stream)
    written = {fmt: (tmp_path / f"out.{fmt}").read_text() for fmt in reporters.FORMATS if fmt != "text"}
    assert written["json"] == reporters.render("json", run, _context(run, tmp_path)) + "\n"
    assert len(json.loads(written["sarif"])["runs"][0]["results"]) == len(run.findings)
    assert len(json.loads(written["gitlab"])) == len(run.findings)
    assert sum(1 for suite in JUnitXml.fromstring(written["junit"]) for _ in suite) == len(run.findings)
    assert stream.getvalue() == reporters.render("text", run, _context(run, tmp_path)) + "\n"
    assert "****" in stream.getvalue()  # the secret's line is shown, masked
    for report in [*written.values(), stream.getvalue()]:
        assert SECRET not in report
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]  # no temporary file left


def test_write_outputs_renders_everything_before_writing_anything(run: Result, tmp_path: Path) -> None:
    (tmp_path / "kept.json").write_text("old")
    with pytest.raises(OutputError, match="xml"):
        reporters.write_outputs(run, ["json:kept.json", "xml:r.xml"], _context(run, tmp_path), statistics=True)
    assert (tmp_path / "kept.json").read_text() == "old" and not (tmp_path / "r.xml").exists()
    protected = {tmp_path / "producer.properties": "one of the files being checked"}
    with pytest.raises(
        OutputError, match=re.escape("refusing to write the report: producer.properties is one of the files")
    ):
        reporters.write_outputs(run, ["json:producer.properties"], _context(run, tmp_path), protected=protected)
    assert (tmp_path / "producer.properties").read_text() == FILES["producer.properties"]
    with pytest.raises(OutputError, match="cannot write the report"):
        reporters.write_outputs(run, ["json:missing/dir/r.json"], _context(run, tmp_path))


def test_statistics_go_to_every_output_in_its_format(run: Result, tmp_path: Path) -> None:
    stream = io.StringIO()
    reporters.write_outputs(run, ["json:s.json", "text"], _context(run, tmp_path), statistics=True, stream=stream)
    assert json.loads((tmp_path / "s.json").read_text()) == reporters.statistics_rows(run)
    assert stream.getvalue() == text.statistics_table(run) + "\n"


# colour


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(
    ("choice", "tty", "env", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": ""}, True),  # no-color.org: only a non-empty value counts
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": ""}, False),
        ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ("always", False, {"NO_COLOR": "1"}, True),
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_use_color(choice: str, tty: bool, env: dict[str, str], expected: bool) -> None:
    assert reporters.use_color(choice, _Stream(tty), env) is expected


def test_use_color_reads_the_environment_and_refuses_other_choices(monkeypatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert reporters.use_color("auto", _Stream(False))
    with pytest.raises(OutputError, match="auto, always or never"):
        reporters.use_color("sometimes", _Stream(True))


def test_colour_marks_codes_and_severities_and_nothing_else(run: Result, tmp_path: Path) -> None:
    plain = reporters.render("text", run, _context(run, tmp_path))
    coloured = reporters.render("text", run, _context(run, tmp_path, colour=True))
    assert "\033[" not in plain
    assert click.unstyle(coloured) == plain  # off, the bytes are today's; on, only escapes are added
    assert click.style("KP101", fg="red", bold=True) in coloured
    assert f"[{click.style('info', fg='blue')}]" in coloured
    table = reporters.render_statistics(run, "text", _context(run, tmp_path, colour=True))
    assert click.unstyle(table) == reporters.render_statistics(run, "text", _context(run, tmp_path))


# a run that reads nothing


def test_a_run_that_reads_no_file_says_what_msglint_reads(lint, tmp_path: Path) -> None:
    empty: Result = lint({"notes.txt": "acks=1\n", "ci.yml": "on: push\n"})
    assert empty.files == 0
    report = reporters.render("text", empty, Context(empty.exit_code(), tmp_path))
    first, second = report.splitlines()[-2:]
    assert first == "All checks passed (0 files read)."
    assert second.startswith("msglint reads: Kafka client and broker .properties, Spring Boot application*")
    for kind in ("Kubernetes manifests", "rabbitmq.conf", "NATS server .conf", "Python and Java sources"):
        assert kind in second
    some: Result = lint({"producer.properties": "acks=all\n"})
    assert "msglint reads" not in reporters.render("text", some, Context(0, tmp_path))
