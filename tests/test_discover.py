from __future__ import annotations

import subprocess
from pathlib import Path

from msglint.discover import discover
from tests.conftest import write

KAFKA_YAML = "spring:\n  kafka:\n    producer:\n      acks: all\n"


def names(root: Path, *paths: Path | str) -> list[str]:
    return [c.path.relative_to(root).as_posix() for c in discover([str(p) for p in (paths or (root,))])]


def test_skips_vendored_build_and_virtualenv_dirs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/main/resources/application.yml": KAFKA_YAML,
            "node_modules/x/application.yml": KAFKA_YAML,
            "target/classes/application.yml": KAFKA_YAML,
            "build/resources/application.yml": KAFKA_YAML,
            ".git/application.yml": KAFKA_YAML,
            "env1/pyvenv.cfg": "home = /usr\n",
            "env1/lib/application.yml": KAFKA_YAML,
        },
    )
    assert names(tmp_path) == ["src/main/resources/application.yml"]


def test_gitignore_nested_and_negated(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write(
        tmp_path,
        {
            ".gitignore": "generated/\n*.local.properties\n",
            "svc/.gitignore": "application-secret.yml\n!keep.local.properties\n",
            "generated/application.yml": KAFKA_YAML,
            "svc/application.yml": KAFKA_YAML,
            "svc/application-secret.yml": KAFKA_YAML,
            "svc/dev.local.properties": "acks=1\n",
            "svc/keep.local.properties": "acks=1\n",
        },
    )
    assert names(tmp_path) == ["svc/application.yml", "svc/keep.local.properties"]
    # the .gitignore of the repository applies when a subdirectory is walked, too
    assert names(tmp_path, tmp_path / "svc") == ["svc/application.yml", "svc/keep.local.properties"]


def test_explicit_files_are_always_read(tmp_path: Path) -> None:
    write(tmp_path, {".gitignore": "*.yml\n", "kafka-settings.yml": KAFKA_YAML, "notes.txt": "acks=1\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    found = discover([str(tmp_path / "kafka-settings.yml"), str(tmp_path / "notes.txt")])
    assert [c.path.name for c in found if c.skipped is None] == ["kafka-settings.yml"]
    # a named file msglint does not read is said to be unread, never silently passed over
    assert [(c.path.name, (c.skipped or "")[:9]) for c in found if c.skipped] == [("notes.txt", "not read:")]


def test_prefilter_leaves_files_that_cannot_matter_unparsed(lint) -> None:
    # broken, but nothing in them is about Kafka: never parsed, so no parse finding either
    result = lint(
        {
            "application.yml": "server:\n  port: [8080\n",
            "messages_fr.properties": "greeting=Bonjour \\u00G9\n",
            "src/consumer.properties": "group.id=billing\nauto.offset.reset=earliest\nenable.auto.commit=false\n",
        }
    )
    assert result.files == 1
    assert result.findings == []


def test_a_name_is_classified_as_every_pattern_would() -> None:
    """The walk tries only the interests whose patterns could end like the name (by suffix): the
    same interests as trying every pattern, for names of every shape."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from msglint import discover

    parts = st.sampled_from(["application", "app", "rabbitmq", "nats", "kustomization", "Makefile", "x", "", "-dev"])
    suffixes = st.sampled_from(
        ["", ".yml", ".yaml", ".YML", ".properties", ".conf", ".config", ".json", ".py", ".j2", "."]
    )

    @settings(max_examples=300, deadline=None)
    @given(st.lists(st.tuples(parts, suffixes), min_size=1, max_size=3))
    def check(pieces: list[tuple[str, str]]) -> None:
        name = "".join(a + b for a, b in pieces)
        assert discover._classify(name) == [i for i in discover.INTERESTS if i.pattern.match(name)]

    check()
