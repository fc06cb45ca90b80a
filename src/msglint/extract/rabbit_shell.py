"""``rabbitmqctl set_policy`` / ``set_operator_policy`` and ``rabbitmqadmin declare policy|queue``
in bootstrap scripts and Makefiles -> policies and queues. They meet the queues of any broker,
since a script does not say which one it runs against."""

from __future__ import annotations

from pathlib import PurePosixPath

from msglint.documents import Document
from msglint.facts import Kind
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


def _entity(document: Document, command: Command, kind: Kind, name: str, label: str) -> Entity:
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


# options that take a value, before or after the subcommand
_CTL_OPTIONS = {"-p", "--vhost", "--priority", "--apply-to", "-n", "--node", "-t", "--timeout", "-l", "--longnames"}
_ADMIN_OPTIONS = {
    "-V",
    "--vhost",
    "-H",
    "--host",
    "-P",
    "--port",
    "-u",
    "--username",
    "-p",
    "--password",
    "-N",
    "--node",
    "-c",
    "--config",
    "-U",
    "--base-uri",
    "--path-prefix",
}


def _options(words: list[str], with_value: set[str]) -> tuple[dict[str, str], list[str]]:
    """(``--option`` -> value, the other words) for both ``--key value`` and ``--key=value``."""
    options: dict[str, str] = {}
    rest: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word.startswith("--") and "=" in word:
            name, _, given = word.partition("=")
            options[name] = given
        elif word in with_value or (word.startswith("--") and i + 1 < len(words) and not words[i + 1].startswith("-")):
            options[word] = words[i + 1] if i + 1 < len(words) else ""
            i += 1
        else:
            rest.append(word)
        i += 1
    return options, rest


def _rabbitmqctl(document: Document, command: Command) -> Entity | None:
    options, words = _options(command.words, _CTL_OPTIONS)
    if not words or words[0] not in ("set_policy", "set_operator_policy"):
        return None
    positional = words[1:]
    if len(positional) < 3:
        return None
    operator = words[0] == "set_operator_policy"
    policy = _entity(document, command, "rabbit.policy", positional[0], "operator policy" if operator else "policy")
    if operator:
        policy.traits.add("operator")
    policy.attributes["vhost"] = options.get("-p") or options.get("--vhost") or "/"
    policy.settings["pattern"] = _setting(document, "pattern", positional[1], command.span)
    for key in ("priority", "apply-to"):
        if f"--{key}" in options:
            policy.settings[key] = _setting(document, key, options[f"--{key}"], command.span)
    for key, (span, value) in command.json_keys.items():
        policy.settings[key] = _setting(document, key, _text(value), span)
    if command.json_unknown:
        policy.traits.add("templated")  # its definition holds shell variables: unknown
    return policy


def _rabbitmqadmin(document: Document, command: Command) -> Entity | None:
    options, words = _options(command.words, _ADMIN_OPTIONS)
    if len(words) < 2 or words[0] != "declare" or words[1] not in ("policy", "queue"):
        return None
    # v1 writes name=value words, v2 --name value options
    pairs = {
        **{k.lstrip("-").replace("-", "_"): v for k, v in options.items()},
        **dict(w.split("=", 1) for w in words[2:] if "=" in w),
    }
    if "name" not in pairs:
        return None
    vhost = pairs.get("vhost") or options.get("-V") or "/"
    if words[1] == "policy":
        return _admin_policy(document, command, pairs, vhost)
    return _admin_queue(document, command, pairs, vhost)


def _admin_policy(document: Document, command: Command, pairs: dict[str, str], vhost: str) -> Entity:
    policy = _entity(document, command, "rabbit.policy", pairs["name"], "policy")
    policy.attributes["vhost"] = vhost
    for key, field in (("pattern", "pattern"), ("priority", "priority"), ("apply-to", "apply_to")):
        if field in pairs or key in pairs:
            policy.settings[key] = _setting(document, key, pairs.get(field) or pairs[key], command.span)
    for key, (span, value) in command.json_keys.items():
        policy.settings[key] = _setting(document, key, _text(value), span)
    if command.json_unknown:
        policy.traits.add("templated")
    return policy


def _admin_queue(document: Document, command: Command, pairs: dict[str, str], vhost: str) -> Entity:
    queue = _entity(document, command, "rabbit.queue", pairs["name"], "queue")
    queue.attributes["vhost"] = vhost
    queue.settings["durable"] = _setting(document, "durable", pairs.get("durable", "true").lower(), command.span)
    if "auto_delete" in pairs:
        queue.settings["auto_delete"] = _setting(document, "auto_delete", pairs["auto_delete"].lower(), command.span)
    kind = pairs.get("queue_type") or pairs.get("type")
    if kind:
        queue.settings["x-queue-type"] = _setting(document, "x-queue-type", kind, command.span)
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
