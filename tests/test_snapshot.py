"""The whole text and JSON report of ``msglint fixtures/``, byte for byte: a refactoring that changes
any finding, message, position, fix or fingerprint shows here. After a deliberate change, regenerate
with ``MSGLINT_UPDATE_SNAPSHOT=1 pytest tests/test_snapshot.py`` and review the diff."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOTS = Path(__file__).parent / "snapshots"


@pytest.mark.parametrize(("fmt", "name"), [("text", "fixtures.txt"), ("json", "fixtures.json")])
def test_fixtures_report_is_unchanged(fmt: str, name: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "msglint", "fixtures/", "--format", fmt],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert run.returncode == 1, run.stderr
    # the version comes from git (hatch-vcs) and changes with every commit: the snapshot holds 0.1.0
    from msglint.version import __version__

    report = run.stdout.replace(f'"version": "{__version__}"', '"version": "0.1.0"', 1)
    snapshot = SNAPSHOTS / name
    if os.environ.get("MSGLINT_UPDATE_SNAPSHOT"):
        snapshot.write_text(report, encoding="utf-8")
    assert report == snapshot.read_text(encoding="utf-8")
