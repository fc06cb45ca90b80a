"""``redis.conf``: one directive a line, ``name arg arg ...``, ``#`` comment lines, arguments quoted
with ``"..."`` (backslash escapes) or ``'...'``. A repeated directive is kept as written each time
(``save`` lines add up; for the others the last one counts, as in the server). An unbalanced quote is
an error: redis-server refuses the file ("Unbalanced quotes in configuration line").
"""

from __future__ import annotations

from msglint.model import Span
from msglint.readers import ParseError, split_lines
from msglint.readers.properties import Entry


def arguments(line: str) -> list[tuple[str, int, int]] | None:
    """The line's arguments with their start and end columns (0-based), as redis-server splits them
    (sdssplitargs); None for an unbalanced quote."""
    out: list[tuple[str, int, int]] = []
    i, n = 0, len(line)
    while i < n:
        while i < n and line[i] in " \t\r\n":
            i += 1
        if i >= n:
            break
        start, word = i, []
        if line[i] in "\"'":
            quote, i = line[i], i + 1
            while i < n and line[i] != quote:
                if quote == '"' and line[i] == "\\" and i + 1 < n:
                    i += 1
                word.append(line[i])
                i += 1
            if i >= n:
                return None
            i += 1
        else:
            while i < n and line[i] not in " \t\r\n":
                word.append(line[i])
                i += 1
        out.append(("".join(word), start, i))
    return out


def parse(text: str, first_line: int = 1, indent: int = 0) -> list[Entry]:
    """Entries (key: the directive, lower-cased as the server reads it; value: its arguments joined by
    one space); ``first_line``/``indent`` place lines embedded in another file."""
    entries = []
    for n, raw in enumerate(split_lines(text)):
        entry = line_entry(raw, first_line + n, indent)
        if entry is not None:
            entries.append(entry)
    return entries


def line_entry(raw: str, line_no: int, indent: int = 0) -> Entry | None:
    stripped = raw.strip()
    if not stripped or stripped.startswith("#"):
        return None
    args = arguments(raw)
    if args is None:
        raise ParseError("unbalanced quotes (redis-server refuses the file)", line_no, indent + 1)
    (key, key_start, key_end), rest = args[0], args[1:]
    value = " ".join(word for word, _, _ in rest)
    value_start = rest[0][1] if rest else key_end + 1
    value_end = rest[-1][2] if rest else key_end + 1
    key_span = Span(line_no, indent + key_start + 1, line_no, indent + key_end + 1)
    value_span = Span(line_no, indent + value_start + 1, line_no, indent + value_end + 1)
    return Entry(
        key.lower(), value, Span(line_no, key_span.column, line_no, value_span.end_column), key_span, value_span, 0
    )
