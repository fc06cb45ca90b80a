"""Command line: ``msglint [PATHS]...``, ``msglint check``, ``msglint rules``, ``msglint explain CODE``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage or internal error.
Heavy modules are imported inside the commands so that ``--version`` and ``--help`` stay instant.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from msglint.reporters import FORMATS
from msglint.version import __version__

if TYPE_CHECKING:
    from msglint.catalog import Rule
    from msglint.config import Config
    from msglint.lint import Policy
    from msglint.model import Result

SUBCOMMANDS = {"check", "rules", "explain", "config-schema", "server", "graph"}


def _codes(value: str | None) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


def _size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from msglint.discover import parse_size

    try:
        return None if value is None else parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class _DefaultToCheck(click.Group):
    """``msglint PATH...`` means ``msglint check PATH...``, like ``msglint .``; a command's name may
    come after options (``msglint --format json rules``), and ``msglint help [COMMAND]`` is --help."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args[:1] == ["help"]:
            args = [args[1], "--help"] if args[1:2] and args[1] in SUBCOMMANDS else ["--help"]
        at = _first_positional(args)
        first = args[at] if at is not None else None
        wants_group = any(a in ("--help", "-h", "--version") for a in args) and first is None
        if first in SUBCOMMANDS and at:
            args = [args[at], *args[:at], *args[at + 1 :]]  # options before the command are its own
        elif not wants_group and first not in SUBCOMMANDS:
            args = ["check", *args]
        return super().parse_args(ctx, args)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        lint = self.commands["check"]  # `msglint [PATHS]...` is `msglint check`: show what it takes
        records = [r for p in lint.get_params(ctx) if (r := p.get_help_record(ctx)) is not None]
        with formatter.section("Lint options (msglint [OPTIONS] [PATHS]...; see msglint check --help)"):
            formatter.write_dl(records)


def _first_positional(args: list[str]) -> int | None:
    """The index of the first argument that is neither an option nor an option's value."""
    valued = {o for p in check.params if isinstance(p, click.Option) and not p.is_flag for o in p.opts}
    skip = False
    for index, arg in enumerate(args):
        if skip:
            skip = False
        elif arg == "--":
            return None  # what follows is paths, whatever their names
        elif arg.startswith("-") and arg != "-":
            skip = arg in valued  # `--format json`; `--format=json` carries its value
        else:
            return index
    return None


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="msglint")
def main() -> None:
    """Lint Kafka, RabbitMQ, NATS and Redis Streams configuration: msglint [PATHS]..."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=str))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS)),
    default="text",
    show_default=True,
    help="text for people; json (stable), sarif (code scanning), github (annotations), junit, gitlab (Code Quality).",
)
@click.option(
    "--output-file",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write the report to this file instead of standard output (replaced whole, never one of the files "
    "checked or the --baseline input).",
)
@click.option(
    "--output-format",
    "outputs",
    multiple=True,
    metavar="FORMAT[:FILE]",
    help="A report in FORMAT, to FILE or standard output; repeatable, for several reports from one run "
    "(e.g. --output-format text --output-format sarif:msglint.sarif). Replaces --format/--output-file.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour the text report: auto means on a terminal, unless NO_COLOR is set (FORCE_COLOR forces it).",
)
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported (2 still means an error).")
@click.option("--show-files", is_flag=True, help="List the files a run would read, and why, then exit.")
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the settings each of PATHS is judged with (configuration file, selection, options), then exit.",
)
@click.option("--isolated", is_flag=True, help="Ignore every configuration file: the built-in defaults only.")
@click.option(
    "--stdin-filename",
    metavar="PATH",
    help="With `msglint -`: the file that standard input is; it is judged as that file, in its repository.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    help="Processes that read and extract source files (default 0: every usable core). The output is the "
    "same for any number.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Parse every source file again: neither read nor write the cache of unchanged files.",
)
@click.option(
    "--cache-dir",
    metavar="DIR",
    envvar="MSGLINT_CACHE_DIR",
    help="Where the cache lives (also MSGLINT_CACHE_DIR; default: .msglint_cache/ at the repository root).",
)
@click.option(
    "--prune-baseline",
    is_flag=True,
    help="With --baseline: remove from it the entries no finding matches any more (fixed or moved).",
)
@click.option(
    "--diff-base",
    "diff_base",
    metavar="REV",
    help="Report only findings on lines changed since this git revision (e.g. origin/main).",
)
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has, instead of the findings.")
@click.option(
    "--fix",
    "apply_fixes",
    is_flag=True,
    help="Apply the safe fixes ([*] in the text report), then report what remains.",
)
@click.option("--unsafe-fixes", is_flag=True, help="With --fix, --fix-only or --diff: apply the unsafe fixes too.")
@click.option(
    "--fix-only",
    is_flag=True,
    help="Apply the fixes and report only what was fixed, not the findings that remain.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print the fixes as a unified diff and write nothing; exit 1 when something would change.",
)
@click.option(
    "--select",
    help="Comma-separated rule codes or prefixes to run instead of the default set (ALL: every rule, opt-in too).",
)
@click.option(
    "--extend-select",
    "extend_select",
    help="Comma-separated codes or prefixes to run in addition (e.g. opt-in rules next to the default set).",
)
@click.option("--ignore", help="Comma-separated rule codes or prefixes to skip.")
@click.option(
    "--include-tests",
    "include_tests",
    is_flag=True,
    help="Also read test code (tests/, src/test/, testdata/, test_*.py, *Test.java, ...), left out by default.",
)
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info"]),
    default=None,
    help="Exit 1 when a finding is at or above this severity (default: the configuration's, else warning).",
)
@click.option("-q", "--quiet", is_flag=True, help="One line per finding, no source excerpt or summary.")
@click.option(
    "--only-relevant",
    is_flag=True,
    help="Skip named files whose content cannot matter, as for directories (the pre-commit hook sets it).",
)
@click.option(
    "--semgrep-rules",
    "semgrep_rules",
    multiple=True,
    type=click.Path(exists=True, path_type=str),
    help="A semgrep rule file or folder of your own to run on the Java and Python files (repeatable; "
    "needs pip install 'msglint[semgrep]').",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="Use this configuration file (msglint.toml, or a pyproject.toml with [tool.msglint]) instead of the "
    "nearest one.",
)
@click.option(
    "--baseline",
    "baseline_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Report only findings that are not in this baseline (written by --write-baseline).",
)
@click.option(
    "--write-baseline",
    "write_baseline",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Record every current finding in this file and exit 0; later runs with --baseline report only new ones. "
    "It may be the --baseline file itself: that refreshes it.",
)
@click.option(
    "--max-file-size",
    "max_file_size",
    metavar="SIZE",
    callback=_size,
    help="Skip files larger than this, named or walked, with a MSG004 finding: bytes, or 500kB, 5MiB "
    "(default: the configuration's, else 5 MiB).",
)
def check(
    paths: tuple[str, ...],
    output_format: str,
    select: str | None,
    extend_select: str | None,
    ignore: str | None,
    include_tests: bool,
    fail_on: str | None,
    quiet: bool,
    only_relevant: bool,
    semgrep_rules: tuple[str, ...],
    config_file: str | None,
    baseline_file: Path | None,
    write_baseline: Path | None,
    output_file: Path | None,
    statistics: bool,
    diff_base: str | None,
    max_file_size: int | None,
    outputs: tuple[str, ...],
    color: str,
    exit_zero: bool,
    show_files: bool,
    show_settings: bool,
    isolated: bool,
    stdin_filename: str | None,
    prune_baseline: bool,
    no_cache: bool,
    cache_dir: str | None,
    jobs: int,
    apply_fixes: bool = False,
    unsafe_fixes: bool = False,
    fix_only: bool = False,
    show_diff: bool = False,
) -> None:
    """Check PATHS (files or directories; default: the current directory; `-`: standard input, with
    --stdin-filename). Each path is judged with the configuration nearest to it."""
    _tune_gc()
    targets, stdin = _targets(list(paths) or ["."], stdin_filename)
    _refuse_special(targets)
    if prune_baseline and baseline_file is None:
        _fail("--prune-baseline needs --baseline FILE")
    options = {
        "select": _codes(select),
        "extend_select": _codes(extend_select),
        "ignore": _codes(ignore),
        "include_tests": include_tests,
        "max_file_size": max_file_size,
        "semgrep_rules": semgrep_rules,
        "fail_on": fail_on,
        "diff_base": diff_base,
        "only_relevant": only_relevant,
        "baseline": None if write_baseline is not None else baseline_file,  # a new baseline records all
        "hierarchical": not isolated and config_file is None,
        "cache": not no_cache,
        "cache_dir": cache_dir,
        "jobs": jobs,
    }
    groups = _policies(_configurations(targets, config_file, isolated), options)
    if show_settings:
        _show_settings(groups)
    if show_files:
        _show_files(groups, stdin)
    specs = _specs(outputs, output_format, output_file, statistics)
    inputs = {k: v for policy, _ in groups for k, v in _inputs(policy.config, policy.semgrep_rules).items()}
    # refused before the run, so that nothing is written and no time is lost; a new baseline may
    # replace the one being read (that is how it is refreshed), a report may not
    report_inputs = {**inputs, **({baseline_file: "the --baseline input"} if baseline_file else {})}
    for _, file in specs:
        report_inputs = _guard("the report", Path(file) if file else None, targets, report_inputs)
    baseline_inputs = _guard("the baseline", write_baseline, targets, inputs)
    to_terminal = all(file is None for _, file in specs)
    if unsafe_fixes and not (apply_fixes or fix_only or show_diff):
        _fail("--unsafe-fixes goes with --fix, --fix-only or --diff")
    if apply_fixes or fix_only or show_diff:
        if write_baseline is not None or statistics:
            _fail("--fix, --fix-only and --diff cannot be combined with --write-baseline or --statistics")
        fixed = _fix(groups, targets, stdin, unsafe=unsafe_fixes, write=not show_diff)
        if show_diff or fix_only or stdin is not None:
            sys.exit(fixed)
        result = _run(groups, show_progress=False, stdin=None)  # what remains, as it is now on disk
    else:
        result = _run(groups, show_progress=not quiet and to_terminal, stdin=stdin)
    if write_baseline is not None:
        _write_baseline(write_baseline, result, baseline_inputs)
    if baseline_file is not None and result.stale_baseline:
        _stale_baseline(baseline_file, result, prune_baseline, report_inputs)
    code = result.exit_code()
    if exit_zero and code == 1:
        code = 0
    _report(result, code, specs, report_inputs, statistics=statistics, quiet=quiet, color=color)
    sys.exit(code)


def _tune_gc() -> None:
    """A run keeps most of what it builds until the end (documents, entities), so the collector's
    passes find little to free: leave the modules loaded so far out of them, and run them rarely."""
    import gc

    gc.freeze()
    gc.set_threshold(50_000, 50, 100)


def _policies(
    configurations: list[tuple[Config, list[str]]], options: dict[str, Any]
) -> list[tuple[Policy, list[str]]]:
    """Each group of paths with the command line's options merged into its configuration; exit 2 on
    an id that names no rule."""
    # from the module: `msglint.lint` itself is the library call
    from msglint.lint import LintError, policy

    try:
        return [(policy(configuration, **options), paths) for configuration, paths in configurations]
    except LintError as exc:
        _fail(str(exc))


def _targets(paths: list[str], stdin_filename: str | None) -> tuple[list[str], tuple[Path, bytes] | None]:
    """The paths to lint, and standard input's content with the file it stands for (``msglint -``)."""
    if "-" not in paths:
        if stdin_filename is not None:
            _fail("--stdin-filename goes with `-` (read standard input) as the path")
        return paths, None
    if paths != ["-"]:
        _fail("`-` (standard input) cannot be combined with other paths")
    if not stdin_filename:
        _fail("`msglint -` needs --stdin-filename PATH: the file standard input stands for (its name says its kind)")
    from msglint.discover import MAX_BYTES

    data = sys.stdin.buffer.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        _fail(f"standard input is larger than {MAX_BYTES} bytes")
    return [stdin_filename], (Path(stdin_filename), data)


def _specs(
    outputs: tuple[str, ...], output_format: str, output_file: Path | None, statistics: bool
) -> list[tuple[str, str | None]]:
    """The reports to write, (format, file or None for standard output); exit 2 on a bad one."""
    from msglint import reporters

    if outputs and (output_format != "text" or output_file is not None):
        _fail("--output-format replaces --format and --output-file: use one or the other")
    specs = list(outputs) or [output_format if output_file is None else f"{output_format}:{output_file}"]
    try:
        return reporters.parse_outputs(specs, statistics)
    except reporters.OutputError as exc:
        _fail(str(exc))


def _configurations(targets: list[str], config_file: str | None, isolated: bool) -> list[tuple[Config, list[str]]]:
    from msglint import config
    from msglint.lint import configurations

    if isolated and config_file is not None:
        _fail("--isolated ignores every configuration: it cannot be combined with --config")
    try:
        return configurations(targets, config_file, isolated)
    except (config.ConfigError, OSError) as exc:
        _fail(f"configuration error: {exc}")


def _show_settings(groups: list[tuple[Policy, list[str]]]) -> NoReturn:
    """What each path is judged with, as JSON: the configuration file and the merged policy."""
    import json

    shown = []
    for policy, paths in groups:
        config = policy.config
        shown.append(
            {
                "paths": paths,
                "configuration": str(config.path) if config.path is not None else None,
                "select": list(policy.select) or "the default rule set",
                "extend_select": config.extend_select,
                "ignore": list(policy.ignore),
                "per_file_ignores": config.per_file_ignores,
                "severity": config.severity,
                "options": config.options,
                "fail_on": policy.fail_on,
                "exclude": config.exclude,
                "extend_exclude": config.extend_exclude,
                "include_tests": config.include_tests,
                "max_file_size": config.max_file_size,
                "semgrep_rules": list(policy.semgrep_rules),
                "environments": config.environments,
                "own_rules": [r.code for r in config.rules],
            }
        )
    click.echo(json.dumps(shown, indent=2))
    sys.exit(0)


def _show_files(groups: list[tuple[Policy, list[str]]], stdin: tuple[Path, bytes] | None) -> NoReturn:
    """Every file a run would read, with its kind, syntax and why (named, walked, context, unread)."""
    from msglint import discover, engine
    from msglint.documents import display_path
    from msglint.reporters import one_line

    cwd = Path.cwd()
    for policy, paths in groups:
        config = policy.config
        exclusion = discover.Exclusion(config.root, config.exclude, config.extend_exclude, config.include_tests)
        root = engine.context_root(paths, config, True)
        found = discover.discover(paths, policy.only_relevant, exclusion, config.max_file_size, root, stdin)
        for c in found:
            how = c.skipped or ("context" if c.context else "named" if c.explicit else "walked")
            click.echo(f"{one_line(display_path(c.path, cwd))}  {c.kind}  {c.syntax}  ({one_line(how)})")
    sys.exit(0)


def _stale_baseline(path: Path, result: Result, prune: bool, protected: dict[Path, str]) -> None:
    from msglint import baseline, output
    from msglint.reporters import one_line

    count = len(result.stale_baseline)
    if not prune:
        click.echo(
            f"msglint: {count} baseline entr{'y' if count == 1 else 'ies'} in {one_line(str(path))} no longer "
            "match any finding (fixed or moved); --prune-baseline removes them",
            err=True,
        )
        return
    try:
        removed = baseline.prune(path, result.stale_baseline, protected)
    except (baseline.BaselineError, output.Refused, OSError) as exc:
        _fail(f"cannot prune the baseline: {one_line(str(exc))}")
    click.echo(f"msglint: pruned {removed} stale entries from {one_line(str(path))}", err=True)


def _fail(message: str) -> NoReturn:
    click.echo(f"msglint: {message}", err=True)
    sys.exit(2)


def _refuse_special(targets: list[str]) -> None:
    """Exit 2 on a FIFO or a device: opening one would block or read for ever."""
    from msglint import discover
    from msglint.reporters import one_line

    for target in targets:
        what = discover.special(target)
        if what is not None:
            _fail(f"{one_line(target)} is {what}: msglint reads regular files and directories")


def _run(groups: list[tuple[Policy, list[str]]], show_progress: bool, stdin: tuple[Path, bytes] | None) -> Result:
    """The run, with a progress counter on a terminal; exit 2 when it cannot be done."""
    from msglint.lint import LintError, run_all

    progress = _Progress() if show_progress and sys.stderr.isatty() else None
    try:
        return run_all(groups, progress=progress, stdin=stdin)
    except LintError as exc:
        _fail(str(exc))
    except Exception as exc:  # the engine isolates files and rules; this is a bug in the engine itself
        _fail(f"internal error: {type(exc).__name__}: {exc}")
    finally:
        if progress is not None:
            progress.done()


def _fix(
    groups: list[tuple[Policy, list[str]]],
    targets: list[str],
    stdin: tuple[Path, bytes] | None,
    unsafe: bool,
    write: bool,
) -> int:
    """Apply (or, without ``write``, show as a diff) the fixes; say on standard error what was fixed and
    what failed. With standard input the fixed content goes to standard output and nothing is written.
    The exit code for --diff (1: something would change) and --fix-only (1: a fix could not be
    applied); --fix goes on to report what remains."""
    from collections import Counter

    from msglint import fixer
    from msglint.lint import LintError, run_all
    from msglint.reporters import one_line

    cwd = Path.cwd()
    initial = {stdin[0].resolve(): stdin[1]} if stdin is not None else {}

    def run(overlay: Any) -> Result:
        return run_all(groups, stdin=stdin, overlay=overlay)

    try:
        report = fixer.fix(run, cwd, [Path(t).resolve() for t in targets], unsafe=unsafe, initial=initial)
        if stdin is not None:
            path = stdin[0].resolve()
            sys.stdout.buffer.write(report.after.get(path, stdin[1]))
            sys.stdout.flush()
        elif write:
            fixer.write(report, reread=lambda: run_all(groups))
        else:
            sys.stdout.write(report.diff())
    except LintError as exc:
        _fail(str(exc))
    except Exception as exc:  # the engine isolates files and rules; this is a bug in the engine itself
        _fail(f"internal error: {type(exc).__name__}: {exc}")
    for failed in report.failed:
        what = f"{failed.code} in " if failed.code else ""
        click.echo(f"msglint: could not fix {what}{one_line(failed.path)}: {one_line(failed.why)}", err=True)
    total = sum(report.fixed.values())
    verb = "Fixed" if write or stdin is not None else "Would fix"
    if total:
        rules = ", ".join(f"{code} {n}" for code, n in sorted(report.fixed.items(), key=lambda kv: (-kv[1], kv[0])))
        files = len(report.changed)
        click.echo(
            f"{verb} {total} finding{'s' if total != 1 else ''} ({rules}) in {files} file{'s' if files != 1 else ''}.",
            err=True,
        )
    else:
        click.echo("No fixes applied." if write else "No fixes to apply.", err=True)
    remaining = report.result
    left = len(remaining.findings)
    fixable = sum(1 for f in remaining.findings if fixer.applicable(f, unsafe=True) and not fixer.applicable(f, unsafe))
    if left:
        more = f"; {fixable} more fixable with --unsafe-fixes" if fixable else ""
        by_rule = Counter(f.code for f in remaining.findings)
        rules = ", ".join(f"{code} {n}" for code, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0])))
        click.echo(
            f"{left} finding{'s' if left != 1 else ''} remain{'s' if left == 1 else ''} ({rules}{more}).", err=True
        )
    if remaining.errors:
        return 2
    if not write:
        return 1 if report.changed else 0
    return 1 if report.failed else 0


def _write_baseline(destination: Path, result: Result, protected: dict[Path, str]) -> NoReturn:
    """Record every finding in ``destination``, and exit (2 after an internal error, else 0)."""
    from msglint import baseline, output
    from msglint.reporters import one_line

    try:
        baseline.write(destination, result.findings, protected)
    except output.Refused as exc:
        _fail(f"refusing to write the baseline: {one_line(str(exc))}")
    except OSError as exc:
        _fail(f"cannot write the baseline: {one_line(str(exc))}")
    click.echo(f"msglint: wrote {len(result.findings)} findings to {one_line(str(destination))}", err=True)
    sys.exit(2 if result.errors else 0)


def _report(
    result: Result,
    code: int,
    specs: list[tuple[str, str | None]],
    protected: dict[Path, str],
    statistics: bool,
    quiet: bool,
    color: str,
) -> None:
    """The reports on standard output or in their files; internal errors on standard error."""
    from msglint import reporters

    colour = reporters.use_color(color, sys.stdout)
    context = reporters.Context(code, Path.cwd(), colour, quiet)
    try:
        reporters.write_outputs(
            result,
            [f"{name}:{file}" if file else name for name, file in specs],
            context,
            statistics=statistics,
            protected=protected,
        )
    except reporters.OutputError as exc:
        _fail(str(exc))
    if any(name == "text" or file is not None for name, file in specs):
        for error in result.errors:
            shown = reporters.visible(error)  # a path in it may hold any byte
            click.echo(f"msglint: {'' if error.startswith('semgrep') else 'internal error: '}{shown}", err=True)


def _guard(what: str, destination: Path | None, targets: list[str], inputs: dict[Path, str]) -> dict[Path, str]:
    """The files ``destination`` must not be (``inputs``, and itself when the run checks it); exit 2
    now if it is one of them or leads out of the tree."""
    from msglint import discover, output
    from msglint.reporters import one_line

    if destination is None:
        return {}
    if discover.reads(destination, targets):
        inputs = {**inputs, destination: "one of the files being checked"}
    try:
        output.check(destination, inputs)
    except output.Refused as exc:
        click.echo(f"msglint: refusing to write {what}: {one_line(str(exc))}", err=True)
        sys.exit(2)
    return inputs


def _inputs(settings: Any, semgrep_rules: tuple[str, ...]) -> dict[Path, str]:
    """Files a run reads besides the ones it checks, which a report or a baseline must not replace."""
    found = {Path(p): "a --semgrep-rules file" for p in semgrep_rules if os.path.isfile(p)}
    if settings.path is not None:
        found[settings.path] = "the configuration in use"
    return found


class _Progress:
    """A counter on a terminal's stderr once a run has taken more than a moment; nothing when piped."""

    DELAY = 0.5

    def __init__(self) -> None:
        import time

        self.clock = time.monotonic
        self.start = self.clock()
        self.shown = False

    def __call__(self, number: int, total: int) -> None:
        if self.clock() - self.start < self.DELAY or (number % 25 and number != total):
            return
        sys.stderr.write(f"\rmsglint: reading {number}/{total} files")
        sys.stderr.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")  # erase the line: the report follows
            sys.stderr.flush()


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["mermaid", "markdown", "dot", "json", "html"]),
    default="mermaid",
    show_default=True,
    help="mermaid (a diagram), markdown (Mermaid fenced for $GITHUB_STEP_SUMMARY or a comment), dot "
    "(Graphviz), json (stable, see msglint/graph/schema.json), html (one self-contained page).",
)
@click.option(
    "-o", "--output-file", type=click.Path(dir_okay=False), help="Write the graph here, not to standard output."
)
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Use this configuration file.")
def graph(paths: tuple[str, ...], output_format: str, output_file: str | None, config_file: str | None) -> None:
    """Draw the topology msglint builds of PATHS: brokers, topics, queues, streams, applications,
    the links between them and the findings on each."""
    from msglint import engine
    from msglint import graph as topology
    from msglint.graph import page, text
    from msglint.model import Entity, Finding

    targets = list(paths) or ["."]
    _refuse_special(targets)
    entities: list[Entity] = []
    findings: list[Finding] = []
    errors: list[str] = []
    for config, group in _configurations(targets, config_file, False):
        try:
            result = engine.run(group, config=config, model=entities)
        except Exception as exc:  # the engine isolates files and rules; this is a bug in the engine itself
            _fail(f"internal error: {type(exc).__name__}: {exc}")
        findings.extend(result.findings)
        errors.extend(result.errors)
    drawn = topology.build(entities, findings)
    if output_format == "json":
        import json

        out = json.dumps(drawn.as_json(), indent=2, sort_keys=True) + "\n"
    else:
        render = {"mermaid": text.mermaid, "markdown": text.markdown, "dot": text.dot, "html": page.page}
        out = render[output_format](drawn)
    if output_file is None:
        click.echo(out, nl=False)
    else:
        Path(output_file).write_text(out, encoding="utf-8")
    for error in errors:
        click.echo(f"msglint: {error}", err=True)
    sys.exit(2 if errors else 0)


@main.command()
def server() -> None:
    """Run the Language Server (LSP over standard input and output) for editors; needs
    pip install 'msglint[server]'."""
    try:
        from msglint import server as lsp_server
    except ImportError as exc:  # pygls is an optional dependency
        _fail(f"msglint server needs pygls: pip install 'msglint[server]' ({exc})")
    lsp_server.main()


@main.command("config-schema")
def config_schema() -> None:
    """Print the JSON Schema of the configuration (msglint.toml, [tool.msglint])."""
    import json

    from msglint import config

    click.echo(json.dumps(config.json_schema(), indent=2, sort_keys=True))


def _every_rule(config_file: str | None) -> list[Any]:
    """The built-in rules and the organisation's own, from the configuration that applies here."""
    from msglint import catalog, config

    try:
        own = config.load(["."], config_file).rules
    except (config.ConfigError, OSError) as exc:
        click.echo(f"msglint: configuration error: {exc}", err=True)
        sys.exit(2)
    return [*catalog.load(), *own]


_CONFIG_OPTION = click.option(
    "--config",
    "config_file",
    type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="The configuration whose own rules to include (default: the nearest one).",
)


@main.command("rules")
@click.option(
    "--format", "output_format", type=click.Choice(["text", "json", "markdown"]), default="text", show_default=True
)
@_CONFIG_OPTION
def list_rules(output_format: str, config_file: str | None) -> None:
    """List every rule (the configuration's own rules too): code, name, severity, summary."""
    rules = sorted(_every_rule(config_file), key=lambda r: (not r.code.startswith("MSG"), r.code))
    if output_format == "markdown":
        click.echo("| code | name | severity | default | summary |\n|---|---|---|---|---|")
        for r in rules:
            click.echo(f"| {r.code} | {r.name} | {r.severity} | {_default_state(r)} | {r.summary} |")
        return
    if output_format == "json":
        import json

        payload = [
            {
                "code": r.code,
                "name": r.name,
                "severity": r.severity,
                "default": not r.opt_in,
                "entities": list(r.entities),
                "summary": r.summary,
            }
            for r in rules
        ]
        click.echo(json.dumps(payload, indent=2))
        return
    width = max(len(r.name) for r in rules)
    for r in rules:
        click.echo(f"{r.code:<7} {r.name:<{width}}  {r.severity:<7}  {_default_state(r):<6}  {r.summary}")


def _default_state(rule: Rule) -> str:
    """``on`` for the default rule set, ``opt-in`` for a rule that runs only when selected."""
    return "opt-in" if rule.opt_in else "on"


@main.command()
@click.argument("code")
@_CONFIG_OPTION
def explain(code: str, config_file: str | None) -> None:
    """Show a rule's documentation: what, why, example, fix, references."""
    from msglint.explain import render

    rules = {r.code: r for r in _every_rule(config_file)}
    rule = rules.get(code.upper()) or next((r for r in rules.values() if r.name == code.lower()), None)
    if rule is None:
        click.echo(f"msglint: no rule {code!r}; `msglint rules` lists them", err=True)
        sys.exit(2)
    click.echo(render(rule))
