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
    # a misspelt code is MSG005's, with the code it meant; MSG003 only when MSG005 is not run
    assert ("typo.properties", "MSG005", 2) in got and ("typo.properties", "KP101", 3) in got
    assert ("typo.properties", "MSG003", 2) not in got
    assert ("typo.properties", "MSG003", 2) in _codes(lint(files, ignore=("MSG005",)))
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


def _at(result, code: str) -> list[tuple[str, int, int]]:
    return sorted((f.path, f.span.line, f.span.column) for f in result.findings if f.code == code)


def _messages(result, code: str) -> list[str]:
    return [f.message for f in sorted(result.findings, key=lambda f: (f.path, f.span.line)) if f.code == code]


def test_a_malformed_directive_is_reported_where_it_is_and_suppresses_nothing(lint) -> None:
    files = {
        "producer.properties": (
            "compression.type=lz4\n"
            "# msglint: disable KP101\n"  # 2: no `=`
            "acks=1\n"
            "# MSGLINT: DISABLE=KP104\n"  # 4: upper case
            "retries=0\n"
        ),
        "p.py": (
            "from confluent_kafka import Producer\n"
            "# msglint checks this file in CI\n"  # prose: not a directive
            'p = Producer({"bootstrap.servers": "k:9092", "acks": "1"})  # msglint: disabel=KP101\n'  # 3
            "# msglint disable=KP105\n"  # 4: no `:`
            "# msglint: disable=\n"  # 5: no code
            "# msglint: disable=KP101 KP105\n"  # 6: spaces, not commas
            "# Msglint: disable=KP105\n"  # 7
            "# msglint: Disable=KP105\n"  # 8
        ),
    }
    result = lint(files, select=("KP101", "KP104", "MSG005"))
    assert _at(result, "MSG005") == [
        ("p.py", 3, 61),
        *(("p.py", n, 1) for n in (4, 5, 6, 7, 8)),
        ("producer.properties", 2, 1),
        ("producer.properties", 4, 1),
    ]
    assert ("producer.properties", 3, 1) in _at(result, "KP101") and _at(result, "KP104")  # still reported
    assert any(line == 3 for path, line, _ in _at(result, "KP101") if path == "p.py")
    said = _messages(result, "MSG005")
    assert "unknown verb `disabel`: did you mean `disable`?" in said[0]
    assert "a `:` is missing after `msglint`" in said[1]
    assert "names no code" in said[2] and "separate the codes with commas" in said[3]
    assert all("lower case" in m for m in said[4:6])
    assert "a `=` is missing after `disable`" in said[6] and "lower case, `msglint: disable=CODE`" in said[7]
    assert all(
        f.severity == "warning" and f.name == "malformed-suppression" for f in result.findings if f.code == "MSG005"
    )
    assert _at(lint(files, select=("KP101", "KP104")), "MSG005") == []  # not selected: not reported


JAVA_BLOCKS = """import org.apache.kafka.clients.producer.KafkaProducer;
import java.util.Properties;

class P {
    KafkaProducer<String, String> create() {
        Properties props = new Properties();
        props.put("compression.type", "lz4");
        /* msglint: disable=KP101 -- metrics only */
        props.put("acks", "1");
        props.put("retries", 0); /* msglint: disable=producer-retries-disabled */
        /**
         * The legacy path.
         * msglint: disable-next-line=KP102
         */
        props.put("max.in.flight.requests.per.connection", "5"); props.put("enable.idempotence", "false");
        String s = "/* msglint: disable=KP103 */";
        /* MSGLINT: disable=KP103 */
        return new KafkaProducer<>(props);
    }
}
"""


def test_java_block_comments_and_javadoc_suppress(lint) -> None:
    result = lint({"P.java": JAVA_BLOCKS}, select=("KP1", "MSG003", "MSG005"))
    got = _codes(result)
    assert not any(c in ("KP101", "KP102", "KP104") for _, c, _ in got), got
    assert _at(result, "MSG003") == []
    assert _at(result, "MSG005") == [("P.java", 17, 9)]  # the upper-case one; the string literal is no comment


def test_a_reason_and_rule_names_and_a_did_you_mean(lint) -> None:
    files = {
        "a.properties": "compression.type=lz4\n# msglint: disable=KP101, KP104 -- legacy, replaced in Q3\nacks=1\n",
        "b.properties": "compression.type=lz4\nretries=0\n# msglint: disable=producer-acks-not-all\nacks=1\n",
        "c.properties": "compression.type=lz4\n# msglint: disable=producer-acks-not-al,KP104\nacks=1\nretries=0\n",
    }
    result = lint(files, select=("KP101", "KP104", "MSG003", "MSG005"))
    got = _codes(result)
    assert not any(p in ("a.properties", "b.properties") and c in ("KP101", "KP105") for p, c, _ in got), got
    assert ("a.properties", "MSG003", 2) in got  # KP104 was not needed on line 3: judged, with the reason ignored
    assert ("c.properties", "KP101", 3) in got  # the misspelt name suppresses nothing
    assert ("c.properties", "KP104", 4) in got and ("c.properties", "MSG003", 2) in got  # KP104 covers line 3 only
    (said,) = _messages(result, "MSG005")
    assert "`producer-acks-not-al` is not a rule code, prefix or name" in said
    assert "did you mean `KP101` (producer-acks-not-all)?" in said


TOPICS = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: payments
  labels:
    strimzi.io/cluster: prod
  annotations:
    msglint.io/ignore: "KT101: a scratch topic, rebuilt from the source of truth"
spec:
  partitions: 12
  replicas: 1
---
apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: orders
  labels:
    strimzi.io/cluster: prod
spec:
  partitions: 12
  replicas: 1
"""


def test_a_kubernetes_annotation_suppresses_in_its_resource_only(lint) -> None:
    result = lint({"topics.yaml": TOPICS}, select=("KT101", "MSG003", "MSG005"))
    assert _codes(result) == [("topics.yaml", "KT101", 21)]


def test_an_annotation_that_is_misplaced_misspelt_or_unused(lint) -> None:
    unused = TOPICS.replace("replicas: 1\n---", "replicas: 3\n---")
    result = lint({"topics.yaml": unused}, select=("KT101", "MSG003", "MSG005"))
    assert _codes(result) == [("topics.yaml", "KT101", 21), ("topics.yaml", "MSG003", 8)]
    assert "in this resource (lines 1-11)" in _messages(result, "MSG003")[0]

    wrong = TOPICS.replace("msglint.io/ignore", "msglint.io/ignored").replace(
        "  replicas: 1\n",
        '  template:\n    metadata:\n      annotations:\n        msglint.io/ignore: "KT101"\n  replicas: 1\n',
        1,
    )
    wrong = wrong.replace(
        "  labels:\n    strimzi.io/cluster: prod\nspec:",
        '  annotations:\n    msglint.io/ignore: "KT1O1,: x"\n  labels:\n    strimzi.io/cluster: prod\nspec:',
    )
    result = lint({"topics.yaml": wrong}, select=("KT101", "MSG005"))
    assert _at(result, "KT101") == [("topics.yaml", 15, 3), ("topics.yaml", 27, 3)]
    assert _at(result, "MSG005") == [("topics.yaml", 8, 5), ("topics.yaml", 14, 9), ("topics.yaml", 22, 5)]
    said = _messages(result, "MSG005")
    assert "unknown annotation `msglint.io/ignored`" in said[0]
    assert "resource's own `metadata.annotations`" in said[1]
    assert "`KT1O1` is not a rule code" in said[2] and "did you mean `KT101`" in said[2]


def test_scan_returns_the_malformed_directives_for_the_engine() -> None:
    from msglint import suppress

    found, wrong = suppress.scan("a.yaml", "yaml", ["x: 1  # msglint: disable KP101", "y: 2  # msglint: disable=KP101"])
    assert [(d.line, d.column, d.target, d.codes) for d in found] == [(2, 7, 2, ["KP101"])]
    assert [(m.path, m.line, m.column) for m in wrong] == [("a.yaml", 1, 7)] and "`=` is missing" in wrong[0].message
