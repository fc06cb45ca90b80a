"""The default rule set: opt-in rules run only when a selector names them."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import catalog, engine
from msglint.cli import main
from msglint.config import Config
from tests.conftest import write

CONSUMER = {"consumer.properties": "bootstrap.servers=kafka:9092\ngroup.id=billing\nenable.auto.commit=false\n"}


def _codes(result: engine.Result) -> set[str]:
    return {f.code for f in result.findings}


def test_opt_in_rules_are_declared_in_the_catalog() -> None:
    opt_in = {r.code for r in catalog.load() if r.opt_in}
    assert {"KC202", "KP302", "KT106", "RQ106", "KL303"} <= opt_in
    assert not any(r.opt_in for r in catalog.load() if r.severity == "error"), "an error is never opt-in"


@pytest.mark.parametrize(
    ("select", "extend", "fires"),
    [
        ((), (), False),  # the default set
        (("KC202",), (), True),  # named by code
        (("KC",), (), True),  # named by prefix
        (("ALL",), (), True),
        ((), ("KC202",), True),  # the default set, extended
        (("KP",), (), False),  # a selection that does not name it
    ],
)
def test_selection_of_an_opt_in_rule(tmp_path: Path, select, extend, fires) -> None:
    write(tmp_path, CONSUMER)
    result = engine.run([str(tmp_path)], list(select), [], cwd=tmp_path, config=Config(extend_select=list(extend)))
    assert ("KC202" in _codes(result)) is fires


def test_ignore_beats_extend_select(tmp_path: Path) -> None:
    write(tmp_path, CONSUMER)
    result = engine.run([str(tmp_path)], [], ["KC202"], cwd=tmp_path, config=Config(extend_select=["KC202"]))
    assert "KC202" not in _codes(result)


def test_cli_extend_select_and_configuration(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, CONSUMER)
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert "KC202" not in runner.invoke(main, ["."]).output
    assert "KC202" in runner.invoke(main, [".", "--extend-select", "KC202"]).output
    (tmp_path / "msglint.toml").write_text('extend-select = ["KC202"]\n', encoding="utf-8")
    assert "KC202" in runner.invoke(main, ["."]).output
    typo = runner.invoke(main, [".", "--extend-select", "KC299"])
    assert typo.exit_code == 2


def test_rules_listing_shows_the_default_state() -> None:
    runner = CliRunner()
    text = runner.invoke(main, ["rules"]).output
    line = next(x for x in text.splitlines() if x.startswith("KC202"))
    assert "opt-in" in line
    assert " on " in next(x for x in text.splitlines() if x.startswith("KP101"))
    import json

    listed = {r["code"]: r["default"] for r in json.loads(runner.invoke(main, ["rules", "--format", "json"]).output)}
    assert listed["KC202"] is False and listed["KP101"] is True
