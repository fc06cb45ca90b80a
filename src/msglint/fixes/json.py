"""Fixes in JSON (RabbitMQ definitions, NATS stream and consumer files): shown, never edited."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

from msglint.model import Fix, Setting


def json_value(text: str) -> str:
    if text in ("true", "false", "null"):
        return text
    try:
        float(text)
        return text
    except ValueError:
        return json.dumps(text)


@dataclass
class JsonWriter:
    """JSON has no room for a new line without touching its neighbours' commas: the fix is shown as
    the member to add, and no edit is made."""

    path: str
    where: Callable[[str], str]  # key -> where it goes, e.g. "the queue's arguments"

    def insert(self, key: str, value: str) -> Fix | None:
        member = f"{json_value(key)}: {json_value(value)}"
        return Fix(f"Add `{member}` to {self.where(key)}", member, (), "display-only")

    def rename(self, current: Setting, key: str) -> Fix | None:
        return None
