"""Inline suppressions in each syntax, and the report of those that suppress nothing."""

from __future__ import annotations

PROPERTIES = """compression.type=lz4
# msglint: disable=KP101
acks=1
retries=0
"""
YAML = """spring:
  kafka:
    producer:
      # msglint: disable=KP101
      acks: 1
      retries: 0  # msglint: disable=KP104
"""
PYTHON = """from confluent_kafka import Producer

p = Producer({"bootstrap.servers": "k:9092", "compression.type": "lz4",
              "acks": "1"})  # msglint: disable=KP
p.produce("t", b"x")
p.flush()
"""
JAVA = """import org.apache.kafka.clients.producer.KafkaProducer;
import java.util.Properties;

class P {
    KafkaProducer<String, String> create() {
        Properties props = new Properties();
        props.put("compression.type", "lz4");
        // msglint: disable=KP101
        props.put("acks", "1");
        props.put("retries", 0); // msglint: disable=KP104
        return new KafkaProducer<>(props);
    }
}
"""


def _codes(result) -> list[tuple[str, str, int]]:
    return sorted((f.path, f.code, f.span.line) for f in result.findings)


def test_each_syntax_suppresses_on_its_line_or_the_line_above(lint) -> None:
    result = lint(
        {"producer.properties": PROPERTIES, "application.yml": YAML, "p.py": PYTHON, "P.java": JAVA},
        select=("KP101", "KP104", "KP105", "MSG003"),
    )
    got = _codes(result)
    assert ("producer.properties", "KP104", 4) in got and ("producer.properties", "KP101", 3) not in got
    assert not any(p == "application.yml" and c in ("KP101", "KP104") for p, c, _ in got)
    assert ("p.py", "KP105", 3) in got and not any(p == "p.py" and c == "KP101" for p, c, _ in got)  # a prefix
    assert not any(p == "P.java" and c in ("KP101", "KP104") for p, c, _ in got)
    assert not any(c == "MSG003" for _, c, _ in got)


def test_a_whole_file_and_an_unused_suppression(lint) -> None:
    files = {
        "legacy.properties": "# msglint: disable-file=KP\nacks=0\nretries=0\n",
        "fixed.properties": "compression.type=lz4\n# msglint: disable=KP101\nacks=all\n",
        "typo.properties": "compression.type=lz4\n# msglint: disable=KP1O1\nacks=1\n",
    }
    result = lint(files)
    got = _codes(result)
    assert not any(p == "legacy.properties" and c.startswith("KP") for p, c, _ in got)
    assert ("fixed.properties", "MSG003", 2) in got
    assert ("typo.properties", "MSG003", 2) in got and ("typo.properties", "KP101", 3) in got
    message = next(f.message for f in result.findings if f.code == "MSG003" and f.path == "fixed.properties")
    assert "KP101" in message and "line 3" in message


def test_codes_that_did_not_run_are_not_judged_and_msg003_can_be_turned_off(lint) -> None:
    files = {"fixed.properties": "compression.type=lz4\n# msglint: disable=KP101\nacks=all\n"}
    assert _codes(lint(files, select=("KC",))) == []
    assert _codes(lint(files, ignore=("MSG003",))) == []


def test_a_directive_inside_a_string_literal_is_not_one(lint) -> None:
    code = """import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

class P {
    KafkaProducer<String, String> a() {
        Properties props = new Properties();
        props.put("compression.type", "lz4");
        String note = "// msglint: disable=KP999";
        props.put("acks", "1"); String s = "x \\"quoted\\" // msglint: disable=KP101";
        return new KafkaProducer<>(props);
    }
}
"""
    result = lint({"P.java": code}, select=("KP101", "MSG003"))
    assert [(f.code, f.span.line) for f in result.findings] == [("KP101", 9)]
