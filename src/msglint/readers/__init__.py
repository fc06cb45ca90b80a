"""Readers: one per syntax. Each turns text into a tree or entry list with positions, nothing more.

Every reader is bounded: nesting depth (``depth``), alias expansion (``tree.measure``) and time
(``time_budget``). What goes past a bound is a ParseError, so a hostile file is one finding and the
run goes on.
"""

from __future__ import annotations

import codecs
import re
import signal
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

_NEWLINE = re.compile(r"\r\n|\r|\n")

# Seconds one file may take to read before it is MSG001 (documents.read takes another value).
READ_SECONDS = 10.0


def split_lines(text: str) -> list[str]:
    """Lines as YAML and Java count them (only CR, LF and CRLF end a line)."""
    lines = _NEWLINE.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


class ParseError(Exception):
    """A file that cannot be read; becomes a finding at ``line``/``column`` (1-based).
    ``code`` is the rule that reports it: MSG001, or MSG002 for a template that is not YAML yet."""

    def __init__(self, message: str, line: int = 1, column: int = 1, code: str = "MSG001") -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.code = code


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # utf-8, latin-1, utf-16-le, utf-16-be, utf-32-le, utf-32-be
    bom: bool = False  # the file starts with a byte-order mark (a fix must write it back)


# Longest first: the UTF-32-LE mark (FF FE 00 00) starts with the UTF-16-LE one (FF FE).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode(data: bytes, fallback_latin1: bool = False) -> str:
    """UTF-8 text (BOM dropped); Latin-1 when the syntax allows it, else a ParseError at the bad byte."""
    return decode_bytes(data, fallback_latin1).text


def decode_bytes(data: bytes, fallback_latin1: bool = False) -> Decoded:
    """The text and how it was stored: UTF-8, or UTF-16/UTF-32 behind a byte-order mark, or (when
    ``fallback_latin1``) Latin-1. A NUL is never text: UTF-16 or UTF-32 without a mark says so."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data[len(bom) :], encoding), encoding, True)
    if b"\x00" in data:
        wide = wide_encoding(data)
        if wide is not None:
            raise ParseError(
                f"the file looks like {wide.upper()} without a byte-order mark: msglint reads UTF-8, "
                "and UTF-16 or UTF-32 only with a byte-order mark"
            )
        nul = data.index(b"\x00")
        line = data.count(b"\n", 0, nul) + 1
        column = nul - (data.rfind(b"\n", 0, nul) + 1) + 1
        raise ParseError("the file contains a NUL byte: not a text file", line, column)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        if fallback_latin1:
            return Decoded(data.decode("latin-1"), "latin-1")
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            f"cannot decode the file as UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line,
            column,
        ) from None


def _strict(data: bytes, encoding: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")
        line = len(split_lines(before + "x"))
        column = len(before) - max(before.rfind("\n"), before.rfind("\r"))
        raise ParseError(
            f"cannot decode the file as {encoding.upper()} (at byte {exc.start} after the mark)", line, column
        ) from None
    if "\x00" in text:
        at = text.index("\x00")
        raise ParseError("the file contains a NUL character: not a text file", len(split_lines(text[:at] + "x")), 1)
    return text


def wide_encoding(data: bytes) -> str | None:
    """UTF-16 or UTF-32 (LE or BE) without a byte-order mark, judged by where the NULs fall in the
    first 4 KB: text that is mostly ASCII has a NUL in every other (or three of four) bytes."""
    sample = data[:4096]
    size = len(sample) - len(sample) % 4
    if size >= 4:
        groups = [sample[i : i + 4] for i in range(0, size, 4)]
        if _most(g[2] == 0 and g[3] == 0 and g[0] != 0 for g in groups):
            return "utf-32-le"
        if _most(g[0] == 0 and g[1] == 0 and g[3] != 0 for g in groups):
            return "utf-32-be"
    size = len(sample) - len(sample) % 2
    if size >= 2:
        even, odd = sample[0:size:2], sample[1:size:2]
        if _most(b != 0 for b in even) and _most(b == 0 for b in odd):
            return "utf-16-le"
        if _most(b == 0 for b in even) and _most(b != 0 for b in odd):
            return "utf-16-be"
    return None


def _most(flags: Iterable[bool]) -> bool:
    values = list(flags)
    return bool(values) and sum(values) >= 0.75 * len(values)


def as_utf8(data: bytes) -> bytes:
    """``data`` as UTF-8 bytes when a UTF-16/UTF-32 byte-order mark says it is not (for content
    sniffing: a byte pattern matches the decoded text); any other data unchanged."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            if encoding == "utf-8":
                return data
            return data[len(bom) :].decode(encoding, errors="replace").encode("utf-8")
    return data


def caused_by(exc: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``exc`` or an exception it was raised from or during is a ``kind``."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


class Overtime(BaseException):
    """The time budget of a read ran out. A BaseException, so that no reader's own
    ``except Exception`` swallows it on the way out."""


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise Overtime in the body once ``seconds`` have passed (SIGALRM and a real-time interval
    timer). Without them (Windows, a thread other than the main one) or when another timer is
    already set (pytest-timeout), the body runs without a budget. Native code that never returns
    to the interpreter is interrupted only when it does; the depth checks keep those calls short."""
    if (
        not seconds
        or seconds <= 0
        or not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise Overtime(seconds)

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
