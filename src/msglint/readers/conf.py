"""``rabbitmq.conf``: the sysctl-like format of RabbitMQ's cuttlefish schema.

One ``key = value`` a line; ``#`` starts a comment line; keys are dotted names. A non-empty line
without ``=`` is an error (the node refuses to start on it), reported with its line.
"""

from __future__ import annotations

from msglint.model import Span
from msglint.readers import ParseError, split_lines
from msglint.readers.properties import Entry


def parse(text: str, first_line: int = 1, indent: int = 0) -> list[Entry]:
    """Entries with positions; ``first_line``/``indent`` place text embedded in another file (the
    ``additionalConfig`` block of a RabbitmqCluster) at its real lines and columns."""
    entries = []
    for n, raw in enumerate(split_lines(text)):
        line_no = first_line + n
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if "=" not in raw:
            column = indent + len(raw) - len(raw.lstrip()) + 1
            raise ParseError("not a `key = value` line (RabbitMQ refuses to start on it)", line_no, column)
        key_part, _, value_part = raw.partition("=")
        key = key_part.strip()
        value = value_part.strip()
        key_col = indent + len(key_part) - len(key_part.lstrip()) + 1
        value_col = indent + len(key_part) + 1 + len(value_part) - len(value_part.lstrip()) + 1
        key_span = Span(line_no, key_col, line_no, key_col + len(key))
        value_span = Span(line_no, value_col, line_no, value_col + len(value))
        entries.append(
            Entry(key, value, Span(line_no, key_col, line_no, value_span.end_column), key_span, value_span, 0)
        )
    return entries
