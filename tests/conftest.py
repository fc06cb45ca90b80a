from __future__ import annotations

import os
from pathlib import Path

import pytest

from msglint import engine
from msglint.config import Config


def write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.fixture
def lint(tmp_path: Path):
    """Write files into a fresh directory and run the whole pipeline on it."""

    def run(
        files: dict[str, str | bytes],
        select: tuple[str, ...] = (),
        ignore: tuple[str, ...] = (),
        include_tests: bool = False,
    ):
        write(tmp_path, files)
        config = Config(include_tests=include_tests)
        return engine.run([str(tmp_path)], list(select), list(ignore), cwd=tmp_path, config=config)

    return run


# `slow` tests (semgrep, pre-commit, the fuzz suite's big inputs: seconds each) run on every `pytest`, as the
# README's test command promises; `-m "not slow"` or MSGLINT_SKIP_SLOW=1 leaves them out. `heavy` tests (the
# fuzz corpus's biggest recipes, ~13 s together) run only with MSGLINT_SLOW=1 or MSGLINT_FUZZ=1; the rest of
# the fuzz suite runs on every `pytest` with a small Hypothesis budget (see tests/fuzz/README.md)
RUN_HEAVY = bool(os.environ.get("MSGLINT_SLOW") or os.environ.get("MSGLINT_FUZZ"))
SKIP_SLOW = bool(os.environ.get("MSGLINT_SKIP_SLOW"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # markers, not keywords: a test whose name holds "slow" is not one
    if SKIP_SLOW:
        slow = [item for item in items if item.get_closest_marker("slow")]
        if slow:
            config.hook.pytest_deselected(items=slow)
            items[:] = [item for item in items if not item.get_closest_marker("slow")]
    if RUN_HEAVY:
        return
    skip = pytest.mark.skip(reason="heavy: set MSGLINT_SLOW=1 to run")
    for item in items:
        if item.get_closest_marker("heavy"):
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _strict_facts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Under the tests a broken extractor/check contract fails the test that built the entity, rather than
    an internal error that a test asserting only findings would not see."""
    from msglint import facts

    real = facts.problems

    def strict(entity):  # type: ignore[no-untyped-def]
        problems = real(entity)
        assert not problems, f"{entity.kind} at {entity.path}: {problems}"
        return problems

    monkeypatch.setattr(facts, "problems", strict)
