"""Readers: one per syntax. Each turns text into a tree or entry list with positions, nothing more."""

from __future__ import annotations

import re

_NEWLINE = re.compile(r"\r\n|\r|\n")


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


def decode(data: bytes, fallback_latin1: bool = False) -> str:
    """UTF-8 text (BOM dropped); Latin-1 when the syntax allows it, else a ParseError at the bad byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if fallback_latin1:
            return data.decode("latin-1")
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            f"cannot decode the file as UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
            line,
            column,
        ) from None
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ParseError("the file contains a NUL byte: not a text file", line, 1)
    return text
