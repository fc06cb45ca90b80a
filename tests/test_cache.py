"""The persistent cache: a cached run says exactly what an uncached one says, an edited file is read
again, and an entry that is corrupt, foreign or planted in the repository is never trusted."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from msglint import cache

ROOT = Path(__file__).resolve().parents[1]


def _run(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run(
        ["msglint", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env={**os.environ, **(env or {})}
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """The bundled fixtures' source files (the files the cache holds), in a repository of their own."""
    shutil.copytree(ROOT / "fixtures", tmp_path / "fixtures")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def _entries(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.name != ".gitignore")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_cached_run_is_byte_identical_to_an_uncached_one(tree: Path, fmt: str) -> None:
    import time

    from msglint import discover

    time.sleep(
        discover.SETTLED_WHOLE_SECONDS_NS / 1e9 + 0.1
    )  # files old enough for their stamps: the warm run is recalled whole
    uncached = _run(tree, "fixtures", "--format", fmt, "--no-cache")
    assert not (tree / ".msglint_cache").exists()  # --no-cache writes nothing
    cold = _run(tree, "fixtures", "--format", fmt)
    warm = _run(tree, "fixtures", "--format", fmt)
    assert uncached.returncode == cold.returncode == warm.returncode == 1
    assert uncached.stdout == cold.stdout == warm.stdout
    stored = _entries(tree / ".msglint_cache")
    assert stored, "the Python and Java fixtures were cached"
    assert "*" in (tree / ".msglint_cache" / ".gitignore").read_text()


def test_an_edited_file_is_read_again(tree: Path) -> None:
    source = next(p for p in (tree / "fixtures").rglob("*.py") if "acks" in p.read_text())
    _run(tree, "fixtures")
    before = _run(tree, "fixtures", "-q").stdout
    source.write_text(source.read_text().replace("acks", "ackz"))
    after = _run(tree, "fixtures", "-q").stdout
    assert after == _run(tree, "fixtures", "-q", "--no-cache").stdout
    assert after != before


def test_corrupt_and_foreign_entries_are_rebuilt_never_trusted(tree: Path, tmp_path: Path) -> None:
    expected = _run(tree, "fixtures", "--no-cache").stdout
    _run(tree, "fixtures")
    stored = _entries(tree / ".msglint_cache")
    stored[0].write_bytes(b"\x00garbage")  # corrupt
    stored[1].write_bytes(stored[1].read_bytes()[:40])  # truncated
    # a planted entry: a valid pickle signed with another secret (say, committed to the repository)
    planted = cache.Cache(tree / ".msglint_cache", b"someone else's secret, 32 bytes!")
    key = stored[2].name
    planted.store(key, cache.Entry([], []))
    assert _run(tree, "fixtures").stdout == expected
    assert _entries(tree / ".msglint_cache") == stored  # each rebuilt in place
    assert _run(tree, "fixtures").stdout == expected


def test_the_cache_directory_can_be_chosen(tree: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    _run(tree, "fixtures", env={"MSGLINT_CACHE_DIR": str(elsewhere)})
    assert _entries(elsewhere) and not (tree / ".msglint_cache").exists()
    chosen = tmp_path / "chosen"
    _run(tree, "fixtures", "--cache-dir", str(chosen))
    assert _entries(chosen)


def test_concurrent_runs_agree_and_leave_no_partial_entry(tree: Path) -> None:
    import os

    expected = _run(tree, "fixtures", "--no-cache").stdout
    runs = [
        subprocess.Popen(["msglint", "fixtures"], cwd=tree, stdout=subprocess.PIPE, text=True, env=dict(os.environ))
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    assert outputs == [expected] * 4
    assert not [p for p in (tree / ".msglint_cache").rglob(".tmp-*")]
    assert _run(tree, "fixtures").stdout == expected


def test_the_cache_lives_in_the_repository_that_is_linted(tree: Path, tmp_path: Path) -> None:
    outside = tmp_path.parent / f"{tmp_path.name}-cwd"
    outside.mkdir()
    _run(outside, str(tree / "fixtures"))
    assert _entries(tree / ".msglint_cache") and not (outside / ".msglint_cache").exists()


def test_a_committed_link_never_makes_the_cache_write_elsewhere(tree: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.mkdir()
    (tree / ".msglint_cache").symlink_to(victim, target_is_directory=True)
    expected = _run(tree, "fixtures", "--no-cache").stdout
    assert _run(tree, "fixtures").stdout == expected
    assert list(victim.iterdir()) == []


def test_a_walked_file_is_sniffed_again_once_it_changes(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Irrelevant files are remembered by size, ctime and inode, and skipped unopened while unchanged;
    a write (even one that keeps the size) changes the ctime, so the file is sniffed again."""
    from msglint import discover

    settings = tree / "svc" / "producer.properties"
    settings.parent.mkdir()
    old, new = "hello=world\n", "acks=1\n"
    settings.write_text(old)
    from msglint.config import Config
    from msglint.lint import policy, run

    monkeypatch.setattr(discover, "SETTLED_NS", 0)  # the file was written just now: trust its stamp anyway
    assert not any(f.code == "KP101" for f in run([str(tree / "svc")], policy(Config(), cache=True), cwd=tree).findings)
    opened: list[str] = []
    real = discover._peek

    def counting(name: str, *args: object) -> object:
        opened.append(name)
        return real(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(discover, "_peek", counting)
    run([str(tree / "svc")], policy(Config(), cache=True), cwd=tree)  # as the CLI runs, in this process
    assert opened == []  # known irrelevant, unchanged: not opened
    run([str(tree / "svc")], policy(Config()), cwd=tree)  # without the cache: sniffed
    assert opened == [str(settings)]
    settings.write_text(new.ljust(len(old) - 1) + "\n")  # the same size
    changed = _run(tree, "svc", "-q")
    assert changed.returncode == 1 and "svc/producer.properties:1:1: KP101" in changed.stdout


def _lint(tree: Path, *paths: str, **settings: object) -> object:
    from msglint.config import Config
    from msglint.lint import policy, run

    return run(list(paths) or [str(tree / "fixtures")], policy(Config(), cache=True, **settings), cwd=tree)


def test_an_identical_rerun_is_recalled_whole_and_any_change_reads_again(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run whose inputs and files (by size, ctime and inode) are all unchanged gives the result the
    last one stored, without reading a file; an edit of the same size, a new file or another
    selection is a run of its own."""
    from msglint import discover, engine

    monkeypatch.setattr(discover, "SETTLED_NS", 0)
    first = _lint(tree)
    reads: list[int] = []
    real = engine.read_all
    monkeypatch.setattr(engine, "read_all", lambda *a, **k: reads.append(1) or real(*a, **k))
    again = _lint(tree)
    assert reads == [] and again.findings == first.findings and again.files == first.files
    source = next(p for p in (tree / "fixtures").rglob("*.py") if "acks" in p.read_text())
    source.write_text(source.read_text().replace("acks", "ackz"))  # the same size, a new ctime
    edited = _lint(tree)
    assert reads == [1] and edited.findings != first.findings
    (tree / "fixtures" / "extra-producer.properties").write_text("bootstrap.servers=b:9092\nacks=0\n")
    grown = _lint(tree)
    assert reads == [1, 1] and len(grown.findings) > len(edited.findings)
    assert _lint(tree, select=["KP"]).findings != grown.findings and reads == [1, 1, 1]


def test_a_run_over_a_file_changed_just_now_is_not_recalled(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file written within its ctime's tick could be written again unseen: such a run stores no
    whole result (git's racily clean entries), and the next one reads again."""
    from msglint import discover, engine

    monkeypatch.setattr(discover, "SETTLED_NS", 60_000_000_000)  # every file was changed "just now"
    _lint(tree)
    reads: list[int] = []
    real = engine.read_all
    monkeypatch.setattr(engine, "read_all", lambda *a, **k: reads.append(1) or real(*a, **k))
    _lint(tree)
    assert reads == [1]
