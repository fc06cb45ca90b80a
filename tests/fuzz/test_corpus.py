"""The corpus: inputs that once crashed, hung or lost findings, each linted as a named file with the
CLI (text and JSON reports) in a forked child. Each must end with exit 0 or 1, no internal error, a
report that reads back, within a time that grows linearly with its size. MSG001 is an allowed
answer. Committed files live in tests/fuzz/corpus/ (see its README for the naming scheme); inputs
too big to commit are generated here from a recipe."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.fuzz import promises

CORPUS = Path(__file__).parent / "corpus"
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def linted_name(name: str) -> str:
    """The file name a corpus file is linted under: what follows ``--``, else what follows the
    first dot when that still has a suffix (``alias-bomb.application.yml``), else the name. A
    trailing ``.txt`` is dropped first: source files in the corpus are not the project's code."""
    name = name.removesuffix(".txt")
    if "--" in name:
        return name.split("--", 1)[1]
    _, _, rest = name.partition(".")
    return rest if "." in rest else name


def budget(size: int) -> float:
    """Seconds a run may take: generous, and linear in the size."""
    return (15.0 + 15.0 * size / 1_000_000) * promises.SCALE


def _check(files: dict[str, bytes | None], target: str) -> None:
    """Both reports of ``target`` keep every promise. A None file is a FIFO (named, never written)."""
    size = sum(len(data or b"") for data in files.values())
    with promises.project({k: v for k, v in files.items() if v is not None}) as root:
        for relative, data in files.items():
            if data is None:
                (root / relative).parent.mkdir(parents=True, exist_ok=True)
                os.mkfifo(root / relative)
        for fmt in ("text", "json"):
            code, out, err = promises.cli(root, ["check", "--format", fmt, target], timeout=budget(size))
            promises.ends_well(code, out, err)
            if None in files.values():  # a named FIFO is a usage error: a message, no report
                assert code == 2 and "FIFO" in err and not out.strip(), (code, out, err)
                continue
            promises.valid_output(fmt, out)
            if fmt == "json":
                assert json.loads(out)["findings"] is not None


def _committed() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name != "README.md")


@pytest.mark.parametrize("path", _committed(), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_committed_input(path: Path) -> None:
    assert path.stat().st_size < 20_000, "generate inputs this large from a recipe below"
    relative = path.relative_to(CORPUS).parent / linted_name(path.name)
    with promises.keeping(path.name, path.read_bytes()):
        _check({relative.as_posix(): path.read_bytes()}, relative.as_posix())


def test_the_naming_scheme() -> None:
    assert linted_name("deep-nesting.json") == "deep-nesting.json"
    assert linted_name("alias-bomb.application.yml") == "application.yml"
    assert linted_name("fifo--nats-server.conf") == "nats-server.conf"
    assert linted_name("many-keys--application-prod.yml") == "application-prod.yml"
    assert linted_name("zwnj-identifier--worker.py.txt") == "worker.py"


# -- recipes: (file name, bytes) ----------------------------------------------------------------


def _nested(opening: str, closing: str, depth: int, middle: str = "1") -> str:
    return opening * depth + middle + closing * depth


def _alias_bomb(width: int = 9, depth: int = 9) -> str:
    """Each level a mapping of ``width`` aliases of the level below: width**depth leaves, 746 bytes."""
    rows = ["spring:", "  kafka:", "    properties:", f"      a0: &a0 [{', '.join('x' * width)}]"]
    for level in range(1, depth + 1):
        body = ", ".join(f"k{k}: *a{level - 1}" for k in range(width))
        rows.append(f"      a{level}: &a{level} {{{body}}}")
    return "\n".join(rows) + "\n"


def _minified_definitions(queues: int) -> str:
    rows = [
        {"name": f"q{i}", "vhost": "/", "durable": False, "auto_delete": False, "arguments": {}} for i in range(queues)
    ]
    return json.dumps({"rabbit_version": "3.13.7", "queues": rows}, separators=(",", ":"))


def _utf16(path: str) -> bytes:
    return (FIXTURES / path).read_text(encoding="utf-8").encode("utf-16")


RECIPES: dict[str, Callable[[], tuple[str, bytes | None]]] = {
    # deep nesting: the C and Rust parsers' stacks
    "deep-json-arrays": lambda: ("definitions.json", ('{"queues": ' + _nested("[", "]", 30_000) + "}").encode()),
    "deep-json-objects": lambda: (
        "definitions.json",
        ('{"queues": [' + _nested('{"a": ', "}", 25_000) + "]}").encode(),
    ),
    "deep-yaml-flow": lambda: (
        "application.yml",
        ("spring:\n  kafka:\n    properties: " + _nested("[", "]", 30_000) + "\n").encode(),
    ),
    "deep-yaml-block": lambda: ("application.yml", ("spring:\n  kafka:\n    x:\n" + "- " * 30_000 + "1\n").encode()),
    "deep-yaml-manifest": lambda: (
        "kafka.yaml",
        ("kind: Kafka\nspec: " + _nested("{a: ", "}", 25_000) + "\n").encode(),
    ),
    "deep-python": lambda: ("app.py", ("import pika\nx = " + _nested("(", ")", 1_500) + "\n").encode()),
    "deep-python-unclosed": lambda: ("app.py", ("import pika\nx = " + "[" * 3_000 + "\n").encode()),
    "nested-python-140": lambda: (
        "app.py",
        (
            "import pika\nx = " + _nested("[", "]", 140) + "\n"
            "ch = pika.BlockingConnection(pika.ConnectionParameters('r')).channel()\n"
            "ch.basic_consume('q', print, auto_ack=True)\n"
        ).encode(),
    ),
    "deep-java-unclosed": lambda: (
        "Producer.java",
        (
            "import org.apache.kafka.clients.producer.KafkaProducer;\nclass P { int x = " + "(" * 1_000 + "1; }\n"
        ).encode(),
    ),
    "deep-java": lambda: (
        "Producer.java",
        (
            "import org.apache.kafka.clients.producer.KafkaProducer;\nclass P { int x = "
            + _nested("(", ")", 5_000)
            + "; }\n"
        ).encode(),
    ),
    "deep-natsconf": lambda: ("nats-server.conf", ("port: 4222\n" + _nested("a {", "}", 30_000, "") + "\n").encode()),
    "deep-shell-policy": lambda: (
        "bootstrap.sh",
        ("rabbitmqctl set_policy p '.*' '" + _nested('{"a":', "}", 30_000) + "'\n").encode(),
    ),
    "deep-advanced-config": lambda: (
        "advanced.config",
        ("[{rabbit, [{consumer_timeout, " + _nested("{", "}", 30_000) + "}]}].\n").encode(),
    ),
    # aliases: a 746-byte bomb, and a chain that nests deeply without a bracket in sight
    "alias-bomb": lambda: ("application.yml", _alias_bomb().encode()),
    "alias-chain": lambda: (
        "application.yml",
        (
            "spring:\n  kafka:\n    properties:\n      a0: &a0 x\n"
            + "".join(f"      a{i}: &a{i} {{n: *a{i - 1}}}\n" for i in range(1, 20_000))
        ).encode(),
    ),
    # quadratic paths
    "minified-definitions": lambda: ("definitions.json", _minified_definitions(1_000).encode()),
    "spaces-then-hash": lambda: (
        "producer.properties",
        ("acks=1" + " " * 30_000 + "#\n" + " " * 30_000 + "#\n").encode(),
    ),
    # the resource-bundle sniff's prose pattern back-tracks on one long word then a space (fuzz-found)
    "long-word-sniff": lambda: (
        "producer.properties",
        ("bootstrap.servers=kafka:9092 " + "a" * 60_000 + " #\n").encode(),
    ),
    "many-yaml-keys": lambda: (
        "application.yml",
        ("spring:\n  kafka:\n    properties:\n" + "".join(f"      key{i}: {i}\n" for i in range(40_000))).encode(),
    ),
    "nats-quoted-keys": lambda: (
        "nats-server.conf",
        ("port: 4222\n" + ", ".join(f'"k{i}": {i}' for i in range(20_000)) + "\n").encode(),
    ),
    # size, kind and encoding of a named file
    "oversized-python": lambda: (
        "app.py",
        ("import pika\n" + "x = pika.ConnectionParameters('rabbitmq')\n" * 150_000).encode(),
    ),
    "fifo": lambda: ("producer.properties", None),
    "utf16-producer": lambda: ("producer.properties", _utf16("kafka-client/bad/producer.properties")),
    "utf16-spring": lambda: ("application.yml", _utf16("spring-yaml/good/application.yml")),
}


# a second or more each: heavy (run only with MSGLINT_SLOW=1 or MSGLINT_FUZZ=1), and so slow too
SLOW = {"many-yaml-keys", "oversized-python", "alias-chain", "deep-shell-policy"}
_HEAVY = (pytest.mark.slow, pytest.mark.heavy)


@pytest.mark.parametrize("recipe", [pytest.param(r, marks=_HEAVY) if r in SLOW else r for r in sorted(RECIPES)])
def test_generated_input(recipe: str) -> None:
    name, data = RECIPES[recipe]()
    assert data is None or len(data) < 8_000_000
    with promises.keeping(name, data or b""):
        _check({name: data}, name)
