"""Redis stream calls in Java source -> ``redis.calls.Call`` records: Spring Data Redis (the
``StreamMessageListenerContainer``, ``StreamReadRequest`` and ``StreamOperations``), Lettuce and Jedis.

A file is read only when it imports one of the three. Method names shared with other APIs (``add``,
``read``, ``acknowledge``, ``trim``) count as stream calls only on ``opsForStream()`` or a
``StreamOperations`` variable, or with a stream record among their arguments.
"""

from __future__ import annotations

import re
from typing import Any

from msglint.documents import Document
from msglint.extract.java_kafka import File, java_origin, java_value
from msglint.fixes.java import StreamAddWriter
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.java import walk
from msglint.redis.calls import Call, Op, by_name, entities

_IMPORTS = {
    "org.springframework.data.redis.": "spring-data-redis",
    "io.lettuce.core": "lettuce",
    "redis.clients.jedis": "jedis",
}
_IMPORT = re.compile(r"^\s*import\s+(?:static\s+)?([\w.]+)")
_STREAM_OPERATIONS = re.compile(r"\b(?:Reactive)?StreamOperations\s*<[^;=()]*>\s+(\w+)")
# the commands of Lettuce and Jedis, named after Redis's
_COMMANDS: dict[str, Op] = {
    "xreadgroup": "read",
    "xreadGroup": "read",
    "xreadGroupAsMap": "read",
    "xack": "ack",
    "xautoclaim": "claim",
    "xautoclaimJustId": "claim",
    "xclaim": "claim",
    "xclaimJustId": "claim",
    "xadd": "add",
    "xtrim": "trim",
    "xgroupCreate": "group-create",
}
# Spring Data Redis's StreamOperations
_OPERATIONS: dict[str, Op] = {
    "acknowledge": "ack",
    "claim": "claim",
    "add": "add",
    "trim": "trim",
    "createGroup": "group-create",
    "read": "read",
}
_DELIVERY_COUNT = re.compile(r"\b(?:getTotalDeliveryCount|getDeliveryCount|totalDeliveryCount|deliveryCount)\b")


def client(document: Document) -> str | None:
    for line in document.lines[:400]:
        found = _IMPORT.match(line)
        if found:
            for prefix, name in _IMPORTS.items():
                if found.group(1).startswith(prefix):
                    return name
    return None


def extract(document: Document, file: File) -> list[Entity]:
    name = client(document)
    if name is None:
        return []
    text = "\n".join(document.lines)
    operations = set(_STREAM_OPERATIONS.findall(text))
    options = _options(file)
    calls: list[Call] = []
    for node in walk(file.source.root):
        if node.type != "method_invocation":
            continue
        method = file.text(node.child_by_field_name("name"))
        receiver = file.text(node.child_by_field_name("object"))
        arguments = _arguments(node)
        call: Call | None = None
        if method in _COMMANDS:
            call = _command(file, node, _COMMANDS[method], arguments)
        elif method in ("receive", "receiveAutoAck") and _consumer(file, arguments) is not None:
            call = _receive(file, node, method, arguments, options)
        elif method == "builder" and receiver.endswith("StreamReadRequest"):
            call = _request(file, node, options)
        elif method in _OPERATIONS and _on_stream(receiver, arguments, file, operations):
            call = _operation(file, node, _OPERATIONS[method], arguments)
        elif len(arguments) >= 3 and (
            method == "xpending" or (method == "pending" and _on_stream(receiver, arguments, file, operations))
        ):  # XPENDING with a range: the entries, with their delivery counts
            call = Call("pending-range", _name_span(file, node))
        if call is not None:
            calls.append(call)
    calls.extend(by_name(document.lines))
    if "errorHandler" in options:  # the container's options: its reads' errors are handled
        calls.append(
            Call(
                "error-handler",
                options["errorHandler"].origin.span if options["errorHandler"].origin else Span.point(1),
            )
        )
    if calls and _DELIVERY_COUNT.search(text):
        calls.append(Call("delivery-count", calls[0].at))
    return entities(document.display, name, calls)


def _arguments(node: Any) -> list[Any]:
    args = node.child_by_field_name("arguments")
    return list(args.named_children) if args is not None else []


def _name_span(file: File, node: Any) -> Span:
    return file.source.span(node.child_by_field_name("name"))


def _on_stream(receiver: str, arguments: list[Any], file: File, operations: set[str]) -> bool:
    if "opsForStream" in receiver or "streamOps" in receiver or receiver in operations:
        return True
    return any(re.search(r"StreamRecords|MapRecord|ObjectRecord|StreamOffset", file.text(a)) for a in arguments)


def _constant(file: File, node: Any) -> tuple[str | None, str]:
    return java_value(file, node).text, file.text(node)


def _invocations(file: File, node: Any) -> list[Any]:
    return [n for n in walk(node) if n.type == "method_invocation"]


def _consumer(file: File, arguments: list[Any]) -> tuple[str | None, str | None, str] | None:
    """``Consumer.from("group", "name")`` among the arguments: (group, name, the name as written)."""
    for arg in arguments:
        for inner in _invocations(file, arg):
            if file.text(inner.child_by_field_name("name")) == "from" and file.text(
                inner.child_by_field_name("object")
            ).endswith("Consumer"):
                parts = _arguments(inner)
                if len(parts) == 2:
                    return java_value(file, parts[0]).text, java_value(file, parts[1]).text, file.text(parts[1])
    return None


def _offsets(file: File, arguments: list[Any]) -> tuple[str | None, str, tuple[str, ...]]:
    """The stream key and start ids of ``StreamOffset.create(key, ReadOffset.lastConsumed())``,
    ``StreamOffset.lastConsumed(key)``, ``XReadArgs.StreamOffset.from(key, "0")``, ``Map.of(key,
    StreamEntryID.XREADGROUP_UNDELIVERED_ENTRY)``."""
    key: str | None = None
    key_text = ""
    ids: list[str] = []
    known = True
    for arg in arguments:
        text = file.text(arg)
        for inner in _invocations(file, arg):
            name = file.text(inner.child_by_field_name("name"))
            owner = file.text(inner.child_by_field_name("object"))
            parts = _arguments(inner)
            if owner.endswith("StreamOffset") and parts:
                if key is None:
                    key, key_text = _constant(file, parts[0])
                if name == "lastConsumed":
                    ids.append(">")
                elif name in ("create", "from") and len(parts) == 2:
                    found = _read_offset(file, parts[1])
                    known = known and found is not None
                    ids.append(found or "?")
        if "UNRECEIVED_ENTRY" in text or "XREADGROUP_UNDELIVERED_ENTRY" in text:
            ids.append(">")
    return key, key_text, tuple(ids) if known else ()


def _read_offset(file: File, node: Any) -> str | None:
    text = file.text(node)
    if "lastConsumed" in text or "UNDELIVERED" in text or "UNRECEIVED" in text:
        return ">"
    if text.endswith("latest()") or "LAST_ENTRY" in text:
        return "$"
    if "fromStart" in text or "ReadOffset.from" in text or node.type == "string_literal":
        value = (
            java_value(file, _arguments(node)[0]).text
            if node.type == "method_invocation" and _arguments(node)
            else java_value(file, node).text
        )
        return value if value is not None else "0"
    return None


def _command(file: File, node: Any, op: Op, arguments: list[Any]) -> Call:
    """A Lettuce or Jedis command."""
    call = Call(op, _name_span(file, node), writer=StreamAddWriter(file.document.display, ""))
    if op == "read":
        consumer = _consumer(file, arguments)
        if consumer is not None:  # Lettuce: xreadgroup(Consumer.from(group, name), args, offsets...)
            call.group, call.consumer, call.consumer_text = consumer
        elif len(arguments) >= 2:  # Jedis: xreadGroup(group, consumer, params, streams)
            call.group = java_value(file, arguments[0]).text
            call.consumer, call.consumer_text = _constant(file, arguments[1])
            if len(arguments) >= 6 and arguments[4].type in ("true", "false"):
                # Jedis 3: xreadGroup(group, consumer, count, block, noAck, streams...)
                call.settings["block"] = _setting(file, node, arguments[3], "block", _millis(file, arguments[3]))
                call.settings["noack"] = _setting(file, node, arguments[4], "noack", arguments[4].type)
        call.stream, call.stream_text, call.ids = _offsets(file, arguments)
        for arg in arguments:
            _read_arguments(file, arg, call)
    elif op == "group-create":
        offsets = [a for a in arguments if "StreamOffset" in file.text(a)]
        if offsets:  # Lettuce: xgroupCreate(StreamOffset.latest(key), group[, args])
            call.stream, call.stream_text, ids = _offsets(file, offsets)
            call.settings["id"] = _at(file, offsets[0], "id", ids[0] if ids else None)
            call.settings["mkstream"] = _at(
                file, offsets[0], "mkstream", "true" if "mkstream" in file.text(node) else "false"
            )
        elif len(arguments) >= 3:  # Jedis: xgroupCreate(key, group, id, makeStream)
            call.stream, call.stream_text = _constant(file, arguments[0])
            found = _read_offset(file, arguments[2])
            call.settings["id"] = _at(file, arguments[2], "id", found or java_value(file, arguments[2]).text)
            if len(arguments) >= 4:
                call.settings["mkstream"] = _at(file, arguments[3], "mkstream", java_value(file, arguments[3]).text)
    elif arguments:
        call.stream, call.stream_text = _constant(file, arguments[0])
        if op == "add":
            args_text = file.text(node.child_by_field_name("arguments"))
            if re.search(r"\bmax[lL]en\b|\bminI[dD]\b", args_text) or len(arguments) >= 5:
                call.settings["maxlen"] = _at(file, node.child_by_field_name("arguments"), "maxlen", None)
    return call


def _read_arguments(file: File, arg: Any, call: Call) -> None:
    """``XReadArgs.Builder.block(0).noack(true)``, ``XReadGroupParams.xReadGroupParams().block(0).noAck()``."""
    for inner in _invocations(file, arg):
        name = file.text(inner.child_by_field_name("name"))
        parts = _arguments(inner)
        if name == "block" and parts:
            call.settings["block"] = _setting(file, inner, parts[0], "block", _millis(file, parts[0]))
        elif name in ("noack", "noAck"):
            value = java_value(file, parts[0]).text if parts else "true"
            call.settings["noack"] = _setting(file, inner, parts[0] if parts else inner, "noack", value)


def _millis(file: File, node: Any) -> str | None:
    """A number of milliseconds: a literal, or ``Duration.ofSeconds(2)`` / ``ofMillis(500)`` / ``ZERO``."""
    text = file.text(node)
    if text.endswith("Duration.ZERO"):
        return "0"
    if node.type == "method_invocation":
        name = file.text(node.child_by_field_name("name"))
        parts = _arguments(node)
        value = java_value(file, parts[0]).text if parts else None
        scale = {"ofMillis": 1, "ofSeconds": 1000, "ofMinutes": 60_000}.get(name)
        if value is None or scale is None or not value.lstrip("-").isdigit():
            return None
        return str(int(value) * scale)
    value = java_value(file, node).text
    return value if value is not None and value.lstrip("-").isdigit() else None


def _setting(file: File, head: Any, value_node: Any, key: str, value: str | None) -> Setting:
    origin = java_origin(file, head.child_by_field_name("name") or head, value_node, key, java_value(file, value_node))
    return Setting(key, value, file.text(value_node), origin)


def _at(file: File, node: Any, key: str, value: str | None) -> Setting:
    span = file.source.span(node)
    return Setting(
        key, value, file.text(node), Origin(file.document.display, span, key, "java", None, span, "other", False)
    )


def _options(file: File) -> dict[str, Setting]:
    """What the file's ``StreamMessageListenerContainerOptions`` builder writes: pollTimeout, errorHandler."""
    found: dict[str, Setting] = {}
    for node in walk(file.source.root):
        if node.type != "method_invocation":
            continue
        name = file.text(node.child_by_field_name("name"))
        parts = _arguments(node)
        if name == "pollTimeout" and len(parts) == 1:
            found["pollTimeout"] = _setting(file, node, parts[0], "pollTimeout", _millis(file, parts[0]))
        elif name == "errorHandler" and len(parts) == 1:
            found["errorHandler"] = _setting(file, node, parts[0], "errorHandler", file.text(parts[0]))
    return found


def _receive(file: File, node: Any, method: str, arguments: list[Any], options: dict[str, Setting]) -> Call:
    call = Call("read", _name_span(file, node))
    consumer = _consumer(file, arguments)
    if consumer is not None:
        call.group, call.consumer, call.consumer_text = consumer
    call.stream, call.stream_text, call.ids = _offsets(file, arguments)
    value = "true" if method == "receiveAutoAck" else "false"
    call.settings["autoAcknowledge"] = _at(file, node.child_by_field_name("name"), "autoAcknowledge", value)
    call.settings.update(options)
    _container_defaults(call)
    return call


# a container subscription's defaults (docs/domain-supplement.md, "Redis"); a StreamOperations read has none
_CONTAINER = "Spring Data Redis's StreamReadRequest"
_CONTAINER_DEFAULTS = {"autoAcknowledge": "true", "cancelOnError": "true"}


def _container_defaults(call: Call) -> None:
    for key, value in _CONTAINER_DEFAULTS.items():
        call.settings.setdefault(key, Setting(key, value, value, None, _CONTAINER))


def _chain(node: Any) -> list[Any]:
    """The calls chained on ``node``: ``builder(o).consumer(c).autoAcknowledge(false).build()``."""
    out, current = [], node
    while (
        current.parent is not None
        and current.parent.type == "method_invocation"
        and (current.parent.child_by_field_name("object") == current)
    ):
        current = current.parent
        out.append(current)
    return out


def _request(file: File, node: Any, options: dict[str, Setting]) -> Call:
    call = Call("read", _name_span(file, node))
    call.stream, call.stream_text, call.ids = _offsets(file, _arguments(node))
    for link in _chain(node):
        name = file.text(link.child_by_field_name("name"))
        parts = _arguments(link)
        if name == "consumer":
            consumer = _consumer(file, parts)
            if consumer is not None:
                call.group, call.consumer, call.consumer_text = consumer
        elif name == "autoAcknowledge" and parts:
            call.settings["autoAcknowledge"] = _setting(
                file, link, parts[0], "autoAcknowledge", java_value(file, parts[0]).text
            )
        elif name == "cancelOnError" and parts:
            body = file.text(parts[0]).replace(" ", "")
            value = "false" if body.endswith("->false") else "true" if body.endswith("->true") else None
            call.settings["cancelOnError"] = _setting(file, link, parts[0], "cancelOnError", value)
    call.settings.update(options)
    _container_defaults(call)
    return call


def _operation(file: File, node: Any, op: Op, arguments: list[Any]) -> Call | None:
    """A Spring Data Redis ``StreamOperations`` call."""
    call = Call(op, _name_span(file, node), writer=StreamAddWriter(file.document.display, ""))
    if op == "read":
        consumer = _consumer(file, arguments)
        if consumer is None:
            return None  # XREAD without a group: nothing to acknowledge
        call.group, call.consumer, call.consumer_text = consumer
        call.stream, call.stream_text, call.ids = _offsets(file, arguments)
        if any("noack" in file.text(a) for a in arguments):
            call.settings["noack"] = _at(file, node.child_by_field_name("name"), "noack", "true")
        return call
    if op == "add":
        args_text = file.text(node.child_by_field_name("arguments"))
        if "XAddOptions" in args_text and re.search(r"maxlen|minId", args_text):
            call.settings["maxlen"] = _at(file, node.child_by_field_name("arguments"), "maxlen", None)
        if len(arguments) >= 2:  # add(key, map)
            call.stream, call.stream_text = _constant(file, arguments[0])
        else:  # add(StreamRecords.newRecord().in(key).ofMap(map)), add(record.withStreamKey(key))
            keyed = [
                n
                for n in _invocations(file, node)
                if file.text(n.child_by_field_name("name")) in ("withStreamKey", "in") and len(_arguments(n)) == 1
            ]
            if keyed:
                call.stream, call.stream_text = _constant(file, _arguments(keyed[0])[0])
        return call
    if op == "group-create" and arguments:
        call.stream, call.stream_text = _constant(file, arguments[0])
        offset = next((a for a in arguments if "ReadOffset" in file.text(a)), None)
        if offset is not None:
            call.settings["id"] = _at(file, offset, "id", _read_offset(file, offset))
        group = arguments[-1]
        call.group = java_value(file, group).text
        return call
    if arguments:
        call.stream, call.stream_text = _constant(file, arguments[0])
    return call
