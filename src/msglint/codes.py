"""What names a rule: its code (KP101), a prefix of codes (KP, KP1), its name
(producer-acks-not-all), ``ALL``, or the id (or a prefix of ids) of the user's own semgrep rules.

Wherever a code is accepted (``--select``, ``--ignore``, ``extend-select``, ``per-file-ignores``,
``severity``, ``options``, suppressions, ``explain``) the same resolution applies, and an id that
names nothing is refused with the nearest real one: a typo must never switch a rule off silently.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Collection, Iterable, Sequence
from pathlib import Path
from typing import Any


class UnknownId(ValueError):
    """An id that is no code, prefix, name or semgrep rule id; ``str()`` says what was meant."""

    def __init__(self, given: str, suggestion: str | None) -> None:
        self.given, self.suggestion = given, suggestion
        hint = f"; did you mean `{suggestion}`?" if suggestion else ""
        super().__init__(f"`{given}` is not a rule code, prefix or name{hint} (`msglint rules` lists them)")


def resolve_one(given: str, rules: Iterable[Any], extra: Collection[str] = ()) -> str:
    """The code or prefix ``given`` stands for (upper case), or a semgrep id as written; UnknownId."""
    rules = list(rules)
    if any(i.startswith(given) for i in extra):  # a semgrep rule's id, or a prefix of ids (java-kafka)
        return given
    upper = given.strip().upper()
    if upper == "ALL" or any(r.code.startswith(upper) for r in rules):
        return upper
    by_name = {r.name: r.code for r in rules}
    lower = given.strip().lower()
    if lower in by_name:
        return str(by_name[lower])
    raise UnknownId(given, suggest(given, rules, extra))


def resolve(ids: Sequence[str], rules: Iterable[Any], extra: Collection[str] = ()) -> list[str]:
    rules = list(rules)
    return [resolve_one(i, rules, extra) for i in ids]


def suggest(given: str, rules: Iterable[Any], extra: Collection[str] = ()) -> str | None:
    """The nearest code, name or semgrep id, shown as ``KP101 (producer-acks-not-all)`` for a rule."""
    rules = list(rules)
    shown = {r.code: f"{r.code} ({r.name})" for r in rules} | {r.name: f"{r.code} ({r.name})" for r in rules}
    shown |= {i: i for i in extra}
    key = given.strip()
    candidates = [k for k in shown if k.isupper() == key.isupper()] or list(shown)
    close = difflib.get_close_matches(key.upper() if key.isupper() else key.lower(), candidates, n=1, cutoff=0.6)
    return shown[close[0]] if close else None


def semgrep_ids(paths: Iterable[str | Path]) -> set[str]:
    """The ``id`` of every rule in the semgrep rule files or folders ``paths`` (unreadable ones: none)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    found: set[str] = set()
    for path in map(Path, paths):
        files = [path] if path.is_file() else [p for p in sorted(path.rglob("*")) if p.suffix in (".yml", ".yaml")]
        for file in files:
            try:
                data = yaml.load(file.read_text(encoding="utf-8")) if os.path.getsize(file) < 5_000_000 else None
            except Exception:  # semgrep itself reports a broken rule file when it runs
                continue
            rules = data.get("rules") if isinstance(data, dict) else None
            found |= {r["id"] for r in rules or [] if isinstance(r, dict) and isinstance(r.get("id"), str)}
    return found
