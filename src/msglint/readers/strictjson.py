"""Strict JSON with positions (RabbitMQ definitions, NATS CLI stream and consumer configurations).

RFC 8259 as the management plugin's import reads it: no comments, trailing commas, single quotes,
unquoted keys, ``NaN`` or ``Infinity``. The stdlib decoder judges validity (its message and
position become the ParseError); a small iterative scanner builds the positioned tree, in the shape
the YAML reader gives (strings ``quoted``, numbers tagged ``int``/``float`` with their text as
written, ``true``/``false`` tagged ``bool``, ``null`` tagged ``null``, collections ``flow``).
Both passes are linear and neither recurses, so depth is bounded only by ``depth.NESTING``, checked
first. A key written twice in one object is a ParseError, as in YAML files (and for the same
reason: which one wins depends on the reader).
"""

from __future__ import annotations

import bisect
import json
import re

from msglint.model import Span
from msglint.readers import ParseError, depth
from msglint.readers.tree import Mapping, Node, Scalar, Sequence

_NEWLINE = re.compile(r"\r\n|\r|\n")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_NOT_JSON = ("NaN", "Infinity", "-Infinity")


def parse(text: str) -> list[Node | None]:
    """The one value of the file (None for ``null``); ParseError where the JSON is invalid."""
    depth.check_json(text)
    lines = _Lines(text)
    _validate(text, lines)
    node = _Scanner(text, lines).document()
    return [None if isinstance(node, Scalar) and node.tag == "null" else node]


class _Lines:
    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in _NEWLINE.finditer(text)]

    def where(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1

    def error(self, message: str, offset: int) -> ParseError:
        return ParseError(f"invalid JSON: {message}", *self.where(offset))


def _validate(text: str, lines: _Lines) -> None:
    # parse_int/parse_float keep numbers as text: no conversion of a 10,000-digit integer
    try:
        json.loads(text, parse_int=str, parse_float=str, parse_constant=str)
    except json.JSONDecodeError as exc:
        raise lines.error(exc.msg, exc.pos) from None
    except RecursionError:  # the depth check bounds it first; this is the stdlib's own bound
        raise ParseError(f"nested too deeply (limit {depth.NESTING})") from None


# One token of JSON that json.loads accepted: the scanner needs no grammar beyond the brackets.
_TOKEN = re.compile(
    r"""(?P<blank>[ \t\r\n]+)
    |(?P<bracket>[\[\]{},:])
    |(?P<string>"(?:[^"\\\x00-\x1f]|\\.)*")
    |(?P<number>-?(?:0|[1-9][0-9]*)(?P<fraction>\.[0-9]+)?(?P<exponent>[eE][-+]?[0-9]+)?)
    |(?P<literal>true|false|null)
    |(?P<other>NaN|-?Infinity|.)""",
    re.VERBOSE | re.DOTALL,
)
_LITERAL_TAGS = {"true": "bool", "false": "bool", "null": "null"}
_PENDING = Span(1, 1, 1, 1)  # a collection's span until its closing bracket is read


class _Frame:
    __slots__ = ("column", "is_object", "key", "keys", "line", "node")

    def __init__(self, node: Mapping | Sequence, line: int, column: int) -> None:
        self.node = node
        self.is_object = isinstance(node, Mapping)
        self.line, self.column = line, column  # where the bracket is
        self.key: Scalar | None = None  # in an object: the key whose value comes next
        self.keys: dict[str, Scalar] = {}  # the keys read so far in an object, for duplicates


class _Scanner:
    """Builds the tree of text ``json.loads`` accepted: one pass over its tokens with a stack of the
    open collections, no recursion. Offsets only grow, so line and column come from a cursor over
    the line starts, not a search."""

    def __init__(self, text: str, lines: _Lines) -> None:
        self.text = text
        self.lines = lines
        self.starts = lines.starts
        self.line = 1  # the cursor: the line of the last offset placed

    def place(self, offset: int) -> tuple[int, int]:
        starts, line = self.starts, self.line
        while line < len(starts) and starts[line] <= offset:
            line += 1
        self.line = line
        return line, offset - starts[line - 1] + 1

    def document(self) -> Node:
        frames: list[_Frame] = []
        result: Node | None = None
        for match in _TOKEN.finditer(self.text):
            kind = match.lastgroup
            if kind == "blank":
                continue
            if kind == "bracket":
                value = self.bracket(frames, match.group(), match.start())
            elif kind == "string":
                value = self.string(frames, match)
            else:
                value = self.scalar(kind, match)
            if value is None:
                continue  # an opening bracket, a separator or an object's key: no value yet
            if not frames:
                result = value
                continue
            top = frames[-1]
            if top.is_object:
                top.node.items.append((top.key, value))  # type: ignore[arg-type]
                top.key = None
            else:
                top.node.items.append(value)  # type: ignore[arg-type]
        if result is None or frames:
            raise self.lines.error("Expecting value", len(self.text))
        return result

    def bracket(self, frames: list[_Frame], token: str, start: int) -> Node | None:
        """Open a collection, or close one and return it."""
        if token in "{[":
            node = Mapping(_PENDING, flow=True) if token == "{" else Sequence(_PENDING, flow=True)
            frames.append(_Frame(node, *self.place(start)))
            return None
        if token in ",:":
            return None
        frame = frames.pop()
        frame.node.span = Span(frame.line, frame.column, *self.place(start + 1))
        return frame.node

    def string(self, frames: list[_Frame], match: re.Match[str]) -> Node | None:
        """A string value, or (None) the key of the object being read."""
        token = match.group()
        place = self.place
        text = json.loads(token) if "\\" in token else token[1:-1]
        if _SURROGATE.search(text):  # `"\ud800"` alone: no character, and no output could print it
            text = _SURROGATE.sub("\ufffd", text)
        scalar = Scalar(Span(*place(match.start()), *place(match.end())), text, "str", quoted=True)
        top = frames[-1] if frames else None
        if top is not None and top.is_object and top.key is None:
            first = top.keys.get(text)
            if first is not None and text:
                raise ParseError(
                    f"duplicate key '{text}' (first written at line {first.span.line})",
                    scalar.span.line,
                    scalar.span.column,
                )
            top.keys[text] = top.key = scalar
            return None
        return scalar

    def scalar(self, kind: str | None, match: re.Match[str]) -> Node:
        """A number or a literal; anything else is not JSON."""
        token = match.group()
        start = match.start()
        place = self.place
        if kind == "number":
            tag = "float" if match.group("fraction") or match.group("exponent") else "int"
            return Scalar(Span(*place(start), *place(match.end())), token, tag)
        if kind == "literal":
            return Scalar(Span(*place(start), *place(match.end())), token, _LITERAL_TAGS[token])
        if token in _NOT_JSON:
            raise self.lines.error(f"{token} is not a JSON number (a JSON import refuses it)", start)
        raise self.lines.error("Expecting value", start)
