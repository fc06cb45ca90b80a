"""Regressions from the review of the Java, configuration and CI-gate features (one test a finding)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from msglint.cli import main


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _codes(result) -> set[tuple[str, int]]:
    return {(f.code, f.span.line) for f in result.findings}


FACTORY = """import org.springframework.context.annotation.Bean;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ContainerProperties;

class KafkaConfig {
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
        %s
        return factory;
    }
}
"""
LISTENER = """import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.support.Acknowledgment;

class Listener {
    @KafkaListener(topics = "a", groupId = "g"%s)
    void on(String s, Acknowledgment ack) {
        work(s).thenRun(ack::acknowledge);
    }
}
"""


def test_ack_mode_set_through_an_alias_or_a_chain_over_lines(lint) -> None:
    for setting in (
        "ContainerProperties props = factory.getContainerProperties();\n"
        "        props.setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);",
        "factory\n            .getContainerProperties()\n            .setAckMode(ContainerProperties.AckMode.MANUAL);",
    ):
        result = lint(
            {"KafkaConfig.java": FACTORY % setting, "Listener.java": LISTENER % ""}, select=("KL304", "KL305")
        )
        assert result.findings == [], [f.message for f in result.findings]


def test_container_properties_handed_on_leave_the_mode_unknown(lint) -> None:
    result = lint(
        {"KafkaConfig.java": FACTORY % "tune(factory.getContainerProperties());", "Listener.java": LISTENER % ""},
        select=("KL305",),
    )
    assert result.findings == []


def test_a_placeholder_ack_mode_is_unknown(lint) -> None:
    result = lint({"Listener.java": LISTENER % ', ackMode = "${app.ack-mode}"'}, select=("KL304", "KL305"))
    assert result.findings == []


def test_only_error_handler_back_offs_are_judged(lint) -> None:
    amqp = """import org.springframework.amqp.rabbit.config.SimpleRabbitListenerContainerFactory;
import org.springframework.util.backoff.FixedBackOff;
import org.springframework.kafka.listener.DefaultErrorHandler;

class C {
    SimpleRabbitListenerContainerFactory f() {
        var factory = new SimpleRabbitListenerContainerFactory();
        factory.setRecoveryBackOff(new FixedBackOff(5000L, FixedBackOff.UNLIMITED_ATTEMPTS));
        return factory;
    }
    DefaultErrorHandler h() {
        var backOff = new FixedBackOff();
        return new DefaultErrorHandler(backOff);
    }
}
"""
    result = lint({"C.java": amqp}, select=("KL302",))
    assert _codes(result) == {("KL302", 12)}  # the default FixedBackOff never stops either


def test_a_local_hides_a_field_of_the_same_name(lint) -> None:
    code = """import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.admin.AdminClient;

class F {
    private final Properties props = new Properties();
    F() {
        props.put("acks", "all");
        props.put("compression.type", "zstd");
    }
    KafkaProducer<String, String> make() {
        return new KafkaProducer<>(props);
    }
    AdminClient admin() {
        Properties props = new Properties();
        props.put("acks", "1");
        return AdminClient.create(props);
    }
}
"""
    assert lint({"F.java": code}, select=("KP101",)).findings == []


def test_option_types_and_internal_options_are_checked(tmp_path: Path) -> None:
    _tree(tmp_path, {"msglint.toml": '[options.KC215]\nmin-ms-per-record = "abc"\n', "c.properties": "acks=all\n"})
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "a number is expected" in result.stderr and "internal error" not in result.stderr
    (tmp_path / "msglint.toml").write_text('[options.JV103]\n_language = "python"\n')
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "no such option" in result.stderr


def test_a_suppression_in_a_file_ignored_by_per_file_ignores_is_not_unused(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "msglint.toml": '[per-file-ignores]\n"legacy/**" = ["KP101"]\n',
            "legacy/p.properties": "compression.type=lz4\n# msglint: disable=KP101\nacks=1\n",
        },
    )
    result = CliRunner().invoke(main, ["check", str(tmp_path), "-q", "--select", "KP101,MSG003"])
    assert "MSG003" not in result.stdout


def test_empty_environment_lists_turn_the_default_words_off(tmp_path: Path) -> None:
    yaml = "spring:\n  kafka:\n    producer:\n      acks: 1\n"
    _tree(tmp_path, {"msglint.toml": "[environments]\nprofiles = []\n", "src/main/resources/application-dev.yml": yaml})
    result = CliRunner().invoke(main, ["check", str(tmp_path), "-q", "--select", "KP101"])
    assert "application-dev.yml" in result.stdout


def test_unwritable_outputs_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "p.properties").write_text("acks=1\n")
    for option in ("--output-file", "--write-baseline"):
        result = CliRunner().invoke(main, ["check", str(tmp_path), option, str(tmp_path / "missing" / "x")])
        assert result.exit_code == 2 and "cannot write" in result.stderr, option


def test_control_characters_cannot_drive_a_terminal_or_break_junit(tmp_path: Path) -> None:
    from junitparser import JUnitXml

    (tmp_path / "p.properties").write_text("acks=\x01\x1b[31m\ncompression.type=lz4\n")
    text = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert "\x1b[31m" not in text.stdout and "\x01" not in text.stdout and "\\x1b" in text.stdout
    report = tmp_path / "r.xml"
    CliRunner().invoke(main, ["check", str(tmp_path / "p.properties"), "--format", "junit", "-o", str(report)])
    assert [case for suite in JUnitXml.fromfile(str(report)) for case in suite]


def test_baselines_match_from_a_subdirectory_and_hide_secrets(tmp_path: Path, monkeypatch) -> None:
    import subprocess

    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    _tree(tmp_path, {"app/p.properties": "ssl.keystore.password=TopSecret123\nacks=1\ncompression.type=lz4\n"})
    monkeypatch.chdir(tmp_path)
    CliRunner().invoke(main, ["check", ".", "--write-baseline", "b.json"])
    monkeypatch.chdir(tmp_path / "app")
    result = CliRunner().invoke(main, ["check", ".", "--baseline", "../b.json"])
    assert result.exit_code == 0, result.stdout
    from msglint.baseline import fingerprint_all
    from msglint.model import Finding, Span

    guess = Finding("X", "x", "info", "p.properties", Span.point(1), "")
    masked = fingerprint_all([guess], lambda p, n: "ssl.keystore.password=TopSecret123")
    other = fingerprint_all([guess], lambda p, n: "ssl.keystore.password=AnotherGuess")
    assert masked[0].fingerprint == other[0].fingerprint  # a guessed password cannot be confirmed


def test_misspelt_codes_are_usage_errors(tmp_path: Path) -> None:
    (tmp_path / "p.properties").write_text("acks=1\n")
    result = CliRunner().invoke(main, ["check", str(tmp_path), "--select", "KPX999"])
    assert result.exit_code == 2 and "KPX999" in result.stderr
    (tmp_path / "msglint.toml").write_text('ignore = ["KP10O"]\n')
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "KP10O" in result.stderr
    (tmp_path / "msglint.toml").write_text('select = ["KC2", "producer-acks-not-all"]\n')  # a prefix, a name
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 1 and "KP101" in result.output and "KP105" not in result.output
    # an id in no rule is refused, semgrep-shaped or not, unless a configured semgrep rule has it
    (tmp_path / "msglint.toml").write_text('ignore = ["java-kafka-send-result-ignored"]\n')
    result = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert result.exit_code == 2 and "java-kafka-send-result-ignored" in result.stderr
    (tmp_path / "own.yml").write_text("rules:\n  - id: java-kafka-send-result-ignored\n    pattern: x\n")
    from msglint import config
    from msglint.lint import policy

    (tmp_path / "msglint.toml").write_text(
        'semgrep-rules = ["own.yml"]\nignore = ["KC2", "java-kafka-send-result-ignored"]\n'
    )
    chosen = policy(config.load([str(tmp_path)]))
    assert chosen.ignore == ("KC2", "java-kafka-send-result-ignored")


def test_java_suppressions_cover_multi_line_calls_and_annotated_methods(lint) -> None:
    code = """import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.kafka.annotation.KafkaListener;

class P {
    KafkaProducer<String, String> a() {
        Properties props = new Properties();
        props.put("compression.type", "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG,
                  "0"); // msglint: disable=KP301
        return new KafkaProducer<>(props);
    }
    // msglint: disable=KL301
    @KafkaListener(topics = "x", groupId = "g")
    public void on(String s) {}
}
"""
    result = lint({"src/main/java/P.java": code}, select=("KP301", "KL301", "MSG003"))
    assert result.findings == [], [(f.code, f.span.line) for f in result.findings]


def test_dead_letters_from_boot_retry_topics_and_non_broker_templates(lint) -> None:
    listener = """import org.springframework.kafka.annotation.KafkaListener;

class L {
    private final SimpMessagingTemplate messagingTemplate;
    private final OrderRepository orderRepository;

    @KafkaListener(topics = "orders", groupId = "g")
    void on(Order order) {
        orderRepository.save(order);
        messagingTemplate.convertAndSend("/topic/orders", order);
    }
}
"""
    yml = "spring:\n  kafka:\n    retry:\n      topic:\n        attempts: 4\n        enabled: true\n"
    result = lint(
        {"src/main/java/L.java": listener, "src/main/resources/application.yml": yml}, select=("KL301", "JV103")
    )
    assert result.findings == [], [(f.code, f.message) for f in result.findings]


def test_a_key_put_in_two_branches_has_a_value_known_only_at_run_time(lint) -> None:
    code = """import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

class P {
    KafkaProducer<String, String> make(boolean fast) {
        Properties props = new Properties();
        props.put("compression.type", "lz4");
        if (fast) {
            props.put("acks", "1");
        } else {
            props.put("acks", "all");
        }
        props.put("linger.ms", "5");
        props.put("linger.ms", "0");
        return new KafkaProducer<>(props);
    }
}
"""
    result = lint({"P.java": code}, select=("KP101", "KP301"))
    assert [(f.code, f.span.line) for f in result.findings] == [("KP301", 14)]  # same block: the last put wins
