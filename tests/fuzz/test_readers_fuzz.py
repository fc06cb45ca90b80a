"""Promise (a): documents.read on any input raises readers.ParseError or OSError, nothing else,
and does not crash, hang or exhaust memory (each example runs in a forked child)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz import promises, strategies
from tests.fuzz.strategies import Sample


def _read(root: str, sample: Sample) -> str:
    from msglint.discover import Candidate
    from msglint.documents import read
    from msglint.readers import ParseError

    candidate = Candidate(Path(root, sample.relative), sample.kind, sample.syntax, True)
    try:
        read(candidate, Path(root))
    except ParseError as exc:
        assert exc.line >= 1 and exc.column >= 1, f"ParseError at line {exc.line}, column {exc.column}"
        return f"{exc.code}: {exc.message}"
    except OSError as exc:
        return f"OSError: {exc}"
    return "read"


@pytest.mark.parametrize("syntax", strategies.SYNTAXES)
@given(data=st.data())
def test_a_reader_raises_only_parse_error_or_oserror(syntax: str, data: st.DataObject) -> None:
    sample = data.draw(strategies.samples(syntax, reread=True), label="sample")
    with promises.keeping(sample.name, sample.data), promises.project({sample.relative: sample.data}) as root:
        outcome = promises.sandboxed(_read, str(root), sample)
    assert outcome == "read" or outcome.startswith(("MSG", "OSError")), outcome


def test_every_reader_has_seeds() -> None:
    # the parametrization above names the readers; each needs files to mutate
    assert set(strategies.by_syntax()) == set(strategies.SYNTAXES)
    assert all(len(group) >= 1 for group in strategies.by_syntax().values())
