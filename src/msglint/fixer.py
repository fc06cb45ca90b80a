"""Applying fixes: ``msglint --fix``, ``--unsafe-fixes``, ``--diff``, ``--fix-only`` and ``msglint.fix()``.

Fixes are applied in passes, as ruff applies them. Each pass lints the tree as it would be after
the passes before it (``overlay``: new contents judged in place of what is on disk), takes the
applicable fixes and applies those that do not conflict:

- a fix whose edits overlap (or touch) an edit already taken waits for the next pass, which sees
  the file as it now is (two keys under one missing YAML parent: the second goes under the
  parent the first made);
- one fix per root cause: of the findings at one place, only the most severe one's fix is taken
  (KP101's ``acks=all`` also ends KP105's reordering, so KP105's ``max.in.flight=1`` never comes).

After each pass every changed file is judged again. A file that no longer parses, or that now has
a new finding this run cannot fix, goes back to its earlier content and those fixes are reported
as failed, never tried again. A new finding with an applicable fix is the next step of the same
repair (RS205 turns confirms on, then RS206 asks for returns) and the next pass takes it. Passes
stop when nothing applies, or after ``MAX_PASSES``.

Nothing is written until the passes are done. Writes are atomic (a temporary file beside the
original, then a rename, the mode kept), go to the file itself rather than replace a symlink, and
touch only files that msglint read and reported on, inside the paths it was given. After writing,
each file is read back from disk; one that does not parse is restored byte for byte.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections import Counter
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from msglint.documents import display_path
from msglint.fixes.edits import FixError, apply_bytes
from msglint.model import Finding, Result, severity_rank

MAX_PASSES = 20  # ruff's bound is 100; each pass here lints the tree twice
PARSE_CODES = frozenset({"MSG001", "MSG002"})  # a file that cannot be read

Run = Callable[[Mapping[Path, bytes]], Result]


@dataclass
class Failed:
    code: str
    path: str
    why: str


@dataclass
class Report:
    """What fixing did: the findings that remain, the fixes applied and failed, the files changed."""

    result: Result  # the tree after the fixes: what still remains
    fixed: Counter[str] = field(default_factory=Counter)  # rule code -> fixes applied
    failed: list[Failed] = field(default_factory=list)
    before: dict[Path, bytes] = field(default_factory=dict)  # each changed file's original bytes
    after: dict[Path, bytes] = field(default_factory=dict)  # and its new ones
    displays: dict[Path, str] = field(default_factory=dict)  # how each changed file is named in output

    @property
    def changed(self) -> list[Path]:
        return sorted(p for p in self.after if self.after[p] != self.before.get(p))

    def diff(self) -> str:
        """A unified diff of every change, as ``git diff`` would show it."""
        out: list[str] = []
        for path in self.changed:
            name = self.displays.get(path, str(path))
            old = _lines(self.before[path])
            new = _lines(self.after[path])
            out.extend(difflib.unified_diff(old, new, f"a/{name}", f"b/{name}"))
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in out)


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8", errors="replace").splitlines(keepends=True)


def applicable(finding: Finding, unsafe: bool) -> bool:
    """Does ``--fix`` (or, with ``unsafe``, ``--fix --unsafe-fixes``) apply this finding's fix?"""
    fix = finding.fix
    if fix is None or not fix.edits:
        return False
    return fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe")


def fix(
    run: Run,
    cwd: Path,
    roots: Sequence[Path],
    *,
    unsafe: bool = False,
    initial: Mapping[Path, bytes] | None = None,
) -> Report:
    """Apply fixes in passes; ``run`` lints the tree with an overlay of new contents. Nothing is
    written here (see ``write``). ``roots``: the paths given, outside which no file is changed.
    ``initial``: contents to start from instead of the disk's (an editor's buffer)."""
    overlay: dict[Path, bytes] = dict(initial or {})
    report = Report(Result())
    refused: set[tuple[str, str, str]] = set()  # (code, path, fix title): failed once, never again
    serial: set[Path] = set()  # files whose fixes go one a pass, to find the one that broke them
    result = run(overlay)
    for _ in range(MAX_PASSES):
        chosen = _choose(result, unsafe, refused, cwd, roots, report)
        chosen = {p: (f[:1] if p in serial else f) for p, f in chosen.items()}
        if not chosen:
            break
        earlier = dict(overlay)
        for path, findings in chosen.items():
            data = overlay.get(path)
            if data is None:
                data = path.read_bytes()
            report.before.setdefault(path, data)  # what the first pass found: the disk's, or the buffer's
            try:
                # latin-1 where UTF-8 fails: a file with fixes was read, so only .properties can be that
                edits = [e for f in findings for e in f.fix.edits]  # type: ignore[union-attr]
                overlay[path] = apply_bytes(data, edits, latin1=True)
            except FixError as exc:
                _refuse(findings, str(exc), refused, report)
        after = run(overlay)
        bad = _broken(result, after, chosen, cwd, unsafe)
        for path, why in bad.items():
            if path in earlier:
                overlay[path] = earlier[path]
            else:
                overlay.pop(path, None)
            if len(chosen[path]) > 1:
                serial.add(path)  # which of them broke it: the next passes try them one by one
            else:
                _refuse(chosen[path], why, refused, report)
        if bad:
            after = run(overlay)
        for path, findings in chosen.items():
            if path not in bad:
                report.fixed.update(f.code for f in findings)
        result = after
    report.result = result
    report.after = {p: overlay[p] for p in report.before if p in overlay}
    report.displays = {p: display_path(p, cwd) for p in report.before}
    return report


def _refuse(findings: list[Finding], why: str, refused: set[tuple[str, str, str]], report: Report) -> None:
    for f in findings:
        refused.add(_key(f))
        report.failed.append(Failed(f.code, f.path, why))


def _key(finding: Finding) -> tuple[str, str, str]:
    return (finding.code, finding.path, finding.fix.title if finding.fix else "")


def _choose(
    result: Result, unsafe: bool, refused: set[tuple[str, str, str]], cwd: Path, roots: Sequence[Path], report: Report
) -> dict[Path, list[Finding]]:
    """The fixes of this pass, by file: applicable, not failed before, in a file that may be changed,
    not at a place whose worse finding is already being fixed, and not touching another's edits."""
    order = sorted(
        (f for f in result.findings if applicable(f, unsafe) and _key(f) not in refused),
        key=lambda f: (f.path, -severity_rank(f.severity), f.span.line, f.span.column, f.code),
    )
    chosen: dict[Path, list[Finding]] = {}
    places: set[tuple[str, object]] = set()
    taken: dict[str, list[tuple[int, int, int, int]]] = {}
    for finding in order:
        fix = finding.fix
        assert fix is not None
        paths = {e.path for e in fix.edits}
        if len(paths) != 1:
            continue  # a fix across files is shown, not applied
        (display,) = paths
        if display not in result.read or display in result.templated:
            continue  # never a file msglint did not read and report on, nor a template (what it renders is unknown)
        path = _target(cwd / display, roots)
        if path is None:
            continue
        if (finding.path, finding.span) in places:
            continue  # one fix per root cause: a worse finding at this place is being fixed
        spans = [(e.span.line, e.span.column, e.span.end_line, e.span.end_column) for e in fix.edits]
        if any(_touch(a, b) for a in spans for b in taken.get(display, [])):
            continue  # the next pass, on the file as this one leaves it
        named = [(r.path, (r.span.line, r.span.column, r.span.end_line, r.span.end_column)) for r in finding.related]
        if any(_touch(span, b) for path, span in named for b in taken.get(path, [])):
            continue  # it names a place another fix changes, which may end it (its cause): the next pass
        if not os.access(path, os.W_OK):
            if _key(finding) not in refused:
                refused.add(_key(finding))
                report.failed.append(Failed(finding.code, finding.path, "the file is read-only"))
            continue
        places.add((finding.path, finding.span))
        taken.setdefault(display, []).extend(spans)
        chosen.setdefault(path, []).append(finding)
    return chosen


def _touch(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    """Do two spans (line, column, end line, end column) overlap or meet? Meeting counts: two
    insertions at one point would otherwise land in an order nobody chose."""
    return (a[0], a[1]) <= (b[2], b[3]) and (b[0], b[1]) <= (a[2], a[3])


def _target(path: Path, roots: Sequence[Path]) -> Path | None:
    """The file to write for ``path``: itself, or what its symlink points to when that is inside the
    paths given too; None outside them, or for anything but a regular file."""
    try:
        real = path.resolve(strict=True)
    except OSError:
        return None
    if not real.is_file():
        return None
    inside = any(real == r or r in real.parents for r in (root.resolve() for root in roots))
    return real if inside else None


def _broken(
    before: Result, after: Result, chosen: dict[Path, list[Finding]], cwd: Path, unsafe: bool
) -> dict[Path, str]:
    """The changed files a pass broke: one that no longer parses, or has a finding it did not have
    that this run cannot fix. A new finding that has an applicable fix is the next step of one
    repair (confirms on, then returns on: RS205, then RS206), and the next pass takes it."""
    by_display = {display_path(p, cwd): p for p in chosen}
    counts_before = Counter((f.path, f.code) for f in before.findings)
    counts_after = Counter((f.path, f.code) for f in after.findings)
    bad: dict[Path, str] = {}
    for finding in after.findings:
        path = by_display.get(finding.path)
        if path is None or path in bad:
            continue
        if finding.code in PARSE_CODES:
            bad[path] = f"the fixed file no longer parses ({finding.message}); it was left as it was"
        elif applicable(finding, unsafe):
            continue
        elif counts_after[(finding.path, finding.code)] > counts_before[(finding.path, finding.code)]:
            bad[path] = f"the fix caused a new {finding.code} finding; the file was left as it was"
    for display, path in by_display.items():
        if path not in bad and display not in after.read:
            bad[path] = "the fixed file could not be read again; it was left as it was"
    return bad


def write(report: Report, reread: Callable[[], Result] | None = None, keep: Collection[Path] = ()) -> None:
    """Write every changed file atomically, but those in ``keep`` (an editor's buffers). With ``reread``
    (a lint of the tree from disk), a written file that no longer reads is restored byte for byte
    and its fixes reported as failed."""
    written: list[Path] = []
    for path in (p for p in report.changed if p not in keep):
        try:
            _atomic(path, report.after[path])
            written.append(path)
        except OSError as exc:
            report.failed.append(Failed("", report.displays[path], f"cannot write the file ({exc.strerror})"))
            report.after[path] = report.before[path]
    if reread is None or not written:
        return
    result = reread()
    broken = {f.path for f in result.findings if f.code in PARSE_CODES}
    for path in written:
        display = report.displays[path]
        if display in broken or display not in result.read:
            _atomic(path, report.before[path])
            report.after[path] = report.before[path]
            report.failed.append(Failed("", display, "the written file did not read back; it was restored"))


def _atomic(path: Path, data: bytes) -> None:
    """Replace ``path``'s content with ``data`` through a temporary file in its directory and a
    rename, so that a reader sees the old file or the new one, never half of one; its mode is kept."""
    mode = stat.S_IMODE(path.stat().st_mode)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".msglint")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
