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
            raise ParseError(f"a template that is not Java until it is rendered ({what}); skipped: lint the "
                             "generated sources instead", span.line, span.column, code="MSG002")  # fmt: skip
        raise ParseError(f"invalid Java: {what}", span.line, span.column)
    return source


# a type annotation (with its arguments, one level of parentheses) right before `...`
_VARARGS_ANNOTATIONS = re.compile(rb"(?:@[\w$.]+(?:\s*\((?:[^()]|\([^()]*\))*\))?\s*)+(?=\.\.\.)")
_MODULE_IMPORT = re.compile(rb"(?m)^(\s*import\s+)(module)(?=\s+[\w$.]+\s*;)")
# an explicit constructor call where a statement starts (after `;`, `{` or `}`)
_LATE_CONSTRUCTOR_CALL = re.compile(rb"(?<=[;{}])(\s*)(super|this)(?=\s*\()")
_TEMPLATE = re.compile(rb"\$\{[\w.-]+\}")


def _blank(match: re.Match[bytes]) -> bytes:
    return re.sub(rb"[^\n]", b" ", match.group(0))


def _around_gaps(data: bytes) -> bytes:
    """``data`` with the constructs tree-sitter-java cannot parse rewritten, each to the same length."""
    data = _VARARGS_ANNOTATIONS.sub(_blank, data)
    data = _MODULE_IMPORT.sub(lambda m: m.group(1) + b" " * len(m.group(2)), data)
    data = _LATE_CONSTRUCTOR_CALL.sub(lambda m: m.group(1) + b"$" + m.group(2)[1:], data)
    return _TEMPLATE.sub(lambda m: b"_" * len(m.group(0)), data)


def _first_error(node: Any) -> Any:
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = _first_error(child)
            if found is not None:
                return found
    return None


def walk(node: Any) -> Any:
    """Every node below ``node``, depth first, in source order (iterative: Java nests deep)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(current.children))
