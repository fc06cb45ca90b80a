"""Read a discovered file into a document: its text lines plus what its syntax's reader made of it."""

from __future__ import annotations

import gc
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msglint.discover import Candidate
from msglint.model import Finding
from msglint.readers import READ_SECONDS, Overtime, ParseError, caused_by, decode_bytes, split_lines, time_budget
from msglint.readers.properties import Entry
from msglint.readers.shell import Command
from msglint.readers.tree import Node


@dataclass
class Document:
    path: Path
    display: str  # the path as findings show it
    kind: str  # spring-config, kafka-properties, ... (see discover.INTERESTS)
    syntax: str  # yaml, properties
    lines: list[str]
    yaml: list[Node | None] = field(default_factory=list)
    entries: list[Entry] = field(default_factory=list)
    template_lines: set[int] = field(default_factory=set)  # lines of template logic, content unknown
    commands: list[Command] = field(default_factory=list)  # RabbitMQ commands in a shell script
    problems: list[ParseError] = field(default_factory=list)  # unreadable parts an extractor met
    python: Any = None  # readers.python.PythonTree: the ast module, its spans and a shared index
    java: Any = None  # readers.java.Source for Java source
    build: Any = None  # readers.build.BuildFile: the libraries a build file declares
    encoding: str = "utf-8"  # how the file is stored (readers.Decoded): a fix writes it back the same way
    bom: bool = False  # with a byte-order mark
    cached: Any = None  # cache.Entry: what this file gave last time, so it is not parsed again
    cache_key: str | None = None  # where to store what its extractors find


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def unparsed(candidate: Candidate, data: bytes, cwd: Path) -> Document:
    """The document's lines, without its parse tree: a cached file (cache.py), whose entities are
    already known, still needs its lines for suppressions and fingerprints."""
    latin1 = candidate.syntax in ("properties", "shell", "text")
    decoded = decode_bytes(data, fallback_latin1=latin1)
    display = display_path(candidate.path, cwd)
    document = Document(candidate.path, display, candidate.kind, candidate.syntax, split_lines(decoded.text))
    document.encoding, document.bom = decoded.encoding, decoded.bom
    return document


def read(candidate: Candidate, cwd: Path, seconds: float | None = READ_SECONDS) -> Document:
    """Parse one file; raises ParseError (with a line) or OSError, and nothing else: whatever a
    reader meets on hostile input (a nesting or alias bound, ``seconds`` spent, a parser's own
    exception, RecursionError, MemoryError) is a ParseError here."""
    data = candidate.data if candidate.data is not None else candidate.path.read_bytes()
    collecting = gc.isenabled()
    try:
        # Every node a reader makes lives until it returns: the cyclic collector's passes over them
        # are pure cost, some 40% of reading a large file.
        gc.disable()
        with time_budget(seconds):
            return _read(candidate, data, display_path(candidate.path, cwd))
    except ParseError:
        raise
    except Overtime:
        raise ParseError(f"{_TRANSIENT[0]}{seconds:g} s") from None
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # a reader's failure is this file's finding, not the end of the run
        raise _failure(candidate.syntax, exc) from None
    finally:
        if collecting:
            gc.enable()


# what a reader says when its time or memory ran out: another run may read the file
_TRANSIENT = ("too large or too complex to read in ", "too large to read (out of memory)")


def transient(finding: Finding) -> bool:
    """Is this a file that could not be read this time, but might be next time?"""
    return finding.message.startswith(_TRANSIENT)


def _failure(syntax: str, exc: BaseException) -> ParseError:
    """The finding for a reader that failed: never str() of a parser's exception, whose repr may walk
    a tree as deep as the one that broke it."""
    if caused_by(exc, RecursionError):
        return ParseError("nested too deeply to read (the reader ran out of stack)")
    if caused_by(exc, MemoryError):
        return ParseError(_TRANSIENT[1])
    return ParseError(f"msglint's {syntax} reader cannot read this file ({type(exc).__name__})")


def _read(candidate: Candidate, data: bytes, display: str) -> Document:
    # java.util.Properties reads ISO-8859-1, Spring Boot UTF-8: accept both (and scripts and text too)
    latin1 = candidate.syntax in ("properties", "shell", "text")
    decoded = decode_bytes(data, fallback_latin1=latin1)
    text, blanked = decoded.text, set[int]()
    if candidate.template:  # app.yml.j2: read as the file it renders, its actions unknown values
        from msglint.readers import template

        text, blanked = template.neutralize(text, "$" if candidate.syntax == "natsconf" else "${}", jinja=True)
    try:
        document = _parse(candidate, text, display)
    except ParseError as exc:
        if not candidate.template or exc.code == "MSG002":
            raise
        raise _unrendered(exc, candidate.syntax.upper(), "e.g. ansible's template module") from None
    document.template_lines |= blanked
    document.encoding, document.bom = decoded.encoding, decoded.bom
    return document


def _parse(candidate: Candidate, text: str, display: str) -> Document:
    reader = READERS.get(candidate.syntax)
    if reader is None:
        raise ParseError(f"msglint does not know how to read {candidate.path.name}")
    return reader(Document(candidate.path, display, candidate.kind, candidate.syntax, split_lines(text)), text)


# Each reader fills in a fresh document (its lines already split) from the file's text. Readers
# import their parser when first used: a run over YAML files never loads the Java grammar.


def _properties(document: Document, text: str) -> Document:
    from msglint.readers import properties

    document.entries = properties.parse(text)
    return document


def _shell(document: Document, text: str) -> Document:
    from msglint.readers import shell

    document.commands = shell.parse(text)
    return document


def _java(document: Document, text: str) -> Document:
    from msglint.readers import java

    document.java = java.parse(text)
    return document


def _python(document: Document, text: str) -> Document:
    from msglint.readers import python

    document.python = python.parse(text)
    return document


def _natsconf(document: Document, text: str) -> Document:
    from msglint.readers import natsconf, template

    if not template.has_template(text):
        document.yaml = [natsconf.parse(text)]
        return document
    neutral, blanked = template.neutralize(text, "$")  # a Go template of a server config (a CLI scaffold)
    try:
        tree = natsconf.parse(neutral)
    except ParseError as exc:
        raise _unrendered(exc, "a NATS server configuration") from None
    document.yaml, document.template_lines = [tree], blanked
    return document


def _build(document: Document, text: str) -> Document:
    from msglint.readers import build

    document.build = build.parse(document.path.name, text)
    return document


def _text(document: Document, text: str) -> Document:
    return document  # the lines are all an extractor reads


def _conf(document: Document, text: str) -> Document:
    from msglint.readers import conf

    document.entries = conf.parse(text)
    return document


def _json(document: Document, text: str) -> Document:
    from msglint.readers import strictjson

    document.yaml = strictjson.parse(text)
    return document


def _yaml(document: Document, text: str) -> Document:
    from msglint.readers import template, yaml

    if not template.has_template(text):
        document.yaml = yaml.parse(text)
        return document
    neutral, blanked = template.neutralize(text)
    try:
        docs = yaml.parse(neutral)
    except ParseError as exc:
        raise _unrendered(exc, "YAML", "helm template ...") from None
    document.yaml, document.template_lines = docs, blanked
    return document


def _redisconf(document: Document, text: str) -> Document:
    from msglint.readers import redisconf

    document.entries = redisconf.parse(text)
    return document


# syntax (discover's Interest.syntax) -> its reader: adding a syntax is a reader and a line here
READERS: dict[str, Callable[[Document, str], Document]] = {
    "properties": _properties,
    "shell": _shell,
    "java": _java,
    "python": _python,
    "natsconf": _natsconf,
    "text": _text,
    "build": _build,
    "conf": _conf,
    "redisconf": _redisconf,
    "json": _json,
    "yaml": _yaml,
}


def _unrendered(exc: ParseError, what: str, render: str = "the tool that renders it") -> ParseError:
    """MSG002: a template whose actions, blanked out, still leave something that is not ``what``."""
    return ParseError(
        f"a template that is not {what} until it is rendered ({exc.message}); skipped: "
        f"lint the rendered output ({render}) instead",
        exc.line,
        exc.column,
        code="MSG002",
    )
