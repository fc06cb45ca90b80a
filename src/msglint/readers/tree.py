"""A small positioned tree shared by the YAML and JSON readers: extractors walk it, never ruamel."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from msglint.model import Span


@dataclass(eq=False)
class Node:
    span: Span


@dataclass(eq=False)
class Scalar(Node):
    value: str
    tag: str = "str"  # str, int, float, bool, null (as the YAML 1.2 core schema resolves it)
    quoted: bool = False
    block: bool = False  # a literal or folded block scalar (| or >), which spans lines


@dataclass(eq=False)
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)
    flow: bool = False  # written {a: 1, b: 2}: a new key cannot go on a line of its own

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)
    flow: bool = False


_YAML11_BOOLEANS = {
    **dict.fromkeys(("yes", "Yes", "YES", "on", "On", "ON"), "true"),
    **dict.fromkeys(("no", "No", "NO", "off", "Off", "OFF"), "false"),
}


_YAML11_INT = re.compile(r"^([-+]?)(0b[01_]+|0x[0-9a-fA-F_]+|0[0-7_]+|[1-9][0-9_]*|0)$")


def yaml11_text(value: Scalar) -> str:
    """The text a YAML 1.1 reader hands on: SnakeYAML (Spring Boot) and go-yaml (Kubernetes) resolve
    ``on``/``yes`` as booleans and ``0x10``, ``010``, ``1_000`` as integers, which the consumer then
    turns back into text in their canonical form."""
    text = value.value
    if value.quoted or value.block:
        return text
    if text in _YAML11_BOOLEANS:
        return _YAML11_BOOLEANS[text]
    match = _YAML11_INT.match(text)
    if match:
        sign, digits = match.groups()
        digits = digits.replace("_", "")
        base = 2 if digits.startswith("0b") else 16 if digits.startswith("0x") else 8 if digits[0] == "0" else 10
        body = digits[2:] if base in (2, 16) else digits
        try:
            return str(int(sign + body, base))
        except ValueError:
            return text
    return text
