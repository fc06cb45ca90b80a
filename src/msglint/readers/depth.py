"""Nesting depth, counted on the text before a native parser sees it.

ruamel.yaml's C composer recurses on the machine stack and crashes the process (a segfault, every
other file's findings lost) on input nested some thousands deep; CPython's parser refuses deep
nesting with an error whose cost grows with it, and the Python code after the parsers (the
extractors) recurses too and fails a few hundred deep.
A cheap linear count here turns such input into a ParseError at the line where the limit is
crossed. The limits are far above any real file:

- YAML and JSON, ``NESTING`` (200) levels: block indentation levels, ``- `` entries and flow
  brackets together. Kubernetes manifests and Spring configurations nest about 15; ruamel's C
  composer crashes between 25,000 and 100,000; the extractors' walks manage about 300.
- Python, ``PYTHON_BRACKETS`` (100) levels of brackets, and ``PYTHON_CHAIN`` (500) arithmetic,
  bitwise, attribute, call and subscript operators in one expression (``a + b + ...``,
  ``a.b.c...``, ``f()()...``). CPython's own parser stops at 200 brackets and 100 indented
  blocks; long chains make its AST deep, and the walks over it recurse (before msglint read Python
  with the ast module, libcst's position metadata failed at 139 brackets on CPython 3.11).
"""

from __future__ import annotations

import itertools
import re

from msglint.readers import ParseError, split_lines

NESTING = 200
PYTHON_BRACKETS = 100
PYTHON_CHAIN = 500


def too_deep(levels: int, limit: int, line: int, column: int = 1) -> ParseError:
    return ParseError(f"nested too deeply ({levels} levels, limit {limit})", line, column)


class _Deepest:
    """The deepest level seen, and where the limit was first crossed."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.worst = 0
        self.where: tuple[int, int] | None = None

    def see(self, levels: int, line: int, column: int) -> None:
        if levels > self.worst:
            self.worst = levels
        if levels > self.limit and self.where is None:
            self.where = (line, column)

    def check(self) -> None:
        if self.where is not None:
            raise too_deep(self.worst, self.limit, *self.where)


# -- JSON -----------------------------------------------------------------------------------------

_JSON_TOKEN = re.compile(r'"(?:[^"\\\r\n]|\\.)*"?|[\[\]{}]|\r\n|\r|\n')
_JSON_STRING = re.compile(r'"(?:[^"\\\r\n]|\\.)*"?')
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def check_json(text: str, limit: int = NESTING) -> None:
    """Open brackets outside strings. The depth is found at C speed (strings and all but brackets
    removed, then a running sum); only a file past the limit is walked for the line. A stray closing
    bracket makes the sum too low after it, but no JSON parser reads past that point."""
    if text.count("[") + text.count("{") <= limit:
        return
    brackets = _NOT_BRACKET.sub("", _JSON_STRING.sub("", text))
    worst = max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)
    if worst <= limit:
        return
    level, line, line_start = 0, 1, 0
    for match in _JSON_TOKEN.finditer(text):
        c = match.group()[0]
        if c in "[{":
            level += 1
            if level > limit:
                raise too_deep(worst, limit, line, match.start() - line_start + 1)
        elif c in "]}":
            level -= 1
        elif c in "\r\n":
            line, line_start = line + 1, match.end()
    raise too_deep(worst, limit, 1)  # not reached: the walk meets what the sum met


# -- YAML -----------------------------------------------------------------------------------------

_BLOCK_SCALAR = re.compile(r"(?:^|[ \t])[|>][-+0-9]*[ \t]*$")
_SPECIAL = re.compile(r"[\"'#\[\]{}]")
_DOUBLE_QUOTED_END = re.compile(r'[\\"]')


def check_yaml(text: str, limit: int = NESTING) -> None:
    """Indentation levels (and each ``- ``/``? `` that opens one on the same line) plus open flow
    brackets. Comments and block scalars' content are skipped, and quoted text within its line.
    The check errs towards a finding, never towards the parser's crash: indentation counts inside
    a multi-line flow collection too (pretty-printed JSON counts twice), and a quote that YAML reads
    as text (``it's``) hides nothing beyond its line."""
    deepest = _Deepest(limit)
    stack: list[int] = []  # the columns of the open block nodes
    flow = 0  # open flow brackets
    block_indent = -1  # inside a block scalar: lines indented more than this are its content
    for number, line in enumerate(split_lines(text), start=1):
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent >= 0:
            if not stripped.strip() or indent > block_indent:
                continue
            block_indent = -1
        if not stripped or stripped[0] == "#":
            continue
        if stripped[:3] in ("---", "...") and stripped[3:4] in ("", " ", "\t") and not flow:
            stack.clear()
            i = indent + 3
        else:
            i = _open_levels(line, indent, stack)
            deepest.see(len(stack) + flow, number, i + 1)
        i, quote, flow = _scan_flow(line, i, flow, deepest, len(stack), number)
        if not quote and not flow and _BLOCK_SCALAR.search(line[:i]):
            block_indent = indent
    deepest.check()


def _open_levels(line: str, indent: int, stack: list[int]) -> int:
    """Close the block nodes the line's indentation ends, open its own; return where its content starts."""
    while stack and stack[-1] > indent:
        stack.pop()
    if not stack or stack[-1] < indent:
        stack.append(indent)
    i = indent
    # `- - - x`: each indicator opens a level of its own, at the column after it
    while i < len(line) and line[i] in "-?" and line[i + 1 : i + 2] in ("", " ", "\t"):
        i += 1
        while i < len(line) and line[i] in " \t":
            i += 1
        stack.append(i)
    return i


def _scan_flow(line: str, i: int, flow: int, deepest: _Deepest, blocks: int, number: int) -> tuple[int, str, int]:
    """Walk line ``number``'s content from ``i``: skip quoted text and a comment, count flow brackets
    (each that opens is seen at ``blocks`` open block nodes plus the open brackets). Return where the
    walk stopped, the quote still open there, and the open brackets."""
    start = i
    quote = ""
    while True:
        if quote:
            step = _after_double(line, i) if quote == '"' else _after_single(line, i)
            if step is None:
                break
            i, quote = step
            continue
        special = _SPECIAL.search(line, i)
        if special is None:
            i = len(line)
            break
        j = special.start()
        c = line[j]
        if c == "#":
            if j == 0 or line[j - 1] in " \t":
                i = j
                break
        elif c in "\"'":
            if _starts_node(line, start, j, flow):
                quote = c
        elif c in "[{":  # a bracket in plain text (`a [b`) counts too: a level too many, never too few
            flow += 1
            deepest.see(blocks + flow, number, j + 1)
        elif flow:
            flow -= 1
        i = j + 1
    return i, quote, flow


def _after_double(line: str, i: int) -> tuple[int, str] | None:
    """Inside a double-quoted scalar: past its next escape or its end (then no quote is open)."""
    end = _DOUBLE_QUOTED_END.search(line, i)
    if end is None:
        return None
    return end.end() + (1 if end.group() == "\\" else 0), "" if end.group() == '"' else '"'


def _after_single(line: str, i: int) -> tuple[int, str] | None:
    """Inside a single-quoted scalar: past its next '' (a quote inside it) or its end."""
    j = line.find("'", i)
    if j < 0:
        return None
    if line[j + 1 : j + 2] == "'":  # '' is a quote inside the scalar
        return j + 2, "'"
    return j + 1, ""


_PROPERTY = 256  # the longest anchor or tag looked through before a quote: `&a 'x'`, `!!str 'x'`


def _starts_node(line: str, start: int, at: int, flow: int) -> bool:
    """Whether the quote at ``at`` opens a quoted scalar: first on the line, after ``: `` (or the
    ``:`` of a JSON-like key), after ``[ { ,`` inside a flow collection, or after an anchor or tag
    that does. Elsewhere it is text (``it's``, ``a 'b``, ``a:'b``), and hides nothing."""
    k = at - 1
    while True:
        while k >= start and line[k] in " \t":
            k -= 1
        if k < start:
            return True
        p = k
        while p >= start and p > k - _PROPERTY and line[p] not in " \t":
            p -= 1
        if line[p + 1] not in "&!" or (p >= start and line[p] not in " \t"):
            break
        k = p
    before = line[k]
    if before in "[{,":
        return flow > 0
    return before == ":" and (k < at - 1 or (k > start and line[k - 1] in "\"']}"))


# -- Python ---------------------------------------------------------------------------------------

_PY_TOKEN = re.compile(
    r"""
    (?P<string>(?:[rRbBuUfFtT]{1,2})?
        (?:'''(?:[^\\]|\\.)*?(?:'''|\Z)
          |\"\"\"(?:[^\\]|\\.)*?(?:\"\"\"|\Z)
          |'(?:[^'\\\n]|\\.)*(?:'|(?=\n)|\Z)
          |"(?:[^"\\\n]|\\.)*(?:"|(?=\n)|\Z)))
    |(?P<comment>\#[^\n]*)
    |(?P<continuation>\\\r?\n)
    |(?P<newline>\r?\n|\r)
    |(?P<open>[(\[{])
    |(?P<close>[)\]}])
    |(?P<word>[^\W\d]\w*)
    |(?P<number>\.?\d(?:[\w.]|(?<=[eE])[-+])*)
    |(?P<reset>\*\*=|//=|<<=|>>=|[-+*/%@&|^]=|:=|->|[,;]|=(?!=))
    |(?P<compare>[<>!=]=)
    |(?P<link>\*\*|//|<<|>>|[-+*/%@&|^~.])
    |(?P<space>[ \t\f]+)
    |(?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


def check_python(text: str, brackets: int = PYTHON_BRACKETS, chain: int = PYTHON_CHAIN) -> None:
    deep = _Deepest(brackets)
    long = _Deepest(chain)
    links = [0]  # operators since the last `,`/`;`/`=` at each open bracket level, outermost first
    line, line_start = 1, 0
    for match in _PY_TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "string" or kind == "continuation" or kind == "comment":
            token = match.group()
            breaks = token.count("\n") + token.count("\r") - token.count("\r\n")
            if breaks:
                line += breaks
                line_start = match.start() + max(token.rfind("\n"), token.rfind("\r")) + 1
            continue
        if kind == "newline":
            line, line_start = line + 1, match.end()
            if len(links) == 1:
                links[0] = 0  # a logical line ends
            continue
        column = match.start() - line_start + 1
        if kind == "open":
            links[-1] += 1
            long.see(links[-1], line, column)
            links.append(0)
            deep.see(len(links) - 1, line, column)
        elif kind == "close":
            if len(links) > 1:
                links.pop()
        elif kind == "reset":
            links[-1] = 0
        elif kind == "link":
            links[-1] += 1
            long.see(links[-1], line, column)
    deep.check()
    if long.where is not None:
        raise ParseError(
            f"an expression too long to analyse ({long.worst} chained operators, limit {chain})", *long.where
        )
