"""Redis server configuration -> ``redis.server`` entities: a ``redis.conf``, and the same directives
where other files carry them: a RedisFailover's ``customConfig`` lines, the Bitnami chart's
``commonConfiguration`` block, a docker-compose ``command: redis-server --appendonly yes``.

A directive written twice counts once: the last one, except ``save``, whose lines add up (and
``save ""`` clears those before it), as redis-server reads them.
"""

from __future__ import annotations

from msglint.documents import Document
from msglint.fixes import PropertiesWriter, raw_naming
from msglint.kafka import keys
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.properties import Entry

# what the checks read; other directives are kept too, for the report and the graph
DURABILITY = ("appendonly", "appendfsync", "save")


def server(path: str, entries: list[Entry], anchor: Span, client: str, syntax: str, label: str) -> Entity:
    settings: dict[str, Setting] = {}
    saves: list[Entry] = []
    for e in entries:
        origin = Origin(path, e.span, e.key, syntax, e.value_span, e.key_span)
        if e.key == "save":
            saves = [] if e.value.strip() in ("", '""') else saves
            saves.append(e)
            values = [s.value for s in saves if s.value.strip() not in ("", '""')]
            settings["save"] = Setting("save", " ".join(values), e.value, origin)
        else:
            settings[e.key] = Setting(
                e.key, e.value.strip().lower() if e.key in DURABILITY else e.value, e.value, origin
            )
    first = next((e for e in entries if not keys.is_secret_key(e.key)), None)
    entity = Entity(
        "redis.server",
        client,
        path,
        first.key_span if first is not None else anchor,
        settings,
        label=label,
        name=path,
    )
    if "include" in settings:
        entity.traits.add("includes")  # directives from another file may override these: unset ones are unknown
    return entity


def extract(document: Document) -> list[Entity]:
    node = server(document.display, document.entries, Span.point(1), "redis-server", "redisconf", "Redis configuration")
    last = max((e.span.end_line for e in document.entries), default=0)
    node.writer = PropertiesWriter(document.display, raw_naming, document.lines, after=last, separator=" ")
    return [node]


def command_entries(words: list[tuple[str, Span]]) -> tuple[list[Entry], bool] | None:
    """``redis-server [config-file] --name value ...`` as entries, and whether it names a
    configuration file; None when the words do not start redis-server."""
    names = [w for w, _ in words]
    start = next((i for i, w in enumerate(names) if w.split("/")[-1] in ("redis-server", "redis-stack-server")), None)
    if start is None:
        return None
    rest = words[start + 1 :]
    config_file = bool(rest) and not rest[0][0].startswith("--")
    entries: list[Entry] = []
    i = 0
    while i < len(rest):
        word, span = rest[i]
        if not word.startswith("--"):
            i += 1
            continue
        values = []
        j = i + 1
        while j < len(rest) and not rest[j][0].startswith("--"):
            values.append(rest[j])
            j += 1
        value_span = (
            Span(values[0][1].line, values[0][1].column, values[-1][1].end_line, values[-1][1].end_column)
            if values
            else span
        )
        key_span = Span(span.line, span.column + 2, span.end_line, span.end_column)
        value = " ".join(v for v, _ in values)
        entries.append(
            Entry(
                word[2:].lower(),
                value,
                Span(span.line, span.column, value_span.end_line, value_span.end_column),
                key_span,
                value_span,
                0,
            )
        )
        i = j
    return entries, config_file
