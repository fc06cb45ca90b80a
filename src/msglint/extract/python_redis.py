"""redis-py and ``redis.asyncio`` stream calls in Python source -> ``redis.calls.Call`` records, made
into consumers, producers and groups by ``redis.calls.entities``.

The calls are methods of a client (or a pipeline) that may be made in another module, so a file is
read for the method names alone (``r.xreadgroup(...)``); redis-py's own sources are not. Arguments
are matched to redis-py's signatures whether written by position or by keyword; a stream key or a
consumer name is known when written as a literal or a module constant.
"""

from __future__ import annotations

import ast
from typing import Any

from msglint.documents import Document
from msglint.extract.python_kafka import module_imports, own_package, python_literal, python_origin, qualified_name
from msglint.fixes.python import StreamAddWriter
from msglint.model import Entity, Setting, Span
from msglint.readers.python import PythonTree
from msglint.redis.calls import Call, Op, by_name, entities

# redis-py's parameters, in order (redis/commands/core.py, StreamCommands)
_SIGNATURES: dict[str, tuple[Op, tuple[str, ...]]] = {
    "xadd": ("add", ("name", "fields", "id", "maxlen", "approximate", "nomkstream", "minid", "limit")),
    "xreadgroup": ("read", ("groupname", "consumername", "streams", "count", "block", "noack")),
    "xack": ("ack", ("name", "groupname")),
    "xautoclaim": ("claim", ("name", "groupname", "consumername", "min_idle_time", "start_id", "count", "justid")),
    "xclaim": ("claim", ("name", "groupname", "consumername", "min_idle_time", "message_ids")),
    "xpending_range": ("pending-range", ("name", "groupname", "min", "max", "count", "consumername", "idle")),
    "xgroup_create": ("group-create", ("name", "groupname", "id", "mkstream", "entries_read")),
    "xtrim": ("trim", ("name", "maxlen", "approximate", "minid", "limit")),
}
_SETTINGS = {"maxlen", "minid", "approximate", "count", "block", "noack", "id", "mkstream", "min_idle_time"}
_CLIENTS = ("Redis", "StrictRedis", "from_url", "ConnectionPool", "RedisCluster", "Sentinel")


def is_stream_module(document: Document) -> bool:
    tree: PythonTree = document.python
    if own_package(document) in ("redis", "aioredis", "fakeredis"):
        return False
    return bool(by_name(document.lines)) or any(
        isinstance(site.node.func, ast.Attribute) and site.node.func.attr in _SIGNATURES for site in tree.index.calls
    )


def extract(document: Document) -> list[Entity]:
    if not is_stream_module(document):
        return []
    tree: PythonTree = document.python
    constants = _module_strings(tree.module)
    imports = module_imports(tree.module)
    timeout = _socket_timeout(document, tree, imports)
    calls: list[Call] = []
    for site in tree.index.calls:
        func = site.node.func
        if isinstance(func, ast.Attribute) and func.attr in _SIGNATURES:
            calls.append(_call(document, tree, site.node, func.attr, constants, timeout))
    calls.extend(by_name(document.lines))
    if calls and "times_delivered" in "\n".join(document.lines):  # xpending_range's entries carry it
        calls.append(Call("delivery-count", calls[0].at))
    return entities(document.display, "redis-py", calls)


def _module_strings(module: ast.Module) -> dict[str, str]:
    """``NAME = "literal"`` at module level, each name assigned once."""
    found: dict[str, str] = {}
    twice: set[str] = set()
    for node in module.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            name = node.targets[0].id
            if name in found:
                twice.add(name)
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                found[name] = node.value.value
    return {k: v for k, v in found.items() if k not in twice}


def _text(node: Any, tree: PythonTree, constants: dict[str, str]) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, (str, bytes)):
        return node.value.decode("utf-8", "replace") if isinstance(node.value, bytes) else node.value
    if isinstance(node, ast.Name):
        return constants.get(node.id)
    return None


def _socket_timeout(document: Document, tree: PythonTree, imports: dict[str, str]) -> Setting | None:
    """The one ``socket_timeout=`` the file's clients are built with (seconds), if there is one."""
    found = []
    for site in tree.index.calls:
        name = qualified_name(site.node.func, imports)
        if name.split(".")[-1] not in _CLIENTS or not name.startswith(("redis", "aioredis")):
            continue
        for arg in tree.index.args(site.node):
            if arg.name == "socket_timeout":
                literal = python_literal(arg.value, tree)
                origin = python_origin(
                    document, arg.name_span, arg.value, "socket_timeout", "python-kwarg", literal.kind, False, tree.span
                )
                value = arg.value.value if isinstance(arg.value, ast.Constant) else None
                seconds = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
                text = None if seconds is None else str(int(seconds * 1000))
                found.append(Setting("socket_timeout", text, tree.segment(arg.value), origin))
    return found[0] if len({s.value for s in found}) == 1 else None


def _call(
    document: Document,
    tree: PythonTree,
    node: ast.Call,
    method: str,
    constants: dict[str, str],
    timeout: Setting | None,
) -> Call:
    op, parameters = _SIGNATURES[method]
    assert isinstance(node.func, ast.Attribute)
    whole = tree.span(node.func)  # the method's name, not the client before it
    at = Span(whole.end_line, whole.end_column - len(method), whole.end_line, whole.end_column)
    call = Call(op, at, writer=StreamAddWriter(document.display, "kwargs"))
    positional = 0
    for arg in tree.index.args(node):
        if arg.star:
            positional = len(parameters)  # what follows a *args is not known by position
            continue
        if arg.name is None:
            name = parameters[positional] if positional < len(parameters) else ""
            positional += 1
        else:
            name = arg.name
        _argument(document, tree, call, name, arg, constants)
    if op == "read" and timeout is not None:
        call.settings["socket_timeout"] = timeout
    return call


def _argument(document: Document, tree: PythonTree, call: Call, name: str, arg: Any, constants: dict[str, str]) -> None:
    value = arg.value
    if name == "name":
        call.stream, call.stream_text = _text(value, tree, constants), tree.segment(value)
    elif name == "groupname":
        call.group = _text(value, tree, constants)
    elif name == "consumername":
        call.consumer, call.consumer_text = _text(value, tree, constants), tree.segment(value)
    elif name == "streams":
        if isinstance(value, ast.Dict) and all(k is not None for k in value.keys):
            keys = [_text(k, tree, constants) for k in value.keys]
            call.stream = keys[0] if keys and keys[0] is not None else None
            call.stream_text = tree.segment(value.keys[0]) if value.keys and value.keys[0] is not None else ""
            ids = [_text(v, tree, constants) for v in value.values]
            call.ids = tuple(i for i in ids if i is not None) if all(i is not None for i in ids) else ()
    elif name in _SETTINGS:
        literal = python_literal(value, tree)
        text = literal.text
        if text is None and isinstance(value, ast.Constant) and value.value is None:
            return  # None: as if not written
        if text is None and isinstance(value, ast.Constant) and isinstance(value.value, float):
            text = tree.segment(value)
        origin = python_origin(
            document,
            arg.name_span or value,
            value,
            name,
            "python-kwarg",
            literal.kind,
            literal.text is not None,
            tree.span,
        )
        call.settings[name] = Setting(name, text, tree.segment(value), origin)
