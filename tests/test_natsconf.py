"""The nats-server.conf reader: grammar, tags, variables, include, positions, errors, and no crash."""

from __future__ import annotations

import random

import pytest

from msglint.model import Span
from msglint.readers import ParseError
from msglint.readers.natsconf import parse
from msglint.readers.tree import Mapping, Node, Scalar, Sequence

CLUSTER_NODE = """\
# NATS cluster node
server_name: n1
port: 4222
jetstream {
  store_dir: "/data/jetstream"
  max_memory_store: 1GB
  max_file_store = 100GB
}
cluster {
  name: c1
  listen: 0.0.0.0:6222
  routes: [
    nats://n1:6222
    nats://n2:6222
    nats://n3:6222
  ]
}
"""


def plain(node: Node) -> object:
    """The tree as Python values, to compare structure at a glance."""
    if isinstance(node, Mapping):
        return [(k.value, plain(v)) for k, v in node.items]
    if isinstance(node, Sequence):
        return [plain(item) for item in node.items]
    assert isinstance(node, Scalar)
    return node.value


def scalar(node: Node | None) -> Scalar:
    assert isinstance(node, Scalar)
    return node


def mapping(node: Node | None) -> Mapping:
    assert isinstance(node, Mapping)
    return node


def sequence(node: Node | None) -> Sequence:
    assert isinstance(node, Sequence)
    return node


def error_at(text: str) -> tuple[int, int]:
    with pytest.raises(ParseError) as info:
        parse(text)
    return info.value.line, info.value.column


class TestSyntax:
    @pytest.mark.parametrize("text", ["port: 4222", "port = 4222", "port 4222", "port:4222", "port=4222", "port\t4222"])
    def test_every_separator(self, text: str) -> None:
        top = parse(text + "\n")
        assert plain(top) == [("port", "4222")]
        assert scalar(top.get("port")).tag == "int"

    @pytest.mark.parametrize("separator", ["", ":", " :", " =", "="])
    def test_blocks_with_and_without_separator(self, separator: str) -> None:
        top = parse(f"authorization{separator} {{\n  user: a\n  timeout 2\n}}\n")
        assert plain(top) == [("authorization", [("user", "a"), ("timeout", "2")])]

    def test_nested_blocks(self) -> None:
        top = parse("a {\n  b: {\n    c {\n      d = 1\n    }\n  }\n}\n")
        assert plain(top) == [("a", [("b", [("c", [("d", "1")])])])]

    def test_brace_on_the_next_line_when_there_is_no_separator(self) -> None:
        top = parse("cluster\n{\n  name: c1\n}\n")
        assert plain(top) == [("cluster", [("name", "c1")])]

    def test_file_wrapped_in_braces(self) -> None:
        top = parse("{\n  port: 4222\n  http: 8222\n}\n")
        assert plain(top) == [("port", "4222"), ("http", "8222")]
        assert top.span == Span(1, 1, 5, 1)

    def test_entries_separated_by_commas_and_semicolons(self) -> None:
        top = parse("a: 1, b: 2; c: 3;\nd { e: 4, f: 5 }\n")
        assert plain(top) == [("a", "1"), ("b", "2"), ("c", "3"), ("d", [("e", "4"), ("f", "5")])]
        assert mapping(top.get("d")).flow

    def test_arrays_with_commas_newlines_and_nesting(self) -> None:
        text = "a: [1, 2, 3]\nb [\n  x\n  y,\n  z,\n]\nc: [[1, 2], [], {k: v, w: [3]}]\n"
        top = parse(text)
        assert plain(top) == [
            ("a", ["1", "2", "3"]),
            ("b", ["x", "y", "z"]),
            ("c", [["1", "2"], [], [("k", "v"), ("w", ["3"])]]),
        ]
        assert sequence(top.get("a")).flow
        assert not sequence(top.get("b")).flow

    def test_array_of_blocks_on_their_own_lines(self) -> None:
        text = "users = [\n  {user: a, password: x}\n  {user: b, password: y}  # second\n]\n"
        assert plain(parse(text)) == [
            ("users", [[("user", "a"), ("password", "x")], [("user", "b"), ("password", "y")]])
        ]

    def test_both_comment_styles(self) -> None:
        text = (
            "# hash\n// slashes\nport: 4222 # trailing\nhttp: 8222 // trailing\n"
            "a [\n  1 # in an array\n  // alone\n  2\n]\n"
        )
        assert plain(parse(text)) == [("port", "4222"), ("http", "8222"), ("a", ["1", "2"])]

    def test_comment_like_text_in_strings_and_urls(self) -> None:
        text = "a: \"x # y // z\"\nb: 'p // q # r'\nc: nats://host:4222\nd: pass#word\n"
        assert plain(parse(text)) == [
            ("a", "x # y // z"),
            ("b", "p // q # r"),
            ("c", "nats://host:4222"),
            ("d", "pass#word"),
        ]

    def test_quoted_keys(self) -> None:
        top = parse('"my key": 1\n\'other key\' = 2\n"spaced" 3\n')
        assert plain(top) == [("my key", "1"), ("other key", "2"), ("spaced", "3")]
        key = top.items[0][0]
        assert key.quoted
        assert key.span == Span(1, 1, 1, 9)

    def test_key_characters(self) -> None:
        assert plain(parse("max-payload.v_2: 1\n")) == [("max-payload.v_2", "1")]

    def test_duplicate_keys_are_all_kept(self) -> None:
        top = parse("port: 1\nport: 2\n")
        assert plain(top) == [("port", "1"), ("port", "2")]

    def test_empty_and_comment_only_files(self) -> None:
        assert parse("").items == []
        assert parse("# nothing\n\n// here\n").items == []
        assert parse("").span == Span(1, 1, 1, 1)

    def test_windows_line_endings(self) -> None:
        top = parse("a: 1\r\nb {\r\n  c: 2\r\n}\r\n")
        assert plain(top) == [("a", "1"), ("b", [("c", "2")])]
        c_key = mapping(top.get("b")).items[0][0]
        assert (c_key.span.line, c_key.span.column) == (3, 3)


class TestValues:
    def test_booleans_in_every_spelling(self) -> None:
        top = parse('a: true\nb: FALSE\nc: yes\nd: No\ne: on\nf: off\ng: "true"\n')
        tags = [scalar(v).tag for _, v in top.items]
        assert tags == ["bool"] * 6 + ["str"]
        assert scalar(top.get("b")).value == "FALSE"  # the text as written

    def test_numbers(self) -> None:
        top = parse('a: 4222\nb: -1\nc: 0.75\nd: "4222"\ne: 1.2.3\n')
        assert [(scalar(v).value, scalar(v).tag) for _, v in top.items] == [
            ("4222", "int"),
            ("-1", "int"),
            ("0.75", "float"),
            ("4222", "str"),
            ("1.2.3", "str"),
        ]

    def test_sizes_durations_and_addresses_stay_text(self) -> None:
        top = parse("a: 1GB\nb: 64MB\nc: 10s\nd: 2m\ne: 0.0.0.0:4222\nf: localhost\n")
        assert [(scalar(v).value, scalar(v).tag) for _, v in top.items] == [
            ("1GB", "str"),
            ("64MB", "str"),
            ("10s", "str"),
            ("2m", "str"),
            ("0.0.0.0:4222", "str"),
            ("localhost", "str"),
        ]

    def test_quoted_strings_and_escapes(self) -> None:
        top = parse('a: "tab\\there \\"q\\" \\\\ \\x41\\xc3\\xa9"\nb: \'raw \\n kept\'\n')
        a, b = scalar(top.get("a")), scalar(top.get("b"))
        assert a.value == 'tab\there "q" \\ Aé'
        assert a.quoted and a.tag == "str"
        assert b.value == "raw \\n kept"

    def test_text_block(self) -> None:
        top = parse("jwt: (\nline one\nline two\n)\nport: 1\n")
        jwt = scalar(top.get("jwt"))
        assert jwt.block
        assert jwt.value == "\nline one\nline two"
        assert jwt.span == Span(1, 6, 4, 2)
        assert plain(top)[1] == ("port", "1")

    def test_bcrypt_hash_is_text(self) -> None:
        top = parse("password: $2a$11$W2zko751KUvVy59mUTWmpOdWjpEm5qhcCZRd05GjI/sSOT.xtiHyG\n")
        assert scalar(top.get("password")).value.startswith("$2a$11$")


class TestVariables:
    def test_defined_variable_is_substituted_with_the_reference_span(self) -> None:
        top = parse("TOKEN = 's3cr3t'\nauthorization {\n  token: $TOKEN\n}\n")
        token = scalar(mapping(top.get("authorization")).get("token"))
        assert token.value == "s3cr3t"
        assert token.quoted
        assert token.span == Span(3, 10, 3, 16)

    def test_variable_keeps_the_tag_of_its_value(self) -> None:
        top = parse("LIMIT: 1024\nmax_payload: $LIMIT\nlimits: [$LIMIT, 2]\n")
        assert scalar(top.get("max_payload")).tag == "int"
        assert plain(top.get("limits") or Sequence(Span.point(1))) == ["1024", "2"]

    def test_variable_holding_a_block(self) -> None:
        top = parse("DEFAULT { max: 1 }\na: $DEFAULT\n")
        a = mapping(top.get("a"))
        assert plain(a) == [("max", "1")]
        assert a.span == Span(2, 4, 2, 12)
        assert a.items is not mapping(top.get("DEFAULT")).items

    def test_block_scoped_variable_and_last_definition_wins(self) -> None:
        top = parse("x: 1\nx: 2\nb {\n  x: 3\n  y: $x\n}\nz: $x\n")
        assert scalar(mapping(top.get("b")).get("y")).value == "3"
        assert scalar(top.items[-1][1]).value == "2"

    def test_undefined_variable_is_kept_as_unknown_text(self) -> None:
        # nats-server looks it up in its environment, or it comes from an include this reader does not follow
        value = scalar(parse("a: 1\nb: $nothing\n").get("b"))
        assert (value.value, value.quoted) == ("$nothing", False)

    def test_variable_defined_later_is_not_the_later_value(self) -> None:
        assert scalar(parse("a: $b\nb: 1\n").get("a")).value == "$b"

    def test_undefined_environment_style_variable_is_kept_as_text(self) -> None:
        top = parse("store_dir: $NATS_STORE_DIR\n")
        value = scalar(top.get("store_dir"))
        assert (value.value, value.tag, value.quoted) == ("$NATS_STORE_DIR", "str", False)
        assert value.span == Span(1, 12, 1, 27)

    def test_quoted_dollar_is_not_a_reference(self) -> None:
        assert scalar(parse('a: "$nothing"\n').get("a")).value == "$nothing"


class TestInclude:
    @pytest.mark.parametrize(
        ("text", "path", "quoted"),
        [
            ("include ./other.conf\n", "./other.conf", False),
            ('include "x.conf"\n', "x.conf", True),
            ("include 'auth/users.conf'\n", "auth/users.conf", True),
            ("INCLUDE  a.conf # the accounts\n", "a.conf", False),
        ],
    )
    def test_include_is_an_entry(self, text: str, path: str, quoted: bool) -> None:
        ((key, value),) = parse(text).items
        assert key.value == "include"
        assert (scalar(value).value, scalar(value).quoted) == (path, quoted)

    def test_include_inside_a_block_with_positions(self) -> None:
        top = parse("accounts {\n  include ./accounts.conf\n}\nport: 1\n")
        ((key, value),) = mapping(top.get("accounts")).items
        assert key.span == Span(2, 3, 2, 10)
        assert value.span == Span(2, 11, 2, 26)
        assert plain(top)[1] == ("port", "1")

    def test_include_does_not_substitute(self) -> None:
        assert scalar(parse("include $X.conf\n").items[0][1]).value == "$X.conf"

    def test_include_without_path(self) -> None:
        assert error_at("include \n") == (1, 9)


class TestPositions:
    def test_realistic_cluster_node(self) -> None:
        top = parse(CLUSTER_NODE)
        assert top.span == Span(1, 1, 18, 1)
        keys = {k.value: k for k, _ in top.items}
        assert keys["server_name"].span == Span(2, 1, 2, 12)
        assert scalar(top.get("server_name")).span == Span(2, 14, 2, 16)
        assert keys["port"].span == Span(3, 1, 3, 5)
        port = scalar(top.get("port"))
        assert (port.span, port.value, port.tag) == (Span(3, 7, 3, 11), "4222", "int")

        assert keys["jetstream"].span == Span(4, 1, 4, 10)
        js = mapping(top.get("jetstream"))
        assert js.span == Span(4, 11, 8, 2)
        assert not js.flow
        js_keys = {k.value: k for k, _ in js.items}
        assert js_keys["store_dir"].span == Span(5, 3, 5, 12)
        store_dir = scalar(js.get("store_dir"))
        assert (store_dir.span, store_dir.value, store_dir.quoted) == (Span(5, 14, 5, 31), "/data/jetstream", True)
        assert js_keys["max_memory_store"].span == Span(6, 3, 6, 19)
        mem = scalar(js.get("max_memory_store"))
        assert (mem.span, mem.value, mem.tag) == (Span(6, 21, 6, 24), "1GB", "str")
        assert js_keys["max_file_store"].span == Span(7, 3, 7, 17)
        assert scalar(js.get("max_file_store")).span == Span(7, 20, 7, 25)

        assert keys["cluster"].span == Span(9, 1, 9, 8)
        cluster = mapping(top.get("cluster"))
        assert cluster.span == Span(9, 9, 17, 2)
        c_keys = {k.value: k for k, _ in cluster.items}
        assert c_keys["name"].span == Span(10, 3, 10, 7)
        assert scalar(cluster.get("name")).span == Span(10, 9, 10, 11)
        assert c_keys["listen"].span == Span(11, 3, 11, 9)
        listen = scalar(cluster.get("listen"))
        assert (listen.span, listen.value) == (Span(11, 11, 11, 23), "0.0.0.0:6222")
        assert c_keys["routes"].span == Span(12, 3, 12, 9)
        routes = sequence(cluster.get("routes"))
        assert routes.span == Span(12, 11, 16, 4)
        assert [(r.span, plain(r)) for r in routes.items] == [
            (Span(13, 5, 13, 19), "nats://n1:6222"),
            (Span(14, 5, 14, 19), "nats://n2:6222"),
            (Span(15, 5, 15, 19), "nats://n3:6222"),
        ]

    def test_multi_line_string_span(self) -> None:
        value = scalar(parse('a: "one\ntwo"\n').get("a"))
        assert value.value == "one\ntwo"
        assert value.span == Span(1, 4, 2, 5)

    def test_top_span_without_final_newline(self) -> None:
        assert parse("a: 1\nb: 22").span == Span(1, 1, 2, 6)


class TestErrors:
    @pytest.mark.parametrize(
        ("text", "where", "words"),
        [
            ("a {\n  b: 1\n", (1, 3), "never closed"),  # unterminated block: at its brace
            ("x: 1\nroutes: [\n  a\n", (2, 9), "never closed"),  # unterminated array: at its bracket
            ('a: 1\nb: "open\n', (2, 4), "never closed"),  # unterminated string: at its quote
            ("b: 'open\n", (1, 4), "never closed"),
            ("port:\nhttp: 1\n", (1, 6), "no value"),  # missing value: where it should be
            ("port: # none\n", (1, 7), "no value"),
            ("port\nhttp: 1\n", (1, 5), "no value"),
            ("a: 1\n}\n", (2, 1), "unexpected '}'"),
            ("a { b: 1 }}\n", (1, 11), "unexpected '}'"),
            ("a: [1, 2]]\n", (1, 10), "unexpected ']'"),
            ("a: 1 2\n", (1, 6), "expected a new line"),
            ("a: [1 2]\n", (1, 7), "expected ','"),
            ("a: [1,, 2]\n", (1, 7), "array element is missing"),
            ("a: 1,,\n", (1, 6), "expected a key"),
            (": 1\n", (1, 1), "without a key"),
            ("a/b: 1\n", (1, 2), "in a key"),
            ('a: "bad \\q"\n', (1, 9), "invalid escape"),
            ('a: "\\xZZ"\n', (1, 5), "hexadecimal"),
            ('"unclosed key: 1\n', (1, 1), "never closed"),
            ("a: { b: }\n", (1, 9), "missing"),
            ("{\n a: 1\n}\nb: 2\n", (4, 1), "after the '}'"),
            ("{\n a: 1\n", (1, 1), "never closed"),
            ("jwt: (\nnever closed\n", (1, 6), "never closed"),
            ("include [a]\n", (1, 9), "path"),
        ],
    )
    def test_line_and_column(self, text: str, where: tuple[int, int], words: str) -> None:
        with pytest.raises(ParseError) as info:
            parse(text)
        assert (info.value.line, info.value.column) == where, info.value.message
        assert words in info.value.message

    def test_deep_nesting_is_an_error_not_a_crash(self) -> None:
        assert error_at("a: " + "[" * 5000) == (1, 104)
        with pytest.raises(ParseError):
            parse("a " + "{ a " * 5000)


_PIECES = [
    '"',
    "'",
    "{",
    "}",
    "[",
    "]",
    ":",
    "=",
    ",",
    ";",
    "#",
    "//",
    "\n",
    "\r",
    " ",
    "\t",
    "$",
    "\\",
    "\\x",
    "(",
    ")",
    "\n)\n",
    "include ",
    "a",
    "1",
    "$X",
    "$x",
    "é",
    "\x00",
]


def _mutations(rng: random.Random, seed_texts: list[str]) -> list[str]:
    out = []
    for _ in range(400):
        text = rng.choice(seed_texts)
        for _ in range(rng.randint(1, 4)):
            i = rng.randint(0, len(text))
            op = rng.randint(0, 2)
            if op == 0:
                text = text[:i] + rng.choice(_PIECES) + text[i:]
            elif op == 1:
                text = text[:i] + text[i + rng.randint(1, 5) :]
            else:
                text = text[:i] + rng.choice(_PIECES) + text[i + 1 :]
        out.append(text)
    for _ in range(200):
        out.append("".join(rng.choice(_PIECES) for _ in range(rng.randint(0, 30))))
    return out


def test_fuzz_never_crashes() -> None:
    rng = random.Random(4222)
    seeds = [
        CLUSTER_NODE,
        "V = 1\na { b: $V, c: [1, 2, {d: 'x'}] }\ninclude x.conf\n",
        '{\n s: "a\\tb\\x41"\n t: (\nblock\n)\n}\n',
    ]
    outcomes = {"parsed": 0, "error": 0}
    for text in _mutations(rng, seeds):
        try:
            top = parse(text)
        except ParseError as exc:
            assert exc.line >= 1 and exc.column >= 1, text
            outcomes["error"] += 1
        else:
            assert isinstance(top, Mapping)
            outcomes["parsed"] += 1
    assert outcomes["parsed"] > 0 and outcomes["error"] > 0
