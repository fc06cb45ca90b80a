"""Readers on hostile input (issue 13): deep nesting, alias bombs, slow shapes, encodings, strict
JSON. Each defect is a finding (MSG001 at a line) and never the end of the run: another file in the
same run keeps its findings."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from msglint import catalog, documents, engine
from msglint.discover import Candidate, Exclusion, discover
from msglint.readers import (
    Decoded,
    Overtime,
    ParseError,
    as_utf8,
    decode_bytes,
    depth,
    java,
    natsconf,
    shell,
    strictjson,
    template,
    time_budget,
    yaml,
)
from msglint.readers.tree import Mapping, Node, Scalar, Sequence
from tests.conftest import write

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
# a Kafka consumer file with one known finding, linted next to every hostile file
CONSUMER = "bootstrap.servers=kafka:9092\ngroup.id=billing\nenable.auto.commit=true\n"


def _cli(root: Path, *paths: str) -> tuple[int, list[dict[str, object]], str]:
    """The CLI in a child process (a native parser's crash must fail the test, not end the session)."""
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    proc = subprocess.run(
        [sys.executable, "-m", "msglint", "check", "--format", "json", *paths],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings = json.loads(proc.stdout)["findings"] if proc.stdout.strip() else []
    return proc.returncode, findings, proc.stderr


def _run(root: Path, files: dict[str, str | bytes], *named: str) -> engine.Result:
    write(root, files)
    return engine.run([str(root / n) for n in named] or [str(root)], cwd=root)


def _parse_errors(result: engine.Result, path: str) -> list[tuple[int, int, str]]:
    return [(f.span.line, f.span.column, f.message) for f in result.findings if f.code == "MSG001" and f.path == path]


def _kept(result: engine.Result) -> bool:
    """The consumer file linted alongside still has its finding."""
    return any(f.code == "KC201" and f.path == "consumer.properties" for f in result.findings)


# -- 1. deep nesting: a finding at the line where the limit is crossed, never a crash -------------


def _nest(opening: str, closing: str, levels: int, middle: str = "1") -> str:
    return opening * levels + middle + closing * levels


DEEP = {
    "yaml-flow": ("application.yml", "spring:\n  kafka:\n    properties: " + _nest("[", "]", 30_000, "") + "\n", 3),
    "yaml-map": ("application.yml", "spring:\n  kafka:\n    x: " + _nest("{a: ", "}", 25_000) + "\n", 3),
    "yaml-dashes": ("application.yml", "spring:\n  kafka:\n    x:\n" + "- " * 30_000 + "1\n", 4),
    "yaml-block": (
        "application.yml",
        "spring:\n  kafka:\n" + "".join(" " * (i + 2) + f"k{i}:\n" for i in range(300)) + " " * 302 + "x: 1\n",
        202,  # k0 is a sibling of kafka: k198, at level 201, is on line 202
    ),
    "json-arrays": ("definitions.json", '{"queues": ' + _nest("[", "]", 30_000, "") + "}", 1),
    "json-objects": ("definitions.json", '{"queues": [' + _nest('{"a": ', "}", 25_000) + "]}", 1),
    "python-parens": ("app.py", "import pika\nx = " + _nest("(", ")", 1_500) + "\n", 2),
    "python-unclosed": ("app.py", "import pika\nx = " + "[" * 3_000 + "\n", 2),
    "python-lists-140": ("app.py", "import pika\nx = " + _nest("[", "]", 140, "") + "\n", 2),
    "python-calls": ("app.py", "import pika\nx = f" + "()" * 4_000 + "\n", 2),
    "natsconf": ("nats-server.conf", "jetstream {}\n" + _nest("a {", "}", 30_000, "") + "\n", 2),
}


@pytest.mark.parametrize("case", sorted(DEEP))
def test_deep_nesting_is_a_finding_at_its_line(tmp_path: Path, case: str) -> None:
    name, text, line = DEEP[case]
    write(tmp_path, {name: text, "consumer.properties": CONSUMER})
    code, findings, stderr = _cli(tmp_path, name, "consumer.properties")
    assert code == 1, stderr
    ours = [f for f in findings if f["path"] == name]
    assert [(f["code"], f["line"]) for f in ours] == [("MSG001", line)], ours
    message = str(ours[0]["message"])
    assert "nested too deeply" in message or "too long to analyse" in message
    assert any(f["code"] == "KC201" and f["path"] == "consumer.properties" for f in findings)


def test_the_limits_are_stated_in_the_message(tmp_path: Path) -> None:
    result = _run(tmp_path, {"definitions.json": '{"queues": ' + _nest("[", "]", 5_000, "") + "}"}, "definitions.json")
    assert _parse_errors(result, "definitions.json") == [(1, 211, "nested too deeply (5001 levels, limit 200)")]


def test_python_nested_within_the_limit_keeps_its_findings(tmp_path: Path) -> None:
    text = (
        "import pika\nx = " + _nest("[", "]", 90, "") + "\ny = " + " + ".join(["1"] * 300) + "\n"
        "ch = pika.BlockingConnection(pika.ConnectionParameters('r')).channel()\n"
        "ch.basic_consume('q', print, auto_ack=True)\n"
    )
    result = _run(tmp_path, {"app.py": text, "consumer.properties": CONSUMER})
    assert not result.errors
    assert not _parse_errors(result, "app.py")
    assert any(f.path == "app.py" and f.span.line == 5 for f in result.findings)
    assert _kept(result)


def test_yaml_nested_within_the_limit_is_read_and_analysed(tmp_path: Path) -> None:
    block = "spring:\n  kafka:\n" + "".join("  " * (i + 2) + f"k{i}:\n" for i in range(190)) + "  " * 192 + "x: 1\n"
    flow = "kind: Kafka\napiVersion: kafka.strimzi.io/v1beta2\nmetadata: {name: k}\nspec: " + _nest("{a: ", "}", 190)
    result = _run(tmp_path, {"a/application.yml": block, "b/kafka.yaml": flow + "\n", "consumer.properties": CONSUMER})
    assert not result.errors
    assert not [f for f in result.findings if f.code == "MSG001"]
    assert _kept(result)


def test_the_depth_checks_skip_quotes_comments_and_block_scalars() -> None:
    brackets = "[" * 500
    depth.check_yaml(f"a: '{brackets}'\nb: &x \"{brackets}\"\n# {brackets}\nc: |\n  {brackets}\n  {brackets}\n")
    # a quote YAML reads as text hides nothing: not the brackets after it, not the lines below
    for text in (f"a: it's {brackets}\n", f"a: x '{brackets}\n", f"a: 'x\n  {brackets}\n'\n"):
        with pytest.raises(ParseError):
            depth.check_yaml(text)
    depth.check_json(f'{{"a": "{brackets}", "b": "\\"{brackets}"}}')
    depth.check_python(f"a = '{brackets}'\nb = '''\n{brackets}\n'''\n# {brackets}\nc = [\n" + "'x'\n" * 600 + "]\n")
    # a codec's decoding table: 256 strings concatenated, a list of 10,000 negative numbers
    depth.check_python("t = (\n" + "    '\\x00'  # NULL\n" * 256 + ")\nn = [" + ", ".join(["-1"] * 10_000) + "]\n")
    with pytest.raises(ParseError) as info:
        depth.check_python("x = 1\ny = a" + ".b" * 501 + "\n")
    assert (info.value.line, info.value.column) == (2, 1006)  # the 501st `.`


# -- 2. recursion and parser errors: MSG001, never an internal error ------------------------------


def test_java_errors_nested_deeply_are_a_finding(tmp_path: Path) -> None:
    head = "import org.apache.kafka.clients.producer.KafkaProducer;\n"
    text = head + "class P { int x = " + "(" * 1_000 + "1 + ;" + ")" * 1_000 + "; }\n"  # the error 1,000 deep
    result = _run(tmp_path, {"P.java": text, "consumer.properties": CONSUMER})
    assert not result.errors
    assert _parse_errors(result, "P.java") == [(2, 1021, "invalid Java: a syntax error")]
    assert _kept(result)


def test_an_identifier_libcst_refuses_is_a_finding(tmp_path: Path) -> None:
    # U+0897 is an identifier character for the Rust tokenizer's Unicode tables, not for CPython 3.11's
    text = "import pika\n\na\u0897 = 1\n"
    result = _run(tmp_path, {"app.py": text, "consumer.properties": CONSUMER})
    assert not result.errors
    name = "a\u0897"
    if not name.isidentifier():
        assert _parse_errors(result, "app.py") == [(3, 1, f"invalid Python: {name!r} is not a valid identifier")]
    assert _kept(result)


class _Panic(BaseException):
    """What pyo3 raises when Rust code panics: not an Exception."""


@pytest.mark.parametrize(
    ("raised", "words"),
    [
        (RecursionError("deep"), "nested too deeply"),
        (MemoryError(), "out of memory"),
        (ValueError("odd"), "reader cannot read this file (ValueError)"),
        (_Panic("rust"), "reader cannot read this file (_Panic)"),
    ],
)
def test_any_reader_failure_is_a_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, raised: BaseException, words: str
) -> None:
    from msglint.readers import conf

    def broken(text: str, first_line: int = 1, indent: int = 0) -> list[object]:
        raise raised

    monkeypatch.setattr(conf, "parse", broken)
    result = _run(
        tmp_path, {"rabbitmq.conf": "vm_memory_high_watermark.relative = 0.9\n", "consumer.properties": CONSUMER}
    )
    assert not result.errors
    (finding,) = _parse_errors(result, "rabbitmq.conf")
    assert words in finding[2]
    assert _kept(result)


def test_a_recursion_error_hidden_in_another_exception_is_nesting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """libcst's position metadata turns a RecursionError into a KeyError whose repr recurses again."""
    from msglint.readers import conf

    class Unprintable(KeyError):
        def __str__(self) -> str:
            raise RecursionError

    def broken(text: str, first_line: int = 1, indent: int = 0) -> list[object]:
        try:
            raise RecursionError
        except RecursionError:
            raise Unprintable() from None

    monkeypatch.setattr(conf, "parse", broken)
    result = _run(tmp_path, {"rabbitmq.conf": "vm_memory_high_watermark.relative = 0.9\n"})
    assert [m for _, _, m in _parse_errors(result, "rabbitmq.conf")] == [
        "nested too deeply to read (the reader ran out of stack)"
    ]


def test_an_extractor_out_of_stack_is_a_finding_for_its_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from msglint.extract import rabbit_conf, spring_boot

    def deep(document: object) -> list[object]:
        raise RecursionError

    monkeypatch.setattr(rabbit_conf, "extract", deep)
    real = spring_boot._documents

    def spring(document: documents.Document) -> list[object]:
        if document.path.parent.name == "deep":
            raise RecursionError
        return real(document)

    monkeypatch.setattr(spring_boot, "_documents", spring)
    files = {
        "rabbitmq.conf": "vm_memory_high_watermark.relative = 0.9\n",
        "deep/application.yml": "spring:\n  kafka:\n    producer:\n      acks: 1\n",
        "fine/application.yml": "spring:\n  kafka:\n    producer:\n      acks: 1\n",
        "consumer.properties": CONSUMER,
    }
    result = _run(tmp_path, files)
    assert not result.errors
    assert _parse_errors(result, "rabbitmq.conf") == [(1, 1, "too deeply nested to analyse")]
    assert _parse_errors(result, "deep/application.yml") == [(1, 1, "too deeply nested to analyse")]
    assert any(f.path == "fine/application.yml" for f in result.findings)  # acks=1: still judged
    assert _kept(result)


# -- 3. budgets: aliases, variables and time --------------------------------------------------------


def _alias_bomb(width: int = 9, levels: int = 9) -> str:
    rows = ["spring:", "  kafka:", "    properties:", f"      a0: &a0 [{', '.join('x' * width)}]"]
    for level in range(1, levels + 1):
        body = ", ".join(f"k{k}: *a{level - 1}" for k in range(width))
        rows.append(f"      a{level}: &a{level} {{{body}}}")
    return "\n".join(rows) + "\n"


def test_an_alias_bomb_is_a_finding(tmp_path: Path) -> None:
    result = _run(tmp_path, {"application.yml": _alias_bomb(), "consumer.properties": CONSUMER})
    assert not result.errors
    (finding,) = _parse_errors(result, "application.yml")
    assert finding[0] == 9 and "aliases expand to more than 100000 nodes" in finding[2]
    assert _kept(result)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        (
            "a0: &a0 x\n" + "".join(f"a{i}: &a{i} {{n: *a{i - 1}}}\n" for i in range(1, 20_000)),
            201,
            "aliases nest the document too deeply (201 levels, limit 200)",
        ),
        (
            "a0: &a0 {k0: 1}\n" + "".join(f"a{i}: &a{i} {{<<: *a{i - 1}, k{i}: 1}}\n" for i in range(1, 3_000)),
            448,
            "merge keys copy more than 100000 entries",
        ),
    ],
)
def test_alias_chains_and_merge_chains_are_bounded(text: str, line: int, words: str) -> None:
    with pytest.raises(ParseError) as info:
        yaml.parse(text)
    assert info.value.line == line and words in info.value.message


def test_ordinary_anchors_and_a_recursive_alias_are_read() -> None:
    text = "base: &b {acks: all, retries: 3}\n" + "".join(f"p{i}: {{<<: *b, x: {i}}}\n" for i in range(2_000))
    (doc,) = yaml.parse(text)
    assert isinstance(doc, Mapping) and len(doc.items) == 2_001
    (doc,) = yaml.parse("a: &x\n  self: *x\n")
    assert isinstance(doc, Mapping)
    inner = doc.get("a")
    assert isinstance(inner, Mapping) and inner.get("self") is inner


def test_nats_variables_are_bounded_like_aliases() -> None:
    bomb = "a0 = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n" + "".join(
        f"a{i} = [" + ", ".join([f"$a{i - 1}"] * 10) + "]\n" for i in range(1, 10)
    )
    with pytest.raises(ParseError) as info:
        natsconf.parse(bomb)
    assert "expand to more than" in info.value.message or "copy more than" in info.value.message
    chain = "a0 = 1\n" + "".join(f"a{i} = {{n: $a{i - 1}}}\n" for i in range(1, 5_000))
    with pytest.raises(ParseError) as info:
        natsconf.parse(chain)
    assert info.value.message == "variables nest the document too deeply (201 levels, limit 200)"
    natsconf.parse("a = {x: 1}\n" + "".join(f"b{i} = $a\n" for i in range(5_000)))  # many small copies: fine


def _candidates(root: Path, *names: str) -> list[Candidate]:
    return discover([str(root / n) for n in names], False, Exclusion())


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer on this platform")
def test_a_reader_over_its_time_budget_is_a_finding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from msglint.readers import conf

    def forever(text: str, first_line: int = 1, indent: int = 0) -> list[object]:
        while True:
            with contextlib.suppress(Exception):  # a reader's own handler must not swallow the budget
                time.sleep(0.01)

    monkeypatch.setattr(conf, "parse", forever)
    write(tmp_path, {"rabbitmq.conf": "vm_memory_high_watermark.relative = 0.9\n", "consumer.properties": CONSUMER})
    result = engine.Result()
    rules = {r.code: r for r in catalog.load()}
    docs = engine.read_all(
        _candidates(tmp_path, "rabbitmq.conf", "consumer.properties"), tmp_path, rules, result, seconds=0.2
    )
    assert [(f.code, f.message) for f in result.findings] == [("MSG001", "too large or too complex to read in 0.2 s")]
    assert [d.display for d in docs] == ["consumer.properties"]
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="no interval timer on this platform")
def test_the_time_budget_leaves_other_timers_and_handlers_alone() -> None:
    def mine(signum: int, frame: object) -> None:
        raise AssertionError("not mine to fire")

    previous = signal.signal(signal.SIGALRM, mine)
    try:
        with time_budget(0.05):
            time.sleep(0.001)
        assert signal.getsignal(signal.SIGALRM) is mine
        signal.setitimer(signal.ITIMER_REAL, 30)  # someone else's timer (pytest-timeout): no budget
        with time_budget(0.01):
            time.sleep(0.05)
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 20
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    with pytest.raises(Overtime), time_budget(0.05):
        while True:
            pass


# -- 4. linear paths ---------------------------------------------------------------------------------


def test_many_yaml_keys_and_the_first_duplicate() -> None:
    keys = "".join(f"  key{i}: {i}\n" for i in range(40_000))
    (doc,) = yaml.parse("spring:\n" + keys)
    assert isinstance(doc, Mapping)
    inner = doc.get("spring")
    assert isinstance(inner, Mapping) and len(inner.items) == 40_000
    with pytest.raises(ParseError) as info:
        yaml.parse("spring:\n" + keys + "  key7: again\n")
    assert (info.value.line, info.value.message) == (40_002, "duplicate key 'key7' (first written at line 9)")
    # the first duplicate in the file, even when a later one is inside a nested mapping
    with pytest.raises(ParseError) as info:
        yaml.parse("a: 1\na: 2\nb:\n  c: 1\n  c: 2\n")
    assert info.value.line == 2


def test_nats_quoted_keys_on_one_line() -> None:
    root = natsconf.parse("port: 4222\n" + ", ".join(f'"k{i}": {i}' for i in range(20_000)) + "\n")
    assert len(root.items) == 20_001
    with pytest.raises(ParseError) as info:
        natsconf.parse('a: 1, "b\n": 2\n')
    assert (info.value.line, info.value.column) == (1, 7) and "never closed" in info.value.message


def test_unclosed_template_actions_and_annotation_runs() -> None:
    text = "x: '}}" + "{{" * 50_000 + "'\ny: {{ .Values.y }}\n"
    neutral, blanked = template.neutralize(text)
    assert neutral.splitlines()[1] == "y: ${____________}" and not blanked
    varargs = b'void f(String @Nullable @A(x = "(y)") ... args)'
    assert java._around_gaps(varargs) == b"void f(String " + b" " * 24 + b"... args)"
    run = b"class A { void f(" + b"@a " * 20_000 + b"\n"
    assert java._around_gaps(run) == run


def test_a_shell_json_argument_nested_deeply_is_unknown() -> None:
    (command,) = shell.parse("rabbitmqctl set_policy p '.*' '" + _nest('{"a":', "}", 5_000) + "'\n")
    assert command.json_unknown
    (command,) = shell.parse('rabbitmqctl set_policy p ".*" \\\n  \'{"ha-mode":"all"}\'\necho "ha-mode"\n')
    assert command.json_keys["ha-mode"][0].line == 2


# -- 5. encodings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),  # begins with the UTF-16-LE mark
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_a_byte_order_mark_is_decoded_and_remembered(tmp_path: Path, bom: bytes, encoding: str) -> None:
    data = bom + ("# caf\u00e9\n" + CONSUMER).encode(encoding)
    result = _run(tmp_path, {"consumer.properties": data}, "consumer.properties")
    assert [(f.code, f.span.line) for f in result.findings] == [("KC201", 4)]
    (candidate,) = _candidates(tmp_path, "consumer.properties")
    document = documents.read(candidate, tmp_path)
    assert (document.encoding, document.bom) == (encoding, True)
    assert document.lines[0] == "# caf\u00e9"
    if encoding != "utf-8":  # what discovery's content sniff should see
        assert as_utf8(data) == ("# caf\u00e9\n" + CONSUMER).encode("utf-8")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("name", ["consumer.properties", "application.yml", "deploy.sh"])
def test_wide_text_without_a_mark_is_named_not_read_as_latin1(tmp_path: Path, encoding: str, name: str) -> None:
    data = ("# rabbitmqctl caf\u00e9\n" + CONSUMER).encode(encoding)
    files: dict[str, str | bytes] = {f"bad/{name}": data, "consumer.properties": CONSUMER}
    result = _run(tmp_path, files, f"bad/{name}", "consumer.properties")
    assert [m for _, _, m in _parse_errors(result, f"bad/{name}")] == [
        f"the file looks like {encoding.upper()} without a byte-order mark: msglint reads UTF-8, "
        "and UTF-16 or UTF-32 only with a byte-order mark"
    ]
    assert _kept(result)


def test_utf8_latin1_and_nul_bytes() -> None:
    assert decode_bytes("a=caf\u00e9".encode()) == Decoded("a=caf\u00e9", "utf-8", False)
    latin = decode_bytes(b"a=caf\xe9", fallback_latin1=True)
    assert (latin.text, latin.encoding, latin.bom) == ("a=caf\u00e9", "latin-1", False)
    with pytest.raises(ParseError) as info:
        decode_bytes(b"a=1\nb=\xe9\x00x\n", fallback_latin1=True)  # NULs are never Latin-1 text
    assert (info.value.line, info.value.column) == (2, 4)
    with pytest.raises(ParseError) as info:
        decode_bytes(codecs.BOM_UTF16_LE + "a\nb".encode("utf-16-le") + b"\x00\xd8")  # a lone surrogate
    assert info.value.line == 2 and "UTF-16-LE" in info.value.message


# -- 6. strict JSON ------------------------------------------------------------------------------------


def _shape(node: Node | None) -> object:
    if node is None:
        return None
    if isinstance(node, Scalar):
        return ("scalar", node.span, node.value, node.tag, node.quoted, node.block)
    if isinstance(node, Mapping):
        return ("mapping", node.span, node.flow, [(_shape(k), _shape(v)) for k, v in node.items])
    assert isinstance(node, Sequence)
    return ("sequence", node.span, node.flow, [_shape(i) for i in node.items])


def test_strict_json_gives_the_tree_the_yaml_reader_gave() -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(FIXTURES.rglob("*.json"))]
    rng = random.Random(13)
    atoms = ["1", "-0", "1.5", "1e5", "-3.25E-1", "true", "false", "null", '"a"', '"\\u00e9"', '"\\/"', '""']

    def value(level: int) -> str:
        space = rng.choice(["", " ", "\n  ", "\r\n"])
        if level > 3 or rng.random() < 0.4:
            return rng.choice(atoms)
        if rng.random() < 0.5:
            return "[" + space + ("," + space).join(value(level + 1) for _ in range(rng.randint(0, 3))) + "]"
        return "{" + space + ", ".join(f'"k{i}":{space}{value(level + 1)}' for i in range(rng.randint(0, 3))) + "}"

    texts += [value(0) for _ in range(500)]
    for text in texts:
        assert [_shape(d) for d in strictjson.parse(text)] == [_shape(d) for d in yaml.parse(text)], text


def test_valid_json_that_yaml_refuses(tmp_path: Path) -> None:
    definitions = (FIXTURES / "rabbitmq/bad/broker/definitions.json").read_text(encoding="utf-8")
    tabbed = definitions.replace('"rabbit_version": "3.13.7"', '"rabbit_version":\t"3.13.7"')
    long_key = definitions.replace('"rabbit_version"', '"' + "k" * 2_000 + '": 1, "rabbit_version"')
    result = _run(tmp_path, {"a/definitions.json": tabbed, "b/definitions.json": long_key})
    assert not [f for f in result.findings if f.code == "MSG001"]
    for path in ("a/definitions.json", "b/definitions.json"):
        assert any(f.code == "RQ105" and f.path == path and f.span.line == 15 for f in result.findings)
    (doc,) = strictjson.parse('{"n": ' + "9" * 10_000 + ', "s": "\\ud800"}')
    assert isinstance(doc, Mapping)
    number, text = doc.get("n"), doc.get("s")
    assert isinstance(number, Scalar) and number.tag == "int" and len(number.value) == 10_000
    assert isinstance(text, Scalar) and text.value == "\ufffd"  # a lone surrogate no output could print


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ("{\n  queues: []\n}", 2, 3, "Expecting property name enclosed in double quotes"),
        ('{"queues": [1, 2,]}', 1, 18, "Expecting value"),
        ('{"queues": [],\n}', 2, 1, "Expecting property name enclosed in double quotes"),
        ('{"queues": [] // none\n}', 1, 15, "Expecting ',' delimiter"),
        ("{'queues': []}", 1, 2, "Expecting property name enclosed in double quotes"),
        ('{"queues": [NaN]}', 1, 13, "NaN is not a JSON number"),
        ('{"queues": [-Infinity]}', 1, 13, "-Infinity is not a JSON number"),
        ('{"queues": [], "queues": [1]}', 1, 16, "duplicate key 'queues' (first written at line 1)"),
        ('{"queues": []} {}', 1, 16, "Extra data"),
        ('{"queues": ["a\tb"]}', 1, 15, "Invalid control character"),
        ("", 1, 1, "Expecting value"),
        ('{"queues": [],\r"x": nul}', 2, 6, "Expecting value"),
    ],
)
def test_invalid_json_is_a_finding_at_its_place(tmp_path: Path, text: str, line: int, column: int, words: str) -> None:
    result = _run(
        tmp_path, {"definitions.json": text, "consumer.properties": CONSUMER}, "definitions.json", "consumer.properties"
    )
    (finding,) = _parse_errors(result, "definitions.json")
    assert finding[:2] == (line, column) and words in finding[2], finding
    assert _kept(result)


def test_nats_cli_json_is_strict_too(tmp_path: Path) -> None:
    good = (FIXTURES / "nats/bad/cli/billing-consumer.json").read_text(encoding="utf-8")
    result = _run(
        tmp_path, {"a/consumer.json": good, "b/consumer.json": good.replace('"orders.paid"', '"orders.paid",')}
    )
    assert any(f.code == "NC101" and f.path == "a/consumer.json" for f in result.findings)
    assert _parse_errors(result, "b/consumer.json") == [
        (6, 1, "invalid JSON: Expecting property name enclosed in double quotes")
    ]


# -- 7. nothing but ParseError or OSError leaves documents.read ---------------------------------------

SYNTAXES = {
    "properties": ("consumer.properties", "kafka-properties"),
    "yaml": ("application.yml", "spring-config"),
    "json": ("definitions.json", "rabbit-definitions"),
    "natsconf": ("nats-server.conf", "nats-conf"),
    "conf": ("rabbitmq.conf", "rabbitmq-conf"),
    "shell": ("setup.sh", "shell"),
    "java": ("Producer.java", "java"),
    "python": ("app.py", "python"),
    "text": ("advanced.config", "rabbitmq-advanced"),
}


def _seeds(syntax: str) -> list[bytes]:
    suffix = Path(SYNTAXES[syntax][0]).suffix
    found = sorted(FIXTURES.rglob(f"*{suffix}"))[:3]
    return [p.read_bytes() for p in found] or [b"a = 1\n"]


def _hostile(seed: bytes, rng: random.Random) -> list[bytes]:
    text = seed.decode("utf-8", errors="replace")
    cut = rng.randrange(len(seed) + 1)
    return [
        seed[:cut],
        seed[:cut] + bytes(rng.randrange(256) for _ in range(64)) + seed[cut:],
        bytes(rng.randrange(256) for _ in range(rng.randrange(1, 400))),
        seed.replace(b"\n", b"\x00\n"),
        codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
        codecs.BOM_UTF32_BE + text.encode("utf-32-be"),
        codecs.BOM_UTF16_LE + b"\x00\xd8" + "a: 1".encode("utf-16-le"),
        text.encode("utf-16-le"),
        (text[:cut] + _nest("[", "]", 3_000, "") + text[cut:]).encode(),
        (text[:cut] + _nest("{", "}", 3_000, "") + text[cut:]).encode(),
        (text[:cut] + "(" * 3_000 + text[cut:]).encode(),
        (text[:cut] + "x" * 200_000 + text[cut:]).encode(),
        (text[:cut] + "\u202e\ufeff\u0897\U0001f600\u200d" * 50 + text[cut:]).encode(),
        (text[:cut] + "'\"{{" * 300 + text[cut:]).encode(),
        (text[:cut] + "&a *a *b <<: " * 200 + text[cut:]).encode(),
        text.replace("\n", "\r").encode(),
    ]


@pytest.mark.parametrize("syntax", sorted(SYNTAXES))
def test_a_reader_raises_only_parse_error_or_oserror(tmp_path: Path, syntax: str) -> None:
    name, kind = SYNTAXES[syntax]
    rng = random.Random(syntax)
    path = tmp_path / name
    outcomes = set()
    for seed in _seeds(syntax):
        for data in _hostile(seed, rng):
            path.write_bytes(data)
            try:
                documents.read(Candidate(path, kind, syntax, True), tmp_path)
                outcomes.add("read")
            except ParseError as exc:
                assert exc.line >= 1 and exc.column >= 1 and exc.message
                outcomes.add("MSG")
    assert "MSG" in outcomes  # the hostile inputs did reach the reader's error paths


def test_alone_on_its_lines_searches_instead_of_slicing() -> None:
    """Searched from the span (a minified line holds thousands of settings); same answers as strip()."""
    from msglint.extract.places import alone_on_its_lines
    from msglint.model import Span

    lines = ["  acks: 1  # why", "a: {acks: 1}", "acks: 1", "   ", "x acks: 1"]
    assert alone_on_its_lines(lines, Span(1, 3, 1, 10))
    assert not alone_on_its_lines(lines, Span(2, 5, 2, 12))  # a flow mapping: "}" follows
    assert alone_on_its_lines(lines, Span(3, 1, 3, 8))
    assert alone_on_its_lines(lines, Span(4, 4, 4, 4))
    assert not alone_on_its_lines(lines, Span(5, 3, 5, 10))  # something before the key
    assert not alone_on_its_lines(lines, Span(9, 1, 9, 2))
