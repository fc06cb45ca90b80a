"""Python source, parsed with libcst (imported only when a Python file is read) with positions.

``parse`` returns the module and a function giving any node's span; a syntax error is a ParseError
at its line and column. Nesting is checked on the text first (``depth.check_python``): libcst's
Rust parser crashes on brackets nested some thousands deep and takes cubic time on long chains of
operators, and its position metadata recurses in Python.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from msglint.model import Span
from msglint.readers import ParseError, caused_by, depth

_INVALID_NAME = re.compile(r"^Name (?P<name>'.*'|\".*\") is not a valid identifier")


def parse(text: str) -> tuple[Any, Callable[[Any], Span]]:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    depth.check_python(text)
    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = re.sub(r"^parser error: error at \d+:\d+: ", "", exc.message)
        raise ParseError(f"invalid Python: {message}", max(exc.editor_line, 1), max(exc.editor_column, 1)) from None
    except cst.CSTValidationError as exc:
        # the Rust tokenizer's Unicode tables are newer than the interpreter's: a name it accepts
        # that str.isidentifier() refuses (CPython refuses it too)
        raise _invalid_name(text, str(exc.args[0]) if exc.args else "") from None
    try:
        positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    except Exception as exc:
        if caused_by(exc, RecursionError):  # libcst turns it into a KeyError on the way out
            raise ParseError("nested too deeply to read (libcst's position metadata ran out of stack)") from None
        raise

    def span(node: Any) -> Span:
        p = positions[node]
        return Span(p.start.line, p.start.column + 1, p.end.line, p.end.column + 1)

    return module, span


def _invalid_name(text: str, message: str) -> ParseError:
    import ast

    match = _INVALID_NAME.match(message)
    name = ""
    if match:
        try:
            name = str(ast.literal_eval(match.group("name")))
        except (ValueError, SyntaxError):
            name = ""
    at = text.find(name) if name else -1
    if at < 0:
        return ParseError("invalid Python: a name that is not a valid identifier")
    line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
    return ParseError(f"invalid Python: {name!r} is not a valid identifier", line, column)
