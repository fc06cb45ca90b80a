"""Configuration files: discovery, validation, and what each key does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from msglint import config
from msglint.cli import main

ROOT = Path(__file__).resolve().parents[1]
PRODUCER = "acks=1\ncompression.type=lz4\n"  # KP101 (error) at line 1
CONSUMER = "group.id=g\nenable.auto.commit=true\nauto.offset.reset=earliest\n"  # KC201 (warning) at line 2


def _check(cwd: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def test_pyproject_is_found_walking_up_and_applies(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "x"\n\n[tool.msglint]\nignore = ["KC"]\nfail-on = "error"\n',
            "svc/producer.properties": PRODUCER,
            "svc/consumer.properties": CONSUMER,
        },
    )
    code, out, _ = _check(tmp_path, str(tmp_path / "svc"), "-q")
    assert "KP101" in out and "KC201" not in out and code == 1
    code, out, _ = _check(tmp_path, str(tmp_path / "svc" / "consumer.properties"), "-q", "--ignore", "KP")
    assert code == 0


def test_msglint_toml_wins_and_config_overrides(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "pyproject.toml": '[tool.msglint]\nselect = ["KC"]\n',
            "msglint.toml": 'select = ["KP"]\n',
            "other.toml": 'select = ["KC201"]\n',
            "producer.properties": PRODUCER,
            "consumer.properties": CONSUMER,
        },
    )
    _, out, _ = _check(tmp_path, str(tmp_path), "-q")
    assert "KP101" in out and "KC201" not in out
    _, out, _ = _check(tmp_path, str(tmp_path), "-q", "--config", str(tmp_path / "other.toml"))
    assert "KC201" in out and "KP101" not in out
    _, out, _ = _check(tmp_path, str(tmp_path), "-q", "--select", "KC")  # the command line wins
    assert "KC201" in out and "KP101" not in out


def test_unknown_keys_and_bad_values_are_errors_naming_file_key_and_choices(tmp_path: Path) -> None:
    _tree(tmp_path, {"msglint.toml": 'selct = ["KP"]\n', "producer.properties": PRODUCER})
    code, _, err = _check(tmp_path, str(tmp_path))
    assert code == 2 and "msglint.toml" in err and "unknown key `selct`" in err and "select" in err
    (tmp_path / "msglint.toml").write_text('fail-on = "loud"\n')
    code, _, err = _check(tmp_path, str(tmp_path))
    assert code == 2 and "`fail-on`" in err and "'error', 'warning' or 'info'" in err
    (tmp_path / "msglint.toml").write_text('select = ["KP"\nignore = []\n')
    code, _, err = _check(tmp_path, str(tmp_path))
    assert code == 2 and "not valid TOML" in err and "line" in err
    (tmp_path / "msglint.toml").write_text("[options.KC215]\nmin-ms = 5\n")
    code, _, err = _check(tmp_path, str(tmp_path))
    assert code == 2 and "options.KC215.min-ms" in err and "min-ms-per-record" in err
    (tmp_path / "msglint.toml").write_text("[options.XX999]\nx = 1\n")
    code, _, err = _check(tmp_path, str(tmp_path))
    assert code == 2 and "no such rule" in err


def test_per_file_ignores_severities_and_options(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "msglint.toml": '[per-file-ignores]\n"legacy/**" = ["KP101"]\n\n[severity]\nKC201 = "info"\n\n'
            "[options.KC215]\nmin-ms-per-record = 1000\n",
            "legacy/producer.properties": PRODUCER,
            "new/producer.properties": PRODUCER,
            "consumer.properties": CONSUMER + "max.poll.records=500\nmax.poll.interval.ms=300000\n",
        },
    )
    _, out, _ = _check(tmp_path, str(tmp_path), "--format", "json")
    findings = {(Path(f["path"]).parent.name or ".", f["code"], f["severity"]) for f in json.loads(out)["findings"]}
    assert ("new", "KP101", "error") in findings and not any(p == "legacy" and c == "KP101" for p, c, _ in findings)
    assert ("legacy", "KP105", "warning") in findings  # only the listed codes are ignored there
    assert (tmp_path.name, "KC201", "info") in findings
    assert any(c == "KC215" for _, c, _ in findings)  # 500 records x 1000 ms > 300000 ms


def test_exclude_replaces_the_built_in_list_and_extend_exclude_adds(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "build/producer.properties": PRODUCER,
            "vendor/producer.properties": PRODUCER,
            "app/producer.properties": PRODUCER,
        },
    )
    _, out, _ = _check(tmp_path, str(tmp_path), "-q")
    assert "vendor/" in out and "build/" not in out
    (tmp_path / "msglint.toml").write_text('extend-exclude = ["vendor/"]\n')
    _, out, _ = _check(tmp_path, str(tmp_path), "-q")
    assert "vendor/" not in out and "build/" not in out and "app/" in out
    (tmp_path / "msglint.toml").write_text('exclude = ["app/"]\n')
    _, out, _ = _check(tmp_path, str(tmp_path), "-q")
    assert "build/" in out and "app/" not in out
    code, out, _ = _check(tmp_path, str(tmp_path / "app" / "producer.properties"), "-q")
    assert code == 0  # a named file (pre-commit) stays excluded


def test_semgrep_rules_key_is_relative_to_the_configuration(tmp_path: Path) -> None:
    from msglint import semgrep

    try:
        semgrep.executable()
    except semgrep.SemgrepError:  # pragma: no cover - the test extra installs semgrep
        return
    _tree(
        tmp_path,
        {
            "ci/msglint.toml": 'semgrep-rules = ["../team-rules"]\n',
            "team-rules/no-produce.yml": "rules:\n  - id: team-no-produce\n    languages: [python]\n"
            "    severity: ERROR\n"
            "    message: no direct produce\n    pattern: $P.produce(...)\n",
            "app/events.py": 'from confluent_kafka import Producer\np = Producer({"compression.type": "lz4"})\n'
            'p.produce("t", b"x")\np.flush()\n',
        },
    )
    code, out, _ = _check(tmp_path, str(tmp_path / "app"), "-q", "--config", str(tmp_path / "ci" / "msglint.toml"))
    assert code == 1 and "team-no-produce" in out


def test_the_published_schema_matches_the_model() -> None:
    published = json.loads((ROOT / "msglint.schema.json").read_text())
    assert published == config.json_schema(), "regenerate with: msglint config-schema > msglint.schema.json"


def test_pydantic_is_imported_only_for_a_configuration_not_seen_before(tmp_path: Path) -> None:
    import os

    (tmp_path / "producer.properties").write_text(PRODUCER)
    code = (
        "import sys; from msglint.cli import main; sys.argv=['msglint', sys.argv[1], '-q']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\nprint('pydantic' in sys.modules)"
    )
    env = {**os.environ, "MSGLINT_CACHE_DIR": str(tmp_path / "cache")}

    def imported() -> str:
        out = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, env=env
        )
        return out.stdout.strip().splitlines()[-1]

    assert imported() == "False"  # no configuration
    (tmp_path / "msglint.toml").write_text('ignore = ["KP302"]\n')
    assert imported() == "True"  # checked once
    assert imported() == "False"  # then taken from the cache
    (tmp_path / "msglint.toml").write_text('ignore = ["KP3O2"]\nfail-on = "loud"\n')
    assert imported() == "True"  # a changed table is checked again


POLICY = """code: ORG101
name: topic-min-isr-below-two
severity: error
entity: kafka.topic
summary: Our topics keep min.insync.replicas at 2 or more.
what: Flags a topic whose min.insync.replicas, written or inherited, is below 2.
why: With one in-sync replica an acknowledged write lives on one disk; our policy requires two.
fix: Set min.insync.replicas to 2 (with replication factor 3).
references:
  - title: Apache Kafka, min.insync.replicas
    url: https://kafka.apache.org/documentation/#topicconfigs_min.insync.replicas
check:
  setting: min.insync.replicas
  fail_if: {lt: 2}
  when_unset: skip
  message: "min.insync.replicas={value}: our policy needs at least 2"
  fix: {set: 2}
examples:
  - title: one replica must acknowledge
    expect: fire
    files:
      - path: topic.yaml
        content: "{kind: KafkaTopic, metadata: {name: t}, spec: {config: {min.insync.replicas: 1}}}"
    findings:
      - {path: topic.yaml, line: 1, column: 1}
  - title: two must
    expect: silent
    files:
      - path: topic.yaml
        content: "{kind: KafkaTopic, metadata: {name: t}, spec: {config: {min.insync.replicas: 2}}}"
"""
TOPIC = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: orders
  labels:
    strimzi.io/cluster: main
spec:
  partitions: 3
  replicas: 3
  config:
    min.insync.replicas: 1
"""


def test_an_organisations_own_rules_run_as_data(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {"msglint.toml": 'rules = ["policy"]\nselect = ["ORG"]\n', "policy/org101.yml": POLICY, "topic.yaml": TOPIC},
    )
    code, out, _ = _check(tmp_path, str(tmp_path), "-q")
    assert code == 1 and "topic.yaml:11" in out and "ORG101" in out and "our policy needs at least 2" in out


def test_an_own_rule_must_be_valid_data_with_a_new_code(tmp_path: Path) -> None:
    _tree(tmp_path, {"msglint.toml": 'rules = ["policy"]\n', "topic.yaml": TOPIC})
    for broken, expected in (
        (POLICY.replace("severity: error", "severity: fatal"), "`severity`"),
        (POLICY.replace("code: ORG101", "code: KP101"), "already a rule"),
        (
            POLICY.replace(
                "  setting: min.insync.replicas\n  fail_if: {lt: 2}\n  when_unset: skip\n"
                '  message: "min.insync.replicas={value}: our policy needs at least 2"\n  fix: {set: 2}\n',
                "  python: os.path:join\n",
            ),
            "is data",
        ),
    ):
        _tree(tmp_path, {"policy/org101.yml": broken})
        code, _, err = _check(tmp_path, str(tmp_path))
        assert code == 2 and "org101.yml" in err and expected in err, err


def test_environments_mark_development_settings_where_durability_rules_relax(tmp_path: Path) -> None:
    _tree(
        tmp_path,
        {
            "src/main/resources/application.yml": "spring:\n  kafka:\n    producer:\n      acks: 1\n",
            "src/main/resources/application-qa.yml": "spring:\n  kafka:\n    producer:\n      acks: 0\n",
            "src/main/resources/application-local.yml": "spring:\n  kafka:\n    producer:\n      acks: 0\n",
            "sandbox/producer.properties": "acks=1\ncompression.type=lz4\n",
        },
    )
    _, out, _ = _check(tmp_path, str(tmp_path), "-q", "--select", "KP101")
    assert "application.yml:4" in out and "application-qa.yml" in out
    assert "application-local.yml" not in out  # the default words: local, dev, test, ...
    (tmp_path / "msglint.toml").write_text('[environments]\nprofiles = ["qa"]\npaths = ["sandbox/**"]\n')
    _, out, _ = _check(tmp_path, str(tmp_path), "-q", "--select", "KP101")
    assert "application.yml:4" in out and "application-qa.yml" not in out and "sandbox" not in out
    assert "application-local.yml" in out  # the list replaces the default words


def test_rules_and_explain_include_the_organisations_own(tmp_path: Path, monkeypatch) -> None:
    _tree(tmp_path, {"msglint.toml": 'rules = ["policy"]\n', "policy/org101.yml": POLICY})
    monkeypatch.chdir(tmp_path)
    listed = CliRunner().invoke(main, ["rules"])
    assert listed.exit_code == 0 and "ORG101" in listed.stdout and "KP101" in listed.stdout
    explained = CliRunner().invoke(main, ["explain", "ORG101"])
    assert explained.exit_code == 0 and "min.insync.replicas" in explained.stdout


def test_an_own_rule_never_shows_a_secret_value(tmp_path: Path) -> None:
    rule = (
        POLICY.replace("entity: kafka.topic", "entity: kafka.producer")
        .replace(
            "  setting: min.insync.replicas\n  fail_if: {lt: 2}\n",
            '  setting: sasl.jaas.config\n  fail_if: {not_equals: ""}\n',
        )
        .replace('"min.insync.replicas={value}: our policy needs at least 2"', '"jaas={value}: use a secret store"')
    )
    jaas = 'acks=all\ncompression.type=lz4\nsasl.jaas.config=PlainLoginModule required password="hunter2";\n'
    _tree(
        tmp_path,
        {
            "msglint.toml": 'rules = ["policy"]\nselect = ["ORG"]\n',
            "policy/org101.yml": rule,
            "producer.properties": jaas,
        },
    )
    for output_format in ("text", "json", "sarif", "github", "junit", "gitlab"):
        code, out, _ = _check(tmp_path, str(tmp_path), "--format", output_format)
        assert code == 1 and "hunter2" not in out and "use a secret store" in out, output_format
