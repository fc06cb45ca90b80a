"""Spring listener container factories and Spring AMQP queues built in Java -> the same entities the
Spring Boot configuration gives (``kafka.listener``, ``rabbit.consumer``, ``rabbit.queue``), so the
container and queue rules apply to beans too, at the line of the setter or builder call.

- ``ConcurrentKafkaListenerContainerFactory``: ``setConcurrency``, ``setBatchListener`` and
  ``getContainerProperties().setAckMode(...)``.
- ``Simple``/``DirectRabbitListenerContainerFactory``: ``setAcknowledgeMode``, ``setPrefetchCount``,
  ``setDefaultRequeueRejected``, ``setConcurrentConsumers``, ``setMaxConcurrentConsumers`` and a
  retry interceptor in ``setAdviceChain``. A factory handed to Boot's configurer
  (``configurer.configure(factory, ...)``) also takes ``spring.rabbitmq.listener.*``: what it does
  not set itself is then unknown, and no default is assumed.
- ``QueueBuilder.durable(name)`` / ``nonDurable(name)`` chains and ``new Queue(name[, durable, ...])``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from msglint.documents import Document
from msglint.extract.java_kafka import File, JavaValue, assigned_to, enclosing_scope, java_origin, java_value
from msglint.facts import Kind
from msglint.fixes.java import SetterWriter
from msglint.model import Entity, Setting
from msglint.readers.java import walk

# factory class -> (entity kind, container type)
FACTORIES: dict[str, tuple[Kind, str]] = {
    "ConcurrentKafkaListenerContainerFactory": ("kafka.listener", "kafka"),
    "SimpleRabbitListenerContainerFactory": ("rabbit.consumer", "simple"),
    "DirectRabbitListenerContainerFactory": ("rabbit.consumer", "direct"),
}
# setter -> (key, how its argument reads)
_KAFKA_SETTERS = {
    "setConcurrency": ("concurrency", "int"),
    "setBatchListener": ("type", "batch"),
    "setAckMode": ("ack-mode", "enum"),
}
_RABBIT_SETTERS = {
    "setAcknowledgeMode": ("acknowledge-mode", "enum"),
    "setPrefetchCount": ("prefetch", "int"),
    "setDefaultRequeueRejected": ("default-requeue-rejected", "bool"),
    "setConcurrentConsumers": ("concurrency", "int"),
    "setMaxConcurrentConsumers": ("max-concurrency", "int"),
}
_CONNECTION_SETTERS = {
    "setPublisherConfirmType": ("publisher-confirm-type", "enum"),
    "setPublisherConfirms": ("publisher-confirm-type", "legacy-confirms"),
    "setPublisherReturns": ("publisher-returns", "bool"),
}
_TEMPLATE_SETTERS = {"setMandatory": ("template.mandatory", "bool")}
_ENUMS = {
    "ack-mode": "ContainerProperties.AckMode",
    "acknowledge-mode": "AcknowledgeMode",
    "publisher-confirm-type": "CachingConnectionFactory.ConfirmType",
}
# the constants of each enum: anything else handed to the setter (a parameter, a variable, a call, a
# constant of the application's own) is a value known only at run time
_ENUM_VALUES = {
    "ack-mode": {"RECORD", "BATCH", "TIME", "COUNT", "COUNT_TIME", "MANUAL", "MANUAL_IMMEDIATE"},
    "acknowledge-mode": {"NONE", "MANUAL", "AUTO"},
    "publisher-confirm-type": {"NONE", "SIMPLE", "CORRELATED"},
}
_QUEUE_ARGUMENTS = {  # QueueBuilder method -> (argument, its value when the method takes none)
    "quorum": ("x-queue-type", "quorum"),
    "stream": ("x-queue-type", "stream"),
    "lazy": ("x-queue-mode", "lazy"),
    "deadLetterExchange": ("x-dead-letter-exchange", None),
    "deadLetterRoutingKey": ("x-dead-letter-routing-key", None),
    "ttl": ("x-message-ttl", None),
    "expires": ("x-expires", None),
    "maxLength": ("x-max-length", None),
    "maxLengthBytes": ("x-max-length-bytes", None),
    "deliveryLimit": ("x-delivery-limit", None),
    "overflow": ("x-overflow", None),
    "singleActiveConsumer": ("x-single-active-consumer", "true"),
}
_OVERFLOW = {"dropHead": "drop-head", "rejectPublish": "reject-publish", "rejectPublishDlx": "reject-publish-dlx"}


def _argument(file: File, node: Any, reading: str, key: str = "") -> JavaValue:
    if reading == "enum":
        # `AckMode.MANUAL` or a static import of it; not `mode`, `AckMode.valueOf(x)`, `a ? B : C`
        name = file.text(node).rsplit(".", 1)[-1] if node.type in ("identifier", "field_access") else ""
        known = name in _ENUM_VALUES.get(key, ()) or (not key and name.isupper())
        return JavaValue(name.lower() if known else None, "other")
    value = java_value(file, node)
    if reading == "legacy-confirms" and value.text in ("true", "false"):
        return JavaValue("correlated" if value.text == "true" else "none", "other")
    if reading == "batch" and value.text in ("true", "false"):
        return JavaValue("batch" if value.text == "true" else "single", "other")
    return value


def _setting(file: File, key: str, call: Any, argument: Any, value: JavaValue, raw_key: str) -> Setting:
    head = call.child_by_field_name("name") or call.child_by_field_name("type") or call
    return Setting(key, value.text, value.text or "", java_origin(file, head, argument, raw_key, value))


def _squeezed(file: File, node: Any) -> str:
    """A node's text without whitespace: `factory\n  .getContainerProperties()` is one receiver."""
    return "".join(file.text(node).split()) if node is not None else ""


@dataclass
class _FactoryCalls:
    """What the calls on one factory variable say, gathered by ``_read_call``."""

    variable: str
    properties: set[str]  # `factory.getContainerProperties()` and the variables holding it
    settings: dict[str, Setting] = field(default_factory=dict)
    traits: set[str] = field(default_factory=set)
    advice: bool = False
    unknown: bool = False  # the container properties may be set out of sight
    claimed: set[int] = field(default_factory=set)  # the setAckMode calls read as this factory's

    def own(self, receiver: str) -> bool:
        return receiver in (self.variable, f"this.{self.variable}")


def _handed_on(call: Any) -> bool:
    """``getContainerProperties()`` neither chained nor assigned: its ack mode may be set anywhere."""
    used = call.parent
    chained = used is not None and used.type == "method_invocation" and used.child_by_field_name("object") == call
    declared = used is not None and used.type == "variable_declarator"
    return not chained and not declared


def _read_call(file: File, call: Any, found: _FactoryCalls, setters: dict[str, tuple[str, str]]) -> None:
    receiver = _squeezed(file, call.child_by_field_name("object"))
    method = file.text(call.child_by_field_name("name"))
    own = found.own(receiver)
    if method == "getContainerProperties" and own:
        found.unknown = found.unknown or _handed_on(call)
        return
    arguments = call.child_by_field_name("arguments").named_children
    if own and method == "setAdviceChain" and arguments:
        # advice is retry interceptors in practice; their recoverer is the application's own
        found.settings["retry.enabled"] = _setting(
            file, "retry.enabled", call, arguments[0], JavaValue("true", "other"), method
        )
        found.advice = True
        return
    wanted = method in setters if own else method == "setAckMode" and receiver in found.properties
    if not own and not wanted and method == "configure" and any(file.text(a) == found.variable for a in arguments):
        found.traits.add("templated")  # Boot's configurer applies spring.*.listener.* to it
    if not wanted or len(arguments) != 1:
        return
    key, reading = setters[method]
    found.settings[key] = _setting(file, key, call, arguments[0], _argument(file, arguments[0], reading, key), method)
    if method == "setAckMode":
        found.claimed.add(call.id)


def _stray_ack_mode(file: File, root: Any, claimed: set[int]) -> bool:
    """An ack mode set in the same method on something else (a container customizer's
    ``container.getContainerProperties().setAckMode(...)``) may be this factory's containers' mode."""
    return any(
        c.type == "method_invocation"
        and file.text(c.child_by_field_name("name")) == "setAckMode"
        and c.id not in claimed
        for c in walk(root)
    )


def _factory_calls(file: File, root: Any, variable: str, setters: dict[str, tuple[str, str]]) -> _FactoryCalls:
    properties = f"{variable}.getContainerProperties()"
    # `ContainerProperties props = factory.getContainerProperties();` then `props.setAckMode(...)`
    aliases = {
        file.text(n.child_by_field_name("name"))
        for n in walk(root)
        if n.type == "variable_declarator" and _squeezed(file, n.child_by_field_name("value")) == properties
    }
    found = _FactoryCalls(variable, {properties, *aliases})
    for call in walk(root):
        if call.type == "method_invocation":
            _read_call(file, call, found, setters)
    return found


def _factory(file: File, creation: Any, kind: Kind, container: str) -> Entity | None:
    variable = assigned_to(file, creation)
    if not variable:
        return None  # built inline and handed on: its settings are out of reach
    kafka = kind == "kafka.listener"
    setters = _KAFKA_SETTERS if kafka else _RABBIT_SETTERS
    scope = enclosing_scope(creation)
    root = scope if scope is not None else file.source.root
    found = _factory_calls(file, root, variable, setters)
    unknown = found.unknown or (kafka and _stray_ack_mode(file, root, found.claimed))
    type_node = creation.child_by_field_name("type")
    label = "Spring Kafka listener container factory" if kafka else "Spring AMQP listener container factory"
    client = "spring-kafka" if kafka else "spring-amqp"
    from msglint.extract.java_listeners import declaring_class, placement

    placed = placement(file)
    writer = SetterWriter(file.document.display, variable, setters, enums=_ENUMS)
    return Entity(
        kind,
        client,
        file.document.display,
        file.source.span(type_node),
        found.settings,
        writer=writer,
        label=label,
        traits=found.traits | ({"advice-chain"} if found.advice else set()),
        attributes={
            "container": container,
            "binding": variable,
            "bean": _bean(file, creation),
            "container-properties": "unknown" if unknown else "",
            "class": declaring_class(file, creation),
            **placed,
        },
    )


def _bean(file: File, node: Any) -> str:
    """The bean name of the ``@Bean`` method a node is in: ``@Bean(name = ...)``, else the method's name."""
    from msglint.extract.java_listeners import annotation_value, annotations_of

    method = node.parent
    while method is not None and method.type != "method_declaration":
        method = method.parent
    if method is None:
        return ""
    bean = annotations_of(file, method).get("Bean")
    if bean is None:
        return ""
    named = annotation_value(file, bean, "name") or annotation_value(file, bean, "value")
    return named or file.text(method.child_by_field_name("name"))


def _setters(file: File, scope: Any, variable: str, setters: dict[str, tuple[str, str]]) -> dict[str, Setting]:
    settings: dict[str, Setting] = {}
    for call in walk(scope if scope is not None else file.source.root):
        if call.type != "method_invocation" or file.text(call.child_by_field_name("object")) not in (
            variable,
            f"this.{variable}",
        ):
            continue
        method = file.text(call.child_by_field_name("name"))
        arguments = call.child_by_field_name("arguments").named_children
        if method in setters and len(arguments) == 1:
            key, reading = setters[method]
            settings[key] = _setting(file, key, call, arguments[0], _argument(file, arguments[0], reading, key), method)
    return settings


def _publisher(file: File, template: Any) -> Entity | None:
    """A ``new RabbitTemplate(...)`` in a file that also builds its ``CachingConnectionFactory``: what
    the two setters say about confirms and returns (a Boot-made factory is judged from its YAML)."""
    factories = [
        n
        for n in walk(file.source.root)
        if n.type == "object_creation_expression"
        and file.text(n.child_by_field_name("type")).split(".")[-1] == "CachingConnectionFactory"
    ]
    if len(factories) != 1:
        return None  # none here (Boot's), or several: which one the template uses is not followed
    factory, template_variable = factories[0], assigned_to(file, template)
    factory_variable = assigned_to(file, factory)
    if not factory_variable:
        return None
    settings = _setters(file, enclosing_scope(factory), factory_variable, _CONNECTION_SETTERS)
    if template_variable:
        settings.update(_setters(file, enclosing_scope(template), template_variable, _TEMPLATE_SETTERS))
    setters = {**_CONNECTION_SETTERS, **_TEMPLATE_SETTERS}
    writer = SetterWriter(
        file.document.display,
        factory_variable,
        setters,
        {"setMandatory": template_variable or "rabbitTemplate"},
        enums=_ENUMS,
    )
    return Entity(
        "rabbit.publisher",
        "spring-amqp-java",
        file.document.display,
        file.source.span(template.child_by_field_name("type")),
        settings,
        writer=writer,
        label="Spring AMQP RabbitTemplate",
    )


def _queue(file: File, start: Any) -> Entity | None:
    """A ``QueueBuilder.durable(name)...build()`` chain, from its first call."""
    method = file.text(start.child_by_field_name("name"))
    arguments = start.child_by_field_name("arguments").named_children
    name = java_value(file, arguments[0]).text if arguments else None
    settings: dict[str, Setting] = {}
    settings["durable"] = _setting(
        file,
        "durable",
        start,
        start.child_by_field_name("name"),
        JavaValue("true" if method == "durable" else "false", "other"),
        method,
    )
    node, traits = start, {"in-code"}
    while (
        node.parent is not None
        and node.parent.type == "method_invocation"
        and node.parent.child_by_field_name("object") == node
    ):
        node = node.parent
        step = file.text(node.child_by_field_name("name"))
        step_arguments = node.child_by_field_name("arguments").named_children
        if step == "withArgument" and len(step_arguments) == 2:
            key = java_value(file, step_arguments[0]).text
            if key is None:
                traits.add("arguments-unknown")
                continue
            settings[key] = _setting(file, key, node, step_arguments[1], java_value(file, step_arguments[1]), step)
        elif step == "withArguments":
            traits.add("arguments-unknown")
        elif step in ("exclusive", "autoDelete"):
            key = "exclusive" if step == "exclusive" else "auto_delete"
            settings[key] = _setting(
                file, key, node, node.child_by_field_name("name"), JavaValue("true", "other"), step
            )
        elif step in _QUEUE_ARGUMENTS:
            key, fixed = _QUEUE_ARGUMENTS[step]
            if fixed is not None:
                value = JavaValue(fixed, "other")
                where = node.child_by_field_name("name")
            elif step_arguments:
                where = step_arguments[0]
                value = java_value(file, where)
                if step == "overflow":
                    value = JavaValue(_OVERFLOW.get(file.text(where).rsplit(".", 1)[-1]), "other")
            else:
                continue
            settings[key] = _setting(file, key, node, where, value, step)
    return _queue_entity(file, start, settings, traits, name)


def _new_queue(file: File, creation: Any) -> Entity | None:
    """``new Queue(name)`` (durable), ``new Queue(name, durable[, exclusive, autoDelete[, arguments]])``."""
    arguments = creation.child_by_field_name("arguments").named_children
    if not arguments:
        return None
    name = java_value(file, arguments[0]).text
    settings: dict[str, Setting] = {}
    flags = ("durable", "exclusive", "auto_delete")
    if len(arguments) == 1:
        settings["durable"] = _setting(
            file, "durable", creation, creation.child_by_field_name("type"), JavaValue("true", "other"), "new Queue"
        )
    for flag, argument in zip(flags, arguments[1:4], strict=False):
        settings[flag] = _setting(file, flag, creation, argument, java_value(file, argument), flag)
    traits = {"in-code"} | ({"arguments-unknown"} if len(arguments) > 4 else set())
    return _queue_entity(file, creation, settings, traits, name)


def _queue_entity(file: File, where: Any, settings: dict[str, Setting], traits: set[str], name: str | None) -> Entity:
    """A queue declared in Spring AMQP code (``QueueBuilder`` or ``new Queue``), anchored at ``where``."""
    return Entity(
        "rabbit.queue",
        "spring-amqp",
        file.document.display,
        file.source.span(where),
        settings,
        label="Spring AMQP queue",
        traits=traits,
        name=name if name is not None else "(named at run time)",
    )


def extract(document: Document, file: File | None = None) -> list[Entity]:
    file = file or File(document)
    out: list[Entity] = []
    for node in walk(file.source.root):
        if node.type == "object_creation_expression":
            simple = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
            if simple in FACTORIES:
                entity = _factory(file, node, *FACTORIES[simple])
            elif simple == "RabbitTemplate":
                entity = _publisher(file, node)
            elif simple == "Queue" and b"org.springframework.amqp.core" in file.source.data:
                entity = _new_queue(file, node)
            else:
                continue
            if entity is not None:
                out.append(entity)
        elif (
            node.type == "method_invocation"
            and file.text(node.child_by_field_name("object")) == "QueueBuilder"
            and file.text(node.child_by_field_name("name")) in ("durable", "nonDurable")
        ):
            entity = _queue(file, node)
            if entity is not None:
                out.append(entity)
    return out
