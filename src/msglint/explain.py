"""A rule's documentation, in the order ruff uses: what, why, example, fix, references."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msglint.catalog import Rule
from msglint.redact import redact_text


def _files(example: Mapping[str, Any]) -> list[str]:
    out = []
    for f in example.get("files", []):
        out.append(f"    # {f['path']}")
        # an organisation's own rule may show a real file: its secrets are masked as in a report
        content = redact_text(str(f["content"]).rstrip("\n"), str(f["path"]))
        out.extend(f"    {line}" for line in content.split("\n"))
    return out


def render(rule: Rule) -> str:
    kinds = ", ".join(rule.entities)
    lines = [f"{rule.code} {rule.name} ({rule.severity}, checks: {kinds})", "", rule.summary, ""]
    lines += ["## What it does", rule.what, "", "## Why is this bad?", rule.why, ""]
    bad = [e for e in rule.examples if e.get("expect") == "fire"]
    good = [e for e in rule.examples if e.get("expect") == "silent"]
    if bad:
        lines += ["## Example", *_files(dict(bad[0])), ""]
    if good:
        lines += ["## Use instead", *_files(dict(good[0])), ""]
    lines += ["## Fix", rule.fix, ""]
    if rule.fix_safety:
        lines += ["## Fix safety", rule.fix_safety, ""] + ([rule.fix_note, ""] if rule.fix_note else [])
    public = {k: v for k, v in rule.options.items() if not k.startswith("_")}  # "_x": the rule's own wiring
    if public:
        lines += ["## Options", *(f"- `{k}`: {v}" for k, v in public.items()), ""]
    if rule.references:
        lines += ["## References", *(f"- {r['title']}: {r['url']}" for r in rule.references)]
    return "\n".join(lines).rstrip() + "\n"
