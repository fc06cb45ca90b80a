"""KP108: which Java Kafka sends are taken for unchecked."""

from __future__ import annotations

from pathlib import Path

import msglint

TRANSACTIONAL = """package shop;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

public class Processor {
    void run(KafkaProducer<String, String> producer, Iterable<String> values) {
        producer.beginTransaction();
        for (String value : values) {
            producer.send(new ProducerRecord<>("out", value));
        }
        producer.commitTransaction();
    }

    void other(RabbitTemplate rabbitTemplate) {
        rabbitTemplate.send("exchange", "key", null);
    }
}
"""


def test_a_transactional_producer_and_a_rabbit_template_are_not_judged(tmp_path: Path) -> None:
    path = tmp_path / "src/main/java/shop/Processor.java"
    path.parent.mkdir(parents=True)
    path.write_text(TRANSACTIONAL, encoding="utf-8")
    assert not [f for f in msglint.lint([str(tmp_path)]).findings if f.code == "KP108"]


def test_without_the_transaction_the_send_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "src/main/java/shop/Processor.java"
    path.parent.mkdir(parents=True)
    text = TRANSACTIONAL.replace("        producer.beginTransaction();\n", "").replace("commitTransaction", "flush")
    path.write_text(text, encoding="utf-8")
    assert [f.span.line for f in msglint.lint([str(tmp_path)]).findings if f.code == "KP108"] == [9]
