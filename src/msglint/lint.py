"""The run policy as one library call: ``msglint.lint(paths)`` finds what ``msglint check`` finds.

The engine runs rules; this decides what a run is asked for and what of its findings is kept: the
selection merged from the caller and the configuration, ``--diff-base``, a baseline, and the
severity that fails the run. The command line only parses options and renders the result.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `import msglint` (and so `msglint --version`) stays light
    from msglint import engine
    from msglint.config import Config
    from msglint.fixer import Report
    from msglint.model import Result


class LintError(Exception):
    """The run cannot be done as asked: an unknown rule code, no semgrep, a bad baseline, no git."""


@dataclass(frozen=True)
class Policy:
    """A run's settings, the caller's merged with the configuration's."""

    config: Config  # with include-tests, max-file-size and the default set's extend-select applied
    select: tuple[str, ...] = ()  # upper case; empty: the default rule set
    ignore: tuple[str, ...] = ()
    semgrep_rules: tuple[str, ...] = ()
    fail_on: str = "warning"
    diff_base: str | None = None
    baseline: Path | None = None
    only_relevant: bool = False
    asked: tuple[tuple[str, Any], ...] = ()  # the caller's options, to merge into nested configurations too
    hierarchical: bool = True  # configurations below the paths judge their own directories
    cache: bool = False  # keep what source files gave for the next run (cache.py); the CLI turns it on
    cache_dir: str | None = None  # --cache-dir; else MSGLINT_CACHE_DIR, else .msglint_cache/ at the root
    jobs: int = 1  # processes that read and extract source files; 0: the usable cores (parallel.py)


def policy(
    config: Config,
    *,
    select: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    include_tests: bool = False,
    max_file_size: int | None = None,
    semgrep_rules: Sequence[str] = (),
    fail_on: str | None = None,
    diff_base: str | None = None,
    baseline: Path | None = None,
    only_relevant: bool = False,
    hierarchical: bool = True,
    cache: bool = False,
    cache_dir: str | None = None,
    jobs: int = 1,
) -> Policy:
    """The policy for these options on top of ``config``; LintError when a code names no rule.

    A ``select`` replaces the configuration's; ``extend_select`` and ``ignore`` add to its own."""
    from msglint import catalog, codes

    asked = {
        "select": select,
        "extend_select": extend_select,
        "ignore": ignore,
        "include_tests": include_tests,
        "max_file_size": max_file_size,
        "semgrep_rules": semgrep_rules,
        "fail_on": fail_on,
    }
    rules = (*catalog.load(), *config.rules)
    own_rules = [*config.semgrep_rules, *semgrep_rules]
    own = codes.semgrep_ids(own_rules) if own_rules else set()
    try:
        select, extend_select, ignore = (codes.resolve(ids, rules, own) for ids in (select, extend_select, ignore))
    except codes.UnknownId as exc:
        raise LintError(str(exc)) from None
    chosen = select or list(config.select or [])
    extended = [*config.extend_select, *extend_select]
    if chosen:
        chosen += extended
    else:  # the default set, plus what extend-select names (opt-in rules among them)
        config = dataclasses.replace(config, extend_select=extended)
    if include_tests:
        config = dataclasses.replace(config, include_tests=True)
    if max_file_size is not None:
        config = dataclasses.replace(config, max_file_size=max_file_size)
    return Policy(
        asked=tuple(asked.items()),
        hierarchical=hierarchical,
        cache=cache,
        cache_dir=cache_dir,
        jobs=jobs,
        config=config,
        select=tuple(chosen),
        ignore=(*config.ignore, *ignore),
        semgrep_rules=(*config.semgrep_rules, *semgrep_rules),
        fail_on=fail_on or config.fail_on or "warning",
        diff_base=diff_base,
        baseline=baseline,
        only_relevant=only_relevant,
    )


def run(
    paths: Sequence[str],
    policy: Policy,
    *,
    cwd: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    stdin: tuple[Path, bytes] | None = None,
    overlay: Mapping[Path, bytes] | None = None,
) -> Result:
    """Lint ``paths`` under ``policy``. LintError when semgrep, git or the baseline fail; any other
    exception is a bug in the engine (files and rules are isolated: their failures are findings).
    ``stdin``: a file given with its content (an editor's buffer), judged as that file; ``overlay``:
    files on disk judged with other contents (absolute path -> bytes), as the fixer's passes are."""
    from msglint import engine, parallel

    cwd = cwd or Path.cwd()
    if policy.semgrep_rules:
        _need_semgrep()
    result = engine.run(
        paths,
        policy.select,
        policy.ignore,
        cwd=cwd,
        only_relevant=policy.only_relevant,
        semgrep_rules=policy.semgrep_rules,
        config=policy.config,
        progress=progress,
        given=stdin,
        nested=_nested(paths, policy),
        cache=_cache(policy, paths, cwd),
        workers=parallel.jobs(policy.jobs),
        overlay=overlay,
    )
    result.fail_on = policy.fail_on
    if policy.baseline is not None:  # before --diff-base, which would make every other entry look stale
        result.stale_baseline = _stale(result, policy, policy.baseline, paths, cwd)
    if policy.diff_base is not None:
        _changed_only(result, policy.diff_base, cwd)
    if policy.baseline is not None:
        _new_only(result, policy.baseline)
    return result


def _cache(chosen: Policy, paths: Sequence[str], cwd: Path) -> Any:
    """The run's cache, or None: at the root of the repository the first path is in (where its
    configuration is, outside one; else the current directory), unless told where."""
    if not chosen.cache:
        return None
    from msglint.cache import open_cache
    from msglint.discover import git_root

    first = (cwd / (paths[0] if paths else ".")).resolve()
    start = first if first.is_dir() else first.parent
    config = chosen.config.path.parent if chosen.config.path is not None else None
    return open_cache(git_root(start) or config or cwd, chosen.cache_dir)


def _nested(paths: Sequence[str], chosen: Policy) -> list[engine.Judge]:
    """The configurations below ``paths``, each with the caller's options merged in as for the run's."""
    from msglint import config as configuration
    from msglint import engine

    if not chosen.hierarchical:
        return []  # --isolated or --config: that one configuration (or none) judges every file
    try:
        found = configuration.nested(paths, chosen.config.path.resolve() if chosen.config.path else None)
    except (configuration.ConfigError, OSError) as exc:
        raise LintError(f"configuration error: {exc}") from None
    judges = []
    for nested in found:
        merged = policy(nested, **dict(chosen.asked))
        judges.append(engine.Judge(nested.root, merged.select, merged.ignore, merged.config))
    return judges


def configurations(
    paths: Sequence[str], explicit: str | None = None, isolated: bool = False
) -> list[tuple[Config, list[str]]]:
    """Each path with the configuration that judges it, as ruff's hierarchy does: the nearest one
    at or above it (``explicit`` for all, none when ``isolated``). Grouped by configuration and
    sorted, so that ``msglint a b`` is ``msglint b a``. config.ConfigError for an invalid one."""
    from msglint import config as configuration

    if explicit is not None or isolated:
        chosen = configuration.Config() if isolated else configuration.load(list(paths), explicit)
        return [(chosen, sorted(paths))]
    groups: dict[Path | None, tuple[Config, list[str]]] = {}
    for path in sorted(paths):
        found = configuration.load([path])
        groups.setdefault(found.path, (found, []))[1].append(path)
    return [groups[key] for key in sorted(groups, key=lambda k: (k is not None, str(k)))]


def run_all(
    groups: Sequence[tuple[Policy, Sequence[str]]],
    *,
    cwd: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    stdin: tuple[Path, bytes] | None = None,
    overlay: Mapping[Path, bytes] | None = None,
) -> Result:
    """``run`` for each group of paths under its own policy, as one result. A run fails at the
    strictest threshold among the groups (the command line's ``--fail-on`` is every group's)."""
    from msglint.model import Finding, Result, severity_rank

    if len(groups) == 1:
        policy, paths = groups[0]
        return run(paths, policy, cwd=cwd, progress=progress, stdin=stdin, overlay=overlay)
    merged = Result()
    for policy, paths in groups:
        given = stdin if _holds(paths, stdin) else None
        part = run(paths, policy, cwd=cwd, progress=progress, stdin=given, overlay=overlay)
        merged.findings += part.findings
        merged.errors += part.errors
        merged.files += part.files
        merged.baselined += part.baselined
        merged.unread |= part.unread
        merged.read |= part.read
        merged.templated |= part.templated
        merged.stale_baseline += part.stale_baseline
    merged.fail_on = min((p.fail_on for p, _ in groups), key=severity_rank)
    # `msglint . sub` walks sub twice, under a nested and under its own configuration: one verdict
    unique = {(f.code, f.path, f.span, f.message): f for f in reversed(merged.findings)}
    merged.findings = sorted(unique.values(), key=Finding.sort_key)
    return merged


def _holds(paths: Sequence[str], stdin: tuple[Path, bytes] | None) -> bool:
    return stdin is not None and str(stdin[0]) in paths


def lint(
    paths: Sequence[str] = (".",),
    config: Config | str | Path | None = None,
    *,
    select: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    include_tests: bool = False,
    max_file_size: int | None = None,
    semgrep_rules: Sequence[str] = (),
    fail_on: str | None = None,
    diff_base: str | None = None,
    baseline: Path | None = None,
    only_relevant: bool = False,
    cwd: Path | None = None,
    contents: Mapping[str, bytes] | None = None,
) -> Result:
    """What ``msglint check`` reports for ``paths``, as a Result; ``result.exit_code()`` is its exit code.

    ``config`` is a Config, a configuration file, or None for the nearest one (as the CLI finds it);
    config.ConfigError when it is invalid, LintError as ``run`` and ``policy`` raise it.
    ``contents``: files on disk judged with these bytes instead (an editor's unsaved buffers), by
    path (relative to ``cwd``, or absolute)."""
    options: dict[str, Any] = {
        "select": select,
        "extend_select": extend_select,
        "ignore": ignore,
        "include_tests": include_tests,
        "max_file_size": max_file_size,
        "semgrep_rules": semgrep_rules,
        "fail_on": fail_on,
        "diff_base": diff_base,
        "baseline": baseline,
        "only_relevant": only_relevant,
        "hierarchical": config is None,
    }
    base = cwd or Path.cwd()
    overlay = {(base / k).resolve(): v for k, v in (contents or {}).items()}
    return run_all(_policies(paths, config, options), cwd=cwd, overlay=overlay)


def _policies(
    paths: Sequence[str], config: Config | str | Path | None, options: dict[str, Any]
) -> list[tuple[Policy, Sequence[str]]]:
    from msglint import config as configuration

    if isinstance(config, configuration.Config):
        groups = [(config, list(paths))]
    else:  # each path with its nearest configuration, as the command line does
        groups = configurations(paths, None if config is None else str(config))
    return [(policy(c, **options), group) for c, group in groups]


def fix(
    paths: Sequence[str] = (".",),
    config: Config | str | Path | None = None,
    *,
    unsafe: bool = False,
    write: bool = True,
    select: Sequence[str] = (),
    extend_select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    include_tests: bool = False,
    contents: Mapping[str, bytes] | None = None,
    cwd: Path | None = None,
) -> Report:
    """Apply the safe fixes (with ``unsafe``, the unsafe ones too) to ``paths``, as ``msglint --fix``
    does; with ``write=False``, only work them out (``--diff``). ``contents``: files judged and fixed
    with these bytes instead of the disk's (an editor's unsaved buffers; never written back).
    Returns the fixer's Report: ``report.result`` holds the findings that remain, ``report.fixed``
    the fixes applied by rule, ``report.failed`` those that could not be, ``report.diff()`` the change."""
    from msglint import fixer

    cwd = cwd or Path.cwd()
    options: dict[str, Any] = {
        "select": select,
        "extend_select": extend_select,
        "ignore": ignore,
        "include_tests": include_tests,
        "hierarchical": config is None,
    }
    groups = _policies(paths, config, options)
    buffers = {(cwd / k).resolve(): v for k, v in (contents or {}).items()}

    def run(overlay: Mapping[Path, bytes]) -> Result:
        return run_all(groups, cwd=cwd, overlay=overlay)

    roots = [(cwd / p).resolve() for p in paths]
    report = fixer.fix(run, cwd, roots, unsafe=unsafe, initial=buffers)
    if write:  # an editor's buffer is the editor's to save
        fixer.write(report, reread=lambda: run_all(groups, cwd=cwd), keep=buffers)
    return report


def _need_semgrep() -> None:
    """Refuse before the run, so that no time is lost, when the semgrep rules cannot be run."""
    from msglint import semgrep

    try:
        semgrep.executable()
    except semgrep.SemgrepError as exc:
        raise LintError(str(exc)) from None


def _changed_only(result: Result, base: str, cwd: Path) -> None:
    """Keep the findings on lines changed since the git revision ``base``."""
    from msglint import diff

    try:
        changed = diff.changed_lines(base, cwd)
    except diff.DiffError as exc:
        raise LintError(str(exc)) from None
    result.findings = [f for f in result.findings if diff.on_changed_lines(Path(f.path), f.span.line, changed)]


def _stale(result: Result, policy: Policy, path: Path, paths: Sequence[str], cwd: Path) -> list[dict[str, str]]:
    """The baseline's entries this run could have found (their code ran, their file is under a path
    linted) and did not: fixed, or moved beyond recognition."""
    from msglint import baseline, engine
    from msglint.discover import git_root

    config = policy.config
    base = config.path.parent if config.path is not None else git_root(cwd.resolve()) or cwd
    targets = [(cwd / p).resolve() for p in paths]

    def considered(code: str, where: str) -> bool:
        file = (base / where).resolve()
        under = any(file == t or t in file.parents for t in targets)
        return under and engine.selected(code, policy.select, policy.ignore)

    try:
        return baseline.stale(path, result.findings, considered)
    except baseline.BaselineError as exc:
        raise LintError(str(exc)) from None


def _new_only(result: Result, path: Path) -> None:
    """Keep the findings the baseline at ``path`` does not know."""
    from msglint import baseline

    try:
        result.findings, result.baselined = baseline.new_only(result.findings, baseline.load(path))
    except baseline.BaselineError as exc:
        raise LintError(str(exc)) from None
