"""The README stays true: its set-up commands are what CI runs, its rule table is the catalog."""

from __future__ import annotations

import re
from pathlib import Path

from msglint import catalog

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_ci_runs_the_readme_commands() -> None:
    blocks = re.findall(r"```sh\n(python3 -m venv[^\n]*)\n```", README)
    assert len(blocks) == 2, "the README has one install-and-run command and one test command"
    ci = (ROOT / ".ci" / "run").read_text()
    for command in blocks:
        for step in command.split(" && "):
            assert step in ci, f"CI does not run `{step}` from the README"
    assert "msglint fixtures/" in blocks[0] and blocks[1].endswith("pytest")


def test_rule_table_is_msglint_rules_markdown() -> None:
    from click.testing import CliRunner

    from msglint.cli import main

    table = CliRunner().invoke(main, ["rules", "--format", "markdown"]).output
    assert table.strip() in README, "regenerate the README's table with `msglint rules --format markdown`"
    rows = re.findall(r"^\| ([A-Z]+\d+) \| ([a-z0-9-]+) \| (\w+) \| (on|opt-in) \| (.+) \|$", table, re.M)
    assert {(c, n, s, d, summary) for c, n, s, d, summary in rows} == {
        (r.code, r.name, r.severity, "opt-in" if r.opt_in else "on", r.summary) for r in catalog.load()
    }


def test_the_cross_file_tour_is_what_msglint_prints(monkeypatch) -> None:
    from click.testing import CliRunner

    from msglint.cli import main

    monkeypatch.chdir(ROOT)
    output = CliRunner().invoke(main, ["fixtures/strimzi/bad", "--select", "KX"]).output
    for line in output.splitlines():
        if line.strip() and not line.startswith("Found "):
            assert line in README, f"README tour is stale: {line}"
