"""False positives found on real trees, each reduced to a minimal reproduction (Python clients,
nats-py, nats-server.conf, client libraries' own code)."""

from __future__ import annotations

from msglint.discover import Candidate
from msglint.documents import read
from msglint.extract import python_kafka


def _codes(result, code: str) -> list[tuple[str, int]]:
    return [(f.path, f.span.line) for f in result.findings if f.code == code]


def _consumer(tmp_path, source: str):
    (tmp_path / "app.py").write_text(source)
    document = read(Candidate(tmp_path / "app.py", "python", "python", True), tmp_path)
    return [e for e in python_kafka.extract(document)]


# --- 1. KC201: what auto-commit risks, per client -------------------------------------------------


def test_librdkafka_offsets_stored_after_processing_are_at_least_once(lint) -> None:
    source = """from confluent_kafka import Consumer

consumer = Consumer({"bootstrap.servers": "k:9092", "group.id": "g", "enable.auto.offset.store": False})
while True:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    handle(msg)
    consumer.store_offsets(message=msg)
"""
    assert _codes(lint({"app.py": source}), "KC201") == []


def test_consumers_without_a_group_do_not_auto_commit(lint) -> None:
    source = """from aiokafka import AIOKafkaConsumer
from kafka import KafkaConsumer

a = KafkaConsumer("t", bootstrap_servers="k:9092")
b = KafkaConsumer("t", bootstrap_servers="k:9092", group_id=None)
c = AIOKafkaConsumer("t", bootstrap_servers="k:9092")
d = AIOKafkaConsumer("t", bootstrap_servers="k:9092", group_id=None, enable_auto_commit=True)
"""
    assert _codes(lint({"app.py": source}), "KC201") == []


def test_confluent_consumer_without_group_is_not_an_auto_commit_finding(lint) -> None:
    # confluent-kafka refuses it ("group.id must be set"): auto-commit is not what goes wrong
    source = 'from confluent_kafka import Consumer\n\nc = Consumer({"bootstrap.servers": "k:9092"})\n'
    assert _codes(lint({"app.py": source}), "KC201") == []


def test_auto_commit_message_says_what_each_client_risks(lint) -> None:
    source = """import asyncio
from concurrent.futures import ThreadPoolExecutor

from aiokafka import AIOKafkaConsumer
from confluent_kafka import Consumer
from kafka import KafkaConsumer

pool = ThreadPoolExecutor()
rdk = Consumer({"group.id": "g"})
sync = KafkaConsumer("t", group_id="g")
for record in sync:
    handle(record)
threaded = KafkaConsumer("t", group_id="h")
for record in threaded:
    pool.submit(handle, record)


async def main():
    aio = AIOKafkaConsumer("t", group_id="g")
    async for msg in aio:
        asyncio.create_task(handle(msg))
"""
    result = lint({"app.py": source}, select=("KC201",))
    by_line = {f.span.line: f for f in result.findings}
    assert set(by_line) == {9, 10, 13, 19}
    assert "background thread" in by_line[9].message and "store_offsets" in by_line[9].message
    assert by_line[9].fix is not None and "enable.auto.offset.store" in by_line[9].fix.snippet
    assert "at-least-once" in by_line[10].message and "shows no hand-off" in by_line[10].message
    assert "handed off at line 15 (pool.submit())" in by_line[13].message
    assert "background task" in by_line[19].message and "handed off at line 21" in by_line[19].message


def test_auto_commit_in_a_properties_file_says_processing_is_unknown(lint) -> None:
    result = lint({"consumer.properties": "group.id=g\nauto.offset.reset=earliest\n"}, select=("KC201",))
    [finding] = result.findings
    assert "cannot tell from here how the records are processed" in finding.message


# --- 2. librdkafka configuration dicts ------------------------------------------------------------


def test_librdkafka_aliases_are_the_same_settings(tmp_path) -> None:
    source = """from confluent_kafka import Producer

p = Producer({"compression.codec": "lz4", "queue.buffering.max.ms": 20, "request.required.acks": -1,
              "message.send.max.retries": 5, "message.timeout.ms": 60000, "max.in.flight": 5,
              "metadata.broker.list": "k:9092"})
"""
    [producer] = _consumer(tmp_path, source)
    values = {k: s.value for k, s in producer.settings.items()}
    assert values == {
        "compression.type": "lz4",
        "linger.ms": "20",
        "acks": "all",
        "retries": "5",
        "delivery.timeout.ms": "60000",
        "max.in.flight.requests.per.connection": "5",
        "bootstrap.servers": "k:9092",
    }
    assert producer.settings["compression.type"].origin.raw_key == '"compression.codec"'


def test_librdkafka_aliases_silence_the_rules_of_their_keys(lint) -> None:
    source = """from confluent_kafka import Producer

p = Producer({"bootstrap.servers": "k:9092", "compression.codec": "zstd", "queue.buffering.max.ms": 50})
"""
    result = lint({"app.py": source}, select=("KP302", "KP301"))
    assert result.findings == []


def test_default_topic_config_carries_topic_level_settings(lint) -> None:
    source = """from confluent_kafka import Consumer, Producer

c = Consumer({"group.id": "g", "default.topic.config": {"auto.offset.reset": "smallest"}})
p = Producer({"bootstrap.servers": "k:9092", "acks": "all",
              "default.topic.config": {"request.required.acks": 1, "compression.codec": "gzip"}})
"""
    result = lint({"app.py": source}, select=("KC202", "KP101", "KP302"))
    got = [(f.code, f.span.line) for f in result.findings]
    assert ("KC202", 3) not in got  # reset written (librdkafka's `smallest`) in the topic config
    assert ("KP101", 5) in got  # default.topic.config is merged over the top level: acks=1 wins
    assert not [g for g in got if g[0] == "KP302"]


def test_unpacked_dicts_are_followed(lint) -> None:
    source = """from confluent_kafka import Consumer, Producer

CONF = {"bootstrap.servers": "k:9092", "group.id": "g", "enable.auto.commit": False}
consumer = Consumer(**CONF)
extra = {"acks": "1"}
producer = Producer({"bootstrap.servers": "k:9092"}, **extra)
"""
    result = lint({"app.py": source}, select=("KC201", "KP101"))
    got = [(f.code, f.span.line) for f in result.findings]
    assert ("KC201", 4) not in got and ("KC201", 3) not in got
    assert ("KP101", 5) in got  # the keyword dict is applied after the positional one


def test_a_part_that_cannot_be_followed_leaves_defaults_unknown(lint) -> None:
    source = """from confluent_kafka import Consumer
from kafka import KafkaConsumer

c = Consumer({**load_settings(), "group.id": "g"})
k = KafkaConsumer("t", group_id="g", **options())
"""
    assert _codes(lint({"app.py": source}), "KC201") == []


# --- 3. NC101 and nats-py's own defaults ----------------------------------------------------------


def test_nats_py_consumers_acknowledge_explicitly_by_default(lint) -> None:
    source = """from nats.js.api import AckPolicy, ConsumerConfig


async def setup(js):
    await js.add_consumer("ORDERS", ConsumerConfig(durable_name="billing", max_deliver=5))
    await js.add_consumer("ORDERS", durable_name="audit", max_deliver=5)
    await js.pull_subscribe("orders.*", durable="shipping", config=ConsumerConfig(max_deliver=5))
    await js.add_consumer("ORDERS", durable_name="fire", ack_policy=AckPolicy.NONE, max_deliver=5)
    await js.add_consumer("ORDERS", ConsumerConfig(durable_name="nil", ack_policy=None, max_deliver=5))
"""
    result = lint({"app.py": source}, select=("NC101",))
    assert [f.span.line for f in result.findings] == [8, 9]


# --- 4. a client library's own code is not an application ---------------------------------------


def test_a_client_librarys_own_package_is_not_judged(lint) -> None:
    wrapper = """import pika.connection
from pika import spec


class Channel:
    def channel(self):
        return self._connection.channel()

    def basic_publish(self, exchange, routing_key, body):
        self._channel.basic_publish(exchange=exchange, routing_key=routing_key, body=body)

    def basic_consume(self, queue, cb):
        return self._channel.basic_consume(queue, cb, auto_ack=True)
"""
    app = """import pika

ch = pika.BlockingConnection(pika.ConnectionParameters("rabbitmq")).channel()
ch.basic_publish(exchange="", routing_key="jobs", body=b"x")
"""
    result = lint(
        {
            "pika/__init__.py": "",
            "pika/adapters/__init__.py": "",
            "pika/adapters/twisted.py": wrapper,
            "examples/publish.py": app,
        }
    )
    paths = {f.path for f in result.findings if f.code.startswith("RC")}
    assert paths == {"examples/publish.py"}


# --- 5. nats-server.conf aliases -----------------------------------------------------------------


def test_nats_server_aliases_are_read(lint) -> None:
    conf = "jetstream: {\n    max_mem: 1G\n    max_file: 10G\n    storedir: /data\n}\n"
    assert _codes(lint({"nats-server.conf": conf}), "NV302") == []
    upper = "JetStream {\n    Max_Memory_Store: 1G\n    STORE: /data\n}\n"
    assert _codes(lint({"nats-server.conf": upper}), "NV302") == []
    unlimited = "jetstream {\n    store_dir: /data\n}\n"
    assert _codes(lint({"nats-server.conf": unlimited}), "NV302") == [("nats-server.conf", 1)]
