"""-o and --write-baseline never clobber an input, never follow a link out of the tree, and replace
their file whole or not at all."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import output
from msglint.cli import main

PRODUCER = "acks=1\ncompression.type=lz4\n"  # KP101
DEFINITIONS = '{"rabbit_version": "3.13.7", "queues": [{"name": "q", "vhost": "/", "durable": false}]}\n'


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working tree (the current directory) with a producer file and a definitions file."""
    root = tmp_path / "tree"
    root.mkdir()
    (root / "producer.properties").write_text(PRODUCER)
    (root / "definitions.json").write_text(DEFINITIONS)
    monkeypatch.chdir(root)
    return root


def test_a_report_over_the_named_file_is_refused(tree: Path) -> None:
    code, out, err = _run("producer.properties", "-o", "producer.properties")
    assert code == 2 and out == ""
    assert "refusing to write the report: producer.properties is one of the files being checked" in err
    assert (tree / "producer.properties").read_text() == PRODUCER


def test_a_report_over_a_walked_file_is_refused(tree: Path) -> None:
    code, _, err = _run(".", "--format", "json", "-o", "definitions.json")
    assert code == 2 and "one of the files being checked" in err
    assert (tree / "definitions.json").read_text() == DEFINITIONS
    # the same path spelt another way
    code, _, err = _run(".", "-o", "./sub/../definitions.json")
    assert code == 2 and (tree / "definitions.json").read_text() == DEFINITIONS


def test_a_symbolic_or_hard_link_to_an_input_is_refused(tree: Path) -> None:
    (tree / "report.txt").symlink_to(tree / "producer.properties")
    os.link(tree / "producer.properties", tree / "hard.txt")
    for name in ("report.txt", "hard.txt"):
        code, _, err = _run("producer.properties", "-o", name)
        assert code == 2 and "one of the files being checked" in err, name
    assert (tree / "producer.properties").read_text() == PRODUCER
    assert (tree / "report.txt").is_symlink()


def test_the_baseline_input_is_not_a_report_destination(tree: Path) -> None:
    assert _run(".", "--write-baseline", "b.json")[0] == 0
    stored = (tree / "b.json").read_text()
    code, _, err = _run(".", "--baseline", "b.json", "--format", "json", "-o", "b.json")
    assert code == 2 and "b.json is the --baseline input" in err
    assert (tree / "b.json").read_text() == stored


def test_writing_the_baseline_being_read_refreshes_it(tree: Path) -> None:
    assert _run(".", "--write-baseline", "b.json")[0] == 0
    before = {e["fingerprint"] for e in json.loads((tree / "b.json").read_text())["findings"]}
    (tree / "consumer.properties").write_text("group.id=g\nenable.auto.commit=true\n")
    code, _, err = _run(".", "--baseline", "b.json", "--write-baseline", "b.json")
    assert code == 0 and "wrote" in err
    after = {e["fingerprint"] for e in json.loads((tree / "b.json").read_text())["findings"]}
    assert before < after  # the new finding is recorded: the next run passes
    assert _run(".", "--baseline", "b.json")[0] == 0


def test_a_baseline_over_an_input_or_the_configuration_is_refused(tree: Path) -> None:
    code, _, err = _run(".", "--write-baseline", "producer.properties")
    assert code == 2 and "refusing to write the baseline" in err
    assert (tree / "producer.properties").read_text() == PRODUCER
    (tree / "msglint.toml").write_text('fail-on = "error"\n')
    code, _, err = _run(".", "-o", "msglint.toml")
    assert code == 2 and "msglint.toml is the configuration in use" in err
    assert (tree / "msglint.toml").read_text() == 'fail-on = "error"\n'


def test_a_symbolic_link_out_of_the_tree_is_refused(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0\n")
    (tree / "report.json").symlink_to(outside / "passwd")
    (tree / "out").symlink_to(outside)
    for destination in ("report.json", "out/new.json", str(tree / "report.json")):
        code, _, err = _run("producer.properties", "--format", "json", "-o", destination)
        assert code == 2 and "symbolic link out of the working tree" in err, destination
    assert (outside / "passwd").read_text() == "root:x:0:0\n"
    assert not (outside / "new.json").exists()
    assert (tree / "report.json").is_symlink()


def test_a_path_named_outside_the_tree_is_written(tree: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "reports"
    elsewhere.mkdir()
    (tmp_path / "linked").symlink_to(elsewhere)  # outside the tree, link or not: what was asked for
    for destination in (elsewhere / "r.json", tmp_path / "linked" / "l.json"):
        code, out, _ = _run("producer.properties", "--format", "json", "-o", str(destination))
        assert code == 1 and out == ""
        assert json.loads(destination.read_text())["findings"][0]["code"] == "KP101"
    assert (elsewhere / "l.json").is_file()


def test_a_link_inside_the_tree_is_written_through(tree: Path) -> None:
    (tree / "reports").mkdir()
    (tree / "latest.json").symlink_to(tree / "reports" / "run.json")  # dangling until the first run
    code, _, _ = _run("producer.properties", "--format", "json", "-o", "latest.json")
    assert code == 1 and (tree / "latest.json").is_symlink()
    assert "KP101" in {f["code"] for f in json.loads((tree / "reports" / "run.json").read_text())["findings"]}


def test_a_report_replaces_an_old_one_keeping_its_mode(tree: Path) -> None:
    report = tree / "report.json"
    assert _run(".", "--format", "json", "-o", "report.json")[0] == 1
    os.chmod(report, 0o640)
    assert _run(".", "--format", "json", "-o", "report.json")[0] == 1  # an old report is not an input
    assert stat.S_IMODE(report.stat().st_mode) == 0o640
    assert json.loads(report.read_text())["summary"]["files"] == 2
    # nothing left behind but the report (and the run's cache, which has its own .gitignore)
    left = sorted(p.name for p in tree.iterdir() if p.name != ".msglint_cache")
    assert left == ["definitions.json", "producer.properties", "report.json"]


def test_a_new_report_gets_the_usual_mode(tree: Path) -> None:
    old = os.umask(0o027)
    try:
        assert _run(".", "-o", "new.txt")[0] == 1
    finally:
        os.umask(old)
    assert stat.S_IMODE((tree / "new.txt").stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_report_whole(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = tree / "report.json"
    report.write_text('{"old": true}\n')

    def full(descriptor: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    code, _, err = _run(".", "--format", "json", "-o", "report.json")
    assert code == 2 and "cannot write the report" in err and "No space left" in err
    assert report.read_text() == '{"old": true}\n'
    assert not [p for p in tree.iterdir() if p.name.endswith(".tmp")]  # no temporary file left behind


def test_a_missing_directory_is_a_write_error(tree: Path) -> None:
    code, _, err = _run(".", "-o", "no/such/dir/report.txt")
    assert code == 2 and "cannot write the report" in err


def test_a_stream_destination_is_written_not_replaced(tree: Path) -> None:
    code, _, _ = _run("producer.properties", "-o", os.devnull)
    assert code == 1 and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_write_text_checks_and_replaces(tmp_path: Path) -> None:
    source = tmp_path / "in.yml"
    source.write_text("a: 1\n")
    with pytest.raises(output.Refused, match="is an input"):
        output.write_text(tmp_path / "x" / ".." / "in.yml", "new", {source: "an input"}, cwd=tmp_path)
    assert source.read_text() == "a: 1\n"
    output.write_text(tmp_path / "out.txt", "caf\u00e9\n", {source: "an input"}, cwd=tmp_path)
    assert (tmp_path / "out.txt").read_bytes() == "caf\u00e9\n".encode()
