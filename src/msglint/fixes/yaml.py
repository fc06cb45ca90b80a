"""Fixes in YAML: a new key nested under the deepest mapping of its path that exists."""

from __future__ import annotations

import re
from dataclasses import dataclass

from msglint.fixes.naming import KeyWriter, line_end, properties_key
from msglint.model import Edit, Fix, Span
from msglint.readers.tree import Mapping, Node
from msglint.spring import binding as spring

_YAML_PLAIN = re.compile(r"^[A-Za-z0-9_./+-][A-Za-z0-9_./+ -]*$")
_YAML_SPECIAL = {"yes", "no", "on", "off", "y", "n", "~", "null"}


def yaml_scalar(text: str) -> str:
    if _YAML_PLAIN.match(text) and text.lower() not in _YAML_SPECIAL and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_key(segment: str) -> str:
    return f'"{segment}"' if segment.startswith("[") else segment


@dataclass
class YamlWriter(KeyWriter):
    """Adds a key to a YAML document, nested under the deepest mapping of its path that exists."""

    root: Node | None = None
    last_line: int = 0  # the document's last line, to append when nothing of the path exists
    literal: bool = False  # keys are literal (Kubernetes: `min.insync.replicas` is one key), not Spring paths
    only: frozenset[str] | None = None  # the keys the file has a place for (a chart's own values); None: all

    def insert(self, key: str, value: str) -> Fix | None:
        if self.only is not None and key not in self.only:
            return None
        segments, kind = self.naming(key)
        text = yaml_scalar(spring.render_value(kind, value))
        mapping, rest = _deepest(self.root, segments, self.literal)
        if mapping is not None and (mapping.flow or not mapping.items):
            return None  # `config: {}` or `{a: 1}`: a new line cannot go there without rewriting it
        if mapping is not None and _occupied(mapping, rest[0], self.literal):
            return None  # `properties: |` or `producer: *base` holds the name: a second one would be a duplicate
        if mapping is None:
            indent, after = 0, self.last_line
        else:
            indent = mapping.items[0][0].span.column - 1
            last_key, last_value = mapping.items[-1]
            after = _last_line(last_key, last_value, self.lines)
        lines = []
        if not self.literal and mapping is not None and len(rest) > 1 and _flat_style(mapping, rest[0]):
            # the document writes dotted keys (spring.kafka.consumer.group-id: x): one more of the same,
            # since a second `spring:` block would be a duplicate key
            flat = properties_key(rest)
            lines.append(f"{' ' * indent}{yaml_key(flat) if flat.startswith('[') else _quote_brackets(flat)}: {text}")
        for depth, seg in enumerate([] if lines else rest):
            tail = f" {text}" if depth == len(rest) - 1 else ""
            lines.append(f"{' ' * (indent + 2 * depth)}{yaml_key(seg)}:{tail}")
        block = "\n".join(lines)
        parent = ".".join(segments[: len(segments) - len(rest)]) or "the top level"
        snippet = "\n".join(line[indent:] for line in lines)
        shown = snippet if len(lines) == 1 else yaml_key(rest[0])
        title = f"Add `{shown}` under `{parent}`"
        if after == 0:
            edit = Edit(self.path, Span.point(1), block + "\n")
        else:
            edit = Edit(self.path, line_end(self.lines, after), "\n" + block)
        return Fix(title, snippet, (edit,))


def _occupied(mapping: Mapping, first: str, literal: bool) -> bool:
    """Does ``mapping`` already have the key a new block would start with (as a scalar, a block
    scalar, an alias: anything ``_deepest`` did not descend into)?"""
    for k, _ in mapping.items:
        parts = [k.value] if literal else spring.split_key(k.value)
        if parts and (parts[0] == first if literal else spring.same_segment(parts[0], first)) and len(parts) == 1:
            return True
    return False


def _flat_style(mapping: Mapping, first: str) -> bool:
    return any(
        len(parts) > 1 and spring.same_segment(parts[0], first)
        for parts in (spring.split_key(k.value) for k, _ in mapping.items)
    )


def _quote_brackets(key: str) -> str:
    return f'"{key}"' if "[" in key else key


def _last_line(key: Node, value: Node, lines: list[str]) -> int:
    """The last line that holds ``value``. A block collection ends where the next token starts: at
    the start of the next line, or after its indentation (``  binder:`` of a parent mapping)."""
    span = value.span
    if span.end_line > key.span.line and (
        span.end_column == 1
        or (0 < span.end_line <= len(lines) and not lines[span.end_line - 1][: span.end_column - 1].strip())
    ):
        return span.end_line - 1
    return span.end_line


def _deepest(root: Node | None, segments: list[str], literal: bool = False) -> tuple[Mapping | None, list[str]]:
    if not isinstance(root, Mapping):
        return None, segments
    current, rest = root, segments
    while rest:
        for k, v in current.items:
            if literal:
                if isinstance(v, Mapping) and k.value == rest[0] and len(rest) > 1 and v.span.line >= k.span.line:
                    current, rest = v, rest[1:]
                    break
                continue
            parts = spring.split_key(k.value)
            if (
                isinstance(v, Mapping)
                and len(parts) < len(rest)
                and all(spring.same_segment(a, b) for a, b in zip(parts, rest, strict=False))
                and (v.span.line, v.span.column) >= (k.span.line, k.span.column)  # not an alias
            ):
                current, rest = v, rest[len(parts) :]
                break
        else:
            break
    return current, rest
