"""Promises (b) and (c) on whole runs of mutated files: engine.run and the CLI in every format end
with exit 0 or 1, no internal error and a report that reads back as its format; a broken file never
takes another file's findings away. Each run is a forked child (see promises.py)."""

from __future__ import annotations

import functools
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import promises, strategies

ANCHOR = strategies.FIXTURES / "kafka-client" / "bad" / "producer.properties"


@pytest.mark.parametrize("syntax", strategies.SYNTAXES)
@given(data=st.data())
def test_a_run_ends_without_internal_error(syntax: str, data: st.DataObject) -> None:
    sample = data.draw(strategies.samples(syntax), label="sample")
    named = data.draw(st.booleans(), label="named")  # a named file is always read; a walk sniffs first
    with promises.keeping(sample.name, sample.data), promises.project({sample.relative: sample.data}) as root:
        promises.lint(root, [sample.relative if named else "."], select=("ALL",))


@pytest.mark.parametrize("fmt", promises.FORMATS)
@given(data=st.data())
def test_every_format_reads_back(fmt: str, data: st.DataObject) -> None:
    sample = data.draw(strategies.samples(), label="sample")
    quiet = fmt == "text" and data.draw(st.booleans(), label="quiet")
    args = ["check", "--format", fmt, *(["-q"] if quiet else []), sample.relative]
    with promises.keeping(sample.name, sample.data), promises.project({sample.relative: sample.data}) as root:
        code, out, err = promises.cli(root, args)
    promises.ends_well(code, out, err)
    promises.valid_output(fmt, out)


@functools.cache
def _anchor_alone() -> frozenset[tuple[str, int, int]]:
    with promises.project({"anchor/producer.properties": ANCHOR.read_bytes()}) as root:
        found = promises.lint(root, ["."])
    return frozenset((code, line, column) for code, _, line, column, _ in found)


def test_the_anchor_has_findings() -> None:
    assert len(_anchor_alone()) >= 3  # acks=1, linger.ms=0, ...: something to lose


@given(data=st.data())
def test_a_broken_file_keeps_another_files_findings(data: st.DataObject) -> None:
    sample = data.draw(strategies.samples(), label="sample")
    named = data.draw(st.booleans(), label="named")
    files = {"anchor/producer.properties": ANCHOR.read_bytes(), f"other/{sample.relative}": sample.data}
    with promises.keeping(sample.name, sample.data), promises.project(files) as root:
        targets = list(files) if named else ["."]
        found = promises.lint(root, targets)
    kept = {
        (code, line, column)
        for code, path, line, column, _ in found
        if Path(path).as_posix() == "anchor/producer.properties"
    }
    lost = _anchor_alone() - kept
    assert not lost, f"the anchor's findings {sorted(lost)} went missing next to {sample!r}"
