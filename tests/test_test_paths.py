"""Test code is left out of a walk by default, as semgrep's default ignore list does: a library's
test suite builds wrong configurations on purpose, and test resources are never deployed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import discover, engine
from msglint.cli import main
from msglint.config import Config
from tests.conftest import write

BAD = "bootstrap.servers=kafka:9092\nacks=maybe\n"  # KX101: the client refuses it, in tests too


@pytest.mark.parametrize(
    "path",
    [
        "tests/producer.properties",
        "test/producer.properties",
        "svc/src/test/resources/producer.properties",
        "deps/rabbit/test/import_SUITE_data/producer.properties",
        "lib/testdata/producer.properties",
        "integration-tests/producer.properties",
        ".ci/producer.properties",
    ],
)
def test_test_directories_are_left_out(tmp_path: Path, path: str) -> None:
    write(tmp_path, {path: BAD, "main/producer.properties": BAD})
    result = engine.run([str(tmp_path)], cwd=tmp_path)
    assert {f.path for f in result.findings} == {"main/producer.properties"}
    included = engine.run([str(tmp_path)], ["ALL"], cwd=tmp_path, config=Config(include_tests=True))
    assert path in {f.path for f in included.findings}


@pytest.mark.parametrize(
    ("name", "is_test"),
    [
        ("test_producer.py", True),
        ("producer_test.py", True),
        ("conftest.py", True),
        ("OrderListenerTest.java", True),
        ("OrderListenerTests.java", True),
        ("OrderFlowIT.java", True),
        ("producer.py", False),
        ("Testimonials.java", False),
        ("contest.py", False),
    ],
)
def test_test_file_names(name: str, is_test: bool) -> None:
    assert discover.is_test_file(name) is is_test


@pytest.mark.parametrize(("name", "is_test"), [("tests", True), ("src", False), ("latest", False), ("testing", False)])
def test_test_directory_names(name: str, is_test: bool) -> None:
    assert discover.is_test_dir(name) is is_test


def test_a_walk_rooted_in_a_test_directory_reads_it(tmp_path: Path) -> None:
    """Naming the directory says what to read: only what lies below it is judged by name."""
    write(tmp_path, {"tests/producer.properties": BAD})
    result = engine.run([str(tmp_path / "tests")], cwd=tmp_path)
    assert result.files == 1 and {f.code for f in result.findings} == {"KX101"}


def test_a_named_test_file_is_read_but_the_hook_leaves_it_out(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"tests/producer.properties": BAD})
    (tmp_path / ".git").mkdir()
    named = str(tmp_path / "tests" / "producer.properties")
    assert engine.run([named], cwd=tmp_path).files == 1
    assert engine.run([named], cwd=tmp_path, only_relevant=True).files == 0
    with_tests = engine.run([named], cwd=tmp_path, only_relevant=True, config=Config(include_tests=True))
    assert with_tests.files == 1


def test_cli_include_tests_and_configuration(tmp_path: Path, monkeypatch) -> None:
    write(tmp_path, {"tests/producer.properties": BAD})
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    assert runner.invoke(main, ["."]).exit_code == 0
    assert runner.invoke(main, [".", "--include-tests"]).exit_code == 1
    (tmp_path / "msglint.toml").write_text("include-tests = true\n", encoding="utf-8")
    assert runner.invoke(main, ["."]).exit_code == 1
