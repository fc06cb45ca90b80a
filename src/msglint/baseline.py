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
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from msglint.model import Finding

VERSION = 1


def fingerprint_all(
    findings: list[Finding], line_of: Callable[[str, int], str], stable: Callable[[str], str] = lambda path: path
) -> list[Finding]:
    """The findings with their fingerprints; ``line_of(path, line)`` gives a line's text, ``stable(path)``
    the path from the repository root. The line is hashed with its secrets masked: a fingerprint must
    not let anyone confirm a guessed password."""
    from msglint.redact import redact_line

    seen: Counter[str] = Counter()
    bases: dict[tuple[str, str, int], str] = {}  # many findings on one long line (minified JSON): hash it once
    wheres: dict[str, str] = {}
    out = []
    for finding in sorted(findings, key=Finding.sort_key):
        at = (finding.code, finding.path, finding.span.line)
        base = bases.get(at)
        if base is None:
            text = " ".join(redact_line(line_of(finding.path, finding.span.line)).split())
            if finding.path not in wheres:
                wheres[finding.path] = stable(finding.path)
            key = f"{finding.code}\0{wheres[finding.path]}\0{text}".encode("utf-8", "surrogateescape")  # any name
            base = bases[at] = hashlib.sha256(key).hexdigest()[:16]
        seen[base] += 1
        out.append(replace(finding, fingerprint=f"{base}:{seen[base]}"))
    return out


def render(findings: list[Finding]) -> str:
    entries = sorted(
        ({"code": f.code, "path": f.path, "fingerprint": f.fingerprint} for f in findings),
        key=lambda e: (e["path"], e["code"], e["fingerprint"]),
    )
    payload = {"version": VERSION, "tool": "msglint", "findings": entries}
    return json.dumps(payload, indent=2) + "\n"  # ASCII: a non-UTF-8 path is a \udcff escape, read back as such


def write(path: Path, findings: list[Finding], protected: Mapping[Path, str] | None = None) -> None:
    """Replace ``path`` atomically with the baseline; raises output.Refused for a destination that is
    one of ``protected`` (the run's inputs) or leads out of the tree, OSError if it cannot be written."""
    from msglint import output

    output.write_text(path, render(findings), protected)


class BaselineError(Exception):
    pass


def load(path: Path) -> set[str]:
    return {str(e["fingerprint"]) for e in _data(path)["findings"]}


def new_only(findings: list[Finding], known: set[str]) -> tuple[list[Finding], int]:
    """(the findings not in the baseline, how many were)."""
    fresh = [f for f in findings if f.fingerprint not in known]
    return fresh, len(findings) - len(fresh)


def entries(path: Path) -> list[dict[str, Any]]:
    """The baseline's entries as written (code, path, fingerprint); BaselineError as ``load``."""
    return list(_data(path)["findings"])


def stale(
    path: Path, findings: list[Finding], considered: Callable[[str, str], bool] = lambda code, where: True
) -> list[dict[str, Any]]:
    """The entries of the baseline at ``path`` that no finding of this run matches any more.

    ``findings`` are the run's before the baseline filters them; ``considered(code, path)`` says
    whether this run could have found that entry (its code run, its file linted): an entry outside
    the run (``--select`` elsewhere, another directory) is never stale."""
    found = {f.fingerprint for f in findings}
    return [
        e
        for e in entries(path)
        if str(e.get("fingerprint")) not in found and considered(str(e.get("code", "")), str(e.get("path", "")))
    ]


def prune(path: Path, gone: list[dict[str, Any]], protected: Mapping[Path, str] | None = None) -> int:
    """Rewrite the baseline at ``path`` without the ``gone`` entries (what ``stale`` returned), in the
    format ``render`` writes, every other entry and key as it was; how many were removed. Raises
    BaselineError, output.Refused or OSError as ``load`` and ``write`` do."""
    from msglint import output

    data = _data(path)
    drop = {str(e.get("fingerprint")) for e in gone}
    kept = [e for e in data["findings"] if str(e.get("fingerprint")) not in drop]
    removed = len(data["findings"]) - len(kept)
    if removed:
        output.write_text(path, json.dumps({**data, "findings": kept}, indent=2) + "\n", protected)
    return removed


def _data(path: Path) -> dict[str, Any]:
    from msglint.discover import special

    what = special(path)
    if what is not None:  # a FIFO would block for ever
        raise BaselineError(f"{path}: not a msglint baseline ({what}, not a regular file)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or not isinstance(data["findings"], list):
            raise TypeError("no list of findings")
        if not all("fingerprint" in entry for entry in data["findings"]):  # a non-dict entry: TypeError
            raise KeyError("fingerprint")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BaselineError(f"{path}: not a msglint baseline ({exc})") from None
    return data
