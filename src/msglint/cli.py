"""Command line: ``msglint [PATHS]...``, ``msglint check``, ``msglint rules``, ``msglint explain CODE``.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings; 2 usage or internal error.
Heavy modules are imported inside the commands so that ``--version`` and ``--help`` stay instant.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from msglint import __version__

if TYPE_CHECKING:
    from msglint.catalog import Rule
    from msglint.engine import Result

SUBCOMMANDS = {"check", "rules", "explain", "config-schema"}


def _codes(value: str | None) -> list[str]:
    return [c.strip().upper() for c in (value or "").split(",") if c.strip()]


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
    type=click.Choice(["text", "json", "sarif", "github", "junit", "gitlab"]),
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
    from msglint import config, discover, engine, output
    from msglint.model import severity_rank
    from msglint.reporters import one_line, visible

    targets = list(paths) or ["."]
    for target in targets:
        what = discover.special(target)
        if what is not None:  # opening a FIFO or a device would block or read for ever
            click.echo(f"msglint: {one_line(target)} is {what}: msglint reads regular files and directories", err=True)
            sys.exit(2)
    try:
        settings = config.load(targets, config_file)
    except (config.ConfigError, OSError) as exc:
        click.echo(f"msglint: configuration error: {exc}", err=True)
        sys.exit(2)
    from msglint import catalog

    known = [r.code for r in (*catalog.load(), *settings.rules)]
    typos = config.unknown_codes([*_codes(select), *_codes(extend_select), *_codes(ignore)], known)
    if typos:
        click.echo(f"msglint: `{typos[0]}` is not a rule code or prefix (`msglint rules` lists them)", err=True)
        sys.exit(2)
    chosen = _codes(select) or [c.upper() for c in settings.select or []]
    extended = [c.upper() for c in settings.extend_select] + _codes(extend_select)
    if chosen:
        chosen += extended
    else:  # the default set, plus what extend-select names (opt-in rules among them)
        settings = dataclasses.replace(settings, extend_select=extended)
    skipped = [c.upper() for c in settings.ignore] + _codes(ignore)
    if include_tests:
        settings = dataclasses.replace(settings, include_tests=True)
    if max_file_size is not None:
        settings = dataclasses.replace(settings, max_file_size=max_file_size)
    semgrep_rules = (*settings.semgrep_rules, *semgrep_rules)
    fail_on = fail_on or settings.fail_on or "warning"
    inputs = _inputs(settings, semgrep_rules)
    # refused before the run, so that nothing is written and no time is lost; a new baseline may
    # replace the one being read (that is how it is refreshed), a report may not
    report_inputs = _guard("the report", output_file, targets,
                           {**inputs, **({baseline_file: "the --baseline input"} if baseline_file else {})})
    baseline_inputs = _guard("the baseline", write_baseline, targets, inputs)  # fmt: skip
    if semgrep_rules:
        from msglint import semgrep

        try:
            semgrep.executable()
        except semgrep.SemgrepError as exc:
            click.echo(f"msglint: {exc}", err=True)
            sys.exit(2)
    try:
        progress = _Progress() if sys.stderr.isatty() and not quiet and output_file is None else None
        result = engine.run(targets, chosen, skipped, only_relevant=only_relevant, semgrep_rules=semgrep_rules,
                            config=settings, progress=progress)  # fmt: skip
        if progress is not None:
            progress.done()
    except Exception as exc:  # the engine isolates files and rules; this is a bug in the engine itself
        click.echo(f"msglint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(2)
    if diff_base is not None:
        from msglint import diff

        try:
            changed = diff.changed_lines(diff_base, Path.cwd())
        except diff.DiffError as exc:
            click.echo(f"msglint: {exc}", err=True)
            sys.exit(2)
        result.findings = [f for f in result.findings if diff.on_changed_lines(Path(f.path), f.span.line, changed)]
    if write_baseline is not None:
        from msglint import baseline

        try:
            baseline.write(write_baseline, result.findings, baseline_inputs)
        except output.Refused as exc:
            click.echo(f"msglint: refusing to write the baseline: {one_line(str(exc))}", err=True)
            sys.exit(2)
        except OSError as exc:
            click.echo(f"msglint: cannot write the baseline: {one_line(str(exc))}", err=True)
            sys.exit(2)
        click.echo(f"msglint: wrote {len(result.findings)} findings to {one_line(str(write_baseline))}", err=True)
        sys.exit(2 if result.errors else 0)
    if baseline_file is not None:
        from msglint import baseline

        try:
            result.findings, result.baselined = baseline.new_only(result.findings, baseline.load(baseline_file))
        except baseline.BaselineError as exc:
            click.echo(f"msglint: {exc}", err=True)
            sys.exit(2)
    threshold = severity_rank(fail_on)
    failing = any(severity_rank(f.severity) >= threshold for f in result.findings)
    code = 2 if result.errors else 1 if failing else 0
    to_file = output_file is not None
    colour = not to_file and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    if statistics:
        from msglint.reporters import text

        report = text.statistics(result, as_json=output_format == "json")
    else:
        report = _render(output_format, result, code, colour, quiet)
    if to_file:
        assert output_file is not None
        try:
            output.write_text(output_file, report + "\n" if report else "", report_inputs)
        except output.Refused as exc:
            click.echo(f"msglint: refusing to write the report: {one_line(str(exc))}", err=True)
            sys.exit(2)
        except OSError as exc:
            click.echo(f"msglint: cannot write the report: {one_line(str(exc))}", err=True)
            sys.exit(2)
    elif report:
        click.echo(report, color=colour)
    if output_format == "text" or to_file:
        for error in result.errors:
            shown = visible(error)  # a path in it may hold any byte
            click.echo(f"msglint: {'' if error.startswith('semgrep') else 'internal error: '}{shown}", err=True)
    sys.exit(code)


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


def _render(output_format: str, result: Result, code: int, colour: bool, quiet: bool) -> str:
    """The report in one format (each reporter is imported only when asked for)."""
    if output_format == "json":
        from msglint.reporters import json as json_report

        return json_report.render(result, code)
    if output_format == "sarif":
        from msglint.reporters import sarif

        return sarif.render(result, code, Path.cwd())
    if output_format == "github":
        from msglint.reporters import github

        return github.render(result)
    if output_format == "junit":
        from msglint.reporters import junit

        return junit.render(result)
    if output_format == "gitlab":
        from msglint.reporters import gitlab

        return gitlab.render(result)
    from msglint.reporters import text

    return text.render(result, Path.cwd(), colour, quiet)


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
    "--config", "config_file", type=click.Path(exists=True, dir_okay=False, path_type=str),
    help="The configuration whose own rules to include (default: the nearest one).",
)  # fmt: skip


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
            {"code": r.code, "name": r.name, "severity": r.severity, "default": not r.opt_in,
             "entities": list(r.entities), "summary": r.summary}
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
