"""What Python and Java handlers have in common: SQL that writes, and the idioms that make a
message handler safe to run twice. Language-neutral; each language's extractor finds the calls."""

from __future__ import annotations

import re

_SQL_WRITE = re.compile(r"^\s*(insert|update|delete|merge|replace|upsert)\b", re.IGNORECASE)
# what makes an INSERT safe to run twice, inside the statement itself
_SQL_GUARD = re.compile(
    r"on\s+conflict|insert\s+(or\s+)?ignore|or\s+replace|on\s+duplicate\s+key|^\s*(merge|upsert)", re.IGNORECASE
)
_SQL_INCREMENT = re.compile(r"\bset\b.*?\b(\w+)\s*=\s*\1\s*[-+]", re.IGNORECASE | re.DOTALL)

# the idioms that make a handler idempotent; any of them in the file's code silences the insert finding
IDEMPOTENCY_IDIOMS = re.compile(
    r"on\s+conflict|on_conflict|insert\s+(or\s+)?ignore|insert\s+or\s+replace|on\s+duplicate\s+key|merge\s+into|"
    r"upsert|get_or_create|update_or_create|setnx|\bnx\s*=\s*true|set_?if_?absent|integrityerror|uniqueviolation|"
    r"duplicatekey|dataintegrityviolation|dedup|idempot|processed_?message|already_?processed|message_?id|msg_?id|"
    r"nats-msg-id|exists\w*\s*\(|@version\b",
    re.IGNORECASE,
)
IDIOMS_SHOWN = (
    "ON CONFLICT / INSERT IGNORE / MERGE / upsert, get_or_create, Redis SET NX / setIfAbsent, a caught "
    "IntegrityError, DuplicateKeyException or DataIntegrityViolationException, @Version, a message-id, "
    "processed-messages or exists...() check"
)


def sql_write(sql: str) -> tuple[str, bool] | None:
    """(the statement's verb, whether running it twice writes twice) for SQL that writes, else None."""
    if not _SQL_WRITE.match(sql):
        return None
    verb = sql.split()[0].upper()
    return verb, (verb == "INSERT" and not _SQL_GUARD.search(sql)) or bool(_SQL_INCREMENT.search(sql))
