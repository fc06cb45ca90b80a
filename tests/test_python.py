"""Kafka clients in Python source: what is followed, whose defaults apply, fixes in Python."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from msglint import fixes
from msglint.readers import python

CONFLUENT = """from confluent_kafka import Producer as P, Consumer
import aiokafka
from kafka import KafkaConsumer

BASE = {"bootstrap.servers": "k:9092"}


def build():
    conf = {**BASE, "acks": "1"}
    return P(conf)


c = Consumer(dict(BASE, **{"group.id": "g"}))
a = aiokafka.AIOKafkaProducer(bootstrap_servers="k:9092", acks=0)
k = KafkaConsumer("orders", group_id="g", enable_auto_commit=True, auto_offset_reset="smallest")
unknown = P(make_config())
"""


def test_configs_are_followed_through_variables_merges_and_aliases(lint) -> None:
    result = lint({"app.py": CONFLUENT}, select=("KP101", "KC201"))
    got = [(f.code, f.span.line, f.span.column) for f in result.findings]
    assert ("KP101", 9, 21) in got  # "acks": "1" reached through conf = {**BASE, ...} and P(conf)
    assert ("KP101", 14, 59) in got  # aiokafka acks=0
    assert ("KC201", 15, 43) in got  # kafka-python enable_auto_commit=True
    assert ("KC201", 13, 5) in got  # confluent Consumer: librdkafka's default is true
    assert not result.errors


def test_clients_keep_their_own_defaults_and_value_names(lint) -> None:
    result = lint({"app.py": CONFLUENT})
    codes = {(f.code, f.span.line) for f in result.findings}
    assert ("KX101", 15) not in codes  # smallest is librdkafka's name; kafka-python's values are its own
    assert ("KC202", 15) not in codes  # written (as smallest)


def test_fixes_keep_python_valid(lint, tmp_path: Path) -> None:
    result = lint({"app.py": CONFLUENT}, select=("KP101",))
    text = (tmp_path / "app.py").read_text()
    edits = [e for f in result.findings if f.fix for e in f.fix.edits]
    assert edits
    fixed = fixes.apply(text, edits)
    assert '"acks": "all"' in fixed and 'acks="all"' in fixed
    python.parse(fixed)


def test_syntax_errors_are_parse_findings_and_unrelated_files_are_not_parsed(lint) -> None:
    result = lint({"broken.py": "from kafka import KafkaProducer\ndef f(:\n", "other.py": "def g(:\n"})
    assert [(f.code, f.path, f.span.line) for f in result.findings] == [("MSG001", "broken.py", 2)]


def test_libcst_is_imported_only_for_a_fix(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text("acks=all\ncompression.type=lz4\n")
    code = "import sys, msglint.engine as e; e.run([sys.argv[1]]); print('libcst' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_linting_python_with_findings_does_not_import_libcst(tmp_path: Path) -> None:
    """Python is read with the stdlib ast; libcst is for rewriting source in a fix, not for reading."""
    (tmp_path / "app.py").write_text(CONFLUENT)
    code = (
        "import sys, msglint.engine as e; r = e.run([sys.argv[1]], workers=1); "
        "print(sorted({f.code for f in r.findings if f.path.endswith('app.py')}), 'libcst' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    codes, imported = out.stdout.strip().rsplit(" ", 1)
    assert "'KP101'" in codes and "'KC201'" in codes  # the module was read and judged in this process
    assert imported == "False"


def test_bundled_python_fixtures() -> None:
    from msglint import engine

    root = Path(__file__).resolve().parents[1]
    result = engine.run([str(root / "fixtures" / "python")], cwd=root)
    expected = {"KP101", "KP103", "KP107", "KC201", "KC211", "KC204"}
    expected |= {"RQ105", "RC201", "RC202", "RC203", "PY101", "PY102"}
    expected |= {"NC101", "NS203", "RC204", "PY103", "PY104"}
    assert {f.code for f in result.findings} >= expected
    assert not [f for f in result.findings if "/good/" in f.path]


PIKA = """import pika as p
import aio_pika

ch = p.BlockingConnection(p.ConnectionParameters("rabbitmq")).channel()
ARGS = {"x-queue-type": "quorum"}
ch.queue_declare("orders")
ch.queue_declare("audit", False, True, arguments=ARGS)
ch.queue_declare(queue="", exclusive=True)
ch.queue_declare(queue="tmp", passive=True)
ch.queue_declare(queue="opts", **OPTIONS)
ch.queue_declare(queue=name_of("x"), durable=False, arguments={"x-max-length": 10})


async def main(channel):
    await channel.declare_queue("jobs", durable=True)
    await channel.declare_queue("bounded", durable=True, arguments={"x-max-length": 10})
"""


def test_pika_and_aio_pika_queues_use_their_libraries_defaults(lint) -> None:
    result = lint({"app.py": PIKA})
    got = {(f.code, f.span.line) for f in result.findings}
    assert ("RQ105", 6) in got  # durable not written: pika's default is False
    assert ("RQ105", 7) not in got  # durable=True given positionally
    assert ("RQ105", 8) not in got  # exclusive
    assert not {line for code, line in got if line in (9, 10)}  # passive, **options: not judged
    assert ("RQ105", 11) in got and ("RQ104", 11) in got  # named at run time, still a declaration
    assert ("RQ104", 16) in got
    assert not {code for code, _ in got if code in ("RQ103", "RQ106")}  # policies are out of sight in code
    assert not result.errors
    overflow = next(f for f in result.findings if f.code == "RQ104" and f.span.line == 16)
    assert overflow.fix is not None and '"x-overflow": "reject-publish"' in overflow.fix.title


COMMITS = """from aiokafka import AIOKafkaConsumer
from confluent_kafka import Consumer

c = Consumer({"bootstrap.servers": "k:9092", "group.id": "g"})


async def loop(handle):
    consumer = AIOKafkaConsumer("t", group_id="g", enable_auto_commit=False)
    async for msg in consumer:
        if msg.value is None:
            await consumer.commit()
            continue
        await handle(msg)
        await consumer.commit()
        log.info(f"done {data.get('id', msg.offset)}")  # formatting a log line is not processing


def batch():
    msgs = c.consume(100, 1.0)
    c.commit(asynchronous=False)
    for m in msgs:
        process(m.value())
"""


def test_commit_before_processing_stays_within_one_block(lint) -> None:
    result = lint({"app.py": COMMITS}, select=("KC204",))
    assert [(f.span.line, f.span.column) for f in result.findings] == [(20, 5)]  # batch(), not the skip branch
    assert "line 22" in result.findings[0].message


def test_idempotence_conflicts_are_told_the_python_clients_way(lint) -> None:
    code = """from aiokafka import AIOKafkaProducer
from confluent_kafka import Producer

a = AIOKafkaProducer(bootstrap_servers="k:9092", enable_idempotence=True, acks=1)
c = Producer({"bootstrap.servers": "k:9092", "max.in.flight.requests.per.connection": 10})
"""
    result = lint({"app.py": code}, select=("KP103",))
    assert [(f.span.line, "ValueError" in f.message, "ConfigException" in f.message) for f in result.findings] == [
        (4, True, False)
    ]  # and librdkafka's default (idempotence off) has nothing to conflict with


NATS = """from nats.js import api
import nats


async def main(js):
    await js.add_stream(api.StreamConfig(name="ORDERS", subjects=["orders.>"], storage=api.StorageType.MEMORY))
    await js.add_stream(name="EVENTS", subjects=["events.>"], max_age=86400, num_replicas=3)
    await js.add_consumer("ORDERS", api.ConsumerConfig(durable_name="c", ack_wait=2.5, max_deliver=5))
"""


def test_nats_py_configs_are_read_in_the_servers_terms(lint, tmp_path: Path) -> None:
    result = lint({"app.py": NATS})
    got = {(f.code, f.span.line) for f in result.findings}
    assert ("NS203", 6) in got  # api.StorageType.MEMORY through `from nats.js import api`
    assert not {code for code, line in got if line == 7}  # seconds read as such: 86400 s is a bound
    assert not result.errors
    from msglint.discover import Candidate
    from msglint.documents import read
    from msglint.extract import python_nats

    (tmp_path / "app.py").write_text(NATS)
    entities = python_nats.extract(read(Candidate(tmp_path / "app.py", "python", "python", True), tmp_path))
    consumer = next(e for e in entities if e.kind == "nats.consumer")
    assert consumer.settings["ack_wait"].value == str(int(2.5 * 10**9))
    stream = next(e for e in entities if e.name == "EVENTS")
    assert stream.settings["max_age"].value == str(86400 * 10**9)
    fix = stream.writer.insert("max_age", str(7 * 24 * 3600 * 10**9)) if stream.writer else None
    assert fix is not None and fix.snippet == "max_age=604800"
    enum = stream.writer.insert("ack_policy", "explicit") if stream.writer else None
    assert enum is not None and enum.snippet == "ack_policy=AckPolicy.EXPLICIT"


def test_columns_count_characters_on_lines_with_non_ascii_text(lint) -> None:
    # ast counts UTF-8 bytes; a finding's column counts characters
    source = 'from kafka import KafkaProducer\np = KafkaProducer(client_id="café→☕", acks=0)\n'
    result = lint({"app.py": source}, select=("KP101",))
    assert [(f.span.line, f.span.column, f.span.end_column) for f in result.findings] == [(2, 39, 45)]


def test_type_parameters_of_newer_pythons_do_not_hide_a_modules_findings(lint) -> None:
    source = (
        "from kafka import KafkaProducer\n\n\ndef first[T](items: list[T]) -> T:\n    return items[0]\n\n\n"
        "class Box[T]:\n    pass\n\n\ntype Pair[T] = tuple[T, T]\np = KafkaProducer(acks=0)\n"
    )
    result = lint({"app.py": source}, select=("KP101", "MSG001"))
    assert [(f.code, f.span.line, f.span.column) for f in result.findings] == [("KP101", 13, 19)]
