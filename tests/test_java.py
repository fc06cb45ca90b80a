"""Java source: Kafka client configurations built in code, read with tree-sitter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from msglint import fixes
from msglint.readers import java

FOLLOWED = """package app;

import static org.apache.kafka.clients.producer.ProducerConfig.ACKS_CONFIG;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

class Clients {
    static final String ACKS = "0";
    private final Properties shared = new Properties();

    Clients() {
        shared.setProperty("bootstrap.servers", "kafka:9092");
        shared.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true");
        shared.put(ConsumerConfig.GROUP_ID_CONFIG, "g");
    }

    KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(shared);
    }

    KafkaProducer<String, String> producer() {
        Map<String, Object> base = Map.of("bootstrap.servers", "kafka:9092", "compression.type", "lz4");
        Map<String, Object> props = new HashMap<>();
        props.putAll(base);
        props.put(ACKS_CONFIG, ACKS);
        return new KafkaProducer<>(props);
    }

    DefaultKafkaProducerFactory<String, String> fromBoot(KafkaProperties boot) {
        Map<String, Object> props = new HashMap<>(boot.buildProducerProperties(null));
        props.put("max.in.flight.requests.per.connection", 10);
        return new DefaultKafkaProducerFactory<>(props);
    }

    KafkaProducer<String, String> unknown() {
        return new KafkaProducer<>(loadFromSomewhere());
    }
}
"""


def test_configs_are_followed_through_fields_maps_and_constants(lint) -> None:
    result = lint({"Clients.java": FOLLOWED})
    got = {(f.code, f.span.line, f.span.column) for f in result.findings}
    assert ("KC201", 19, 20) in got  # ENABLE_AUTO_COMMIT_CONFIG put on a field, in the constructor
    assert ("KP101", 31, 19) in got  # ACKS_CONFIG statically imported, its value a class constant
    assert not any(code == "KP302" for code, _, _ in got)  # compression.type came through putAll(Map.of)
    assert not result.errors


def test_a_map_seeded_from_elsewhere_is_judged_on_what_it_writes_only(lint) -> None:
    result = lint({"Clients.java": FOLLOWED})
    seeded = sorted((f.code, f.span.line) for f in result.findings if 36 <= f.span.line <= 38)
    # max.in.flight=10 conflicts with the Java client's default idempotence only if nothing turns
    # idempotence off, and Boot's properties, out of sight, may
    assert seeded == []
    assert not [f for f in result.findings if f.span.line in (36, 38) and "not set" in f.message]


def test_fixes_keep_java_valid(lint, tmp_path: Path) -> None:
    result = lint(
        {"Clients.java": FOLLOWED.replace("props.put(ACKS_CONFIG, ACKS);", 'props.put(ACKS_CONFIG, "0");')},
        select=("KP101",),
    )
    edits = [e for f in result.findings if f.fix for e in f.fix.edits]
    assert edits
    fixed = fixes.apply((tmp_path / "Clients.java").read_text(), edits)
    assert 'props.put(ACKS_CONFIG, "all");' in fixed
    java.parse(fixed)


def test_syntax_errors_are_parse_findings_and_the_run_goes_on(lint) -> None:
    broken = "import org.apache.kafka.clients.producer.KafkaProducer;\nclass A {\n  void f( {\n}\n"
    result = lint({"Broken.java": broken, "Clients.java": FOLLOWED, "Other.java": "class B { void f( }"})
    parse_errors = [(f.path, f.span.line) for f in result.findings if f.code == "MSG001"]
    assert parse_errors == [("Broken.java", 3)]  # Other.java does not use a messaging client: not parsed
    assert any(f.path == "Clients.java" for f in result.findings)


def test_tree_sitter_is_imported_only_when_java_is_read(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text("acks=all\ncompression.type=lz4\n")
    (tmp_path / "Plain.java").write_text("class Plain {}\n")
    code = "import sys, msglint.engine as e; e.run([sys.argv[1]]); print('tree_sitter' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_bundled_java_fixtures() -> None:
    from msglint import engine

    root = Path(__file__).resolve().parents[1]
    result = engine.run([str(root / "fixtures" / "java")], cwd=root)
    got = {(f.code, Path(f.path).name, f.span.line) for f in result.findings}
    assert {
        ("KP101", "OrderProducer.java", 16),
        ("KP104", "OrderProducer.java", 17),
        ("KC210", "KafkaConfig.java", 28),
        ("KL302", "KafkaErrors.java", 13),
        ("KL304", "PaymentListener.java", 17),
        ("RL301", "OrderListener.java", 9),
        ("RS202", "RabbitConfig.java", 18),
        ("RQ105", "RabbitConfig.java", 24),
        ("JV103", "InvoiceService.java", 21),
        ("JV104", "RefundListener.java", 18),
        ("RS205", "PublisherConfig.java", 20),
    } <= got
    # billing's only error handler retries for ever (KL302): a failing record blocks, it is not lost
    assert ("KL301", "PaymentListener.java", 17) not in got
    assert not [f for f in result.findings if "/good/" in f.path]


MIXED_LISTENER = """package app;

import org.springframework.kafka.annotation.KafkaListener;

class Listener {
    @KafkaListener(topics = "a", groupId = "g")
    void onA(String a) {}

    @KafkaListener(topics = "b", groupId = "g", errorHandler = "routeToAudit")
    void onB(String b) {}
}
"""


def test_a_project_is_judged_as_a_whole(lint) -> None:
    listener = "svc/src/main/java/app/Listener.java"
    alone = lint({listener: MIXED_LISTENER}, select=("KL301",))
    assert [(f.path, f.span.line) for f in alone.findings] == [(listener, 7)]  # onB has its own error handler
    bean = """import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
class Errors { Object r(Object t) { return new DeadLetterPublishingRecoverer(t); } }
"""
    other_module = lint({listener: MIXED_LISTENER, "other/src/main/java/app/Errors.java": bean}, select=("KL301",))
    assert len(other_module.findings) == 1  # a recoverer in another module does not cover this one
    same_module = lint({listener: MIXED_LISTENER, "svc/src/main/java/app/Errors.java": bean}, select=("KL301",))
    assert same_module.findings == []
    dlq = "spring.cloud.stream.kafka.bindings.a-in-0.consumer.enable-dlq=true\n"
    yaml_dlq = lint({listener: MIXED_LISTENER, "svc/src/main/resources/application.properties": dlq}, select=("KL301",))
    assert yaml_dlq.findings == []


def test_secrets_in_java_lines_and_own_rule_messages_are_masked(lint, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from msglint.cli import main

    code = """import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

class Secrets {
    KafkaProducer<String, String> create(CachingConnectionFactory cf) {
        Properties props = new Properties();
        props.setProperty("ssl.truststore.password", "TrustPw55"); props.put("acks", "1");
        props.putAll(Map.of("ssl.key.password", "KeyPw77", "retries", "0"));
        props.put("sasl.jaas.config", "PlainLoginModule required username=\\"u\\" password=\\"Pw With Space\\";");
        cf.setPassword("RabbitPw1"); props.put("linger.ms", "0");
        return new KafkaProducer<>(props);
    }
}
"""
    (tmp_path / "Secrets.java").write_text(code)
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--fail-on", "info"])
    for secret in ("TrustPw55", "KeyPw77", "Pw With Space", "With Space", "RabbitPw1"):
        assert secret not in result.output, secret
    assert "KP101" in result.output and "KP104" in result.output


def test_a_topic_created_in_code_is_no_kafkatopic_without_a_cluster_label(lint) -> None:
    """A NewTopic in a tree that also holds a Strimzi cluster is judged for its replicas only: it is
    not a KafkaTopic missing its strimzi.io/cluster label (KS502)."""
    files = {
        "deploy/kafka.yaml": (
            "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: main\nspec:\n  kafka:\n"
            "    replicas: 3\n    config:\n      default.replication.factor: 3\n      min.insync.replicas: 2\n"
        ),
        "src/main/java/com/example/Topics.java": (
            "package com.example;\n\nimport org.apache.kafka.clients.admin.NewTopic;\n\nclass Topics {\n"
            '    NewTopic orders() {\n        return new NewTopic("orders", 6, (short) 1);\n    }\n}\n'
        ),
    }
    result = lint(files, select=("KT101", "KS502"))
    assert [(f.code, f.path, f.span.line) for f in result.findings] == [
        ("KT101", "src/main/java/com/example/Topics.java", 7)
    ]


def test_a_rabbit_factory_handed_to_boots_configurer_is_no_internal_error(tmp_path: Path) -> None:
    # spring-amqp-samples' global error handler: configurer.configure(factory, connectionFactory) marks
    # the factory's defaults unknown, a trait the model once did not allow on a rabbit.consumer
    source = tmp_path / "src/main/java/demo/Application.java"
    source.parent.mkdir(parents=True)
    source.write_text(
        "package demo;\n\n"
        "import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;\n"
        "import org.springframework.amqp.rabbit.connection.ConnectionFactory;\n"
        "import org.springframework.boot.autoconfigure.amqp.SimpleRabbitListenerContainerFactoryConfigurer;\n"
        "import org.springframework.context.annotation.Bean;\n\n"
        "public class Application {\n"
        "    @Bean\n"
        "    public SimpleRabbitListenerContainerFactory rabbitListenerContainerFactory(ConnectionFactory cf,\n"
        "            SimpleRabbitListenerContainerFactoryConfigurer configurer) {\n"
        "        SimpleRabbitListenerContainerFactory factory = new SimpleRabbitListenerContainerFactory();\n"
        "        configurer.configure(factory, cf);\n"
        "        factory.setDefaultRequeueRejected(true);\n"
        "        return factory;\n"
        "    }\n"
        "}\n",
        encoding="utf-8",
    )
    import msglint

    result = msglint.lint([str(tmp_path)])
    assert result.errors == []
