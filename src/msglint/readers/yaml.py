"""YAML with positions, via ruamel.yaml's C-backed parser (imported only when a YAML file is read).

Multi-document streams, anchors/aliases and ``<<`` merge keys are resolved into ``tree`` nodes.
"""

from __future__ import annotations

import io
from typing import Any

from msglint.model import Span
from msglint.readers import ParseError
from msglint.readers.tree import Mapping, Node, Scalar, Sequence

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


class _Converter:
    def __init__(self) -> None:
        self.seen: dict[int, Node] = {}

    def convert(self, node: Any) -> Node:
        known = self.seen.get(id(node))
        if known is not None:
            return known  # an alias: the same node, so recursive anchors terminate
        kind = node.id
        if kind == "scalar":
            style = node.style or ""
            out: Node = Scalar(_span(node), node.value, _TAGS.get(node.tag, "str"), bool(style), style in ("|", ">"))
            self.seen[id(node)] = out
            return out
        if kind == "sequence":
            seq = Sequence(_span(node), flow=bool(node.flow_style))
            self.seen[id(node)] = seq
            seq.items = [self.convert(child) for child in node.value]
            return seq
        mapping = Mapping(_span(node), flow=bool(node.flow_style))
        self.seen[id(node)] = mapping
        merged: list[tuple[Scalar, Node]] = []
        for key, value in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                sources = value.value if value.id == "sequence" else [value]
                for source in sources:
                    converted = self.convert(source)
                    if isinstance(converted, Mapping):
                        merged.extend(converted.items)
                continue
            k = self.convert(key)
            if not isinstance(k, Scalar):  # complex keys cannot name a setting
                k = Scalar(k.span, "", "str")
            first = next((seen for seen, _ in mapping.items if seen.value == k.value and k.value), None)
            if first is not None:
                # SnakeYAML (Spring Boot) and Kubernetes both reject a mapping with a key written twice
                raise ParseError(
                    f"duplicate key '{k.value}' (first written at line {first.span.line})", k.span.line, k.span.column
                )
            mapping.items.append((k, self.convert(value)))
        present = {k.value for k, _ in mapping.items}
        for k, v in merged:  # explicit keys win over merged ones, as YAML merge says
            if k.value not in present:
                mapping.items.append((k, v))
                present.add(k.value)
        return mapping


def parse(text: str) -> list[Node | None]:
    """Every document of the stream; an empty document is None."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        composed = list(_yaml().compose_all(io.StringIO(text)))
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        raise ParseError(f"invalid YAML: {problem}", line, column) from None
    except YAMLError as exc:
        raise ParseError(f"invalid YAML: {type(exc).__name__}") from None
    converter = _Converter()
    out: list[Node | None] = []
    for doc in composed:
        try:
            node = None if doc is None else converter.convert(doc)
        except RecursionError:
            raise ParseError("nested too deeply to read") from None
        out.append(None if isinstance(node, Scalar) and node.tag == "null" else node)
    return out
