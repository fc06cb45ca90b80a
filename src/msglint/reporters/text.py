"""ruff-style text: ``path:line:col: CODE message``, the source line with a caret, the fix."""

from __future__ import annotations

from pathlib import Path

import click

from msglint.engine import Result
from msglint.model import Finding
from msglint.readers import split_lines
from msglint.redact import redact_line
from msglint.reporters import counts, visible

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}


class _Sources:
    def __init__(self, cwd: Path) -> None:
        self.cwd = cwd
        self.cache: dict[str, list[str]] = {}

    def line(self, path: str, number: int) -> str | None:
        if path not in self.cache:
            try:
                data = (self.cwd / path).read_bytes()
                self.cache[path] = split_lines(data.decode("utf-8", errors="replace"))
            except OSError:
                self.cache[path] = []
        lines = self.cache[path]
        return lines[number - 1] if 0 < number <= len(lines) else None


def _excerpt(f: Finding, sources: _Sources, colour: bool) -> list[str]:
    text = sources.line(f.path, f.span.line)
    if text is None:
        return []
    shown = visible(redact_line(text.replace("\t", " ")))
    gutter = " " * len(str(f.span.line))
    start = f.span.column
    end = f.span.end_column if f.span.end_line == f.span.line else len(text) + 1
    width = max(1, min(end, len(shown) + 1) - start)
    caret = " " * (start - 1) + "^" * width
    if colour:
        caret = click.style(caret, fg=_COLOURS[f.severity], bold=True)
    return [f"{gutter} |", f"{f.span.line} | {shown}", f"{gutter} | {caret}"]


def _files(n: int) -> str:
    return f"{n} file read" if n == 1 else f"{n} files read"


def render(result: Result, cwd: Path, colour: bool, quiet: bool = False) -> str:
    out: list[str] = []
    sources = _Sources(cwd)
    for f in result.findings:
        code = click.style(f.code, fg=_COLOURS[f.severity], bold=True) if colour else f.code
        where = (
            click.style(f"{f.path}:{f.span.line}:{f.span.column}:", bold=True)
            if colour
            else (f"{f.path}:{f.span.line}:{f.span.column}:")
        )
        out.append(f"{where} {code} [{f.severity}] {visible(f.message)}")
        if quiet:
            continue
        out.extend(_excerpt(f, sources, colour))
        gutter = " " * len(str(f.span.line))
        for r in f.related:
            out.append(f"{gutter} = related: {r.path}:{r.span.line}:{r.span.column}: {r.message}")
        if f.fix is not None:
            out.append(f"{gutter} = fix: {f.fix.title}")
            if "\n" in f.fix.snippet:
                out.extend(f"{gutter}        {redact_line(line)}" for line in f.fix.snippet.split("\n"))
        out.append("")
    for error in result.errors:
        out.append(error if error.startswith("semgrep") else f"internal error: {error}")
    c = counts(result)
    total = len(result.findings)
    if quiet:
        pass
    elif total:
        parts = ", ".join(f"{n} {name if n == 1 or name == 'info' else name + 's'}" for name, n in c.items() if n)
        out.append(f"Found {total} finding{'s' if total != 1 else ''} ({parts}) in {_files(result.files)}.")
    else:
        out.append(f"All checks passed ({_files(result.files)}).")
    if result.baselined and not quiet:
        out.append(f"{result.baselined} known finding{'s' if result.baselined != 1 else ''} in the baseline not shown.")
    return "\n".join(out)


def statistics(result: Result, as_json: bool = False) -> str:
    """One line per rule: how many findings, the code, the name, most first (like ruff --statistics);
    with ``as_json``, the same as a JSON list."""
    from collections import Counter

    by = Counter((f.code, f.name) for f in result.findings)
    ranked = sorted(by.items(), key=lambda item: (-item[1], item[0]))
    if as_json:
        import json

        return json.dumps([{"code": code, "name": name, "count": n} for (code, name), n in ranked], indent=2)
    width = len(str(max(by.values(), default=0)))
    return "\n".join(f"{n:>{width}}  {code:<8} {name}" for (code, name), n in ranked)
