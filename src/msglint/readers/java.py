"""Java source, parsed in-process with tree-sitter (imported only when a Java file is read).

``parse`` returns a ``Source``: the syntax tree plus what every extractor needs to name places and
read text. tree-sitter recovers from errors instead of failing, so a tree with an error node is
turned into a ParseError at the first one: half a class is not a basis for findings.

tree-sitter-java (0.23.5, the newest) lacks a few constructs javac accepts. When a file does not
parse, those are rewritten in a copy of the same length, byte for byte, and the copy is parsed: the
tree's positions are the file's, and every text is read from the file itself. The rewrites:

- type annotations before a varargs ellipsis (``String @Nullable ... args``): blanked;
- ``import module java.base;`` (Java 25): the word ``module`` blanked, leaving an ordinary import;
- ``super(...)``/``this(...)`` after other statements of a constructor (Java 25's flexible
  constructor bodies): read as a call of ``$uper(...)``/``$his(...)``;
- ``${name}`` outside Java's own syntax (a Maven archetype or other template): read as an
  identifier of underscores. A template that still does not parse is MSG002, not MSG001.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from msglint.model import Span
from msglint.readers import ParseError

_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        import tree_sitter_java
        from tree_sitter import Language, Parser

        _PARSER = Parser(Language(tree_sitter_java.language()))
    return _PARSER


@dataclass
class Source:
    root: Any  # tree_sitter.Node of the compilation unit
    data: bytes
    lines: list[bytes]

    def text(self, node: Any) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def span(self, node: Any) -> Span:
        (row, column), (end_row, end_column) = node.start_point, node.end_point
        return Span(row + 1, self._column(row, column), end_row + 1, self._column(end_row, end_column))

    def _column(self, row: int, byte_column: int) -> int:
        """tree-sitter counts bytes; findings count characters."""
        line = self.lines[row] if row < len(self.lines) else b""
        return len(line[:byte_column].decode("utf-8", errors="replace")) + 1


def parse(text: str) -> Source:
    data = text.encode("utf-8")
    tree = _parser().parse(data)
    if tree.root_node.has_error:
        readable = _around_gaps(data)
        if readable != data:
            tree = _parser().parse(readable)
    source = Source(tree.root_node, data, data.split(b"\n"))
    if tree.root_node.has_error:
        bad = _first_error(tree.root_node)
        span = source.span(bad) if bad is not None else Span.point(1)
        what = f"missing `{bad.type}`" if bad is not None and bad.is_missing else "a syntax error"
        if _TEMPLATE.search(data):
            raise ParseError(
                f"a template that is not Java until it is rendered ({what}); skipped: lint the "
                "generated sources instead",
                span.line,
                span.column,
                code="MSG002",
            )
        raise ParseError(f"invalid Java: {what}", span.line, span.column)
    return source


_ELLIPSIS = re.compile(rb"\.\.\.")
_SPACE = b" \t\r\n\f"
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_$.")
_ANNOTATION_ARGUMENTS = 4096  # bytes of `(...)` after an annotation looked through, back from its `)`
_MODULE_IMPORT = re.compile(rb"(?m)^([ \t]*import\s+)(module)(?=\s+[\w$.]+\s*;)")
# an explicit constructor call where a statement starts (after `;`, `{` or `}`)
_LATE_CONSTRUCTOR_CALL = re.compile(rb"(?<=[;{}])(\s*)(super|this)(?=\s*\()")
_TEMPLATE = re.compile(rb"\$\{[\w.-]+\}")


def _blank(match: re.Match[bytes]) -> bytes:
    return re.sub(rb"[^\n]", b" ", match.group(0))


def _blank_varargs_annotations(data: bytes) -> bytes:
    """Blank the type annotations right before each ``...`` (``@A @B(x = "(y)") ...``), read
    backwards from it: linear, where a pattern tried at every ``@`` would be quadratic on a long run
    of annotations."""
    out = bytearray(data)
    for match in _ELLIPSIS.finditer(data):
        end = match.start()
        start = end
        i = end
        while True:
            while i > 0 and data[i - 1] in _SPACE:
                i -= 1
            if i > 0 and data[i - 1] == ord(")"):
                i = _opening_parenthesis(data, i - 1)
                if i < 0:
                    break
                while i > 0 and data[i - 1] in _SPACE:
                    i -= 1
            name_end = i
            while i > 0 and data[i - 1] in _NAME_BYTES:
                i -= 1
            if i == name_end or i == 0 or data[i - 1] != ord("@"):
                break
            i -= 1
            start = i
        for k in range(start, end):
            if out[k] != ord("\n"):
                out[k] = ord(" ")
    return bytes(out)


def _opening_parenthesis(data: bytes, close: int) -> int:
    """The ``(`` that opens the ``)`` at ``close``, with parentheses nested one level inside (as
    annotation arguments are written), looked for up to ``_ANNOTATION_ARGUMENTS`` bytes back; -1."""
    low = max(0, close - _ANNOTATION_ARGUMENTS)
    level, i = 1, close
    while True:
        opening, closing = data.rfind(b"(", low, i), data.rfind(b")", low, i)
        if opening < 0:
            return -1
        if closing > opening:
            level, i = level + 1, closing
            if level > 2:
                return -1
            continue
        level, i = level - 1, opening
        if level == 0:
            return opening


def _around_gaps(data: bytes) -> bytes:
    """``data`` with the constructs tree-sitter-java cannot parse rewritten, each to the same length."""
    data = _blank_varargs_annotations(data)
    data = _MODULE_IMPORT.sub(lambda m: m.group(1) + b" " * len(m.group(2)), data)
    data = _LATE_CONSTRUCTOR_CALL.sub(lambda m: m.group(1) + b"$" + m.group(2)[1:], data)
    return _TEMPLATE.sub(lambda m: b"_" * len(m.group(0)), data)


def _first_error(node: Any) -> Any:
    """The first ERROR or missing node in source order (iterative: errors nest thousands deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "ERROR" or current.is_missing:
            return current
        stack.extend(reversed([c for c in current.children if c.has_error or c.is_missing]))
    return None


def walk(node: Any) -> Any:
    """Every node below ``node``, depth first, in source order (iterative: Java nests deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
