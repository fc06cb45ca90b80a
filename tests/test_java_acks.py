"""JV101: which acknowledgements in a finally block are reported."""

from __future__ import annotations

from pathlib import Path

import msglint

CONSUMER = """package shop;

import com.rabbitmq.client.*;

public class Worker extends DefaultConsumer {
    public Worker(Channel channel) { super(channel); }

    @Override
    public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        try (var span = tracer.start()) {
            process(body);
        } finally {
            getChannel().basicAck(envelope.getDeliveryTag(), false);
        }
    }

    void nothing(Channel channel, long tag) throws Exception {
        try {
        } finally {
            channel.basicAck(tag, false);
        }
    }
}
"""


def _found(tmp_path: Path, where: str) -> list[tuple[str, int]]:
    path = tmp_path / where
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(CONSUMER, encoding="utf-8")
    return [(f.code, f.span.line) for f in msglint.lint([str(tmp_path)]).findings if f.code == "JV101"]


def test_try_with_resources_in_a_default_consumer(tmp_path: Path) -> None:
    # the empty try of `nothing` does no work that could fail: not reported
    assert _found(tmp_path, "src/main/java/shop/Worker.java") == [("JV101", 13)]


def test_test_sources_are_skipped(tmp_path: Path) -> None:
    assert _found(tmp_path, "src/test/java/shop/Worker.java") == []
