"""YAML with positions, via ruamel.yaml's C-backed parser (imported only when a YAML file is read).

Multi-document streams, anchors/aliases and ``<<`` merge keys are resolved into ``tree`` nodes.
The text's nesting is checked before ruamel sees it (``depth.check_yaml``), and what aliases add
after (``tree.measure``): no walk of the tree is then deeper than ``depth.NESTING`` or bigger than
the file plus ``ALIAS_BUDGET`` nodes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from msglint.model import Span
from msglint.readers import ParseError, depth
from msglint.readers.tree import ALIAS_BUDGET, Mapping, Node, Scalar, Sequence, measure

_loader: Any = None


def _yaml() -> Any:
    global _loader
    if _loader is None:
        from ruamel.yaml import YAML

        try:
            _loader = YAML(typ="safe", pure=False)
        except Exception:  # no C extension on this platform: the pure parser is slower, not wrong
            _loader = YAML(typ="safe", pure=True)
    return _loader


def _span(node: Any) -> Span:
    s, e = node.start_mark, node.end_mark
    return Span(s.line + 1, s.column + 1, e.line + 1, e.column + 1)


_TAGS = {
    "tag:yaml.org,2002:str": "str",
    "tag:yaml.org,2002:int": "int",
    "tag:yaml.org,2002:float": "float",
    "tag:yaml.org,2002:bool": "bool",
    "tag:yaml.org,2002:null": "null",
}


_MERGE = "tag:yaml.org,2002:merge"


class _Converter:
    """ruamel nodes to tree nodes, iteratively (children before their parent). An alias is the same
    tree node as its anchor, so a recursive anchor gives a node inside itself, as before."""

    def __init__(self, budget: int = ALIAS_BUDGET) -> None:
        self.made: dict[int, Node] = {}
        self.budget = budget
        self.copied = 0  # items merge keys copied: each `<<: *x` copies x's items
        self.shared = False  # some node was reached twice: an alias
        self.duplicate: ParseError | None = None  # the first key written twice, in document order

    def convert(self, root: Any) -> Node:
        stack: list[tuple[Any, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if done:
                self._finish(node)
                continue
            if id(node) in self.made:
                self.shared = True
                continue
            self.made[id(node)] = self._start(node)
            if node.id == "scalar":
                continue
            stack.append((node, True))
            for child in reversed(list(_children(node))):
                stack.append((child, False))
        if self.duplicate is not None:
            raise self.duplicate
        return self.made[id(root)]

    @staticmethod
    def _start(node: Any) -> Node:
        if node.id == "scalar":
            style = node.style or ""
            return Scalar(_span(node), node.value, _TAGS.get(node.tag, "str"), bool(style), style in ("|", ">"))
        if node.id == "sequence":
            return Sequence(_span(node), flow=bool(node.flow_style))
        return Mapping(_span(node), flow=bool(node.flow_style))

    def _finish(self, node: Any) -> None:
        out = self.made[id(node)]
        if isinstance(out, Sequence):
            out.items = [self.made[id(child)] for child in node.value]
            return
        assert isinstance(out, Mapping)
        items: list[tuple[Scalar, Node]] = []
        firsts: dict[str, Scalar] = {}
        merged: list[tuple[Scalar, Node]] = []
        for key, value in node.value:
            if key.tag == _MERGE:
                for source in _merge_sources(value):
                    converted = self.made[id(source)]
                    if isinstance(converted, Mapping):
                        merged.extend(converted.items)
                        self.copied += len(converted.items)
                if self.copied > self.budget:
                    raise ParseError(
                        f"merge keys copy more than {self.budget} entries (an alias bomb?)",
                        key.start_mark.line + 1,
                        key.start_mark.column + 1,
                    )
                continue
            k = self.made[id(key)]
            if not isinstance(k, Scalar):  # complex keys cannot name a setting
                k = Scalar(k.span, "", "str")
            if k.value:
                first = firsts.get(k.value)
                if first is not None:
                    # SnakeYAML (Spring Boot) and Kubernetes both reject a mapping with a key written twice
                    if self.duplicate is None or (k.span.line, k.span.column) < (
                        self.duplicate.line,
                        self.duplicate.column,
                    ):
                        message = f"duplicate key '{k.value}' (first written at line {first.span.line})"
                        self.duplicate = ParseError(message, k.span.line, k.span.column)
                    continue
                firsts[k.value] = k
            items.append((k, self.made[id(value)]))
        present = {k.value for k, _ in items}
        for k, v in merged:  # explicit keys win over merged ones, as YAML merge says
            if k.value not in present:
                items.append((k, v))
                present.add(k.value)
        out.items = items


def _merge_sources(value: Any) -> list[Any]:
    return list(value.value) if value.id == "sequence" else [value]


def _children(node: Any) -> Iterator[Any]:
    """The ruamel nodes a collection's tree node is made of, in document order."""
    if node.id == "sequence":
        yield from node.value
        return
    for key, value in node.value:
        if key.tag == _MERGE:
            yield from _merge_sources(value)
        else:
            yield key
            yield value


def parse(text: str, budget: int = ALIAS_BUDGET) -> list[Node | None]:
    """Every document of the stream; an empty document is None."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    depth.check_yaml(text)  # before the C composer, which recurses on the machine stack
    try:
        composed = list(_yaml().compose_all(io.StringIO(text)))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ParseError(f"invalid YAML: {problem}", line, column) from None
    except YAMLError as exc:
        raise ParseError(f"invalid YAML: {type(exc).__name__}") from None
    converter = _Converter(budget)
    out: list[Node | None] = []
    for doc in composed:
        node = None if doc is None else converter.convert(doc)
        out.append(None if isinstance(node, Scalar) and node.tag == "null" else node)
    if converter.shared:
        measure(out, budget, depth.NESTING)
    return out
