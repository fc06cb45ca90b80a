"""Java source, parsed in-process with tree-sitter (imported only when a Java file is read).

``parse`` returns a ``Source``: the syntax tree plus what every extractor needs to name places and
read text. tree-sitter recovers from errors instead of failing, so a tree with an error node is
turned into a ParseError at the first one: half a class is not a basis for findings.
"""

from __future__ import annotations

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
    source = Source(tree.root_node, data, data.split(b"\n"))
    if tree.root_node.has_error:
        bad = _first_error(tree.root_node)
        span = source.span(bad) if bad is not None else Span.point(1)
        what = f"missing `{bad.type}`" if bad is not None and bad.is_missing else "a syntax error"
        raise ParseError(f"invalid Java: {what}", span.line, span.column)
    return source


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
