"""Keep secrets out of every output: values of secret-looking keys are masked before display."""

from __future__ import annotations

import re

from msglint.kafka.keys import is_secret_key

MASK = "****"
_ASSIGNMENT = re.compile(r"^(\s*-?\s*)([\"']?)([^\s=:\"']+)\2(\s*[=:]\s*|\s+)(.*)$")
_INLINE = re.compile(
    r"(?i)((?:password|passwd|secret|token|api[-_.]?key|private[-_.]?key|credentials?)\w*[\"']?\s*[=:]\s*)"
    r"(\"[^\"]*\"|'[^']*'|[^\s;,}]+)"
)


def redact_line(line: str) -> str:
    """The line with any secret value replaced by ****."""
    match = _ASSIGNMENT.match(line)
    if match and is_secret_key(match.group(3)) and match.group(5).strip():
        return line[: match.start(5)] + MASK
    return _INLINE.sub(lambda m: m.group(1) + MASK, line)
