"""Kafka clients in Python source: confluent-kafka's configuration dicts, kafka-python's and
aiokafka's keyword arguments -> producer and consumer entities, so that every configuration rule
applies to code too, at the line of the key or keyword.

What can be followed statically within the module is: a dict literal, a variable holding one (in
the function or at module level), ``{**base, "key": value}`` and ``dict(base, ...)``. A value that is
not a literal is unknown; a configuration that cannot be followed is left alone.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from msglint import numbers
from msglint.documents import Document
from msglint.facts import Kind
from msglint.fixes.python import PythonWriter
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.python import PythonTree

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


def python_literal(node: Any, tree: PythonTree) -> _Value:
    if is_string(node, tree):
        return _Value(node.value if isinstance(node.value, str) else None, "pystr", node)
    if is_int(node):  # read from its text: int() refuses beyond 4,300 digits
        return _Value(numbers.python_int_literal(tree.segment(node)), "pyint", node)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and is_int(node.operand):
        digits = numbers.python_int_literal(tree.segment(node.operand))
        return _Value(None if digits is None else f"-{digits}", "pyint", node)
    if isinstance(node, ast.Constant) and isinstance(node.value, bool):
        return _Value(str(node.value).lower(), "pybool", node)
    return _Value(None, "other", node)


def is_int(node: Any) -> bool:
    return isinstance(node, ast.Constant) and type(node.value) is int


def is_constant(node: Any, value: object) -> bool:
    """``None``, ``True`` or ``False`` as written."""
    return isinstance(node, ast.Constant) and node.value is value


def is_string(node: Any, tree: PythonTree) -> bool:
    """One string or bytes literal, not an implicit concatenation (``"a" "b"``) nor an f-string."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, (str, bytes)):
        return False
    text = tree.segment(node)
    start = len(text) - len(text.lstrip("rRbBuU"))
    quote = text[start : start + 3] if text[start : start + 3] in ('"""', "'''") else text[start : start + 1]
    if len(text) < start + 2 * len(quote) or not text.endswith(quote):
        return False
    return quote not in _ESCAPED.sub("", text[start + len(quote) : len(text) - len(quote)])


_ESCAPED = re.compile(r"\\.", re.DOTALL)


class Scopes:
    """Assignments of names, per function and at module level, for following a config variable."""

    def __init__(self, tree: PythonTree) -> None:
        self.tree = tree
        self.module: dict[str, Any] = {}
        self.functions: dict[int, dict[str, Any]] = {}
        self.built = False  # only when a name has to be followed

    def _build(self) -> None:
        self.built = True
        for site in self.tree.index.of(ast.Assign, ast.AnnAssign):
            node = site.node
            scope = self.module if site.function is None else self.functions.setdefault(id(site.function), {})
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Name):
                        scope[target.id] = node.value
            elif isinstance(node.target, ast.Name) and node.value is not None:
                scope[node.target.id] = node.value

    def lookup(self, name: str, function: Any) -> Any:
        if not self.built:
            self._build()
        if function is not None and name in self.functions.get(id(function), {}):
            return self.functions[id(function)][name]
        return self.module.get(name)


def module_imports(module: ast.Module) -> dict[str, str]:
    """Local name -> qualified name, for the client libraries' imports (module level only)."""
    names: dict[str, str] = {}
    for statement in module.body:
        if isinstance(statement, ast.ImportFrom) and statement.module:
            if any(alias.name == "*" for alias in statement.names):
                continue
            for alias in statement.names:  # `from .kafka import X` reads as `kafka.X`, as it always has
                names[alias.asname or alias.name] = f"{statement.module}.{alias.name}"
        elif isinstance(statement, ast.Import):
            for alias in statement.names:
                full = alias.name
                local = alias.asname or full.split(".")[0]
                names[local] = full if alias.asname else full.split(".")[0]
    return names


def qualified_name(func: Any, imports: dict[str, str]) -> str:
    if isinstance(func, ast.Name):
        return imports.get(func.id, "")
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id in imports:
        return f"{imports[func.value.id]}.{func.attr}"
    return ""


Entry = tuple[Any, str, Any]  # (key node or span, key, value node)


def dict_entries(
    node: Any, scopes: Scopes, function: Any, depth: int = 0, unknown: list[Any] | None = None
) -> Iterator[Entry]:
    """(key node, key, value node) of a dict that can be followed; later entries override earlier ones.
    What cannot be followed (a name bound elsewhere, ``**make()``, a computed key) goes to ``unknown``."""

    def follow(inner: Any) -> Iterator[Entry]:
        return dict_entries(inner, scopes, function, depth + 1, unknown)

    if depth > 10:
        if unknown is not None:
            unknown.append(node)
        return
    target = scopes.lookup(node.id, function) if isinstance(node, ast.Name) else None
    if target is not None:
        yield from follow(target)
    elif isinstance(node, ast.Dict):
        yield from _literal_entries(node, scopes.tree, follow, unknown)
    elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict":
        for arg in scopes.tree.index.args(node):
            if arg.star in ("", "**") and arg.name is None:
                yield from follow(arg.value)
            elif arg.name is not None:
                yield arg.name_span, arg.name, arg.value
    elif unknown is not None:
        unknown.append(node)  # a name bound elsewhere, or another expression


def _literal_entries(
    node: ast.Dict, tree: PythonTree, follow: Callable[[Any], Iterator[Entry]], unknown: list[Any] | None
) -> Iterator[Entry]:
    """The entries of a dict literal: string keys, and ``**other`` followed."""
    for key, value in zip(node.keys, node.values, strict=True):
        if key is None:
            yield from follow(value)
        elif is_string(key, tree):
            if isinstance(key.value, str):  # type: ignore[attr-defined]
                yield key, key.value, value  # type: ignore[attr-defined]
        elif unknown is not None:
            unknown.append(key)


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
    tree: PythonTree = document.python
    imports = module_imports(tree.module)
    roots = ("confluent_kafka", "kafka", "aiokafka")
    if not any(q.split(".")[0] in roots for q in imports.values()) or own_package(document) in roots:
        return []
    scopes = Scopes(tree)
    bindings = _bindings(tree)
    out: list[Entity] = []
    by_name: dict[str, list[tuple[str, Any]]] = {}  # grouped once: a module may hold thousands of producers
    passed: set[str] = set()
    for site in tree.index.calls:
        node = site.node
        client = CLIENTS.get(qualified_name(node.func, imports))
        if client is not None:
            entity = _entity(document, node, client, scopes, site.function, tree)
            if entity is not None:
                entity.attributes["binding"] = bindings.get(id(node), "")
                out.append(entity)
        elif isinstance(node.func, ast.Attribute):
            by_name.setdefault(dotted_expression(node.func.value), []).append((node.func.attr, node))
        for arg in tree.index.args(node):  # a client handed to another function: what it does there is unknown
            passed.add(dotted_expression(arg.value))
    if any(e.kind == "kafka.consumer" for e in out):
        passed |= _aliased(tree)  # `c = self.consumer; c.commit()`: its calls are not under its name
    for entity in out:
        _usage(entity, by_name, passed, tree.span)
    return out


def _aliased(tree: PythonTree) -> set[str]:
    """Names and attributes assigned to another name (``c = self.consumer``)."""
    return {
        dotted_expression(site.node.value)
        for site in tree.index.of(ast.Assign, ast.AnnAssign)
        if isinstance(site.node.value, (ast.Name, ast.Attribute))
    }


# what commits a consumer's offsets, and what shows the application keeps its positions itself
_COMMITS = frozenset({"commit", "commit_async"})
_OWN_OFFSETS = frozenset({"assign", "seek", "seek_to_beginning", "seek_to_end", "store_offsets"})


def _bindings(tree: PythonTree) -> dict[int, str]:
    """`producer = Producer(...)` / `self.producer = Producer(...)`: the name its calls go through."""
    found: dict[int, str] = {}
    for site in tree.index.of(ast.Assign):
        if isinstance(site.node.value, ast.Call) and len(site.node.targets) == 1:
            found[id(site.node.value)] = dotted_expression(site.node.targets[0])
    return found


def dotted_expression(node: Any) -> str:
    """``producer`` or ``self.producer``; empty for anything else."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = dotted_expression(node.value)
        return f"{inner}.{node.attr}" if inner else ""
    return ""


def _usage(
    entity: Entity, calls: dict[str, list[tuple[str, Any]]], passed: set[str], span_of: Callable[[Any], Span]
) -> None:
    """What the code does with a client: a confluent-kafka producer produces and serves its delivery
    reports; a consumer is committed, or keeps its positions itself (assign, seek), or neither."""
    binding = entity.attributes.get("binding", "")
    if entity.kind == "kafka.consumer" and binding and binding not in passed:
        methods = {method for method, _ in calls.get(binding, [])}
        if methods and not methods & (_COMMITS | _OWN_OFFSETS):
            entity.traits.add("never-commits")  # used here, and nothing here commits for it
        return
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
    tree: PythonTree,
    syntax: str = "python",
) -> Setting:
    value = python_literal(value_node, tree)
    origin = python_origin(
        document, key_node, value_node, raw_key, syntax, value.kind, value.text is not None, tree.span
    )
    text = None if value.text is None else keys.normalize(key, value.text)
    if key == "auto.offset.reset" and text is not None:
        text = _RESET_SYNONYMS.get(text.lower(), text)  # librdkafka's names for the two ends
    return Setting(key, text, value.text or "", origin)


_RESET_SYNONYMS = {"smallest": "earliest", "beginning": "earliest", "largest": "latest", "end": "latest"}


def _entity(
    document: Document, call: ast.Call, client: tuple[Kind, str, str], scopes: Scopes, function: Any, tree: PythonTree
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
            settings[canonical] = _setting(document, key_node, canonical, f'"{key}"', value_node, tree)
    else:
        _keyword_settings(document, call, scopes, function, unknown, settings)
    if unknown:
        traits.add("templated")  # part of the configuration comes from where it cannot be followed: no defaults
    return Entity(
        kind,
        library,
        document.display,
        tree.span(call.func),
        settings,
        writer=PythonWriter(document.display, style, _KWARG_KEYS),
        label=f"{LABELS[library]} {kind.split('.')[1]}",
        traits=traits,
    )


def _keyword_settings(
    document: Document, call: ast.Call, scopes: Scopes, function: Any, unknown: list[Any], settings: dict[str, Setting]
) -> None:
    """kafka-python's and aiokafka's keywords, and the keys of a ``**options`` dict."""
    tree = scopes.tree
    for arg in tree.index.args(call):
        if arg.star == "**":  # KafkaConsumer(**options): the dict's keys are keyword names
            pairs = list(dict_entries(arg.value, scopes, function, 0, unknown))
        elif arg.name is not None:
            pairs = [(arg.name_span, arg.name, arg.value)]
        else:
            continue
        for key_node, name, value_node in pairs:
            if is_constant(value_node, None):
                settings.pop(_KWARG_KEYS.get(name, name.replace("_", ".")), None)
                continue  # None is these libraries' own default for every optional keyword
            key = _KWARG_KEYS.get(name, name.replace("_", "."))
            if key in _KNOWN:
                settings[key] = _setting(document, key_node, key, name, value_node, tree, "python-kwarg")


def _librdkafka_entries(call: ast.Call, scopes: Scopes, function: Any, unknown: list[Any]) -> list[Entry]:
    """The configuration of ``Producer(conf)``, ``Consumer(conf=...)``, ``Consumer(**conf)`` or
    ``Consumer(conf, **more)``, in the order confluent-kafka applies it: the positional dict, then
    the keywords (they win on a duplicate key), then the entries of ``default.topic.config``, which
    it merges over the rest (confluent_kafka.c ``common_conf_setup``)."""
    args = scopes.tree.index.args(call)
    config = next((a.value for a in args if a.name is None and a.star == ""), None)
    config = config or next((a.value for a in args if a.name == "conf"), None)
    entries = list(dict_entries(config, scopes, function, 0, unknown)) if config is not None else []
    for arg in args:
        if arg.star == "**":
            entries.extend(dict_entries(arg.value, scopes, function, 0, unknown))
    topic = [e for e in entries if e[1] == "default.topic.config"]
    entries = [e for e in entries if e[1] != "default.topic.config"]
    for _, _, value in topic:
        entries.extend(dict_entries(value, scopes, function, 0, unknown))
    return entries
