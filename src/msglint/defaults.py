"""The value that applies to a key: as written, else the default of the entity's client, else unknown.

The tables are knowledge, one module per broker (``kafka/defaults.py``, ``rabbit/defaults.py``,
``nats/defaults.py``); this module only looks them up. A new broker adds its module's ``TABLES`` to
``_TABLES``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from msglint.kafka import defaults as kafka
from msglint.model import Setting
from msglint.nats import defaults as nats
from msglint.rabbit import defaults as rabbit
from msglint.redis import defaults as redis

if TYPE_CHECKING:
    from msglint.model import Entity

_TABLES = {**kafka.TABLES, **rabbit.TABLES, **nats.TABLES, **redis.TABLES}


def effective(entity: Entity, key: str) -> Setting | None:
    """The setting as written, else the default that applies, else None (unknown)."""
    written = entity.settings.get(key)
    return written if written is not None else default_for(entity, key)


def default_for(entity: Entity, key: str) -> Setting | None:
    """The default that applies to ``key`` on ``entity``, or None when there is none we know."""
    if "templated" in entity.traits:
        return None  # template logic may write the key: whether a default applies is unknown
    contextual = kafka.contextual(entity, key, effective)
    if contextual is not None:
        return Setting(key, contextual[0], contextual[0], None, contextual[1])
    for table in _TABLES.get((entity.client, entity.kind), []):
        if key in table:
            value, origin = table[key]
            return Setting(key, value, value or "", None, origin)
    return None
