"""The fix layer: every rule says how safe its fix is, and fixes are written in msglint.fixes only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from msglint import catalog, fixes
from msglint.model import Fix

EXTRACT = Path(catalog.__file__).parent / "extract"
RULES = catalog.load()


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.code)
def test_every_rule_has_a_valid_fix_safety(rule: catalog.Rule) -> None:
    assert rule.fix_safety in fixes.APPLICABILITIES, f"{rule.source}: fix_safety {rule.fix_safety!r}"


def _constructs_fix(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if name == "Fix":
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("module", sorted(EXTRACT.rglob("*.py")), ids=lambda p: p.name)
def test_extractors_do_not_write_fixes(module: Path) -> None:
    found = _constructs_fix(module.read_text(encoding="utf-8"))
    assert found == [], f"{module.name}, lines {found}: Fix(...) belongs in msglint.fixes"


def test_the_scan_sees_a_fix() -> None:
    assert _constructs_fix("from msglint import model\nx = model.Fix('t', 's')\ny = Fix('t', 's')\n") == [2, 3]


def test_a_fix_is_display_only_unless_told() -> None:
    assert Fix("t", "s").applicability == "display-only"


def test_a_rule_fix_that_edits_takes_the_rule_safety(tmp_path: Path) -> None:
    from msglint import engine

    (tmp_path / "producer.properties").write_text("acks=1\n")
    (tmp_path / "clients.py").write_text(
        "from confluent_kafka import Consumer, Producer\np = Producer({'acks': 1})\nc = Consumer({'group.id': 'g'})\n"
    )
    result = engine.run([str(tmp_path)], ["KP101", "KC202"], [], cwd=tmp_path)
    fixed = {(f.code, f.path): f.fix for f in result.findings}
    for path in ("producer.properties", "clients.py"):  # a value replaced in place: KP101 is safe
        fix = fixed[("KP101", path)]
        assert fix is not None and fix.edits and fix.applicability == "safe"
    # KC202 is unsafe, but a key added to a Python dict is only shown
    shown = fixed[("KC202", "clients.py")]
    assert shown is not None and shown.edits == () and shown.applicability == "display-only"


def test_shown_fixes_stay_display_only() -> None:
    fix = fixes.JsonWriter("defs.json", lambda key: "the queue's arguments").insert("x-delivery-limit", "20")
    assert fix is not None and fix.edits == () and fix.applicability == "display-only"
