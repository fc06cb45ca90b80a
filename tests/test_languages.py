"""Rules with `languages` run only on the code of those languages (JV103/JV104 Java, PY103/PY104 Python)."""

from __future__ import annotations

import pytest

from msglint import catalog

RULES = {"JV103": "java", "JV104": "java", "PY103": "python", "PY104": "python"}


def _firing_files(code: str) -> dict[str, str]:
    """The files of the rule's first example that fires: a handler in the rule's own language."""
    rule = next(r for r in catalog.load() if r.code == code)
    example = next(e for e in rule.examples if e["expect"] == "fire")
    return {f["path"]: f["content"] for f in example["files"]}


@pytest.mark.parametrize("code", sorted(RULES))
def test_a_handler_is_reported_only_by_its_language_rules(lint, code: str) -> None:
    found = {f.code for f in lint(_firing_files(code), select=tuple(RULES)).findings}
    assert code in found
    assert all(RULES[c] == RULES[code] for c in found), found  # the other language's twin stays silent


def test_the_rules_declare_their_language_in_the_catalog() -> None:
    rules = {r.code: r for r in catalog.load()}
    for code, language in RULES.items():
        assert rules[code].languages == (language,)
    assert not [r.code for r in rules.values() if any(k.startswith("_language") for k in r.options)]
