"""Writing msglint's own files (reports, baselines, and fixes later) without clobbering anything.

One function, ``write_text``: it refuses a destination that is one of the run's inputs (the same
file by its real path or as a hard link), refuses a symbolic link that leads out of the working
tree unless the path named is itself outside it, and replaces the file atomically (a temporary file
in the same directory, then ``os.replace``), so a failed write never leaves half a report.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Mapping
from pathlib import Path


class Refused(Exception):
    """A destination msglint will not write: the message says why (a usage error, exit 2)."""


def _within(path: str, root: str) -> bool:
    return path == root or path.startswith(root.rstrip(os.sep) + os.sep)


def _same(a: str, b: Path) -> bool:
    if a == os.path.realpath(b):
        return True
    try:
        return os.path.samefile(a, b)  # a hard link: another name of the same inode
    except OSError:
        return False


def check(destination: Path, protected: Mapping[Path, str] | None = None, cwd: Path | None = None) -> str:
    """The real path to write ``destination`` to, or Refused. ``protected`` maps the run's inputs to
    what they are (``the --baseline input``)."""
    given = os.path.abspath(destination)
    real = os.path.realpath(destination)
    here = os.path.abspath(cwd or Path.cwd())
    tree = os.path.realpath(here)
    if (_within(given, here) or _within(given, tree)) and not _within(real, tree):
        raise Refused(
            f"{destination} is a symbolic link out of the working tree (to {real}); "
            "name a path outside the tree to write there"
        )
    for path, what in (protected or {}).items():
        if _same(real, path):
            raise Refused(f"{destination} is {what}")
    return real


def write_text(
    destination: Path, text: str, protected: Mapping[Path, str] | None = None, cwd: Path | None = None
) -> None:
    """Write ``text`` (UTF-8) to ``destination`` after ``check``; raises Refused or OSError."""
    real = check(destination, protected, cwd)
    data = text.encode("utf-8")
    try:
        mode: int | None = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with open(real, "wb") as stream:  # /dev/stdout, a pipe: a stream, nothing to replace
            stream.write(data)
        return
    directory, name = os.path.split(real)
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
            os.fchmod(stream.fileno(), stat.S_IMODE(mode) if mode is not None else 0o666 & ~_umask())
        os.replace(temporary, real)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _umask() -> int:
    """The process's umask (mkstemp creates 0600; a new report gets the usual 0666 & ~umask)."""
    current = os.umask(0o022)
    os.umask(current)
    return current
