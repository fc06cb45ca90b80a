"""SARIF 2.1.0: rule metadata, help, locations, related locations, fingerprints and fixes, for code
scanning dashboards (GitHub, GitLab, Azure DevOps)."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

from msglint import catalog
from msglint.model import Finding, Result, Span
from msglint.reporters import Context, json_text, statistics_rows
from msglint.version import __version__

_LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://example.invalid/msglint"


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.column,
        "endLine": span.end_line,
        "endColumn": max(span.end_column, 1),
    }


def artifact(path: str) -> dict[str, str]:
    """An artifactLocation: the path percent-encoded byte by byte (RFC 3986: any name, non-UTF-8 bytes
    and control characters too), relative to %SRCROOT%, or a file: URI for a path outside it."""
    posix = PurePosixPath(Path(path).as_posix())
    encoded = quote(os.fsencode(str(posix)), safe="/")
    if posix.is_absolute():
        return {"uri": "file://" + encoded}
    return {"uri": encoded, "uriBaseId": "%SRCROOT%"}


def _location(path: str, span: Span, message: str | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact(path), "region": _region(span)}}
    if message:
        location["message"] = {"text": message}
    return location


def _rule(code: str, name: str, severity: str) -> dict[str, Any]:
    rule = catalog.by_code().get(code)
    if rule is None:  # a semgrep rule of the user's: only what its findings say
        return {"id": code, "name": name, "defaultConfiguration": {"level": _LEVELS[severity]}}
    references = "\n".join(f"- [{r['title']}]({r['url']})" for r in rule.references)
    entry: dict[str, Any] = {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.what.strip()},
        "help": {
            "text": f"{rule.why.strip()}\n\nFix: {rule.fix.strip()}",
            "markdown": f"{rule.why.strip()}\n\n**Fix.** {rule.fix.strip()}\n\n{references}".strip(),
        },
        "defaultConfiguration": {"level": _LEVELS[rule.severity]},
        "properties": {"tags": sorted({rule.code.rstrip("0123456789"), *rule.entities})},
    }
    if rule.references:
        entry["helpUri"] = rule.references[0]["url"]
    return entry


def _result(finding: Finding, index: int) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "ruleIndex": index,
        "level": _LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.path, finding.span)],
    }
    if finding.related:
        result["relatedLocations"] = [
            {**_location(r.path, r.span, r.message), "id": n} for n, r in enumerate(finding.related, 1)
        ]
    if finding.fingerprint:
        result["partialFingerprints"] = {"msglint/v1": finding.fingerprint}
    if finding.fix is not None and finding.fix.edits:
        result["fixes"] = [
            {
                "description": {"text": finding.fix.title},
                "artifactChanges": [
                    {
                        "artifactLocation": artifact(e.path),
                        "replacements": [{"deletedRegion": _region(e.span), "insertedContent": {"text": e.content}}],
                    }
                    for e in finding.fix.edits
                ],
            }
        ]
    return result


def _log(result: Result, exit_code: int, cwd: Path) -> dict[str, Any]:
    codes: dict[str, int] = {}
    rules: list[dict[str, Any]] = []
    for finding in result.findings:
        if finding.code not in codes:
            codes[finding.code] = len(rules)
            rules.append(_rule(finding.code, finding.name, finding.severity))
    run: dict[str, Any] = {
        "tool": {
            "driver": {"name": "msglint", "version": __version__, "informationUri": INFORMATION_URI, "rules": rules}
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": cwd.resolve().as_uri() + "/"}},
        "results": [_result(f, codes[f.code]) for f in result.findings],
        "invocations": [
            {
                "executionSuccessful": not result.errors,
                "exitCode": exit_code,
                "toolExecutionNotifications": [{"level": "error", "message": {"text": e}} for e in result.errors],
            }
        ],
    }
    return {"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]}


def render(result: Result, exit_code: int, cwd: Path) -> str:
    return json_text(_log(result, exit_code, cwd))


def statistics(result: Result, context: Context) -> str:
    """``--statistics``: the whole log, since code scanning needs the results, with the counts per rule
    in the run's property bag (``properties.statistics``, as ``reporters.json`` lists them)."""
    log = _log(result, context.exit_code, context.cwd)
    log["runs"][0]["properties"] = {"statistics": statistics_rows(result)}
    return json_text(log)


def report(result: Result, context: Context) -> str:
    return render(result, context.exit_code, context.cwd)
