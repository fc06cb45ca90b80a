"""The rule catalog: ``rules/**/*.yml``, one rule a file, shipped inside the wheel.

The loader trusts the built-in catalog's shape (the tests validate it against ``rules/schema.json``),
so a normal run never imports jsonschema.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from msglint.checks import Check, Hit
from msglint.model import Entity


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: str
    entities: tuple[str, ...]  # the entity kinds it reads: kafka.producer, kafka.consumer, ..., file
    summary: str
    what: str
    why: str
    fix: str
    references: tuple[Mapping[str, str], ...]
    check: Mapping[str, Any]
    examples: tuple[Mapping[str, Any], ...]
    options: Mapping[str, Any] = field(default_factory=dict)
    fix_safety: str = ""
    source: str = ""  # the catalog file

    def run(self, entity: Entity) -> Iterable[Hit]:
        if "python" in self.check:
            return _function(self.check["python"])(entity, self.options)
        from msglint.checks import declarative

        return declarative.run(self.check, entity)


@cache
def _function(ref: str) -> Check:
    module, _, name = ref.partition(":")
    fn: Check = getattr(importlib.import_module(module), name)
    return fn


def rules_dir() -> Path:
    """``msglint/rules`` in an installed wheel; the checkout's top-level ``rules/`` otherwise."""
    packaged = Path(__file__).with_name("rules")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "rules"


def _rule(data: Mapping[str, Any], source: str) -> Rule:
    return Rule(
        code=data["code"],
        name=data["name"],
        severity=data["severity"],
        entities=tuple([data["entity"]] if isinstance(data["entity"], str) else data["entity"]),
        summary=data["summary"],
        what=data["what"].strip(),
        why=data["why"].strip(),
        fix=data["fix"].strip(),
        references=tuple(data.get("references", [])),
        check=data.get("check", {}),
        examples=tuple(data.get("examples", [])),
        options=data.get("options", {}),
        fix_safety=data.get("fix_safety", "").strip(),
        source=source,
    )


def load_file(path: Path) -> Rule:
    from ruamel.yaml import YAML

    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:
        yaml = YAML(typ="safe", pure=True)
    return _rule(yaml.load(path.read_text(encoding="utf-8")), path.as_posix())


@cache
def load(directory: Path | None = None) -> tuple[Rule, ...]:
    base = directory or rules_dir()
    rules = [load_file(p) for p in sorted(base.rglob("*.yml"))]
    return tuple(sorted(rules, key=lambda r: r.code))


def by_code() -> dict[str, Rule]:
    return {r.code: r for r in load()}
