"""Spring listeners and their error handling in Java source -> ``code.listener`` entities (one per
``@KafkaListener``/``@RabbitListener`` method), ``code.recovery`` facts (what dead-letters a failed
record), and ``code.handler`` entities for back-off policies.

What a listener's acknowledgement mode is, and whether its application dead-letters, depends on
other files (a container factory bean, ``application.yml``): ``applications`` joins them per
application (the build module a file belongs to) once every file has been read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from msglint.documents import Document
from msglint.extract.java_kafka import _calls_on, _File, _scope, _value, assigned_to
from msglint.model import Entity
from msglint.readers.java import walk

_ACK_PARAMETERS = {"kafka": "Acknowledgment", "rabbit": "Channel"}
_ACK_CALLS = {"kafka": {"acknowledge", "nack"}, "rabbit": {"basicAck", "basicNack", "basicReject"}}
# what makes a failed Kafka record end somewhere other than the log (written in the application)
_RECOVERY_TYPES = {"DeadLetterPublishingRecoverer", "DeadLetterPublishingRecovererFactory", "RetryTopicConfiguration",
                   "RetryTopicConfigurationBuilder", "RetryableTopic", "DltHandler"}  # fmt: skip
_BACK_OFFS = {"FixedBackOff", "ExponentialBackOff", "ExponentialBackOffWithMaxRetries"}
_UNLIMITED = {"FixedBackOff.UNLIMITED_ATTEMPTS", "UNLIMITED_ATTEMPTS", "Long.MAX_VALUE"}


def _annotations(file: _File, declaration: Any) -> dict[str, Any]:
    """Annotation name -> node, for a method or class declaration."""
    found: dict[str, Any] = {}
    for child in declaration.children:
        if child.type == "modifiers":
            for annotation in child.named_children:
                if annotation.type in ("annotation", "marker_annotation"):
                    found[file.text(annotation.child_by_field_name("name")).split(".")[-1]] = annotation
    return found


def annotation_value(file: _File, annotation: Any, name: str) -> str | None:
    """The literal text of ``name = "..."`` in an annotation, or None."""
    arguments = annotation.child_by_field_name("arguments")
    for pair in arguments.named_children if arguments is not None else ():
        if pair.type == "element_value_pair" and file.text(pair.child_by_field_name("key")) == name:
            return _value(file, pair.child_by_field_name("value")).text
    return None


def _mode(written: str | None) -> str:
    """An annotation's ackMode: "?" for a placeholder or expression resolved at run time."""
    if written is None:
        return ""
    return "?" if "${" in written or "#{" in written else written.lower()


def _listener(file: _File, method: Any, framework: str, annotation: Any) -> Entity:
    parameters = method.child_by_field_name("parameters").named_children
    ack_type = _ACK_PARAMETERS[framework]
    ack_names = [file.text(p.child_by_field_name("name")) for p in parameters
                 if file.text(p.child_by_field_name("type")).split(".")[-1] == ack_type]  # fmt: skip
    body = method.child_by_field_name("body")
    # "no" only when the parameter is never used at all: a call, a method reference (ack::acknowledge),
    # a lambda or another method it is handed to may all acknowledge
    used = body is not None and any(
        n.type == "identifier" and file.text(n) in ack_names for n in walk(body)
    )
    acknowledges = "yes" if used else "no"
    name_node = method.child_by_field_name("name")
    attributes = {
        "framework": framework,
        "method": file.text(name_node),
        "ack-parameter": ack_names[0] if ack_names else "",
        "acknowledges": acknowledges,
        "factory": annotation_value(file, annotation, "containerFactory") or "",
        "ack-mode-annotation": _mode(annotation_value(file, annotation, "ackMode")),
        "error-handler": annotation_value(file, annotation, "errorHandler") or "",
        "module": str(module_root(Path(file.document.path))),
    }
    label = "@KafkaListener" if framework == "kafka" else "@RabbitListener"
    return Entity("code.listener", "spring-kafka" if framework == "kafka" else "spring-amqp", file.document.display,
                  file.source.span(name_node), label=f"{label} {attributes['method']}",
                  attributes=attributes)  # fmt: skip


def _listeners(file: _File) -> Iterator[Entity]:
    for node in walk(file.source.root):
        if node.type == "method_declaration":
            annotations = _annotations(file, node)
            for name, framework in (("KafkaListener", "kafka"), ("RabbitListener", "rabbit")):
                if name in annotations:
                    yield _listener(file, node, framework, annotations[name])
        elif node.type == "class_declaration":
            annotations = _annotations(file, node)
            for name, framework, handler in (("KafkaListener", "kafka", "KafkaHandler"),
                                             ("RabbitListener", "rabbit", "RabbitHandler")):  # fmt: skip
                if name not in annotations:
                    continue
                for method in node.child_by_field_name("body").named_children:
                    if method.type == "method_declaration" and handler in _annotations(file, method):
                        yield _listener(file, method, framework, annotations[name])


def _recoveries(file: _File) -> Iterator[tuple[str, Any]]:
    """(what, where) for each thing in the file that sends a failed Kafka record somewhere."""
    for node in walk(file.source.root):
        if node.type in ("type_identifier", "identifier") and file.text(node) in _RECOVERY_TYPES:
            yield file.text(node), node
        elif node.type == "object_creation_expression":
            simple = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
            arguments = node.child_by_field_name("arguments").named_children
            if simple == "DefaultErrorHandler" and arguments and not file.text(arguments[0]).startswith(
                ("new FixedBackOff", "new ExponentialBackOff")
            ):
                yield "DefaultErrorHandler with a recoverer", node
        elif node.type == "class_declaration":
            interfaces = node.child_by_field_name("interfaces")
            if interfaces is not None and "CommonErrorHandler" in file.text(interfaces):
                yield "a CommonErrorHandler of its own", node


_ERROR_HANDLERS = {"DefaultErrorHandler", "SeekToCurrentErrorHandler", "DefaultAfterRollbackProcessor",
                   "RecoveringBatchErrorHandler"}  # fmt: skip


def _handles_errors(file: _File, node: Any) -> bool:
    """Is this back-off given to a Spring Kafka error handler (directly, or through a variable)? Other
    back-offs (Spring AMQP's connection recovery, say) are meant to retry for ever."""
    def error_handler(creation: Any) -> bool:
        return creation is not None and creation.type == "object_creation_expression" and file.text(
            creation.child_by_field_name("type")).split("<")[0].split(".")[-1] in _ERROR_HANDLERS  # fmt: skip

    parent = node.parent
    if parent is not None and parent.type == "argument_list" and error_handler(parent.parent):
        return True
    variable = assigned_to(file, node)
    if not variable:
        return False
    scope = _scope(node)
    for creation in walk(scope if scope is not None else file.source.root):
        if error_handler(creation):
            arguments = creation.child_by_field_name("arguments").named_children
            if any(file.text(a) == variable for a in arguments):
                return True
    return False


def _back_offs(file: _File) -> Iterator[Entity]:
    """A ``code.handler`` for each error-handler back-off that never gives up, or waits a fixed time."""
    for node in walk(file.source.root):
        if node.type != "object_creation_expression":
            continue
        simple = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
        if simple not in _BACK_OFFS or not _handles_errors(file, node):
            continue
        arguments = node.child_by_field_name("arguments").named_children
        texts = [file.text(a) for a in arguments]
        facts: dict[str, str] = {}
        if simple == "FixedBackOff" and not texts:
            facts = {"back-off": "unlimited", "back-off-call": "new FixedBackOff() (5 s, unlimited attempts)"}
        elif simple == "FixedBackOff" and len(texts) == 2:
            if texts[1] in _UNLIMITED:
                facts = {"back-off": "unlimited", "back-off-call": f"new FixedBackOff({texts[0]}, {texts[1]})"}
            else:
                attempts = _value(file, arguments[1]).text
                if attempts is not None and attempts.isdigit() and int(attempts) > 0:
                    facts = {"back-off": "fixed", "back-off-call": f"new FixedBackOff({texts[0]}, {texts[1]})",
                             "attempts": attempts}  # fmt: skip
        elif simple == "ExponentialBackOff":
            variable = assigned_to(file, node)
            bounded = variable and any(
                file.text(c.child_by_field_name("name")) in ("setMaxElapsedTime", "setMaxAttempts")
                for c in _calls_on(file, _scope(node), variable)
            )
            if not bounded:
                facts = {"back-off": "unlimited", "back-off-call": f"new ExponentialBackOff({', '.join(texts)})"}
        if facts:
            yield Entity("code.handler", "spring-kafka", file.document.display, file.source.span(node),
                         label="back-off", attributes=facts)  # fmt: skip


def extract(document: Document, file: _File) -> list[Entity]:
    out = list(_listeners(file)) + list(_back_offs(file))
    module = str(module_root(Path(document.path)))
    seen: set[str] = set()
    for what, where in _recoveries(file):
        if what not in seen:
            seen.add(what)
            out.append(Entity("code.recovery", "spring-kafka", document.display, file.source.span(where),
                              label=what, attributes={"module": module, "recovery": what}))  # fmt: skip
    return out


_BUILD_FILES = ("pom.xml", "build.gradle", "build.gradle.kts", "WORKSPACE", "WORKSPACE.bazel", "MODULE.bazel")


@lru_cache(maxsize=1024)
def module_root(path: Path) -> Path:
    """The build module a file belongs to: the directory above its ``src/``, else the nearest directory
    above it with a build file, else the file's own directory."""
    path = path.resolve()
    parts = path.parts
    if "src" in parts[:-1]:
        return Path(*parts[: len(parts) - 1 - parts[::-1].index("src")])
    for parent in path.parents:
        if any((parent / name).is_file() for name in _BUILD_FILES):
            return parent
    # no src/ and no build file (Bazel, a flat layout): the repository is the application
    from msglint.discover import git_root

    return git_root(path.parent) or path.parent


def _span_text(entity: Entity) -> str:
    return f"{entity.path}:{entity.anchor.line}"


def applications(entities: list[Entity], spring_texts: dict[str, list[tuple[str, str]]],
                 modules: dict[str, str]) -> list[Entity]:  # fmt: skip
    """Join listeners with the container settings and the recovery of their application; one
    ``code.app`` per application with Kafka listeners. ``spring_texts``: module -> [(path, text)] of
    its Spring configuration files; ``modules``: a file as findings show it -> its module."""
    listeners = [e for e in entities if e.kind == "code.listener"]
    if not listeners:
        return []
    factories: dict[tuple[str, str], Entity] = {}
    boot: dict[tuple[str, str], Entity] = {}
    for entity in entities:
        if entity.kind in ("kafka.listener", "rabbit.consumer"):
            module = modules.get(entity.path, "")
            bean = entity.attributes.get("bean", "")
            if bean:
                factories[(module, bean)] = entity
            elif entity.client in ("spring-kafka", "spring-amqp") and entity.profile is None:
                boot[(module, entity.kind)] = entity
    for listener in listeners:
        _ack_mode(listener, factories, boot)
    out: list[Entity] = []
    by_module: dict[str, list[Entity]] = {}
    for listener in listeners:
        if listener.attributes["framework"] == "kafka" and not listener.attributes.get("error-handler"):
            by_module.setdefault(listener.attributes["module"], []).append(listener)
    recoveries = [e for e in entities if e.kind == "code.recovery"]
    for module, group in by_module.items():
        recovery = next((r for r in recoveries if r.attributes["module"] == module), None)
        how = f"{recovery.label} ({_span_text(recovery)})" if recovery is not None else ""
        if not how:
            for path, text in spring_texts.get(module, []):
                if _SCST_DLQ.search(text):
                    how = f"a dead-letter topic in the Spring configuration ({path})"
                    break
        first = group[0]
        app = Entity("code.app", "spring-kafka", first.path, first.anchor, label="Spring Kafka application",
                     attributes={"dead-letter": how, "listeners": str(len(group)), "module": module})  # fmt: skip
        app.related["listeners"] = group
        out.append(app)
    return out


def _ack_mode(listener: Entity, factories: dict[tuple[str, str], Entity], boot: dict[tuple[str, str], Entity]) -> None:
    """The acknowledgement mode a listener runs with, and where it is set."""
    framework = listener.attributes["framework"]
    module = listener.attributes["module"]
    annotation = listener.attributes.get("ack-mode-annotation", "")
    if annotation == "?":
        return  # resolved at run time
    if annotation:
        listener.attributes["ack-mode"], listener.attributes["ack-mode-from"] = annotation, "its annotation's ackMode"
        return
    kind, key = ("kafka.listener", "ack-mode") if framework == "kafka" else ("rabbit.consumer", "acknowledge-mode")
    default_bean = "kafkaListenerContainerFactory" if framework == "kafka" else "rabbitListenerContainerFactory"
    factory = factories.get((module, listener.attributes.get("factory") or default_bean))
    if factory is None and not listener.attributes.get("factory"):
        factory = boot.get((module, kind))
    if factory is None:
        return  # a factory out of sight: its mode is unknown
    setting = factory.get(key)
    if (
        setting is None
        and factory.attributes.get("bean")
        and "templated" not in factory.traits
        and factory.attributes.get("container-properties") != "unknown"
    ):
        # a factory bean built in code that sets no mode runs with ContainerProperties' default
        listener.attributes["ack-mode"] = "batch" if framework == "kafka" else "auto"
        listener.attributes["ack-mode-from"] = (f"the default, as the factory bean {factory.attributes['bean']} at "
                                                f"{factory.path}:{factory.anchor.line} sets none")  # fmt: skip
        return
    if setting is None or setting.origin is None or setting.value is None:
        return
    listener.attributes["ack-mode"] = setting.value
    origin = setting.origin
    listener.attributes["ack-mode-from"] = f"{origin.raw_key} at {origin.path}:{origin.span.line}"


# a dead-letter route in Spring configuration: Spring Cloud Stream's DLQ, or Boot's retry topics
# (spring.kafka.retry.topic.enabled, which end in a DLT), in .properties or nested YAML
_SCST_DLQ = re.compile(r"(?i)enable[-_]?dlq[\"']?\s*[:=]\s*[\"']?true"
                       r"|retry\.topic\.enabled\s*[:=]\s*true"
                       r"|\bretry:\s*\n\s+topic:\s*\n(?:\s+[\w-]+:.*\n)*?\s+enabled:\s*[\"']?true")  # fmt: skip
