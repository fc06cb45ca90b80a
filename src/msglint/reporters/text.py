"""ruff-style text: ``path:line:col: CODE message``, the source line with a caret, the fix."""

from __future__ import annotations

from pathlib import Path

import click

from msglint.model import Finding, Result
from msglint.readers import split_lines
from msglint.redact import MASK, Redactor, Spans, redact_text
from msglint.reporters import Context, counts, one_line, statistics_rows, visible

_COLOURS = {"error": "red", "warning": "yellow", "info": "blue"}
# A longer line (minified JSON) is shown as a window of this many characters around the finding's
# column, with an ellipsis where it is cut: a report never prints a whole 1 MB line. The window is
# cut from the original line and masked with the ranges found on the whole line, so a secret that
# straddles an edge is masked as a whole (its visible part is ****, never a piece of it).
WIDTH = 200
_BEFORE = 60  # how much of the window comes before the finding's column
_CUT = "\u2026"


class _Sources:
    """Each file's lines and their redaction, read and judged once however many findings it has."""

    def __init__(self, cwd: Path, unread: set[str]) -> None:
        self.cwd = cwd
        self.cache: dict[str, Redactor] = {path: Redactor([], path) for path in unread}  # too large to open

    def redactor(self, path: str) -> Redactor:
        if path not in self.cache:
            self.cache[path] = Redactor(_read(self.cwd / path), path)
        return self.cache[path]


def _read(path: Path) -> list[str]:
    from msglint.readers import decode

    try:
        data = path.read_bytes()
    except OSError:
        return []
    try:
        text = decode(data, fallback_latin1=True)
    except Exception:  # a NUL byte or any decoding trouble: show what can be shown
        text = data.decode("utf-8", errors="replace")
    return split_lines(text)


def excerpt(text: str, spans: Spans, start: int, end: int) -> tuple[str, int, int]:
    """(what to show of ``text``, the display columns where characters ``start`` and ``end`` begin and
    end; 0-based). Secrets in ``spans`` are ****, control characters escaped, tabs one space, and a
    line longer than WIDTH cut to a window around ``start``."""
    length = len(text)
    if length <= WIDTH:
        a, b = 0, length
    else:
        a = max(0, min(start - _BEFORE, length - WIDTH))
        b = min(length, a + WIDTH)
    parts: list[str] = [_CUT] if a > 0 else []
    column = len(_CUT) if a > 0 else 0
    shown_start = shown_end = -1
    k = 0
    while k < len(spans) and spans[k][1] <= a:
        k += 1
    i = a
    while i < b:
        if k < len(spans) and spans[k][0] <= i:  # a secret: **** stands for all of it that is in the window
            stop = min(spans[k][1], b)
            if shown_start < 0 and i <= start < stop:
                shown_start = column
            parts.append(MASK)
            column += len(MASK)
            if shown_end < 0 and i < end <= stop:
                shown_end = column
            i = stop
            k += 1
            continue
        if i == start:
            shown_start = column
        piece = visible(" " if text[i] == "\t" else text[i])
        parts.append(piece)
        column += len(piece)
        i += 1
        if i == end:
            shown_end = column
    if b < length:
        parts.append(_CUT)
    if shown_start < 0:  # past the end of the line (a point after its last character)
        shown_start = column + max(0, start - b)
    if shown_end < 0:
        shown_end = column if end > start else shown_start
    return "".join(parts), shown_start, shown_end


def _excerpt(f: Finding, sources: _Sources, colour: bool) -> list[str]:
    redactor = sources.redactor(f.path)
    if not 0 < f.span.line <= len(redactor.lines):
        return []
    text = redactor.lines[f.span.line - 1]
    start = max(0, f.span.column - 1)
    end = f.span.end_column - 1 if f.span.end_line == f.span.line else len(text)
    shown, caret_start, caret_end = excerpt(text, redactor.spans(f.span.line), start, max(end, start))
    gutter = " " * len(str(f.span.line))
    caret = " " * caret_start + "^" * max(1, caret_end - caret_start)
    if colour:
        caret = click.style(caret, fg=_COLOURS[f.severity], bold=True)
    return [f"{gutter} |", f"{f.span.line} | {shown}", f"{gutter} | {caret}"]


def _files(n: int) -> str:
    return f"{n} file read" if n == 1 else f"{n} files read"


def render(result: Result, cwd: Path, colour: bool, quiet: bool = False) -> str:
    out: list[str] = []
    sources = _Sources(cwd, result.unread)
    for f in result.findings:
        out.extend(_finding(f, sources, colour, quiet))
    for error in result.errors:
        out.append(visible(error) if error.startswith("semgrep") else f"internal error: {visible(error)}")
    if not quiet:
        out.append(_summary(result))
    if result.baselined and not quiet:
        out.append(f"{result.baselined} known finding{'s' if result.baselined != 1 else ''} in the baseline not shown.")
    return "\n".join(out)


def _finding(f: Finding, sources: _Sources, colour: bool, quiet: bool) -> list[str]:
    """A finding's lines: its headline, then (unless quiet) its excerpt, related places and fix."""
    code = click.style(f.code, fg=_COLOURS[f.severity], bold=True) if colour else f.code
    place = f"{one_line(f.path)}:{f.span.line}:{f.span.column}:"  # a file name cannot drive the terminal
    where = click.style(place, bold=True) if colour else place
    severity = click.style(f.severity, fg=_COLOURS[f.severity]) if colour else f.severity
    mark = " [*]" if _safe(f) else ""
    out = [f"{where} {code}{mark} [{severity}] {one_line(f.message)}"]
    if quiet:
        return out
    out.extend(_excerpt(f, sources, colour))
    gutter = " " * len(str(f.span.line))
    for r in f.related:
        out.append(f"{gutter} = related: {one_line(r.path)}:{r.span.line}:{r.span.column}: {one_line(r.message)}")
    if f.fix is not None:
        out.append(f"{gutter} = fix: {one_line(f.fix.title)}")
        if "\n" in f.fix.snippet:
            snippet = redact_text(f.fix.snippet, f.path)  # in the file's syntax, lines judged together
            out.extend(f"{gutter}        {one_line(line)}" for line in snippet.split("\n"))
    out.append("")
    return out


# Said when a run reads nothing, so that "All checks passed" is not taken for a clean bill of health
# (discover.INTERESTS is the authority; this is its summary for people).
READS = (
    "msglint reads: Kafka client and broker .properties, Spring Boot application*.yml/.properties, "
    "Kafka Connect and MirrorMaker 2 .properties and connector .json, docker-compose Kafka services, "
    "build files (for versions), "
    "Kubernetes manifests (Strimzi, RabbitMQ operators, NACK, workloads), RabbitMQ definitions .json, "
    "rabbitmq.conf and advanced.config, rabbitmqctl/rabbitmqadmin lines in shell scripts and Makefiles, "
    "NATS server .conf and JetStream .json/.yaml, Python and Java sources importing a Kafka, RabbitMQ or "
    "NATS client (test code only with --include-tests)."
)


def _safe(f: Finding) -> bool:
    """Does ``--fix`` apply this finding's fix (marked ``[*]``, as ruff marks them)?"""
    return f.fix is not None and bool(f.fix.edits) and f.fix.applicability == "safe"


def _summary(result: Result) -> str:
    """The last line: how many findings of each severity, in how many files, and how many --fix
    fixes; after a run that read no file, what msglint reads."""
    c = counts(result)
    total = len(result.findings)
    if total:
        parts = ", ".join(f"{n} {name if n == 1 or name == 'info' else name + 's'}" for name, n in c.items() if n)
        line = f"Found {total} finding{'s' if total != 1 else ''} ({parts}) in {_files(result.files)}."
        safe = sum(map(_safe, result.findings))
        unsafe = sum(
            1 for f in result.findings if f.fix is not None and f.fix.edits and f.fix.applicability == "unsafe"
        )
        if safe:
            more = f" ({unsafe} more with --unsafe-fixes)" if unsafe else ""
            line += f"\n[*] {safe} fixable with --fix{more}."
        elif unsafe:
            line += f"\n{unsafe} fixable with --fix --unsafe-fixes."
    else:
        line = f"All checks passed ({_files(result.files)})."
    return f"{line}\n{READS}" if result.files == 0 else line


def statistics_table(result: Result, colour: bool = False) -> str:
    """One line per rule, most findings first (as ruff --statistics): count, code, name, severity,
    and how many of its findings have a fix with edits. Nothing when there is no finding."""
    rows = statistics_rows(result)
    if not rows:
        return ""
    widths = [max(len(str(row[key])) for row in rows) for key in ("count", "code", "name")]
    lines = []
    for row in rows:
        code = f"{row['code']:<{widths[1]}}"
        severity = f"{row['severity']:<7}"
        if colour:
            code = click.style(code, fg=_COLOURS[row["severity"]], bold=True)
            severity = click.style(severity, fg=_COLOURS[row["severity"]])
        fixable = f"  {row['fixable']} fixable" if row["fixable"] else ""
        line = f"{row['count']:>{widths[0]}}  {code}  {one_line(row['name']):<{widths[2]}}  {severity}{fixable}"
        lines.append(line.rstrip())
    return "\n".join(lines)


def statistics(result: Result, context: Context | None = None, as_json: bool = False) -> str:
    """``--statistics`` as text (``reporters.render_statistics`` calls it). ``as_json`` is the older
    call's flag, kept so that a caller written before ``render_statistics`` keeps working."""
    if as_json:
        from msglint.reporters import render_statistics

        return render_statistics(result, "json", context)
    return statistics_table(result, context.colour if context is not None else False)


def report(result: Result, context: Context) -> str:
    return render(result, context.cwd, context.colour, context.quiet)
