"""Python source, parsed with libcst (imported only when a Python file is read) with positions.

``parse`` returns the module and a function giving any node's span; a syntax error is a ParseError
at its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from msglint.model import Span
from msglint.readers import ParseError


def parse(text: str) -> tuple[Any, Callable[[Any], Span]]:
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as exc:
        message = re.sub(r"^parser error: error at \d+:\d+: ", "", exc.message)
        raise ParseError(f"invalid Python: {message}", exc.editor_line, exc.editor_column) from None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)

    def span(node: Any) -> Span:
        p = positions[node]
        return Span(p.start.line, p.start.column + 1, p.end.line, p.end.column + 1)

    return module, span
