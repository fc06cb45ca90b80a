"""GitHub Actions workflow commands: each finding annotates its line in the pull request."""

from __future__ import annotations

from msglint.model import Result
from msglint.reporters import Context, statistics_rows, visible

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(result: Result) -> str:
    lines = []
    for f in result.findings:
        where = (
            f"file={_property(f.path)},line={f.span.line},col={f.span.column},"
            f"endLine={f.span.end_line},endColumn={f.span.end_column}"
        )
        lines.append(f"::{_LEVELS[f.severity]} {where},title={_property(f'{f.code} {f.name}')}::{_data(f.message)}")
    for error in result.errors:
        lines.append(f"::error title=msglint::{_data(error)}")
    return "\n".join(lines)


def report(result: Result, context: Context) -> str:
    return render(result)


def statistics(result: Result, context: Context) -> str:
    """``--statistics``: one notice per rule, which a job's summary lists."""
    lines = []
    for row in statistics_rows(result):
        title = _property(f"msglint {row['code']} {row['name']}")
        plural = "s" if row["count"] != 1 else ""
        lines.append(
            f"::notice title={title}::{row['count']} {row['severity']} finding{plural}, {row['fixable']} fixable"
        )
    return "\n".join(lines)
