"""Helm and other Go templates: make what can be read readable, keeping every line and column.

A line that holds nothing but template actions (``{{- if ... }}``, ``{{ toYaml ... | nindent 4 }}``)
becomes empty; an action inside a line becomes ``${___}`` of the same length, a value no rule
judges (like a Spring placeholder). Whatever still does not parse is reported once as a template.
"""

from __future__ import annotations

import re

_ACTION = re.compile(r"\{\{(?:(?!\}\}).)*\}\}")
_ONLY_ACTIONS = re.compile(r"^\s*(?:\{\{(?:(?!\}\}).)*\}\}\s*)+$")


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
        if _ONLY_ACTIONS.match(line):
            out.append("")
            blanked.add(number)
            continue
        out.append(_ACTION.sub(lambda m: opening + "_" * (len(m.group(0)) - pad) + closing, line))
    return "\n".join(out), blanked
