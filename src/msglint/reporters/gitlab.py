"""GitLab Code Quality report (a JSON array), shown in merge requests."""

from __future__ import annotations

import hashlib
import json

from msglint.engine import Result

_SEVERITIES = {"error": "critical", "warning": "major", "info": "minor"}


def render(result: Result) -> str:
    issues = []
    for f in result.findings:
        unique = hashlib.sha256(f"{f.path}\0{f.code}\0{f.fingerprint or f.span.line}".encode()).hexdigest()
        issues.append({
            "description": f"{f.code} {f.message}",
            "check_name": f"{f.code} {f.name}",
            "fingerprint": unique,
            "severity": _SEVERITIES[f.severity],
            "location": {"path": f.path, "lines": {"begin": f.span.line, "end": f.span.end_line}},
        })  # fmt: skip
    return json.dumps(issues, indent=2, ensure_ascii=False)
