"""The real pre-commit tool runs this checkout's hook in a throwaway repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,  # each test installs the hook into a throwaway repository: seconds
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed"),
]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_fails_on_a_bad_file_and_passes_on_a_good_one(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "t@example.com")
    _git(project, "config", "user.name", "t")
    (project / "bad").mkdir()
    (project / "good").mkdir()
    (project / "bad" / "producer.properties").write_text("bootstrap.servers=k:9092\nacks=1\n")
    (project / "good" / "producer.properties").write_text("bootstrap.servers=k:9092\nacks=all\n")
    (project / "README.md").write_text("not a config file\n")
    (project / "ci.yml").write_text("on: [push\njobs: {\n")  # broken, but nothing msglint reads
    _git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "try-repo", str(ROOT), "msglint", "--files", *files],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    bad = hook("bad/producer.properties", "README.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad/producer.properties:2:1: KP101" in bad.stdout
    good = hook("good/producer.properties", "README.md", "ci.yml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout
