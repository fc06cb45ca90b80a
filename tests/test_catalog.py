"""The catalog validates against its schema, and every rule's examples run as documented."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from msglint import catalog, engine
from msglint.config import Config
from tests.conftest import write

RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
RULES = catalog.load()


def test_catalog_files_validate_against_schema() -> None:
    import jsonschema

    schema = json.loads((RULES_DIR / "schema.json").read_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    files = sorted(p for p in RULES_DIR.rglob("*.yml") if p.relative_to(RULES_DIR).parts[0] != "semgrep")
    assert files
    for path in files:
        data = YAML(typ="safe").load(path.read_text())
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        assert not errors, f"{path}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors)
        assert path.name.startswith(data["code"] + "-"), f"{path} should be named after {data['code']}"


def test_codes_and_names_are_unique() -> None:
    codes = [r.code for r in RULES]
    names = [r.name for r in RULES]
    assert len(set(codes)) == len(codes)
    assert len(set(names)) == len(names)


def test_python_checks_resolve() -> None:
    for rule in RULES:
        if "python" in rule.check:
            assert callable(catalog._function(rule.check["python"])), rule.code


def test_python_checks_name_their_codes() -> None:
    """A check function's docstring names the rule code(s) it serves, so the code leads to the rule."""
    missing = [
        f"{rule.check['python']} ({rule.code})"
        for rule in RULES
        if "python" in rule.check and rule.code not in (catalog._function(rule.check["python"]).__doc__ or "")
    ]
    assert not missing, "docstrings that do not name their rule: " + ", ".join(missing)


EXAMPLES = [
    pytest.param(rule, i, example, id=f"{rule.code}-{i}-{example['expect']}")
    for rule in RULES
    for i, example in enumerate(rule.examples)
]


@pytest.mark.parametrize(("rule", "index", "example"), EXAMPLES)
def test_rule_example(rule: catalog.Rule, index: int, example: dict, tmp_path: Path) -> None:
    write(tmp_path, {f["path"]: f["content"] for f in example["files"]})
    config = Config(**{key.replace("-", "_"): value for key, value in example.get("config", {}).items()})
    result = engine.run([str(tmp_path)], [rule.code], [], cwd=tmp_path, config=config)
    assert not result.errors
    got = [(f.path, f.span.line, f.span.column) for f in result.findings]
    if example["expect"] == "silent":
        assert got == [], [f.message for f in result.findings]
        return
    expected = [(f["path"], f["line"], f["column"]) for f in example["findings"]]
    assert sorted(got) == sorted(expected), [f.message for f in result.findings]
    for want in example["findings"]:
        here = [
            f
            for f in result.findings
            if (f.path, f.span.line, f.span.column) == (want["path"], want["line"], want["column"])
        ]
        # `message` picks the finding among several at one place, and asserts what it says
        finding = next((f for f in here if want.get("message", "") in f.message), None)
        assert finding is not None, f"no message contains {want['message']!r}: {[f.message for f in here]}"
        assert finding.code == rule.code and finding.severity == want.get("severity", rule.severity)
        if "profile" in want:
            assert finding.profile == want["profile"]
        if "fix" in want:
            assert finding.fix is not None, finding.message
            assert finding.fix.snippet == want["fix"]
