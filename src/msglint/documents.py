"""Read a discovered file into a document: its text lines plus what its syntax's reader made of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msglint.discover import Candidate
from msglint.readers import ParseError, decode, split_lines
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
    python: Any = None  # (libcst module, node -> Span) for Python source
    java: Any = None  # readers.java.Source for Java source


def display_path(path: Path, cwd: Path) -> str:
    try:
        return path.relative_to(cwd).as_posix()
    except ValueError:
        return path.as_posix()


def read(candidate: Candidate, cwd: Path) -> Document:
    """Parse one file; raises ParseError (with a line) or OSError."""
    data = candidate.path.read_bytes()
    display = display_path(candidate.path, cwd)
    if candidate.syntax == "properties":
        # java.util.Properties reads ISO-8859-1, Spring Boot UTF-8: accept both
        text = decode(data, fallback_latin1=True)
        from msglint.readers import properties

        return Document(
            candidate.path, display, candidate.kind, "properties", split_lines(text), entries=properties.parse(text)
        )
    if candidate.syntax == "shell":
        text = decode(data, fallback_latin1=True)
        from msglint.readers import shell

        return Document(candidate.path, display, candidate.kind, "shell", split_lines(text), commands=shell.parse(text))
    if candidate.syntax == "java":
        text = decode(data)
        from msglint.readers import java

        return Document(candidate.path, display, candidate.kind, "java", split_lines(text), java=java.parse(text))
    if candidate.syntax == "python":
        text = decode(data)
        from msglint.readers import python

        return Document(candidate.path, display, candidate.kind, "python", split_lines(text), python=python.parse(text))
    if candidate.syntax == "natsconf":
        text = decode(data)
        from msglint.readers import natsconf, template

        if not template.has_template(text):
            return Document(
                candidate.path, display, candidate.kind, "natsconf", split_lines(text), yaml=[natsconf.parse(text)]
            )
        neutral, blanked = template.neutralize(text, "$")  # a Go template of a server config (a CLI scaffold)
        try:
            tree = natsconf.parse(neutral)
        except ParseError as exc:
            raise _unrendered(exc, "a NATS server configuration") from None
        return Document(
            candidate.path, display, candidate.kind, "natsconf", split_lines(text), yaml=[tree], template_lines=blanked
        )
    if candidate.syntax == "text":
        text = decode(data, fallback_latin1=True)
        return Document(candidate.path, display, candidate.kind, "text", split_lines(text))
    if candidate.syntax == "conf":
        text = decode(data)
        from msglint.readers import conf

        return Document(candidate.path, display, candidate.kind, "conf", split_lines(text), entries=conf.parse(text))
    if candidate.syntax == "json":
        text = decode(data)
        from msglint.readers import yaml

        try:
            docs = yaml.parse(text)  # JSON is YAML 1.2; the composer gives its positions too
        except ParseError as exc:
            raise ParseError(exc.message.replace("invalid YAML", "invalid JSON"), exc.line, exc.column) from None
        return Document(candidate.path, display, candidate.kind, "json", split_lines(text), yaml=docs)
    if candidate.syntax == "yaml":
        text = decode(data)
        from msglint.readers import template, yaml

        if not template.has_template(text):
            return Document(candidate.path, display, candidate.kind, "yaml", split_lines(text), yaml=yaml.parse(text))
        neutral, blanked = template.neutralize(text)
        try:
            docs = yaml.parse(neutral)
        except ParseError as exc:
            raise _unrendered(exc, "YAML", "helm template ...") from None
        return Document(
            candidate.path, display, candidate.kind, "yaml", split_lines(text), yaml=docs, template_lines=blanked
        )
    raise ParseError(f"msglint does not know how to read {candidate.path.name}")


def _unrendered(exc: ParseError, what: str, render: str = "the tool that renders it") -> ParseError:
    """MSG002: a template whose actions, blanked out, still leave something that is not ``what``."""
    return ParseError(
        f"a template that is not {what} until it is rendered ({exc.message}); skipped: "
        f"lint the rendered output ({render}) instead",
        exc.line,
        exc.column,
        code="MSG002",
    )
