"""Kafka clients in Python source: confluent-kafka's configuration dicts, kafka-python's and
aiokafka's keyword arguments -> producer and consumer entities, so that every configuration rule
applies to code too, at the line of the key or keyword.

What can be followed statically within the module is: a dict literal, a variable holding one (in
the function or at module level), ``{**base, "key": value}`` and ``dict(base, ...)``. A value that is
not a literal is unknown; a configuration that cannot be followed is left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from msglint import numbers
from msglint.documents import Document
from msglint.facts import Kind
from msglint.fixes.python import PythonWriter
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting, Span

# qualified constructor -> (entity kind, client, configuration style)
CLIENTS: dict[str, tuple[Kind, str, str]] = {
    "confluent_kafka.Producer": ("kafka.producer", "librdkafka", "dict"),
    "confluent_kafka.SerializingProducer": ("kafka.producer", "librdkafka", "dict"),
    "confluent_kafka.Consumer": ("kafka.consumer", "librdkafka", "dict"),
    "confluent_kafka.DeserializingConsumer": ("kafka.consumer", "librdkafka", "dict"),
    "kafka.KafkaProducer": ("kafka.producer", "kafka-python", "kwargs"),
    "kafka.KafkaConsumer": ("kafka.consumer", "kafka-python", "kwargs"),
    "aiokafka.AIOKafkaProducer": ("kafka.producer", "aiokafka", "kwargs"),
    "aiokafka.AIOKafkaConsumer": ("kafka.consumer", "aiokafka", "kwargs"),
}
_KWARG_KEYS = {"max_batch_size": "batch.size"}  # aiokafka's name for batch.size
_KNOWN = (
    keys.PRODUCER_KEYS
    | keys.CONSUMER_KEYS
    | {"bootstrap.servers", "request.timeout.ms", "client.id", "message.timeout.ms", "enable.auto.offset.store"}
)
LABELS = {"librdkafka": "confluent-kafka", "kafka-python": "kafka-python", "aiokafka": "aiokafka"}


@dataclass
class _Value:
    text: str | None  # the literal's value as text; None: not a literal
    kind: str  # pystr, pyint, pybool, other
    node: Any


def python_literal(node: Any) -> _Value:
    import libcst as cst

    if isinstance(node, cst.SimpleString):
        return _Value(node.evaluated_value if isinstance(node.evaluated_value, str) else None, "pystr", node)
    if isinstance(node, cst.Integer):  # read from its text: evaluated_value raises beyond 4,300 digits
        return _Value(numbers.python_int_literal(node.value), "pyint", node)
    if (
        isinstance(node, cst.UnaryOperation)
        and isinstance(node.operator, cst.Minus)
        and isinstance(node.expression, cst.Integer)
    ):
        digits = numbers.python_int_literal(node.expression.value)
        return _Value(None if digits is None else f"-{digits}", "pyint", node)
    if isinstance(node, cst.Name) and node.value in ("True", "False"):
        return _Value(node.value.lower(), "pybool", node)
    return _Value(None, "other", node)


class Scopes:
    """Assignments of names, per function and at module level, for following a config variable."""

    def __init__(self, module: Any) -> None:
        self.tree = module
        self.module: dict[str, Any] = {}
        self.functions: dict[int, dict[str, Any]] = {}
        self.built = False  # a walk of the whole module: only when a name has to be followed

    def _build(self) -> None:
        import libcst as cst

        self.built = True
        module = self.tree

        class Visitor(cst.CSTVisitor):
            def __init__(inner) -> None:
                inner.stack: list[dict[str, Any]] = []

            def visit_FunctionDef(inner, node: cst.FunctionDef) -> None:
                scope: dict[str, Any] = {}
                self.functions[id(node)] = scope
                inner.stack.append(scope)

            def leave_FunctionDef(inner, node: cst.FunctionDef) -> None:
                inner.stack.pop()

            def visit_Assign(inner, node: cst.Assign) -> None:
                for target in node.targets:
                    if isinstance(target.target, cst.Name):
                        (inner.stack[-1] if inner.stack else self.module)[target.target.value] = node.value

            def visit_AnnAssign(inner, node: cst.AnnAssign) -> None:
                if isinstance(node.target, cst.Name) and node.value is not None:
                    (inner.stack[-1] if inner.stack else self.module)[node.target.value] = node.value

        module.visit(Visitor())

    def lookup(self, name: str, function: Any) -> Any:
        if not self.built:
            self._build()
        if function is not None and name in self.functions.get(id(function), {}):
            return self.functions[id(function)][name]
        return self.module.get(name)


def module_imports(module: Any) -> dict[str, str]:
    """Local name -> qualified name, for the client libraries' imports."""
    import libcst as cst

    names: dict[str, str] = {}

    def dotted(node: Any) -> str:
        if isinstance(node, cst.Name):
            return str(node.value)
        if isinstance(node, cst.Attribute):
            return f"{dotted(node.value)}.{node.attr.value}"
        return ""

    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue  # module-level imports only
        for small in statement.body:
            if isinstance(small, cst.ImportFrom) and not isinstance(small.names, cst.ImportStar) and small.module:
                base = dotted(small.module)
                for alias in small.names:
                    local = dotted(alias.asname.name) if alias.asname else dotted(alias.name)
                    names[str(local)] = f"{base}.{dotted(alias.name)}"
            elif isinstance(small, cst.Import):
                for alias in small.names:
                    full = dotted(alias.name)
                    local = dotted(alias.asname.name) if alias.asname else full.split(".")[0]
                    names[str(local)] = full if alias.asname else full.split(".")[0]
    return names


def qualified_name(func: Any, imports: dict[str, str]) -> str:
    import libcst as cst

    if isinstance(func, cst.Name):
        return imports.get(func.value, "")
    if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value in imports:
        return f"{imports[func.value.value]}.{func.attr.value}"
    return ""


def dict_entries(
    node: Any, scopes: Scopes, function: Any, depth: int = 0, unknown: list[Any] | None = None
) -> Iterator[tuple[Any, str, Any]]:
    """(key node, key, value node) of a dict that can be followed; later entries override earlier ones.
    What cannot be followed (a name bound elsewhere, ``**make()``, a computed key) goes to ``unknown``."""
    import libcst as cst

    def follow(inner: Any) -> Iterator[tuple[Any, str, Any]]:
        return dict_entries(inner, scopes, function, depth + 1, unknown)

    if depth > 10:
        if unknown is not None:
            unknown.append(node)
        return
    target = scopes.lookup(node.value, function) if isinstance(node, cst.Name) else None
    if target is not None:
        yield from follow(target)
    elif isinstance(node, cst.Dict):
        yield from _literal_entries(node, follow, unknown)
    elif isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
        for arg in node.args:
            if (arg.keyword is None and arg.star == "") or arg.star == "**":
                yield from follow(arg.value)
            elif arg.keyword is not None:
                yield arg.keyword, str(arg.keyword.value), arg.value
    elif unknown is not None:
        unknown.append(node)  # a name bound elsewhere, or another expression


def _literal_entries(
    node: Any, follow: Callable[[Any], Iterator[tuple[Any, str, Any]]], unknown: list[Any] | None
) -> Iterator[tuple[Any, str, Any]]:
    """The entries of a dict literal: string keys, and ``**other`` followed."""
    import libcst as cst

    for element in node.elements:
        if isinstance(element, cst.StarredDictElement):
            yield from follow(element.value)
        elif isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
            key = element.key.evaluated_value
            if isinstance(key, str):
                yield element.key, key, element.value
        elif unknown is not None:
            unknown.append(element)


def in_function() -> Any:
    """A libcst visitor class that knows the function it is in (``function``; None at module level).
    Built on first use: libcst is imported only when Python is read."""
    import libcst as cst

    class InFunction(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.functions: list[cst.FunctionDef] = []

        @property
        def function(self) -> Any:
            return self.functions[-1] if self.functions else None

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.append(node)

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.functions.pop()

    return InFunction


def own_package(document: Document) -> str:
    """The top-level package a module belongs to (its directories with an ``__init__.py``), or "".
    A client library's own modules (pika's ``pika/channel.py``, aiokafka's ``aiokafka/...``) wrap
    and construct the library's objects; they are not an application using it."""
    package = ""
    folder = document.path.parent
    for _ in range(20):
        if not (folder / "__init__.py").is_file():
            break
        package, folder = folder.name, folder.parent
    return package


def extract(document: Document) -> list[Entity]:
    import libcst as cst

    module, span_of = document.python
    imports = module_imports(module)
    roots = ("confluent_kafka", "kafka", "aiokafka")
    if not any(q.split(".")[0] in roots for q in imports.values()) or own_package(document) in roots:
        return []
    scopes = Scopes(module)
    out: list[Entity] = []

    class Calls(in_function()):  # type: ignore[misc]
        def visit_Assign(inner, node: cst.Assign) -> None:
            # `producer = Producer(...)` / `self.producer = Producer(...)`: the name its calls go through
            if isinstance(node.value, cst.Call) and len(node.targets) == 1:
                bindings[id(node.value)] = dotted_expression(node.targets[0].target)

        def visit_Call(inner, node: cst.Call) -> None:
            client = CLIENTS.get(qualified_name(node.func, imports))
            if client is not None:
                function = inner.function
                entity = _entity(document, node, client, scopes, function, span_of)
                if entity is not None:
                    entity.attributes["binding"] = bindings.get(id(node), "")
                    out.append(entity)
            elif isinstance(node.func, cst.Attribute):
                method_calls.append((dotted_expression(node.func.value), node.func.attr.value, node))
            for arg in node.args:  # a client handed to another function: what it does there is unknown
                passed.add(dotted_expression(arg.value))

    bindings: dict[int, str] = {}
    method_calls: list[tuple[str, str, Any]] = []
    passed: set[str] = set()
    module.visit(Calls())
    by_name: dict[str, list[tuple[str, Any]]] = {}  # grouped once: a module may hold thousands of producers
    for name, method, node in method_calls:
        by_name.setdefault(name, []).append((method, node))
    for entity in out:
        _usage(entity, by_name, passed, span_of)
    return out


def dotted_expression(node: Any) -> str:
    """``producer`` or ``self.producer``; empty for anything else."""
    import libcst as cst

    if isinstance(node, cst.Name):
        return str(node.value)
    if isinstance(node, cst.Attribute):
        inner = dotted_expression(node.value)
        return f"{inner}.{node.attr.value}" if inner else ""
    return ""


def _usage(
    entity: Entity, calls: dict[str, list[tuple[str, Any]]], passed: set[str], span_of: Callable[[Any], Span]
) -> None:
    """What the code does with a confluent-kafka producer: produce, and serve its delivery reports."""
    binding = entity.attributes.get("binding", "")
    if entity.client != "librdkafka" or entity.kind != "kafka.producer" or not binding or binding in passed:
        return  # unknown: not bound to a name, or handed to code elsewhere
    mine = calls.get(binding, [])
    produces = [node for method, node in mine if method == "produce"]
    served = sorted({method for method, _ in mine if method in ("poll", "flush")})
    if produces:
        first = span_of(produces[0].func)
        entity.places["produce-at"] = first
    entity.lists["served-by"] = tuple(served)


def python_origin(
    document: Document,
    key_node: Any,
    value_node: Any,
    raw_key: str,
    syntax: str,
    kind: str,
    editable: bool,
    span_of: Callable[[Any], Span],
) -> Origin:
    """Where a dict entry or keyword is written; its value can be replaced only when ``editable``."""
    key_span, value_span = span_of(key_node), span_of(value_node)
    span = Span(key_span.line, key_span.column, value_span.end_line, value_span.end_column)
    return Origin(
        document.display, span, raw_key, syntax, value_span if editable else None, key_span, kind, whole_lines=False
    )


def _setting(
    document: Document,
    key_node: Any,
    key: str,
    raw_key: str,
    value_node: Any,
    span_of: Callable[[Any], Span],
    syntax: str = "python",
) -> Setting:
    value = python_literal(value_node)
    origin = python_origin(document, key_node, value_node, raw_key, syntax, value.kind, value.text is not None, span_of)
    text = None if value.text is None else keys.normalize(key, value.text)
    if key == "auto.offset.reset" and text is not None:
        text = _RESET_SYNONYMS.get(text.lower(), text)  # librdkafka's names for the two ends
    return Setting(key, text, value.text or "", origin)


_RESET_SYNONYMS = {"smallest": "earliest", "beginning": "earliest", "largest": "latest", "end": "latest"}


def _entity(
    document: Document,
    call: Any,
    client: tuple[Kind, str, str],
    scopes: Scopes,
    function: Any,
    span_of: Callable[[Any], Span],
) -> Entity | None:
    kind, library, style = client
    settings: dict[str, Setting] = {}
    unknown: list[Any] = []
    traits: set[str] = set()
    if style == "dict":
        entries = _librdkafka_entries(call, scopes, function, unknown)
        if not entries:
            return None  # a configuration built where it cannot be followed: say nothing
        for key_node, key, value_node in entries:
            canonical = keys.LIBRDKAFKA_ALIASES.get(key, key)
            settings[canonical] = _setting(document, key_node, canonical, f'"{key}"', value_node, span_of)
    else:
        for arg in call.args:
            if arg.star == "**":  # KafkaConsumer(**options): the dict's keys are keyword names
                pairs = [(k, name, v) for k, name, v in dict_entries(arg.value, scopes, function, 0, unknown)]
            elif arg.keyword is not None:
                pairs = [(arg.keyword, arg.keyword.value, arg.value)]
            else:
                continue
            for key_node, name, value_node in pairs:
                if _is_none(value_node):
                    settings.pop(_KWARG_KEYS.get(name, name.replace("_", ".")), None)
                    continue  # None is these libraries' own default for every optional keyword
                key = _KWARG_KEYS.get(name, name.replace("_", "."))
                if key in _KNOWN:
                    settings[key] = _setting(document, key_node, key, name, value_node, span_of, "python-kwarg")
    if unknown:
        traits.add("templated")  # part of the configuration comes from where it cannot be followed: no defaults
    return Entity(
        kind,
        library,
        document.display,
        span_of(call.func),
        settings,
        writer=PythonWriter(document.display, style, _KWARG_KEYS),
        label=f"{LABELS[library]} {kind.split('.')[1]}",
        traits=traits,
    )


def _is_none(node: Any) -> bool:
    import libcst as cst

    return isinstance(node, cst.Name) and node.value == "None"


def _librdkafka_entries(call: Any, scopes: Scopes, function: Any, unknown: list[Any]) -> list[tuple[Any, str, Any]]:
    """The configuration of ``Producer(conf)``, ``Consumer(conf=...)``, ``Consumer(**conf)`` or
    ``Consumer(conf, **more)``, in the order confluent-kafka applies it: the positional dict, then
    the keywords (they win on a duplicate key), then the entries of ``default.topic.config``, which
    it merges over the rest (confluent_kafka.c ``common_conf_setup``)."""
    config = next((a.value for a in call.args if a.keyword is None and a.star == ""), None)
    config = config or next((a.value for a in call.args if a.keyword and a.keyword.value == "conf"), None)
    entries = list(dict_entries(config, scopes, function, 0, unknown)) if config is not None else []
    for arg in call.args:
        if arg.star == "**":
            entries.extend(dict_entries(arg.value, scopes, function, 0, unknown))
    topic = [e for e in entries if e[1] == "default.topic.config"]
    entries = [e for e in entries if e[1] != "default.topic.config"]
    for _, _, value in topic:
        entries.extend(dict_entries(value, scopes, function, 0, unknown))
    return entries
