"""NATS JetStream: durations, subjects, linking, and the whole picture on the bundled fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint import engine
from msglint.checks.nats import subject_matches
from msglint.extract.nats import nanoseconds


@pytest.mark.parametrize(
    ("text", "ns"),
    [("30s", "30000000000"), ("1m30s", "90000000000"), ("250ms", "250000000"), ("1h", "3600000000000"),
     ("5000000000", "5000000000"), ("5x", None)],
)  # fmt: skip
def test_durations_become_nanoseconds(text: str, ns: str | None) -> None:
    assert nanoseconds(text) == ns


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [("orders.*", "orders.paid", True), ("orders.*", "orders.paid.eu", False), ("orders.>", "orders.paid.eu", True),
     ("orders.>", "orders", False), ("orders.*", "orders.*", True), ("orders.*", "order.shipped", False),
     ("*.paid", "orders.paid", True)],
)  # fmt: skip
def test_subject_wildcards(pattern: str, subject: str, expected: bool) -> None:
    assert subject_matches(pattern, subject) is expected


def test_consumers_link_to_their_stream_in_the_same_namespace(lint) -> None:
    stream = (
        "apiVersion: jetstream.nats.io/v1beta2\nkind: Stream\nmetadata:\n  name: s\n  namespace: {ns}\nspec:\n"
        '  name: orders\n  subjects: ["orders.*"]\n  storage: file\n  replicas: 3\n  maxAge: 1h\n'
    )
    consumer = (
        "apiVersion: jetstream.nats.io/v1beta2\nkind: Consumer\nmetadata:\n  name: c\n  namespace: b\nspec:\n"
        "  streamName: orders\n  durableName: c\n  ackPolicy: explicit\n  maxDeliver: 3\n  replicas: 5\n"
    )
    files = {"a.yaml": stream.format(ns="a"), "b.yaml": stream.format(ns="b"), "c.yaml": consumer}
    result = lint(files, select=("NX401",))
    (finding,) = result.findings
    assert finding.path == "c.yaml" and "stream orders has 3" in finding.message


def test_undefined_environment_variables_in_the_server_config_stay_unknown(lint) -> None:
    files = {"nats-server.conf": "server_name: $SERVER_NAME\njetstream {\n  max_file_store: $STORE\n}\n"}
    result = lint(files)
    assert result.findings == [] and not result.errors


def test_bundled_nats_fixtures_cover_every_rule() -> None:
    root = Path(__file__).resolve().parents[1]
    result = engine.run([str(root / "fixtures" / "nats")], cwd=root)
    codes = {f.code for f in result.findings}
    expected = {"NC101", "NC102", "NC103", "NC104", "NS201", "NS202", "NS203", "NS204", "NV301", "NV302", "NV303"}
    assert expected | {"NX401"} <= codes
    assert not [f for f in result.findings if "/good/" in f.path]
