"""Hypothesis strategies for msglint's inputs: real files, mutated with their structure in mind.

Every sample starts from a seed (a file under ``fixtures/`` or a file of a rule's catalog example),
read as discovery reads it when the file is named on the command line. A few mutations are applied
to its text: lines deleted, duplicated, swapped, moved, re-indented, grafted from another seed of
the same syntax, repeated with distinct keys; a value replaced by an edge value (huge digit
strings, negative numbers, empty, unicode, templates, very long strings, control characters,
quotes); a value nested deeply in the syntax's own brackets or blocks; a YAML alias ladder; a
truncation. Then the text is encoded (UTF-8, with a BOM, UTF-16/32, Latin-1), its line endings may
change (CRLF, CR) and some byte noise (invalid UTF-8, lone surrogates, NUL, BOMs) may be added.
"""

from __future__ import annotations

import functools
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"


@dataclass(frozen=True)
class Seed:
    origin: str  # fixtures/... or rules:CODE#n
    relative: str  # where the file sits in its project: src/main/resources/application.yml
    kind: str  # as discovery classifies the file when it is named
    syntax: str  # the reader that parses it
    text: str

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Sample:
    """A generated file: where it goes, what it is read as, its bytes and how it was made."""

    relative: str
    kind: str
    syntax: str
    data: bytes
    steps: tuple[str, ...] = field(default=())

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]

    def __repr__(self) -> str:  # the bytes may be 100 KB: show how the sample was made, and its start
        head = self.data[:160]
        more = f" ...({len(self.data)} bytes)" if len(self.data) > len(head) else ""
        return f"Sample({self.relative!r} as {self.kind}/{self.syntax}, steps={list(self.steps)}, data={head!r}{more})"


def _classified(files: list[tuple[str, str, str]]) -> list[Seed]:
    """Seeds for (origin, relative path, text): each file written alone and named to discovery."""
    from msglint.discover import discover

    seeds = []
    with tempfile.TemporaryDirectory() as tmp:
        for number, (origin, relative, text) in enumerate(files):
            path = Path(tmp, str(number), relative)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            named = [c for c in discover([path]) if c.explicit]
            if named:
                seeds.append(Seed(origin, relative, named[0].kind, named[0].syntax, text))
    return seeds


def _project_relative(path: Path) -> str:
    """The path below a fixture's bad/ or good/ directory: a Spring file keeps src/main/resources."""
    parts = path.relative_to(FIXTURES).parts
    for marker in ("bad", "good"):
        if marker in parts:
            return "/".join(parts[parts.index(marker) + 1 :])
    return path.name


@functools.cache
def seeds() -> tuple[Seed, ...]:
    from msglint import catalog

    files = []
    for path in sorted(FIXTURES.rglob("*")):
        if path.is_file():
            data = path.read_bytes()
            text = data.decode("utf-8", errors="replace") if b"\x00" not in data else ""
            files.append((path.relative_to(ROOT).as_posix(), _project_relative(path), text))
    for rule in catalog.load():
        for number, example in enumerate(rule.examples):
            for file in example["files"]:
                files.append((f"rules:{rule.code}#{number}", file["path"], file["content"]))
    return tuple(_classified(files))


@functools.cache
def by_syntax() -> dict[str, tuple[Seed, ...]]:
    table: dict[str, list[Seed]] = {}
    for seed in seeds():
        table.setdefault(seed.syntax, []).append(seed)
    return {syntax: tuple(group) for syntax, group in sorted(table.items())}


# every reader documents.read knows (kept literal: parametrized test ids are collected before seeds)
SYNTAXES = ("build", "conf", "java", "json", "natsconf", "properties", "python", "redisconf", "shell", "text", "yaml")

# -- edge values -------------------------------------------------------------------------------

_HUGE = st.sampled_from([20, 40, 309, 400, 4300, 5000]).map(lambda n: "9" * n)
EDGE_VALUES = st.one_of(
    _HUGE,
    _HUGE.map(lambda s: "-" + s),
    _HUGE.map(lambda s: "1" + s + "Gi"),
    _HUGE.map(lambda s: "0." + s),
    st.sampled_from(
        [
            "",
            "0",
            "-1",
            "-0",
            "2147483647",
            "2147483648",
            "-2147483649",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775809",
            "18446744073709551616",
            "1e308",
            "1e309",
            "1e-400",
            "-1e400",
            "nan",
            "NaN",
            "inf",
            "-Infinity",
            "0x7fffffff",
            "0o777",
            "1_000",
            "1.5.5",
            "10GB",
            "1e400MB",
            "0.9999999999999999999999",
            "true",
            "null",
            "~",
            "yes",
            "{{ x }}",
            "{{ .Values.kafka.acks }}",
            '{{- include "x" . -}}',
            "{% if a %}b{% endif %}",
            "${x}",
            "${ENV_VAR:-1}",
            "${a${b}}",
            "$(date)",
            "%{x}",
            "#{x}",
            "é",
            "☃",
            "\U0001d518",
            "\u202e",
            "\ufeff",
            "\u2028",
            "\u0085",
            "\ufffe",
            "\uffff",
            "e\u0301\u0301\u0301",
            "\x00",
            "\x1b[31mred\x1b[0m",
            "\x1b]8;;http://example.com\x07link\x1b]8;;\x07",
            "\x07",
            "\x08",
            "\x7f",
            "\x9b2J",
            "\r",
            "\t",
            "'",
            '"',
            "\\",
            "\\u",
            "\\uZZZZ",
            "\\\n",
            "- ",
            ": ",
            "#",
            "&a",
            "*a",
            "!!python/object:os.system",
            "<<: *a",
            "[",
            "{",
            "}",
            "]",
            "=",
            ";",
            "include ./x.conf",
            "$include",
        ]
    ),
    st.integers(min_value=1, max_value=200_000).map(lambda n: "a" * n),
    st.integers(min_value=1, max_value=20_000).map(lambda n: "a," * n),
    st.text(min_size=1, max_size=40),
)

# bytes no text encoding produces on its own: invalid UTF-8, surrogates as bytes, BOMs, NUL
EDGE_BYTES = st.sampled_from(
    [
        b"\x00",
        b"\xff",
        b"\x80",
        b"\xc0\x80",
        b"\xed\xa0\x80",  # a lone high surrogate, encoded as UTF-8 would if it could
        b"\xed\xbf\xbf",
        b"\xf4\x90\x80\x80",  # above U+10FFFF
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xfe\xff",
        b"\r",
        b"\r\n",
        b"\x1a",
        b"\x1b[2J",
    ]
)

# -- where a syntax keeps its values -----------------------------------------------------------

_QUOTED = r"\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'"
_NUMBER = r"(?<![\w.])-?\d[\d_.]*(?:[eE][+-]?\d+)?[A-Za-z]{0,3}(?![\w.])"
_VALUE_SLOTS = {
    "properties": re.compile(r"(?m)^[ \t]*[^#!\s=:][^=:\n]*?[ \t]*[=:][ \t]*(?P<v>[^\n]+)$"),
    "conf": re.compile(r"(?m)^[ \t]*[^#\s=]+[ \t]*=[ \t]*(?P<v>[^\n]+)$"),
    "redisconf": re.compile(r"(?m)^[ \t]*[a-z][\w-]*[ \t]+(?P<v>[^\n]+)$"),
    "natsconf": re.compile(
        rf"(?m)(?:^[ \t]*[\w\"'.-]+[ \t]*(?:[:=][ \t]*|[ \t]+)(?P<v>[^\s{{\[#][^\n#]*))|(?P<q>{_QUOTED})"
    ),
    "yaml": re.compile(r"(?m)^[ \t]*(?:-[ \t]+)?[^#:\n]+:[ \t]+(?P<v>[^\n#]+)|^[ \t]*-[ \t]+(?P<i>[^\n:#]+)$"),
    "json": re.compile(rf"(?P<v>{_QUOTED}|{_NUMBER}|\btrue\b|\bfalse\b|\bnull\b)"),
    "python": re.compile(rf"(?P<v>{_QUOTED}|{_NUMBER}|\bTrue\b|\bFalse\b|\bNone\b)"),
    "java": re.compile(rf"(?P<v>{_QUOTED}|{_NUMBER}|\btrue\b|\bfalse\b|\bnull\b)"),
    "shell": re.compile(rf"(?P<v>{_QUOTED}|(?<==)[^\s'\"]+|(?<=\s)-?\d+\b)"),
    "text": re.compile(r"\{\s*\w+\s*,\s*(?P<v>[^{}\n]+?)\s*\}"),
}

# how a value is nested ``depth`` deep in each syntax: (opening, closing) repeated around it
_NESTINGS = {
    "yaml": [("[", "]"), ("{a: ", "}"), ("- ", "")],
    "json": [("[", "]"), ('{"a": ', "}")],
    "python": [("(", ")"), ("[", "]"), ("{'a': ", "}"), ("f(", ")"), ("-", ""), ("not ", "")],
    "java": [("(", ")"), ("new int[][]{", "}"), ("f(", ")"), ("-", ""), ("!", "")],
    "natsconf": [("a {", "}"), ("[", "]"), ("{", "}")],
    "shell": [("$(", ")"), ('\'{"a":', "}'"), ('"[', ']"'), ("{", "}")],
    "text": [("{", "}"), ("[", "]")],
    "properties": [("[", "]"), ("{", "}"), ("\\\n ", "")],
    "conf": [("[", "]"), ("{", "}")],
    "redisconf": [('"', '"'), ("'", "'")],
    "build": [("<a>", "</a>"), ("[", "]"), ("{", "}"), ("(", ")")],
}
# block nesting, one line per level: (line at a level, indentation per level)
_BLOCKS = {
    "yaml": ("k{n}:", " "),
    "python": ("if x{n}:", " "),
    "natsconf": ("b{n} {{", " "),
    "java": ("{{", ""),
    "text": ("{{a{n},", ""),
}

MAX_CHARS = 1_000_000

DEPTHS = st.one_of(
    st.integers(min_value=1, max_value=64),
    st.integers(min_value=64, max_value=2048),
    st.sampled_from([1000, 1500, 5000, 30_000]),
)


def _slots(syntax: str, text: str) -> list[tuple[int, int]]:
    pattern = _VALUE_SLOTS.get(syntax)
    if pattern is None:
        return []
    found = []
    for match in pattern.finditer(text):
        found.extend(match.span(g) for g in pattern.groupindex if match.group(g) is not None)
    return found


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


def _key_of(line: str) -> tuple[int, int] | None:
    """Where a line's key is: ``key=`` / ``key:`` / ``"key":`` / ``key {``."""
    match = re.match(r"^[ \t]*(?:-[ \t]+)?[\"']?([\w.\-\[\]]+)[\"']?[ \t]*[=:{ ]", line)
    return (match.start(1), match.end(1)) if match else None


# -- mutations on the text ---------------------------------------------------------------------


# values and nesting reach deepest into a reader: they are drawn three times as often as line edits
_OPERATIONS = (
    "value",
    "value",
    "value",
    "deepen",
    "deepen",
    "deepen",
    "delete",
    "duplicate",
    "swap",
    "move",
    "graft",
    "reindent",
    "repeat",
    "keys",
    "insert",
    "join",
    "truncate",
    "block",
    "aliases",
    "long-line",
)


@functools.cache
def _operations(syntax: str) -> tuple[str, ...]:
    """The mutations that mean something in ``syntax``: block nesting where blocks nest, aliases in YAML."""
    return tuple(
        op for op in _OPERATIONS if (op != "block" or syntax in _BLOCKS) and (op != "aliases" or syntax == "yaml")
    )


@st.composite
def _mutate_text(draw: st.DrawFn, seed: Seed, text: str) -> tuple[str, str]:
    """One structural mutation of ``text``; returns the new text and what was done."""
    lines = text.splitlines(keepends=True) or [""]
    n = len(lines)
    op = draw(st.sampled_from(_operations(seed.syntax)))
    line = draw(st.integers(min_value=0, max_value=n - 1))
    if op == "value" or op == "deepen":
        slots = _slots(seed.syntax, text)
        if not slots:
            position = draw(st.integers(min_value=0, max_value=len(text)))
            slots = [(position, position)]
        start, end = draw(st.sampled_from(slots))
        if op == "value":
            edge = draw(EDGE_VALUES)
            if draw(st.booleans()) and seed.syntax in ("json", "python", "java", "yaml", "natsconf", "shell"):
                quote = '"' if seed.syntax in ("json", "java") else draw(st.sampled_from(['"', "'"]))
                edge = quote + edge + quote
            return text[:start] + edge + text[end:], f"value@{start}={edge[:40]!r}{'...' if len(edge) > 40 else ''}"
        depth = draw(DEPTHS)
        opening, closing = draw(st.sampled_from(_NESTINGS[seed.syntax]))
        middle = text[start:end] or "1"
        return text[:start] + opening * depth + middle + closing * depth + text[
            end:
        ], f"deepen@{start}x{depth}{opening!r}"
    if op == "delete":
        count = draw(st.integers(min_value=1, max_value=max(1, n - line)))
        return "".join(lines[:line] + lines[line + count :]), f"delete {count} lines @{line}"
    if op == "duplicate":
        times = draw(st.integers(min_value=1, max_value=5))
        return "".join(lines[: line + 1] + [lines[line]] * times + lines[line + 1 :]), f"duplicate line {line} x{times}"
    if op in ("swap", "move"):
        other = draw(st.integers(min_value=0, max_value=n - 1))
        if op == "swap":
            lines[line], lines[other] = lines[other], lines[line]
        else:
            lines.insert(other, lines.pop(line))
        return "".join(lines), f"{op} lines {line},{other}"
    if op == "graft":
        donor = draw(st.sampled_from(by_syntax()[seed.syntax]))
        donor_lines = donor.text.splitlines(keepends=True) or [""]
        first = draw(st.integers(min_value=0, max_value=len(donor_lines) - 1))
        count = draw(st.integers(min_value=1, max_value=8))
        piece = donor_lines[first : first + count]
        return "".join(lines[:line] + piece + lines[line:]), f"graft {donor.origin}:{first}+{count} @{line}"
    if op == "reindent":
        width = draw(st.integers(min_value=0, max_value=12))
        body = lines[line].lstrip(" \t")
        indent = draw(st.sampled_from([" ", "\t"])) * width
        lines[line] = indent + body
        return "".join(lines), f"reindent line {line} to {width}"
    if op == "repeat":
        last = draw(st.integers(min_value=line, max_value=min(n - 1, line + 10)))
        times = draw(st.integers(min_value=2, max_value=50))
        block = lines[line : last + 1]
        if block and not block[-1].endswith(("\n", "\r")):
            block[-1] += "\n"
        return "".join(lines[:line] + block * times + lines[last + 1 :]), f"repeat lines {line}-{last} x{times}"
    if op == "keys":
        # the same line many times with distinct keys: k0.acks=1, k1.acks=1, ...
        times = draw(st.integers(min_value=2, max_value=3000))
        where = _key_of(lines[line])
        if where is None:
            return text, "keys (no key)"
        start, _ = where
        row = lines[line] if lines[line].endswith(("\n", "\r")) else lines[line] + "\n"
        many = [row[:start] + f"k{i}_" + row[start:] for i in range(times)]
        return "".join(lines[: line + 1] + many + lines[line + 1 :]), f"keys line {line} x{times}"
    if op == "insert":
        edge = draw(EDGE_VALUES)
        position = draw(st.integers(min_value=0, max_value=len(text)))
        return text[:position] + edge + text[position:], f"insert@{position} {edge[:40]!r}"
    if op == "join":
        if line + 1 >= n:
            return text, "join (last line)"
        lines[line] = lines[line].rstrip("\r\n") + draw(st.sampled_from(["", " ", ",", ";", "\\"])) + lines[line + 1]
        del lines[line + 1]
        return "".join(lines), f"join line {line}"
    if op == "truncate":
        position = draw(st.integers(min_value=0, max_value=len(text)))
        return text[:position], f"truncate@{position}"
    if op == "block":
        pattern, step = _BLOCKS[seed.syntax]
        depth = draw(st.integers(min_value=1, max_value=1000))  # block nesting grows as depth squared
        base = _indent(lines[line])
        closers = {"natsconf": "}", "java": "}", "text": "}"}.get(seed.syntax, "")
        opened = [" " * base + step * i + pattern.format(n=i) + "\n" for i in range(depth)]
        inner = " " * base + step * depth + ("x = 1\n" if seed.syntax == "python" else "k: v\n")
        shut = [closers + "\n"] * depth if closers else []
        return "".join(lines[:line] + opened + [inner] + shut + lines[line:]), f"block@{line}x{depth}"
    if op == "aliases":
        width = draw(st.integers(min_value=1, max_value=4))
        depth = draw(st.integers(min_value=1, max_value=12))
        ladder = [f"a0: &a0 [{', '.join(['x'] * width)}]\n"]
        for level in range(1, depth + 1):
            body = ", ".join(f"k{k}: *a{level - 1}" for k in range(width))
            ladder.append(f"a{level}: &a{level} {{{body}}}\n")
        if draw(st.booleans()):
            ladder.append(f"merged:\n  <<: *a{depth}\n")
        at = draw(st.sampled_from([0, n]))
        return "".join(lines[:at] + ladder + lines[at:]), f"aliases {width}^{depth} @{at}"
    # long-line: one line padded with spaces, then a comment or a value
    width = draw(st.integers(min_value=1, max_value=100_000))
    tail = draw(st.sampled_from(["#", "# x", "=", ":", "x", "\\"]))
    lines[line] = lines[line].rstrip("\r\n") + " " * width + tail + "\n"
    return "".join(lines), f"long line {line}: {width} spaces + {tail!r}"


_ENCODINGS = ["utf-8"] * 25 + ["utf-8-sig", "utf-16", "utf-16-le", "utf-32", "latin-1"]


@st.composite
def _encode(draw: st.DrawFn, text: str) -> tuple[bytes, list[str]]:
    steps = []
    newline = draw(st.sampled_from(["keep"] * 6 + ["crlf", "cr", "mixed"]))
    if newline != "keep":
        steps.append(newline)
        body = text.replace("\r\n", "\n")
        if newline == "crlf":
            text = body.replace("\n", "\r\n")
        elif newline == "cr":
            text = body.replace("\n", "\r")
        else:
            text = "".join(line + ("\r\n" if i % 2 else "\r") for i, line in enumerate(body.split("\n")))
    encoding = draw(st.sampled_from(_ENCODINGS))
    if encoding != "utf-8":
        steps.append(encoding)
    data = text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")
    for _ in range(draw(st.sampled_from([0] * 9 + [1, 2, 3]))):  # most samples keep their encoding valid
        position = draw(st.integers(min_value=0, max_value=len(data)))
        what = draw(st.sampled_from(["insert", "replace", "delete", "truncate"]))
        piece = draw(st.one_of(EDGE_BYTES, st.binary(min_size=1, max_size=4)))
        if what == "insert":
            data = data[:position] + piece + data[position:]
        elif what == "replace":
            data = data[:position] + piece + data[position + len(piece) :]
        elif what == "delete":
            data = data[:position] + data[position + 1 :]
        else:
            data = data[:position]
        steps.append(
            f"bytes {what}@{position} {piece!r}" if what in ("insert", "replace") else f"bytes {what}@{position}"
        )
    return data, steps


@st.composite
def samples(draw: st.DrawFn, syntax: str | None = None, mutations: int = 4, reread: bool = False) -> Sample:
    """A mutated seed (of ``syntax``, else any). With ``reread``, the sample may be handed to
    another syntax's reader than its own (JSON read as a NATS server config, ...)."""
    pool = by_syntax()[syntax] if syntax is not None else seeds()
    seed = draw(st.sampled_from(pool))
    text = seed.text
    steps = [seed.origin]
    for _ in range(draw(st.integers(min_value=0, max_value=mutations))):
        text, step = draw(_mutate_text(seed, text))
        steps.append(step)
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS]  # files this large are a benchmark's business (benchmarks/hostile.py)
        steps.append(f"capped at {MAX_CHARS}")
    data, encoded = draw(_encode(text))
    steps.extend(encoded)
    target = seed.syntax
    if reread and draw(st.integers(min_value=0, max_value=9)) == 0:
        target = draw(st.sampled_from(SYNTAXES))
        steps.append(f"read as {target}")
    return Sample(seed.relative, seed.kind, target, data, tuple(steps))
