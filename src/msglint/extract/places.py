"""Where a YAML setting is, for findings and for fixes that must not damage the file."""

from __future__ import annotations

import re

from msglint.model import Span
from msglint.readers.tree import Node, Scalar

_SOLID = re.compile(r"\S")


def alone_on_its_lines(lines: list[str], span: Span) -> bool:
    """Only indentation before the key and at most a comment after the value (not a flow mapping)."""
    if not 0 < span.line <= len(lines) or not 0 < span.end_line <= len(lines):
        return False
    # searched from the span, not sliced: a minified line holds thousands of settings
    first = _SOLID.search(lines[span.line - 1])
    if first is not None and first.start() < span.column - 1:
        return False
    last = lines[span.end_line - 1]
    after = _SOLID.search(last, span.end_column - 1)
    return after is None or last[after.start()] == "#"


def place(key: Scalar, value: Node, lines: list[str], keep_quotes: bool = False) -> tuple[Span, Span | None, bool]:
    """(the span from key to value, the value's span when it can be rewritten in place, whether the
    setting fills its lines alone). An alias's value is written elsewhere, at its anchor, and a block
    scalar spans lines: neither is rewritten in place. With ``keep_quotes`` (YAML, whose fixes write a
    plain scalar), a quoted value's span is inside its quotes."""
    if (value.span.line, value.span.column) < (key.span.line, key.span.column):
        return key.span, None, False  # `key: *alias`: the value is the anchor's, maybe another object's
    end_line, end_column = value.span.end_line, value.span.end_column
    before_end = lines[end_line - 1][: end_column - 1] if 0 < end_line <= len(lines) else ""
    if end_line > key.span.line and (end_column == 1 or not before_end.strip()):
        # a block collection ends where the next token starts: the next line, after its indentation
        end_line -= 1
        end_column = len(lines[end_line - 1]) + 1 if 0 < end_line <= len(lines) else 1
    span = Span(key.span.line, key.span.column, end_line, end_column)
    replaceable = isinstance(value, Scalar) and not value.block
    inner = _inside_quotes(value, lines) if keep_quotes else value.span
    return span, (inner if replaceable else None), alone_on_its_lines(lines, span)


def _inside_quotes(value: Node, lines: list[str]) -> Span:
    """A quoted scalar's span without its quotes, so that a new value keeps the quoting it had
    (``acks: "1"`` becomes ``acks: "all"``); any other scalar's span as it is."""
    span = value.span
    if not (isinstance(value, Scalar) and value.quoted and span.line == span.end_line and 0 < span.line <= len(lines)):
        return span
    text = lines[span.line - 1][span.column - 1 : span.end_column - 1]
    if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
        return Span(span.line, span.column + 1, span.end_line, span.end_column - 1)
    return span
