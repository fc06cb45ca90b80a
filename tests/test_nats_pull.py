"""NC106: which nats-py pull subscriptions are taken for never acknowledged."""

from __future__ import annotations

from pathlib import Path

import msglint

HEAD = "import nats\n\n\nasync def main(js):\n"


def _lines(tmp_path: Path, body: str) -> list[int]:
    (tmp_path / "worker.py").write_text(HEAD + body, encoding="utf-8")
    return [f.span.line for f in msglint.lint([str(tmp_path)]).findings if f.code == "NC106"]


def test_an_attribute_subscription_fetched_in_a_loop(tmp_path: Path) -> None:
    body = (
        "    self.sub = await js.pull_subscribe('orders', durable='w')\n"
        "    while True:\n"
        "        for msg in await self.sub.fetch(5):\n"
        "            handle_locally(msg.data)\n"
    )
    assert _lines(tmp_path, body) == [7]


def test_an_ack_passed_as_a_callback_counts(tmp_path: Path) -> None:
    body = "    sub = await js.pull_subscribe('orders', durable='w')\n    for m in await sub.fetch(5):\n"
    body += "        schedule(m.data, done=m.ack)\n"
    assert _lines(tmp_path, body) == []


def test_a_batch_handed_to_another_module_may_be_acked_there(tmp_path: Path) -> None:
    body = "    sub = await js.pull_subscribe('orders', durable='w')\n    msgs = await sub.fetch(5)\n"
    body += "    await worker.process_batch(msgs)\n"
    assert _lines(tmp_path, body) == []


def test_a_config_built_elsewhere_is_unknown(tmp_path: Path) -> None:
    body = "    sub = await js.pull_subscribe('orders', durable='w', config=CONFIG)\n"
    body += "    for m in await sub.fetch(5):\n        print(m)\n"
    assert _lines(tmp_path, body) == []


def test_a_subscription_never_fetched_here_is_not_judged(tmp_path: Path) -> None:
    assert _lines(tmp_path, "    return await js.pull_subscribe('orders', durable='w')\n") == []
