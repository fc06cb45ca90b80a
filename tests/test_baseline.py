"""Adopting msglint on a repository with many findings: one --write-baseline, then only new ones fail."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from msglint.cli import main

PRODUCER = "acks=1\ncompression.type=lz4\n"
SECRET = 'sasl.jaas.config=PlainLoginModule required username="u" password="hunter2";\nacks=0\n'


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


def test_write_baseline_then_pass_then_fail_on_a_new_finding(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "producer.properties").write_text(PRODUCER)
    (repo / "client.properties").write_text(SECRET)
    base = tmp_path / "baseline.json"
    code, _, err = _run(str(repo), "--write-baseline", str(base))
    assert code == 0 and "wrote" in err
    stored = base.read_text()
    assert "hunter2" not in stored and "PlainLoginModule" not in stored  # hashes, never line text
    assert len(json.loads(stored)["findings"]) >= 3

    code, out, _ = _run(str(repo), "--baseline", str(base))
    assert code == 0 and "in the baseline not shown" in out

    # unrelated edits move the lines: still known
    (repo / "producer.properties").write_text("# the orders producer\n\nclient.id=orders\n" + PRODUCER)
    code, out, _ = _run(str(repo), "--baseline", str(base), "-q")
    assert code == 0, out

    # a new misconfiguration fails
    (repo / "consumer.properties").write_text("group.id=g\nenable.auto.commit=true\nauto.offset.reset=earliest\n")
    code, out, _ = _run(str(repo), "--baseline", str(base), "-q")
    assert code == 1 and "consumer.properties:2" in out and "producer.properties" not in out


def test_identical_lines_get_distinct_fingerprints_and_moves_keep_them() -> None:
    from msglint.baseline import fingerprint_all
    from msglint.model import Finding, Span

    def finding(line: int) -> Finding:
        return Finding("KP101", "producer-acks-not-all", "error", "app.yml", Span.point(line), f"at line {line}")

    text = {1: "  acks: 1", 2: "other: x", 5: "  acks:   1"}
    first = fingerprint_all([finding(1), finding(5)], lambda path, n: text.get(n, ""))
    assert first[0].fingerprint != first[1].fingerprint  # the same text twice: ranked :1 and :2
    moved = {3: "  acks: 1", 9: "  acks: 1"}
    second = fingerprint_all([finding(3), finding(9)], lambda path, n: moved.get(n, ""))
    assert [f.fingerprint for f in second] == [f.fingerprint for f in first]


def test_a_file_that_is_not_a_baseline_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "p.properties").write_text(PRODUCER)
    (tmp_path / "b.json").write_text("{}")
    code, _, err = _run(str(tmp_path / "p.properties"), "--baseline", str(tmp_path / "b.json"))
    assert code == 2 and "not a msglint baseline" in err


def test_stale_entries_are_found_and_pruned_keeping_the_format(tmp_path: Path) -> None:
    from msglint import baseline, engine

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "producer.properties").write_text(PRODUCER)
    (repo / "consumer.properties").write_text("group.id=g\nenable.auto.commit=true\n")
    base = tmp_path / "baseline.json"
    code, _, _ = _run(str(repo), "--write-baseline", str(base))
    assert code == 0
    before = json.loads(base.read_text())

    (repo / "producer.properties").write_text("acks=all\ncompression.type=lz4\n")  # KP101 fixed
    findings = engine.run([str(repo)], [], [], cwd=Path.cwd()).findings  # as the CLI ran
    gone = baseline.stale(base, findings)
    assert {e["code"] for e in gone} == {"KP101", "KP105"}  # acks=1 was both
    assert all(e["path"].endswith("producer.properties") for e in gone)
    # an entry this run could not have found (its code not run) is never stale
    assert baseline.stale(base, findings, lambda code, path: code == "KC201") == []

    assert baseline.prune(base, gone) == 2
    after = json.loads(base.read_text())
    assert after == {**before, "findings": [e for e in before["findings"] if e not in gone]}
    assert base.read_text() == baseline.render([f for f in findings if f.fingerprint in baseline.load(base)])
    assert baseline.stale(base, findings) == [] and baseline.prune(base, []) == 0
    code, out, _ = _run(str(repo), "--baseline", str(base), "-q")
    assert code == 0, out
