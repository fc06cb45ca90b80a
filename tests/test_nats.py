"""NATS JetStream: durations, subjects, linking, and the whole picture on the bundled fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from msglint import engine
from msglint.checks.nats import subject_matches
from msglint.extract.nats import nanoseconds


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("30s", "30000000000"),
        ("1m30s", "90000000000"),
        ("250ms", "250000000"),
        ("1h", "3600000000000"),
        ("5000000000", "5000000000"),
        ("5x", None),
    ],
)
def test_durations_become_nanoseconds(text: str, ns: str | None) -> None:
    assert nanoseconds(text) == ns


@pytest.mark.parametrize(
    ("pattern", "subject", "expected"),
    [
        ("orders.*", "orders.paid", True),
        ("orders.*", "orders.paid.eu", False),
        ("orders.>", "orders.paid.eu", True),
        ("orders.>", "orders", False),
        ("orders.*", "orders.*", True),
        ("orders.*", "order.shipped", False),
        ("*.paid", "orders.paid", True),
    ],
)
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


def test_cli_info_output_is_read_from_its_config(lint) -> None:
    info = (
        '{\n  "stream_name": "ORDERS",\n  "name": "billing",\n  "config": {\n    "durable_name": "billing",\n'
        '    "ack_policy": "explicit",\n    "max_deliver": 5\n  },\n  "num_pending": 0\n}\n'
    )
    assert lint({"billing-consumer.json": info}).findings == []


def test_routes_count_servers_only_when_the_server_lists_itself(lint) -> None:
    peers_only = "server_name: n1\njetstream {\n  max_file_store: 1GB\n}\ncluster {\n  routes: [nats://n2:6222, nats://n3:6222]\n}\n"
    assert lint({"a/nats-server.conf": peers_only}, select=("NV303",)).findings == []


def test_application_yaml_with_a_retention_key_is_not_a_stream(lint) -> None:
    app = "retention: 30d\nstorage: memory\nsubjects:\n  - reports\n"
    assert lint({"config.yaml": app}).findings == []


def test_jetstream_block_can_disable_it_and_includes_make_it_unknown(tmp_path) -> None:
    from msglint.extract import nats
    from msglint.readers import natsconf

    class Doc:  # the few Document fields extract_server reads
        def __init__(self, text: str) -> None:
            self.yaml = [natsconf.parse(text)]
            self.display = "nats-server.conf"
            self.lines = text.splitlines()
            self.template_lines: set[int] = set()

    (off,) = nats.extract_server(Doc("port: 4222\njetstream {\n  enabled: false\n}\n"))  # type: ignore[arg-type]
    assert "jetstream" not in off.traits
    (included,) = nats.extract_server(Doc("port: 4222\ninclude ./js.conf\n"))  # type: ignore[arg-type]
    assert "includes" in included.traits
