"""What every input must get from msglint, and a sandbox to see it without dying with it.

Each check runs in a forked child: a segfault in a native parser, a hang or a memory bomb is then
a failure of that example (with its signal, its time or MemoryError), not the end of the test
session. A broken promise raises an ``AssertionError`` subclass named after the failure (the
exception type and the line of msglint it came from), so Hypothesis keeps distinct bugs apart and
shrinks each on its own.

``MSGLINT_FUZZ_TIMEOUT`` scales every time limit (default 1.0); ``MSGLINT_FUZZ_SAVE=DIR`` keeps the
smallest input seen for each distinct failure in DIR, named for tests/fuzz/corpus/.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import select
import shutil
import signal
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")
SCALE = float(os.environ.get("MSGLINT_FUZZ_TIMEOUT", "1"))
TIMEOUT = 30.0 * SCALE  # an example is a few KB to 1 MB: seconds at most when reading is linear
MEMORY = 4 << 30  # address space a child may add to the parent's: a bomb fails alone
SCHEMA = Path(__file__).resolve().parents[1] / "schemas" / "sarif-schema-2.1.0.json"


class Broken(AssertionError):
    """A promise msglint did not keep."""


_KINDS: dict[str, type[Broken]] = {}


def broken(key: str, detail: str) -> Broken:
    """A failure whose class is its key: Hypothesis tells bugs apart by exception type."""
    cls = _KINDS.get(key)
    if cls is None:
        cls = _KINDS[key] = type(f"Broken[{key}]", (Broken,), {})
    error = cls(f"{key}\n{detail}")
    error.key = key  # type: ignore[attr-defined]
    return error


def _where(exc: BaseException) -> str:
    """The deepest frame inside msglint (else the last one): file and line."""
    frames = traceback.extract_tb(exc.__traceback__)
    ours = [f for f in frames if "msglint" in f.filename and "/tests/" not in f.filename] or frames
    frame = ours[-1] if ours else None
    return f"{Path(frame.filename).name}:{frame.lineno}" if frame else "?"


def sandboxed(fn: Callable[..., Any], *args: Any, timeout: float = TIMEOUT) -> Any:
    """``fn(*args)`` in a forked child: its return value (picklable), or a Broken for an exception,
    a signal (segfault, OOM kill) or a timeout. Without fork (Windows), in this process."""
    if not hasattr(os, "fork"):
        return fn(*args)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        os.close(read_end)
        try:
            _limit_memory()
            try:
                payload = ("ok", fn(*args))
            except BaseException as exc:  # every escape is the finding
                payload = ("raised", type(exc).__name__, _where(exc), "".join(traceback.format_exception(exc))[-6000:])
            data = pickle.dumps(payload)
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    chunks, deadline, timed_out = [], time.monotonic() + timeout, False
    with os.fdopen(read_end, "rb", buffering=0) as source:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([source], [], [], left)
            if ready:
                chunk = source.read(1 << 16)
                if not chunk:
                    break
                chunks.append(chunk)
    if timed_out:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    if timed_out:
        raise broken("hang", f"no answer in {timeout:.0f} s")
    if os.WIFSIGNALED(status):
        name = signal.Signals(os.WTERMSIG(status)).name
        raise broken(f"killed by {name}", f"the process died with {name} (exit {128 + os.WTERMSIG(status)})")
    payload = pickle.loads(b"".join(chunks)) if chunks else ("raised", "NoAnswer", "?", "the child wrote nothing")
    if payload[0] == "ok":
        return payload[1]
    _, name, where, trace = payload
    raise broken(f"{name}@{where}", trace)


def _limit_memory() -> None:
    try:
        import resource

        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmSize:"))
        resource.setrlimit(resource.RLIMIT_AS, (size + MEMORY, size + MEMORY))
    except (ImportError, OSError, StopIteration, ValueError):
        pass  # no /proc or no limit to set: the timeout still ends a bomb


# -- running msglint ---------------------------------------------------------------------------


@contextmanager
def project(files: dict[str, bytes]) -> Iterator[Path]:
    """A fresh directory holding ``files`` (relative path -> bytes), removed afterwards."""
    root = Path(tempfile.mkdtemp(prefix="msglint-fuzz-"))
    try:
        for relative, data in files.items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


Finding = tuple[str, str, int, int, str]  # code, path, line, column, message


def _engine(root: str, targets: list[str], select: list[str]) -> tuple[list[Finding], list[str]]:
    from msglint import engine
    from msglint.config import Config

    os.chdir(root)  # the child's own working directory: paths are shown relative to it
    result = engine.run(targets, select, [], cwd=Path(root), config=Config())
    found = [(f.code, f.path, f.span.line, f.span.column, f.message) for f in result.findings]
    return found, list(result.errors)


def lint(root: Path, targets: list[str], select: tuple[str, ...] = (), timeout: float = TIMEOUT) -> list[Finding]:
    """engine.run on ``targets`` (relative to ``root``); its findings. An internal error is Broken."""
    found, errors = sandboxed(_engine, str(root), targets, list(select), timeout=timeout)
    if errors:
        raise broken(error_key(errors[0]), "internal errors:\n" + "\n".join(errors))
    return list(found)


def _cli(root: str, args: list[str]) -> tuple[int, str, str, str]:
    from click.testing import CliRunner

    from msglint.cli import main

    os.chdir(root)
    result = CliRunner().invoke(main, args)
    raised = ""
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        exc = result.exception
        raised = f"{type(exc).__name__}@{_where(exc)}\n" + "".join(traceback.format_exception(exc))[-6000:]
    return result.exit_code, result.stdout, result.stderr, raised


def cli(root: Path, args: list[str], timeout: float = TIMEOUT) -> tuple[int, str, str]:
    """``msglint ARGS`` in ``root``: exit code, stdout, stderr. An escaping exception is Broken."""
    code, out, err, raised = sandboxed(_cli, str(root), args, timeout=timeout)
    if raised:
        key, _, trace = raised.partition("\n")
        raise broken(key, trace)
    return code, out, err


_ERROR = re.compile(
    r"^(?:reading|extracting|rule \S+ on|joining|linking)[^:]*: (?P<type>[\w.]+): .*?(?P<where>\(\S+:\d+\))?$", re.S
)


def error_key(error: str) -> str:
    """An internal error's kind: its exception type and where it was raised (not which file)."""
    match = _ERROR.match(error)
    if match is None:
        return error[:80]
    where = (match.group("where") or "").strip("()")
    return f"{match.group('type')}@{where}" if where else match.group("type")


# -- the promises ------------------------------------------------------------------------------


def ends_well(code: int, out: str, err: str) -> None:
    """Exit 0, 1 or 2 and no internal error; 2 only with a message saying why (a FIFO refused). The
    text report puts internal errors on stderr, the others in the report itself."""
    internal = _REPORTED.search(err) or _REPORTED.search(out)
    if internal is not None:
        raise broken(f"{internal.group('type')}@{internal.group('where')}", f"internal error:\n{internal.group()}")
    if "internal error" in err:
        raise broken("internal error", err[-4000:])
    if code not in (0, 1, 2):
        raise broken(f"exit {code}", err[-4000:])
    if code == 2 and not err.strip():
        raise broken("exit 2", f"exit 2 without a message:\n{out[-2000:]}")


# an engine error as any report shows it: "rule KX101 on a.yml: UnboundLocalError: ... (values.py:62)"
_REPORTED = re.compile(
    r"(?:reading|extracting|rule \S+ on|joining|linking)[^\n]*?: (?P<type>[A-Z]\w*): "
    r"[^\n]*?\((?P<where>\w+\.py:\d+)\)"
)


_TERMINAL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # what may drive a terminal: reporters.visible escapes it


def valid_output(fmt: str, out: str) -> None:
    """The report reads back as its format says."""
    try:
        _valid(fmt, out)
    except Broken:
        raise
    except Exception as exc:
        raise broken(f"invalid {fmt}: {type(exc).__name__}", f"{exc}\n--- output ---\n{out[:3000]}") from None


def _valid(fmt: str, out: str) -> None:
    if fmt in ("json", "sarif", "gitlab"):
        report = json.loads(out)
        if fmt == "json":
            assert isinstance(report, dict) and isinstance(report.get("findings"), list), "no findings list"
        elif fmt == "gitlab":
            assert isinstance(report, list), "not a list"
            for issue in report:
                assert isinstance(issue["location"]["path"], str) and isinstance(
                    issue["location"]["lines"]["begin"], int
                )
        else:
            errors = list(_sarif().iter_errors(report))
            assert not errors, f"{list(errors[0].path)}: {errors[0].message}"
    elif fmt == "junit":
        ElementTree.fromstring(out.encode("utf-8"))
    elif fmt == "github":
        for line in out.splitlines():
            assert re.match(r"^::(error|warning|notice) [^:\n]*::[^\r\n]*$", line), (
                f"not a workflow command: {line[:300]!r}"
            )
    else:
        control = _TERMINAL.search(out)
        if control is not None:
            start = max(0, control.start() - 80)
            raise broken("text: control character", f"{control.group()!r} in the report: {out[start : start + 160]!r}")


_SCHEMA_VALIDATOR: Any = None


def _sarif() -> Any:
    global _SCHEMA_VALIDATOR
    if _SCHEMA_VALIDATOR is None:
        import jsonschema

        _SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()))
    return _SCHEMA_VALIDATOR


# -- keeping crashers --------------------------------------------------------------------------


@contextmanager
def keeping(name: str, data: bytes) -> Iterator[None]:
    """With MSGLINT_FUZZ_SAVE set, a failing input is saved there (the smallest per failure)."""
    try:
        yield
    except Broken as exc:
        folder = os.environ.get("MSGLINT_FUZZ_SAVE")
        if folder:
            key = re.sub(r"[^\w.-]+", "-", getattr(exc, "key", "broken")).strip("-").lower()
            path = Path(folder, f"{key}--{name}")
            path.parent.mkdir(parents=True, exist_ok=True)
            if not path.exists() or path.stat().st_size > len(data):
                path.write_bytes(data)
        raise
