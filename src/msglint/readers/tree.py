"""A small positioned tree shared by the YAML and JSON readers: extractors walk it, never ruamel."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
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


# Nodes that aliases (YAML) or variable references (NATS) may add to a file beyond those written.
ALIAS_BUDGET = 100_000


def measure(
    roots: Iterable[Node | None], budget: int = ALIAS_BUDGET, depth_limit: int = 200, what: str = "aliases"
) -> None:
    """ParseError when shared nodes (an alias, a variable) make the tree, as a recursive walk sees
    it, more than ``budget`` nodes bigger than the one written, or deeper than ``depth_limit``: a
    746-byte alias bomb is billions of nodes to such a walk, a chain of aliases thousands of levels.
    Iterative and linear in the nodes written: a node met again adds its size without a walk. A
    recursive alias (a node inside itself) counts once, as the walkers stop there."""
    from msglint.readers import ParseError

    finished: dict[int, tuple[int, int]] = {}  # id -> (size as walked, depth), capped
    owner: dict[int, int] = {}  # id -> the container whose edge to it is the written one
    extra = 0
    for root in roots:
        if not isinstance(root, Mapping | Sequence):
            continue
        owner.setdefault(id(root), 0)
        stack: list[tuple[Mapping | Sequence, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if not done:
                if id(node) in finished:
                    continue
                finished[id(node)] = (1, 1)  # provisional while open: what a recursive alias costs
                stack.append((node, True))
                for child, _ in _children(node):
                    if isinstance(child, Mapping | Sequence) and id(child) not in finished:
                        owner.setdefault(id(child), id(node))
                        stack.append((child, False))
                continue
            size, depth = 1, 1
            written: set[int] = set()
            for child, place in _children(node):
                if not isinstance(child, Mapping | Sequence):
                    size, depth = size + 1, max(depth, 2)
                    continue
                child_size, child_depth = finished[id(child)]
                size, depth = size + child_size, max(depth, child_depth + 1)
                if owner.get(id(child)) == id(node) and id(child) not in written:
                    written.add(id(child))
                    continue
                extra += child_size
                if extra > budget:
                    raise ParseError(
                        f"{what} expand to more than {budget} nodes beyond those written (an alias bomb?)",
                        place.line,
                        place.column,
                    )
            if depth > depth_limit:
                raise ParseError(
                    f"{what} nest the document too deeply ({depth} levels, limit {depth_limit})",
                    node.span.line,
                    node.span.column,
                )
            finished[id(node)] = (min(size, budget + 1), depth)


def _children(node: Mapping | Sequence) -> Iterator[tuple[Node, Span]]:
    """Each child with the place that holds it: a mapping value's key, a sequence's start (a shared
    node's own span is its anchor's, elsewhere)."""
    if isinstance(node, Mapping):
        for key, value in node.items:
            yield key, key.span
            yield value, key.span
    else:
        for item in node.items:
            yield item, node.span
