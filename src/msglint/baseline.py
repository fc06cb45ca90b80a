"""Fingerprints and baselines: record today's findings, then report only new ones.

A finding's fingerprint hashes its code, its file and the text of its line (whitespace
collapsed), plus its rank among identical ones in that file, so it survives edits that only move
the line. The baseline file holds codes, paths and hashes: never the line text, which may be a
secret.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from msglint.model import Finding

VERSION = 1


def fingerprint_all(findings: list[Finding], line_of: Callable[[str, int], str],
                    stable: Callable[[str], str] = lambda path: path) -> list[Finding]:  # fmt: skip
    """The findings with their fingerprints; ``line_of(path, line)`` gives a line's text, ``stable(path)``
    the path from the repository root. The line is hashed with its secrets masked: a fingerprint must
    not let anyone confirm a guessed password."""
    from msglint.redact import redact_line

    seen: Counter[str] = Counter()
    out = []
    for finding in sorted(findings, key=Finding.sort_key):
        text = " ".join(redact_line(line_of(finding.path, finding.span.line)).split())
        where = stable(finding.path)
        base = hashlib.sha256(f"{finding.code}\0{where}\0{text}".encode()).hexdigest()[:16]
        seen[base] += 1
        out.append(replace(finding, fingerprint=f"{base}:{seen[base]}"))
    return out


def write(path: Path, findings: list[Finding]) -> None:
    entries = sorted(({"code": f.code, "path": f.path, "fingerprint": f.fingerprint} for f in findings),
                     key=lambda e: (e["path"], e["code"], e["fingerprint"]))  # fmt: skip
    payload = {"version": VERSION, "tool": "msglint", "findings": entries}
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")


class BaselineError(Exception):
    pass


def load(path: Path) -> set[str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {str(e["fingerprint"]) for e in data["findings"]}
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a msglint baseline ({exc})") from None


def new_only(findings: list[Finding], known: set[str]) -> tuple[list[Finding], int]:
    """(the findings not in the baseline, how many were)."""
    fresh = [f for f in findings if f.fingerprint not in known]
    return fresh, len(findings) - len(fresh)
