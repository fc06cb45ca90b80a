"""Redis defaults that apply when a directive or argument is not written, with their sources
(docs/domain-supplement.md, "Redis")."""

from __future__ import annotations

Table = dict[str, tuple[str | None, str]]

# redis-server 7.x with no such line in its configuration file, or with no file at all
# (redis.conf of redis/redis 7.x, config.c's standardConfig table)
_SERVER: Table = {
    "appendonly": ("no", "redis-server"),
    "appendfsync": ("everysec", "redis-server"),
    "save": ("3600 1 300 100 60 10000", "redis-server 7"),
    "maxmemory": ("0", "redis-server, no limit on 64-bit systems"),
    "maxmemory-policy": ("noeviction", "redis-server"),
}
# the Bitnami redis chart: its commonConfiguration value is written into every node's redis.conf
# (bitnami/charts redis values.yaml: appendonly yes, save "")
_BITNAMI: Table = {
    **_SERVER,
    "appendonly": ("yes", "the Bitnami redis chart's commonConfiguration"),
    "save": ("", "the Bitnami redis chart's commonConfiguration"),
}
# Spotahome's redis-operator writes its own redis.conf (save 900 1, save 300 10; no appendonly) and
# applies customConfig over it (operator/redisfailover/service/generator.go, redisConfigTemplate)
_SPOTAHOME: Table = {
    **_SERVER,
    "save": ("900 1 300 10", "Spotahome's redis-operator, its generated redis.conf"),
}
# the group's start when xgroup_create / createGroup(key, group) is not given one; a container
# subscription's defaults are written onto it by extract/java_redis.py
_REDIS_PY_GROUP: Table = {"id": ("$", "redis-py's xgroup_create")}
_SPRING_GROUP: Table = {"id": ("$", "Spring Data Redis's createGroup(key, group), ReadOffset.latest()")}

TABLES: dict[tuple[str, str], list[Table]] = {
    ("redis-server", "redis.server"): [_SERVER],
    ("bitnami-redis", "redis.server"): [_BITNAMI],
    ("spotahome", "redis.server"): [_SPOTAHOME],
    ("redis-py", "redis.group"): [_REDIS_PY_GROUP],
    ("spring-data-redis", "redis.group"): [_SPRING_GROUP],
}
