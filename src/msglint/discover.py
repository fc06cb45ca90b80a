"""Find the files that can matter, cheaply: names first, then a look at the bytes, never a parse.

Directories are walked top-down honouring every ``.gitignore`` on the way (and
``.git/info/exclude``); vendored, build and virtualenv directories are never entered. A file named
on the command line is always read, whatever its name or ignore status.

Only regular files are opened (a FIFO or a device could block for ever). A file over the size limit
that would otherwise be read, and a directory that cannot be listed, become candidates with a
``skipped`` reason: the run reports them (MSG004) instead of reading them or saying nothing.
"""

from __future__ import annotations

import dataclasses
import errno
import fnmatch
import functools
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from msglint.kafka import bitnami
from msglint.rabbit import bitnami as rabbit_bitnami

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "target",
        "build",
        "dist",
        ".venv",
        "venv",
        "__pycache__",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".ruff_cache",
        ".pytest_cache",
        ".gradle",
        ".idea",
        "site-packages",
        ".eggs",
    }
)

# A test suite builds wrong configurations on purpose (to see the client refuse them), and test
# resources are never deployed. Like semgrep's default .semgrepignore, a walk leaves test code out
# unless asked (``--include-tests``); a development notion still relaxes it then (environment.py).
TEST_DIRS = frozenset({"test", "tests", "testdata", "test-data", "test_data", "__tests__", "systemtest", "e2e", ".ci"})
_TEST_DIR = re.compile(r"(?:_SUITE_data|[-_]tests?|[-_]it)$", re.I)  # Erlang CT data, integration-tests, ...
_TEST_FILE = re.compile(r"^(?:test_.+\.py|.+_tests?\.py|conftest\.py|.+(?:Test|Tests|IT|TestCase)\.(?:java|kt))$")


def is_test_dir(name: str) -> bool:
    return name.lower() in TEST_DIRS or _TEST_DIR.search(name) is not None


def is_test_file(name: str) -> bool:
    return _TEST_FILE.match(name) is not None


MAX_BYTES = 5 * 1024 * 1024  # configuration files are small; anything larger is data (--max-file-size)
HEAD = 1024 * 1024  # how much of a file over the limit is sniffed, to know whether it would be read

_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3, "kib": 1024, "mib": 1024**2, "gib": 1024**3}
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$", re.I)


def parse_size(text: str | int) -> int:
    """Bytes from ``5242880``, ``5MiB``, ``5 MB``, ``512KiB`` (kB, MB, GB are powers of 1000; KiB, MiB,
    GiB of 1024, as IEC 80000-13 has them); ValueError for anything else or for zero."""
    if isinstance(text, int) and not isinstance(text, bool):
        number, unit = float(text), ""
    else:
        match = _SIZE.match(str(text))
        if match is None or match.group(2).lower() not in _UNITS:
            raise ValueError(f"{text!r} is not a size (bytes, or a number with kB, MB, GB, KiB, MiB or GiB)")
        number, unit = float(match.group(1)), match.group(2).lower()
    size = int(number * _UNITS[unit])
    if size < 1:
        raise ValueError(f"{text!r}: the size must be at least one byte")
    return size


def format_size(size: int) -> str:
    """``5 MiB``, ``47.7 MiB``, ``300 bytes``: binary units, one decimal at most."""
    for unit, factor in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= factor:
            return f"{size / factor:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} byte" if size == 1 else f"{size} bytes"


def too_large(size: int, limit: int) -> str:
    return f"skipped: {format_size(size)}, larger than --max-file-size ({format_size(limit)})"


_KINDS = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def special(path: str | Path) -> str | None:
    """What a path is when it is neither a regular file nor a directory (``a named pipe (FIFO)``), so
    that it is refused without being opened; None otherwise (a missing path too)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return _KINDS.get(stat.S_IFMT(mode), "not a regular file")


class NotRegular(OSError):
    """A path that is not a regular file: it is never read."""


def _sample(path: str, max_bytes: int) -> tuple[bytes, int]:
    """(the bytes to sniff, the file's size): the whole file, or the first HEAD bytes of one over
    ``max_bytes``. Opened without blocking and checked to be a regular file before any read."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegular(errno.EINVAL, "not a regular file", path)
        if info.st_size > max_bytes:
            return handle.read(HEAD), info.st_size
        # the size is known (a buffer of exactly that, not of max_bytes); /proc and the like say 0
        return handle.read(info.st_size or max_bytes + 1), info.st_size


# A byte-order mark says UTF-16 or UTF-32 (whose ASCII has NULs between letters): sniff the text.
_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def sniffable(data: bytes) -> bytes:
    """The bytes the sniffs look at: UTF-16 and UTF-32 text with a BOM as UTF-8, the rest as it is."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, "replace").encode("utf-8")
    return data


@dataclass(frozen=True)
class Interest:
    """A kind of file some extractor wants: by name, then confirmed by a byte pattern."""

    kind: str  # what the file is taken to be: spring-config, kafka-properties
    syntax: str  # which reader parses it: yaml, properties
    names: tuple[str, ...]  # fnmatch patterns on the file name
    sniff: re.Pattern[bytes] | None  # must match the bytes, else the file is not parsed

    @property
    def pattern(self) -> re.Pattern[str]:
        return _name_pattern(self.names)


@functools.cache
def _name_pattern(names: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(fnmatch.translate(n) for n in names))


_KAFKA_CLIENT_KEY = re.compile(
    rb"(?m)^[ \t]*(bootstrap\.servers|group\.id|acks|enable\.auto\.commit|enable\.idempotence"
    rb"|auto\.offset\.reset|key\.(?:de)?serializer|value\.(?:de)?serializer|linger\.ms"
    rb"|session\.timeout\.ms|max\.poll\.records|spring\.kafka\."
    rb"|broker\.id|node\.id|process\.roles|log\.dirs|zookeeper\.connect"
    rb"|clusters|[\w.-]+->[\w.-]+\.enabled|(?:config|offset|status)\.storage\.topic|connector\.class)[ \t]*[=:\s]"
)

# Kubernetes objects some extractor reads; the sniff keeps every other manifest unparsed.
MANIFEST_KINDS = (
    "Kafka",
    "KafkaNodePool",
    "KafkaTopic",
    "KafkaConnect",
    "KafkaConnector",
    "KafkaMirrorMaker2",
    "Deployment",
    "StatefulSet",
    "HorizontalPodAutoscaler",
    "RabbitmqCluster",
    "Queue",
    "Policy",
    "OperatorPolicy",
    "Stream",
    "Consumer",
    "RedisFailover",
    "Redis",
    "RedisReplication",
    "RedisCluster",
)
_MANIFEST = re.compile(
    rb"(?m)^[ \t-]*kind:[ \t]*[\"']?(?:" + "|".join(MANIFEST_KINDS).encode() + rb")[\"']?[ \t]*(?:#.*)?\r?$"
)

_RABBITMQ_IMAGE = re.compile(
    rb"(?m)^[ \t-]*(?:image|repository):[ \t]*[\"']?(?:[\w.:-]+/)*rabbitmq(?::[\w.-]+)?[\"']?[ \t]*(?:#.*)?\r?$"
)

# docker-compose services running a Kafka broker image (extract/compose.py)
_KAFKA_IMAGE = re.compile(
    rb"(?m)^[ \t]*image:[ \t]*[\"']?(?:[\w.:-]+/)*(?:cp-kafka|cp-server|kafka|kafka-native)"
    rb"(?::[\w.-]+)?[\"']?[ \t]*(?:#.*)?\r?$"
)

# Helm values of the Bitnami kafka chart: its own parameter names, or its image (extract/helm_values.py)
_KAFKA_VALUES = re.compile(
    rb"(?m)^[ \t]*(?:(?:" + "|".join(sorted(bitnami.OWN | bitnami.ROLES_LAYOUT)).encode() + rb")[ \t]*:"
    rb"|repository:[ \t]*[\"']?(?:[\w.:-]+/)*bitnami[\w-]*/kafka[\"']?[ \t]*(?:#.*)?\r?$)"
)

_RABBITMQ_VALUES = re.compile(
    rb"(?m)^[ \t]*(?:(?:" + "|".join(sorted(rabbit_bitnami.OWN)).encode() + rb")[ \t]*:"
    rb"|repository:[ \t]*[\"']?(?:[\w.:-]+/)*bitnami[\w-]*/rabbitmq[\"']?[ \t]*(?:#.*)?\r?$)"
)

# docker-compose services running Redis, and the Bitnami redis chart's values (extract/redis_manifests.py)
_REDIS_IMAGE = re.compile(
    rb"(?m)^[ \t-]*(?:image:[ \t]*[\"']?(?:[\w.:-]+/)*(?:redis|redis-stack-server|redis-stack|valkey)"
    rb"(?::[\w.-]+)?[\"']?[ \t]*(?:#.*)?\r?$|command:.*redis-server|commonConfiguration:)"
)
# redis.conf: directives only a Redis server has
_REDIS_CONF = re.compile(
    rb"(?m)^[ \t]*(?:appendonly|appendfsync|maxmemory-policy|stream-node-max-(?:bytes|entries)|save[ \t]+(?:\"\"|\d)"
    rb"|replicaof|slaveof|requirepass|masterauth|rdbcompression|dbfilename)[ \t]"
)
# redis-py stream calls, made on a client that may come from another module
_REDIS_CALLS = (
    rb"|\.x(?:add|readgroup|ack|autoclaim|claim|pending_range|group_create|trim)\("
    rb"|redis\.p?call\([ \t]*[\"'](?i:xack|xclaim|xautoclaim)[\"']"  # a Lua script's stream commands
)

_SPRING = re.compile(rb"(?i)kafka|rabbit|stream")
# Build files that name a messaging library or what manages its version (extract/builds.py)
_BUILD = re.compile(rb"(?i)kafka|spring-rabbit|spring-amqp|springframework\.boot|spring-boot|spring-cloud|springboot")
INTERESTS: tuple[Interest, ...] = (
    # Spring Kafka, Spring AMQP and Spring Cloud Stream (whose bindings may name neither broker)
    Interest("spring-config", "yaml", ("application*.yml", "application*.yaml"), _SPRING),
    Interest("spring-config", "properties", ("application*.properties",), _SPRING),
    Interest("kafka-properties", "properties", ("*.properties",), _KAFKA_CLIENT_KEY),
    # a kustomization names its patches: partial manifests that must not be read as whole objects
    Interest(
        "kustomization",
        "yaml",
        ("kustomization.yaml", "kustomization.yml", "Kustomization"),
        re.compile(rb"(?m)^(patches|patchesStrategicMerge|patchesJson6902):"),
    ),
    Interest("manifest", "yaml", ("*.yml", "*.yaml"), _MANIFEST),
    # docker-compose files, Helm values: the rabbitmq image says which RabbitMQ version runs there
    Interest("manifest", "yaml", ("*.yml", "*.yaml"), _RABBITMQ_IMAGE),
    Interest("manifest", "yaml", ("*.yml", "*.yaml"), _KAFKA_IMAGE),
    Interest("manifest", "yaml", ("*.yml", "*.yaml"), _KAFKA_VALUES),
    Interest("manifest", "yaml", ("*.yml", "*.yaml"), _RABBITMQ_VALUES),
    Interest("manifest", "yaml", ("*.yml", "*.yaml"), _REDIS_IMAGE),
    Interest(
        "rabbit-definitions",
        "json",
        ("*.json",),
        re.compile(rb'"(?:rabbit_version|rabbitmq_version|policies|queues|operator_policies)"\s*:'),
    ),
    # a Kafka Connect connector as the REST API takes it (extract/kafka_connect.py)
    Interest("kafka-connector", "json", ("*.json",), re.compile(rb'"connector\.class"\s*:')),
    Interest(
        "shell",
        "shell",
        ("*.sh", "*.bash", "Makefile", "makefile", "GNUmakefile", "*.mk"),
        re.compile(rb"rabbitmq(?:ctl|admin)[ \t]"),
    ),
    Interest(
        "nats-config",
        "json",
        ("*.json",),
        re.compile(
            rb'"(?:ack_policy|deliver_policy|durable_name|max_ack_pending)"\s*:|"retention"\s*:\s*"(?:limits|interest|workqueue)"'
        ),
    ),
    Interest(
        "nats-config",
        "yaml",
        ("*.yml", "*.yaml"),
        re.compile(
            rb"(?m)^[ \t]*(?:(?:ack_policy|deliver_policy|durable_name|max_ack_pending)[ \t]*:"
            rb"|retention[ \t]*:[ \t]*[\"']?(?:limits|interest|workqueue))"
        ),
    ),
    Interest(
        "nats-conf",
        "natsconf",
        ("*.conf",),
        re.compile(
            rb"(?m)^[ \t]*(?:(?:jetstream|server_name|leafnodes|accounts|max_payload|max_connections)"
            rb"[ \t]*(?:[:={]|enabled)|port[ \t]*[:=][ \t]*4222\b)"
        ),
    ),
    Interest("rabbitmq-advanced", "text", ("advanced.config",), re.compile(rb"consumer_timeout")),
    Interest(
        "python",
        "python",
        ("*.py",),
        # panini: a NATS framework whose app.nats.js_client is nats-py's JetStream context
        re.compile(
            rb"(?m)^[ \t]*(?:from|import)[ \t]+(?:confluent_kafka|kafka|aiokafka|pika|aio_pika|nats|panini)\b"
            + _REDIS_CALLS
        ),
    ),
    Interest(
        "java",
        "java",
        ("*.java",),
        re.compile(
            rb"(?m)^[ \t]*import[ \t]+(?:static[ \t]+)?"
            rb"(?:org\.apache\.kafka|org\.springframework\.kafka|org\.springframework\.amqp|com\.rabbitmq"
            rb"|org\.springframework\.data\.redis\.(?:stream|connection\.stream|core)|io\.lettuce\.core|redis\.clients\.jedis)\."
        ),
    ),
    Interest("redis-conf", "redisconf", ("redis.conf", "redis-*.conf", "redis_*.conf", "*.conf"), _REDIS_CONF),
    Interest(
        "rabbitmq-conf",
        "conf",
        ("rabbitmq.conf", "*.conf"),
        re.compile(
            rb"(?m)^[ \t]*(?:vm_memory_high_watermark|disk_free_limit|listeners\.tcp|default_user|default_pass"
            rb"|consumer_timeout|cluster_formation|loopback_users|queue_master_locator|classic_queue|log\.file)"
        ),
    ),
    Interest(
        "build",
        "build",
        (
            *("pom.xml", "build.gradle", "build.gradle.kts", "*.versions.toml", "gradle.properties"),
            *("*requirements*.txt", "*constraints*.txt", "pyproject.toml", "setup.cfg", "Pipfile"),
            *("Pipfile.lock", "poetry.lock", "uv.lock"),
        ),
        _BUILD,
    ),
)

# What an explicitly named file is read as when no name pattern claims it.
_EXPLICIT_BY_SUFFIX = {
    ".yml": ("yaml", "yaml"),
    ".yaml": ("yaml", "yaml"),
    ".json": ("rabbit-definitions", "json"),
    ".conf": ("rabbitmq-conf", "conf"),
    ".sh": ("shell", "shell"),
    ".py": ("python", "python"),
    ".java": ("java", "java"),
    ".properties": ("kafka-properties", "properties"),
}


@dataclass(frozen=True)
class Candidate:
    path: Path
    kind: str
    syntax: str
    explicit: bool
    context: bool = False  # read only to complete another file's picture; its own findings are not reported
    skipped: str | None = None  # why it is not read (too large, an unreadable directory): a MSG004 finding
    data: bytes | None = None  # the content, when it is not on disk (standard input, an editor's buffer)
    template: bool = False  # a Jinja/Go template (app.yml.j2): its actions are blanked before reading
    stamp: tuple[int, int, int] | None = None  # (size, ctime, inode) taken before it was read, if settled


def _classify(name: str) -> list[Interest]:
    """The interests a file name can belong to (``*.json``: RabbitMQ definitions or NATS configs)."""
    return [
        interest
        for interest in _for_suffix(name[name.rfind(".") :] if "." in name else "")
        if interest.pattern.match(name)
    ]


@functools.cache
def _for_suffix(suffix: str) -> tuple[Interest, ...]:
    """The interests whose name patterns could match a name ending in ``suffix`` (".py"): a walk
    tries those only. A pattern whose literal end holds a dot ("*.yml") fixes the suffix; others may
    match any name."""

    def could(pattern: str) -> bool:
        tail = pattern[max(pattern.rfind(c) for c in "*?]") + 1 :]
        return "." not in tail or tail[tail.rfind(".") :] == suffix

    return tuple(i for i in INTERESTS if any(could(n) for n in i.names))


class _Ignores:
    """The .gitignore rules in force for one directory, innermost last."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, Any]] = []

    def push(self, directory: str, file: str) -> int:
        if not os.path.isfile(file):
            return 0  # absent, or a FIFO that would block the walk
        try:
            with open(file, encoding="utf-8", errors="replace") as handle:
                patterns = handle.read().splitlines()
        except OSError:
            return 0
        if not any(p.strip() and not p.lstrip().startswith("#") for p in patterns):
            return 0
        import pathspec

        self.specs.append((directory, pathspec.GitIgnoreSpec.from_lines(patterns)))
        return 1

    def ignored(self, path: str, is_dir: bool) -> bool:
        verdict = False
        for base, spec in self.specs:
            rel = path[len(base) + 1 :].replace(os.sep, "/") + ("/" if is_dir else "")
            result = spec.check_file(rel)
            if result.include is not None:
                verdict = bool(result.include)  # a later, deeper file may re-include
        return verdict


class Exclusion:
    """Paths a configuration keeps out (gitignore-style patterns, relative to its directory); by
    default the directories in SKIP_DIRS, by name, anywhere."""

    def __init__(
        self,
        root: Path | None = None,
        patterns: Sequence[str] | None = None,
        extra: Sequence[str] = (),
        include_tests: bool = False,
    ) -> None:
        self.root = str(root.resolve()) if root is not None else ""
        self.skip_dirs = SKIP_DIRS if patterns is None else frozenset()
        self.include_tests = include_tests
        lines = [*(patterns or ()), *extra]
        self.spec: Any = None
        if lines:
            import pathspec

            self.spec = pathspec.GitIgnoreSpec.from_lines(lines)

    def excluded(self, path: str, is_dir: bool) -> bool:
        if is_dir and os.path.basename(path) in self.skip_dirs:
            return True
        if not self.include_tests and (is_test_dir if is_dir else is_test_file)(os.path.basename(path)):
            return True
        if self.spec is None:
            return False
        relative = os.path.relpath(path, self.root) if self.root else os.path.basename(path)
        if relative.startswith(".."):
            relative = os.path.basename(path)
        return bool(self.spec.match_file(relative.replace(os.sep, "/") + ("/" if is_dir else "")))


def git_root(start: Path) -> Path | None:
    for parent in (start, *start.parents):
        if (parent / ".git").exists():
            return parent
    return None


def _walk(
    root: str, ignores: _Ignores, exclusion: Exclusion, unreadable: list[tuple[str, str]]
) -> Iterator[tuple[str, list[Interest]]]:
    """(path, interest) for every file below ``root`` that some extractor wants by its name; each
    directory that cannot be listed goes to ``unreadable`` with the reason."""
    pushed = ignores.push(root, os.path.join(root, ".gitignore"))
    try:
        try:
            with os.scandir(root) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            unreadable.append((root, exc.strerror or str(exc)))
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if (
                    exclusion.excluded(entry.path, True)
                    or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))
                    or (ignores.specs and ignores.ignored(entry.path, True))
                ):
                    continue
                yield from _walk(entry.path, ignores, exclusion, unreadable)
            elif entry.is_file(follow_symlinks=False):
                interests = _classify(entry.name)
                if (
                    interests
                    and not (ignores.specs and ignores.ignored(entry.path, False))
                    and not exclusion.excluded(entry.path, False)
                ):
                    yield entry.path, interests
    finally:
        del ignores.specs[len(ignores.specs) - pushed :]


# Resource bundles: messages.properties, ValidationMessages_fr.properties, Labels_pt_BR.properties
_BUNDLE_NAME = re.compile(r"(?i)^(?:.*messages.*|.*_[a-z]{2,3}(?:_[A-Z]{2})?(?:_\w+)?)\.properties$")
# starts only at a word's start, and judges a value's head: a 40 KB word would otherwise back-track
_PROSE = re.compile(
    r"(?<![A-Za-z\u00c0-\u024f])[A-Za-z\u00c0-\u024f]{2,}(?:[ \t]+[A-Za-z\u00c0-\u024f\u2019',.:;!?()]+){2,}|\{\d+\}"
)
_PROSE_HEAD = 256
_ENTRY = re.compile(r"^[ \t]*([^#!\s=:][^=:\s]*)[ \t]*[=:\s][ \t]*(.*)$")


# Kafka Connect worker and MirrorMaker 2 keys (extract/kafka_connect.py)
_CONNECT_KEY = re.compile(
    r"^(?:clusters|[\w.-]+->[\w.-]+\.[\w.-]+|[\w.-]+\.bootstrap\.servers|(?:config|offset|status)\.storage\.[\w.]+"
    r"|[\w.-]*replication\.factor|connector\.class|errors\.[\w.]+|topics(?:\.regex)?|tasks\.max)$"
)


def kafka_properties(name: str, data: bytes) -> bool:
    """Is this ``.properties`` file a Kafka client (or broker) file? Not a resource bundle (by name),
    and by content: Kafka keys whose values are settings, not prose. An i18n bundle may well have a
    key ``acks`` or ``retries``; its values are sentences (``Number of retries: {0}``)."""
    if _BUNDLE_NAME.match(name) or not _KAFKA_CLIENT_KEY.search(data):
        return False
    from msglint.kafka import keys

    known = keys.PRODUCER_KEYS | keys.CONSUMER_KEYS | keys.BROKER_KEYS
    settings = prose = 0
    for line in data.decode("utf-8", "replace").splitlines():
        m = _ENTRY.match(line)
        if m is None:
            continue
        key, value = m.group(1), m.group(2).strip()
        if keys.is_secret_key(key):
            continue  # sasl.jaas.config values are long, with spaces, and are settings
        if _PROSE.search(value[:_PROSE_HEAD]) and not value.startswith(("org.", "com.", "io.")):
            prose += 1
        elif key in known or key.startswith(("spring.kafka.", "ssl.", "sasl.", "security.")) or _CONNECT_KEY.match(key):
            settings += 1
    return settings > 0 and prose <= settings


def _look(path: str, interests: list[Interest], max_bytes: int = MAX_BYTES) -> tuple[Interest | None, int]:
    """(the first interest whose byte pattern the file matches, the file's size). A file over
    ``max_bytes`` is judged by its first HEAD bytes; one that is not a regular file is no interest."""
    interest, size, _ = _peek(path, interests, max_bytes)
    return interest, size


def _peek(path: str, interests: list[Interest], max_bytes: int) -> tuple[Interest | None, int, bytes | None]:
    """``_look``, and the whole content when the file is within ``max_bytes``: what was read to
    sniff it is what its reader parses, so a relevant file is read from disk once."""
    if not interests:
        return None, 0, None
    try:
        data, size = _sample(path, max_bytes)
    except NotRegular:
        return None, 0, None
    except OSError:
        return interests[0], 0, None  # let the reader report why it cannot be read
    whole = data if size <= max_bytes else None
    if all(i.sniff is None for i in interests):
        return interests[0], size, whole
    sniffed, name = sniffable(data), os.path.basename(path)
    return next((i for i in interests if _wanted(i, name, sniffed)), None), size, whole


def _relevant(path: str, interests: list[Interest], max_bytes: int = MAX_BYTES) -> Interest | None:
    """The first interest whose byte pattern the file matches (read once), or None; None too for a
    file over ``max_bytes`` (context files: read whole or not at all)."""
    interest, size = _look(path, interests, max_bytes)
    return interest if size <= max_bytes else None


def _candidate(
    path: Path, interest: Interest, size: int, max_bytes: int, explicit: bool, data: bytes | None = None
) -> Candidate:
    if size > max_bytes:  # never read: reported as skipped, and why
        return Candidate(path, interest.kind, "none", explicit, skipped=too_large(size, max_bytes))
    return Candidate(path, interest.kind, interest.syntax, explicit, data=data)


def _wanted(interest: Interest, name: str, data: bytes) -> bool:
    if interest.kind == "kafka-properties":
        return kafka_properties(name, data)
    return interest.sniff is None or interest.sniff.search(data) is not None


def discover(
    paths: Iterable[str | Path],
    only_relevant: bool = False,
    exclusion: Exclusion | None = None,
    max_bytes: int | None = None,
    repository: Path | None = None,
    given: tuple[Path, bytes] | None = None,
    irrelevant: Stamps | None = None,
) -> list[Candidate]:
    """The files to read under ``paths``, each once, in a stable order. Named files are read
    whatever their name or .gitignore status (a configuration's exclusions still apply); with
    ``only_relevant``, only if their bytes look relevant. A file over ``max_bytes`` (default
    MAX_BYTES) that would be read, named or walked, and a directory that cannot be listed come back
    ``skipped``; a named path that is neither a file nor a directory (a FIFO, a device) is left out
    unopened (the command line refuses it first).

    ``repository``: when files are named, every other relevant file under it comes back as context
    (read, never reported on its own), so that a named file is judged as ``msglint .`` judges it:
    a topic named alone still meets its cluster, and each batch pre-commit splits a commit into
    sees the same picture. ``given``: a file named with its content (``msglint - --stdin-filename``),
    judged as that file whether or not it is on disk. ``irrelevant``: the walked files found
    irrelevant by earlier runs (cache.py), skipped unopened while unchanged, and added to."""
    exclusion = exclusion or Exclusion()
    max_bytes = max_bytes or MAX_BYTES
    found: dict[Path, Candidate] = {}
    unreadable: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw)
        if special(path) is not None:
            continue
        if path.is_dir():
            _add_walked(found, path.resolve(), exclusion, unreadable, max_bytes, irrelevant)
        else:
            _add_named(found, path.resolve(), exclusion, only_relevant, max_bytes)
    if given is not None:
        path = given[0].resolve()
        found.pop(path, None)
        _add_named(found, path, exclusion, only_relevant, max_bytes, data=given[1])
    for folder, reason in unreadable:
        where = Path(folder)
        found.setdefault(
            where, Candidate(where, "directory", "none", False, skipped=f"skipped: cannot read the directory: {reason}")
        )
    if repository is not None and any(c.explicit for c in found.values()):
        _add_repository(found, repository, exclusion, max_bytes, irrelevant)
    for candidate in list(found.values()):
        if candidate.explicit and candidate.kind == "manifest":
            _add_context(found, _kustomizations(candidate.path), max_bytes)
        if candidate.explicit and candidate.kind == "spring-config":
            _add_context(found, _spring_siblings(candidate.path), max_bytes)
    return sorted(found.values(), key=lambda c: str(c.path))


def _repository_ignores(base: Path) -> _Ignores:
    """The ignore files that apply to a walked directory before its own."""
    ignores = _Ignores()
    repository = git_root(base)
    if repository is not None:
        # .gitignore files above the walked directory still apply to it
        chain = [repository, *reversed([p for p in base.parents if repository in p.parents])]
        for directory in chain:
            if directory != base:
                ignores.push(str(directory), str(directory / ".gitignore"))
        ignores.push(str(repository), str(repository / ".git" / "info" / "exclude"))
    return ignores


# path -> (size, ctime, inode) of a walked file whose bytes did not matter when last sniffed;
# ctime changes with every write and cannot be set back, so an unchanged stamp is an unchanged file
Stamps = dict[str, tuple[int, int, int]]
# ctime ticks coarsely (a jiffy where it has nanoseconds, whole seconds on some file systems): a file
# changed within a tick of being read could be written again within that tick, unseen, so its stamp
# is not kept (git's "racily clean" entries)
SETTLED_NS = 100_000_000
SETTLED_WHOLE_SECONDS_NS = 2_000_000_000


def _add_walked(
    found: dict[Path, Candidate],
    base: Path,
    exclusion: Exclusion,
    unreadable: list[tuple[str, str]],
    max_bytes: int,
    irrelevant: Stamps | None = None,
) -> None:
    seen = {str(p) for p in found}
    for name, interests in _walk(str(base), _repository_ignores(base), exclusion, unreadable):
        if name in seen:
            continue
        known = stamp(name) if irrelevant is not None else None
        if known is not None and irrelevant is not None and irrelevant.get(name) == known:
            continue  # sniffed before, unchanged since: still nothing to read
        trusted = known if known is not None and settled(known) else None  # judged before the read
        interest, size, data = _peek(name, interests, max_bytes)
        if interest is not None:
            file = Path(name)
            found[file] = dataclasses.replace(_candidate(file, interest, size, max_bytes, False, data), stamp=trusted)
        elif trusted is not None and irrelevant is not None:
            irrelevant[name] = trusted


def stamp(name: str) -> tuple[int, int, int] | None:
    """A file's (size, ctime, inode), or None when it cannot be had."""
    try:
        info = os.stat(name)
    except OSError:
        return None
    return info.st_size, info.st_ctime_ns, info.st_ino


def settled(found: tuple[int, int, int]) -> bool:
    """Was the stamped file last changed long enough ago that a write from now on would show? (Asked
    just before the file is read.) A ctime of whole seconds may come from a file system that ticks
    in seconds."""
    whole = found[1] % 1_000_000_000 == 0
    return time.time_ns() - found[1] > (max(SETTLED_NS, SETTLED_WHOLE_SECONDS_NS) if whole else SETTLED_NS)


def _add_named(
    found: dict[Path, Candidate],
    file: Path,
    exclusion: Exclusion,
    only_relevant: bool,
    max_bytes: int,
    data: bytes | None = None,
) -> None:
    if exclusion.spec is not None and exclusion.excluded(str(file), False):
        return  # pre-commit names every changed file: a configured exclusion still holds
    if only_relevant and not exclusion.include_tests and _under_tests(file):
        return  # the hook judges what `msglint .` judges: test code is left out there too
    name, template = untemplated(file.name)
    interests = _classify(name)
    if data is None:
        named, size = _look(str(file), interests, max_bytes)
    else:
        named, size = _look_data(name, interests, data), len(data)
    if only_relevant and named is None:
        return  # pre-commit names every YAML and .properties file: only the ones that matter
    named = named or (interests[0] if interests else None)
    suffix = Path(name).suffix.lower()
    if named is None and suffix in _EXPLICIT_BY_SUFFIX:
        kind, syntax = _EXPLICIT_BY_SUFFIX[suffix]
        named, size = Interest(kind, syntax, (), None), len(data) if data is not None else _size(file)
    if named is None:
        if not only_relevant:  # named by a person, not by pre-commit's file filter: never silence
            found[file] = Candidate(file, "unknown", "none", True, skipped=_NOT_READ)
        return
    found[file] = dataclasses.replace(_candidate(file, named, size, max_bytes, True), data=data, template=template)


# Suffixes of template files, read as the file they render (app.yml.j2 as app.yml), actions blanked.
TEMPLATE_SUFFIXES = (".j2", ".jinja", ".jinja2", ".tpl", ".tmpl", ".template", ".example", ".sample", ".delta")
_NOT_READ = "not read: msglint reads no file of this name or content (`msglint --show-files` lists what a run reads)"


def untemplated(name: str) -> tuple[str, bool]:
    """(the name a template renders to, whether it is a template): ``application.yml.j2`` ->
    (``application.yml``, True). A bare ``x.tpl`` keeps its name: nothing says what it renders."""
    lower = name.lower()
    for suffix in TEMPLATE_SUFFIXES:
        if lower.endswith(suffix) and "." in name[: -len(suffix)]:
            return name[: -len(suffix)], True
    return name, False


def _look_data(name: str, interests: list[Interest], data: bytes) -> Interest | None:
    """The first interest the given content matches (standard input: nothing on disk to sniff)."""
    sample = sniffable(data[:HEAD])
    return next((i for i in interests if i.sniff is None or _wanted(i, name, sample)), None)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # the reader says why it cannot be read


def _under_tests(file: Path) -> bool:
    """A file of test code: its name, or a directory between it and its repository (or the current
    directory), says so."""
    top = git_root(file.parent) or Path.cwd().resolve()
    try:
        parts = file.parent.relative_to(top).parts
    except ValueError:
        parts = ()
    return is_test_file(file.name) or any(is_test_dir(p) for p in parts)


def _add_repository(
    found: dict[Path, Candidate], root: Path, exclusion: Exclusion, max_bytes: int, irrelevant: Stamps | None
) -> None:
    """Every relevant file under ``root`` not yet found, as context; one too large is left out."""
    walked: dict[Path, Candidate] = {}
    _add_walked(walked, root.resolve(), exclusion, [], max_bytes, irrelevant)
    for path, candidate in walked.items():
        if path not in found and candidate.skipped is None:
            found[path] = dataclasses.replace(candidate, context=True)


def _add_context(found: dict[Path, Candidate], paths: Iterable[Path], max_bytes: int = MAX_BYTES) -> None:
    for path in paths:
        interest = None if path in found else _relevant(str(path), _classify(path.name), max_bytes)
        if interest is not None:
            found[path] = Candidate(path, interest.kind, interest.syntax, False, context=True)


def _kustomizations(path: Path) -> list[Path]:
    """Kustomizations that may apply a named manifest as a patch: in its directory or the one above."""
    names = ("kustomization.yaml", "kustomization.yml", "Kustomization")
    return [d / n for d in (path.parent, path.parent.parent) for n in names if (d / n).is_file()]


def _spring_siblings(path: Path) -> list[Path]:
    """The other files of the Spring Boot application ``path`` belongs to, so that a profile file
    named alone (as pre-commit does) is checked merged with its base configuration."""
    parent = path.parent
    root = parent.parent if parent.name == "config" else parent
    roots = [root]
    if root.parts[-3:] == ("src", "test", "resources"):
        roots.append(Path(*root.parts[:-2], "main", "resources"))
    found: list[Path] = []
    for base in roots:
        for directory in (base, base / "config"):
            try:
                names = sorted(os.listdir(directory))
            except OSError:
                continue
            found.extend(directory / n for n in names if INTERESTS[0].pattern.match(n) or INTERESTS[1].pattern.match(n))
    return [p for p in found if p != path]


def reads(path: Path, paths: Iterable[str | Path]) -> bool:
    """Could a run on ``paths`` read the existing file ``path``? True for a file named (a hard link to
    it too) or one of its context files, and under a walked directory for a file whose name and bytes
    make it a candidate, whatever ignore files and exclusions say: a report must not replace a
    configuration file, ignored or not."""
    real = os.path.realpath(path)
    if not os.path.isfile(real):
        return False
    for raw in paths:
        target = Path(raw)
        if target.is_dir():
            base = os.path.realpath(target)
            if real.startswith(base.rstrip(os.sep) + os.sep) and _look(real, _classify(os.path.basename(real)))[0]:
                return True
            continue
        kinds = {i.kind for i in _classify(target.name)}
        context = [
            *(_kustomizations(target) if "manifest" in kinds else []),
            *(_spring_siblings(target) if "spring-config" in kinds else []),
        ]
        if any(_same_file(real, p) for p in (target, *context)):
            return True
    return False


def _same_file(real: str, other: Path) -> bool:
    try:
        return real == os.path.realpath(other) or os.path.samefile(real, other)
    except OSError:
        return False
