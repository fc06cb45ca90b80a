"""Redis servers described in YAML: docker-compose services running a Redis image, the Bitnami redis
chart's values, Spotahome's ``RedisFailover`` and OT-Container-Kit's ``Redis``, ``RedisReplication``
and ``RedisCluster``. Each is a ``redis.server`` whose directives are read where the file writes them
(``command:``, ``commonConfiguration``, ``customConfig``); what the file leaves out takes the default of
whatever writes the server's configuration: redis-server's own for the official image, the chart's for
Bitnami, nothing known for the operators (their images bring a configuration of their own).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from msglint.documents import Document
from msglint.extract import path, places, scalar
from msglint.extract.helm_values import chart_values, is_chart_defaults
from msglint.extract.redis_conf import command_entries, server
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers import ParseError
from msglint.readers.properties import Entry
from msglint.readers.redisconf import arguments, line_entry
from msglint.readers.tree import Mapping, Node, Scalar, Sequence, yaml11_text

if TYPE_CHECKING:
    from msglint.extract.manifests import Manifest

# official images whose entrypoint runs redis-server with no configuration file unless told
_OFFICIAL = re.compile(r"^(?:[\w.:-]+/)*(?:library/)?(?:redis|redis-stack-server|redis-stack|valkey)(?::[\w.-]+)?$")
_OTHER = re.compile(r"^(?:[\w.:-]+/)*(?:[\w-]*redis[\w-]*)(?::[\w.-]+)?$")


def compose(document: Document, root: Node | None) -> list[Entity]:
    services = root.get("services") if isinstance(root, Mapping) else None
    if not isinstance(services, Mapping):
        return []
    out = []
    for name, service in services.items:
        if not isinstance(service, Mapping):
            continue
        image = scalar(service.get("image")) or ""
        image_name = image.split("@")[0].strip()
        command = service.get("command")
        words = _words(document, command)
        parsed = command_entries(words) if words else None
        official = bool(_OFFICIAL.match(image_name)) and "bitnami" not in image_name
        if parsed is None and not (official or (_OTHER.match(image_name) and words)):
            continue
        if parsed is None and words:
            continue  # a redis image running something else (redis-cli, a script)
        entries, config_file = parsed if parsed is not None else ([], False)
        anchor = (service.get("command") or service.get("image") or name).span
        entity = server(
            document.display,
            entries,
            anchor,
            "redis-server" if official else "redis-image",
            "compose-command",
            f"Redis service {name.value}",
        )
        entity.anchor = anchor
        entity.name = name.value
        if config_file:
            entity.traits.add("includes")  # its configuration file decides what the command does not say
        out.append(entity)
    return out


def _words(document: Document, command: Node | None) -> list[tuple[str, Span]]:
    """A compose ``command`` as words with their places: a list of strings, or one string split as a
    shell would (quotes kept out)."""
    if isinstance(command, Sequence):
        return [(yaml11_text(item) or "", item.span) for item in command.items if isinstance(item, Scalar)]
    if not isinstance(command, Scalar) or command.block or command.span.line != command.span.end_line:
        return []
    split = arguments(command.value)
    if split is None:
        return []
    shift = command.span.column + (1 if command.quoted else 0)
    return [(w, Span(command.span.line, shift + a, command.span.line, shift + b)) for w, a, b in split]


# --- the Bitnami redis chart --------------------------------------------------------------------


def _is_redis_values(values: Mapping) -> bool:
    image = values.get("image")
    if isinstance(image, Mapping) and re.search(r"bitnami[\w-]*/redis$", scalar(image.get("repository")) or ""):
        return True
    names = {k.value for k, _ in values.items}
    return "commonConfiguration" in names or (
        scalar(values.get("architecture")) in ("standalone", "replication") and bool(names & {"master", "replica"})
    )


def bitnami(document: Document, root: Node | None) -> list[Entity]:
    if is_chart_defaults(document):
        return []
    out = []
    for prefix, values in chart_values(root, "redis", _is_redis_values):
        common = values.get("commonConfiguration")
        entries = _block(document, common) if isinstance(common, Scalar) else []
        anchor = next(iter(values.items))[0].span
        entity = server(document.display, entries, anchor, "bitnami-redis", "yaml-block", "Bitnami redis chart values")
        entity.anchor = anchor
        if isinstance(common, Scalar) and (not common.block or "{{" in common.value):
            entity.client = "redis-image"  # a templated or one-line configuration: what it holds is not known
        for dotted in ("architecture", "master.persistence.enabled", "replica.replicaCount"):
            _field(document, values, dotted, prefix, entity)
        out.append(entity)
    return out


def _field(document: Document, values: Mapping, dotted: str, prefix: tuple[str, ...], entity: Entity) -> None:
    parts = dotted.split(".")
    parent = path(values, *parts[:-1]) if len(parts) > 1 else values
    if not isinstance(parent, Mapping):
        return
    for key, value in parent.items:
        if key.value == parts[-1] and isinstance(value, Scalar):
            span, value_span, whole = places.place(key, value, document.lines, keep_quotes=True)
            raw = ".".join((*prefix, dotted))
            origin = Origin(document.display, span, raw, "yaml", value_span, key.span, whole_lines=whole)
            text = yaml11_text(value)
            entity.settings[dotted] = Setting(dotted, text.lower() if text else text, text or "", origin)


def _block(document: Document, node: Scalar) -> list[Entry]:
    """redis.conf lines in a YAML block scalar, at their real lines and columns."""
    if not node.block or "{{" in node.value or "${" in node.value:
        return []
    first = node.span.line + 1  # the block's text starts on the line after its `|`
    lines = document.lines[first - 1 :]
    indent = next((len(line) - len(line.lstrip()) for line in lines if line.strip()), 0)
    entries = []
    for n, raw in enumerate(node.value.split("\n")):
        try:
            entry = line_entry(raw, first + n, indent)
        except ParseError as exc:
            document.problems.append(exc)
            continue
        if entry is not None:
            entries.append(entry)
    return entries


# --- operators ----------------------------------------------------------------------------------


def _storage(m: Manifest, storage: Node | None, where: str, entity: Entity) -> None:
    claim = isinstance(storage, Mapping) and any(
        k.value in ("persistentVolumeClaim", "volumeClaimTemplate", "keepAfterDeletion") for k, _ in storage.items
    )
    entity.attributes["storage"] = "persistent" if claim else "ephemeral"


def _replicas(m: Manifest, parent: Node | None, key: str, canonical: str, entity: Entity) -> None:
    if not isinstance(parent, Mapping):
        return
    for k, value in parent.items:
        if k.value == key and isinstance(value, Scalar):
            span, value_span, whole = places.place(k, value, m.document.lines, keep_quotes=True)
            origin = Origin(m.document.display, span, key, "yaml", value_span, k.span, whole_lines=whole)
            entity.settings[canonical] = Setting(canonical, yaml11_text(value), value.value, origin)


def redis_failover(m: Manifest) -> list[Entity]:
    """Spotahome ``RedisFailover``: ``spec.redis.customConfig`` holds redis.conf lines, one a string."""
    redis = path(m.root, "spec", "redis")
    lines = path(redis, "customConfig")
    entries = []
    for item in lines.items if isinstance(lines, Sequence) else []:
        if isinstance(item, Scalar) and item.span.line == item.span.end_line:
            try:
                entry = line_entry(item.value, item.span.line, item.span.column - 1 + (1 if item.quoted else 0))
            except ParseError as exc:
                m.document.problems.append(exc)
                continue
            if entry is not None:
                entries.append(entry)
    anchor = path(m.root, "spec") or m.root
    # the operator's own redis.conf comes first (save 900 1, save 300 10, no appendonly: redis/defaults.py)
    entity = server(m.document.display, entries, anchor.span, "spotahome", "yaml-list", f"RedisFailover {m.name}")
    entity.anchor, entity.name, entity.namespace = m.root.span, m.name, m.namespace
    entity.anchor = (path(m.root, "metadata", "name") or m.root).span
    _replicas(m, redis, "replicas", "replicas", entity)
    _replicas(m, path(m.root, "spec", "sentinel"), "replicas", "sentinel.replicas", entity)
    _storage(m, path(redis, "storage"), "spec.redis.storage", entity)
    return [entity]


def opstree(m: Manifest) -> list[Entity]:
    """OT-Container-Kit ``Redis``/``RedisReplication``/``RedisCluster``: the extra configuration is a
    ConfigMap named by ``redisConfig.additionalRedisConfig``, not read here."""
    spec = path(m.root, "spec")
    entity = server(m.document.display, [], (spec or m.root).span, "redis-operator", "yaml", f"{m.kind} {m.name}")
    entity.anchor, entity.name, entity.namespace = (
        (path(m.root, "metadata", "name") or m.root).span,
        m.name,
        m.namespace,
    )
    _replicas(m, spec, "clusterSize", "replicas", entity)
    _storage(m, path(spec, "storage"), "spec.storage", entity)
    if scalar(path(spec, "redisConfig", "additionalRedisConfig")):
        entity.traits.add("includes")
    return [entity]
