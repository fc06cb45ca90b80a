"""``rabbitmqctl set_policy`` / ``set_operator_policy`` and ``rabbitmqadmin declare policy|queue``
in bootstrap scripts and Makefiles -> policies and queues. They meet the queues of any broker,
since a script does not say which one it runs against."""

from __future__ import annotations

from pathlib import PurePosixPath

from msglint.documents import Document
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.shell import Command


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _project(document: Document) -> str:
    """The directory a script provisions: its own, or the one above a scripts/bin/ops directory."""
    parent = PurePosixPath(document.display).parent
    if parent.name in ("scripts", "script", "bin", "hack", "ops", "tools", "docker", "deploy"):
        parent = parent.parent
    return str(parent)


def _entity(document: Document, command: Command, kind: str, name: str, label: str) -> Entity:
    return Entity(
        kind,
        "rabbitmq",
        document.display,
        command.span,
        label=label,
        name=name,
        attributes={"vhost": "/", "broker": f"under:{_project(document)}"},
    )


def _setting(document: Document, key: str, value: str, span: Span) -> Setting:
    origin = Origin(document.display, span, key, "shell", None, span, whole_lines=False)
    return Setting(key, value, value, origin)


def _rabbitmqctl(document: Document, command: Command) -> Entity | None:
    words = command.words
    if not words or words[0] not in ("set_policy", "set_operator_policy"):
        return None
    options: dict[str, str] = {}
    positional: list[str] = []
    i = 1
    while i < len(words):
        word = words[i]
        if word in ("-p", "--vhost", "--priority", "--apply-to") and i + 1 < len(words):
            options[word.lstrip("-")] = words[i + 1]
            i += 2
            continue
        if word.startswith("--") and "=" in word:
            name, _, given = word[2:].partition("=")
            options[name] = given
        else:
            positional.append(word)
        i += 1
    if len(positional) < 3:
        return None
    operator = words[0] == "set_operator_policy"
    policy = _entity(document, command, "rabbit.policy", positional[0], "operator policy" if operator else "policy")
    if operator:
        policy.traits.add("operator")
    policy.attributes["vhost"] = options.get("p") or options.get("vhost") or "/"
    policy.settings["pattern"] = _setting(document, "pattern", positional[1], command.span)
    for key, option in (("priority", "priority"), ("apply-to", "apply-to")):
        if option in options:
            policy.settings[key] = _setting(document, key, options[option], command.span)
    for key, (span, value) in command.json_keys.items():
        policy.settings[key] = _setting(document, key, _text(value), span)
    return policy


def _rabbitmqadmin(document: Document, command: Command) -> Entity | None:
    words = command.words
    if len(words) < 2 or words[0] != "declare" or words[1] not in ("policy", "queue"):
        return None
    pairs = dict(w.split("=", 1) for w in words[2:] if "=" in w)
    if "name" not in pairs:
        return None
    if words[1] == "policy":
        policy = _entity(document, command, "rabbit.policy", pairs["name"], "policy")
        policy.attributes["vhost"] = pairs.get("vhost", "/")
        for key in ("pattern", "priority", "apply-to"):
            if key in pairs:
                policy.settings[key] = _setting(document, key, pairs[key], command.span)
        for key, (span, value) in command.json_keys.items():
            policy.settings[key] = _setting(document, key, _text(value), span)
        return policy
    queue = _entity(document, command, "rabbit.queue", pairs["name"], "queue")
    queue.attributes["vhost"] = pairs.get("vhost", "/")
    queue.settings["durable"] = _setting(document, "durable", pairs.get("durable", "true").lower(), command.span)
    if "queue_type" in pairs:
        queue.settings["x-queue-type"] = _setting(document, "x-queue-type", pairs["queue_type"], command.span)
    for key, (span, value) in command.json_keys.items():
        queue.settings[key] = _setting(document, key, _text(value), span)
    return queue


def extract(document: Document) -> list[Entity]:
    out = []
    for command in document.commands:
        entity = _rabbitmqctl(document, command) if command.tool == "rabbitmqctl" else _rabbitmqadmin(document, command)
        if entity is not None:
            out.append(entity)
    return out
