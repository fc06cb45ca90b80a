"""Generated secrets in every shape and syntax that keeps one never reach any output.

Each example writes a tree where the secrets sit next to lines that produce findings (a
properties file with ``acks=1`` beside its JAAS config, a minified definitions.json, a Deployment,
a nats-server.conf, ...), runs every output format, ``-q`` and ``msglint explain`` on a rule whose
examples are those files, and renders the text report with a finding on every line. Neither the
secret nor any 6-character piece of it may appear (nor its XML- or %-escaped spelling).

The default profile keeps this short; ``--hypothesis-profile=long`` runs the campaign.
"""

from __future__ import annotations

import base64
import html
import json
import os
import string
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote

from click.testing import CliRunner
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from msglint.cli import main
from tests.conftest import write
from tests.test_redact import every_line, pieces

ALNUM = string.ascii_letters + string.digits
BARE = ALNUM + "-_.!%+~"  # safe unquoted in every syntax here (no * ^: they are the report's own marks)
QUOTED = BARE + " ,;:()[]{}&<>#=@/$|?'"  # inside double quotes: all but the quote and the backslash
URI = ALNUM + "-_.~!$&'()+,;=%"  # a URI's password: unreserved and sub-delims
BASE32 = string.ascii_uppercase + "234567"


def _secret(alphabet: str) -> st.SearchStrategy[str]:
    # starts with a letter or digit: `--password -x` would be another flag, `- !x` a YAML tag
    return st.builds(lambda a, b: a + b, st.sampled_from(ALNUM), st.text(alphabet, min_size=7, max_size=39))


SEEDS = st.builds(
    lambda kind, rest: "S" + kind + rest, st.sampled_from("UAONCX"), st.text(BASE32, min_size=56, max_size=56)
)

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


def tree(b: str, q: str, u: str, seed: str) -> dict[str, str]:
    """A project with the secrets ``b`` (unquoted), ``q`` (in double quotes), ``u`` (a URI's password)
    and an nkeys ``seed`` in each shape, every file with findings of its own."""
    b64 = base64.b64encode(b.encode()).decode()
    definitions = {
        "rabbit_version": "3.13.7",
        "users": [{"name": "app", "password_hash": q, "tags": []}],
        "parameters": [
            {
                "component": "shovel",
                "name": "s",
                "vhost": "/",
                "value": {"src-uri": f"amqp://s:{u}@a", "dest-uri": [f"amqp://d:{u}@b", f"amqps://e:{u}@c"]},
            },
            {"component": "federation-upstream", "name": "f", "vhost": "/", "value": {"uri": f"amqp://f:{u}@d"}},
        ],
        "queues": [
            {"name": f"q{i}", "vhost": "/", "durable": False, "auto_delete": False, "arguments": {}} for i in range(30)
        ],
    }
    return {
        "producer.properties": (
            "bootstrap.servers=k:9092\nacks=1\n"
            "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\\n"
            f'    username="u" \\\n    password="{q}";\n'
            f"ssl.key.password={b}\nssl.truststore.password {b}\nbasic.auth.user.info=user:{b}\n"
        ),
        "application.yml": (
            "spring:\n  rabbitmq:\n"
            f"    addresses: app:{u}@rabbit:5672\n    password: {b}\n"
            "  kafka:\n    bootstrap-servers: k:9092\n    properties:\n      sasl:\n        jaas:\n"
            f'          config: org.apache.kafka.common.security.plain.PlainLoginModule required password="{q}";\n'
            f'    ssl:\n      key-store-password: "{q}"\n      trust-store-password: |\n        {b}\n'
            "    producer:\n      acks: 1\n"
        ),
        "broker/rabbitmq.conf": (
            f"default_user = admin\ndefault_pass = {b}\nvm_memory_high_watermark.relative = 0.9\n"
            f"management.ssl.password = {b}\n"
        ),
        "broker/advanced.config": (
            f'[{{rabbit, [{{default_pass, <<"{q}">>}}, {{consumer_timeout, undefined}}]}},\n'
            f' {{rabbitmq_shovel, [{{password, "{q}"}}]}}].\n'
        ),
        "broker/definitions.json": json.dumps(definitions, separators=(",", ":")),
        "nats/nats-server.conf": (
            "port: 4222\nserver_name: n1\njetstream { store_dir: /data }\n"
            f'authorization {{ user: a, password: "{q}" }}\n'
            f"cluster {{ name: c, routes: [nats://ru:{u}@a:6222, nats://ru:{u}@b:6222] }}\n"
            f'leafnodes {{ remotes: [ {{url: "nats://{b}@hub:7422"}} ] }}\n'
            f"accounts {{\n  A {{ users: [ {{user: b, pass: {b}}}, {{nkey: {seed}}} ] }}\n}}\n"
        ),
        "k8s/deploy.yaml": (
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n"
            "      containers:\n        - name: app\n          image: rabbitmq:3.13\n          env:\n"
            f'            - name: DB_PASSWORD\n              value: "{q}"\n'
            f"            - value: {b}\n              name: RABBITMQ_DEFAULT_PASS\n"
            f'            - {{name: API_TOKEN, value: "{q}"}}\n'
            f"          args:\n            - --password\n            - {b}\n"
            f'          command: ["rabbitmqadmin", "-p", "{q}", "list"]\n'
            "---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n"
            f'data:\n  uri: {b64}\nstringData:\n  password: "{q}"\n  user.creds: |\n'
            f"    -----BEGIN USER NKEY SEED-----\n    {seed}\n    ------END USER NKEY SEED------\n"
        ),
        "scripts/bootstrap.sh": (
            f"rabbitmqadmin -u admin -p {b} declare policy name=lazy pattern='.*' apply-to=queues "
            'definition=\'{"queue-mode":"lazy"}\'\n'
            f"rabbitmqadmin --password {b} list queues\nrabbitmqadmin --password={b} list queues\n"
            f"rabbitmqctl add_user ops {b}\ncurl -u admin:{b} http://rabbit:15672/api/overview\n"
        ),
        "app/worker.py": (
            "import pika\nfrom confluent_kafka import Producer\n"
            f'creds = pika.PlainCredentials("guest", "{q}"); ch.queue_declare(queue="invoices")\n'
            f'params = pika.ConnectionParameters("h", credentials=pika.PlainCredentials("guest", "{q}"))\n'
            f'more = pika.PlainCredentials(\n    "guest",\n    "{q}",\n)\n'
            f'p = Producer({{"bootstrap.servers": "k:9092", "acks": "1", "sasl.password": "{q}"}})\n'
        ),
        "src/main/java/app/Secrets.java": (
            "package app;\nimport java.util.Properties;\nimport org.apache.kafka.clients.producer.KafkaProducer;\n"
            "class Secrets {\n  KafkaProducer<String, String> create(CachingConnectionFactory cf) {\n"
            "    Properties props = new Properties();\n"
            f'    props.setProperty("ssl.truststore.password", "{q}"); props.put("acks", "1");\n'
            f'    props.put(SaslConfigs.SASL_JAAS_CONFIG, "x required password=\\"{q}\\";");\n'
            f'    cf.setPassword("{q}"); props.put("linger.ms", "0");\n'
            "    return new KafkaProducer<>(props);\n  }\n}\n"
        ),
        "nats/user.creds": (
            "-----BEGIN NATS USER JWT-----\neyJ0eXAiOiJKV1QifQ.eyJqdGkiOiJ4In0.c2ln\n------END NATS USER JWT------\n\n"
            f"-----BEGIN USER NKEY SEED-----\n{seed}\n------END USER NKEY SEED------\n"
        ),
    }


def explain_rule(files: dict[str, str]) -> str:
    """An organisation's rule whose examples are the generated files (``explain`` prints them)."""
    shown = ["producer.properties", "application.yml", "k8s/deploy.yaml", "broker/definitions.json"]
    example = [{"path": p, "content": files[p]} for p in shown]
    rule = {
        "code": "ORG901",
        "name": "secrets-in-examples",
        "severity": "warning",
        "entity": "kafka.producer",
        "summary": "Our producers wait for every replica.",
        "what": "Flags acks=1 in a producer.",
        "why": "One replica's acknowledgement loses writes.",
        "fix": "Set acks to all.",
        "references": [{"title": "Kafka", "url": "https://kafka.apache.org/documentation/"}],
        "check": {"setting": "acks", "fail_if": {"equals": "1"}, "message": "acks={value}"},
        "examples": [
            {
                "title": "t",
                "expect": "fire",
                "files": example,
                "findings": [{"path": "producer.properties", "line": 2, "column": 1}],
            },
            {"title": "u", "expect": "silent", "files": example},
        ],
    }
    return json.dumps(rule)  # JSON is YAML


@contextmanager
def project(files: dict[str, str]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="msglint-secrets-") as name:
        root = Path(name)
        write(root, {**files, "msglint.toml": 'rules = ["policy"]\n', "policy/org901.yml": explain_rule(files)})
        before = os.getcwd()
        os.chdir(root)
        try:
            yield root
        finally:
            os.chdir(before)


def outputs(files: dict[str, str]) -> str:
    """Everything msglint prints for the tree: every format, -q, explain, and every line as an excerpt."""
    out = []
    with project(files) as root:
        runner = CliRunner()
        for fmt in FORMATS:
            result = runner.invoke(main, ["check", ".", "nats/user.creds", "--format", fmt, "--fail-on", "info"])
            assert result.exit_code in (0, 1), result.output
            out.append(result.output)
        out.append(runner.invoke(main, ["check", ".", "-q", "--select", "ALL"]).output)
        explained = runner.invoke(main, ["explain", "ORG901"])
        assert explained.exit_code == 0 and "## Example" in explained.output, explained.output
        out.append(explained.output)
        out.append(every_line(root, files))
    return "\n".join(out)


REFERENCE = ("Bref0Ref0Ref0", "Qref0Ref0Ref0", "Uref0Ref0Ref0", "SU" + "A" * 56)


@lru_cache(maxsize=1)
def background() -> str:
    """What the report says anyway (templates, messages, rule texts): a generated secret whose piece
    is in it cannot be told from a leak, so it is not tried."""
    return outputs(tree(*REFERENCE)) + "\n".join(tree("", "", "", "").values())


def assert_hidden(output: str, secrets: list[str]) -> None:
    spellings = (output, html.unescape(output), unquote(output))  # JUnit XML, GitHub's %-escapes
    for secret in secrets:
        for piece in pieces(secret):
            for spelling in spellings:
                assert piece not in spelling, (secret, piece)


def _distinct(secrets: list[str]) -> None:
    noise = background()
    for secret in secrets:
        assume(not any(piece in noise for piece in pieces(secret)))


@settings(max_examples=max(30, settings().max_examples), deadline=None)
@given(b=_secret(BARE), q=_secret(QUOTED), u=_secret(URI), seed=SEEDS)
def test_no_generated_secret_is_printed_on_any_line(b: str, q: str, u: str, seed: str) -> None:
    secrets = [b, q, u, seed, base64.b64encode(b.encode()).decode()]
    _distinct(secrets)
    files = tree(b, q, u, seed)
    with tempfile.TemporaryDirectory(prefix="msglint-lines-") as name:
        report = every_line(Path(name), files) + every_line(Path(name), files, quiet=True)
    assert_hidden(report, secrets)


@settings(deadline=None)
@given(b=_secret(BARE), q=_secret(QUOTED), u=_secret(URI), seed=SEEDS)
def test_no_generated_secret_reaches_any_format_or_explain(b: str, q: str, u: str, seed: str) -> None:
    secrets = [b, q, u, seed, base64.b64encode(b.encode()).decode()]
    _distinct(secrets)
    assert_hidden(outputs(tree(b, q, u, seed)), secrets)


def test_the_tree_gives_findings_next_to_its_secrets() -> None:
    """The properties hold: the generated files are read and reported, excerpts included."""
    report = outputs(tree(*REFERENCE))
    for excerpt in (
        '3 | creds = pika.PlainCredentials("guest", ****); ch.queue_declare(queue="invoices")',
        '1 | [{rabbit, [{default_pass, <<"****">>}, {consumer_timeout, undefined}]},',
        "1 | rabbitmqadmin -u admin -p **** declare policy",
        '"password_hash":"****"',
    ):
        assert excerpt in report, excerpt
    for code in ("KP101", "RB304", "RQ105", "RQ102"):
        assert code in report
