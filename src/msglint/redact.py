"""Keep secrets out of every output: values of secret-looking keys are masked before display."""

from __future__ import annotations

import re

from msglint.kafka.keys import is_secret_key

MASK = "****"
_ASSIGNMENT = re.compile(r"^(\s*-?\s*)([\"']?)([^\s=:\"']+)\2(\s*[=:]\s*|\s+)(.*)$")
_INLINE = re.compile(
    r"(?i)((?:password|passwd|secret|token|api[-_.]?key|private[-_.]?key|credentials?)\w*[\"']?\s*[=:]\s*)"
    r"(\\\"(?:[^\\]|\\[^\"])*\\\"|\"[^\"]*\"|'[^']*'|[^\s;,}]+)"  # \"a b\" inside a Java string first
)
# code: a secret key's value as the next argument (`put("ssl.key.password", "x")`, `Map.of(KEY, "x")`)
_ARGUMENT = re.compile(r"([\"']([\w.\-\[\]]+)[\"']\s*,\s*)(\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')")
_CONSTANT = re.compile(r"(\b([A-Z][A-Z0-9_]*)\s*,\s*)(\"(?:[^\"\\]|\\.)*\")")
# code: a setter or keyword argument named after a secret (`setPassword("x")`, `password="x"`)
_SETTER = re.compile(r"(?i)(\bset\w*(?:password|passwd|secret|token|credentials?|apikey)\s*\(\s*)([^)]*)")


def _argument(match: re.Match[str]) -> str:
    key = match.group(2).replace("_", ".").lower()
    return match.group(1) + MASK if is_secret_key(key) else match.group(0)


def redact_line(line: str) -> str:
    """The line with any secret value replaced by ****."""
    match = _ASSIGNMENT.match(line)
    if match and is_secret_key(match.group(3)) and match.group(5).strip():
        return line[: match.start(5)] + MASK
    line = _ARGUMENT.sub(_argument, line)
    line = _CONSTANT.sub(_argument, line)
    line = _SETTER.sub(lambda m: m.group(1) + MASK if m.group(2).strip() else m.group(0), line)
    return _INLINE.sub(lambda m: m.group(1) + MASK, line)
