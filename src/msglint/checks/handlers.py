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


def endless_fixed_retry(loop: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    delay = loop.attributes.get("retry-delay")
    if delay is None:
        return
    yield Hit(
        f"a `while True` retry loop that waits a fixed {delay} s after each failure and never gives up: a "
        "failure that does not go away (a poison message, a bug, a long outage) keeps this loop, and the "
        "messages waiting behind it, stuck for ever, and every instance retries in lockstep; bound the "
        "attempts, back off exponentially with jitter, then dead-letter",
        None,
    )
