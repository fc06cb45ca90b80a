"""False positives found on real trees after the first round, each reduced to a minimal case:
templated configuration files, KRaft controller nodes, values known only at run time, AMQP
transactions and a client library's own modules."""

from __future__ import annotations

import pytest

from msglint.kafka import keys


def _codes(result) -> list[tuple[str, str, int]]:
    return sorted((f.code, f.path, f.span.line) for f in result.findings)


@pytest.mark.parametrize(
    ("value", "placeholder"),
    [
        ("${REPLICAS}", True),
        ("{{ replicas }}", True),
        ("{% if x %}1{% endif %}", True),
        ("{replicas}", True),
        ("@kafka.replicas@", True),
        ("3", False),
        ("{not a placeholder", False),
        ("user@example.com", False),
    ],
)
def test_placeholders(value: str, placeholder: bool) -> None:
    assert keys.is_placeholder(value) is placeholder


def test_a_python_format_broker_template_is_unknown(lint) -> None:
    """A broker file filled in by str.format: template lines may write any key, so no default is judged."""
    files = {
        "servers/default/kafka.properties": (
            "process.roles=broker,controller\nnode.id={broker_id}\n{sasl_config}\n"
            "default.replication.factor={replicas}\nlog.dirs={tmp_dir}/logs\n"
        )
    }
    assert _codes(lint(files, select=("ALL",))) == []


def test_a_jinja_value_is_unknown_not_invalid(lint) -> None:
    files = {"consumer.properties": "bootstrap.servers=k:9092\ngroup.id=g\nsession.timeout.ms={{ timeout }}\n"}
    assert not [c for c in _codes(lint(files, select=("KX101", "KC212", "KC213")))]


def test_a_controller_only_node_gets_no_client_rules(lint) -> None:
    controller = "process.roles=controller\nnode.id=1\ncontroller.quorum.voters=1@c1:9093,2@c2:9093,3@c3:9093\n"
    broker = "process.roles=broker\nnode.id=4\ncontroller.quorum.voters=1@c1:9093,2@c2:9093,3@c3:9093\n"
    result = lint({"controller.properties": controller, "broker.properties": broker}, select=("KB206",))
    assert _codes(result) == [("KB206", "broker.properties", 1)]


def test_a_go_template_of_a_nats_config_is_msg002(lint) -> None:
    conf = "port: 4222\n{{ range .Routes }}\nroute {{ . }}\n{{ end }}\njetstream {\n  store_dir: {{ .Dir }}\n}\n"
    result = lint({"scaffold/server.conf": conf})
    assert {f.code for f in result.findings} <= {"MSG002"}
    readable = lint({"other/server.conf": "port: 4222\njetstream {\n  store_dir: {{ .Dir }}\n}\n"}, select=("MSG",))
    assert [f.code for f in readable.findings] == []


def test_group_protocol_known_only_at_run_time(lint) -> None:
    source = """package app;

import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

class Tool {
    KafkaConsumer<String, String> build(String protocol, String assignor) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
        props.put(ConsumerConfig.GROUP_PROTOCOL_CONFIG, protocol);
        props.put(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, assignor);
        return new KafkaConsumer<>(props);
    }
}
"""
    assert _codes(lint({"src/main/java/app/Tool.java": source}, select=("KC214",))) == []


def test_an_amqp_transaction_commit_is_not_a_database_write(lint) -> None:
    code = """import aio_pika


async def publish(connection):
    channel = await connection.channel()
    tx = channel.transaction()
    await tx.select()
    await channel.default_exchange.publish(aio_pika.Message(b"x"), routing_key="q")
    await tx.commit()
"""
    assert _codes(lint({"publisher.py": code}, select=("PY103",))) == []
    database = code.replace("tx = channel.transaction()", "tx = db_session")
    assert [c for c, _, _ in _codes(lint({"publisher.py": database}, select=("PY103",)))] == ["PY103"]


def test_a_client_librarys_own_handler_code_is_not_an_application(lint) -> None:
    code = """import aio_pika


async def on_call(message):
    try:
        result = await handle(message)
    except Exception as exc:
        result = exc
    await message.ack()
"""
    files = {"aio_pika/__init__.py": "", "aio_pika/patterns/__init__.py": "", "aio_pika/patterns/rpc.py": code}
    assert _codes(lint(files, select=("PY101",))) == []
    assert [c for c, _, _ in _codes(lint({"app/rpc.py": code}, select=("PY101",)))] == ["PY101"]


def test_a_client_librarys_own_java_namespace_is_not_an_application(lint) -> None:
    """Kafka's own tools and benchmark workers build clients to exercise the library."""
    body = """
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;

class Tool {
    KafkaProducer<String, String> build() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "k:9092");
        props.put(ProducerConfig.RETRIES_CONFIG, 0);
        return new KafkaProducer<>(props);
    }
}
"""
    own = lint({"tools/src/main/java/org/apache/kafka/tools/Tool.java": "package org.apache.kafka.tools;\n" + body})
    assert _codes(own) == []
    app = lint({"svc/src/main/java/com/acme/Tool.java": "package com.acme;\n" + body}, select=("KP104",))
    assert [c for c, _, _ in _codes(app)] == ["KP104"]
