"""Fixes in Java source: a new key is shown as the ``put`` or setter line to add, not inserted; a
written value is replaced in place (``replace_value``) as a Java literal."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from msglint.kafka import keys
from msglint.model import Fix, Setting


def java_value(kind: str, text: str) -> str:
    """A canonical value written as a Java literal, keeping a string a string."""
    if kind != "javastr" and (text in ("true", "false") or text.lstrip("-").isdigit()):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@dataclass
class JavaWriter:
    """A client's ``Properties``/``Map`` configuration: a ``put`` line, or a ``Map.of`` entry."""

    path: str
    variable: str  # the configuration's variable, when it has one
    constants: Mapping[str, str] = field(default_factory=dict)  # ProducerConfig/ConsumerConfig constant -> key

    def insert(self, key: str, value: str) -> Fix | None:
        constant = next((c for c, k in self.constants.items() if k == key), None)
        owner = "ProducerConfig" if key in keys.PRODUCER_KEYS else "ConsumerConfig"
        written = f"{owner}.{constant}" if constant else f'"{key}"'
        if not self.variable:  # an inline Map.of(...): no variable to put into
            entry = f"{written}, {java_value('', value)}"
            return Fix(f"Add `{entry}` to the configuration", entry, (), "display-only")
        line = f"{self.variable}.put({written}, {java_value('', value)});"
        return Fix(f"Add `{line}`", line, (), "display-only")

    def rename(self, current: Setting, key: str) -> Fix | None:
        return None


@dataclass
class SetterWriter:
    """A Spring container factory or connection factory: the setter call to add."""

    path: str
    variable: str
    setters: dict[str, tuple[str, str]]  # setter -> (key, how its argument reads)

    receivers: dict[str, str] | None = None  # setter -> the variable it is called on, when not ``variable``
    enums: Mapping[str, str] = field(default_factory=dict)  # key -> the enum its setter takes

    def insert(self, key: str, value: str) -> Fix | None:
        setter = next((s for s, (k, r) in self.setters.items() if k == key and r != "legacy-confirms"), None)
        if setter is None:
            return None
        enum = self.enums.get(key)
        argument = f"{enum}.{value.upper()}" if enum else java_value("", value)
        variable = (self.receivers or {}).get(setter, self.variable)
        owner = f"{variable}.getContainerProperties()" if setter == "setAckMode" else variable
        line = f"{owner}.{setter}({argument});"
        return Fix(f"Add `{line}`", line, (), "display-only")

    def rename(self, current: Setting, key: str) -> Fix | None:
        return None


@dataclass
class StreamAddWriter:
    """A stream append in Lettuce, Jedis or Spring Data Redis: the length cap to pass, as each writes it."""

    path: str
    style: str = ""

    def insert(self, key: str, value: str) -> Fix | None:
        if key != "maxlen":
            return None
        snippet = f"XAddArgs.Builder.maxlen({value}).approximateTrimming()"
        return Fix(
            f"Pass `{snippet}` (Lettuce; Jedis: `XAddParams.xAddParams().maxLen({value}).approximateTrimming()`; "
            f"Spring Data Redis: `XAddOptions.maxlen({value}).approximateTrimming(true)`)",
            snippet,
            (),
            "display-only",
        )

    def rename(self, current: Setting, key: str) -> Fix | None:
        return None
