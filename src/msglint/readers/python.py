"""Python source, parsed once with the stdlib ``ast`` module, with positions.

``parse`` returns a ``PythonTree``: the module, a span for any node (ast counts columns in UTF-8
bytes; a Span counts code points, so a line is decoded only when it is not ASCII), the source of a
node, and ``index``, one walk of the module shared by every extractor (``readers.pyindex``).
Nesting is checked on the text first (``depth.check_python``), so the walks never recurse deep.
libcst is not used here: it is loaded only to render or apply a fix.
"""

from __future__ import annotations

import ast
import io
import re
import tokenize
import unicodedata
import warnings
from functools import cached_property
from typing import TYPE_CHECKING

from msglint.model import Span
from msglint.readers import ParseError, depth

if TYPE_CHECKING:
    from msglint.readers.pyindex import Index

_NEWLINE = re.compile(r"\r\n|\r|\n")  # what CPython's tokenizer ends a line with
_WORD = re.compile(r"\w+")


class PythonTree:
    """A parsed module and the positions of its nodes."""

    def __init__(self, text: str, module: ast.Module) -> None:
        self.text = text
        self.module = module
        self.lines = _NEWLINE.split(text)
        self._encoded: dict[int, bytes] = {}

    def column(self, line: int, offset: int) -> int:
        """The 1-based code-point column of ast's byte ``offset`` on ``line``."""
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if text.isascii():
            return offset + 1
        encoded = self._encoded.get(line)
        if encoded is None:
            encoded = self._encoded[line] = text.encode("utf-8", "surrogatepass")
        return len(encoded[:offset].decode("utf-8", "ignore")) + 1

    def span(self, node: ast.AST | Span) -> Span:
        if isinstance(node, Span):
            return node  # a keyword's name, which ast keeps as a string
        line, end = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        start = self.column(line, node.col_offset)  # type: ignore[attr-defined]
        return Span(line, start, end, self.column(end, node.end_col_offset or 0))  # type: ignore[attr-defined]

    def name_span(self, node: ast.keyword) -> Span:
        """The span of a keyword argument's name (ast keeps only its text)."""
        column = self.column(node.lineno, node.col_offset)
        match = _WORD.match(self.lines[node.lineno - 1], column - 1)
        return Span(node.lineno, column, node.lineno, column + len(match.group() if match else node.arg or ""))

    def segment(self, node: ast.AST) -> str:
        """The node's source as written."""
        span = self.span(node)
        if span.line == span.end_line:
            return self.lines[span.line - 1][span.column - 1 : span.end_column - 1]
        middle = self.lines[span.line : span.end_line - 1]
        parts = [
            self.lines[span.line - 1][span.column - 1 :],
            *middle,
            self.lines[span.end_line - 1][: span.end_column - 1],
        ]
        return "\n".join(parts)

    def starts_line(self, node: ast.AST) -> bool:
        """Whether only indentation comes before the node on its line (a block, not `if x: y`)."""
        text = self.lines[node.lineno - 1]  # type: ignore[attr-defined]
        return not text[: self.column(node.lineno, node.col_offset) - 1].strip()  # type: ignore[attr-defined]

    @cached_property
    def index(self) -> Index:
        from msglint.readers.pyindex import Index

        return Index(self)


def parse(text: str) -> PythonTree:
    depth.check_python(text)
    try:
        return PythonTree(text, _parse(text))
    except SyntaxError as exc:
        raise _syntax_error(text, exc) from None
    except ValueError:  # source code string cannot contain null bytes
        raise ParseError("invalid Python: a null byte in the source") from None


def _parse(text: str) -> ast.Module:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid escape sequences: a warning, not this file's finding
        try:
            return ast.parse(text)
        except SyntaxError as exc:
            if "Exceeds the limit" in str(exc.msg):
                # a decimal literal beyond Python's 4,300-digit limit: the extractors read literals from
                # the text, so the parser gets zeros of the same length (same positions, no conversion)
                return ast.parse(_zeroed_long_integers(text))
            newer = _without_type_parameters(text)
            if newer == text:
                raise
            try:
                return ast.parse(newer)
            except SyntaxError:
                raise exc from None


_GENERIC = re.compile(r"^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+\w+[ \t]*(\[)", re.MULTILINE)
_TYPE_ALIAS = re.compile(r"^([ \t]*)type([ \t]+)(\w+)(?=[ \t]*[\[=])", re.MULTILINE)


def _without_type_parameters(text: str) -> str:
    """Python 3.12's ``def f[T](...)``, ``class C[T]:`` and ``type X = ...`` read by an older parser:
    the type parameters blanked (same positions), an alias as an assignment."""
    chars = list(text)
    for match in _GENERIC.finditer(text):
        level, at = 0, match.start(1)
        while at < len(chars):
            level += {"[": 1, "(": 1, "]": -1, ")": -1}.get(chars[at], 0)
            if chars[at] not in "\r\n":
                chars[at] = " "
            if level == 0:
                break
            at += 1
    return _TYPE_ALIAS.sub(lambda m: m.group(1) + m.group(3) + " " * (4 + len(m.group(2))), "".join(chars))


def _zeroed_long_integers(text: str) -> str:
    pieces: list[str] = []
    last = 0
    offsets = [0]
    for line in text.splitlines(keepends=True):
        offsets.append(offsets[-1] + len(line))
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.NUMBER and len(token.string) > 4000 and token.string.replace("_", "").isdigit():
            start = offsets[token.start[0] - 1] + token.start[1]
            pieces.append(text[last:start] + "0" * len(token.string))
            last = start + len(token.string)
    return "".join(pieces) + text[last:]


def _syntax_error(text: str, exc: SyntaxError) -> ParseError:
    line, column = max(exc.lineno or 1, 1), max(exc.offset or 1, 1)
    message = str(exc.msg)
    if message.startswith(("invalid character", "invalid non-printable character")):
        named = _invalid_name(text, line, column)
        if named is not None:
            return named
    return ParseError(f"invalid Python: {message}", line, column)


def _invalid_name(text: str, line: int, column: int) -> ParseError | None:
    """A name holding a character CPython's Unicode tables do not allow in one (newer letters)."""
    lines = _NEWLINE.split(text)
    if not 0 < line <= len(lines) or not 0 < column <= len(lines[line - 1]):
        return None
    row = lines[line - 1]

    def part(char: str) -> bool:
        return ("a" + char).isidentifier() or unicodedata.category(char) == "Cn"

    start, end = column - 1, column
    while start > 0 and part(row[start - 1]):
        start -= 1
    while end < len(row) and part(row[end]):
        end += 1
    name = row[start:end]
    if name == row[column - 1] or not any(("a" + c).isidentifier() for c in name):
        return None
    return ParseError(f"invalid Python: {name!r} is not a valid identifier", line, start + 1)
