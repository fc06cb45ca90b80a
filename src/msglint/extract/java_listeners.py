"""Spring listeners and their error handling in Java source -> ``code.listener`` entities (one per
``@KafkaListener``/``@RabbitListener`` method), ``code.recovery`` facts (what dead-letters a failed
record), and ``code.handler`` entities for back-off policies.

What a listener's acknowledgement mode is, and whether its application dead-letters, depends on
other files (a container factory bean, ``application.yml``): ``applications`` joins them per
application context once every file has been read, the way Spring finds a listener's factory: the
``containerFactory`` attribute, else the bean ``kafkaListenerContainerFactory``, looked up in the
context the listener is a bean of. A build module's main sources are one context (with Spring Boot's
own factory when they define none and the module is a Boot application); in test sources each test
class loads its own (``@SpringJUnitConfig(Config.class)``, ``@ContextConfiguration(classes = ...)``,
``@SpringBootTest(classes = ...)``, or its nested static ``@Configuration`` classes). A factory that
cannot be found in that context, or is defined twice there, is unknown: nothing is said that depends
on it. ``code.config`` entities carry the classes each context is made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from msglint import numbers
from msglint.documents import Document
from msglint.extract.java_kafka import File, assigned_to, calls_on, enclosing_scope, java_value
from msglint.model import Entity, Setting
from msglint.readers.java import walk

_ACK_PARAMETERS = {"kafka": "Acknowledgment", "rabbit": "Channel"}
_ACK_CALLS = {"kafka": {"acknowledge", "nack"}, "rabbit": {"basicAck", "basicNack", "basicReject"}}
# what makes a failed Kafka record end somewhere other than the log (written in the application)
_RECOVERY_TYPES = {
    "DeadLetterPublishingRecoverer",
    "DeadLetterPublishingRecovererFactory",
    "RetryTopicConfiguration",
    "RetryTopicConfigurationBuilder",
    "RetryableTopic",
    "DltHandler",
}
_RECOVERY_ANNOTATIONS = {"RetryableTopic", "DltHandler"}
_RECOVERY_SUPERTYPES = {"DeadLetterPublishingRecoverer", "RetryTopicConfigurationSupport", "CommonErrorHandler"}
_ASYNC_RETURNS = {"CompletableFuture", "Mono"}  # Spring Kafka 3.2+ runs these listeners with MANUAL acks
_BACK_OFFS = {"FixedBackOff", "ExponentialBackOff", "ExponentialBackOffWithMaxRetries"}
_TYPES = ("class_declaration", "record_declaration", "interface_declaration", "enum_declaration")
_CONFIGURATIONS = {"Configuration", "TestConfiguration", "SpringBootApplication", "SpringBootConfiguration"}
_BOOT_APPS = {"SpringBootApplication", "SpringBootConfiguration", "EnableAutoConfiguration"}
_TEST_CONTEXTS = {"SpringJUnitConfig", "SpringJUnitWebConfig", "ContextConfiguration", "SpringBootTest"}
_BOOT_RABBIT = re.compile(r"(?m)spring\.rabbitmq\.|^spring:\s*\n(?:[ \t]+.*\n|\s*\n)*?[ \t]+rabbitmq:")
_BOOT_FACTORIES = {"kafkaListenerContainerFactory", "rabbitListenerContainerFactory"}
_NO_REQUEUE = {"AmqpRejectAndDontRequeueException", "ImmediateAcknowledgeAmqpException"}
_UNLIMITED = {"FixedBackOff.UNLIMITED_ATTEMPTS", "UNLIMITED_ATTEMPTS", "Long.MAX_VALUE"}


def annotations_of(file: File, declaration: Any) -> dict[str, Any]:
    """Annotation name -> node, for a method or class declaration."""
    found: dict[str, Any] = {}
    for child in declaration.children:
        if child.type == "modifiers":
            for annotation in child.named_children:
                if annotation.type in ("annotation", "marker_annotation"):
                    found[file.text(annotation.child_by_field_name("name")).split(".")[-1]] = annotation
    return found


def annotation_value(file: File, annotation: Any, name: str) -> str | None:
    """The literal text of ``name = "..."`` in an annotation, or None."""
    arguments = annotation.child_by_field_name("arguments")
    for pair in arguments.named_children if arguments is not None else ():
        if pair.type == "element_value_pair" and file.text(pair.child_by_field_name("key")) == name:
            return java_value(file, pair.child_by_field_name("value")).text
    return None


def _mode(written: str | None) -> str:
    """An annotation's ackMode: "?" for a placeholder or expression resolved at run time."""
    if written is None:
        return ""
    return "?" if "${" in written or "#{" in written else written.lower()


def _listener(file: File, method: Any, framework: str, annotation: Any) -> Entity:
    parameters = method.child_by_field_name("parameters").named_children
    ack_type = _ACK_PARAMETERS[framework]
    ack_names = [
        file.text(p.child_by_field_name("name"))
        for p in parameters
        if file.text(p.child_by_field_name("type")).split(".")[-1] == ack_type
    ]
    body = method.child_by_field_name("body")
    # "never" only when the parameter is not used at all: a call, a method reference (ack::acknowledge),
    # a lambda or another method it is handed to may all acknowledge
    used = body is not None and any(n.type == "identifier" and file.text(n) in ack_names for n in walk(body))
    acknowledges = "may" if used else "never"
    name_node = method.child_by_field_name("name")
    attributes = {
        "framework": framework,
        "method": file.text(name_node),
        "ack-parameter": ack_names[0] if ack_names else "",
        "acknowledges": acknowledges,
        "factory": annotation_value(file, annotation, "containerFactory") or "",
        "ack-mode-annotation": _mode(annotation_value(file, annotation, "ackMode")),
        "error-handler": annotation_value(file, annotation, "errorHandler") or "",
        "class": declaring_class(file, method),
        **placement(file),
    }
    facts = {
        "async": _async(file, method),
        "non-null-ack": any(
            _non_null(file, p)
            for p in parameters
            if file.text(p.child_by_field_name("type")).split(".")[-1] == ack_type
        ),
        "dead-letters-itself": body is not None and _sends_on_failure(file, body),
        # a try/catch, or an exception that tells the container not to requeue: failures are decided here
        "handles-failure": body is not None
        and any(n.type == "catch_clause" or file.text(n) in _NO_REQUEUE for n in walk(body)),
    }
    label = "@KafkaListener" if framework == "kafka" else "@RabbitListener"
    return Entity(
        "code.listener",
        "spring-kafka" if framework == "kafka" else "spring-amqp",
        file.document.display,
        file.source.span(name_node),
        label=f"{label} {attributes['method']}",
        attributes=attributes,
        lists={"classes": tuple(enclosing_classes(file, method))},
        traits={name for name, true in facts.items() if true},
    )


def _async(file: File, method: Any) -> bool:
    returned = method.child_by_field_name("type")
    return returned is not None and file.text(returned).split("<")[0].split(".")[-1] in _ASYNC_RETURNS


def _non_null(file: File, parameter: Any) -> bool:
    """An ``Acknowledgment`` parameter annotated non-null: Spring Kafka 4 passes a no-op one then."""
    modifiers = next((c for c in parameter.children if c.type == "modifiers"), None)
    return modifiers is not None and any(
        a.type in ("annotation", "marker_annotation") and file.text(a.child_by_field_name("name")).endswith("NonNull")
        for a in modifiers.named_children
    )


def _sends_on_failure(file: File, body: Any) -> bool:
    """Does the listener catch its failure and publish the record somewhere itself (a dead-letter
    topic of its own: ``catch (Exception e) { template.send("orders.DLT", ...) }``)?"""
    return any(
        n.type == "catch_clause"
        and any(
            c.type == "method_invocation" and file.text(c.child_by_field_name("name")) in ("send", "sendDefault")
            for c in walk(n)
        )
        for n in walk(body)
    )


def _package(file: File) -> str:
    for child in file.source.root.named_children:
        if child.type == "package_declaration":
            return "".join(
                file.text(n) for n in child.named_children if n.type != "annotation" and n.type != "marker_annotation"
            ).replace(" ", "")
    return ""


def enclosing_classes(file: File, node: Any) -> list[str]:
    """The fully qualified names of the types a node is in, outermost first."""
    names: list[str] = []
    current = node if node.type in _TYPES else node.parent
    while current is not None:
        if current.type in _TYPES:
            names.append(file.text(current.child_by_field_name("name")))
        current = current.parent
    names.reverse()
    package = _package(file)
    prefix = f"{package}." if package else ""
    return [prefix + ".".join(names[: i + 1]) for i in range(len(names))]


def declaring_class(file: File, node: Any) -> str:
    """The fully qualified name of the innermost type a node is in."""
    chain = enclosing_classes(file, node)
    return chain[-1] if chain else ""


def source_set(path: Path) -> str:
    """``main``, ``test``, ``integrationTest``...: the directory under ``src/`` (``main`` without one)."""
    parts = path.parts
    if "src" in parts[:-2]:
        index = len(parts) - 1 - parts[::-1].index("src")
        return parts[index + 1]
    return "main"


def placement(file: File) -> dict[str, str]:
    """Which application a file's beans can belong to: its build module and source set."""
    path = Path(file.document.path)
    return {"module": str(module_root(path)), "source-set": source_set(path.resolve())}


def _class_literals(file: File, annotation: Any) -> list[str]:
    arguments = annotation.child_by_field_name("arguments")
    if arguments is None:
        return []
    return [
        file.text(n.named_children[0]).replace(" ", "")
        for n in walk(arguments)
        if n.type == "class_literal" and n.named_children
    ]


def _configs(file: File) -> Iterator[Entity]:
    """A ``code.config`` for each type that takes part in an application context: a configuration
    class, a class with ``@Bean`` methods, a test class that loads a context."""
    placed = placement(file)
    for node in walk(file.source.root):
        if node.type not in _TYPES:
            continue
        annotations = annotations_of(file, node)
        names = set(annotations)
        body = node.child_by_field_name("body")
        beans = body is not None and any(
            m.type == "method_declaration" and "Bean" in annotations_of(file, m) for m in body.named_children
        )
        tests = names & _TEST_CONTEXTS
        roles = _roles(names, beans, tests)
        if not roles:
            continue
        loads, unknown = _loads(file, annotations, tests)
        imports = _class_literals(file, annotations["Import"]) if "Import" in annotations else []
        superclass = node.child_by_field_name("superclass")
        yield Entity(
            "code.config",
            "spring",
            file.document.display,
            file.source.span(node.child_by_field_name("name")),
            label=file.text(node.child_by_field_name("name")),
            attributes={
                "class": declaring_class(file, node),
                "extends": file.text(superclass) if superclass is not None else "",
                "package": _package(file),
                **placed,
            },
            lists={"roles": tuple(sorted(roles)), "loads": tuple(loads), "imports": tuple(imports)},
            traits={"loads-unknown"} if unknown else set(),
        )


def _roles(names: set[str], beans: bool, tests: set[str]) -> set[str]:
    """What a type is to an application context, by its annotations."""
    roles = set()
    if names & _CONFIGURATIONS or beans:
        roles.add("configuration")
    if names & _BOOT_APPS:
        roles.add("boot-app")
    if "ComponentScan" in names or "SpringBootApplication" in names:
        roles.add("scan")
    if "TestConfiguration" in names:
        roles.add("test-configuration")
    if tests:
        roles.add("test")
        if "SpringBootTest" in names:
            roles.add("boot-test")
    return roles


def _loads(file: File, annotations: dict[str, Any], tests: set[str]) -> tuple[list[str], bool]:
    """The classes a test's context annotations load, and whether it loads more that is not followed."""
    loads: list[str] = []
    unknown = False
    for name in tests:
        loads += _class_literals(file, annotations[name])
        arguments = annotations[name].child_by_field_name("arguments")
        if arguments is not None and (
            "locations" in file.text(arguments)
            or "initializers" in file.text(arguments)
            or (name == "ContextConfiguration" and any(n.type == "string_literal" for n in walk(arguments)))
        ):
            unknown = True  # XML or programmatic contexts: not followed
    return loads, unknown


def _listeners(file: File) -> Iterator[Entity]:
    for node in walk(file.source.root):
        if node.type == "method_declaration":
            annotations = annotations_of(file, node)
            for name, framework in (("KafkaListener", "kafka"), ("RabbitListener", "rabbit")):
                if name in annotations:
                    yield _listener(file, node, framework, annotations[name])
        elif node.type == "class_declaration":
            annotations = annotations_of(file, node)
            for name, framework, handler in (
                ("KafkaListener", "kafka", "KafkaHandler"),
                ("RabbitListener", "rabbit", "RabbitHandler"),
            ):
                if name not in annotations:
                    continue
                handlers = [
                    m
                    for m in node.child_by_field_name("body").named_children
                    if m.type == "method_declaration" and handler in annotations_of(file, m)
                ]
                # one container for all the handlers: any asynchronous one makes its acks MANUAL
                asynchronous = any(_async(file, m) for m in handlers)
                for method in handlers:
                    listener = _listener(file, method, framework, annotations[name])
                    if asynchronous:
                        listener.traits.add("async")
                    yield listener


def _recoveries(file: File) -> Iterator[tuple[str, Any]]:
    """(what, where) for each thing in the file that sends a failed Kafka record somewhere. A name
    alone (an import, a field's type) is not one: the recoverer must be built, the annotation used."""
    for node in walk(file.source.root):
        if node.type in ("annotation", "marker_annotation"):
            name = file.text(node.child_by_field_name("name")).split(".")[-1]
            if name in _RECOVERY_ANNOTATIONS:
                yield f"@{name}", node
        elif node.type == "object_creation_expression":
            simple = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
            arguments = node.child_by_field_name("arguments").named_children
            if simple in _RECOVERY_TYPES:
                yield simple, node
            elif (
                simple in _ERROR_HANDLERS
                and arguments
                and not file.text(arguments[0]).startswith(("new FixedBackOff", "new ExponentialBackOff"))
                and not _back_off_variable(file, node, arguments[0])
            ):
                yield f"{simple} with a recoverer", node
        elif node.type == "method_invocation" and file.text(node.child_by_field_name("object")) in (
            "RetryTopicConfigurationBuilder",
            "RetryTopicConfiguration",
        ):
            yield "RetryTopicConfigurationBuilder", node
        elif node.type in ("class_declaration", "record_declaration"):
            supertypes = " ".join(
                file.text(node.child_by_field_name(f))
                for f in ("superclass", "interfaces")
                if node.child_by_field_name(f) is not None
            )
            for supertype in _RECOVERY_SUPERTYPES:
                if re.search(rf"\b{supertype}\b", supertypes):
                    yield (
                        (
                            "a CommonErrorHandler of its own"
                            if supertype == "CommonErrorHandler"
                            else f"a {supertype} of its own"
                        ),
                        node,
                    )


def _back_off_variable(file: File, creation: Any, argument: Any) -> bool:
    """Is ``argument`` a variable holding a back-off (``new DefaultErrorHandler(backOff)``)?"""
    if argument.type != "identifier":
        return False
    name = file.text(argument)
    scope = enclosing_scope(creation)
    for declarator in walk(scope if scope is not None else file.source.root):
        if (
            declarator.type in ("variable_declarator", "formal_parameter")
            and file.text(declarator.child_by_field_name("name")) == name
        ):
            declared = declarator.parent if declarator.type == "variable_declarator" else declarator
            type_node = declared.child_by_field_name("type") if declared is not None else None
            value = declarator.child_by_field_name("value") if declarator.type == "variable_declarator" else None
            text = file.text(type_node) + " " + (file.text(value) if value is not None else "")
            return "BackOff" in text
    return False


def _error_handlers(file: File) -> Iterator[tuple[str, str, Any]]:
    """(handler, what it does to a record that keeps failing, where) for each error handler built."""
    for node in walk(file.source.root):
        if node.type != "object_creation_expression":
            continue
        simple = file.text(node.child_by_field_name("type")).split("<")[0].split(".")[-1]
        texts = [file.text(a) for a in node.child_by_field_name("arguments").named_children]
        if simple == "CommonLoggingErrorHandler":
            yield simple, "skips", node
        elif simple == "CommonContainerStoppingErrorHandler":
            yield simple, "stops", node
        elif simple == "DefaultErrorHandler":
            back_off = next((t for t in texts if "BackOff" in t or t.endswith(("backOff", "backoff"))), "")
            if not back_off:
                yield "DefaultErrorHandler (default back-off: 10 deliveries, no delay)", "skips", node
            elif any(u in back_off for u in _UNLIMITED) or back_off == "new FixedBackOff()":
                yield f"DefaultErrorHandler with {back_off}", "retries for ever", node
            else:
                yield f"DefaultErrorHandler with {' '.join(back_off.split())}", "skips", node


_ERROR_HANDLERS = {
    "DefaultErrorHandler",
    "SeekToCurrentErrorHandler",
    "DefaultAfterRollbackProcessor",
    "RecoveringBatchErrorHandler",
}


def _handles_errors(file: File, node: Any) -> bool:
    """Is this back-off given to a Spring Kafka error handler (directly, or through a variable)? Other
    back-offs (Spring AMQP's connection recovery, say) are meant to retry for ever."""

    def error_handler(creation: Any) -> bool:
        return (
            creation is not None
            and creation.type == "object_creation_expression"
            and file.text(creation.child_by_field_name("type")).split("<")[0].split(".")[-1] in _ERROR_HANDLERS
        )

    parent = node.parent
    if parent is not None and parent.type == "argument_list" and error_handler(parent.parent):
        return True
    variable = assigned_to(file, node)
    if not variable:
        return False
    scope = enclosing_scope(node)
    for creation in walk(scope if scope is not None else file.source.root):
        if error_handler(creation):
            arguments = creation.child_by_field_name("arguments").named_children
            if any(file.text(a) == variable for a in arguments):
                return True
    return False


def _back_offs(file: File) -> Iterator[Entity]:
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
                attempts = java_value(file, arguments[1]).text
                if attempts is not None and (numbers.parse_int(attempts) or 0) > 0:
                    facts = {
                        "back-off": "fixed",
                        "back-off-call": f"new FixedBackOff({texts[0]}, {texts[1]})",
                        "attempts": attempts,
                    }
        elif simple == "ExponentialBackOff":
            variable = assigned_to(file, node)
            bounded = variable and any(
                file.text(c.child_by_field_name("name")) in ("setMaxElapsedTime", "setMaxAttempts")
                for c in calls_on(file, enclosing_scope(node), variable)
            )
            if not bounded:
                facts = {"back-off": "unlimited", "back-off-call": f"new ExponentialBackOff({', '.join(texts)})"}
        if facts:
            yield Entity(
                "code.handler",
                "spring-kafka",
                file.document.display,
                file.source.span(node),
                label="back-off",
                attributes=facts,
            )


def extract(document: Document, file: File) -> list[Entity]:
    out = list(_listeners(file)) + list(_back_offs(file))
    if b"@" in file.source.data:
        out += _configs(file)
    placed = placement(file)
    seen: set[str] = set()
    for what, where in _recoveries(file):
        if what not in seen:
            seen.add(what)
            out.append(
                Entity(
                    "code.recovery",
                    "spring-kafka",
                    document.display,
                    file.source.span(where),
                    label=what,
                    attributes={"recovery": what, "class": declaring_class(file, where), **placed},
                )
            )
    for handler, outcome, where in _error_handlers(file):
        out.append(
            Entity(
                "code.error-handler",
                "spring-kafka",
                document.display,
                file.source.span(where),
                label=handler,
                attributes={"outcome": outcome, "class": declaring_class(file, where), **placed},
            )
        )
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


@dataclass
class _Context:
    """An application context, as far as it can be seen: the configuration classes it is made of,
    whether a module's main sources are in it (Boot's scanning), and whether anything it loads was
    out of sight (then a bean not found in it may still exist)."""

    module: str
    classes: frozenset[str]
    main: bool
    complete: bool

    def key(self) -> tuple[str, frozenset[str], bool]:
        return (self.module, self.classes, self.main)


class _Contexts:
    """Which context each listener runs in, and which beans each context defines."""

    def __init__(
        self, entities: list[Entity], modules: dict[str, str], spring_texts: dict[str, list[tuple[str, str]]]
    ) -> None:
        self.configs: dict[str, dict[str, Entity]] = {}  # module -> class -> code.config
        self.factories: dict[str, list[Entity]] = {}  # module -> factory beans
        self.boot: dict[tuple[str, str], list[Entity]] = {}  # (module, kind) -> Spring Boot configurations
        self.spring_texts = spring_texts
        for entity in entities:
            module = entity.attributes.get("module") or modules.get(entity.path, "")
            if entity.kind == "code.config":
                self.configs.setdefault(module, {})[entity.attributes["class"]] = entity
            elif entity.kind in ("kafka.listener", "rabbit.consumer"):
                if entity.attributes.get("bean"):
                    self.factories.setdefault(module, []).append(entity)
                elif entity.client in ("spring-kafka", "spring-amqp") and "binding" not in entity.attributes:
                    self.boot.setdefault((module, entity.kind), []).append(entity)

    def _resolve(self, module: str, ref: str, scope: list[str], package: str) -> str | None:
        """The class a ``Name.class`` literal written in ``scope`` (its enclosing classes) names."""
        known = self.configs.get(module, {})
        for outer in reversed(scope):
            if f"{outer}.{ref}" in known:
                return f"{outer}.{ref}"
        if ref in known:
            return ref
        if package and f"{package}.{ref}" in known:
            return f"{package}.{ref}"
        matches = [c for c in known if c.endswith(f".{ref}")]
        return matches[0] if len(matches) == 1 else None

    def _scope(self, config: Entity) -> list[str]:
        name = config.attributes["class"]
        package = config.attributes.get("package", "")
        inner = name.removeprefix(f"{package}.") if package else name
        parts = inner.split(".")
        prefix = f"{package}." if package else ""
        return [prefix + ".".join(parts[: i + 1]) for i in range(len(parts))]

    def _nested(self, module: str, outer: str, role: str = "configuration") -> list[str]:
        return [
            c
            for c, e in self.configs.get(module, {}).items()
            if c.startswith(f"{outer}.") and "." not in c[len(outer) + 1 :] and role in e.lists["roles"]
        ]

    def of_test(self, module: str, root: Entity) -> _Context:
        """The context a test class loads."""
        roles = root.lists["roles"]
        name = root.attributes["class"]
        complete = "loads-unknown" not in root.traits
        main = False
        start: list[str] = []
        refs = list(root.lists["loads"])
        for ref in refs:
            found = self._resolve(module, ref, self._scope(root), root.attributes.get("package", ""))
            if found is None:
                complete = False
            else:
                start.append(found)
        if not refs:
            nested = [
                c
                for c in self._nested(module, name)
                if "test-configuration" not in self.configs[module][c].lists["roles"]
            ]
            if nested:
                start = nested
            elif "boot-test" in roles:
                main = True  # Boot looks for the @SpringBootConfiguration: the main sources
                start = self._nested(module, name, "test-configuration")
            else:
                complete = False
        return self._expand(module, start, main, complete)

    def _expand(self, module: str, start: list[str], main: bool, complete: bool) -> _Context:
        seen: set[str] = set()
        todo = list(start)
        known = self.configs.get(module, {})
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            config = known[name]
            roles = config.lists["roles"]
            if "scan" in roles:
                main = True
                complete = False  # scanning may also pick up test classes of its packages
            todo += self._nested(module, name)  # member @Configuration classes are registered too
            for ref in config.lists["imports"]:
                found = self._resolve(module, ref, self._scope(config), config.attributes.get("package", ""))
                if found is None:
                    complete = False
                else:
                    todo.append(found)
        return _Context(module, frozenset(seen), main, complete)

    def of(self, listener: Entity) -> list[_Context]:
        """The contexts a listener is a bean of (several tests may load the same configuration)."""
        module = listener.attributes["module"]
        if listener.attributes.get("source-set", "main") == "main":
            return [_Context(module, frozenset(), True, True)]
        chain = set(listener.lists.get("classes", ()))
        contexts: dict[tuple[str, frozenset[str], bool], _Context] = {}
        for config in self.configs.get(module, {}).values():
            if "test" not in config.lists["roles"] or config.attributes.get("source-set") == "main":
                continue
            context = self.of_test(module, config)
            if config.attributes["class"] in chain or context.classes & chain:
                contexts.setdefault(context.key(), context)
        return list(contexts.values())

    def main_sources(self, module: str) -> list[Entity]:
        return [c for c in self.configs.get(module, {}).values() if c.attributes.get("source-set") == "main"]

    def boot_app(self, module: str, kind: str) -> bool:
        """A Spring Boot application: a ``@SpringBootApplication`` in its main sources, or Boot's own
        ``spring.kafka``/``spring.rabbitmq`` configuration in its Spring configuration files."""
        if kind == "rabbit.consumer" and any(_BOOT_RABBIT.search(t) for _, t in self.spring_texts.get(module, [])):
            return True  # only Boot reads spring.rabbitmq.*; the @SpringBootApplication class need not import AMQP
        return bool(self.boot.get((module, kind))) or any(
            "boot-app" in c.lists["roles"] for c in self.main_sources(module)
        )

    def factory(self, context: _Context, name: str, kind: str, near: str) -> Entity | str | None:
        """The factory bean ``name`` of a context; "boot" for Spring Boot's own; None: unknown."""
        candidates = [
            f
            for f in self.factories.get(context.module, [])
            if f.kind == kind
            and f.attributes.get("bean") == name
            and (
                f.attributes.get("class") in context.classes
                or (context.main and f.attributes.get("source-set", "main") == "main")
            )
        ]
        if len(candidates) > 1 and _flat(context.module):
            # no build module to tell applications apart (a directory of loose files): the nearest
            candidates = _nearest(candidates, near)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            return None  # defined twice (profiles, conditions, unrelated samples): which one is not known
        in_main = any(
            f.kind == kind and f.attributes.get("bean") == name and f.attributes.get("source-set", "main") == "main"
            for f in self.factories.get(context.module, [])
        )
        if name not in _BOOT_FACTORIES:
            return None  # Boot defines only the default-named factory: another name is a bean out of sight
        if context.main and context.complete and not in_main and self.boot_app(context.module, kind):
            return "boot"
        return None


def _flat(module: str) -> bool:
    """Is a module only a guess (no ``src/`` and no build file: the repository or a directory)?"""
    root = Path(module)
    return not any((root / "src" / d).is_dir() for d in ("main", "test")) and not any(
        (root / name).is_file() for name in _BUILD_FILES
    )


def _nearest(candidates: list[Entity], path: str) -> list[Entity]:
    """The candidates whose files share the longest directory with ``path``."""

    def shared(entity: Entity) -> int:
        a, b = Path(entity.path).parent.parts, Path(path).parent.parts
        return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))

    best = max(shared(c) for c in candidates)
    return [c for c in candidates if shared(c) == best]


def applications(
    entities: list[Entity], spring_texts: dict[str, list[tuple[str, str]]], modules: dict[str, str]
) -> list[Entity]:
    """Join listeners with the container settings and the recovery of their application; one
    ``code.app`` per application with Kafka listeners. ``spring_texts``: module -> [(path, text)] of
    its Spring configuration files; ``modules``: a file as findings show it -> its module."""
    listeners = [e for e in entities if e.kind == "code.listener"]
    if not listeners:
        return []
    contexts = _Contexts(entities, modules, spring_texts)
    customized = {
        e.attributes.get("module", "")
        for e in entities
        if e.kind == "kafka.listener" and e.attributes.get("container-properties") == "unknown"
    }
    for listener in listeners:
        _ack_mode(listener, contexts, customized)
    out: list[Entity] = []
    in_main = [e for e in entities if e.attributes.get("source-set", "main") == "main"]
    recoveries = [e for e in in_main if e.kind == "code.recovery"]
    handlers = [e for e in in_main if e.kind == "code.error-handler"]
    for module, group in _by_module(listeners).items():
        built = [h for h in handlers if h.attributes["module"] == module]
        how = _dead_letter(module, recoveries, built, spring_texts)
        routed = [e for e in group if "dead-letters-itself" not in e.traits]
        if not routed:
            continue  # each listener publishes its failed records itself
        handler = _skipping_handlers(built)
        first = routed[0]
        app = Entity(
            "code.app",
            "spring-kafka",
            first.path,
            first.anchor,
            label="Spring Kafka application",
            attributes={"dead-letter": how, "module": module, "error-handler": handler},
        )
        app.counts["listeners"] = len(routed)
        app.related["listeners"] = routed
        out.append(app)
    return out


def _by_module(listeners: list[Entity]) -> dict[str, list[Entity]]:
    """The Kafka listeners of main sources that no error handler of their own covers, by module."""
    by_module: dict[str, list[Entity]] = {}
    for listener in listeners:
        # test sources exercise the framework, they do not run an application whose records matter
        if (
            listener.attributes["framework"] == "kafka"
            and not listener.attributes.get("error-handler")
            and listener.attributes.get("source-set", "main") == "main"
        ):
            by_module.setdefault(listener.attributes["module"], []).append(listener)
    return by_module


def _dead_letter(
    module: str, recoveries: list[Entity], built: list[Entity], spring_texts: dict[str, list[tuple[str, str]]]
) -> str:
    """How a module's failed records are kept from being lost ("" when nothing says)."""
    recovery = next((r for r in recoveries if r.attributes["module"] == module), None)
    how = f"{recovery.label} ({_span_text(recovery)})" if recovery is not None else ""
    if not how:
        for path, text in spring_texts.get(module, []):
            if _SCST_DLQ.search(text):
                how = f"a dead-letter topic in the Spring configuration ({path})"
                break
    if not how and built and all(h.attributes["outcome"] != "skips" for h in built):
        # it stops the container or retries for ever (KL302): nothing is skipped
        how = f"{built[0].label}, which {built[0].attributes['outcome']} ({_span_text(built[0])})"
    return how


def _skipping_handlers(built: list[Entity]) -> str:
    """The error handlers a module builds that skip failed records, as a finding names them."""
    skipping = [h for h in built if h.attributes["outcome"] == "skips"]
    if len({h.label for h in skipping}) == 1:
        return f"{skipping[0].label} ({_span_text(skipping[0])})"
    if skipping:
        return "the error handlers it builds (" + ", ".join(f"{h.label} at {_span_text(h)}" for h in skipping) + ")"
    return ""


def _ack_mode(listener: Entity, contexts: _Contexts, customized: set[str]) -> None:
    """The acknowledgement mode a listener runs with, and where it is set."""
    framework = listener.attributes["framework"]
    if framework == "kafka" and "async" in listener.traits:
        listener.attributes["ack-mode"] = "manual"
        listener.attributes["ack-mode-from"] = "set by Spring Kafka for its asynchronous return type"
        listener.attributes["acknowledges"] = "on completion"  # the container acknowledges the result
        return
    annotation = listener.attributes.get("ack-mode-annotation", "")
    if annotation == "?":
        return  # resolved at run time
    if annotation:
        listener.attributes["ack-mode"], listener.attributes["ack-mode-from"] = annotation, "its annotation's ackMode"
        return
    kind, key = ("kafka.listener", "ack-mode") if framework == "kafka" else ("rabbit.consumer", "acknowledge-mode")
    default_bean = "kafkaListenerContainerFactory" if framework == "kafka" else "rabbitListenerContainerFactory"
    name = listener.attributes.get("factory") or default_bean
    if "${" in name or "#{" in name:
        return
    found = {id(f): f for c in contexts.of(listener) for f in [contexts.factory(c, name, kind, listener.path)]}
    if len(found) != 1:
        return  # no context, a factory out of sight, or contexts that disagree: its mode is unknown
    factory = next(iter(found.values()))
    if factory is None:
        return
    if factory == "boot":
        _boot_mode(listener, contexts, kind, key, customized)
        return
    assert isinstance(factory, Entity)
    setting = factory.get(key)
    if (
        setting is None
        and "templated" not in factory.traits
        and factory.attributes.get("container-properties") != "unknown"
    ):
        # a factory bean built in code that sets no mode runs with ContainerProperties' default
        listener.attributes["ack-mode"] = "batch" if framework == "kafka" else "auto"
        listener.attributes["ack-mode-from"] = (
            f"the default, as the factory bean {factory.attributes['bean']} at "
            f"{factory.path}:{factory.anchor.line} sets none"
        )
        return
    _written(listener, setting)


def _written(listener: Entity, setting: Setting | None) -> None:
    if setting is None or setting.origin is None or setting.value is None:
        return
    listener.attributes["ack-mode"] = setting.value
    origin = setting.origin
    listener.attributes["ack-mode-from"] = f"{origin.raw_key} at {origin.path}:{origin.span.line}"


def _boot_mode(listener: Entity, contexts: _Contexts, kind: str, key: str, customized: set[str]) -> None:
    """Spring Boot's own factory: its ``spring.*.listener`` mode, the same in every profile, else (Kafka
    only) ContainerProperties' default, once the application's configuration has been seen and no
    code of it sets a mode on containers (a customizer)."""
    module = listener.attributes["module"]
    written = {e.profile: e.get(key) for e in contexts.boot.get((module, kind), []) if e.get(key) is not None}
    values = {s.value for s in written.values() if s is not None}
    if len(values) > 1 or None in values:
        return  # differs between profiles, or is a placeholder
    if None in written:
        _written(listener, written[None])
        return
    if written or module in customized or not contexts.spring_texts.get(module):
        return
    if kind == "rabbit.consumer":
        _boot_rabbit_defaults(listener, contexts, module)
        return
    paths = ", ".join(p for p, _ in contexts.spring_texts[module])
    listener.attributes["ack-mode"] = "batch"
    listener.attributes["ack-mode-from"] = (
        f"the default of Spring Boot's factory, as spring.kafka.listener.ack-mode is not set in {paths}"
    )


# what, written in a module's Spring configuration, may change how a Boot listener treats a failure
_RABBIT_LISTENER_TEXT = re.compile(r"(?i)rabbitmq[.:\s\S]{0,200}?listener|requeue|retry")


def _boot_rabbit_defaults(listener: Entity, contexts: _Contexts, module: str) -> None:
    """A @RabbitListener on Spring Boot's own factory in an application that configures no listener
    (no ``spring.rabbitmq.listener`` at all): AUTO acknowledgement, failed messages requeued, no retry."""
    if contexts.boot.get((module, "rabbit.consumer")) or "handles-failure" in listener.traits:
        return
    texts = contexts.spring_texts[module]
    if any(_RABBIT_LISTENER_TEXT.search(text) for _, text in texts):
        return  # a listener block, or a retry or requeue setting, this reading did not turn into a container
    paths = ", ".join(p for p, _ in texts)
    listener.attributes["ack-mode"] = "auto"
    listener.attributes["ack-mode-from"] = (
        f"the default of Spring Boot's factory, as no spring.rabbitmq.listener setting is in {paths}"
    )
    listener.traits.add("boot-listener-defaults")


# a dead-letter route in Spring configuration: Spring Cloud Stream's DLQ, or Boot's retry topics
# (spring.kafka.retry.topic.enabled, which end in a DLT), in .properties or nested YAML
_SCST_DLQ = re.compile(
    r"(?i)enable[-_]?dlq[\"']?\s*[:=]\s*[\"']?true"
    r"|retry\.topic\.enabled\s*[:=]\s*true"
    r"|\bretry:\s*\n\s+topic:\s*\n(?:\s+[\w-]+:.*\n)*?\s+enabled:\s*[\"']?true"
)
