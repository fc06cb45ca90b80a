"""Users' own rules through the real semgrep: merged findings, selection, errors, the shipped examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from msglint import semgrep
from msglint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "rules" / "semgrep"

pytestmark = pytest.mark.slow  # every test starts the real semgrep: seconds each

try:
    semgrep.executable()
except semgrep.SemgrepError:  # pragma: no cover - the test extra installs semgrep
    pytest.skip("semgrep is not installed", allow_module_level=True)

SERVICE = """import org.springframework.kafka.core.KafkaTemplate;

class InvoiceService {
    private KafkaTemplate<String, String> kafkaTemplate;

    void issue(String invoice) {
        kafkaTemplate.send("invoices", invoice);
    }

    void issueChecked(String invoice) {
        kafkaTemplate.send("invoices", invoice).whenComplete((r, e) -> log(e));
    }
}
"""
PRODUCER = """from confluent_kafka import Producer

p = Producer({"bootstrap.servers": "kafka:9092", "compression.type": "lz4"})
p.produce("t", b"x")
p.produce("t", b"y", on_delivery=report)
p.flush()
"""
SECRET_RULE = """rules:
  - id: jaas-in-code
    languages: [java]
    severity: ERROR
    message: JAAS configuration in code ($V)
    pattern: $P.put("sasl.jaas.config", $V);
"""
SECRET_CODE = """import org.apache.kafka.clients.producer.KafkaProducer;

class Secret {
    void f(java.util.Properties p) {
        p.put("sasl.jaas.config", "PlainLoginModule required username=\\"u\\" password=\\"hunter2\\";");
    }
}
"""


def _run(tmp_path: Path, files: dict[str, str], *args: str) -> tuple[int, str, str]:
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    result = CliRunner().invoke(main, ["check", str(tmp_path), *args])
    return result.exit_code, result.stdout, result.stderr


def test_semgrep_findings_join_the_report(tmp_path: Path) -> None:
    code, out, _ = _run(
        tmp_path,
        {"InvoiceService.java": SERVICE, "producer.py": PRODUCER},
        "--semgrep-rules",
        str(EXAMPLES),
        "--format",
        "json",
    )
    report = json.loads(out)
    mine = [
        (Path(f["path"]).name, f["code"], f["line"], f["severity"])
        for f in report["findings"]
        if not f["code"][:2].isupper()
    ]
    assert sorted(mine) == [
        ("InvoiceService.java", "java-kafka-send-result-ignored", 7, "warning"),
        ("producer.py", "python-produce-without-callback", 4, "info"),
    ]
    assert code == 1 and report["errors"] == []


def test_select_and_ignore_apply_to_semgrep_rules(tmp_path: Path) -> None:
    files = {"InvoiceService.java": SERVICE}
    # KP108, msglint's own rule for the pattern, is ignored too: only the semgrep rule is in question
    code, out, _ = _run(tmp_path, files, "--semgrep-rules", str(EXAMPLES), "--ignore", "java-kafka,KP108", "-q")
    assert code == 0 and "java-kafka-send-result-ignored" not in out
    code, out, _ = _run(tmp_path, files, "--semgrep-rules", str(EXAMPLES), "--select", "java-kafka-send", "-q")
    assert code == 1 and out.count("java-kafka-send-result-ignored") == 1


def test_a_broken_rule_file_is_a_usage_error_and_the_rest_is_still_reported(tmp_path: Path) -> None:
    bad = tmp_path / "rules"
    bad.mkdir()
    (bad / "broken.yml").write_text("rules:\n  - id: x\n    languages: [java]\n")
    producer = 'void g() { var q = new java.util.Properties(); q.put("acks", "1"); new KafkaProducer<>(q); }\n'
    files = {"InvoiceService.java": SERVICE, "OrderProducer.java": SECRET_CODE.replace("void f", producer + "void f")}
    code, out, err = _run(tmp_path, files, "--semgrep-rules", str(bad))
    assert code == 2
    assert "semgrep could not run the rules" in err and "internal error" not in err
    assert "KP101" in out  # msglint's own findings are still there


def test_without_semgrep_the_message_says_how_to_install_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(semgrep.sys, "executable", str(tmp_path / "bin" / "python"))
    monkeypatch.setattr(semgrep.shutil, "which", lambda name: None)
    code, _, err = _run(tmp_path, {"InvoiceService.java": SERVICE}, "--semgrep-rules", str(EXAMPLES))
    assert code == 2 and "pip install 'msglint[semgrep]'" in err


def test_secrets_in_semgrep_messages_are_masked(tmp_path: Path) -> None:
    (tmp_path / "jaas.yml").write_text(SECRET_RULE)
    code, out, _ = _run(tmp_path, {"Secret.java": SECRET_CODE}, "--semgrep-rules", str(tmp_path / "jaas.yml"))
    assert code == 1 and "jaas-in-code" in out
    assert "hunter2" not in out


@pytest.mark.parametrize(
    ("rule", "bad", "good"),
    [
        ("java-kafka-send-result-ignored", SERVICE, SERVICE.replace('kafkaTemplate.send("invoices", invoice);', "")),
        ("python-produce-without-callback", PRODUCER, PRODUCER.replace('p.produce("t", b"x")\n', "")),
        (
            "java-listener-thread-sleep",
            'import org.springframework.kafka.annotation.KafkaListener;\nclass L {\n  @KafkaListener(topics = "t")\n'
            "  void on(String s) throws Exception {\n    Thread.sleep(1000);\n  }\n}\n",
            'import org.springframework.kafka.annotation.KafkaListener;\nclass L {\n  @KafkaListener(topics = "t")\n'
            "  void on(String s) {\n    handle(s);\n  }\n}\n",
        ),
    ],
)
def test_shipped_example_rules(tmp_path: Path, rule: str, bad: str, good: str) -> None:
    suffix = ".py" if rule.startswith("python") else ".java"
    (tmp_path / "bad").mkdir()
    (tmp_path / "good").mkdir()
    (tmp_path / "bad" / f"Code{suffix}").write_text(bad)
    (tmp_path / "good" / f"Code{suffix}").write_text(good)
    fired = CliRunner().invoke(
        main,
        ["check", str(tmp_path / "bad"), "--semgrep-rules", str(EXAMPLES), "-q", "--select", rule, "--fail-on", "info"],
    )
    silent = CliRunner().invoke(
        main,
        [
            "check",
            str(tmp_path / "good"),
            "--semgrep-rules",
            str(EXAMPLES),
            "-q",
            "--select",
            rule,
            "--fail-on",
            "info",
        ],
    )
    assert fired.exit_code == 1 and rule in fired.stdout
    assert silent.exit_code == 0, silent.stdout
