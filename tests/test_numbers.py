"""Numbers are parsed with bounds: a huge or odd value is a finding or unknown, never an internal
error, and the file's other findings survive (issue 13, item 4)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from msglint import numbers
from msglint.model import Setting
from msglint.spring import binding as spring

HUGE = "9" * 400
GIANT = "9" * 5000  # beyond Python's 4,300-digit int/str conversion limit


def _codes(result) -> list[str]:
    return sorted(f.code for f in result.findings)


def _clean(result) -> None:
    assert not result.errors, result.errors
    for finding in result.findings:
        assert "9" * 30 not in finding.message, finding.message  # never printed whole


# --- the crashes of the issue, through the whole pipeline ----------------------------------------


@pytest.mark.parametrize("digits", [HUGE, GIANT])
@pytest.mark.parametrize("key", ["session.timeout.ms", "max.poll.interval.ms"])
def test_a_huge_consumer_timeout_is_the_clients_error_and_the_rest_is_still_checked(lint, key, digits):
    result = lint(
        {"consumer.properties": f"bootstrap.servers=k:9092\ngroup.id=g\n{key}={digits}\nauto.offset.reset=smallest\n"}
    )
    _clean(result)
    by_line = {(f.code, f.span.line): f for f in result.findings}
    assert ("KX101", 4) in by_line  # the other finding of the file
    out = by_line[("KX101", 3)]
    assert out.message.startswith(
        f"`{key}=99999999999999999999… ({len(digits)} characters)` is outside the range "
        "of a Java int (-2147483648..2147483647): the client fails to start"
    )
    # already reported once: the liveness rules stay silent on it
    assert not {"KC210", "KC211", "KC212", "KC213", "KC215"} & set(_codes(result))


def test_a_value_just_beyond_an_int_is_refused_and_judged_by_no_other_rule(lint):
    result = lint({"consumer.properties": "group.id=g\nsession.timeout.ms=2147483648\nheartbeat.interval.ms=3000\n"})
    _clean(result)
    assert _codes(result).count("KX101") == 1
    assert "KC212" not in _codes(result) and "KC210" not in _codes(result)


def test_a_long_key_takes_what_an_int_key_refuses(lint):
    result = lint({"producer.properties": "acks=all\nlinger.ms=3000000000\nbatch.size=3000000000\n"})
    _clean(result)
    lines = sorted(f.span.line for f in result.findings if f.code == "KX101")
    assert lines == [3]  # batch.size is an INT, linger.ms a LONG (ProducerConfig)


@pytest.mark.parametrize("digits", [HUGE, GIANT])
def test_rabbitmq_conf_huge_disk_limit_is_unknown_and_the_other_findings_stay(lint, digits):
    result = lint({"rabbitmq.conf": f"disk_free_limit.absolute = {digits}\nvm_memory_high_watermark.relative = 0.95\n"})
    _clean(result)
    assert _codes(result) == ["RB301"]  # the watermark's finding; no rule judges the unknown size


@pytest.mark.parametrize("value", [HUGE, GIANT, f"{HUGE}.5", "1e999", "inf", "nan", "-inf"])
def test_rabbitmq_conf_watermark_that_is_no_erlang_float_is_unknown(lint, value):
    result = lint({"rabbitmq.conf": f"vm_memory_high_watermark.relative = {value}\ndisk_free_limit.absolute = 100MB\n"})
    _clean(result)
    assert _codes(result) == ["RB302"]


def test_rabbitmq_conf_huge_absolute_watermark_does_not_crash(lint):
    conf = f"vm_memory_high_watermark.absolute = {HUGE}GB\ndisk_free_limit.absolute = {HUGE}MB\n"
    result = lint({"rabbitmq.conf": conf + "vm_memory_high_watermark.relative = 0.95\n"})
    _clean(result)
    assert _codes(result) == ["RB301"]


CLUSTER = """\
apiVersion: rabbitmq.com/v1beta1
kind: RabbitmqCluster
metadata:
  name: r
spec:
  replicas: 3
  resources:
    limits:
      memory: {memory}
  rabbitmq:
    additionalConfig: |
      vm_memory_high_watermark.relative = 0.95
      vm_memory_high_watermark.absolute = 3GB
"""


@pytest.mark.parametrize("digits", [HUGE, GIANT])
def test_rabbitmq_cluster_huge_memory_limit_does_not_hide_the_manifests_findings(lint, digits):
    result = lint({"cluster.yaml": CLUSTER.format(memory=f"{digits}Gi")})
    _clean(result)
    found = [f for f in result.findings if f.code == "RB301"]
    # the relative watermark's finding; the absolute one is not compared with an unknown limit
    assert len(found) == 1 and "relative=0.95" in found[0].message


def test_rabbitmq_cluster_memory_limit_still_compared_when_it_is_a_number(lint):
    result = lint({"cluster.yaml": CLUSTER.format(memory="2Gi")})
    _clean(result)
    assert [f.code for f in result.findings].count("RB301") == 2  # 3GB is above 2Gi


JAVA = """\
import java.util.Properties;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class Consumer {{
    KafkaConsumer<String, String> create() {{
        Properties props = new Properties();
        props.put("group.id", "billing");
        props.put("auto.offset.reset", "smallest");
        props.put("session.timeout.ms", {value});
        return new KafkaConsumer<>(props);
    }}
}}
"""


@pytest.mark.parametrize("value", ["99999999999999", HUGE, GIANT])
def test_java_int_literal_too_large_is_a_compile_error_finding(lint, value):
    result = lint({"Consumer.java": JAVA.format(value=value)})
    _clean(result)
    by_line = {f.span.line: f for f in result.findings if f.code == "KX101"}
    assert 8 in by_line  # librdkafka's name: the other finding
    assert "javac refuses the literal (integer number too large)" in by_line[9].message
    assert not {"KC210", "KC211", "KC212"} & set(_codes(result))


def test_java_long_literal_for_an_int_key_is_refused_with_a_fix(lint):
    result = lint({"Consumer.java": JAVA.format(value="45000L")})
    _clean(result)
    found = next(f for f in result.findings if f.code == "KX101" and f.span.line == 9)
    assert "java.lang.Long" in found.message and found.fix is not None
    assert found.fix.edits[0].content == "45000"


def test_java_literals_are_read_as_javac_reads_them(lint):
    java = JAVA.format(value="0xFFFF_FFFF").replace(
        'props.put("group.id"', 'props.put("request.timeout.ms", 010);\n        props.put("group.id"'
    )
    result = lint({"Consumer.java": java})
    _clean(result)
    # 0xFFFFFFFF is the int -1 (two's complement) and 010 is 8: neither is out of range
    assert [f.span.line for f in result.findings if f.code == "KX101"] == [9]


@pytest.mark.parametrize("digits", [HUGE, GIANT])
def test_python_dict_with_a_huge_literal_keeps_the_modules_findings(lint, digits):
    source = (
        "from confluent_kafka import Consumer, Producer\n"
        f'c = Consumer({{"bootstrap.servers": "k", "group.id": "g", "session.timeout.ms": {digits}}})\n'
        'p = Producer({"bootstrap.servers": "k", "acks": 1})\n'
        "p.produce('t', b'v')\np.flush()\n"
    )
    result = lint({"app.py": source})
    _clean(result)
    assert "KP101" in _codes(result)  # acks=1 of the producer in the same file


def test_python_negative_huge_literal_and_kafka_python_keywords(lint):
    source = (
        "from kafka import KafkaConsumer, KafkaProducer\n"
        f'c = KafkaConsumer("t", group_id="g", session_timeout_ms=-{GIANT}, heartbeat_interval_ms={HUGE})\n'
        "p = KafkaProducer(acks=1)\n"
    )
    result = lint({"app.py": source})
    _clean(result)
    assert "KP101" in _codes(result)


def test_nats_durations_beyond_int64_are_unknown(lint):
    files = {
        "streams.yaml": (
            "apiVersion: jetstream.nats.io/v1beta2\nkind: Stream\nmetadata:\n  name: orders\nspec:\n  name: orders\n"
            f'  subjects: ["orders.*"]\n  replicas: 2\n  maxAge: {HUGE}h\n  duplicateWindow: 1e999s\n'
        ),
        "app.py": (
            "import nats\nfrom nats.js.api import StreamConfig\n"
            f"cfg = StreamConfig(name='s', subjects=['a'], num_replicas=2, max_age=1e999, duplicate_window={GIANT})\n"
        ),
    }
    result = lint(files)
    _clean(result)
    assert _codes(result).count("NS201") == 2  # num_replicas=2 in both, next to the unknown durations


def test_spring_typed_durations_and_sizes_beyond_a_long_are_unknown(lint):
    yml = (
        "spring:\n  kafka:\n    consumer:\n      group-id: g\n"
        f"      heartbeat-interval: {HUGE}s\n      max-poll-interval: P{GIANT}D\n      fetch-min-size: {HUGE}GB\n"
        "    producer:\n      acks: 1\n"
    )
    result = lint({"application.yml": yml})
    _clean(result)
    assert "KP101" in _codes(result)
    assert "KX101" not in _codes(result)  # Boot cannot bind them: their values are not known


def test_spring_duration_narrowed_to_an_int_says_what_the_client_gets(lint):
    yml = "spring:\n  kafka:\n    consumer:\n      group-id: g\n      heartbeat-interval: 30d\n"
    result = lint({"application.yml": yml})
    _clean(result)
    found = next(f for f in result.findings if f.code == "KX101")
    assert "hands the client -1702967296 instead" in found.message  # 2592000000 ms through intValue()


def test_huge_counts_in_strimzi_and_rabbitmq_definitions_do_not_crash(lint):
    topics = (
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaTopic\nmetadata:\n  name: orders\n  labels:\n"
        f"    strimzi.io/cluster: events\nspec:\n  partitions: {HUGE}\n  replicas: 1\n"
        f"  config:\n    min.insync.replicas: {GIANT}\n"
    )
    definitions = (
        '{"queues": [{"name": "q", "vhost": "/", "durable": false, "auto_delete": false, "arguments": '
        f'{{"x-max-length": {HUGE}, "x-message-ttl": {GIANT}}}}}]}}'
    )
    result = lint({"topics.yaml": topics, "definitions.json": definitions})
    _clean(result)
    assert "KT108" in _codes(result)  # the partition count is not a number the API server takes
    assert "RQ105" in _codes(result)  # the transient queue next to the huge arguments


# --- the helpers ---------------------------------------------------------------------------------


def test_integer_bounds_before_int_sees_the_digits():
    assert numbers.integer(" 42 ") == 42
    assert numbers.integer("+7", 32) == 7
    assert numbers.integer("2147483647", 32) == 2**31 - 1
    assert numbers.integer("-2147483648", 32) == -(2**31)
    assert numbers.integer("2147483648", 32) == numbers.OutOfRange("2147483648", 32)
    assert numbers.integer("9223372036854775807") == 2**63 - 1
    assert isinstance(numbers.integer("9223372036854775808"), numbers.OutOfRange)
    assert isinstance(numbers.integer(GIANT), numbers.OutOfRange)  # no ValueError from int()
    assert numbers.integer("0" * 5000 + "5") == 5  # leading zeros are not significant
    for text in ("1_000", "5ms", "1.5", "", "-", "١٢", "0x10", "inf"):
        assert numbers.integer(text) is None, text
    out = numbers.integer("-" + HUGE, 32)
    assert isinstance(out, numbers.OutOfRange) and (out.low, out.high) == numbers.INT32


def test_parse_int_and_setting_as_int_follow_the_keys_type():
    assert numbers.parse_int(None) is None and numbers.parse_int(HUGE) is None
    assert Setting("session.timeout.ms", "3000000000", "").as_int() is None  # a Java int
    assert Setting("linger.ms", "3000000000", "").as_int() == 3000000000  # a Java long
    assert Setting("x-max-length", GIANT, "").as_int() is None
    assert Setting("x-max-length", "1_000", "").as_int() is None


def test_decimal_and_double_refuse_what_no_setting_means():
    assert numbers.decimal("0.95") == Decimal("0.95")
    assert numbers.decimal("1e3") == 1000 and numbers.decimal("1e3", exponent=False) is None
    for text in ("inf", "nan", "-Infinity", "0x1p3", "1_0", "", "1." * 2, "9" * 101):
        assert numbers.decimal(text) is None, text
    assert numbers.parse_double("0.6") == 0.6
    assert numbers.parse_double("1e308") == 1e308
    for text in ("1e999", HUGE, f"{HUGE}.5", "nan", "inf"):
        assert numbers.parse_double(text) is None, text


def test_whole_never_expands_a_huge_exponent():
    assert numbers.whole(Decimal("1E+999999")) is None  # checked before any int is made
    assert numbers.whole(Decimal("1E-999999"), rounding="ROUND_CEILING") == 1
    assert numbers.whole(Decimal("-1.5")) == -2
    assert numbers.whole(Decimal("0E-99999")) == 0
    assert numbers.whole(Decimal("3000000000"), bits=32) is None


def test_kubernetes_quantities():
    assert numbers.kubernetes_bytes("2Gi") == 2 * 2**30
    assert numbers.kubernetes_bytes("512M") == 512 * 10**6
    assert numbers.kubernetes_bytes("1.5Gi") == 3 * 2**29
    assert numbers.kubernetes_bytes("0.1") == 1  # rounded up, as Quantity.Value() does
    assert numbers.kubernetes_bytes("8Ei") is None  # 2**63: beyond an int64
    for text in (f"{HUGE}Gi", f"{GIANT}", "1e999", "2 GiB", "", None):
        assert numbers.kubernetes_bytes(text) is None, text


def test_rabbitmq_information_units():
    assert numbers.rabbitmq_bytes("2GB") == 2 * 10**9
    assert numbers.rabbitmq_bytes("2G") == 2 * 2**30  # k, M, G are powers of 1024 in RabbitMQ
    assert numbers.rabbitmq_bytes("500MiB") == 500 * 2**20
    assert numbers.rabbitmq_bytes("50000kB") == 50_000_000
    assert numbers.rabbitmq_bytes("10000000000") == 10**10
    assert numbers.rabbitmq_bytes("1.5GB") == 1_500_000_000
    for text in (HUGE, f"{GIANT}GB", "2XB", "2 bytes", "1e9", "-5", None):
        assert numbers.rabbitmq_bytes(text) is None, text


def test_go_durations_as_time_parse_duration():
    assert numbers.go_duration_ns("1m30s") == 90 * 10**9
    assert numbers.go_duration_ns("1.5h") == 5400 * 10**9
    assert numbers.go_duration_ns("-2s") == -2 * 10**9
    assert numbers.go_duration_ns("0") == 0
    assert numbers.go_duration_ns("300µs") == 300_000
    assert numbers.go_duration_ns("2562047h") == 2562047 * 3600 * 10**9  # the largest whole hour
    for text in ("2562048h", f"{HUGE}s", f"{GIANT}h", "1e999s", "5", "s", "1d", "", "inf"):
        assert numbers.go_duration_ns(text) is None, text


def test_seconds_in_code_to_nanoseconds():
    assert numbers.seconds_to_ns("30") == 30 * 10**9
    assert numbers.seconds_to_ns("1.5") == 1_500_000_000
    assert numbers.seconds_to_ns("1_000") == 10**12
    assert numbers.seconds_to_ns("1e3") == 10**12
    for text in ("1e999", HUGE, "9223372037"):  # the last is just beyond an int64 of nanoseconds
        assert numbers.seconds_to_ns(text) is None, text


def test_java_and_python_literals():
    assert numbers.java_literal("30_000") == ("30000", False)
    assert numbers.java_literal("5L") == ("5", True)
    assert numbers.java_literal("0xFFFFFFFF") == ("-1", False)
    assert numbers.java_literal("0x7fff_ffff") == ("2147483647", False)
    assert numbers.java_literal("010") == ("8", False)
    assert numbers.java_literal("0b101") == ("5", False)
    assert numbers.java_literal(HUGE) == (HUGE, False)  # kept as written: KX101 says javac refuses it
    assert numbers.java_literal("0x1" + "0" * 16) is None  # a hex literal beyond 32 bits does not compile
    assert numbers.java_literal("09") is None
    assert numbers.python_int_literal("1_000") == "1000"
    assert numbers.python_int_literal("0x10") == "16"
    assert numbers.python_int_literal("0o17") == "15"
    assert numbers.python_int_literal("000") == "0"
    assert numbers.python_int_literal(GIANT) == GIANT  # no conversion, so no 4,300-digit limit
    assert numbers.python_int_literal("0x" + "f" * 5000) is None


def test_spring_conversions_are_exact_and_bounded():
    assert spring.duration_ms("3s") == 3000
    assert spring.duration_ms("PT1.5S") == 1500
    assert spring.duration_ms("P1DT2H") == 93_600_000
    assert spring.duration_ms("999999ns") == 0  # Duration.toMillis() truncates
    assert spring.duration_ms(f"{HUGE}s") is None
    assert spring.duration_ms(f"P{GIANT}D") is None
    assert spring.duration_ms(f"PT{HUGE}.5S") is None
    assert spring.datasize_bytes("10MB") == 10 * 2**20
    assert spring.datasize_bytes(f"{GIANT}KB") is None
    assert spring.render_value(spring.DURATION, "30000") == "30s"


def test_messages_never_show_a_long_number_whole():
    assert numbers.clip("12345") == "12345"
    assert numbers.clip(HUGE) == "99999999999999999999… (400 characters)"
    assert numbers.clip_digits(f"x={HUGE} and y={'1' * 24}") == f"x=99999999999999999999… (400 digits) and y={'1' * 24}"


def test_leading_zeros_do_not_reach_int():
    zeros = "0" * 5000
    assert numbers.integer(zeros + "5") == 5
    assert numbers.integer("-" + zeros + "5") == -5
    assert numbers.go_duration_ns(zeros + "5s") == 5 * 10**9
    assert numbers.java_literal(zeros + "7") == ("7", False)  # an octal literal
    assert spring.duration_ms(zeros + "5ms") == 5


def test_a_huge_rabbitmq_version_is_no_version(lint):
    definitions = (
        f'{{"rabbit_version": "{GIANT}", "queues": [{{"name": "q", "vhost": "/", "durable": false, '
        '"auto_delete": false, "arguments": {"x-queue-type": "classic"}}]}'
    )
    result = lint({"definitions.json": definitions})
    _clean(result)
    assert "RQ105" in _codes(result)


def test_version_parts_are_bounded():
    from msglint.rabbit import versions

    assert versions.from_tag("3.13.7-management") == "3.13.7"
    assert versions.from_tag(GIANT + ".1") is None
    assert versions.before(GIANT, (4, 0)) is None
    assert versions.major("4.1") == 4
