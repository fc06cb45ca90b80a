"""Library versions as build files write them, and the one question rules ask: is it before X?

A version is known exactly (Maven ``2.8.1``, ``2.3.4.RELEASE``, pip ``==2.0.2``, a lock), or only as
a range (``>=2.0,<3``, ``~=2.0``, Poetry ``^2.0.2``). ``before`` answers True or False only when the
whole range is on one side, and None when it straddles: ``kafka-python>=2.0`` may install 3.0.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Version = tuple[int, ...]

_NUMBERS = re.compile(r"\d+(?:\.\d+)*")


def parse(text: str) -> Version | None:
    """The leading numbers of a version (``2.3.4.RELEASE`` -> (2, 3, 4)); None when there are none."""
    found = _NUMBERS.match(text.strip().lstrip("vV"))
    return tuple(int(p) for p in found.group().split(".")) if found else None


@dataclass(frozen=True)
class Range:
    low: Version | None = None  # inclusive
    high: Version | None = None  # exclusive, except for an exact version (low == high)

    @property
    def exact(self) -> bool:
        return self.low is not None and self.low == self.high


def _pad(v: Version, n: int = 4) -> Version:
    return v + (0,) * (n - len(v))


def _next(v: Version, position: int) -> Version:
    """The first version past ``v``'s prefix of ``position + 1`` numbers: (2, 0, 2), 1 -> (2, 1)."""
    head = list(v[: position + 1]) + [0] * max(0, position + 1 - len(v))
    head[position] += 1
    return tuple(head)


def _caret(v: Version) -> Version:
    """Poetry's ``^``: up to the next change of the first non-zero number."""
    for i, part in enumerate(v):
        if part != 0:
            return _next(v, i)
    return _next(v, len(v) - 1)


def range_of(spec: str) -> Range | None:
    """The versions a specifier allows; None when it says nothing usable (``*``, a URL, empty)."""
    spec = spec.strip()
    if not spec or spec in ("*", "latest"):
        return None
    if spec[0].isdigit() or spec[0] in "vV":  # Maven, Gradle, a Poetry exact version
        v = parse(spec)
        if v is None:
            return None
        if "+" in spec or spec.endswith("."):  # Gradle's 2.8.+: any 2.8.x
            return Range(v, _next(v, len(v) - 1))
        return Range(v, v)
    if spec.startswith("[") or spec.startswith("("):  # a Maven range, [2.8,3.0)
        parts = spec.strip("[]()").split(",")
        low = parse(parts[0]) if parts[0].strip() else None
        high = parse(parts[1]) if len(parts) > 1 and parts[1].strip() else None
        return Range(low, high)
    low = high = None
    for clause in spec.split(","):
        clause = clause.strip()
        match = re.match(r"(===|==|~=|>=|<=|!=|\^|~|>|<|=)?\s*(.+)", clause)
        if match is None:
            continue
        op, v = match[1] or "==", parse(match[2])
        if v is None:
            continue
        if op in ("==", "===", "=") and not match[2].rstrip().endswith("*"):
            low = high = v
        elif op in ("==", "==="):  # ==2.0.*
            low, high = v, _next(v, len(v) - 1)
        elif op in (">=", ">"):
            low = v
        elif op in ("<", "<="):
            high = v if op == "<" else _next(v, len(v) - 1)
        elif op == "~=":
            low, high = v, _next(v, max(0, len(v) - 2))
        elif op == "~":
            low, high = v, _next(v, min(1, len(v) - 1))
        elif op == "^":
            low, high = v, _caret(v)
    return Range(low, high) if low is not None or high is not None else None


def before(spec: str, bound: str) -> bool | None:
    """True when every version ``spec`` allows is below ``bound``, False when none is, else None."""
    allowed = range_of(spec)
    limit = parse(bound)
    if allowed is None or limit is None:
        return None
    if allowed.exact and allowed.low is not None:
        return _pad(allowed.low) < _pad(limit)
    if allowed.high is not None and _pad(allowed.high) <= _pad(limit):
        return True
    if allowed.low is not None and _pad(allowed.low) >= _pad(limit):
        return False
    return None


def minor(spec: str) -> str | None:
    """``major.minor`` of an exact version (``2.7.5`` -> ``2.7``), the key of a managed-versions table."""
    allowed = range_of(spec)
    if allowed is None or not allowed.exact or allowed.low is None or len(allowed.low) < 2:
        return None
    return f"{allowed.low[0]}.{allowed.low[1]}"
