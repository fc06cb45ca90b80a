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

SUBCOMMANDS = {"check", "rules", "explain", "config-schema"}


def _codes(value: str | None) -> list[str]:
    return [c.strip() for c in (value or "").split(",") if c.strip()]


def _size(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from msglint.discover import parse_size

    try:
        return None if value is None else parse_size(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


class _DefaultToCheck(click.Group):
    """``msglint PATH...`` means ``msglint check PATH...``, like ``msglint .``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        first = next((a for a in args if not a.startswith("-")), None)
        wants_group = any(a in ("--help", "-h", "--version") for a in args) and first is None
        if not wants_group and first not in SUBCOMMANDS:
            args = ["check", *args]
        return super().parse_args(ctx, args)


@click.group(cls=_DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="msglint")
def main() -> None:
    """Lint Kafka, RabbitMQ and NATS configuration: msglint [PATHS]..."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=str))
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
    "--diff-base",
    "diff_base",
    metavar="REV",
    help="Report only findings on lines changed since this git revision (e.g. origin/main).",
)
@click.option("--statistics", is_flag=True, help="Print how many findings each rule has, instead of the findings.")
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
) -> None:
    """Check PATHS (files or directories; default: the current directory)."""
    # from the module: `msglint.lint` itself is the library call
    from msglint.lint import LintError
    from msglint.lint import policy as make_policy

    targets = list(paths) or ["."]
    _refuse_special(targets)
    try:
        policy = make_policy(
            _configuration(targets, config_file),
            select=_codes(select),
            extend_select=_codes(extend_select),
            ignore=_codes(ignore),
            include_tests=include_tests,
            max_file_size=max_file_size,
            semgrep_rules=semgrep_rules,
            fail_on=fail_on,
            diff_base=diff_base,
            only_relevant=only_relevant,
            baseline=None if write_baseline is not None else baseline_file,  # a new baseline records everything
        )
    except LintError as exc:
        _fail(str(exc))
    inputs = _inputs(policy.config, policy.semgrep_rules)
    # refused before the run, so that nothing is written and no time is lost; a new baseline may
    # replace the one being read (that is how it is refreshed), a report may not
    report_inputs = _guard(
        "the report",
        output_file,
        targets,
        {**inputs, **({baseline_file: "the --baseline input"} if baseline_file else {})},
    )
    baseline_inputs = _guard("the baseline", write_baseline, targets, inputs)
    result = _run(targets, policy, show_progress=not quiet and output_file is None)
    if write_baseline is not None:
        _write_baseline(write_baseline, result, baseline_inputs)
    code = result.exit_code()
    _report(result, code, output_format, output_file, report_inputs, statistics=statistics, quiet=quiet)
    sys.exit(code)


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


def _configuration(targets: list[str], config_file: str | None) -> Config:
    from msglint import config

    try:
        return config.load(targets, config_file)
    except (config.ConfigError, OSError) as exc:
        _fail(f"configuration error: {exc}")


def _run(targets: list[str], policy: Policy, show_progress: bool) -> Result:
    """The run, with a progress counter on a terminal; exit 2 when it cannot be done."""
    from msglint.lint import LintError, run

    progress = _Progress() if show_progress and sys.stderr.isatty() else None
    try:
        return run(targets, policy, progress=progress)
    except LintError as exc:
        _fail(str(exc))
    except Exception as exc:  # the engine isolates files and rules; this is a bug in the engine itself
        _fail(f"internal error: {type(exc).__name__}: {exc}")
    finally:
        if progress is not None:
            progress.done()


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
    output_format: str,
    output_file: Path | None,
    protected: dict[Path, str],
    statistics: bool,
    quiet: bool,
) -> None:
    """The report on standard output or in ``output_file``; internal errors on standard error."""
    from msglint import output, reporters

    to_file = output_file is not None
    colour = not to_file and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if statistics:
        from msglint.reporters import text

        report = text.statistics(result, as_json=output_format == "json")
    else:
        report = reporters.render(output_format, result, reporters.Context(code, Path.cwd(), colour, quiet))
    if output_file is not None:
        try:
            output.write_text(output_file, report + "\n" if report else "", protected)
        except output.Refused as exc:
            _fail(f"refusing to write the report: {reporters.one_line(str(exc))}")
        except OSError as exc:
            _fail(f"cannot write the report: {reporters.one_line(str(exc))}")
    elif report:
        click.echo(report, color=colour)
    if output_format == "text" or to_file:
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
