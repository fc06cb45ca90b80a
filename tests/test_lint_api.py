"""``msglint.lint``: the library call holds the run policy, so it finds what ``msglint check`` finds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import msglint
from msglint import baseline
from msglint.cli import main
from msglint.config import Config
from msglint.lint import LintError
from msglint.model import Result
from tests.conftest import write

FILES = {
    "producer.properties": "bootstrap.servers=k:9092\nacks=1\ncompression.type=lz4\n",
    "application.yml": "spring:\n  kafka:\n    producer:\n      acks: all\n      compression-type: zstd\n",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, FILES)
    return tmp_path


def _cli(*args: str) -> tuple[int, list[tuple[str, str, int, str]]]:
    out = CliRunner().invoke(main, ["check", ".", "--format", "json", *args], catch_exceptions=False)
    found = [(f["code"], f["path"], f["line"], f["severity"]) for f in json.loads(out.stdout)["findings"]]
    return out.exit_code, found


def _found(result: Result) -> list[tuple[str, str, int, str]]:
    return [(f.code, f.path, f.span.line, f.severity) for f in result.findings]


def test_lint_finds_what_the_cli_finds(project: Path) -> None:
    result = msglint.lint(["."])
    code, found = _cli()
    assert found and _found(result) == found
    assert result.exit_code() == code == 1
    assert result.files == 2 and not result.errors


def test_select_and_ignore_are_applied(project: Path) -> None:
    assert {f.code for f in msglint.lint(["."], select=["kp101"]).findings} == {"KP101"}
    ignored = msglint.lint(["."], ignore=["KP101"])
    assert "KP101" not in {f.code for f in ignored.findings}
    assert _found(ignored) == _cli("--ignore", "KP101")[1]
    with pytest.raises(LintError, match="`KP9999` is not a rule code"):
        msglint.lint(["."], select=["KP9999"])


def test_the_configuration_is_merged_as_the_cli_merges_it(project: Path) -> None:
    (project / "msglint.toml").write_text('ignore = ["KP101"]\n')
    result = msglint.lint(["."])
    assert "KP101" not in {f.code for f in result.findings}
    assert _found(result) == _cli()[1]
    explicit = msglint.lint(["."], Config(root=project))  # a Config given: the file is not read
    assert "KP101" in {f.code for f in explicit.findings}


def test_baseline_keeps_only_new_findings(project: Path) -> None:
    known = project / "baseline.json"
    baseline.write(known, msglint.lint(["."]).findings)
    result = msglint.lint(["."], baseline=known)
    assert result.findings == [] and result.baselined > 0 and result.exit_code() == 0
    assert _cli("--baseline", str(known)) == (0, [])
    (project / "baseline.json").write_text("not a baseline")
    with pytest.raises(LintError):
        msglint.lint(["."], baseline=known)


def test_severity_and_fail_on_decide_the_exit_code(project: Path) -> None:
    (project / "msglint.toml").write_text('[severity]\nKP101 = "info"\n')
    result = msglint.lint(["."], select=["KP101"])
    assert {f.severity for f in result.findings} == {"info"}
    assert result.exit_code() == _cli("--select", "KP101")[0] == 0
    assert result.exit_code("info") == 1
    (project / "msglint.toml").write_text('fail-on = "error"\n[severity]\nKP101 = "warning"\n')
    assert msglint.lint(["."], select=["KP101"]).exit_code() == _cli("--select", "KP101")[0] == 0
    assert msglint.lint(["."], select=["KP101"], fail_on="warning").exit_code() == 1


def test_engine_result_is_the_model_result() -> None:
    from msglint import engine

    assert engine.Result is Result
