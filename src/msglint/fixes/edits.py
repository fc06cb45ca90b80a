"""Fixes that work the same in every syntax: a written value replaced in place, a setting's lines
removed, and applying edits to a text."""

from __future__ import annotations

from collections.abc import Callable

from msglint.fixes import conf
from msglint.fixes.java import java_value
from msglint.fixes.json import json_value
from msglint.fixes.properties import properties_value
from msglint.fixes.python import python_value
from msglint.fixes.yaml import yaml_scalar
from msglint.model import Edit, Fix, Setting, Span
from msglint.spring import binding as spring

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
