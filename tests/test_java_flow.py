"""KC206: a Java consumer's commit before its records are processed."""

from __future__ import annotations

from pathlib import Path

import msglint

WORKER = """package shop;

import java.time.Duration;
import org.apache.kafka.clients.consumer.*;

public class Worker {
    void run(KafkaConsumer<String, String> unused) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props());
        while (true) {
            ConsumerRecords<String, String> records = consumer.poll(Duration.ofSeconds(1));
            for (ConsumerRecord<String, String> record : records) {
                %s
            }
        }
    }
}
"""


def _lines(tmp_path: Path, body: str) -> list[int]:
    path = tmp_path / "src/main/java/shop/Worker.java"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(WORKER % body, encoding="utf-8")
    return [f.span.line for f in msglint.lint([str(tmp_path)]).findings if f.code == "KC206"]


def test_a_commit_per_record_before_its_processing(tmp_path: Path) -> None:
    assert _lines(tmp_path, "consumer.commitAsync();\n                fulfil(record.value());") == [12]


def test_a_commit_per_record_after_its_processing(tmp_path: Path) -> None:
    assert _lines(tmp_path, "fulfil(record.value());\n                consumer.commitAsync();") == []


def test_logging_after_the_commit_is_not_processing(tmp_path: Path) -> None:
    assert _lines(tmp_path, 'consumer.commitSync();\n                log.info("{}", record.offset());') == []
