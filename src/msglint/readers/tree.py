"""A small positioned tree shared by the YAML and JSON readers: extractors walk it, never ruamel."""

from __future__ import annotations

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


@dataclass(eq=False)
class Mapping(Node):
    items: list[tuple[Scalar, Node]] = field(default_factory=list)

    def get(self, key: str) -> Node | None:
        for k, v in self.items:
            if k.value == key:
                return v
        return None


@dataclass(eq=False)
class Sequence(Node):
    items: list[Node] = field(default_factory=list)
