"""Inline suppressions, in each syntax's own comment form:

- ``# msglint: disable=KP101,KC`` (YAML, .properties, Python, shell, conf; ``!`` in .properties,
  ``//`` and ``/* */`` in Java and Kotlin, ``//`` in nats-server.conf) on the finding's line, or alone
  on the line above it (.properties has only whole-line comments: there, the line above);
- ``# msglint: disable-next-line=KP101``: the next line (after a block comment: the line after it);
- ``# msglint: disable-file=KP101`` anywhere in a file: the whole file;
- in a Kubernetes manifest, ``msglint.io/ignore: "KT101,KT104: reason"`` in ``metadata.annotations``:
  that resource (its YAML document).

Ids are codes, prefixes or rule names (``producer-acks-not-all``), comma separated; a reason may
follow them after `` -- `` (after ``:`` in the annotation). JSON has no comments: use
``per-file-ignores`` or the baseline. A suppression that suppresses nothing is itself reported
(MSG003); one msglint cannot read as written (a missing ``=``, upper case, an unknown verb or id) is
reported too (MSG005), and suppresses nothing, so that the mistake shows.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from msglint.model import Finding, Span

if TYPE_CHECKING:
    from msglint.catalog import Rule

UNUSED = "MSG003"
MALFORMED = "MSG005"
VERBS = ("disable", "disable-next-line", "disable-file")
ANNOTATION = "msglint.io/ignore"
_MARKERS = {"java": ("//",), "kotlin": ("//",), "natsconf": ("#", "//"), "properties": ("#", "!"), "json": ()}
_BLOCK_COMMENTS = ("java", "kotlin")  # /* */ and /** */ besides //
# the start of a directive, loosely: the keyword in any case, then whatever verb and separators follow
_LOOSE = re.compile(r"(?i)msglint\b(?P<colon>\s*:)?\s*(?P<verb>[a-z][a-z_-]*)?(?P<eq>\s*=)?(?P<rest>.*)")
_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")
_ANNOTATION_KEY = re.compile(r"^(?P<indent>\s*)(?P<q>[\"']?)msglint\.io/(?P<key>[\w.-]*)(?P=q)\s*:(?P<value>.*)$")
_SEPARATOR = re.compile(r"^(---|\.\.\.)(\s|$)")
_EXPECTED = "`msglint: disable=CODE` (or `disable-next-line=`, `disable-file=`)"


@dataclass
class Directive:
    path: str
    line: int  # where the comment is
    column: int
    target: int  # the line it covers (0: the whole file)
    codes: list[str]
    used: set[str] = field(default_factory=set)
    through: int = 0  # the last line it covers, when more than one (annotations before a declaration)
    unknown: dict[str, str] = field(default_factory=dict)  # ids that name no rule (MSG005): code -> as written
    form: str = "comment"  # or "annotation": a Kubernetes resource's msglint.io/ignore

    def covers(self, finding: Finding) -> str | None:
        """The code or prefix that suppresses ``finding``, if this directive does: one on a line the
        finding spans (a multi-line call's last line too)."""
        last = max(self.through, self.target)
        if self.target and not (finding.span.line <= last and self.target <= finding.span.end_line):
            return None
        code = finding.code.upper()
        return next((c for c in sorted(self.codes, key=len, reverse=True) if code.startswith(c)), None)


@dataclass(frozen=True)
class Malformed:
    """A directive msglint cannot read as written: where it is, and what to write instead."""

    path: str
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class _Parsed:
    verb: str
    ids: list[str]


@dataclass(frozen=True)
class _Comment:
    """One line's piece of a comment: where the directive would start and what the comment covers."""

    line: int
    column: int  # 1-based, of the comment marker (or of the text, inside a block comment)
    body: str  # the text after the marker
    alone: bool  # nothing but the comment on its line(s)
    after: int  # the line after the comment (for a block comment: after its last line)


# --- parsing one directive ---------------------------------------------------------------------


def _parse(body: str) -> _Parsed | str | None:
    """``body`` starts at the keyword: the directive, an explanation of what is wrong, or None when
    it is prose that merely names msglint (``# msglint checks this file``)."""
    match = _LOOSE.match(body)
    if match is None:
        return None
    verb = match.group("verb") or ""
    close = difflib.get_close_matches(verb.lower(), VERBS, n=1, cutoff=0.6)
    if not (match.group("colon") or close) or not (close or match.group("eq") or not verb):
        return None  # no sign of a directive
    wrong = _structure(match, verb, close)
    if wrong:
        return wrong
    return _ids(match.group("rest"), verb)


def _structure(match: re.Match[str], verb: str, close: list[str]) -> str | None:
    keyword = match.group(0)[:7]
    intended = close[0] if close else "disable"
    if keyword != "msglint" or (verb.lower() in VERBS and verb != verb.lower()):
        written = f"{keyword}{match.group('colon') or ''} {verb}"
        return f"`{written.strip()}` is not read as a suppression: write it in lower case, `msglint: {intended}=CODE`"
    if not match.group("colon"):
        return f"a `:` is missing after `msglint`: write `msglint: {intended}=CODE`"
    if not verb:
        return f"no verb after `msglint:`: write {_EXPECTED}"
    if verb not in VERBS:
        return f"unknown verb `{verb}`: did you mean `{intended}`? write {_EXPECTED}"
    if not match.group("eq"):
        return f"a `=` is missing after `{verb}`: write `msglint: {verb}=CODE,CODE -- reason`"
    return None


def _ids(rest: str, verb: str) -> _Parsed | str:
    listed, _, _reason = rest.partition("--")
    ids = [i.strip() for i in listed.split(",")]
    if not any(ids):
        return f"`msglint: {verb}=` names no code: write `msglint: {verb}=CODE` (codes, prefixes or rule names)"
    if any(" " in i or "\t" in i for i in ids):
        return (
            f"separate the codes with commas and put a reason after ` -- `: `msglint: {verb}=CODE,CODE -- reason`;"
            f" `{listed.strip()}` is not read"
        )
    return _Parsed(verb, [i for i in ids if i])


# --- ids: codes, prefixes, rule names ----------------------------------------------------------


class _Ids:
    """Resolves what a directive names against the rules msglint knows."""

    def __init__(self, rules: Iterable[Rule] | None) -> None:
        if rules is None:
            from msglint import catalog

            rules = catalog.load()
        listed = list(rules)
        self.codes = sorted({r.code.upper() for r in listed})
        self.names = {r.name.lower(): r.code.upper() for r in listed}

    def resolve(self, given: str) -> tuple[str, bool]:
        """(the code or prefix ``given`` stands for, whether a rule has it)."""
        upper = given.upper()
        if any(c.startswith(upper) for c in self.codes):
            return upper, True
        code = self.names.get(given.lower())
        return (code, True) if code else (upper, False)

    def suggest(self, given: str) -> str:
        """``: did you mean `KP101` (producer-acks-not-all)?``, or where to look."""
        tries = [(given.upper(), self.codes), (given.lower(), list(self.names))]
        if "-" in given:  # kebab-case: meant as a name first
            tries.reverse()
        for key, pool in tries:
            close = difflib.get_close_matches(key, pool, n=1, cutoff=0.6)
            if close:
                code = self.names.get(close[0], close[0])
                name = next((n for n, c in self.names.items() if c == code), "")
                return f": did you mean `{code}`" + (f" ({name})?" if name else "?")
        return " (`msglint rules` lists them)"


def _directive(path: str, comment: _Comment, parsed: _Parsed, ids: _Ids) -> Directive:
    codes: list[str] = []
    unknown: dict[str, str] = {}
    for given in parsed.ids:
        code, known = ids.resolve(given)
        codes.append(code)
        if not known:
            unknown[code] = given
    if parsed.verb == "disable-file":
        target = 0
    elif parsed.verb == "disable-next-line" or comment.alone:
        target = comment.after
    else:
        target = comment.line
    return Directive(path, comment.line, comment.column, target, codes, through=target, unknown=unknown)


# --- finding the comments ----------------------------------------------------------------------


def _line_comments(syntax: str, lines: list[str]) -> Iterable[_Comment]:
    """Comments that mention msglint, in the syntaxes whose comments run to the end of a line."""
    markers = _MARKERS.get(syntax, ("#",))
    for number, text in enumerate(lines, 1):
        if "msglint" not in text.lower():
            continue
        for keyword in re.finditer(r"(?i)msglint", text):
            before = text[: keyword.start()].rstrip()
            marker = next((m for m in markers if before.endswith(m)), None)
            if marker is None or _quoted(text, len(before) - len(marker)):
                continue
            start = len(before) - len(marker)
            alone = text[:start].strip() == ""
            if syntax == "properties" and not alone:
                break  # .properties has no trailing comments: `# ...` after a value is part of the value
            yield _Comment(number, start + 1, text[keyword.start() :], alone, number + 1)
            break


def _block_comments(lines: list[str]) -> Iterable[_Comment]:
    """Java and Kotlin comments (``//``, ``/* */``, ``/** */``) outside string literals, per line."""
    state = _State()
    for number, text in enumerate(lines, 1):
        for comment in _comments_in(number, text, state):
            keyword = re.search(r"(?i)msglint", comment.body)
            if keyword is not None:
                yield _Comment(
                    comment.line, comment.column, comment.body[keyword.start() :], comment.alone, comment.after
                )


@dataclass
class _State:
    """What a Java/Kotlin line starts inside of: a block comment (its pieces so far) or a text block."""

    block: list[tuple[int, int, str]] | None = None  # (line, column, text) of the open block comment
    code_before: bool = False  # code before the block comment on its first line
    text_block: bool = False  # inside a """ string


def _comments_in(number: int, text: str, state: _State) -> Iterable[_Comment]:
    at = 0
    while at < len(text):
        if state.text_block:
            end = text.find('"""', at)
            state.text_block, at = end < 0, len(text) if end < 0 else end + 3
        elif state.block is not None:
            end = text.find("*/", at)
            piece = text[at : len(text) if end < 0 else end]
            if at == 0:  # a continuation line: ` * msglint: ...` points at its text
                body = piece.lstrip().lstrip("*").lstrip()
                state.block.append((number, len(piece) - len(body) + 1, body))
            else:
                state.block[-1] = (*state.block[-1][:2], piece.lstrip("*"))
            if end < 0:
                return
            beside = state.code_before or text[end + 2 :].strip() != ""
            yield from (_Comment(line, column, body, not beside, number + 1) for line, column, body in state.block)
            state.block, at = None, end + 2
        else:
            kind, at = _code_until(text, at)
            if kind == "//":
                yield _Comment(number, at + 1, text[at + 2 :], text[:at].strip() == "", number + 1)
                return
            if kind == "/*":
                state.block, state.code_before = [(number, at + 1, "")], text[:at].strip() != ""
                at += 2
            elif kind == '"""':
                state.text_block, at = True, at + 3


def _code_until(text: str, at: int) -> tuple[str, int]:
    """Skip code and one-line string literals from ``at``: what starts where it stops (``//``, ``/*``,
    the triple quote of a text block, or nothing at the end of the line)."""
    while at < len(text):
        if text.startswith(("//", "/*"), at):
            return text[at : at + 2], at
        if text.startswith('"""', at):
            end = text.find('"""', at + 3)
            if end < 0:
                return '"""', at
            at = end + 3
        elif text[at] in "\"'":
            at = _string_end(text, at)
        else:
            at += 1
    return "", at


def _string_end(text: str, at: int) -> int:
    quote, at = text[at], at + 1
    while at < len(text) and text[at] != quote:
        at += 2 if text[at] == "\\" else 1
    return at + 1


def _quoted(text: str, at: int) -> bool:
    """Is ``at`` inside a string literal (an odd number of unescaped double quotes before it)?"""
    before = text[:at].replace("\\\\", "").replace('\\"', "")
    return before.count('"') % 2 == 1


# --- the Kubernetes annotation -----------------------------------------------------------------


def _annotations(path: str, lines: list[str], ids: _Ids) -> Iterable[Directive | Malformed]:
    """``msglint.io/ignore: "KT101: reason"`` in a resource's ``metadata.annotations``: that YAML
    document's lines."""
    start = 1
    for number, text in enumerate(lines, 1):
        if _SEPARATOR.match(text):
            start = number + 1
            continue
        if "msglint.io/" not in text:
            continue
        match = _ANNOTATION_KEY.match(text)
        if match is None:
            continue
        column = len(match.group("indent")) + 1
        if match.group("key") != "ignore":
            yield Malformed(
                path,
                number,
                column,
                f'unknown annotation `msglint.io/{match.group("key")}`: write `{ANNOTATION}: "CODE,CODE: reason"`',
            )
            continue
        if not _under_metadata(lines, number, len(match.group("indent"))):
            yield Malformed(
                path,
                number,
                column,
                f"`{ANNOTATION}` works in the resource's own `metadata.annotations`; here it suppresses nothing",
            )
            continue
        end = next((n for n in range(number + 1, len(lines) + 1) if _SEPARATOR.match(lines[n - 1])), len(lines) + 1)
        yield from _annotation(path, number, column, match.group("value"), (start, end - 1), ids)


def _annotation(
    path: str, line: int, column: int, value: str, lines: tuple[int, int], ids: _Ids
) -> Iterable[Directive | Malformed]:
    text = value.strip()
    if text[:1] in "\"'" and text.endswith(text[:1]) and len(text) > 1:
        text = text[1:-1]
    elif " #" in text:
        text = text[: text.index(" #")]
    listed = text.partition(":")[0]
    given = [i.strip() for i in listed.split(",") if i.strip()]
    if not given or any(not _ID.match(i) for i in given):
        yield Malformed(
            path,
            line,
            column,
            f"`{ANNOTATION}` takes codes or rule names, comma separated, then "
            f'`: reason`: write `{ANNOTATION}: "CODE,CODE: reason"`; `{text.strip()}` is not read',
        )
        return
    comment = _Comment(line, column, "", False, line)
    directive = _directive(path, comment, _Parsed("disable", given), ids)
    directive.target, directive.through, directive.form = lines[0], lines[1], "annotation"
    yield directive


def _under_metadata(lines: list[str], number: int, indent: int) -> bool:
    """Is the key on line ``number`` (at ``indent``) in ``annotations:`` of a top-level ``metadata:``?"""
    wanted = ["annotations", "metadata"]
    for text in reversed(lines[: number - 1]):
        stripped = text.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if _SEPARATOR.match(text):
            return False
        depth = len(text) - len(text.lstrip())
        if depth < indent:
            if stripped.rstrip(":").strip() != wanted[0] or not stripped.endswith(":"):
                return False
            wanted.pop(0)
            if not wanted:
                return depth == 0
            indent = depth
    return False


# --- the pipeline's side -----------------------------------------------------------------------


def scan(
    path: str, syntax: str, lines: list[str], rules: Iterable[Rule] | None = None
) -> tuple[list[Directive], list[Malformed]]:
    """The directives of one file, and the malformed ones (with what to write instead)."""
    ids = _Ids(rules)
    return _scan(path, syntax, lines, ids)


_MENTION = re.compile("msglint", re.IGNORECASE)


def _scan(path: str, syntax: str, lines: list[str], ids: _Ids) -> tuple[list[Directive], list[Malformed]]:
    if not any(_MENTION.search(line) for line in lines):
        return [], []  # most files say nothing to msglint: no need to find their comments
    found: list[Directive] = []
    wrong: list[Malformed] = []
    comments = _block_comments(lines) if syntax in _BLOCK_COMMENTS else _line_comments(syntax, lines)
    for comment in comments:
        parsed = _parse(comment.body)
        if isinstance(parsed, str):
            wrong.append(Malformed(path, comment.line, comment.column, parsed))
        elif parsed is not None:
            directive = _directive(path, comment, parsed, ids)
            if syntax in _BLOCK_COMMENTS and directive.target and directive.target != comment.line:
                _through_annotations(directive, lines)
            found.append(directive)
    if syntax == "yaml":
        for item in _annotations(path, lines, ids):
            if isinstance(item, Directive):
                found.append(item)
            else:
                wrong.append(item)
    for directive in found:
        wrong.extend(
            Malformed(path, directive.line, directive.column, _unknown(g, ids)) for g in directive.unknown.values()
        )
    return found, wrong


def _through_annotations(directive: Directive, lines: list[str]) -> None:
    """Above ``@KafkaListener(...)``: down to the method it annotates."""
    through = directive.target
    while through <= len(lines) and lines[through - 1].lstrip().startswith("@"):
        through += 1
    directive.through = through


def _unknown(given: str, ids: _Ids) -> str:
    return f"`{given}` is not a rule code, prefix or name, so this suppression does not cover it{ids.suggest(given)}"


def directives(path: str, syntax: str, lines: list[str]) -> list[Directive]:
    return scan(path, syntax, lines)[0]


def apply(
    findings: list[Finding],
    sources: Iterable[tuple[str, str, list[str]]],
    judged: Callable[[str, str], bool],
    rules: Sequence[Rule] | None = None,
) -> tuple[list[Finding], list[Directive]]:
    """(the findings no directive covers, plus the malformed-directive findings (MSG005) where that
    rule is judged; the directives' codes that covered nothing and can be judged).

    ``sources``: (path, syntax, lines) of the files read; ``judged(code, path)``: was that code run
    there, so that its silence means something? ``rules``: every rule of the run (the catalog's by
    default), against which ids and names are resolved."""
    ids = _Ids(rules)
    by_path: dict[str, list[Directive]] = {}
    malformed: list[Malformed] = []
    for path, syntax, lines in sources:
        listed, wrong = _scan(path, syntax, lines, ids)
        if listed:
            by_path[path] = listed
        malformed.extend(m for m in wrong if judged(MALFORMED, m.path))
    kept: list[Finding] = [f for f in findings if not _covered(f, by_path.get(f.path, ()))]
    kept.extend(finding(m, rules) for m in malformed)
    unused = [d for listed in by_path.values() for d in listed if _idle(d, judged)]
    return kept, unused


def _covered(finding: Finding, listed: Iterable[Directive]) -> bool:
    covering = False
    for directive in listed:
        code = directive.covers(finding)
        if code is not None:
            directive.used.add(code)
            covering = True
    return covering


def _idle(directive: Directive, judged: Callable[[str, str], bool]) -> list[str]:
    """The codes of ``directive`` that covered nothing where they were run; an unknown id is MSG005's
    when that rule runs there."""
    reported = judged(MALFORMED, directive.path)
    return [
        c
        for c in directive.codes
        if c not in directive.used and judged(c, directive.path) and not (reported and c in directive.unknown)
    ]


def finding(malformed: Malformed, rules: Sequence[Rule] | None = None) -> Finding:
    """The MSG005 finding for a malformed directive."""
    from msglint import catalog

    rule = next((r for r in rules or () if r.code == MALFORMED), None) or catalog.by_code()[MALFORMED]
    where = Span(malformed.line, malformed.column, malformed.line, malformed.column)
    return Finding(rule.code, rule.name, rule.severity, malformed.path, where, malformed.message)


def unused_message(directive: Directive, judged: Callable[[str, str], bool]) -> str:
    idle = ",".join(_idle(directive, judged))
    if directive.form == "annotation":
        return (
            f"`{ANNOTATION}: {idle}` suppresses nothing in this resource (lines {directive.target}-"
            f"{directive.through}): the finding it was written for is gone (or the code is misspelt); remove it "
            "so it cannot hide a new one"
        )
    where = "this file" if directive.target == 0 else f"line {directive.target}"
    return (
        f"`msglint: disable={idle}` suppresses nothing on {where}: the finding it was written "
        "for is gone (or the code is misspelt); remove it so it cannot hide a new one"
    )


def span(directive: Directive) -> Span:
    return Span(directive.line, directive.column, directive.line, directive.column)
