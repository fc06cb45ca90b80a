"""GitLab Code Quality report (a JSON array), shown in merge requests."""

from __future__ import annotations

import hashlib

from msglint.model import Finding, Result
from msglint.reporters import Context, json_text, statistics_rows

_SEVERITIES = {"error": "critical", "warning": "major", "info": "minor"}


def render(result: Result) -> str:
    issues = []
    for f in result.findings:
        key = f"{f.path}\0{f.code}\0{f.fingerprint or f.span.line}"
        unique = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()  # any file name
        issues.append(
            {
                "description": f"{f.code} {f.message}",
                "check_name": f"{f.code} {f.name}",
                "fingerprint": unique,
                "severity": _SEVERITIES[f.severity],
                "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
            }
        )
    return json_text(issues)


def report(result: Result, context: Context) -> str:
    return render(result)


def statistics(result: Result, context: Context) -> str:
    """``--statistics``: Code Quality needs a place for every issue, so one issue per rule, at its
    first finding, saying how many there are."""
    first: dict[str, Finding] = {}
    for f in result.findings:
        first.setdefault(f.code, f)
    issues = []
    for row in statistics_rows(result):
        f = first[row["code"]]
        unique = hashlib.sha256(f"statistics\0{row['code']}".encode()).hexdigest()
        issues.append(
            {
                "description": f"{row['code']} {row['name']}: {row['count']} findings, {row['fixable']} fixable",
                "check_name": f"{row['code']} {row['name']}",
                "fingerprint": unique,
                "severity": _SEVERITIES[row["severity"]],
                "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
            }
        )
    return json_text(issues)
