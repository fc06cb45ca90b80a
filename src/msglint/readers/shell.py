"""Shell scripts and Makefiles, read only for the RabbitMQ commands they run: ``rabbitmqctl
set_policy``/``set_operator_policy`` and ``rabbitmqadmin declare policy|queue``.

A command is split like a shell would (continuation lines joined, quotes removed); its JSON
argument (``'{"ha-mode":"all"}'``) is parsed, and each key keeps the line and column where it is
written. Anything else in the file is ignored.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field

from msglint.model import Span
from msglint.readers import split_lines

_COMMAND = re.compile(r"\b(rabbitmqctl|rabbitmqadmin)\b")


@dataclass
class Command:
    tool: str  # rabbitmqctl, rabbitmqadmin
    words: list[str]  # after the tool name, options included
    span: Span  # the whole command
    json_keys: dict[str, tuple[Span, object]] = field(default_factory=dict)  # key -> (where, value)
    json_unknown: bool = False  # a JSON argument that variables make unreadable


def _logical_lines(text: str) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each command line, continuations joined."""
    out: list[tuple[int, int, str]] = []
    pending: list[str] = []
    start = 0
    for number, line in enumerate(split_lines(text), start=1):
        if not pending:
            start = number
        if line.rstrip().endswith("\\"):
            pending.append(line.rstrip()[:-1])
            continue
        pending.append(line)
        out.append((start, number, " ".join(pending) if len(pending) > 1 else pending[0]))
        pending = []
    if pending:
        out.append((start, start + len(pending) - 1, " ".join(pending)))
    return out


def _json_keys(
    raw_lines: list[str], first: int, last: int, payload: dict[str, object]
) -> dict[str, tuple[Span, object]]:
    """Where each top-level key of a JSON argument is written, searched in the command's own lines
    (``first`` to ``last``): a key not found there is not looked for in the rest of the file."""
    found: dict[str, tuple[Span, object]] = {}
    for key, value in payload.items():
        needle = json.dumps(key)
        for offset, line in enumerate(raw_lines[first - 1 : last], start=first):
            column = line.find(needle)
            if column >= 0:
                found[key] = (Span(offset, column + 1, offset, column + 1 + len(needle)), value)
                break
    return found


def parse(text: str) -> list[Command]:
    raw_lines = split_lines(text)
    commands = []
    for number, last, line in _logical_lines(text):
        match = _COMMAND.search(line)
        if match is None or line.lstrip().startswith("#"):
            continue
        try:
            words = shlex.split(line[match.end() :], comments=True)
        except ValueError:
            continue  # prose that mentions the tool (a heredoc, an echo): not a command
        command = Command(
            match.group(1), words, Span(number, match.start() + 1, number, len(raw_lines[number - 1]) + 1)
        )
        for word in words:
            candidate = word.split("=", 1)[1] if re.match(r"^(--)?(definition|arguments)=", word) else word
            if candidate.startswith("{"):
                try:
                    payload = json.loads(candidate)
                except (ValueError, RecursionError):
                    command.json_unknown = True  # a shell variable or template in the JSON (or nonsense)
                    continue
                if isinstance(payload, dict):
                    command.json_keys.update(_json_keys(raw_lines, number, last, payload))
        commands.append(command)
    return commands
