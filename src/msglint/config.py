"""Configuration: ``[tool.msglint]`` in ``pyproject.toml``, or ``msglint.toml``/``.msglint.toml``,
found by walking up from the first path checked (``--config FILE`` overrides), validated with
pydantic. An unknown key or a bad value is a ``ConfigError`` naming the file, the key and what is
allowed (exit 2). pydantic is imported only to check a configuration not seen before (the checked
values are cached beside the catalog's).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILES = ("msglint.toml", ".msglint.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A configuration that cannot be used; the message names the file and the key."""


@dataclass
class Config:
    """What the configuration asks for, with paths resolved against its file's directory."""

    path: Path | None = None
    root: Path = field(default_factory=Path.cwd)  # patterns and rule paths are relative to it
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    fail_on: str | None = None
    options: dict[str, dict[str, Any]] = field(default_factory=dict)
    exclude: list[str] | None = None
    extend_exclude: list[str] = field(default_factory=list)
    include_tests: bool = False  # walk test code too (tests/, src/test/, test_*.py, *Test.java, ...)
    semgrep_rules: list[str] = field(default_factory=list)
    rules: tuple[Any, ...] = ()  # catalog.Rule: the organisation's own rules, loaded from `rules` paths
    environments: dict[str, list[str]] = field(default_factory=dict)  # paths, profiles, namespaces, directories
    max_file_size: int | None = None  # bytes; None: discover.MAX_BYTES (5 MiB)


def _model() -> Any:
    """The pydantic model of the configuration (built on first use: pydantic is heavy to import)."""
    from typing import Literal

    from pydantic import BaseModel, ConfigDict, Field

    class Environments(BaseModel):
        """Development settings: durability rules relax for them (the default words: dev, local, test, ...)."""

        model_config = ConfigDict(
            extra="forbid", populate_by_name=True, alias_generator=lambda name: name.replace("_", "-")
        )

        paths: list[str] = Field(default_factory=list, description="Globs (relative to this file) of dev files.")
        profiles: list[str] | None = Field(None, description="Spring profiles that are development ones.")
        namespaces: list[str] | None = Field(None, description="Kubernetes namespaces that are development ones.")
        directories: list[str] | None = Field(None, description="Directory names that hold development settings.")

    class Settings(BaseModel):
        """msglint's configuration: [tool.msglint] in pyproject.toml, or msglint.toml."""

        model_config = ConfigDict(
            extra="forbid", populate_by_name=True, alias_generator=lambda name: name.replace("_", "-")
        )

        select: list[str] | None = Field(None, description="Rule codes or prefixes to run (default: all).")
        ignore: list[str] = Field(default_factory=list, description="Rule codes or prefixes to skip.")
        extend_select: list[str] = Field(default_factory=list, description="Codes or prefixes added to select.")
        per_file_ignores: dict[str, list[str]] = Field(
            default_factory=dict, description="Glob (relative to this file) -> codes or prefixes to skip there."
        )
        severity: dict[str, Literal["error", "warning", "info"]] = Field(
            default_factory=dict, description="Rule code or prefix -> the severity its findings get."
        )
        fail_on: Literal["error", "warning", "info"] | None = Field(
            None, description="Exit 1 when a finding is at or above this severity (default: warning)."
        )
        options: dict[str, dict[str, Any]] = Field(
            default_factory=dict, description="Rule code -> its options (thresholds), see `msglint explain CODE`."
        )
        exclude: list[str] | None = Field(
            None, description="Gitignore-style patterns of paths not to read; replaces the built-in list."
        )
        extend_exclude: list[str] = Field(default_factory=list, description="Patterns added to exclude.")
        include_tests: bool = Field(
            False,
            description="Also read test code (tests/, src/test/, testdata/, test_*.py, *Test.java, ...), which a walk "
            "leaves out by default; durability rules still relax there.",
        )
        semgrep_rules: list[str] = Field(
            default_factory=list, description="semgrep rule files or folders of your own (needs msglint[semgrep])."
        )
        environments: Environments = Field(
            default_factory=lambda: Environments.model_validate({}),
            description="What marks development settings, where durability rules relax.",
        )
        rules: list[str] = Field(
            default_factory=list,
            description="Files or folders of your own rules in the catalog format (rules/schema.json), as data.",
        )
        max_file_size: int | str | None = Field(
            None,
            description="Files larger than this, named or walked, are skipped with a MSG004 finding: bytes, or "
            "a size such as 500kB or 5MiB (default: 5 MiB).",
        )

    return Settings


def json_schema() -> dict[str, Any]:
    """The configuration's JSON Schema, for editors (published as msglint.schema.json)."""
    schema: dict[str, Any] = _model().model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "msglint configuration"
    return schema


def find(start: Path) -> tuple[Path, dict[str, Any]] | None:
    """The nearest configuration at or above ``start``: (its file, its table)."""
    directory = start if start.is_dir() else start.parent
    for candidate in (directory, *directory.parents):
        for name in FILES:
            path = candidate / name
            if not path.is_file():
                continue
            table = _table(path)
            if table is not None:
                return path, table
    return None


def _table(path: Path) -> dict[str, Any] | None:
    """The msglint table of a file; None for a pyproject.toml without ``[tool.msglint]``."""
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.name == "pyproject.toml" and "tool.msglint" not in text:
        return None
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("msglint")
        return table if isinstance(table, dict) else None
    return data


def load(paths: Sequence[str], explicit: str | None = None) -> Config:
    """The configuration that applies to ``paths`` (defaults when there is none)."""
    if explicit is not None:
        path = Path(explicit).resolve()
        table = _table(path) if path.is_file() else None
        if table is None:
            raise ConfigError(f"{explicit}: no msglint configuration in it")
        found: tuple[Path, dict[str, Any]] | None = (path, table)
    else:
        found = find(Path(paths[0] if paths else ".").resolve())
    if found is None:
        return Config()
    path, table = found
    return _validate(path, table)


def nested(paths: Sequence[str], own: Path | None) -> list[Config]:
    """The configurations below the directories in ``paths`` (not ``own``, the one the paths are
    judged with): each judges the findings of its own directory, as ruff's do. Directories that
    are never walked (SKIP_DIRS, hidden ones) are not looked in."""
    from msglint.discover import SKIP_DIRS

    found: dict[Path, Config] = {}
    for top in (Path(p) for p in paths if Path(p).is_dir()):
        for directory, subdirectories, files in os.walk(top):
            subdirectories[:] = [d for d in subdirectories if d not in SKIP_DIRS and not d.startswith(".")]
            here = Path(directory)
            if here == top or not any(name in files for name in FILES):
                continue
            located = find(here)
            if located is not None and located[0].parent == here and located[0].resolve() != own:
                found.setdefault(located[0].resolve(), _validate(*located))
    return list(found.values())


def _validated(path: Path, table: dict[str, Any]) -> dict[str, Any]:
    """The table checked by the pydantic model, as plain values. A table already checked is taken
    from the cache: pydantic's import and model build cost ~0.2 s, on every pre-commit run."""
    import hashlib
    import json

    from msglint import catalog
    from msglint.version import __version__

    model_file = os.stat(__file__)  # a changed model (an editable install) must not reuse old entries
    key = hashlib.sha256(
        json.dumps([table, model_file.st_size, model_file.st_mtime_ns], sort_keys=True, default=str).encode()
    ).hexdigest()[:24]
    cached = catalog.cache_dir() / f"config-{__version__}-{key}.json"
    try:
        values: dict[str, Any] = json.loads(cached.read_text(encoding="utf-8"))
        return values
    except (OSError, ValueError):
        pass
    from pydantic import ValidationError

    model = _model()
    try:
        values = model.model_validate(table).model_dump()
    except ValidationError as exc:
        raise ConfigError(_explain(path, exc, model)) from None
    try:  # best effort: a read-only home only costs the validation next time
        cached.parent.mkdir(parents=True, exist_ok=True)
        cached.write_text(json.dumps(values), encoding="utf-8")
    except OSError:
        pass
    return values


def _validate(path: Path, table: dict[str, Any]) -> Config:
    values = _validated(path, table)
    root = path.parent
    limit = None
    if values["max_file_size"] is not None:
        from msglint.discover import parse_size

        try:
            limit = parse_size(values["max_file_size"])
        except ValueError as exc:
            raise ConfigError(f"{path}: `max-file-size`: {exc}") from None
    config = Config(
        path=path,
        root=root,
        select=values["select"],
        ignore=values["ignore"],
        extend_select=values["extend_select"],
        per_file_ignores=values["per_file_ignores"],
        severity=dict(values["severity"]),
        fail_on=values["fail_on"],
        options=values["options"],
        exclude=values["exclude"],
        extend_exclude=values["extend_exclude"],
        include_tests=values["include_tests"],
        semgrep_rules=[str((root / p).resolve()) for p in values["semgrep_rules"]],
        environments={k: v for k, v in values["environments"].items() if v is not None},
        max_file_size=limit,
    )
    if values["rules"]:
        from msglint import catalog

        try:
            config.rules = catalog.load_user([(root / p).resolve() for p in values["rules"]])
        except (catalog.CatalogError, OSError) as exc:
            raise ConfigError(f"{path}: `rules`: {exc}") from None
    _check_rules(path, config)
    return config


def _explain(path: Path, exc: Any, model: Any) -> str:
    problems = []
    for error in exc.errors():
        key = ".".join(str(part) for part in error["loc"])
        if error["type"] == "extra_forbidden":
            fields = model.model_fields
            if len(error["loc"]) > 1 and str(error["loc"][0]) == "environments":
                fields = fields["environments"].default_factory().__class__.model_fields
            allowed = ", ".join(sorted(f.alias or n for n, f in fields.items()))
            problems.append(f"unknown key `{key}` (allowed: {allowed})")
        else:
            problems.append(f"`{key}`: {error['msg']}")
    return f"{path}: " + "; ".join(problems)


def _check_rules(path: Path, config: Config) -> None:
    """Selections, options and severities must name rules that exist, and options the rule has."""
    from msglint import catalog

    rules = {**catalog.by_code(), **{r.code: r for r in config.rules}}
    _resolve_names(path, config, list(rules.values()))
    for code, values in config.options.items():
        rule = rules.get(code.upper())
        if rule is None:
            raise ConfigError(f"{path}: `options.{code}`: no such rule")
        public = {k: v for k, v in rule.options.items() if not k.startswith("_")}
        unknown = sorted(set(values) - set(public))
        if unknown:
            known = ", ".join(sorted(public)) or "none"
            raise ConfigError(f"{path}: `options.{code}.{unknown[0]}`: {code} has no such option (it has: {known})")
        for key, value in values.items():
            _check_option(path, code, key, public[key], value)


def _resolve_names(path: Path, config: Config, rules: list[Any]) -> None:
    """Rule names become codes wherever the configuration names rules; an id that names nothing is
    an error with the nearest real one (a semgrep rule's id passes when its file is configured)."""
    from msglint import codes

    own = codes.semgrep_ids(config.semgrep_rules) if config.semgrep_rules else set()

    def each(ids: list[str], where: str) -> list[str]:
        try:
            return codes.resolve(ids, rules, own)
        except codes.UnknownId as exc:
            raise ConfigError(f"{path}: `{where}`: {exc}") from None

    if config.select is not None:
        config.select = each(config.select, "select")
    config.ignore = each(config.ignore, "ignore")
    config.extend_select = each(config.extend_select, "extend-select")
    config.per_file_ignores = {p: each(c, f"per-file-ignores.{p}") for p, c in config.per_file_ignores.items()}
    config.severity = {each([c], "severity")[0]: s for c, s in config.severity.items()}
    names = {r.name: r.code for r in rules}  # an unknown options key is refused below, with its own message
    config.options = {names.get(c.lower(), c): v for c, v in config.options.items()}


def _check_option(path: Path, code: str, key: str, default: object, value: object) -> None:
    """An option's value must have the type of its default."""
    numeric = isinstance(default, (int, float)) and not isinstance(default, bool)
    if numeric and (not isinstance(value, (int, float)) or isinstance(value, bool)):
        raise ConfigError(f"{path}: `options.{code}.{key}`: a number is expected, like the default {default}")
    if isinstance(default, bool) and not isinstance(value, bool):
        raise ConfigError(f"{path}: `options.{code}.{key}`: true or false is expected")
    if isinstance(default, str) and not isinstance(value, str):
        raise ConfigError(f"{path}: `options.{code}.{key}`: a string is expected")
