"""Fix suggestions rendered back into the syntax of the file they point at.

Rules ask for "key = value" on an entity; this module turns that into text edits: a new value in
place when the key is written, or a new line (YAML: a nested block at the right indentation) when
it is not. The edits are exact so that a later ``--fix`` can apply them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from msglint.kafka import spring
from msglint.kafka.keys import is_secret_key
from msglint.model import Edit, Fix, Setting, Span
from msglint.readers.tree import Mapping, Node

# key -> (property path segments, value kind); bracketed segments are map keys: "[linger.ms]"
Naming = Callable[[str], tuple[list[str], str]]

_YAML_PLAIN = re.compile(r"^[A-Za-z0-9_./+-][A-Za-z0-9_./+ -]*$")
_YAML_SPECIAL = {"yes", "no", "on", "off", "y", "n", "~", "null"}


def yaml_scalar(text: str) -> str:
    if _YAML_PLAIN.match(text) and text.lower() not in _YAML_SPECIAL and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_key(segment: str) -> str:
    return f'"{segment}"' if segment.startswith("[") else segment


def properties_value(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n")
    return "\\" + escaped if escaped.startswith((" ", "\t")) else escaped


def properties_key(segments: list[str]) -> str:
    out = ""
    for seg in segments:
        out += seg if seg.startswith("[") or not out else "." + seg
    return out


def json_value(text: str) -> str:
    import json

    if text in ("true", "false", "null"):
        return text
    try:
        float(text)
        return text
    except ValueError:
        return json.dumps(text)


def format_value(syntax: str, text: str, kind: str = "") -> str:
    if syntax in ("python", "python-kwarg"):
        from msglint.extract.python_kafka import python_value

        return python_value(kind, text)
    if syntax == "java":
        from msglint.extract.java_kafka import java_value

        return java_value(kind, text)
    if syntax == "yaml":
        return yaml_scalar(text)
    if syntax == "json":
        return json_value(text)
    return text if syntax == "conf" else properties_value(text)


def replace_value(current: Setting, value: str) -> Fix | None:
    """Change a written value in place, as the value is written at that place (``10s`` or ``10000``)."""
    origin = current.origin
    if origin is None or origin.value_span is None:
        return None
    text = format_value(origin.syntax, spring.render_value(origin.value_kind, value), origin.value_kind)
    separators = {"yaml": ": ", "json": ": ", "conf": " = ", "python": ": ", "python-kwarg": "=", "java": ", "}
    sep = separators.get(origin.syntax, "=")
    return Fix(
        f"Set `{origin.raw_key}` to `{text}`",
        f"{origin.raw_key}{sep}{text}",
        (Edit(origin.path, origin.value_span, text),),
    )


def remove(current: Setting) -> Fix | None:
    """Delete the lines that hold a setting (a key on a line of its own, in either syntax)."""
    origin = current.origin
    if origin is None or not origin.whole_lines:
        return None
    span = Span(origin.span.line, 1, origin.span.end_line + 1, 1)
    return Fix(f"Remove `{origin.raw_key}`", "", (Edit(origin.path, span, ""),))


def raw_naming(key: str) -> tuple[list[str], str]:
    return [key], spring.RAW


def spring_naming(client: str) -> Naming:
    """``acks`` -> spring.kafka.producer.acks; keys with no typed property go under ``.properties``."""

    def naming(key: str) -> tuple[list[str], str]:
        typed = spring.TYPED_FOR_KEY[client].get(key)
        if typed is not None:
            prop, kind = typed
            return ["spring", "kafka", client, prop], kind
        return ["spring", "kafka", client, "properties", f"[{key}]"], spring.RAW

    return naming


def _line_end(lines: list[str], line: int) -> Span:
    return Span.point(line, len(lines[line - 1]) + 1 if 0 < line <= len(lines) else 1)


@dataclass
class _Writer:
    path: str
    naming: Naming
    lines: list[str]  # the file's text, to place insertions at line ends

    def rename(self, current: Setting, key: str) -> Fix | None:
        """Write an ignored property under the key that takes effect, keeping its value."""
        origin = current.origin
        if origin is None or origin.key_span is None:
            return None
        segments, _ = self.naming(key)
        value = "****" if is_secret_key(key) or is_secret_key(origin.raw_key) else current.raw
        ks = origin.key_span
        if ks.line != ks.end_line or not 0 < ks.line <= len(self.lines):
            return None
        if origin.syntax == "yaml":
            # only the last key of a nested path is rewritten; its parents stay as they are
            leaf = spring.split_key(self.lines[ks.line - 1][ks.column - 1 : ks.end_column - 1].strip("\"'"))
            parent = len(spring.split_key(origin.raw_key)) - len(leaf)
            tail = properties_key(segments[parent:])
            new_key = f'"{tail}"' if "[" in tail else tail
            snippet = f"{new_key}: {value}"
        else:
            new_key = properties_key(segments)
            snippet = f"{new_key}={value}"
        return Fix(f"Write it as `{properties_key(segments)}`", snippet, (Edit(self.path, ks, new_key),))


@dataclass
class PropertiesWriter(_Writer):
    """Adds ``key=value`` on a new line after line ``after`` (the entity's last line; 0: top)."""

    after: int = 0
    separator: str = "="  # rabbitmq.conf writes `key = value`
    indent: str = ""  # inside a YAML block (a RabbitmqCluster's additionalConfig)

    def insert(self, key: str, value: str) -> Fix:
        segments, kind = self.naming(key)
        rendered = spring.render_value(kind, value)
        shown = rendered if self.separator != "=" else properties_value(rendered)
        line = f"{properties_key(segments)}{self.separator}{shown}"
        if self.indent:
            edit = Edit(self.path, _line_end(self.lines, self.after), "\n" + self.indent + line)
            return Fix(f"Add `{line}`", line, (edit,))
        if self.after == 0:
            edit = Edit(self.path, Span.point(1), line + "\n")
        else:
            edit = Edit(self.path, _line_end(self.lines, self.after), "\n" + line)
        return Fix(f"Add `{line}`", line, (edit,))


@dataclass
class YamlWriter(_Writer):
    """Adds a key to a YAML document, nested under the deepest mapping of its path that exists."""

    root: Node | None = None
    last_line: int = 0  # the document's last line, to append when nothing of the path exists
    literal: bool = False  # keys are literal (Kubernetes: `min.insync.replicas` is one key), not Spring paths

    def insert(self, key: str, value: str) -> Fix | None:
        segments, kind = self.naming(key)
        text = yaml_scalar(spring.render_value(kind, value))
        mapping, rest = _deepest(self.root, segments, self.literal)
        if mapping is not None and (mapping.flow or not mapping.items):
            return None  # `config: {}` or `{a: 1}`: a new line cannot go there without rewriting it
        if mapping is None:
            indent, after = 0, self.last_line
        else:
            indent = mapping.items[0][0].span.column - 1
            last_key, last_value = mapping.items[-1]
            after = _last_line(last_key, last_value)
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
            edit = Edit(self.path, _line_end(self.lines, after), "\n" + block)
        return Fix(title, snippet, (edit,))


def _flat_style(mapping: Mapping, first: str) -> bool:
    return any(
        len(parts) > 1 and spring.same_segment(parts[0], first)
        for parts in (spring.split_key(k.value) for k, _ in mapping.items)
    )


def _quote_brackets(key: str) -> str:
    return f'"{key}"' if "[" in key else key


def _last_line(key: Node, value: Node) -> int:
    """The last line that holds ``value`` (a block collection's end mark is on the next line)."""
    span = value.span
    if span.end_column == 1 and span.end_line > key.span.line:
        return span.end_line - 1
    return span.end_line


def _deepest(root: Node | None, segments: list[str], literal: bool = False) -> tuple[Mapping | None, list[str]]:
    if not isinstance(root, Mapping):
        return None, segments
    current, rest = root, segments
    while rest:
        for k, v in current.items:
            if literal:
                if isinstance(v, Mapping) and k.value == rest[0] and len(rest) > 1:
                    current, rest = v, rest[1:]
                    break
                continue
            parts = spring.split_key(k.value)
            if (
                isinstance(v, Mapping)
                and len(parts) < len(rest)
                and all(spring.same_segment(a, b) for a, b in zip(parts, rest, strict=False))
            ):
                current, rest = v, rest[len(parts) :]
                break
        else:
            break
    return current, rest


def apply(text: str, edits: list[Edit]) -> str:
    """Apply edits (1-based spans, end exclusive) to ``text``; later positions are applied first so
    earlier ones stay valid. A column past a line's end means the end of that line."""
    lines = text.split("\n")

    def offset(line: int, column: int) -> int:
        if line > len(lines):
            return len(text)
        start = sum(len(row) + 1 for row in lines[: line - 1])
        return start + min(column - 1, len(lines[line - 1]))

    out = text
    for edit in sorted(edits, key=lambda e: (e.span.line, e.span.column), reverse=True):
        begin = offset(edit.span.line, edit.span.column)
        end = offset(edit.span.end_line, edit.span.end_column)
        out = out[:begin] + edit.content + out[end:]
    return out


@dataclass
class JsonWriter:
    """JSON has no room for a new line without touching its neighbours' commas: the fix is shown as
    the member to add, and no edit is made."""

    path: str
    where: Callable[[str], str]  # key -> where it goes, e.g. "the queue's arguments"

    def insert(self, key: str, value: str) -> Fix | None:
        member = f"{json_value(key)}: {json_value(value)}"
        return Fix(f"Add `{member}` to {self.where(key)}", member, ())

    def rename(self, current: Setting, key: str) -> Fix | None:
        return None
