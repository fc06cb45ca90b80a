"""Every fix in the catalog's examples, applied, gives a file that parses and no longer fires."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint import catalog, engine, fixes
from tests.conftest import write

CASES = [
    pytest.param(rule, example, id=f"{rule.code}-{i}")
    for rule in catalog.load()
    for i, example in enumerate(rule.examples)
    if example["expect"] == "fire" and any("fix" in f for f in example["findings"])
]


@pytest.mark.parametrize(("rule", "example"), CASES)
def test_fix_applies_cleanly(rule: catalog.Rule, example: dict, tmp_path: Path) -> None:
    write(tmp_path, {f["path"]: f["content"] for f in example["files"]})
    before = engine.run([str(tmp_path)], [rule.code], [], cwd=tmp_path)
    edits = [e for f in before.findings if f.fix for e in f.fix.edits]
    if not edits:  # JSON: the fix is shown as the member to add, never edited in (commas)
        assert all(f.fix.snippet and not f.fix.edits for f in before.findings if f.fix)
        return
    for path in {e.path for e in edits}:
        file = tmp_path / path
        file.write_text(fixes.apply(file.read_text(), [e for e in edits if e.path == path]))
    after = engine.run([str(tmp_path)], [rule.code, "MSG001"], [], cwd=tmp_path)
    assert not after.errors
    assert not [f for f in after.findings if f.code == "MSG001"], "the fix broke the file"
    fixed_at = {(f.path, f.span.line) for f in before.findings if f.fix and f.fix.edits}
    remaining = [f for f in after.findings if (f.path, f.span.line) in fixed_at and f.code == rule.code]
    assert not remaining, [f.message for f in remaining]


def test_yaml_insert_nests_under_the_existing_block() -> None:
    from msglint.readers import yaml

    text = "spring:\n  kafka:\n    producer:\n      acks: all\nserver:\n  port: 8080\n"
    root = yaml.parse(text)[0]
    writer = fixes.YamlWriter("a.yml", fixes.spring_naming("producer"), text.splitlines(), root=root, last_line=6)
    fix = writer.insert("linger.ms", "5")
    assert fixes.apply(text, list(fix.edits)) == (
        'spring:\n  kafka:\n    producer:\n      acks: all\n      properties:\n        "[linger.ms]": 5\n'
        "server:\n  port: 8080\n"
    )
    assert writer.insert("acks", "all") is None  # written already: a second `acks` would be a duplicate key


def test_yaml_insert_into_a_file_without_the_path() -> None:
    from msglint.readers import yaml

    text = "server:\n  port: 8080"  # no final newline
    root = yaml.parse(text)[0]
    writer = fixes.YamlWriter("a.yml", fixes.spring_naming("consumer"), text.splitlines(), root=root, last_line=2)
    out = fixes.apply(text, list(writer.insert("auto.offset.reset", "earliest").edits))
    assert out == "server:\n  port: 8080\nspring:\n  kafka:\n    consumer:\n      auto-offset-reset: earliest"
    assert yaml.parse(out)


def test_properties_values_are_escaped() -> None:
    assert fixes.properties_value(" lead") == "\\ lead"
    assert fixes.yaml_scalar("yes") == '"yes"'
    assert fixes.yaml_scalar("all") == "all"


def test_yaml_insert_follows_flat_dotted_keys() -> None:
    from msglint.readers import yaml

    text = "spring.kafka.consumer.group-id: billing\nspring.kafka.producer.acks: all\n"
    root = yaml.parse(text)[0]
    writer = fixes.YamlWriter("a.yml", fixes.spring_naming("consumer"), text.splitlines(), root=root, last_line=2)
    out = fixes.apply(text, list(writer.insert("auto.offset.reset", "earliest").edits))
    assert out.endswith("spring.kafka.producer.acks: all\nspring.kafka.consumer.auto-offset-reset: earliest\n")
    out = fixes.apply(out, list(writer.insert("session.timeout.ms", "45000").edits))
    assert '"spring.kafka.consumer.properties[session.timeout.ms]": 45000' in out
    assert yaml.parse(out)  # still valid, no duplicate keys
