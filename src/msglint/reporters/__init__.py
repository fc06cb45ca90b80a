"""Reporters: render a result in one output format. They know formats, not rules."""

from __future__ import annotations

from collections import Counter

from msglint.engine import Result
from msglint.model import SEVERITIES


def counts(result: Result) -> dict[str, int]:
    by = Counter(f.severity for f in result.findings)
    return {s: by.get(s, 0) for s in reversed(SEVERITIES)}


_CONTROL = {c: f"\\x{c:02x}" for c in [*range(0, 9), *range(11, 32), 127]}


def visible(text: str) -> str:
    """Control characters escaped (\\x01): a value in a file must not drive a terminal or break XML."""
    return text.translate(_CONTROL)
