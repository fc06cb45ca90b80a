"""RL302: when a @RabbitListener is taken to run on Spring Boot's unconfigured container."""

from __future__ import annotations

from pathlib import Path

import msglint

LISTENER = """package shop;

import org.springframework.amqp.rabbit.annotation.RabbitHandler;
import org.springframework.amqp.rabbit.annotation.RabbitListener;
import org.springframework.stereotype.Component;

@Component
@RabbitListener(queues = "orders")
public class OrderReceiver {
    @RabbitHandler
    public void handle(Long id) {
        %s
    }
}
"""


def _lines(tmp_path: Path, body: str, config: str = "spring.rabbitmq.host=rabbit\n") -> list[int]:
    java = tmp_path / "src/main/java/shop/OrderReceiver.java"
    java.parent.mkdir(parents=True)
    java.write_text(LISTENER % body, encoding="utf-8")
    resources = tmp_path / "src/main/resources"
    resources.mkdir(parents=True)
    (resources / "application.properties").write_text(config, encoding="utf-8")
    return [f.span.line for f in msglint.lint([str(tmp_path)]).findings if f.code == "RL302"]


def test_a_class_level_listener_with_its_handler(tmp_path: Path) -> None:
    assert _lines(tmp_path, "cancel(id);") == [11]


def test_a_handler_that_catches_decides_itself(tmp_path: Path) -> None:
    assert _lines(tmp_path, "try { cancel(id); } catch (RuntimeException e) { log(e); }") == []


def test_no_spring_rabbitmq_configuration_is_no_known_boot_application(tmp_path: Path) -> None:
    assert _lines(tmp_path, "cancel(id);", config="server.port=8080\n") == []


def test_a_listener_setting_written_in_a_form_not_read_is_respected(tmp_path: Path) -> None:
    config = "spring.rabbitmq.host=rabbit\nspring.rabbitmq.listener.simple.default-requeue-rejected=${REQUEUE}\n"
    assert _lines(tmp_path, "cancel(id);", config=config) == []


def test_a_factory_named_in_the_annotation_is_not_boots(tmp_path: Path) -> None:
    # a stream container factory bean the reading does not know (Spring AMQP's
    # StreamRabbitListenerContainerFactory): Boot's own is only rabbitListenerContainerFactory
    named = (
        "cancel(id);\n    }\n"
        '    @RabbitListener(queues = "s", containerFactory = "nativeFactory")\n'
        "    public void s(String m) {\n        use(m);"
    )
    assert _lines(tmp_path, named) == [11]
