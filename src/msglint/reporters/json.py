"""The JSON report: a documented, stable object (see README "JSON output")."""

from __future__ import annotations

from typing import Any

from msglint.model import Finding, Result
from msglint.reporters import Context, counts, json_text, statistics_rows
from msglint.version import __version__


def _finding(f: Finding) -> dict[str, Any]:
    fix = None
    if f.fix is not None:
        fix = {
            "title": f.fix.title,
            "snippet": f.fix.snippet,
            "applicability": f.fix.applicability,
            "edits": [
                {
                    "path": e.path,
                    "line": e.span.line,
                    "column": e.span.column,
                    "end_line": e.span.end_line,
                    "end_column": e.span.end_column,
                    "content": e.content,
                }
                for e in f.fix.edits
            ],
        }
    return {
        "code": f.code,
        "name": f.name,
        "severity": f.severity,
        "path": f.path,
        "line": f.span.line,
        "column": f.span.column,
        "end_line": f.span.end_line,
        "end_column": f.span.end_column,
        "message": f.message,
        "profile": f.profile,
        "fingerprint": f.fingerprint,
        "fix": fix,
        "related": [
            {
                "path": r.path,
                "line": r.span.line,
                "column": r.span.column,
                "end_line": r.span.end_line,
                "end_column": r.span.end_column,
                "message": r.message,
            }
            for r in f.related
        ],
    }


def render(result: Result, exit_code: int) -> str:
    payload = {
        "version": __version__,
        "findings": [_finding(f) for f in result.findings],
        "errors": list(result.errors),
        "summary": {
            "files": result.files,
            "findings": len(result.findings),
            "by_severity": counts(result),
            "baselined": result.baselined,
            "exit_code": exit_code,
        },
    }
    return json_text(payload)


def report(result: Result, context: Context) -> str:
    return render(result, context.exit_code)


def statistics(result: Result, context: Context) -> str:
    """``--statistics``: a JSON list of {code, name, severity, count, fixable}, most findings first."""
    return json_text(statistics_rows(result))
