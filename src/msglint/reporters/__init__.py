"""Reporters: render a result in one output format. They know formats, not rules.

Any text may come from a file name or a file's content, so every reporter passes it through one of
the helpers here: nothing that drives a terminal, splits a line or breaks XML or UTF-8 gets out.
"""

from __future__ import annotations

import importlib
import json as _json  # not `json`: that name is the sibling module reporters.json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the CLI reads FORMATS at import: the model is loaded only when a report is made
    from msglint.model import Result

# Format name -> the reporter module whose ``report(result, context)`` renders it. Adding a format is
# a module and a line here; a module is imported only when its format is asked for.
FORMATS = {
    "text": "text",
    "json": "json",
    "sarif": "sarif",
    "github": "github",
    "junit": "junit",
    "gitlab": "gitlab",
}


@dataclass(frozen=True)
class Context:
    """What a reporter may need besides the result."""

    exit_code: int
    cwd: Path
    colour: bool = False
    quiet: bool = False


Report = Callable[["Result", Context], str]


def render(output_format: str, result: Result, context: Context) -> str:
    """The report in ``output_format`` (a key of FORMATS)."""
    module = importlib.import_module(f"{__name__}.{FORMATS[output_format]}")
    report: Report = module.report
    return report(result, context)


def counts(result: Result) -> dict[str, int]:
    from msglint.model import SEVERITIES

    by = Counter(f.severity for f in result.findings)
    return {s: by.get(s, 0) for s in reversed(SEVERITIES)}


def _escapes(characters: list[int]) -> dict[int, str]:
    return {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in characters}


# C0 but tab and newline, DEL, C1 (0x9b is a CSI on its own), line and paragraph separators, the
# bidirectional overrides ("Trojan Source"), and the two characters XML 1.0 forbids above them.
_UNSAFE = [
    *range(0, 9),
    *range(11, 32),
    *range(127, 160),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0xFFFE,
    0xFFFF,
]
_CONTROL = {
    **_escapes(_UNSAFE),
    # lone surrogates: bytes of a file name that are not UTF-8 (os.fsdecode's surrogateescape) show
    # as the byte, any other as its code point; neither can be encoded as UTF-8
    **{c: f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"\\u{c:04x}" for c in range(0xD800, 0xE000)},
}
_LINE = {**_CONTROL, **_escapes([9, 10])}


def visible(text: str) -> str:
    """Control characters escaped (\\x01), lone surrogates as the byte they stand for (\\xff): a value
    in a file must not drive a terminal, break XML or fail to encode as UTF-8. Tab and newline stay."""
    return text.translate(_CONTROL)


def one_line(text: str) -> str:
    """``visible``, with tab and newline escaped too: for a path or a name on a line of its own."""
    return text.translate(_LINE)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    c = ord(match.group())
    if 0xD800 <= c < 0xE000:
        return "\\" + _CONTROL[c]  # not representable: the escape as text (an escaped backslash)
    return f"\\u{c:04x}"  # a JSON escape: the value is unchanged, only its spelling is safe


def json_text(payload: Any, indent: int | None = 2) -> str:
    """``json.dumps`` that is always valid UTF-8 and safe on a terminal: what the encoder leaves raw
    (C1 controls, separators, bidi overrides) is \\u-escaped, and a lone surrogate, which no UTF-8
    can carry, becomes the text ``\\xff``. Non-ASCII text stays readable."""
    return _JSON_UNSAFE.sub(_json_escape, _json.dumps(payload, indent=indent, ensure_ascii=False))
