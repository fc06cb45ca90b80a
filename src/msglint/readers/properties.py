"""Java ``.properties`` with positions (the grammar of ``java.util.Properties.load``).

Comments start with ``#`` or ``!``; the key ends at the first unescaped ``=``, ``:`` or white space;
a line ending in an odd number of backslashes continues on the next line (whose leading white space
is dropped); ``\\uXXXX`` and ``\\t\\n\\r\\f`` escapes are decoded. Spring Boot's multi-document
separator (a line ``#---`` or ``!---``) starts a new document.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from msglint.model import Span
from msglint.readers import ParseError, split_lines

_WS = " \t\f"
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f"}


@dataclass(frozen=True)
class Entry:
    key: str
    value: str
    span: Span  # key start to value end
    key_span: Span
    value_span: Span
    document: int  # index of the ``#---`` document the entry belongs to


_KEY = re.compile(r"(?:[^\\=: \t\f]|\\.|\\\Z)*", re.DOTALL)  # to the first unescaped separator
_SEPARATOR = re.compile(r"[ \t\f]*(?:[=:][ \t\f]*)?")


class _Logical:
    """A logical line (continuations joined) and where each of its characters is written: one
    (offset, line, column) per physical piece, so a 5 MB line costs a few strings, not a tuple a
    character."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.starts: list[int] = []  # offset of each piece in the logical line
        self.places: list[tuple[int, int]] = []  # (line, column) of each piece's first character
        self.size = 0

    def add(self, text: str, line: int, column: int) -> None:
        self.parts.append(text)
        self.starts.append(self.size)
        self.places.append((line, column))
        self.size += len(text)

    def where(self, index: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.starts, index) - 1
        line, column = self.places[k]
        return line, column + index - self.starts[k]


def _unescape(text: str, logical: _Logical, start: int, end: int) -> str:
    out: list[str] = []
    i = start
    while i < end:
        slash = text.find("\\", i, end)
        if slash < 0:
            out.append(text[i:end])
            break
        out.append(text[i:slash])
        i = slash + 1
        if i >= end:
            break  # a trailing lone backslash is dropped, as Java does
        c2 = text[i]
        if c2 == "u":
            hex_digits = text[i + 1 : min(i + 5, end)]
            if len(hex_digits) != 4 or any(h not in "0123456789abcdefABCDEF" for h in hex_digits):
                raise ParseError("malformed \\uxxxx escape", *logical.where(slash))
            out.append(chr(int(hex_digits, 16)))
            i += 5
        else:
            out.append(_ESCAPES.get(c2, c2))
            i += 1
    return "".join(out)


def parse(text: str) -> list[Entry]:
    lines = split_lines(text)
    entries: list[Entry] = []
    document = 0
    n = 0
    while n < len(lines):
        raw = lines[n]
        stripped = raw.lstrip(_WS)
        if stripped in ("#---", "!---"):
            document += 1
            n += 1
            continue
        if not stripped or stripped[0] in "#!":
            n += 1
            continue
        # Gather the logical line, keeping where each piece is written so every position survives.
        logical = _Logical()
        line_no = n
        segment = raw
        offset = len(raw) - len(stripped)
        while True:
            body = segment[offset:]
            backslashes = len(body) - len(body.rstrip("\\"))
            continued = backslashes % 2 == 1
            if continued:
                body = body[:-1]
            logical.add(body, line_no + 1, offset + 1)
            if not continued or line_no + 1 >= len(lines):
                break
            line_no += 1
            segment = lines[line_no]
            offset = len(segment) - len(segment.lstrip(_WS))
        n = line_no + 1
        size = logical.size
        if not size:
            continue  # a lone continuation backslash: an empty logical line, as Java reads it
        whole = "".join(logical.parts)

        key_match = _KEY.match(whole)
        key_end = min(key_match.end() if key_match else 0, size)
        separator = _SEPARATOR.match(whole, key_end)
        j = separator.end() if separator else key_end
        key = _unescape(whole, logical, 0, key_end)
        value = _unescape(whole, logical, j, size)
        first = logical.where(0)
        last_key = logical.where(key_end - 1) if key_end else first
        key_span = Span(first[0], first[1], last_key[0], last_key[1] + 1)
        if j < size:
            v0, v1 = logical.where(j), logical.where(size - 1)
            value_span = Span(v0[0], v0[1], v1[0], v1[1] + 1)
        else:
            end = logical.where(size - 1)
            value_span = Span(end[0], end[1] + 1, end[0], end[1] + 1)
        span = Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column)
        entries.append(Entry(key, value, span, key_span, value_span, document))
    return entries
