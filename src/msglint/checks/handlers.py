"""Message handlers in source code, on the patterns the extractors found in them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.model import Entity, Origin, Span


def swallowed_then_acknowledged(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    at = handler.attributes.get("ack-at")
    if not at:
        return
    line, column, end_line, end_column = (int(n) for n in at.split(":"))
    call = handler.attributes.get("ack-call", "ack")
    yield Hit(
        f"this except clause catches every error and carries on to {call}() at line {line}: a message whose "
        "processing failed is acknowledged like a processed one, with no retry and no dead-letter route; "
        "re-raise, or reject/nack it (or publish it to a dead-letter topic) before acknowledging",
        None,
        related=((Origin(handler.path, Span(line, column, end_line, end_column), call, "python"), "acknowledgement"),),
    )
