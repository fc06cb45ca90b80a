"""--jobs: source files read and extracted in worker processes give the result one process gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint import engine, parallel
from msglint.config import Config
from msglint.reporters import Context, render

ROOT = Path(__file__).resolve().parents[1]


def _report(workers: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(parallel, "MINIMUM", 1)  # the fixtures have fewer source files than it takes
    monkeypatch.chdir(ROOT)
    result = engine.run(["fixtures"], cwd=ROOT, config=Config(), workers=workers)
    return render("json", result, Context(result.exit_code(), ROOT))


def test_any_number_of_workers_gives_the_same_report(monkeypatch: pytest.MonkeyPatch) -> None:
    alone = _report(1, monkeypatch)
    assert '"code": "KP101"' in alone
    assert _report(2, monkeypatch) == alone
    assert _report(3, monkeypatch) == alone


def test_a_file_a_worker_cannot_read_or_extract_is_reported_as_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.py").write_text("import pika\ndef f(:\n")  # not Python: MSG001 from the worker
    (tmp_path / "deep.py").write_text("import pika\nx = " + "[" * 150 + "]" * 150 + "\n")
    (tmp_path / "app.py").write_text(
        "import pika\nch = pika.BlockingConnection().channel()\nch.basic_publish('', 'q', b'')\n"
    )
    monkeypatch.setattr(parallel, "MINIMUM", 1)
    runs = [engine.run([str(tmp_path)], cwd=tmp_path, config=Config(), workers=n) for n in (1, 2)]
    seen = [sorted((f.path, f.code, f.span.line, f.message) for f in r.findings) for r in runs]
    assert seen[0] == seen[1]
    assert {code for _, code, _, _ in seen[0]} >= {"MSG001", "RC203"}
    assert runs[0].errors == runs[1].errors == []
    assert runs[0].files == runs[1].files == 3


def test_jobs_defaults_to_the_usable_cores() -> None:
    assert parallel.jobs(3) == 3
    assert parallel.jobs(0) >= 1
