"""False positives found on real Java (Spring Kafka's and Apache Kafka's sources), each reduced to a
minimal reproduction: listener container resolution per application context, dead-letter routes,
and Java that tree-sitter-java's grammar does not cover."""

from __future__ import annotations

import functools

import pytest

from msglint.readers import ParseError
from msglint.readers import java as java_reader


@pytest.fixture
def lint(lint):
    """Test sources are left out of a walk by default; these cases are about their contexts."""
    return functools.partial(lint, include_tests=True)


HEAD = """package app;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;
"""


def _test_class(name: str, ack_mode: str, listener: str) -> str:
    setter = f"factory.getContainerProperties().setAckMode({ack_mode});" if ack_mode else ""
    return (
        HEAD
        + f"""
@SpringJUnitConfig
class {name} {{
    @Configuration
    static class Config {{
        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {{
            var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
            {setter}
            return factory;
        }}

        @Bean
        Listener listener() {{
            return new Listener();
        }}
    }}

    static class Listener {{
        {listener}
    }}
}}
"""
    )


ACKING = '@KafkaListener(topics = "t")\n        void on(String s, Acknowledgment ack) { ack.acknowledge(); }'
PLAIN = '@KafkaListener(topics = "t")\n        void on(String s) { }'


def _codes(result, prefix: str = "KL30") -> list[tuple[str, str, int]]:
    """What the rules starting with ``prefix`` found; by default the acknowledgement rules KL304/KL305."""
    return sorted(
        (f.code, f.path.rsplit("/", 1)[-1], f.span.line)
        for f in result.findings
        if f.code.startswith(prefix) and (prefix != "KL30" or f.code in ("KL304", "KL305"))
    )


def test_each_test_class_resolves_the_factory_of_the_context_it_loads(lint) -> None:
    test = "mod/src/test/java/app/"
    result = lint(
        {
            "mod/build.gradle": "",
            test + "ManualTests.java": _test_class("ManualTests", "ContainerProperties.AckMode.MANUAL", ACKING),
            test + "BatchTests.java": _test_class("BatchTests", "", PLAIN),
            test + "BrokenTests.java": _test_class("BrokenTests", "", ACKING),
        }
    )
    # ManualTests' listener used to be judged against another test's factory of the same bean name
    assert _codes(result) == [("KL305", "BrokenTests.java", 30)]


def test_a_configuration_class_named_by_the_test_is_its_context(lint) -> None:
    test = "mod/src/test/java/app/"
    config = (
        HEAD
        + """
@Configuration
class ManualConfig {
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL_IMMEDIATE);
        return factory;
    }
}
"""
    )
    loads = (
        HEAD
        + """
@SpringJUnitConfig(ManualConfig.class)
class LoadsTests {
    static class Listener {
        @KafkaListener(topics = "t")
        void on(String s, Acknowledgment ack) { ack.acknowledge(); }
    }
}
"""
    )
    result = lint(
        {
            "mod/pom.xml": "",
            test + "ManualConfig.java": config,
            test + "LoadsTests.java": loads,
            test + "OtherTests.java": _test_class("OtherTests", "", PLAIN),
        }
    )
    assert _codes(result) == []


def test_main_code_never_resolves_a_factory_defined_in_test_sources(lint) -> None:
    main = (
        HEAD
        + """
class OrderListener {
    @KafkaListener(topics = "orders")
    void on(String s, Acknowledgment ack) { ack.acknowledge(); }
}
"""
    )
    result = lint(
        {
            "mod/pom.xml": "",
            "mod/src/main/java/app/OrderListener.java": main,
            "mod/src/test/java/app/SomeTests.java": _test_class("SomeTests", "", PLAIN),
        }
    )
    assert _codes(result) == []  # main's factory is not in sight (and this is no Boot application)


def test_a_bean_defined_twice_in_one_context_is_unknown(lint) -> None:
    def config(name: str) -> str:
        return (
            HEAD
            + f"""
@Configuration
class {name} {{
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {{
        return factoryWithDefaults();
    }}

    ConcurrentKafkaListenerContainerFactory<String, String> factoryWithDefaults() {{
        var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
        return factory;
    }}
}}
"""
        )

    listener = (
        HEAD
        + 'class L {\n    @KafkaListener(topics = "t")\n'
        + "    void on(String s, Acknowledgment a) { a.acknowledge(); }\n}\n"
    )
    result = lint(
        {
            "docs/pom.xml": "",
            "docs/src/main/java/app/A.java": config("A"),
            "docs/src/main/java/app/B.java": config("B"),
            "docs/src/main/java/app/L.java": listener,
        }
    )
    assert _codes(result) == []


@pytest.mark.parametrize(
    "argument",
    [
        "ackMode",
        "mode()",
        "manual ? ContainerProperties.AckMode.MANUAL : ContainerProperties.AckMode.BATCH",
        "ACK_MODE",
    ],
)
def test_an_ack_mode_known_only_at_run_time_is_unknown(lint, argument: str) -> None:
    source = _test_class("DynamicTests", argument, ACKING)
    result = lint({"mod/pom.xml": "", "mod/src/test/java/app/DynamicTests.java": source})
    assert _codes(result) == []


def test_an_ack_mode_set_by_a_container_customizer_is_unknown(lint) -> None:
    source = _test_class("CustomizedTests", "", ACKING).replace(
        "return factory;",
        "factory.setContainerCustomizer(c -> c.getContainerProperties()"
        ".setAckMode(ContainerProperties.AckMode.MANUAL));\n            return factory;",
        1,
    )
    result = lint({"mod/pom.xml": "", "mod/src/test/java/app/CustomizedTests.java": source})
    assert _codes(result) == []


ASYNC = (
    HEAD
    + """import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

@SpringJUnitConfig
class AsyncTests {
    @Configuration
    static class Config {
        @Bean
        ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
            return new ConcurrentKafkaListenerContainerFactory<String, String>() {};
        }
    }

    static class Listener {
        @KafkaListener(topics = "a")
        CompletableFuture<String> future(String s, Acknowledgment ack) { return CompletableFuture.completedFuture(s); }

        @KafkaListener(topics = "b")
        Mono<Void> mono(String s) { return Mono.empty(); }
    }
}
"""
)


def test_an_asynchronous_listener_runs_with_manual_acks_that_the_container_makes(lint) -> None:
    factory = (
        "var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();\n            return factory;"
    )
    for mode in ("", "factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);"):
        source = ASYNC.replace(
            "return new ConcurrentKafkaListenerContainerFactory<String, String>() {};",
            factory.replace("return", mode + "\n            return"),
        )
        result = lint({"mod/pom.xml": "", "mod/src/test/java/app/AsyncTests.java": source})
        assert _codes(result) == []  # no KL305 under BATCH, no KL304 under MANUAL


BOOT_APP = (
    HEAD
    + """import org.springframework.boot.autoconfigure.SpringBootApplication;

@SpringBootApplication
class App {
    @KafkaListener(topics = "orders")
    void on(String s, Acknowledgment ack) { ack.acknowledge(); }
}
"""
)


def test_spring_boots_own_factory_takes_the_ack_mode_of_application_yml(lint) -> None:
    files = {"mod/pom.xml": "", "mod/src/main/java/app/App.java": BOOT_APP}
    unset = lint(
        {**files, "mod/src/main/resources/application.yml": "spring:\n  kafka:\n    consumer:\n      group-id: g\n"}
    )
    assert [c for c, _, _ in _codes(unset)] == ["KL305"]  # Boot's factory, ContainerProperties' default BATCH
    assert "not set in" in next(f.message for f in unset.findings if f.code == "KL305")


def test_spring_boots_manual_ack_mode_is_honoured(lint) -> None:
    files = {
        "m2/pom.xml": "",
        "m2/src/main/java/app/App.java": BOOT_APP,
        "m2/src/main/resources/application.yml": "spring:\n  kafka:\n    listener:\n      ack-mode: manual\n",
    }
    assert _codes(lint(files)) == []


def test_a_main_factory_bean_replaces_spring_boots(lint) -> None:
    config = (
        HEAD
        + """
@Configuration
class KafkaConfig {
    @Bean
    ConcurrentKafkaListenerContainerFactory<String, String> kafkaListenerContainerFactory() {
        var factory = new ConcurrentKafkaListenerContainerFactory<String, String>();
        factory.getContainerProperties().setAckMode(ContainerProperties.AckMode.MANUAL);
        return factory;
    }
}
"""
    )
    files = {
        "m3/pom.xml": "",
        "m3/src/main/java/app/App.java": BOOT_APP,
        "m3/src/main/java/app/KafkaConfig.java": config,
        "m3/src/main/resources/application.yml": "spring:\n  kafka:\n    consumer:\n      group-id: g\n",
    }
    assert _codes(lint(files)) == []


LISTENER = """package app;

import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;

class OrderListener {
    private final KafkaTemplate<String, String> template;

    OrderListener(KafkaTemplate<String, String> template) {
        this.template = template;
    }

    @KafkaListener(topics = "orders", groupId = "billing")
    void onOrder(String order) {
        BODY
    }
}
"""


def test_an_import_of_the_recoverer_is_not_a_dead_letter_route(lint) -> None:
    result = lint(
        {"app/pom.xml": "", "app/src/main/java/app/OrderListener.java": LISTENER.replace("BODY", "bill(order);")}
    )
    assert [c for c, _, _ in _codes(result, "KL301")] == ["KL301"]


def test_a_listener_that_publishes_its_failed_record_itself_has_a_route(lint) -> None:
    body = (
        "try {\n            bill(order);\n        } catch (Exception e) {\n"
        '            template.send("orders.DLT", order);\n        }'
    )
    result = lint({"app/pom.xml": "", "app/src/main/java/app/OrderListener.java": LISTENER.replace("BODY", body)})
    assert _codes(result, "KL301") == []


def test_the_message_names_the_error_handler_in_use(lint) -> None:
    errors = """package app;

import org.springframework.context.annotation.Bean;
import org.springframework.kafka.listener.CommonLoggingErrorHandler;

class KafkaErrors {
    @Bean
    CommonLoggingErrorHandler errorHandler() {
        return new CommonLoggingErrorHandler();
    }
}
"""
    result = lint(
        {
            "app/pom.xml": "",
            "app/src/main/java/app/OrderListener.java": LISTENER.replace("BODY", "bill(order);"),
            "app/src/main/java/app/KafkaErrors.java": errors,
        }
    )
    message = next(f.message for f in result.findings if f.code == "KL301")
    assert "CommonLoggingErrorHandler" in message and "default error handler" not in message


def test_an_error_handler_that_never_skips_loses_nothing(lint) -> None:
    errors = """package app;

import org.springframework.context.annotation.Bean;
import org.springframework.kafka.listener.CommonContainerStoppingErrorHandler;

class KafkaErrors {
    @Bean
    CommonContainerStoppingErrorHandler errorHandler() {
        return new CommonContainerStoppingErrorHandler();
    }
}
"""
    result = lint(
        {
            "app/pom.xml": "",
            "app/src/main/java/app/OrderListener.java": LISTENER.replace("BODY", "bill(order);"),
            "app/src/main/java/app/KafkaErrors.java": errors,
        }
    )
    assert _codes(result, "KL301") == []


def test_test_sources_are_not_an_application_that_needs_a_dead_letter_route(lint) -> None:
    result = lint(
        {"app/pom.xml": "", "app/src/test/java/app/OrderListener.java": LISTENER.replace("BODY", "bill(order);")}
    )
    assert _codes(result, "KL301") == []


MODERN = """package app;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

sealed interface Shape permits Circle, Square {}
record Circle(double r) implements Shape {}
record Square(double side) implements Shape {
    Square {
        if (side < 0) throw new IllegalArgumentException();
    }
}

class Modern {
    List<@NonNull String> names;

    Modern(int v, String @Nullable ... topics) {
        if (v < 0) throw new IllegalArgumentException();
        super();
    }

    void varargs(@Nullable String @Nullable ... args) {}

    double area(Shape shape) {
        return switch (shape) {
            case Circle c when c.r() > 0 -> c.r();
            case Circle c -> 0;
            case Square(double side) -> {
                double a = side * side;
                yield a;
            }
        };
    }

    String text() {
        return \"\"\"
            a "quoted" line
            \"\"\";
    }

    KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put("acks", "0");
        return new KafkaProducer<>(props);
    }
}
"""


def test_modern_java_is_read_and_linted(lint) -> None:
    result = lint({"Modern.java": MODERN})
    assert not [f for f in result.findings if f.code.startswith("MSG")]
    assert ("KP101", "Modern.java", 44) in _codes(result, "KP")  # read past the grammar's gaps


def test_module_imports_are_read() -> None:
    java_reader.parse("import module java.base;\n\nvoid main() {\n    IO.println(1);\n}\n")


def test_a_rewritten_gap_keeps_the_files_own_text_and_positions() -> None:
    source = java_reader.parse("class A {\n    void m(String @Nullable ... args) {}\n}\n")
    parameter = next(n for n in java_reader.walk(source.root) if n.type == "spread_parameter")
    assert source.text(parameter) == "String @Nullable ... args"
    assert source.span(parameter).column == 12


@pytest.mark.parametrize("text", ["class A { void m() { int x = ; } }", "class A {", "class A { A() { f(); super( } }"])
def test_java_that_really_does_not_parse_is_still_msg001(text: str) -> None:
    with pytest.raises(ParseError) as caught:
        java_reader.parse(text)
    assert caught.value.code == "MSG001"


def test_a_maven_archetype_template_is_read(lint) -> None:
    template = "package ${package};\n\nimport java.util.Properties;\n\npublic class Pipe {\n}\n"
    result = lint({"archetype-resources/src/main/java/Pipe.java": template})
    assert not [f for f in result.findings if f.code.startswith("MSG")]
