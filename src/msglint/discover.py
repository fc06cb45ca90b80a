"""Find the files that can matter, cheaply: names first, then a look at the bytes, never a parse.

Directories are walked top-down honouring every ``.gitignore`` on the way (and
``.git/info/exclude``); vendored, build and virtualenv directories are never entered. A file named
on the command line is always read, whatever its name or ignore status.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
TEST_DIRS = frozenset(
    {"test", "tests", "testdata", "test-data", "test_data", "__tests__", "systemtest", "e2e", ".ci"}
)
_TEST_DIR = re.compile(r"(?:_SUITE_data|[-_]tests?|[-_]it)$", re.I)  # Erlang CT data, integration-tests, ...
_TEST_FILE = re.compile(r"^(?:test_.+\.py|.+_tests?\.py|conftest\.py|.+(?:Test|Tests|IT|TestCase)\.(?:java|kt))$")


def is_test_dir(name: str) -> bool:
    return name.lower() in TEST_DIRS or _TEST_DIR.search(name) is not None


def is_test_file(name: str) -> bool:
    return _TEST_FILE.match(name) is not None


MAX_BYTES = 5 * 1024 * 1024  # configuration files are small; anything larger is data


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
    rb"|broker\.id|node\.id|process\.roles|log\.dirs|zookeeper\.connect)[ \t]*[=:\s]"
)

# Kubernetes objects some extractor reads; the sniff keeps every other manifest unparsed.
MANIFEST_KINDS = (
    "Kafka",
    "KafkaNodePool",
    "KafkaTopic",
    "KafkaConnect",
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
)
_MANIFEST = re.compile(
    rb"(?m)^[ \t-]*kind:[ \t]*[\"']?(?:" + "|".join(MANIFEST_KINDS).encode() + rb")[\"']?[ \t]*(?:#.*)?\r?$"
)

_RABBITMQ_IMAGE = re.compile(
    rb"(?m)^[ \t-]*(?:image|repository):[ \t]*[\"']?(?:[\w.:-]+/)*rabbitmq(?::[\w.-]+)?[\"']?[ \t]*(?:#.*)?\r?$"
)

INTERESTS: tuple[Interest, ...] = (
    Interest("spring-config", "yaml", ("application*.yml", "application*.yaml"), re.compile(rb"(?i)kafka|rabbitmq")),
    Interest("spring-config", "properties", ("application*.properties",), re.compile(rb"(?i)kafka|rabbitmq")),
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
    Interest(
        "rabbit-definitions",
        "json",
        ("*.json",),
        re.compile(rb'"(?:rabbit_version|rabbitmq_version|policies|queues|operator_policies)"\s*:'),
    ),
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
        re.compile(rb"(?m)^[ \t]*(?:from|import)[ \t]+(?:confluent_kafka|kafka|aiokafka|pika|aio_pika|nats)\b"),
    ),
    Interest(
        "java",
        "java",
        ("*.java",),
        re.compile(
            rb"(?m)^[ \t]*import[ \t]+(?:static[ \t]+)?"
            rb"(?:org\.apache\.kafka|org\.springframework\.kafka|org\.springframework\.amqp|com\.rabbitmq)\."
        ),
    ),
    Interest(
        "rabbitmq-conf",
        "conf",
        ("rabbitmq.conf", "*.conf"),
        re.compile(
            rb"(?m)^[ \t]*(?:vm_memory_high_watermark|disk_free_limit|listeners\.tcp|default_user|default_pass"
            rb"|consumer_timeout|cluster_formation|loopback_users|queue_master_locator|classic_queue|log\.file)"
        ),
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


def _classify(name: str) -> list[Interest]:
    """The interests a file name can belong to (``*.json``: RabbitMQ definitions or NATS configs)."""
    return [interest for interest in INTERESTS if interest.pattern.match(name)]


class _Ignores:
    """The .gitignore rules in force for one directory, innermost last."""

    def __init__(self) -> None:
        self.specs: list[tuple[str, Any]] = []

    def push(self, directory: str, file: str) -> int:
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

    def __init__(self, root: Path | None = None, patterns: Sequence[str] | None = None,
                 extra: Sequence[str] = (), include_tests: bool = False) -> None:  # fmt: skip
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


def _walk(root: str, ignores: _Ignores, exclusion: Exclusion) -> Iterator[tuple[str, list[Interest]]]:
    """(path, interest) for every file below ``root`` that some extractor wants by its name."""
    pushed = ignores.push(root, os.path.join(root, ".gitignore"))
    try:
        try:
            entries = sorted(os.scandir(root), key=lambda e: e.name)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if (
                    exclusion.excluded(entry.path, True)
                    or os.path.isfile(os.path.join(entry.path, "pyvenv.cfg"))
                    or (ignores.specs and ignores.ignored(entry.path, True))
                ):
                    continue
                yield from _walk(entry.path, ignores, exclusion)
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
_PROSE = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}(?:[ \t]+[A-Za-z\u00c0-\u024f\u2019',.:;!?()]+){2,}|\{\d+\}")
_ENTRY = re.compile(r"^[ \t]*([^#!\s=:][^=:\s]*)[ \t]*[=:\s][ \t]*(.*)$")


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
        if _PROSE.search(value) and not value.startswith(("org.", "com.", "io.")):
            prose += 1
        elif key in known or key.startswith(("spring.kafka.", "ssl.", "sasl.", "security.")):
            settings += 1
    return settings > 0 and prose <= settings


def _relevant(path: str, interests: list[Interest]) -> Interest | None:
    """The first interest whose byte pattern the file matches (read once), or None."""
    if all(i.sniff is None for i in interests):
        return interests[0] if interests else None
    try:
        if os.path.getsize(path) > MAX_BYTES:
            return None
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return interests[0] if interests else None  # let the reader report why it cannot be read
    name = os.path.basename(path)
    return next((i for i in interests if _wanted(i, name, data)), None)


def _wanted(interest: Interest, name: str, data: bytes) -> bool:
    if interest.kind == "kafka-properties":
        return kafka_properties(name, data)
    return interest.sniff is None or interest.sniff.search(data) is not None


def discover(paths: Iterable[str | Path], only_relevant: bool = False,
             exclusion: Exclusion | None = None) -> list[Candidate]:  # fmt: skip
    """The files to read under ``paths``, each once, in a stable order. Named files are read
    whatever their name or .gitignore status (a configuration's exclusions still apply); with
    ``only_relevant``, only if their bytes look relevant."""
    exclusion = exclusion or Exclusion()
    found: dict[Path, Candidate] = {}
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            base = path.resolve()
            ignores = _Ignores()
            repository = git_root(base)
            if repository is not None:
                # .gitignore files above the walked directory still apply to it
                chain = [repository, *reversed([p for p in base.parents if repository in p.parents])]
                for directory in chain:
                    if directory != base:
                        ignores.push(str(directory), str(directory / ".gitignore"))
                ignores.push(str(repository), str(repository / ".git" / "info" / "exclude"))
            for name, interests in _walk(str(base), ignores, exclusion):
                file = Path(name)
                interest = None if file in found else _relevant(name, interests)
                if interest is not None:
                    found[file] = Candidate(file, interest.kind, interest.syntax, False)
        else:
            file = path.resolve()
            if exclusion.spec is not None and exclusion.excluded(str(file), False):
                continue  # pre-commit names every changed file: a configured exclusion still holds
            if only_relevant and not exclusion.include_tests and _under_tests(file):
                continue  # the hook judges what `msglint .` judges: test code is left out there too
            interests = _classify(file.name)
            named = _relevant(str(file), interests)
            if only_relevant and named is None:
                continue  # pre-commit names every YAML and .properties file: only the ones that matter
            named = named or (interests[0] if interests else None)
            if named is not None:
                found[file] = Candidate(file, named.kind, named.syntax, True)
            elif file.suffix.lower() in _EXPLICIT_BY_SUFFIX:
                kind, syntax = _EXPLICIT_BY_SUFFIX[file.suffix.lower()]
                found[file] = Candidate(file, kind, syntax, True)
            # any other file named explicitly (pre-commit passes whatever matched) has nothing to check
    for candidate in list(found.values()):
        if candidate.explicit and candidate.kind == "manifest":
            _add_context(found, _kustomizations(candidate.path))
        if candidate.explicit and candidate.kind == "spring-config":
            _add_context(found, _spring_siblings(candidate.path))
    return sorted(found.values(), key=lambda c: str(c.path))


def _under_tests(file: Path) -> bool:
    """A file of test code: its name, or a directory between it and its repository (or the current
    directory), says so."""
    top = git_root(file.parent) or Path.cwd().resolve()
    try:
        parts = file.parent.relative_to(top).parts
    except ValueError:
        parts = ()
    return is_test_file(file.name) or any(is_test_dir(p) for p in parts)


def _add_context(found: dict[Path, Candidate], paths: Iterable[Path]) -> None:
    for path in paths:
        interest = None if path in found else _relevant(str(path), _classify(path.name))
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
