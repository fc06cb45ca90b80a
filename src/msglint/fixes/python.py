"""Fixes in Python source (confluent-kafka dicts, kafka-python/aiokafka/pika/nats-py keywords):
new keys are shown, not inserted, since where a dict literal or call ends is too varied to edit
safely; a written value is replaced in place (``replace_value``) as a Python literal."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from msglint import numbers
from msglint.model import Fix, Setting


def python_value(kind: str, text: str) -> str:
    """A canonical value written as a Python literal, keeping a string a string."""
    if kind != "pystr" and text in ("true", "false"):
        return "True" if text == "true" else "False"
    if kind != "pystr" and text.lstrip("-").isdigit():
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _shown(title: str, snippet: str) -> Fix:
    return Fix(title, snippet, (), "display-only")


@dataclass
class PythonWriter:
    """A configuration dict (``style`` dict) or a client's keyword arguments (kwargs)."""

    path: str
    style: str  # dict or kwargs
    keywords: Mapping[str, str] = field(default_factory=dict)  # keyword -> key, where not the key's `_` form

    def insert(self, key: str, value: str) -> Fix | None:
        literal = python_value("", value)
        if self.style == "dict":
            return _shown(f'Add `"{key}": {literal}` to the configuration', f'"{key}": {literal}')
        name = next((k for k, v in self.keywords.items() if v == key), key.replace(".", "_"))
        return _shown(f"Add `{name}={literal}` to the call", f"{name}={literal}")

    def rename(self, current: Setting, key: str) -> Fix | None:
        return None


@dataclass
class QueueWriter(PythonWriter):
    """pika/aio-pika: queue flags are keywords of the declaration; ``x-`` keys belong in its
    ``arguments`` dict."""

    def insert(self, key: str, value: str) -> Fix | None:
        if key.startswith("x-"):
            literal = python_value("pystr" if not value.lstrip("-").isdigit() else "", value)
            return _shown(f'Add `"{key}": {literal}` to the queue\'s arguments', f'"{key}": {literal}')
        return super().insert(key, value)


@dataclass
class NatsWriter(PythonWriter):
    """nats-py keywords in its own terms: enums for policies, seconds for durations."""

    enums: Mapping[str, str] = field(default_factory=dict)  # key -> its enum class (AckPolicy)
    members: Mapping[str, str] = field(default_factory=dict)  # value -> enum member, where not upper-cased
    durations: Collection[str] = ()  # keys the server reads in nanoseconds

    def insert(self, key: str, value: str) -> Fix | None:
        if key in self.enums:
            literal = f"{self.enums[key]}.{self.members.get(value, value.upper())}"
        elif key in self.durations and numbers.parse_int(value) is not None:
            seconds = Decimal(value) / 10**9  # exact: a fix's value, in nanoseconds
            literal = str(seconds.to_integral_value()) if seconds == seconds.to_integral_value() else str(seconds)
        elif value in ("true", "false"):
            literal = value.capitalize()
        else:
            return super().insert(key, value)
        return _shown(f"Add `{key}={literal}` to the call", f"{key}={literal}")


@dataclass
class StreamAddWriter(PythonWriter):
    """redis-py's ``xadd``/``xtrim``: a length cap goes with ``approximate=True``, so Redis trims
    whole macro nodes (cheap) rather than to the exact entry."""

    def insert(self, key: str, value: str) -> Fix | None:
        if key == "maxlen":
            return _shown(f"Add `maxlen={value}, approximate=True` to the call", f"maxlen={value}, approximate=True")
        return super().insert(key, value)
