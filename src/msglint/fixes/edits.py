"""Fixes that work the same in every syntax: a written value replaced in place, a setting's lines
removed, and applying edits to a text."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from msglint.fixes import conf
from msglint.fixes.java import java_value
from msglint.fixes.json import json_value
from msglint.fixes.properties import properties_value
from msglint.fixes.python import python_value
from msglint.fixes.yaml import yaml_scalar
from msglint.model import Edit, Fix, Setting, Span
from msglint.spring import binding as spring


def _redis_value(text: str) -> str:
    return f'"{text}"' if text == "" or " " in text else text


# an origin's syntax -> (value as written there, given its text and kind; what separates key and value)
_Syntax = tuple[Callable[[str, str], str], str]
_SYNTAXES: dict[str, _Syntax] = {
    "python": (lambda text, kind: python_value(kind, text), ": "),
    "python-kwarg": (lambda text, kind: python_value(kind, text), "="),
    "java": (lambda text, kind: java_value(kind, text), ", "),
    "yaml": (lambda text, kind: yaml_scalar(text), ": "),
    "json": (lambda text, kind: json_value(text), ": "),
    "conf": (lambda text, kind: conf.rabbit_value(text), conf.RABBIT_SEPARATOR),
    "natsconf": (lambda text, kind: conf.nats_value(text), "="),
    # redis.conf directives, in a file, a chart's or an operator's block of them, or redis-server's arguments
    **dict.fromkeys(
        ("redisconf", "yaml-block", "yaml-list", "compose-command"), (lambda text, kind: _redis_value(text), " ")
    ),
}
_PROPERTIES: _Syntax = (lambda text, kind: properties_value(text), "=")  # .properties, and any other syntax


def format_value(syntax: str, text: str, kind: str = "") -> str:
    value, _ = _SYNTAXES.get(syntax, _PROPERTIES)
    return value(text, kind)


def replace_value(current: Setting, value: str) -> Fix | None:
    """Change a written value in place, as the value is written at that place (``10s`` or ``10000``)."""
    origin = current.origin
    if origin is None or origin.value_span is None:
        return None
    text = format_value(origin.syntax, spring.render_value(origin.value_kind, value), origin.value_kind)
    _, sep = _SYNTAXES.get(origin.syntax, _PROPERTIES)
    return Fix(
        f"Set `{origin.raw_key}` to `{text}`",
        f"{origin.raw_key}{sep}{text}",
        (Edit(origin.path, origin.value_span, text),),
    )


def remove(current: Setting) -> Fix | None:
    """Delete the lines that hold a setting (a key on a line of its own, in either syntax)."""
    origin = current.origin
    if origin is None or not origin.whole_lines:
        return None
    span = Span(origin.span.line, 1, origin.span.end_line + 1, 1)
    return Fix(f"Remove `{origin.raw_key}`", "", (Edit(origin.path, span, ""),))


def apply(text: str, edits: list[Edit]) -> str:
    """Apply edits (1-based spans, end exclusive) to ``text``; later positions are applied first so
    earlier ones stay valid. A column past a line's end means the end of that line."""
    lines = text.split("\n")

    def offset(line: int, column: int) -> int:
        if line > len(lines):
            return len(text)
        start = sum(len(row) + 1 for row in lines[: line - 1])
        return start + min(column - 1, len(lines[line - 1]))

    out = text
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        begin = offset(edit.span.line, edit.span.column)
        end = offset(edit.span.end_line, edit.span.end_column)
        out = out[:begin] + edit.content + out[end:]
    return out


class FixError(Exception):
    """Edits that cannot be applied to a file as it is (its bytes no longer decode, a span past its end)."""


_TERMINATOR = re.compile(r"\r\n|\r|\n")


def apply_bytes(data: bytes, edits: Sequence[Edit], latin1: bool = False) -> bytes:
    """Apply edits to a file's bytes, keeping everything they do not touch: the encoding and its
    byte-order mark, each line's own ending (CRLF, LF or CR), the final newline, tabs and comments.
    A new line in an edit's content takes the ending of the line the edit starts on (else the
    file's first), so a CRLF file stays CRLF. Spans are 1-based and end-exclusive, as the readers
    count lines (CR, LF and CRLF each end one); a column past a line's end is that line's end."""
    from msglint.readers import ParseError, decode_bytes

    try:
        decoded = decode_bytes(data, fallback_latin1=latin1)
    except ParseError as exc:
        raise FixError(exc.message) from None
    text = decoded.text
    starts, ends, endings = [0], [], []
    for match in _TERMINATOR.finditer(text):
        ends.append(match.start())
        endings.append(match.group())
        starts.append(match.end())
    ends.append(len(text))
    default = endings[0] if endings else "\n"

    def offset(line: int, column: int) -> int:
        if line > len(starts):
            if line == len(starts) + 1 and column == 1:
                return len(text)
            raise FixError(f"an edit starts at line {line}, past the end of the file")
        return min(starts[line - 1] + column - 1, ends[line - 1])

    placed = []
    for edit in edits:
        begin, end = offset(edit.span.line, edit.span.column), offset(edit.span.end_line, edit.span.end_column)
        if end < begin:
            raise FixError("an edit ends before it starts")
        ending = endings[edit.span.line - 1] if edit.span.line - 1 < len(endings) else default
        placed.append((begin, end, edit.content.replace("\n", ending)))
    out = text
    for begin, end, content in sorted(placed, reverse=True):
        out = out[:begin] + content + out[end:]
    bom = "\ufeff" if decoded.bom else ""
    return (bom + out).encode(decoded.encoding)
