"""Users' own source rules, run by semgrep (an optional extra) and merged into msglint's report.

semgrep runs once, over the Java and Python files msglint reads, with every rule file or folder
the user names. Its results become findings like any other: the rule's ``id`` is the code (so
``--select``/``--ignore`` apply), ERROR/WARNING/INFO its severity, and the message goes through the
same redaction as source lines. semgrep's ``lines`` (the matched source) is never used.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from msglint.documents import display_path
from msglint.model import Finding, Span
from msglint.redact import redact_line

INSTALL = "pip install 'msglint[semgrep]'"
_SEVERITY = {
    "ERROR": "error",
    "WARNING": "warning",
    "INFO": "info",
    "CRITICAL": "error",
    "HIGH": "error",
    "MEDIUM": "warning",
    "LOW": "info",
}


class SemgrepError(Exception):
    """semgrep is missing, or refused the rules: a usage problem, exit 2."""


def executable() -> str:
    """The semgrep command: beside this Python (a venv's bin), else on PATH."""
    beside = Path(sys.executable).parent / ("semgrep.exe" if os.name == "nt" else "semgrep")
    if beside.is_file():
        return str(beside)
    found = shutil.which("semgrep")
    if found is None:
        raise SemgrepError(f"--semgrep-rules needs semgrep, which is not installed: {INSTALL}")
    return found


def run(rules: Sequence[str], targets: Sequence[Path], cwd: Path) -> list[Finding]:
    """Findings of ``rules`` on ``targets``; raises SemgrepError when semgrep cannot run them."""
    if not targets:
        return []
    command = [executable(), "scan", "--json", "--metrics=off", "--disable-version-check", "--quiet", "--no-git-ignore"]
    for rule in rules:
        command += ["--config", rule]
    command += ["--", *(str(t) for t in targets)]
    env = {**os.environ, "SEMGREP_SEND_METRICS": "off", "SEMGREP_ENABLE_VERSION_CHECK": "0"}
    completed = subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, check=False)
    try:
        report = json.loads(completed.stdout or "{}")
    except ValueError:
        report = {}
    fatal = [e for e in report.get("errors", []) if e.get("level") == "error" and not _target_problem(e)]
    if completed.returncode not in (0, 1) or fatal or "results" not in report:
        detail = "; ".join(_describe(e) for e in fatal) or completed.stderr.strip().splitlines()[-1:] or ["no output"]
        text = detail if isinstance(detail, str) else detail[0]
        raise SemgrepError(f"semgrep could not run the rules ({', '.join(rules)}): {text}")
    return [_finding(result, cwd) for result in report["results"]]


def _target_problem(error: dict[str, object]) -> bool:
    """A file semgrep could not parse is msglint's MSG001 to report, not a failure of the rules."""
    kind = str(error.get("type", ""))
    return "Syntax error" in kind or "Lexical error" in kind or "Partial" in kind or bool(error.get("path"))


def _describe(error: dict[str, object]) -> str:
    message = str(error.get("message") or error.get("type") or "error").strip().splitlines()
    return message[0] if message else "error"


def _finding(result: dict[str, object], cwd: Path) -> Finding:
    start = result.get("start") or {}
    end = result.get("end") or {}
    extra = result.get("extra") or {}
    assert isinstance(start, dict) and isinstance(end, dict) and isinstance(extra, dict)
    check_id = str(result.get("check_id", "semgrep"))
    code = check_id.rsplit(".", 1)[-1]
    line, column = int(start.get("line") or 1), int(start.get("col") or 1)
    span = Span(line, column, int(end.get("line") or line), int(end.get("col") or column))
    path = display_path(Path(cwd, str(result.get("path", ""))), cwd)
    message = redact_line(" ".join(str(extra.get("message", check_id)).split()))
    severity = _SEVERITY.get(str(extra.get("severity", "WARNING")).upper(), "warning")
    return Finding(code, "semgrep", severity, path, span, message)
