"""RC206: which rejections without requeue are tied to a queue, and when the queue's dead-letter
exchange (or its absence) is known."""

from __future__ import annotations

from pathlib import Path

import msglint


def _lines(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, int]]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [(Path(f.path).name, f.span.line) for f in msglint.lint([str(tmp_path)]).findings if f.code == "RC206"]


AIO = """import aio_pika


async def on_invoice(message):
    if not message.body:
        await message.nack(False, False)
        return
    await message.nack(requeue=True)


async def main(channel):
    queue = await channel.declare_queue("invoices", durable=True)
    await queue.consume(on_invoice)
"""


def test_aio_pika_consume_callback_and_positional_requeue(tmp_path: Path) -> None:
    assert _lines(tmp_path, {"worker.py": AIO}) == [("worker.py", 6)]


def test_a_queue_declared_in_another_file_counts(tmp_path: Path) -> None:
    consumer = (
        "import pika\n\n\ndef cb(ch, method, properties, body):\n"
        "    ch.basic_nack(delivery_tag=method.delivery_tag, requeue=False)\n\n\n"
        "pika.BlockingConnection().channel().basic_consume('orders', cb)\n"
    )
    setup = "import pika\n\npika.BlockingConnection().channel().queue_declare(queue='orders', durable=True)\n"
    assert _lines(tmp_path, {"consume.py": consumer, "setup.py": setup}) == [("consume.py", 5)]
    with_dlx = setup.replace("durable=True", "durable=True, arguments={'x-dead-letter-exchange': 'dlx'}")
    (tmp_path / "other.py").write_text(with_dlx, encoding="utf-8")
    assert _lines(tmp_path, {}) == []  # one declaration of the name dead-letters: the other may be stale


def test_an_rpc_server_is_not_judged(tmp_path: Path) -> None:
    text = """import aio_pika


async def main(channel, exchange):
    queue = await channel.declare_queue("rpc_queue")
    async for message in queue.iterator():
        async with message.process(requeue=False):
            await exchange.publish(aio_pika.Message(b"42"), routing_key=message.reply_to)
"""
    assert _lines(tmp_path, {"server.py": text}) == []


def test_each_language_has_its_own_code(tmp_path: Path) -> None:
    (tmp_path / "worker.py").write_text(AIO, encoding="utf-8")
    codes = [f.code for f in msglint.lint([str(tmp_path)]).findings if f.code in ("RC206", "RL303")]
    assert codes == ["RC206"]


def test_an_aio_pika_callback_that_rebinds_its_message_still_never_acks(tmp_path: Path) -> None:
    """Regression (toantranct94/poc @ 9bfa069, app/services/consume.py): RC205 stayed silent because
    the callback passes `message` on after `message = json.loads(...)` made it a dict, and a `nack()`
    on that dict is no broker call either."""
    code = """import json

from aio_pika import connect


async def on_message(message):
    message = json.loads(message.body.decode("utf-8"))
    store(**message)
    if not message:
        await message.nack(requeue=True)


async def passes(message):
    store(message)


async def main(url):
    channel = await (await connect(url)).channel()
    queue = await channel.declare_queue("cache", durable=True)
    await queue.consume(on_message)
    await queue.consume(passes)
"""
    (tmp_path / "consume.py").write_text(code, encoding="utf-8")
    found = [(f.code, f.span.line) for f in msglint.lint([str(tmp_path)]).findings if f.code == "RC205"]
    assert found == [("RC205", 20)]
