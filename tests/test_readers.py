from __future__ import annotations

import pytest

from msglint.model import Span
from msglint.readers import ParseError, decode, properties, split_lines, yaml
from msglint.readers.tree import Mapping, Scalar, Sequence


def entries(text: str) -> list[tuple[str, str]]:
    return [(e.key, e.value) for e in properties.parse(text)]


class TestProperties:
    def test_separators_and_comments(self) -> None:
        text = "# comment\n! also a comment\n\na=1\nb : 2\nc 3\n  d=\ne\n"
        assert entries(text) == [("a", "1"), ("b", "2"), ("c", "3"), ("d", ""), ("e", "")]

    def test_positions_of_key_and_value(self) -> None:
        (entry,) = properties.parse("\n  acks = all\n")
        assert entry.key_span == Span(2, 3, 2, 7)
        assert entry.value_span == Span(2, 10, 2, 13)
        assert entry.span == Span(2, 3, 2, 13)

    def test_continuation_lines_keep_positions(self) -> None:
        text = "sasl.jaas.config=a \\\n    b \\\n    c;\nnext=1\n"
        first, second = properties.parse(text)
        assert first.value == "a b c;"
        assert first.span == Span(1, 1, 3, 7)
        assert second.key == "next" and second.span.line == 4

    def test_even_backslashes_do_not_continue(self) -> None:
        assert entries("a=x\\\\\nb=2\n") == [("a", "x\\"), ("b", "2")]

    def test_escapes(self) -> None:
        assert entries("key\\ with\\=sep=\\u0041\\tb\\\\c\\:\n") == [("key with=sep", "A\tb\\c:")]

    def test_malformed_unicode_escape_is_a_parse_error_with_position(self) -> None:
        with pytest.raises(ParseError) as info:
            properties.parse("ok=1\nbad=\\u12G4\n")
        assert (info.value.line, info.value.column) == (2, 5)

    def test_spring_multi_document_separator(self) -> None:
        parsed = properties.parse("a=1\n#---\nb=2\n!---\nc=3\n")
        assert [(e.key, e.document) for e in parsed] == [("a", 0), ("b", 1), ("c", 2)]

    def test_crlf_and_cr_line_endings(self) -> None:
        parsed = properties.parse("a=1\r\nb=2\rc=3")
        assert [(e.key, e.value, e.span.line) for e in parsed] == [("a", "1", 1), ("b", "2", 2), ("c", "3", 3)]

    def test_latin1_fallback(self) -> None:
        assert decode("client.id=caf\xe9".encode("latin-1"), fallback_latin1=True) == "client.id=caf\xe9"


class TestYaml:
    def test_multi_document_and_positions(self) -> None:
        docs = yaml.parse("a: 1\n---\nb:\n  c: [x, y]\n")
        assert len(docs) == 2
        second = docs[1]
        assert isinstance(second, Mapping)
        key, value = second.items[0]
        assert key.value == "b" and key.span == Span(3, 1, 3, 2)
        assert isinstance(value, Mapping)
        seq = value.get("c")
        assert isinstance(seq, Sequence) and [i.value for i in seq.items if isinstance(i, Scalar)] == ["x", "y"]

    def test_anchors_aliases_and_merge_keys(self) -> None:
        (doc,) = yaml.parse("base: &b\n  acks: all\n  retries: 3\nprod:\n  <<: *b\n  retries: 5\n")
        assert isinstance(doc, Mapping)
        prod = doc.get("prod")
        assert isinstance(prod, Mapping)
        values = {k.value: v.value for k, v in prod.items if isinstance(v, Scalar)}
        assert values == {"retries": "5", "acks": "all"}  # explicit keys win over merged ones
        acks = prod.get("acks")
        assert acks is not None and acks.span.line == 2  # merged values point where they are written

    def test_recursive_alias_terminates(self) -> None:
        (doc,) = yaml.parse("a: &x\n  self: *x\n")
        assert isinstance(doc, Mapping)

    def test_comments_are_ignored(self) -> None:
        (doc,) = yaml.parse("# top\na: 1 # trailing\n")
        assert isinstance(doc, Mapping) and doc.get("a") is not None

    def test_parse_error_has_position(self) -> None:
        with pytest.raises(ParseError) as info:
            yaml.parse("a:\n  b: 1\n c: 2\n")
        assert info.value.line == 3 and info.value.message.startswith("invalid YAML")

    def test_undecodable_bytes_and_nul(self) -> None:
        with pytest.raises(ParseError) as info:
            decode(b"a: 1\nb: caf\xe9\n")
        assert (info.value.line, info.value.column) == (2, 7)
        with pytest.raises(ParseError):
            decode(b"a: 1\x00")

    def test_split_lines_matches_yaml_line_counting(self) -> None:
        assert split_lines("a\r\nb\rc\n") == ["a", "b", "c"]
