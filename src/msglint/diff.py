"""``--diff-base REV``: keep only findings on lines changed since a git revision (pull-request gates
on legacy repositories). Changed means added or modified in the working tree compared with REV,
staged or not; an untracked file is all new."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")


class DiffError(Exception):
    pass


def _git(args: list[str], cwd: Path) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise DiffError(f"--diff-base needs git: {exc}") from None
    if done.returncode != 0:
        detail = (done.stderr.strip().splitlines() or ["no message"])[-1]
        if "--verify" in args:
            detail = f"no such revision: {args[-1].removesuffix('^{commit}')}"
        raise DiffError(f"--diff-base: {detail}")
    return done.stdout


def changed_lines(rev: str, cwd: Path) -> dict[Path, set[int] | None]:
    """Absolute path -> the changed line numbers (None: every line, a file new since ``rev``)."""
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip())
    _git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    changed: dict[Path, set[int] | None] = {}
    current: Path | None = None
    patch = _git(
        ["-c", "core.quotepath=off", "diff", "--unified=0", "--no-color", "--no-ext-diff", "--no-renames", rev, "--"],
        root,
    )
    for line in patch.splitlines():
        if line.startswith("+++ "):
            name = _path(line[4:])
            current = None if name == "/dev/null" else (root / name.removeprefix("b/")).resolve()
            if current is not None:
                changed.setdefault(current, set())
        elif line.startswith("@@") and current is not None:
            match = _HUNK.match(line)
            lines = changed[current]
            if match and lines is not None:
                start, count = int(match.group(1)), int(match.group(2) or "1")
                lines.update(range(start, start + count))
    for name in _git(["ls-files", "-z", "--others", "--exclude-standard"], root).split("\0"):
        if name:
            changed[(root / name).resolve()] = None
    return changed


def _path(name: str) -> str:
    """A path as a patch header writes it: git ends a name with a space in a tab, and quotes (C-style)
    a name with a quote, a backslash or a control character."""
    name = name.rstrip("\t")
    if len(name) > 1 and name.startswith('"') and name.endswith('"'):
        import codecs

        raw = codecs.escape_decode(name[1:-1].encode("utf-8"))[0]
        return raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else str(raw)
    return name


def on_changed_lines(path: Path, line: int, changed: dict[Path, set[int] | None]) -> bool:
    lines = changed.get(path.resolve(), set())
    return lines is None or line in lines
