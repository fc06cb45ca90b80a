"""The rule catalog: ``rules/**/*.yml``, one rule a file, shipped inside the wheel.

The loader trusts the built-in catalog's shape (the tests validate it against ``rules/schema.json``),
so a normal run never imports jsonschema.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from msglint.checks import Check, Hit
from msglint.model import Entity
from msglint.version import __version__


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
    fix_safety: str = ""  # safe, unsafe or display-only: the applicability of the rule's fix
    fix_note: str = ""  # why the fix is safe or not, shown by `msglint explain`
    development: str = "report"  # skip: a durability rule, relaxed for development setups
    opt_in: bool = False  # not in the default rule set: runs only when selected by code, prefix or ALL
    languages: tuple[str, ...] = ()  # runs only on entities whose client is one of these; () for all
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
        fix_note=data.get("fix_note", "").strip(),
        development=data.get("development", "report"),
        opt_in=bool(data.get("opt_in", False)),
        languages=tuple(data.get("languages", ())),
        source=source,
    )


def cache_dir() -> Path:
    """Where msglint keeps what is costly to rebuild (``MSGLINT_CACHE_DIR`` overrides)."""
    return Path(
        os.environ.get("MSGLINT_CACHE_DIR")
        or os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "msglint")
    )


def _cache_file(files: list[Path]) -> Path:
    """A JSON copy of the parsed catalog, named after the files' paths, sizes and mtimes: parsing
    YAML costs ~3 ms a rule, reading the JSON copy well under 1 ms for all of them."""
    root = cache_dir()
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return Path(root) / f"catalog-{__version__}-{digest.hexdigest()[:24]}.json"


def _read_all(files: list[Path]) -> list[dict[str, Any]]:
    cache_file = _cache_file(files)
    try:
        data: list[dict[str, Any]] = json.loads(cache_file.read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        pass
    from ruamel.yaml import YAML

    try:
        yaml = YAML(typ="safe", pure=False)
    except Exception:
        yaml = YAML(typ="safe", pure=True)
    raw = [{**yaml.load(path.read_text(encoding="utf-8")), "source": path.as_posix()} for path in files]
    try:  # best effort: a read-only home only costs the YAML parse next time
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache_file.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(raw), encoding="utf-8")
        os.replace(tmp, cache_file)
    except OSError:
        pass
    return raw


@cache
def load(directory: Path | None = None) -> tuple[Rule, ...]:
    base = directory or rules_dir()
    # rules/semgrep holds example semgrep rules for --semgrep-rules, not catalog rules
    files = sorted(p for p in base.rglob("*.yml") if "semgrep" not in p.relative_to(base).parts[:1])
    rules = [_rule(data, data["source"]) for data in _read_all(files)]
    return tuple(sorted(rules, key=lambda r: r.code))


def by_code() -> dict[str, Rule]:
    return {r.code: r for r in load()}


class CatalogError(Exception):
    """A user's rule file that cannot be used; the message names the file and the problem."""


def load_user(paths: Iterable[Path]) -> tuple[Rule, ...]:
    """An organisation's own rules, in the catalog format, from files or folders of ``*.yml``.

    They are validated against the catalog's schema (jsonschema, imported only here) and must be data
    (``check: {setting, fail_if, message}``): a policy, not code. Their codes may not reuse the
    built-in ones."""
    files: list[Path] = []
    for path in paths:
        files.extend(sorted(path.rglob("*.yml")) + sorted(path.rglob("*.yaml")) if path.is_dir() else [path])
    if not files:
        return ()
    import jsonschema
    from ruamel.yaml import YAML

    schema = json.loads((rules_dir() / "schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    taken = {r.code for r in load()}
    rules: list[Rule] = []
    for file in files:
        try:
            data = YAML(typ="safe", pure=True).load(file.read_text(encoding="utf-8"))
        except Exception as exc:
            raise CatalogError(f"{file}: not readable YAML: {exc}") from None
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
        if errors:
            where = "/".join(str(p) for p in errors[0].path) or "(the rule)"
            message = errors[0].message
            raise CatalogError(f"{file}: `{where}`: {message if len(message) < 160 else message[:157] + '...'}")
        if "setting" not in data["check"]:
            raise CatalogError(f"{file}: `check`: a rule of your own is data (setting, fail_if, message), not code")
        if data["code"] in taken:
            raise CatalogError(f"{file}: `code`: {data['code']} is already a rule; choose another code")
        taken.add(data["code"])
        rules.append(_rule(data, file.as_posix()))
    return tuple(rules)
