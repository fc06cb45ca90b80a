"""Source files read and extracted in worker processes (``--jobs``): the parse trees stay in the
workers, and only what the rest of the run needs crosses back: the file's lines, its entities and
the findings and errors reading it gave. The result is the one a single process gives, in the same
order, for any number of workers.

Only Python and Java sources go to workers: their parse dominates a run, their entities pickle,
and each is extracted alone (Spring Boot YAML is read per application, across files).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from msglint.cache import CACHED_SYNTAXES, Entry
from msglint.discover import Candidate
from msglint.model import Finding

MINIMUM = 16  # fewer files than this are read faster than workers start


@dataclass(frozen=True)
class Prepared:
    """One file, read and extracted in a worker."""

    lines: list[str] | None  # None: it could not be read (the findings say why)
    encoding: str
    bom: bool
    entry: Entry  # its entities (none when extracting failed) and its reader's problems
    extracted: bool  # False when extracting failed: the findings or errors say how, nothing is cached
    findings: list[Finding]
    errors: list[str]
    files: int


def jobs(asked: int | None) -> int:
    """``--jobs``, else the cores this process may use."""
    if asked:
        return max(1, asked)
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def eligible(candidate: Candidate) -> bool:
    return candidate.syntax in CACHED_SYNTAXES and candidate.skipped is None and not candidate.template


Work = Callable[[Candidate, Path, "float | None"], Prepared]


def prepare_all(
    candidates: Sequence[Candidate], cwd: Path, seconds: float | None, workers: int, work: Work
) -> list[Prepared]:
    """``work`` (``engine.prepare``, named so that a worker can find it) on each candidate, in order.
    Workers are forked (they inherit the loaded modules); where fork is not available the work is
    done here, one file after another."""
    import multiprocessing

    if workers <= 1 or len(candidates) < MINIMUM or "fork" not in multiprocessing.get_all_start_methods():
        return [work(c, cwd, seconds) for c in candidates]
    context = multiprocessing.get_context("fork")
    chunk = max(1, len(candidates) // (workers * 8))
    with context.Pool(workers) as pool:
        return pool.starmap(work, [(c, cwd, seconds) for c in candidates], chunksize=chunk)
