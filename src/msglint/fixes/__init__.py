"""Fix suggestions rendered back into the syntax of the file they point at.

Rules ask for "key = value" on an entity; this package turns that into text edits: a new value in
place when the key is written, or a new line (YAML: a nested block at the right indentation) when
it is not. The edits are exact so that a later ``--fix`` can apply them. Extractors record where a
fix goes (Origins, a writer with the file's variable or naming); the text of every fix is made
here, one module a syntax: ``properties``, ``yaml``, ``json``, ``conf`` (rabbitmq.conf, NATS
server configuration), ``python``, ``java``; ``edits`` holds what is the same in all of them.

Applicability (``Fix.applicability``, as ruff's): ``safe`` keeps the meaning the fix states and the
file lints clean after it; ``unsafe`` changes behaviour the user must review (a consumer that must
now commit, a topic that needs more brokers, messages now dropped after a limit); ``display-only``
is shown and never applied. Writers leave the model's default, display-only, and a fix with no
edits (the Python, Java and JSON insertions) stays so; the engine gives a fix that edits its rule's
``fix_safety``. Every rule of the catalog writes ``fix_safety``: rules whose checks make no fix
write ``display-only`` (rather than omit it), so a test can tell a forgotten field from a choice.
"""

from __future__ import annotations

from msglint.fixes.edits import apply, format_value, remove, replace_value
from msglint.fixes.json import JsonWriter, json_value
from msglint.fixes.naming import KeyWriter, Naming, properties_key, raw_naming, spring_naming
from msglint.fixes.properties import PropertiesWriter, properties_value
from msglint.fixes.yaml import YamlWriter, yaml_key, yaml_scalar

APPLICABILITIES = ("safe", "unsafe", "display-only")

__all__ = [
    "APPLICABILITIES",
    "JsonWriter",
    "KeyWriter",
    "Naming",
    "PropertiesWriter",
    "YamlWriter",
    "apply",
    "format_value",
    "json_value",
    "properties_key",
    "properties_value",
    "raw_naming",
    "remove",
    "replace_value",
    "spring_naming",
    "yaml_key",
    "yaml_scalar",
]
