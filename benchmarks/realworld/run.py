"""Run msglint over pinned public repositories and measure its precision against a triage file.

    python benchmarks/realworld/run.py ROOT                      # every non-holdout tree in the manifest
    python benchmarks/realworld/run.py ROOT --only pika/pika nats-io/nack
    python benchmarks/realworld/run.py ROOT --msglint '/opt/old/bin/msglint' --json before.json
    python benchmarks/realworld/run.py ROOT --triage benchmarks/realworld/triage-before.toml
    python benchmarks/realworld/run.py --results before.json --triage benchmarks/realworld/triage-before.toml

ROOT holds one checkout per manifest entry at ROOT/<owner>+<name> (see README.md). msglint runs
with `--format json .` in each tree; no network is used. Per tree it prints the files read, the
wall time, the findings by rule and severity, and every MSG001/MSG002 finding and internal error.
With --triage each error/warning finding is matched to a verdict by (repo, code, path, line) and
the false-positive rate is printed per severity. Timings are printed, never asserted. The exit
code is 0 unless the harness itself fails (bad manifest or triage file, msglint not runnable).
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
JUDGED = ("error", "warning")
VERDICTS = ("correct", "false-positive", "debatable")
SEVERITIES = ("error", "warning", "info")


class HarnessError(Exception):
    """The harness cannot go on: a bad manifest or triage file, or msglint cannot be started."""


# --- TOML: tomllib where there is one (3.11+), else the small subset these files are written in ---

_HEADER = re.compile(r"^\[\[\s*([A-Za-z0-9_.-]+)\s*\]\]$")
_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*=\s*(.*)$")
_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f"}


def _toml_string(text: str, pos: int) -> tuple[str, int]:
    """Read a basic or literal string starting at text[pos]; return it and the index after it."""
    quote = text[pos]
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        c = text[i]
        if c == quote:
            return "".join(out), i + 1
        if c == "\\" and quote == '"':
            nxt = text[i + 1 : i + 2]
            if nxt in _ESCAPES:
                out.append(_ESCAPES[nxt])
                i += 2
                continue
            if nxt == "u":
                out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
                continue
            if nxt == "U":
                out.append(chr(int(text[i + 2 : i + 10], 16)))
                i += 10
                continue
            raise ValueError(f"bad escape \\{nxt}")
        out.append(c)
        i += 1
    raise ValueError("unterminated string")


def _toml_value(text: str, pos: int) -> tuple[Any, int]:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    if pos >= len(text):
        raise ValueError("missing value")
    c = text[pos]
    if c in "\"'":
        return _toml_string(text, pos)
    if c == "[":
        items: list[Any] = []
        pos += 1
        while True:
            while pos < len(text) and text[pos] in " \t,":
                pos += 1
            if pos >= len(text):
                raise ValueError("unterminated array")
            if text[pos] == "]":
                return items, pos + 1
            item, pos = _toml_value(text, pos)
            items.append(item)
    m = re.match(r"true|false|[+-]?\d+", text[pos:])
    if not m:
        raise ValueError(f"unsupported value {text[pos:]!r}")
    word = m.group(0)
    value: Any = word == "true" if word in ("true", "false") else int(word)
    return value, pos + len(word)


def _mini_toml(text: str) -> dict[str, Any]:
    """Arrays of tables whose keys hold strings, integers, booleans and one-line arrays of those."""
    doc: dict[str, Any] = {}
    table: dict[str, Any] = doc
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            header = _HEADER.match(line)
            if header:
                table = {}
                doc.setdefault(header.group(1), []).append(table)
                continue
            key = _KEY.match(line)
            if not key:
                raise ValueError("expected `[[table]]` or `key = value`")
            value, end = _toml_value(line, key.end(1) + line[key.end(1) :].index("=") + 1)
            rest = line[end:].strip()
            if rest and not rest.startswith("#"):
                raise ValueError(f"unexpected {rest!r}")
            table[key.group(1)] = value
        except (ValueError, IndexError) as exc:
            raise ValueError(f"line {number}: {exc}") from exc
    return doc


def load_toml(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        try:
            loaded: dict[str, Any] = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise HarnessError(f"{path}: {exc}") from exc
        return loaded
    try:  # Python 3.10 has no tomllib
        return _mini_toml(text)
    except ValueError as exc:
        raise HarnessError(f"{path}: {exc}") from exc


# --- manifest and triage -------------------------------------------------------------------------


@dataclass(frozen=True)
class Repo:
    name: str
    commit: str
    kind: str
    inputs: tuple[str, ...]
    holdout: bool
    note: str

    @property
    def directory(self) -> str:
        return self.name.replace("/", "+")


def load_manifest(path: Path) -> list[Repo]:
    repos: list[Repo] = []
    seen: set[str] = set()
    for i, entry in enumerate(load_toml(path).get("repo", []), 1):
        try:
            name = str(entry["name"])
            commit = str(entry["commit"])
            kind = str(entry["kind"])
        except KeyError as exc:
            raise HarnessError(f"{path}: repo #{i} has no {exc.args[0]!r}") from exc
        if not re.fullmatch(r"[0-9a-f]{40}", commit):
            raise HarnessError(f"{path}: {name}: commit {commit!r} is not 40 hex digits")
        if kind not in ("official", "application"):
            raise HarnessError(f"{path}: {name}: kind {kind!r} is neither official nor application")
        if name in seen:
            raise HarnessError(f"{path}: {name} is listed twice")
        seen.add(name)
        repos.append(
            Repo(
                name=name,
                commit=commit,
                kind=kind,
                inputs=tuple(str(x) for x in entry.get("inputs", [])),
                holdout=bool(entry.get("holdout", False)),
                note=str(entry.get("note", "")),
            )
        )
    if not repos:
        raise HarnessError(f"{path}: no [[repo]] entries")
    return repos


Key = tuple[str, str, str, int]


@dataclass(frozen=True)
class Verdict:
    verdict: str
    reason: str
    severity: str
    msglint: str


def load_triage(path: Path) -> dict[Key, Verdict]:
    table: dict[Key, Verdict] = {}
    for i, entry in enumerate(load_toml(path).get("finding", []), 1):
        try:
            key: Key = (str(entry["repo"]), str(entry["code"]), str(entry["path"]), int(entry["line"]))
            verdict = str(entry["verdict"])
        except (KeyError, ValueError) as exc:
            raise HarnessError(f"{path}: finding #{i}: missing or bad {exc}") from exc
        if verdict not in VERDICTS:
            raise HarnessError(f"{path}: finding #{i} ({key}): verdict {verdict!r} is not one of {VERDICTS}")
        if key in table:
            raise HarnessError(f"{path}: finding #{i} ({key}) is triaged twice")
        table[key] = Verdict(
            verdict, str(entry.get("reason", "")), str(entry.get("severity", "")), str(entry.get("msglint", ""))
        )
    return table


# --- running -------------------------------------------------------------------------------------


@dataclass
class TreeResult:
    name: str
    commit: str
    kind: str
    holdout: bool
    skipped: str | None = None
    crashed: str | None = None
    returncode: int | None = None
    seconds: float = 0.0
    files: int = 0
    findings: list[dict[str, Any]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "commit": self.commit,
            "kind": self.kind,
            "holdout": self.holdout,
            "skipped": self.skipped,
            "crashed": self.crashed,
            "returncode": self.returncode,
            "seconds": round(self.seconds, 3),
            "files": self.files,
            "findings": self.findings,
            "errors": self.errors,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TreeResult:
        return cls(
            name=str(data["name"]),
            commit=str(data.get("commit", "")),
            kind=str(data.get("kind", "")),
            holdout=bool(data.get("holdout", False)),
            skipped=data.get("skipped"),
            crashed=data.get("crashed"),
            returncode=data.get("returncode"),
            seconds=float(data.get("seconds", 0.0)),
            files=int(data.get("files", 0)),
            findings=list(data.get("findings", [])),
            errors=[str(e) for e in data.get("errors", [])],
        )


def checkout_commit(tree: Path) -> str | None:
    """The commit of a checkout that is a git work tree, else None (extracted archives have none)."""
    try:
        done = subprocess.run(
            ["git", "-C", str(tree), "rev-parse", "--show-toplevel", "HEAD"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.split()
    if done.returncode != 0 or len(lines) != 2 or Path(lines[0]).resolve() != tree.resolve():
        return None
    return lines[1]


def run_tree(repo: Repo, root: Path, command: list[str], timeout: float) -> TreeResult:
    result = TreeResult(repo.name, repo.commit, repo.kind, repo.holdout)
    tree = root / repo.directory
    if not tree.is_dir():
        result.skipped = f"no checkout at {tree}"
        return result
    actual = checkout_commit(tree)
    if actual is not None and actual != repo.commit:
        print(f"note: {repo.name}: checkout is at {actual[:12]}, the manifest pins {repo.commit[:12]}")
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [*command, "--format", "json", "."],
            cwd=tree,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except FileNotFoundError as exc:
        raise HarnessError(f"cannot run {shlex.join(command)}: {exc}") from exc
    except subprocess.TimeoutExpired:
        result.seconds = time.perf_counter() - start
        result.crashed = f"timed out after {timeout:.0f}s"
        return result
    result.seconds = time.perf_counter() - start
    result.returncode = done.returncode
    try:
        payload = json.loads(done.stdout)
    except json.JSONDecodeError:
        tail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        result.crashed = f"exit {done.returncode}, no JSON on stdout: " + " | ".join(tail)
        return result
    result.findings = list(payload.get("findings", []))
    result.errors = [str(e) for e in payload.get("errors", [])]
    result.files = int(payload.get("summary", {}).get("files", 0))
    return result


# --- reporting -----------------------------------------------------------------------------------


def print_tree(result: TreeResult) -> None:
    if result.skipped:
        print(f"== {result.name}: skipped ({result.skipped})")
        return
    if result.crashed:
        print(f"== {result.name}: msglint failed after {result.seconds:.2f}s: {result.crashed}")
        return
    sev = Counter(str(f.get("severity")) for f in result.findings)
    print(
        f"== {result.name} ({result.kind}): {result.files} files read, {result.seconds:.2f}s, "
        f"{len(result.findings)} findings ("
        + ", ".join(f"{sev.get(s, 0)} {s}" for s in SEVERITIES)
        + f"), exit {result.returncode}"
    )
    by_rule = Counter((str(f.get("code")), str(f.get("severity"))) for f in result.findings)
    for (code, severity), n in sorted(by_rule.items()):
        print(f"   {code:<7} {severity:<8} {n}")
    for f in result.findings:
        if f.get("code") in ("MSG001", "MSG002"):
            print(f"   ! {f.get('code')} {f.get('path')}:{f.get('line')}: {f.get('message')}")
    for e in result.errors:
        print(f"   ! internal error: {e}")


def key_of(repo: str, finding: dict[str, Any]) -> Key:
    return (repo, str(finding.get("code")), str(finding.get("path")), int(finding.get("line") or 0))


def print_triage(results: list[TreeResult], triage: dict[Key, Verdict]) -> None:
    counts: dict[str, Counter[str]] = {s: Counter() for s in JUDGED}
    untriaged: list[tuple[Key, dict[str, Any]]] = []
    used: set[Key] = set()
    classes: Counter[tuple[str, str, str]] = Counter()
    for result in results:
        for f in result.findings:
            severity = str(f.get("severity"))
            if severity not in JUDGED:
                continue
            key = key_of(result.name, f)
            counts[severity]["total"] += 1
            verdict = triage.get(key)
            if verdict is None:
                counts[severity]["untriaged"] += 1
                untriaged.append((key, f))
                continue
            used.add(key)
            counts[severity][verdict.verdict] += 1
            classes[(severity, key[1], verdict.verdict)] += 1
    print()
    print("Triage (error and warning findings)")
    print(f"  {'severity':<9}{'total':>7}{'correct':>9}{'FP':>6}{'debat.':>8}{'untri.':>8}   FP rate")
    for severity in JUDGED:
        c = counts[severity]
        judged = c["correct"] + c["false-positive"] + c["debatable"]
        rate = f"{100 * c['false-positive'] / judged:5.1f}% of {judged} judged" if judged else "  n/a"
        print(
            f"  {severity:<9}{c['total']:>7}{c['correct']:>9}{c['false-positive']:>6}{c['debatable']:>8}"
            f"{c['untriaged']:>8}   {rate}"
        )
    print("  by rule (severity code: correct / false-positive / debatable)")
    rules = sorted({(s, code) for s, code, _ in classes})
    for severity, code in rules:
        parts = [str(classes.get((severity, code, v), 0)) for v in VERDICTS]
        print(f"    {severity:<8} {code:<7} {' / '.join(parts)}")
    if untriaged:
        print(f"  untriaged ({len(untriaged)}):")
        for (repo, code, path, line), f in untriaged:
            print(f"    {repo} {code} [{f.get('severity')}] {path}:{line}: {str(f.get('message'))[:160]}")
    ran = {r.name for r in results if not r.skipped and not r.crashed}
    stale = sorted(k for k in triage if k not in used and k[0] in ran)
    if stale:
        print(f"  triage entries no finding matched any more ({len(stale)}; fixed or moved):")
        for repo, code, path, line in stale:
            print(f"    {repo} {code} {path}:{line} ({triage[(repo, code, path, line)].verdict})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("root", nargs="?", type=Path, help="directory holding ROOT/<owner>+<name> checkouts")
    parser.add_argument("--manifest", type=Path, default=HERE / "manifest.toml")
    parser.add_argument("--msglint", default="msglint", help="command that runs msglint (split like a shell)")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these owner/name entries")
    parser.add_argument("--include-holdouts", action="store_true", help="also run the holdout repositories")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every tree's findings and timings here")
    parser.add_argument("--triage", type=Path, metavar="FILE", help="verdicts to score error/warning findings")
    parser.add_argument("--results", type=Path, metavar="FILE", help="score a saved --json output instead of running")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per tree (default 1800)")
    args = parser.parse_args(argv)
    try:
        repos = load_manifest(args.manifest)
        triage = load_triage(args.triage) if args.triage else None
        if args.only:
            unknown = sorted(set(args.only) - {r.name for r in repos})
            if unknown:
                raise HarnessError(f"not in the manifest: {', '.join(unknown)}")
            held = sorted(r.name for r in repos if r.name in args.only and r.holdout)
            if held and not args.include_holdouts:
                raise HarnessError(f"holdouts need --include-holdouts: {', '.join(held)}")
            repos = [r for r in repos if r.name in args.only]
        elif not args.include_holdouts:
            repos = [r for r in repos if not r.holdout]
        if args.results:
            saved = json.loads(args.results.read_text(encoding="utf-8"))
            wanted = {r.name for r in repos}
            results = [TreeResult.from_json(t) for t in saved.get("trees", []) if t.get("name") in wanted]
            for result in results:
                print_tree(result)
        else:
            if args.root is None:
                raise HarnessError("ROOT is needed unless --results is given")
            command = shlex.split(args.msglint)
            results = []
            for repo in repos:
                result = run_tree(repo, args.root, command, args.timeout)
                print_tree(result)
                results.append(result)
        ran = [r for r in results if not r.skipped and not r.crashed]
        total = Counter(str(f.get("severity")) for r in ran for f in r.findings)
        print()
        print(
            f"{len(ran)} trees run, {sum(1 for r in results if r.skipped)} skipped, "
            f"{sum(1 for r in results if r.crashed)} failed; {sum(r.files for r in ran)} files read in "
            f"{sum(r.seconds for r in ran):.1f}s; findings: " + ", ".join(f"{total.get(s, 0)} {s}" for s in SEVERITIES)
        )
        if args.json and not args.results:
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(
                json.dumps({"msglint": args.msglint, "trees": [r.to_json() for r in results]}, indent=1) + "\n",
                encoding="utf-8",
            )
        if triage is not None:
            print_triage(results, triage)
    except HarnessError as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError) as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
