"""Fixes in ``.properties`` files, and in rabbitmq.conf, which writes the same lines as ``key = value``."""

from __future__ import annotations

from dataclasses import dataclass

from msglint.fixes.naming import KeyWriter, line_end, properties_key
from msglint.model import Edit, Fix, Span
from msglint.spring import binding as spring


def properties_value(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("\n", "\\n")
    return "\\" + escaped if escaped.startswith((" ", "\t")) else escaped


@dataclass
class PropertiesWriter(KeyWriter):
    """Adds ``key=value`` on a new line after line ``after`` (the entity's last line; 0: top)."""

    after: int = 0
    separator: str = "="  # rabbitmq.conf writes `key = value`, its values unescaped
    indent: str = ""  # inside a YAML block (a RabbitmqCluster's additionalConfig)

    def insert(self, key: str, value: str) -> Fix:
        segments, kind = self.naming(key)
        rendered = spring.render_value(kind, value)
        shown = rendered if self.separator != "=" else properties_value(rendered)
        line = f"{properties_key(segments)}{self.separator}{shown}"
        if self.indent:
            edit = Edit(self.path, line_end(self.lines, self.after), "\n" + self.indent + line)
            return Fix(f"Add `{line}`", line, (edit,))
        if self.after == 0:
            edit = Edit(self.path, Span.point(1), line + "\n")
        else:
            edit = Edit(self.path, line_end(self.lines, self.after), "\n" + line)
        return Fix(f"Add `{line}`", line, (edit,))
