"""Java ``.properties`` with positions (the grammar of ``java.util.Properties.load``).

Comments start with ``#`` or ``!``; the key ends at the first unescaped ``=``, ``:`` or white space;
a line ending in an odd number of backslashes continues on the next line (whose leading white space
is dropped); ``\\uXXXX`` and ``\\t\\n\\r\\f`` escapes are decoded. Spring Boot's multi-document
separator (a line ``#---`` or ``!---``) starts a new document.
"""

from __future__ import annotations

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


def _unescape(chars: list[tuple[str, int, int]], start: int, end: int) -> str:
    out: list[str] = []
    i = start
    while i < end:
        c, line, col = chars[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        i += 1
        if i >= end:
            break  # a trailing lone backslash is dropped, as Java does
        c2 = chars[i][0]
        if c2 == "u":
            hex_digits = "".join(ch for ch, _, _ in chars[i + 1 : i + 5])
            if len(hex_digits) != 4 or any(h not in "0123456789abcdefABCDEF" for h in hex_digits):
                raise ParseError("malformed \\uxxxx escape", line, col)
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
        # Gather the logical line as (char, line, column) so every position survives continuations.
        chars: list[tuple[str, int, int]] = []
        line_no = n
        segment = raw
        offset = len(raw) - len(stripped)
        while True:
            body = segment[offset:]
            backslashes = len(body) - len(body.rstrip("\\"))
            continued = backslashes % 2 == 1
            if continued:
                body = body[:-1]
            chars.extend((ch, line_no + 1, offset + k + 1) for k, ch in enumerate(body))
            if not continued or line_no + 1 >= len(lines):
                break
            line_no += 1
            segment = lines[line_no]
            offset = len(segment) - len(segment.lstrip(_WS))
        n = line_no + 1
        if not chars:
            continue  # a lone continuation backslash: an empty logical line, as Java reads it

        i, size = 0, len(chars)
        while i < size:
            c = chars[i][0]
            if c == "\\":
                i += 2
                continue
            if c in "=:" or c in _WS:
                break
            i += 1
        key_end = min(i, size)
        j = key_end
        while j < size and chars[j][0] in _WS:
            j += 1
        if j < size and chars[j][0] in "=:":
            j += 1
            while j < size and chars[j][0] in _WS:
                j += 1
        key = _unescape(chars, 0, key_end)
        value = _unescape(chars, j, size)
        first = chars[0]
        last_key = chars[key_end - 1] if key_end else first
        key_span = Span(first[1], first[2], last_key[1], last_key[2] + 1)
        if j < size:
            v0, v1 = chars[j], chars[size - 1]
            value_span = Span(v0[1], v0[2], v1[1], v1[2] + 1)
        else:
            end = chars[size - 1]
            value_span = Span(end[1], end[2] + 1, end[1], end[2] + 1)
        span = Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column)
        entries.append(Entry(key, value, span, key_span, value_span, document))
    return entries
