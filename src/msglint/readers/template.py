"""Helm and other Go templates: make what can be read readable, keeping every line and column.

A line that holds nothing but template actions (``{{- if ... }}``, ``{{ toYaml ... | nindent 4 }}``)
becomes empty; an action inside a line becomes ``${___}`` of the same length, a value no rule
judges (like a Spring placeholder). Whatever still does not parse is reported once as a template.
"""

from __future__ import annotations


def has_template(text: str) -> bool:
    return "{{" in text and "}}" in text


def neutralize(text: str, unknown: str = "${}") -> tuple[str, set[int]]:
    """The text with actions blanked, and the numbers of the lines that were only actions (whatever
    they render to, a `toYaml` of values perhaps, is unknown). ``unknown`` is how the syntax says
    "a value known at run time": ``${}`` (a placeholder) for YAML, ``$`` (an undefined variable)
    for a NATS configuration; the action becomes it, padded with ``_`` to the same length."""
    opening, closing = (unknown[:-1], "}") if unknown.endswith("}") else (unknown, "")
    pad = len(opening) + len(closing)
    out, blanked = [], set()
    for number, line in enumerate(text.split("\n"), start=1):
        actions = _actions(line)
        if actions and not "".join(line[a:b] for a, b in _gaps(line, actions)).strip():
            out.append("")
            blanked.add(number)
            continue
        pieces, last = [], 0
        for start, end in actions:
            pieces += [line[last:start], opening, "_" * (end - start - pad), closing]
            last = end
        out.append("".join(pieces) + line[last:])
    return "\n".join(out), blanked


def _actions(line: str) -> list[tuple[int, int]]:
    """Where each ``{{ ... }}`` of a line starts and ends, found in one pass (a pattern tried at
    every ``{{`` scans to the end of the line from each one that is never closed)."""
    found: list[tuple[int, int]] = []
    i = line.find("{{")
    while i >= 0:
        end = line.find("}}", i + 2)
        if end < 0:
            break
        found.append((i, end + 2))
        i = line.find("{{", end + 2)
    return found


def _gaps(line: str, actions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the line between its actions."""
    edges = [0, *(edge for action in actions for edge in action), len(line)]
    return list(zip(edges[::2], edges[1::2], strict=True))
