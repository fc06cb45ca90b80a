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

    def run(files: dict[str, str | bytes], select: tuple[str, ...] = (), ignore: tuple[str, ...] = (),
            include_tests: bool = False):  # fmt: skip
        write(tmp_path, files)
        config = Config(include_tests=include_tests)
        return engine.run([str(tmp_path)], list(select), list(ignore), cwd=tmp_path, config=config)

    return run


# Tests marked slow (the fuzz suite's big generated inputs) run with MSGLINT_SLOW=1 or MSGLINT_FUZZ=1; the rest of
# the fuzz suite runs on every `pytest` with a small Hypothesis budget (see tests/fuzz/README.md)
RUN_SLOW = bool(os.environ.get("MSGLINT_SLOW") or os.environ.get("MSGLINT_FUZZ"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if RUN_SLOW:
        return
    skip = pytest.mark.skip(reason="slow: set MSGLINT_SLOW=1 to run")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
