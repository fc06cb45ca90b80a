"""Properties of every fix: for each catalog example whose finding has an applicable fix, applying it
removes that finding, re-linting finds nothing new, and applying twice equals applying once. Then
Hypothesis varies a file's formatting (indent width, CRLF, comments, quoting, BOM): the fixed file
still parses, and its parsed tree changes only at the fixed key."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import msglint
from msglint import catalog, engine, fixer
from msglint.config import Config
from tests.conftest import write

FIXED = [
    pytest.param(rule, i, example, id=f"{rule.code}-{i}")
    for rule in catalog.load()
    if rule.fix_safety in ("safe", "unsafe")
    for i, example in enumerate(rule.examples)
    if example["expect"] == "fire" and any("fix" in f for f in example["findings"])
]


def _config(example: dict) -> Config:
    return Config(**{key.replace("-", "_"): value for key, value in example.get("config", {}).items()})


def _with(config: Config, codes: list[str]) -> Config:
    """The configuration with opt-in ``codes`` switched on, as extend-select does."""
    import dataclasses

    return dataclasses.replace(config, extend_select=[*config.extend_select, *codes]) if codes else config


def _fixable(result, code: str) -> list:  # type: ignore[no-untyped-def]
    return [f for f in result.findings if f.code == code and fixer.applicable(f, unsafe=True)]


@pytest.mark.parametrize(("rule", "index", "example"), FIXED)
def test_a_catalog_fix_removes_its_finding_adds_none_and_is_idempotent(
    rule: catalog.Rule, index: int, example: dict, tmp_path: Path
) -> None:
    write(tmp_path, {f["path"]: f["content"] for f in example["files"]})
    config = _config(example)
    before = engine.run([str(tmp_path)], [], [], cwd=tmp_path, config=config)
    mine = engine.run([str(tmp_path)], [rule.code], [], cwd=tmp_path, config=config)
    if not _fixable(mine, rule.code):
        pytest.skip("the example's fix is shown, not applied (no edits)")
    # every fix of the default set, unsafe ones too: one repair may take several (RS205, then RS206)
    opt_in = [rule.code] if rule.opt_in else []
    before = engine.run([str(tmp_path)], [], [], cwd=tmp_path, config=_with(config, opt_in))
    report = msglint.fix([str(tmp_path)], _with(config, opt_in), unsafe=True, cwd=tmp_path)
    assert report.failed == [], report.failed
    after_mine = engine.run([str(tmp_path)], [rule.code], [], cwd=tmp_path, config=config)
    assert _fixable(after_mine, rule.code) == [], [f.message for f in after_mine.findings]
    after = engine.run([str(tmp_path)], [], [], cwd=tmp_path, config=_with(config, opt_in))
    grown = Counter((f.path, f.code) for f in after.findings) - Counter((f.path, f.code) for f in before.findings)
    assert not grown, [
        f"{f.code} {f.path}:{f.span.line} {f.message}" for f in after.findings if (f.path, f.code) in grown
    ]
    again = msglint.fix([str(tmp_path)], _with(config, opt_in), unsafe=True, cwd=tmp_path)
    assert again.changed == []


# --- formatting varied --------------------------------------------------------------------------

_BOOT = {"enable-auto-commit": "true", "group-id": "billing", "auto-offset-reset": "earliest"}


@st.composite
def _spring_yaml(draw: st.DrawFn) -> tuple[bytes, str]:
    """application.yml with a consumer that writes enable-auto-commit: true, in a random style."""
    indent = " " * draw(st.integers(min_value=1, max_value=4))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    quote = draw(st.sampled_from(["", "'", '"']))
    comment = draw(st.sampled_from(["", "  # kept", "   #kept"]))
    order = draw(st.permutations(list(_BOOT)))
    lines = ["spring:", f"{indent}kafka:", f"{indent * 2}consumer:"]
    for key in order:
        value = _BOOT[key] if key == "enable-auto-commit" else f"{quote}{_BOOT[key]}{quote}"
        lines.append(f"{indent * 3}{key}: {value}{comment}")
    if draw(st.booleans()):
        lines.insert(0, "# a header comment")
    text = newline.join(lines) + (newline if draw(st.booleans()) else "")
    bom = draw(st.booleans())
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(), newline


def _tree(data: bytes) -> object:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(data.decode("utf-8-sig"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=_spring_yaml())
def test_a_fix_in_any_formatting_changes_only_its_key(case: tuple[bytes, str], tmp_path_factory) -> None:  # type: ignore[no-untyped-def]
    data, _ = case
    root = tmp_path_factory.mktemp("fmt")
    path = root / "application.yml"
    path.write_bytes(data)
    report = msglint.fix([str(root)], Config(), select=["KC201"], unsafe=True, cwd=root)
    out = path.read_bytes()
    assert report.fixed == {"KC201": 1}, report.failed
    expected = _tree(data)
    expected["spring"]["kafka"]["consumer"]["enable-auto-commit"] = False  # type: ignore[index]
    assert _tree(out) == expected
    assert out.startswith(b"\xef\xbb\xbf") == data.startswith(b"\xef\xbb\xbf")
    assert out.count(b"\r\n") == data.count(b"\r\n")  # no line ending changed, none added of another kind
    assert out.replace(b"true", b"false") == data.replace(b"true", b"false")  # every other byte kept
