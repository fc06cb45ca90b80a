"""Side effects of handlers in Python source: dual writes (PY103) and unguarded inserts (PY104)."""

from __future__ import annotations

NATS_NESTED = """import nats


async def main(pool):
    nc = await nats.connect("nats://nats:4222")
    js = nc.jetstream()

    async def handle(msg):
        async with pool.acquire() as conn:
            await conn.execute("INSERT INTO events (body) VALUES ($1)", msg.data)
        await msg.ack()

    await js.subscribe("events.>", durable="store", cb=handle, manual_ack=True)
"""

PIKA_METHOD = """import pika


class Worker:
    def on_message(self, ch, method, properties, body):
        self.session.add(Order(body=body))
        self.session.commit()
        ch.basic_ack(delivery_tag=method.delivery_tag)

    def run(self):
        self.channel.basic_consume(queue="orders", on_message_callback=self.on_message)


def backfill(cursor):
    cursor.execute("INSERT INTO orders SELECT * FROM staging")  # not reached from a handler
"""

AIO_PIKA_ITERATOR = """import aio_pika


async def consume(queue, collection):
    async with queue.iterator() as messages:
        async for message in messages:
            async with message.process():
                await collection.insert_one({"body": message.body})
"""


def _codes(result, code: str) -> list[tuple[str, int]]:
    return [(f.path, f.span.line) for f in result.findings if f.code == code]


def test_inserts_are_found_in_callbacks_methods_and_iterators(lint) -> None:
    result = lint(
        {"nats_app.py": NATS_NESTED, "pika_app.py": PIKA_METHOD, "aio_app.py": AIO_PIKA_ITERATOR}, select=("PY104",)
    )
    assert sorted(_codes(result, "PY104")) == [("aio_app.py", 8), ("nats_app.py", 10), ("pika_app.py", 6)]
    nats = next(f for f in result.findings if f.path == "nats_app.py")
    assert "registered as the message callback `handle`" in nats.message
    assert "ON CONFLICT" in nats.message  # it says what it looked for
    assert [r.span.line for r in nats.related] == [13]


def test_any_idempotency_idiom_in_the_module_silences_inserts(lint) -> None:
    guarded = {
        "redis.py": PIKA_METHOD + "\n\ndef seen(r, key):\n    return not r.set(key, 1, nx=True, ex=3600)\n",
        "caught.py": PIKA_METHOD.replace(
            "self.session.commit()",
            "try:\n            self.session.commit()\n"
            "        except IntegrityError:\n            self.session.rollback()",
        ),
        "upsert.py": AIO_PIKA_ITERATOR.replace(
            'insert_one({"body": message.body})', 'update_one({"_id": message.message_id}, {"$set": {}}, upsert=True)'
        ),
    }
    assert _codes(lint(guarded, select=("PY104",)), "PY104") == []


def test_dual_writes_skip_dead_letter_sends_reads_and_other_sends(lint) -> None:
    code = """from kafka import KafkaProducer

producer = KafkaProducer(bootstrap_servers="kafka:9092", acks="all")


def reserve(db, mailer, sku):
    rows = db.execute("SELECT id FROM stock WHERE sku = ?", (sku,))
    producer.send("stock.checked", value=sku)  # a read, then a send: one write
    mailer.send(to="ops")


def route(db, sku):
    try:
        db.execute("UPDATE stock SET reserved = 1 WHERE sku = ?", (sku,))
        db.commit()
    except Exception:
        producer.send("stock.dlq", value=sku)
        raise


def confirm(db, sku):
    db.execute("DELETE FROM reservations WHERE sku = ?", (sku,))
    db.commit()
    producer.send("stock.released", value=sku)
"""
    result = lint({"stock.py": code, "test_stock.py": code}, select=("PY103",), include_tests=True)
    assert _codes(result, "PY103") == [("stock.py", 24)]
    finding = result.findings[0]
    assert "producer.send()" in finding.message and 'db.execute("DELETE …") at line 22' in finding.message


def test_a_script_top_level_is_a_function_too(lint) -> None:
    code = """import sqlite3

from confluent_kafka import Consumer, Producer

db = sqlite3.connect("app.db")
consumer = Consumer({"bootstrap.servers": "k:9092", "group.id": "g", "enable.auto.commit": False,
                     "auto.offset.reset": "earliest"})
producer = Producer({"bootstrap.servers": "k:9092", "compression.type": "lz4"})
consumer.subscribe(["in"])
while True:
    msg = consumer.poll(1.0)
    if msg is None:
        continue
    db.execute("INSERT INTO seen (v) VALUES (?)", (msg.value(),))
    db.commit()
    producer.produce("out", msg.value())
    producer.poll(0)
    consumer.commit(message=msg)
"""
    result = lint({"pipe.py": code}, select=("PY103", "PY104"))
    assert sorted((f.code, f.span.line) for f in result.findings) == [("PY103", 16), ("PY104", 14)]


def test_consumers_that_are_never_redelivered_are_not_judged(lint) -> None:
    core_nats = NATS_NESTED.replace("js.subscribe", "nc.subscribe").replace(", manual_ack=True", "")
    auto_ack = PIKA_METHOD.replace(
        "on_message_callback=self.on_message)", "on_message_callback=self.on_message, auto_ack=True)"
    )
    result = lint({"core.py": core_nats, "auto.py": auto_ack}, select=("PY104",))
    assert _codes(result, "PY104") == []


def test_a_docstring_saying_dedupe_is_not_a_guard_and_rpc_replies_are_not_sends(lint) -> None:
    code = '''"""No dedupe here."""
import pika


def on_request(ch, method, props, body):
    db.execute("INSERT INTO users (name) VALUES (?)", (body,))
    db.commit()
    ch.basic_publish(exchange="", routing_key=props.reply_to, body=b"ok")
    ch.basic_ack(delivery_tag=method.delivery_tag)


def serve(channel):
    channel.basic_consume(queue="rpc", on_message_callback=on_request)
'''
    result = lint({"rpc.py": code}, select=("PY103", "PY104"))
    assert sorted((f.code, f.span.line) for f in result.findings) == [("PY104", 6)]


def test_a_relay_of_stored_messages_is_not_a_dual_write(lint) -> None:
    """Regression (palladiumkenya/spot-v2-api, refresh_messages.py): a loop that republishes the
    stored bodies of unprocessed log records and bumps each record's tries is an outbox relay; the
    same loop publishing a business change it just wrote is still a dual write."""
    code = """from aio_pika import Message


async def resend(exchange, Log):
    for m in Log.find({"processed": False}):
        await exchange.publish(Message(body=m["body"].encode()), routing_key="orders")
        Log.update_one({"_id": m["_id"]}, {"$inc": {"tries": 1}})


async def ship(exchange, Order, orders):
    for order in orders:
        Order.update_one({"_id": order.id}, {"$set": {"status": "shipped"}})
        await exchange.publish(Message(body=order.id.encode()), routing_key="shipped")
"""
    result = lint({"relay.py": code}, select=("PY103",))
    assert _codes(result, "PY103") == [("relay.py", 13)]
