"""How a rule's Kafka key is named in the file a fix writes to, and the base of the text writers."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from msglint.kafka.keys import is_secret_key
from msglint.model import Edit, Fix, Setting, Span
from msglint.spring import binding as spring

# key -> (property path segments, value kind); bracketed segments are map keys: "[linger.ms]"
Naming = Callable[[str], tuple[list[str], str]]


def properties_key(segments: list[str]) -> str:
    out = ""
    for seg in segments:
        out += seg if seg.startswith("[") or not out else "." + seg
    return out


def raw_naming(key: str) -> tuple[list[str], str]:
    return [key], spring.RAW


@dataclass(frozen=True)
class Under:
    """Where a key is written in a manifest: under ``root`` (``spec.config.<key>``), after
    ``prefix``; a key of ``placed`` has a path of its own, one starting with a ``routed`` prefix goes
    under another root, and ``renamed`` keys are written as the resource spells them. Data, not a
    closure, so that an entity's writer pickles (cache.py, parallel.py)."""

    root: tuple[str, ...]
    prefix: str = ""
    placed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    routed: tuple[tuple[str, tuple[str, ...]], ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()

    def __call__(self, key: str) -> list[str]:
        placed = dict(self.placed)
        if key in placed:
            return list(placed[key])
        root = next((r for start, r in self.routed if key.startswith(start)), self.root)
        return [*root, self.prefix + dict(self.renamed).get(key, key)]


@dataclass(frozen=True)
class Raw:
    """A manifest's naming, with its values written as they are (no Spring conversion)."""

    naming: Callable[[str], list[str]]

    def __call__(self, key: str) -> tuple[list[str], str]:
        return self.naming(key), "raw"


def spring_naming(client: str) -> Naming:
    """``acks`` -> spring.kafka.producer.acks; keys with no typed property go under ``.properties``."""

    def naming(key: str) -> tuple[list[str], str]:
        typed = spring.TYPED_FOR_KEY[client].get(key)
        if typed is not None:
            prop, kind = typed
            return ["spring", "kafka", client, prop], kind
        return ["spring", "kafka", client, "properties", f"[{key}]"], spring.RAW

    return naming


def line_end(lines: list[str], line: int) -> Span:
    return Span.point(line, len(lines[line - 1]) + 1 if 0 < line <= len(lines) else 1)


@dataclass
class KeyWriter:
    """What the properties and YAML writers share: the file, its naming, and renaming a key in place."""

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
