"""Helm and other Go templates: make what can be read readable, keeping every line and column.

A line that holds nothing but template actions (``{{- if ... }}``, ``{{ toYaml ... | nindent 4 }}``)
becomes empty; an action inside a line becomes ``${___}`` of the same length, a value no rule
judges (like a Spring placeholder). Whatever still does not parse is reported once as a template.
"""

from __future__ import annotations


def has_template(text: str) -> bool:
    return "{{" in text and "}}" in text


def neutralize(text: str, unknown: str = "${}", jinja: bool = False) -> tuple[str, set[int]]:
    """The text with actions blanked, and the numbers of the lines that were only actions (whatever
    they render to, a `toYaml` of values perhaps, is unknown). ``unknown`` is how the syntax says
    "a value known at run time": ``${}`` (a placeholder) for YAML, ``$`` (an undefined variable)
    for a NATS configuration; the action becomes it, padded with ``_`` to the same length. ``jinja``:
    ``{% statements %}`` and ``{# comments #}`` are actions too (a file named ``*.j2``)."""
    opening, closing = (unknown[:-1], "}") if unknown.endswith("}") else (unknown, "")
    pad = len(opening) + len(closing)
    out, blanked = [], set()
    for number, line in enumerate(text.split("\n"), start=1):
        actions = _actions(line, _JINJA if jinja else _GO)
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


_GO = {"{{": "}}"}
_JINJA = {"{{": "}}", "{%": "%}", "{#": "#}"}


def _actions(line: str, delimiters: dict[str, str] = _GO) -> list[tuple[int, int]]:
    """Where each ``{{ ... }}`` (or other delimited action) of a line starts and ends, in one pass:
    each opening's next position is searched again only once the scan has passed it, so a hostile
    line of many openings stays linear."""
    found: list[tuple[int, int]] = []
    following = {o: line.find(o) for o in delimiters}
    i = 0
    while True:
        for opening, at in following.items():
            if 0 <= at < i:
                following[opening] = line.find(opening, i)
        starts = [(at, o) for o, at in following.items() if at >= 0]
        if not starts:
            return found
        at, opening = min(starts)
        end = line.find(delimiters[opening], at + 2)
        if end < 0:
            return found
        found.append((at, end + 2))
        i = end + 2


def _gaps(line: str, actions: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of the line between its actions."""
    edges = [0, *(edge for action in actions for edge in action), len(line)]
    return list(zip(edges[::2], edges[1::2], strict=True))
