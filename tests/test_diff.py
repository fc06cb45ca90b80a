"""--diff-base: only findings on lines changed since a git revision, in a real git repository."""

from __future__ import annotations

import subprocess
from pathlib import Path

from click.testing import CliRunner

from msglint.cli import main


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        env={
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@t",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@t",
            "HOME": str(repo),
            "PATH": "/usr/bin:/bin",
        },
    )


def test_only_changed_and_new_lines_are_reported(tmp_path: Path, monkeypatch) -> None:
    repo = tmp_path
    _git(repo, "init", "-q", "-b", "main")
    (repo / "producer.properties").write_text("acks=1\ncompression.type=lz4\n")
    (repo / "consumer.properties").write_text("group.id=g\nauto.offset.reset=earliest\nenable.auto.commit=true\n")
    for odd in ("café", "my app"):  # git quotes the one and ends the other with a tab in patch headers
        (repo / odd).mkdir()
        (repo / odd / "p.properties").write_text("acks=all\ncompression.type=lz4\n")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "legacy")
    (repo / "producer.properties").write_text("acks=1\ncompression.type=lz4\nretries=0\n")  # a new bad line
    for odd in ("café", "my app"):
        (repo / odd / "p.properties").write_text("acks=all\ncompression.type=lz4\nretries=0\n")
    (repo / "new.properties").write_text("acks=0\ncompression.type=lz4\n")  # untracked: all new
    (repo / "ünew.properties").write_text("acks=0\ncompression.type=lz4\n")
    monkeypatch.chdir(repo)
    result = CliRunner().invoke(main, ["check", ".", "-q", "--diff-base", "HEAD"])
    lines = result.stdout.splitlines()
    assert any(line.startswith("producer.properties:3:") and "KP104" in line for line in lines)
    for path in ("new.properties:1:", "ünew.properties:1:", "café/p.properties:3:", "my app/p.properties:3:"):
        assert any(line.startswith(path) for line in lines), path
    assert not any(line.startswith(("producer.properties:1:", "consumer.properties")) for line in lines)
    assert result.exit_code == 1


def test_a_bad_revision_is_a_usage_error(tmp_path: Path, monkeypatch) -> None:
    _git(tmp_path, "init", "-q")
    (tmp_path / "p.properties").write_text("acks=all\n")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", ".", "--diff-base", "no-such-rev"])
    assert result.exit_code == 2 and "no such revision: no-such-rev" in result.stderr
