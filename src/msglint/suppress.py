"""Inline suppressions, in each syntax's own comment form:

- ``# msglint: disable=KP101,KC`` (YAML, .properties, Python, shell, conf; ``!`` in .properties,
  ``//`` in Java and nats-server.conf) on the finding's line, or alone on the line above it
  (.properties has only whole-line comments: there, the line above);
- ``# msglint: disable-file=KP101`` anywhere in a file: the whole file.

Codes are codes or prefixes, as in ``--ignore``. JSON has no comments: use ``per-file-ignores`` or
the baseline. A suppression that suppresses nothing is itself reported (MSG003).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from msglint.model import Finding, Span

UNUSED = "MSG003"
_DIRECTIVE = re.compile(
    r"(#|//|!)\s*msglint:\s*(disable-file|disable)\s*=\s*([A-Za-z0-9_.\-]+(?:\s*,\s*[A-Za-z0-9_.\-]+)*)"
)
_MARKERS = {"java": ("//",), "natsconf": ("#", "//"), "properties": ("#", "!"), "json": ()}


@dataclass
class Directive:
    path: str
    line: int  # where the comment is
    column: int
    target: int  # the line it covers (0: the whole file)
    codes: list[str]
    used: set[str] = field(default_factory=set)
    through: int = 0  # the last line it covers, when more than one (annotations before a declaration)

    def covers(self, finding: Finding) -> str | None:
        """The code or prefix that suppresses ``finding``, if this directive does: one on a line the
        finding spans (a multi-line call's last line too)."""
        last = max(self.through, self.target)
        if self.target and not (finding.span.line <= last and self.target <= finding.span.end_line):
            return None
        code = finding.code.upper()
        return next((c for c in sorted(self.codes, key=len, reverse=True) if code.startswith(c)), None)


def directives(path: str, syntax: str, lines: list[str]) -> list[Directive]:
    markers = _MARKERS.get(syntax, ("#",))
    found: list[Directive] = []
    for number, text in enumerate(lines, 1):
        if "msglint:" not in text:
            continue
        match = _DIRECTIVE.search(text)
        if match is None or match.group(1) not in markers or _quoted(text, match.start()):
            continue
        codes = [c.strip().upper() for c in match.group(3).split(",") if c.strip()]
        alone = text[: match.start()].strip() == ""
        if syntax == "properties" and not alone:
            continue  # .properties has no trailing comments: `# ...` after a value is part of the value
        target = 0 if match.group(2) == "disable-file" else number + 1 if alone else number
        through = target
        if alone and target and syntax == "java":  # above `@KafkaListener(...)`: down to the method it annotates
            while through <= len(lines) and lines[through - 1].lstrip().startswith("@"):
                through += 1
        found.append(Directive(path, number, match.start() + 1, target, codes, through=through))
    return found


def _quoted(text: str, at: int) -> bool:
    """Is ``at`` inside a string literal (an odd number of unescaped double quotes before it)?"""
    before = text[:at].replace("\\\\", "").replace('\\"', "")
    return before.count('"') % 2 == 1


def apply(
    findings: list[Finding], sources: Iterable[tuple[str, str, list[str]]], judged: Callable[[str, str], bool]
) -> tuple[list[Finding], list[Directive]]:
    """(the findings no directive covers, the directives' codes that covered nothing and can be judged).

    ``sources``: (path, syntax, lines) of the files read; ``judged(code, path)``: was that code run
    there, so that its silence means something?"""
    by_path: dict[str, list[Directive]] = {}
    for path, syntax, lines in sources:
        listed = directives(path, syntax, lines)
        if listed:
            by_path[path] = listed
    if not by_path:
        return findings, []
    kept: list[Finding] = []
    for finding in findings:
        covering = None
        for directive in by_path.get(finding.path, []):
            code = directive.covers(finding)
            if code is not None:
                directive.used.add(code)
                covering = directive
        if covering is None:
            kept.append(finding)
    unused = [
        d for listed in by_path.values() for d in listed if any(c not in d.used and judged(c, d.path) for c in d.codes)
    ]
    return kept, unused


def unused_message(directive: Directive, judged: Callable[[str, str], bool]) -> str:
    idle = [c for c in directive.codes if c not in directive.used and judged(c, directive.path)]
    where = "this file" if directive.target == 0 else f"line {directive.target}"
    return (
        f"`msglint: disable={','.join(idle)}` suppresses nothing on {where}: the finding it was written "
        "for is gone (or the code is misspelt); remove it so it cannot hide a new one"
    )


def span(directive: Directive) -> Span:
    return Span(directive.line, directive.column, directive.line, directive.column)
