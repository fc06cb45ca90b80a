"""Redaction: every place a syntax keeps a secret is masked wherever the text report prints source,
a line is judged once with the lines around it, long lines are cut to a window, and the scan is
linear on hostile input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint.cli import main
from msglint.engine import Result
from msglint.model import Edit, Finding, Fix, Related, Span
from msglint.redact import MASK, Redactor, redact_line, redact_text
from msglint.reporters import text
from tests.conftest import write

SEED = "SUAMLK2ZNL35WSMW37E7UD4VZ7ELPKW7DHC3BWBSD2GCZ7IUQQXZIORRBU"  # an nkeys user seed: 58 characters
JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJlZDI1NTE5LW5rZXkifQ.eyJqdGkiOiJMT0c1In0.dGhlc2lnbmF0dXJlaGVyZQ"


def pieces(secret: str) -> list[str]:
    """Every 6-character piece of a secret: none of them may be printed."""
    return [secret[i : i + 6] for i in range(len(secret) - 5)] or [secret]


def assert_hidden(output: str, *secrets: str) -> None:
    for secret in secrets:
        for piece in pieces(secret):
            assert piece not in output, (secret, piece, output)


def every_line(cwd: Path, files: dict[str, str], quiet: bool = False) -> str:
    """The text report of a finding on every line of every file (at several columns of a long line),
    so that every line is printed as an excerpt whether or not a rule fires on it."""
    write(cwd, files)
    findings = []
    for path, content in files.items():
        for number, line in enumerate(content.split("\n"), 1):
            for column in range(1, max(2, len(line) + 1), 37 if len(line) > text.WIDTH else 10**9):
                findings.append(Finding("X1", "x", "warning", path, Span(number, column, number, column + 3), "m"))
    return text.render(Result(findings=findings, files=len(files)), cwd, colour=False, quiet=quiet)


# Each leak the issue lists: (file, content, secret). The secret never appears on a line that a
# rule would not print; here every line is printed.
SHAPES = {
    "uri-amqp": (
        "application.properties",
        "spring.rabbitmq.addresses=amqp://app:Amqp0Pass9@rabbit:5672/prod\n",
        "Amqp0Pass9",
    ),
    "uri-list": (
        "nats-server.conf",
        "cluster {\n  routes: [nats://ru:R0utePass7@a:6222, nats://ru:R0utePass7@b:6222]\n}\n",
        "R0utePass7",
    ),
    "uri-routes-lines": (
        "nats-server.conf",
        "routes = [\n  nats-route://ru:R0utePass8@a:6222\n  nats://ru:R0utePass8@b:6222\n]\n",
        "R0utePass8",
    ),
    "uri-token": ("nats.yaml", "url: nats://T0kenOnly55@nats:4222\n", "T0kenOnly55"),
    "uri-no-scheme": (
        "application.yml",
        "spring:\n  rabbitmq:\n    addresses: app:N0Scheme44@rabbit:5672\n",
        "N0Scheme44",
    ),
    "uri-json-escaped": (
        "definitions.json",
        '{"parameters": [{"value": {"src-uri": "amqp:\\/\\/u:Esc4ped11@h"}}]}\n',
        "Esc4ped11",
    ),
    "rabbitmqadmin-p": ("scripts/setup.sh", "rabbitmqadmin -u admin -p Adm1nPass0 list queues\n", "Adm1nPass0"),
    "rabbitmqadmin-p-joined": ("scripts/setup.sh", "rabbitmqadmin -u admin -pAdm1nPass1 list queues\n", "Adm1nPass1"),
    "rabbitmqadmin-password": ("Makefile", "setup:\n\trabbitmqadmin --password Adm1nPass2 list queues\n", "Adm1nPass2"),
    "rabbitmqadmin-password-eq": ("scripts/setup.sh", "rabbitmqadmin --password=Adm1nPass3 list\n", "Adm1nPass3"),
    "rabbitmqadmin-continued": (
        "scripts/setup.sh",
        "rabbitmqadmin -u admin \\\n  -p Adm1nPass4 \\\n  list queues\n",
        "Adm1nPass4",
    ),
    "rabbitmqctl-add-user": ("scripts/setup.sh", 'rabbitmqctl add_user ops "Ctl0Pass55"\n', "Ctl0Pass55"),
    "curl-user": ("scripts/setup.sh", "curl -u admin:Curl0Pass6 http://rabbit:15672/api/overview\n", "Curl0Pass6"),
    "nats-pass": ("nats-server.conf", "authorization {\n  user: a\n  pass: NatsPass01\n}\n", "NatsPass01"),
    "nats-password-inline": ("nats-server.conf", "authorization { user: a, password: NatsPass02 }\n", "NatsPass02"),
    "nats-token": ("nats-server.conf", 'authorization {\n  token: "NatsTok0n3"\n}\n', "NatsTok0n3"),
    "nats-space": ("nats-server.conf", "authorization {\n  password NatsPass04\n}\n", "NatsPass04"),
    "nats-users-list": (
        "nats-server.conf",
        "accounts { A { users = [ {user: a, password: NatsPass05} ] } }\n",
        "NatsPass05",
    ),
    "erlang-default-pass": (
        "advanced.config",
        '[{rabbit, [{default_pass, <<"Erl0Pass66">>}, {consumer_timeout, undefined}]}].\n',
        "Erl0Pass66",
    ),
    "erlang-password": ("advanced.config", '[{rabbitmq_shovel, [{password, "Erl0Pass67"}]}].\n', "Erl0Pass67"),
    "jaas-continued": (
        "producer.properties",
        "acks=1\nsasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\\n"
        '  username="u" \\\n  password="Jaas0Pass7";\n',
        "Jaas0Pass7",
    ),
    "properties-continued-value": (
        "producer.properties",
        "ssl.key.password=Cont0Pass1\\\n    Cont0Pass2\n",
        "Cont0Pass2",
    ),
    "properties-space": ("producer.properties", "ssl.truststore.password Spc0Pass33\n", "Spc0Pass33"),
    "properties-colon": ("producer.properties", "ssl.keystore.password: Col0Pass44\n", "Col0Pass44"),
    "properties-comment": ("producer.properties", "#ssl.keystore.password=Com0Pass55\n", "Com0Pass55"),
    "deployment-env": (
        "deploy.yaml",
        "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          env:\n"
        "            - name: DB_PASSWORD\n              value: Env0Pass11\n            - name: PLAIN\n"
        "              value: visible\n",
        "Env0Pass11",
    ),
    "deployment-env-value-first": (
        "deploy.yaml",
        'env:\n  - value: "Env0Pass22"\n    name: RABBITMQ_DEFAULT_PASS\n',
        "Env0Pass22",
    ),
    "deployment-env-flow": ("deploy.yaml", "env:\n  - {name: API_TOKEN, value: Env0Pass33}\n", "Env0Pass33"),
    "deployment-env-block": (
        "deploy.yaml",
        "env:\n  - name: KAFKA_SASL_JAAS_CONFIG\n    value: >-\n      org.apache.kafka.common.security.plain.PlainLoginModule\n"  # noqa: E501
        "      required username=u secret=Env0Pass44;\n",
        "Env0Pass44",
    ),
    "deployment-args": ("deploy.yaml", "args:\n  - --password\n  - Arg0Pass55\n", "Arg0Pass55"),
    "deployment-args-rabbitmqadmin": (
        "deploy.yaml",
        "command:\n  - rabbitmqadmin\n  - -p\n  - Arg0Pass66\n  - list\n",
        "Arg0Pass66",
    ),
    "deployment-args-json": ("deploy.yaml", 'command: ["rabbitmqadmin", "-p", "Arg0Pass77", "list"]\n', "Arg0Pass77"),
    "compose-env-list": ("docker-compose.yml", "environment:\n  - RABBITMQ_DEFAULT_PASS=Cmp0Pass88\n", "Cmp0Pass88"),
    "secret-data": (
        "secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: rabbit\ndata:\n  uri: U2VjcjN0RGF0YTk5\n",
        "U2VjcjN0RGF0YTk5",
    ),
    "secret-data-after-data": (  # kind comes after data
        "secret.yaml",
        "---\nstringData:\n  connection: S3cretStr1ng\napiVersion: v1\nkind: Secret\n",
        "S3cretStr1ng",
    ),
    "secret-string-data-block": (
        "secret.yaml",
        f"kind: Secret\nstringData:\n  user.creds: |\n    -----BEGIN USER NKEY SEED-----\n    {SEED}\n"
        "    ------END USER NKEY SEED------\n  plain.txt: |\n    Blk0Sxcrt99\n",
        "Blk0Sxcrt99",
    ),
    "yaml-block-scalar": (
        "application.yml",
        "spring:\n  kafka:\n    ssl:\n      key-password: |\n        Blk0Pass123\n",
        "Blk0Pass123",
    ),
    "yaml-nested-jaas": (
        "application.yml",
        "spring:\n  kafka:\n    properties:\n      sasl:\n        jaas:\n          config: Nst0Jaas456\n",
        "Nst0Jaas456",
    ),
    "yaml-quoted-continued": ("application.yml", 'password: "Qt0Part111\n  Qt0Part222"\n', "Qt0Part222"),
    "pika-plain-credentials": (
        "worker.py",
        'import pika\ncreds = pika.PlainCredentials("guest", "Pika0Pass1"); ch.queue_declare(queue="q")\n',
        "Pika0Pass1",
    ),
    "pika-credentials-keyword": (
        "worker.py",
        'import pika\np = pika.ConnectionParameters("h", credentials=pika.PlainCredentials("guest", "Pika0Pass2"))\n',
        "Pika0Pass2",
    ),
    "pika-credentials-lines": (
        "worker.py",
        'import pika\ncreds = pika.PlainCredentials(\n    "guest",\n    "Pika0Pass3",\n)\n',
        "Pika0Pass3",
    ),
    "python-dict": ("producer.py", 'p = Producer({"acks": "1", "sasl.password": "Py0Pass444"})\n', "Py0Pass444"),
    "python-keyword": ("producer.py", 'p = KafkaProducer(sasl_plain_password="Py0Pass555", acks=1)\n', "Py0Pass555"),
    "python-environ": ("producer.py", 'os.environ["DB_PASSWORD"] = "Py0Pass666"\n', "Py0Pass666"),
    "python-annotation": ("producer.py", 'def connect(password: str = "Py0Pass777"): ...\n', "Py0Pass777"),
    "java-put": ("Client.java", 'props.put("ssl.key.password", "Jv0Pass111"); props.put("acks", "1");\n', "Jv0Pass111"),
    "java-constant": (
        "Client.java",
        'props.put(SaslConfigs.SASL_JAAS_CONFIG, "x required password=\\"Jv0Pass222\\";");\n',
        "Jv0Pass222",
    ),
    "java-map-of": (
        "Client.java",
        'Map.of("acks", "1", "ssl.truststore.password", "Jv0Pass333", "retries", "0")\n',
        "Jv0Pass333",
    ),
    "java-setter": ("Client.java", 'cf.setPassword("Jv0Pass444"); cf.setUsername("u");\n', "Jv0Pass444"),
    "java-builder": (
        "Client.java",
        'Connection c = factory.username("u").password("Jv0Pass555").build();\n',
        "Jv0Pass555",
    ),
    "java-jaas-string": (
        "Client.java",
        'String cfg = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\\"u\\" password=\\"Jv0Pass666\\";";\n',  # noqa: E501
        "Jv0Pass666",
    ),
    "java-system-property": ("run.sh", "java -Dspring.rabbitmq.password=Jv0Pass777 -jar app.jar\n", "Jv0Pass777"),
    "nkeys-seed": ("nats-server.conf", f"authorization {{ users = [ {{ nkey: {SEED} }} ] }}\n", SEED),
    "nkeys-seed-python": ("sub.py", f'nc = await nats.connect(nkeys_seed_str="{SEED}")\n', SEED),
    "creds-file": (
        "user.creds",
        f"-----BEGIN NATS USER JWT-----\n{JWT}\n------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
        f"-----BEGIN USER NKEY SEED-----\n{SEED}\n------END USER NKEY SEED------\n",
        SEED,
    ),
    "creds-jwt": ("user.creds", f"-----BEGIN NATS USER JWT-----\n{JWT}\n------END NATS USER JWT------\n", JWT),
    "private-key-in-code": (
        "Tls.java",
        'String key = "-----BEGIN PRIVATE KEY-----\\n" +\n    "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n" +\n'
        '    "-----END PRIVATE KEY-----";\n',
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    ),
    "definitions-minified": (
        "definitions.json",
        json.dumps(
            {
                "users": [{"name": "app", "password_hash": "H4shValue0Z", "tags": []}],
                "parameters": [
                    {
                        "component": "shovel",
                        "value": {"src-uri": "amqp://s:Shov0Pass1@a", "dest-uri": "amqp://d:Shov0Pass1@b"},
                    },
                    {"component": "federation-upstream", "value": {"uri": ["amqp://f:Shov0Pass1@c"]}},
                ],
                "queues": [{"name": f"q{i}", "durable": False} for i in range(40)],
            },
            separators=(",", ":"),
        )
        + "\n",
        "Shov0Pass1",
    ),
    "definitions-hash": (
        "definitions.json",
        json.dumps({"users": [{"name": "app", "password_hash": "H4shValue1Z", "tags": []}], "queues": []}) + "\n",
        "H4shValue1Z",
    ),
    "authorization-header": ("call.sh", 'curl -H "Authorization: Bearer Bear0Tok3n9" http://h\n', "Bear0Tok3n9"),
    "redis-requirepass": ("redis.conf", "appendonly no\nrequirepass Red1sPassW0rd\n", "Red1sPassW0rd"),
    "redis-masterauth": ("redis.conf", 'appendonly no\nmasterauth "M4sterAuth9"\n', "M4sterAuth9"),
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_is_masked_wherever_its_line_is_printed(tmp_path: Path, shape: str) -> None:
    path, content, secret = SHAPES[shape]
    report = every_line(tmp_path, {path: content})
    assert_hidden(report, secret)
    assert MASK in report


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_shape_stays_masked_through_the_whole_cli_in_every_format(tmp_path: Path, monkeypatch, shape: str) -> None:
    path, content, secret = SHAPES[shape]
    write(
        tmp_path,
        {path: content, "producer.properties": "acks=1\n" + (content if path == "producer.properties" else "")},
    )
    monkeypatch.chdir(tmp_path)
    for fmt in ("text", "json", "sarif", "github", "junit", "gitlab"):
        for quiet in ([], ["-q"]) if fmt == "text" else ([],):
            result = CliRunner().invoke(main, ["check", ".", path, "--format", fmt, "--fail-on", "info", *quiet])
            assert result.exit_code in (0, 1), result.output
            assert_hidden(result.output, secret)


def test_rules_print_the_masked_lines_of_real_findings(tmp_path: Path, monkeypatch) -> None:
    """Lines a rule points at, as a user sees them: masked, and still recognisable."""
    files = {
        "scripts/bootstrap.sh": (
            "rabbitmqadmin -u admin -p Adm1nPassX declare policy name=lazy pattern='.*' apply-to=queues "
            'definition=\'{"queue-mode":"lazy"}\'\n'
        ),
        "broker/advanced.config": '[{rabbit, [{default_pass, <<"ErlPassword77">>}, {consumer_timeout, undefined}]}].\n',
        "app/worker.py": (
            'import pika\ncreds = pika.PlainCredentials("guest", "PikaPass991"); ch.queue_declare(queue="invoices")\n'
        ),
        "client.properties": "acks=1\n",
    }
    write(tmp_path, files)
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["check", ".", "--fail-on", "info"]).output
    assert '2 | creds = pika.PlainCredentials("guest", ****); ch.queue_declare(queue="invoices")' in out
    assert '1 | [{rabbit, [{default_pass, <<"****">>}, {consumer_timeout, undefined}]}].' in out
    assert "1 | rabbitmqadmin -u admin -p **** declare policy" in out
    assert_hidden(out, "Adm1nPassX", "ErlPassword77", "PikaPass991")


def test_what_is_not_secret_is_shown_as_written() -> None:
    plain = [
        "acks=1",
        "rabbitmqctl -p vhost1 set_policy lazy '^a' '{\"queue-mode\":\"lazy\"}'",  # -p is rabbitmqctl's vhost
        '{"name": "guest", "routing_key": "orders.created", "durable": false}',
        "if (props.containsKey(key)) { send10MessagesWithKey(2, topic); }",
        'private static final String TOPIC = "orders";',
        "x-dead-letter-routing-key: retry",
        "automountServiceAccountToken: false",
        "password = None",
        "git@github.com:org/repo.git",
        "image: rabbitmq:3.13-management@sha256:abc",
        "selectionKeys.forEach(k -> k.cancel());",
    ]
    for line in plain:
        assert redact_line(line) == line
    lines = ["env:", "  - name: PLAIN", "    value: visible", "  - name: DB_PASSWORD", "    value: hidden"]
    assert Redactor(lines, "deploy.yaml").text().split("\n") == [*lines[:4], "    value: ****"]


def test_a_minified_file_is_cut_to_a_window_with_the_caret_on_the_finding(tmp_path: Path, monkeypatch) -> None:
    queues = [{"name": f"q{i:04d}", "vhost": "/", "durable": False, "arguments": {}} for i in range(1000)]
    definitions = {
        "rabbit_version": "3.13.7",
        "users": [{"name": "app", "password_hash": "HashSecret123456", "tags": []}],
        "parameters": [{"component": "shovel", "name": "s", "value": {"src-uri": "amqp://u:ShovelPw9876@src"}}],
        "queues": queues,
    }
    write(tmp_path, {"definitions.json": json.dumps(definitions, separators=(",", ":"))})
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["check", "definitions.json", "--select", "RQ105"]).output
    lines = out.split("\n")
    excerpts = [(i, line) for i, line in enumerate(lines) if line.startswith("1 | ")]
    assert len(excerpts) == 1000
    for i, line in excerpts:
        shown = line[len("1 | ") :]
        assert len(shown) <= text.WIDTH + 2 and shown.startswith("\u2026")  # … at the cut ends
        caret = lines[i + 1][len("  | ") :]
        start = caret.index("^")
        assert shown[start : start + caret.count("^")] == '"durable":false'
    assert len(out) < 1000 * 1000  # never the whole 80 KB line per finding
    assert_hidden(out, "HashSecret123456", "ShovelPw9876")


def test_a_secret_straddling_the_window_edge_is_masked_as_a_whole() -> None:
    secret = "Straddle0Secret0Value"
    prefix = '{"a":"' + "x" * 300 + '","password":"'
    line = prefix + secret + '","b":"' + "y" * 300 + '"}'
    spans = Redactor([line], "definitions.json").spans(1)
    at = line.index(secret)
    # windows whose left edge, then right edge, falls on every character of the secret
    for cut in range(at - 2, at + len(secret) + 2):
        for start in (cut + text._BEFORE, cut - text.WIDTH + text._BEFORE):
            shown, _, _ = text.excerpt(line, spans, max(0, start), max(0, start) + 1)
            assert_hidden(shown, secret)
            assert len(shown) <= text.WIDTH + 2 + len(MASK)  # a piece of a secret at an edge is **** whole


def test_caret_and_masks_line_up_on_a_short_line() -> None:
    line = 'creds = PlainCredentials("guest", "LongPassword123"); queue_declare(queue="q")\tx\x1b'
    spans = Redactor([line], "w.py").spans(1)
    start = line.index("queue_declare")
    shown, a, b = text.excerpt(line, spans, start, start + len("queue_declare"))
    assert shown[a:b] == "queue_declare" and "LongPassword123" not in shown
    assert shown.endswith(" x\\x1b")  # a tab is one space, a control character escaped


def test_hostile_lines_are_scanned_in_linear_time() -> None:
    spaces = " " * 30_000 + "#"
    assert redact_line(spaces) == spaces
    assert Redactor([spaces], "p.properties").line(1) == spaces
    junk_parts = []
    for i in range(8000):
        junk_parts.append(
            f'{i} """" \\"\\"\\" ((((( [[[ {{{{ <<<< password=Junk{i}Pw; eyJeyJeyJ '
            f"amqp://u:JunkUri{i}@h:// @@@ : : : ==== ,,,, SSSSSSSSSS ---- x"
        )
    junk = " ".join(junk_parts)
    assert len(junk) > 1_000_000
    redacted = redact_line(junk)
    assert "Junk7999Pw" not in redacted and "JunkUri7999" not in redacted and "Junk17Pw" not in redacted
    assert redacted.count("password=****") == 8000
    many = "\n".join(f"  password{i}: {'x' * 50}{i}" for i in range(20_000))
    redactor = Redactor(many.split("\n"), "big.yaml")
    assert redactor.line(20_000) == "  password19999: ****"


def test_paths_and_messages_cannot_drive_the_terminal_or_split_a_line(tmp_path: Path) -> None:
    (tmp_path / "p.properties").write_text("acks=1\n")
    hostile = "evil\n\x1b[31mname.properties"
    fix = Fix(
        "Set \x1b[2J", "a\nssl.key.password=Snip0Pass9\n\x1b]0;t\x07", (Edit("p.properties", Span.point(1), "x"),)
    )
    related = (Related(hostile, Span.point(1), "see\nalso \x1b[1m"),)
    findings = [Finding("X1", "x", "error", hostile, Span.point(1), "bad\nvalue\x9b", fix, related=related)]
    for quiet in (False, True):
        out = text.render(Result(findings=findings, files=1), tmp_path, colour=False, quiet=quiet)
        assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
        first = out.split("\n")[0]
        assert first.startswith("evil\\x0a\\x1b[31mname.properties:1:1: X1 [error] bad\\x0avalue")
        assert "Snip0Pass9" not in out
    assert "ssl.key.password=****" in text.render(Result(findings=findings, files=1), tmp_path, colour=False)


def test_fix_snippets_are_judged_as_lines_of_their_file() -> None:
    snippet = (
        "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \\\n  password=Snip0Pass8;"
    )
    assert "Snip0Pass8" not in redact_text(snippet, "producer.properties")
    assert redact_text("- name: KAFKA_TOKEN\n  value: Snip0Pass7", "deploy.yaml").endswith("value: ****")


def test_explain_masks_an_own_rules_example_files(tmp_path: Path, monkeypatch) -> None:
    from tests.test_config import POLICY

    content = json.dumps("acks=all\nssl.key.password=Expl0Pass5\n")
    rule = POLICY.replace(
        'content: "{kind: KafkaTopic, metadata: {name: t}, spec: {config: {min.insync.replicas: 1}}}"',
        f"content: {content}",
        1,
    ).replace("path: topic.yaml", "path: producer.properties", 1)
    write(tmp_path, {"msglint.toml": 'rules = ["policy"]\n', "policy/org101.yml": rule})
    monkeypatch.chdir(tmp_path)
    out = CliRunner().invoke(main, ["explain", "ORG101"]).output
    assert "ssl.key.password=****" in out and "Expl0Pass5" not in out


def test_each_line_is_judged_once(monkeypatch) -> None:
    import msglint.redact as redact

    calls = []
    scan = redact._scan_line

    def counting(*args: object, **kwargs: object) -> object:
        calls.append(args[0])
        return scan(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(redact, "_scan_line", counting)
    redactor = Redactor(["password=x", "acks=1", "token: y"], "p.properties")
    for _ in range(100):
        assert redactor.line(1) == "password=****" and redactor.line(3) == "token: ****"
    assert calls == ["password=x", "token: y"]  # acks=1 holds no marker: not even scanned


def test_a_quote_inside_a_schemeless_password_is_masked() -> None:
    # regression (test_secrets_fuzz): `user:pa'ss@host` showed the password before the quote
    from msglint.redact import redact_line

    shown = redact_line("spring.rabbitmq.addresses=app:a00000'0@host:5672")
    assert "a00000" not in shown and "'0" not in shown
