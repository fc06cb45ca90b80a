"""``nats-server.conf`` with positions: the grammar of nats-server's ``conf`` package, read strictly.

A file is a list of entries ``key value``: the key is separated from its value by ``:``, ``=`` or
white space alone, entries by new lines, ``,`` or ``;``; the whole file may be wrapped in ``{ }``.
``#`` and ``//`` start a comment that runs to the end of the line, but only where a key, a value or
a separator could start: ``nats://host`` and quoted text keep theirs.

Keys are bare words (letters, digits, ``_``, ``-``, ``.``) or quoted (``"a b"``, ``'a b'``). Values:

- blocks ``{ ... }``, written ``name { ... }``, ``name: { ... }`` or ``name = { ... }`` (the brace
  may also open on the next line when there is no separator, as nats-server allows);
- arrays ``[ ... ]``, elements separated by commas and/or new lines, nesting arrays and blocks;
- double-quoted strings (escapes ``\\t \\n \\r \\" \\\\ \\xHH``, decoded), single-quoted strings (no
  escapes), and ``( ... )`` text blocks closed by a ``)`` on a line of its own (``block=True``);
- bare text up to white space, a new line, ``,``, ``;``, ``]`` or ``}``. It is tagged ``bool``
  (``true/false/yes/no/on/off`` in any case, as NATS reads them), ``int`` (``-12``), ``float``
  (``1.5``), else ``str``: sizes, durations and addresses (``1GB``, ``10s``, ``0.0.0.0:6222``) stay
  text. ``value`` is the text as written, without quotes.

Variables: every key already set in the block being read or in an enclosing one names a variable
(nats-server's block scoping; a top-level ``NAME = value`` is the usual case), and a bare ``$NAME``
value becomes a copy of that value spanning the reference. A reference to no key (``$NAME``,
``$token``) is one nats-server looks up in its environment when it starts, or in a file this reader
does not follow (``include``): it is kept as the literal text ``$NAME`` (tag ``str``, not quoted), an
unknown value for the caller. Only a ``$`` that starts no name is a ParseError. bcrypt hashes
(``$2a$11$...``) are text, not references.

``include path`` (bare, ``"quoted"`` or ``'quoted'``) is not followed: it becomes an entry with the
key ``include`` and the path as written. A key written twice keeps both entries, in order
(nats-server keeps the last).

Spans: a key or scalar spans its text, quotes included; a block or an array spans its brackets;
the top mapping spans the whole file. Blocks and arrays closed on the line they open are ``flow``:
a new entry cannot go on a line of its own without rewriting them.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
import string

from msglint.model import Span
from msglint.readers import ParseError, depth
from msglint.readers.tree import ALIAS_BUDGET, Mapping, Node, Scalar, Sequence, measure

_NEWLINE = re.compile(r"\r\n|\r|\n")
_BLANK = " \t\r\n"  # what separates entries and array elements (comments aside)
_INLINE = " \t"  # what may separate a key, its separator and its value
_BARE = re.compile(r"[^ \t\r\n,;\]}]*")  # bare text runs to white space or a closing delimiter
_KEY_END = " \t\r\n:={"  # what may follow a bare key
_BOOLEANS = {"true", "false", "yes", "no", "on", "off"}
_INT = re.compile(r"-?[0-9]+")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]+")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")  # nats-server falls back to the environment for any name
_BCRYPT = re.compile(r"\$2[abxy]?\$")
_TEXT_BLOCK_END = re.compile(r"(?:\r\n|\r|\n)\)(?=[\r\n]|\Z)")
_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", '"': '"', "\\": "\\"}
# Each level of blocks costs a few Python frames: deeper input is an error, never a RecursionError.
# Variables may nest deeper than the text (a chain of blocks each holding the one before): that,
# and what they copy, is bounded by tree.measure after the read.
_MAX_DEPTH = 100


def parse(text: str, budget: int = ALIAS_BUDGET) -> Mapping:
    """The top-level mapping of a NATS server configuration; ParseError for anything malformed, or
    for variables that copy more than ``budget`` nodes (``b = [$a, $a]``, ``c = [$b, $b]``, ...)."""
    reader = _Reader(text, budget)
    root = reader.document()
    if reader.copied:
        measure([root], budget, depth.NESTING, what="variables")
    return root


def _describe(c: str) -> str:
    if not c:
        return "the end of the file"
    if c in "\r\n":
        return "a new line"
    return f"'{c}'"


def _is_key_char(c: str) -> bool:
    # `$SYS` (the system account) and subject mappings (`orders.*`, `events.>`) are valid keys
    return c.isalnum() or c in ("_", "-", ".", "$", "*", ">")


def _tag(text: str) -> str:
    if text.lower() in _BOOLEANS:
        return "bool"
    if _INT.fullmatch(text):
        return "int"
    if _FLOAT.fullmatch(text):
        return "float"
    return "str"


def _moved(node: Node, span: Span) -> Node:
    """A variable's value as seen at a reference: the same content, the reference's span."""
    # Own item lists, so that a caller editing one occurrence does not edit the other.
    if isinstance(node, Mapping):
        return Mapping(span, list(node.items), node.flow)
    if isinstance(node, Sequence):
        return Sequence(span, list(node.items), node.flow)
    return dataclasses.replace(node, span=span)


class _Reader:
    def __init__(self, text: str, budget: int = ALIAS_BUDGET) -> None:
        self.text = text
        self.budget = budget
        self.copied = 0  # the entries and elements references have copied so far
        self.pos = 0
        self.line_starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]
        self.scopes: list[dict[str, Node]] = []  # the keys set so far in each open block, outermost first
        self.depth = 0

    # -- positions ---------------------------------------------------------------------------------

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def span(self, start: int, end: int) -> Span:
        return Span(*self.where(start), *self.where(end))

    def error(self, message: str, offset: int) -> ParseError:
        return ParseError(message, *self.where(offset))

    def peek(self, ahead: int = 0) -> str:
        """The character at the cursor (plus ``ahead``), or "" at the end of the text."""
        i = self.pos + ahead
        return self.text[i] if i < len(self.text) else ""

    # -- white space and comments --------------------------------------------------------------------

    def at_comment(self) -> bool:
        return self.peek() == "#" or (self.peek() == "/" and self.peek(1) == "/")

    def skip_comment(self) -> None:
        if self.at_comment():
            match = _NEWLINE.search(self.text, self.pos)
            self.pos = match.start() if match else len(self.text)

    def skip_inline(self) -> None:
        while self.peek() and self.peek() in _INLINE:
            self.pos += 1

    def skip_blank(self) -> None:
        """White space, new lines and comments: what may come between entries or array elements."""
        while True:
            c = self.peek()
            if c and c in _BLANK:
                self.pos += 1
            elif self.at_comment():
                self.skip_comment()
            else:
                return

    def at_line_end(self) -> bool:
        c = self.peek()
        return not c or c in "\r\n" or self.at_comment()

    def enter(self, open_at: int) -> None:
        self.depth += 1
        if self.depth > _MAX_DEPTH:
            raise self.error(
                f"nested too deeply (over {_MAX_DEPTH} levels of blocks and arrays, limit {_MAX_DEPTH})", open_at
            )

    # -- structure ---------------------------------------------------------------------------------

    def document(self) -> Mapping:
        self.skip_blank()
        if self.peek() != "{":
            items = self.entries(None, 0)
            return Mapping(self.span(0, len(self.text)), items)
        open_at = self.pos
        self.enter(open_at)
        self.pos += 1
        items = self.entries("}", open_at)
        close_at = self.pos - 1
        self.skip_blank()
        if self.peek():
            raise self.error(f"unexpected {_describe(self.peek())} after the '}}' that closes the file", self.pos)
        flow = self.where(open_at)[0] == self.where(close_at)[0]
        return Mapping(self.span(0, len(self.text)), items, flow)

    def entries(self, closer: str | None, open_at: int) -> list[tuple[Scalar, Node]]:
        """Entries up to ``closer`` (consumed) or, at the top of an unbraced file, the end of the text."""
        items: list[tuple[Scalar, Node]] = []
        scope: dict[str, Node] = {}
        self.scopes.append(scope)
        while True:
            self.skip_blank()
            c = self.peek()
            if not c:
                if closer:
                    raise self.error("this block is never closed: '}' is missing", open_at)
                break
            if c == closer:
                self.pos += 1
                break
            key, value, is_include = self.entry()
            items.append((key, value))
            if not is_include:
                scope[key.value] = value  # later entries may refer to it as $key; the last one wins
            self.entry_end(closer)
        self.scopes.pop()
        return items

    def entry_end(self, closer: str | None) -> None:
        """What may follow a value: a comment, a new line, ``,``/``;``, the block's end."""
        self.skip_inline()
        self.skip_comment()
        c = self.peek()
        if not c or c in "\r\n" or c == closer:
            return
        if c in ",;":
            self.pos += 1
            return
        if c in "}]":
            raise self.error(self.unexpected_closer(c), self.pos)
        raise self.error(f"expected a new line, ',' or ';' after the value, found {_describe(c)}", self.pos)

    @staticmethod
    def unexpected_closer(c: str) -> str:
        return f"unexpected '{c}': no {'block' if c == '}' else 'array'} is open here"

    def entry(self) -> tuple[Scalar, Node, bool]:
        key = self.key()
        key_end = self.pos
        self.skip_inline()
        c = self.peek()
        if not key.quoted and key.value.lower() == "include" and self.pos > key_end and c not in (":", "=", "{"):
            # nats-server reads `include` followed by white space as the directive, not as a key
            return Scalar(key.span, "include"), self.include_path(), True
        if c in (":", "="):
            self.pos += 1
            self.skip_inline()
        elif self.at_line_end():
            # Without a separator the block's brace may open on a later line (nats-server skips the
            # blank lines), but nothing else may: `port` alone on a line is a key without a value.
            missing_at = self.pos
            self.skip_blank()
            if self.peek() != "{":
                raise self.error(f"the key '{key.value}' has no value", missing_at)
        if self.at_line_end():
            raise self.error(f"the key '{key.value}' has no value", self.pos)
        return key, self.value(), False

    def key(self) -> Scalar:
        start = self.pos
        c = self.peek()
        if c in ('"', "'"):
            end = self.closing_quote(c, start, "quoted key", multiline=False)
            self.pos = end + 1
            return Scalar(self.span(start, self.pos), self.text[start + 1 : end], quoted=True)
        while _is_key_char(self.peek()):
            self.pos += 1
        if self.pos == start:
            if c and c in "}]":
                raise self.error(self.unexpected_closer(c), start)
            if c and c in ":=":
                raise self.error(f"'{c}' without a key before it", start)
            raise self.error(f"expected a key, found {_describe(c)}", start)
        after = self.peek()
        if after and after not in _KEY_END and not self.at_comment():
            raise self.error(
                f"unexpected {_describe(after)} in a key (bare keys are letters, digits and _ - . $ * >)",
                self.pos,
            )
        return Scalar(self.span(start, self.pos), self.text[start : self.pos])

    def closing_quote(self, quote: str, start: int, what: str, multiline: bool) -> int:
        """The offset of the quote that closes the one at ``start`` (no escapes between them)."""
        end = self.text.find(quote, start + 1)
        # a new line before the closing quote, looked for up to that quote only: many quoted keys on
        # one long line would otherwise each scan the rest of the line (quadratic)
        if not multiline and _NEWLINE.search(self.text, start + 1, end if end >= 0 else len(self.text)):
            end = -1
        if end < 0:
            raise self.error(f"this {what} is never closed: {quote} is missing", start)
        return end

    def include_path(self) -> Scalar:
        start = self.pos
        c = self.peek()
        if self.at_line_end():
            raise self.error("'include' needs the path of a file", start)
        if c in ('"', "'"):
            # nats-server takes an include path as written, backslashes and all (Windows paths)
            end = self.closing_quote(c, start, "string", multiline=False)
            self.pos = end + 1
            return Scalar(self.span(start, self.pos), self.text[start + 1 : end], quoted=True)
        if c in "[(":
            raise self.error(f"'include' needs the path of a file, found {_describe(c)}", start)
        return self.bare_text()

    def value(self) -> Node:
        c = self.peek()
        if c == "{":
            return self.block()
        if c == "[":
            return self.array()
        if c == '"':
            return self.double_quoted()
        if c == "'":
            start = self.pos
            end = self.closing_quote("'", start, "string", multiline=True)
            self.pos = end + 1
            return Scalar(self.span(start, self.pos), self.text[start + 1 : end], quoted=True)
        if c == "(":
            return self.text_block()
        scalar = self.bare_text()
        text = scalar.value
        if text.startswith("$") and not _BCRYPT.match(text):
            return self.reference(scalar)
        scalar.tag = _tag(text)
        return scalar

    def block(self) -> Mapping:
        open_at = self.pos
        self.enter(open_at)
        self.pos += 1
        items = self.entries("}", open_at)
        self.depth -= 1
        return Mapping(self.span(open_at, self.pos), items, self.one_line(open_at))

    def array(self) -> Sequence:
        open_at = self.pos
        self.enter(open_at)
        self.pos += 1
        items: list[Node] = []
        while True:
            self.skip_blank()
            c = self.peek()
            if not c:
                raise self.error("this array is never closed: ']' is missing", open_at)
            if c == "]":
                self.pos += 1
                break
            if c in ",;":
                raise self.error(f"unexpected '{c}': an array element is missing", self.pos)
            items.append(self.value())
            self.skip_inline()
            self.skip_comment()
            c = self.peek()
            if c == ",":
                self.pos += 1
            elif c and c not in "]\r\n":
                raise self.error(
                    f"expected ',', a new line or ']' after an array element, found {_describe(c)}", self.pos
                )
        self.depth -= 1
        return Sequence(self.span(open_at, self.pos), items, self.one_line(open_at))

    def one_line(self, open_at: int) -> bool:
        """Whether the bracket at ``open_at`` closed (just before the cursor) on its own line."""
        return self.where(open_at)[0] == self.where(self.pos - 1)[0]

    # -- scalars -----------------------------------------------------------------------------------

    def double_quoted(self) -> Scalar:
        start = self.pos
        text = self.text
        out: list[str] = []
        raw: bytearray = bytearray()  # \xHH bytes in a row, decoded together (they spell UTF-8)
        i = start + 1
        while True:
            if i >= len(text):
                raise self.error('this string is never closed: " is missing', start)
            c = text[i]
            if c == "\\" and text[i + 1 : i + 2] == "x":
                digits = text[i + 2 : i + 4]
                if len(digits) < 2 or any(d not in string.hexdigits for d in digits):
                    raise self.error("expected two hexadecimal digits after '\\x'", i)
                raw.append(int(digits, 16))
                i += 4
                continue
            if raw:
                out.append(raw.decode("utf-8", errors="replace"))
                raw.clear()
            if c == '"':
                break
            if c == "\\":
                escaped = text[i + 1 : i + 2]
                if not escaped:
                    raise self.error('this string is never closed: " is missing', start)
                if escaped not in _ESCAPES:
                    raise self.error(f"invalid escape '\\{escaped}' (allowed: \\t, \\n, \\r, \\\", \\\\ and \\xHH)", i)
                out.append(_ESCAPES[escaped])
                i += 2
                continue
            out.append(c)
            i += 1
        self.pos = i + 1
        return Scalar(self.span(start, self.pos), "".join(out), quoted=True)

    def text_block(self) -> Scalar:
        start = self.pos
        match = _TEXT_BLOCK_END.search(self.text, start + 1)
        if match is None:
            raise self.error("this text block is never closed: ')' on a line of its own is missing", start)
        self.pos = match.end()
        return Scalar(self.span(start, self.pos), self.text[start + 1 : match.start()], block=True)

    def bare_text(self) -> Scalar:
        start = self.pos
        match = _BARE.match(self.text, start)
        end = match.end() if match else start
        if end == start:
            c = self.peek()
            if c and c in "}]":
                raise self.error(f"a value is missing before {_describe(c)}", start)
            raise self.error(f"expected a value, found {_describe(c)}", start)
        self.pos = end
        return Scalar(self.span(start, end), self.text[start:end])

    def reference(self, ref: Scalar) -> Node:
        name = ref.value[1:]
        for scope in reversed(self.scopes):
            if name in scope:
                moved = _moved(scope[name], ref.span)
                if isinstance(moved, Mapping | Sequence):  # a scalar's copy costs nothing to walk
                    self.copied += len(moved.items) + 1
                if self.copied > self.budget:
                    raise ParseError(
                        f"variables copy more than {self.budget} nodes (a variable bomb?)",
                        ref.span.line,
                        ref.span.column,
                    )
                return moved
        if _ENV_NAME.fullmatch(name):
            return ref  # nats-server would read it from its environment: left for the caller
        raise ParseError(f"the variable '{ref.value}' is not defined before this point", ref.span.line, ref.span.column)
