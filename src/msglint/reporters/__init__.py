"""Reporters: render a result in one output format. They know formats, not rules.

Any text may come from a file name or a file's content, so every reporter passes it through one of
the helpers here: nothing that drives a terminal, splits a line or breaks XML or UTF-8 gets out.
"""

from __future__ import annotations

import importlib
import json as _json  # not `json`: that name is the sibling module reporters.json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # the CLI reads FORMATS at import: the model is loaded only when a report is made
    from msglint.model import Result


@dataclass(frozen=True)
class Format:
    """An output format: the reporter module whose ``report(result, context)`` renders it, and
    whether it also has ``statistics(result, context)`` (``--statistics``)."""

    module: str
    statistics: bool = False


# Format name -> its reporter. Adding a format is a module and a line here; a module is imported only
# when its format is asked for. --statistics is a table in text, a list in json (as ruff's), in sarif
# the whole log with the counts in the run's properties, a test case per rule in JUnit, a notice per
# rule in GitHub annotations, and a Code Quality issue per rule at its first finding in gitlab.
FORMATS = {
    "text": Format("text", statistics=True),
    "json": Format("json", statistics=True),
    "sarif": Format("sarif", statistics=True),
    "github": Format("github", statistics=True),
    "junit": Format("junit", statistics=True),
    "gitlab": Format("gitlab", statistics=True),
}


class OutputError(Exception):
    """A report that cannot be made as asked (an unknown format, a file that may not be written): a
    usage error, exit 2. The message is one line and names no file content."""


@dataclass(frozen=True)
class Context:
    """What a reporter may need besides the result."""

    exit_code: int
    cwd: Path
    colour: bool = False
    quiet: bool = False


Report = Callable[["Result", Context], str]


def _module(output_format: str) -> Any:
    return importlib.import_module(f"{__name__}.{FORMATS[output_format].module}")


def _context(result: Result, context: Context | None) -> Context:
    return context if context is not None else Context(result.exit_code(), Path.cwd())


def render(output_format: str, result: Result, context: Context) -> str:
    """The report in ``output_format`` (a key of FORMATS)."""
    report: Report = _module(output_format).report
    return report(result, context)


def _check_statistics(output_format: str) -> None:
    if not FORMATS[output_format].statistics:
        supported = ", ".join(name for name, f in FORMATS.items() if f.statistics)
        raise OutputError(
            f"--statistics is not available with the {output_format} format, whose readers need the findings "
            f"(it is with {supported})"
        )


def render_statistics(result: Result, output_format: str, context: Context | None = None) -> str:
    """``--statistics`` in ``output_format``; OutputError for a format that has none."""
    _check_statistics(output_format)
    statistics: Report = _module(output_format).statistics
    return statistics(result, _context(result, context))


def statistics_rows(result: Result) -> list[dict[str, Any]]:
    """One row per rule, most findings first: code, name, severity (the worst of its findings, since
    a check may grade a hit below its rule), count, and how many carry a fix with edits."""
    from msglint.model import severity_rank

    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for f in result.findings:
        row = rows.setdefault((f.code, f.name), {"code": f.code, "name": f.name, "severity": f.severity, "count": 0})
        row["count"] += 1
        row["fixable"] = row.get("fixable", 0) + (f.fix is not None and bool(f.fix.edits))
        if severity_rank(f.severity) > severity_rank(row["severity"]):
            row["severity"] = f.severity
    return sorted(rows.values(), key=lambda row: (-row["count"], row["code"], row["name"]))


def use_color(choice: str, stream: TextIO, env: Mapping[str, str] | None = None) -> bool:
    """``--color auto|always|never``. Under auto a non-empty NO_COLOR turns colour off
    (no-color.org), else a non-empty FORCE_COLOR turns it on, else a terminal gets it."""
    if choice in ("always", "never"):
        return choice == "always"
    if choice != "auto":
        raise OutputError(f"--color takes auto, always or never, not {one_line(choice)!r}")
    env = os.environ if env is None else env
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return False


def parse_output_spec(spec: str) -> tuple[str, str | None]:
    """``FORMAT[:FILE]`` -> (format, file or None for standard output; ``-`` is standard output too)."""
    name, colon, path = spec.partition(":")
    if name not in FORMATS:
        raise OutputError(
            f"unknown output format {one_line(name)!r} in {one_line(spec)!r}: choose from {', '.join(FORMATS)}"
        )
    if colon and not path:
        raise OutputError(f"{one_line(spec)!r} names no file after ':' (FORMAT:FILE, or FORMAT for standard output)")
    return name, None if path in ("", "-") else path


def parse_outputs(specs: Iterable[str], statistics: bool = False) -> list[tuple[str, str | None]]:
    """Every spec parsed; OutputError for two reports on standard output or in one file, or (with
    ``statistics``) a format without --statistics: the CLI calls it before the run, to fail early."""
    outputs = [parse_output_spec(spec) for spec in specs]
    for name, _ in outputs if statistics else ():
        _check_statistics(name)
    if sum(1 for _, path in outputs if path is None) > 1:
        raise OutputError("only one report can go to standard output: give the others a FILE (FORMAT:FILE)")
    seen: set[str] = set()
    for _, path in outputs:
        if path is not None:
            real = os.path.realpath(path)
            if real in seen:
                raise OutputError(f"two reports would be written to {one_line(path)}")
            seen.add(real)
    return outputs


def write_outputs(
    result: Result,
    specs: Iterable[str],
    context: Context | None = None,
    *,
    statistics: bool = False,
    protected: Mapping[Path, str] | None = None,
    stream: TextIO | None = None,
) -> None:
    """Render ``result`` once per ``FORMAT[:FILE]`` spec, then write each file atomically (see
    ``msglint.output``) and the report without a file to ``stream`` (standard output). Every report
    is rendered before anything is written, so a failure leaves no report half made. Colour only
    ever goes to the stream. Raises OutputError."""
    import click

    from msglint import output

    context = _context(result, context)
    rendered: list[tuple[str | None, str]] = []
    for name, path in parse_outputs(specs, statistics):
        shown = context if path is None else replace(context, colour=False)
        text = render_statistics(result, name, shown) if statistics else render(name, result, shown)
        rendered.append((path, text))
    for path, text in rendered:
        if path is None:
            continue
        try:
            output.write_text(Path(path), text + "\n" if text else "", protected)
        except output.Refused as exc:
            raise OutputError(f"refusing to write the report: {one_line(str(exc))}") from exc
        except OSError as exc:
            raise OutputError(f"cannot write the report: {one_line(str(exc))}") from exc
    for path, text in rendered:
        if path is None and text:
            click.echo(text, file=stream if stream is not None else sys.stdout, color=context.colour)


def counts(result: Result) -> dict[str, int]:
    from msglint.model import SEVERITIES

    by = Counter(f.severity for f in result.findings)
    return {s: by.get(s, 0) for s in reversed(SEVERITIES)}


def _escapes(characters: list[int]) -> dict[int, str]:
    return {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in characters}


# C0 but tab and newline, DEL, C1 (0x9b is a CSI on its own), line and paragraph separators, the
# bidirectional overrides ("Trojan Source"), and the two characters XML 1.0 forbids above them.
_UNSAFE = [
    *range(0, 9),
    *range(11, 32),
    *range(127, 160),
    0x2028,
    0x2029,
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0xFFFE,
    0xFFFF,
]
_CONTROL = {
    **_escapes(_UNSAFE),
    # lone surrogates: bytes of a file name that are not UTF-8 (os.fsdecode's surrogateescape) show
    # as the byte, any other as its code point; neither can be encoded as UTF-8
    **{c: f"\\x{c - 0xDC00:02x}" if 0xDC80 <= c <= 0xDCFF else f"\\u{c:04x}" for c in range(0xD800, 0xE000)},
}
_LINE = {**_CONTROL, **_escapes([9, 10])}


def visible(text: str) -> str:
    """Control characters escaped (\\x01), lone surrogates as the byte they stand for (\\xff): a value
    in a file must not drive a terminal, break XML or fail to encode as UTF-8. Tab and newline stay."""
    return text.translate(_CONTROL)


def one_line(text: str) -> str:
    """``visible``, with tab and newline escaped too: for a path or a name on a line of its own."""
    return text.translate(_LINE)


_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]")


def _json_escape(match: re.Match[str]) -> str:
    c = ord(match.group())
    if 0xD800 <= c < 0xE000:
        return "\\" + _CONTROL[c]  # not representable: the escape as text (an escaped backslash)
    return f"\\u{c:04x}"  # a JSON escape: the value is unchanged, only its spelling is safe


def json_text(payload: Any, indent: int | None = 2) -> str:
    """``json.dumps`` that is always valid UTF-8 and safe on a terminal: what the encoder leaves raw
    (C1 controls, separators, bidi overrides) is \\u-escaped, and a lone surrogate, which no UTF-8
    can carry, becomes the text ``\\xff``. Non-ASCII text stays readable."""
    return _JSON_UNSAFE.sub(_json_escape, _json.dumps(payload, indent=indent, ensure_ascii=False))
