"""benchmarks/bench.py: the generated tree is deterministic and has the promised shape, the semgrep
rules it times msglint against find what they claim, and a tiny run prints its table. No timing is
asserted: the figures are for people."""

from __future__ import annotations

import ast
import importlib.util
import io
import json
import re
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[1]


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("msglint_bench", ROOT / "benchmarks" / "bench.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve their annotations through sys.modules
    spec.loader.exec_module(module)
    return module


bench = _load()
PLANS = [bench.plan(i, 42) for i in range(3000)]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_and_a_bigger_tree_extends_a_smaller_one(tmp_path: Path) -> None:
    bench.generate(tmp_path / "a", 150, seed=7)
    bench.generate(tmp_path / "b", 150, seed=7)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    bench.generate(tmp_path / "grown", 90, seed=7)
    bench.generate(tmp_path / "grown", 150, seed=7, start=90)
    assert _files(tmp_path / "grown") == _files(tmp_path / "a")
    bench.generate(tmp_path / "other", 150, seed=8)
    assert _files(tmp_path / "other") != _files(tmp_path / "a")


def test_the_mix_has_the_promised_shares() -> None:
    kinds = Counter(kind.name for kind, _, _ in PLANS)
    messaging = sum(1 for kind, _, _ in PLANS if kind.messaging) / len(PLANS)
    assert 0.10 <= messaging <= 0.14
    assert set(kinds) == {kind.name for kind in bench.KINDS}  # every kind occurs in 3000 files
    yaml_share = sum(n for name, n in kinds.items() if name.startswith(("k8s-", "github-", "docker-"))) / len(PLANS)
    assert 0.14 <= yaml_share <= 0.24
    denser = sum(1 for i in range(2000) if bench.plan(i, 42, messaging=0.3)[0].messaging) / 2000
    assert 0.26 <= denser <= 0.34
    assert len({path for _, path, _ in PLANS}) == len(PLANS)  # no file overwrites another


def test_python_modules_are_long_valid_code_with_the_client_lines_among_them() -> None:
    modules = [(kind, text) for kind, path, text in PLANS if path.endswith(".py")]
    for kind, text in modules:
        assert 150 <= text.count("\n") <= 300, kind.name
        tree = ast.parse(text)
        assert sum(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for node in tree.body) >= 5
    clients = {
        "python-confluent": "Producer(",
        "python-pika": ".basic_consume(",
        "python-kafka-python": "KafkaProducer(",
    }
    for kind, text in modules:
        if kind.name in clients:
            lines = text.splitlines()
            at = next(i for i, line in enumerate(lines) if clients[kind.name] in line and "def " not in line)
            assert 0 < at < len(lines)  # somewhere in the module, not a file of its own
    findings = sum(1 for kind, text in modules if re.search(r'"acks": "?1"?,|acks=1,|auto_ack=True', text))
    assert findings > 0


def test_java_classes_build_clients_among_ordinary_code() -> None:
    classes = [(kind, text) for kind, path, text in PLANS if path.endswith(".java")]
    for kind, text in classes:
        assert 100 <= text.count("\n") <= 262, kind.name
        assert text.count("{") == text.count("}")
    producers = [text for kind, text in classes if kind.name == "java-producer"]
    assert producers and all("new KafkaProducer<>(props)" in text for text in producers)
    assert any('props.put(ProducerConfig.ACKS_CONFIG, "1");' in text for text in producers)


def test_yaml_files_parse_and_include_workloads_and_topics() -> None:
    yaml = YAML(typ="safe", pure=True)
    kinds: Counter[str] = Counter()
    for _, path, text in PLANS[:800]:
        if path.endswith((".yml", ".yaml")):
            kinds[(yaml.load(io.StringIO(text)) or {}).get("kind", "other")] += 1
    assert {"Deployment", "Service", "ConfigMap", "Ingress", "KafkaTopic", "other"} <= set(kinds)


_MEASURE = """
import dataclasses, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("msglint_bench", sys.argv[1])
bench = importlib.util.module_from_spec(spec)
sys.modules["msglint_bench"] = bench
spec.loader.exec_module(bench)
worker = "import time; x = bytearray(120 * 2**20); time.sleep(0.5)"
spawn = f"subprocess.Popen([sys.executable, '-c', {worker!r}])"
parent = f"import subprocess, sys; ps = [{spawn} for _ in 'ab']; [p.wait() for p in ps]"
runs = {
    "big": [sys.executable, "-c", "x = bytearray(200 * 2**20); print(len(x))"],
    "small": [sys.executable, "-c", "print(1)"],
    "two": [sys.executable, "-c", parent],
}
print(json.dumps({name: dataclasses.asdict(bench.measure(command)) for name, command in runs.items()}))
"""


def test_measure_reports_each_childs_own_peak() -> None:
    import subprocess

    # measured from a fresh, small interpreter: a child forked from this test process (hundreds of MiB
    # after the whole suite) would report the parent's size as its own peak
    shown = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(ROOT / "benchmarks" / "bench.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    runs = json.loads(shown.stdout)
    big, small, two = runs["big"], runs["small"], runs["two"]
    assert big["exit_code"] == 0 and big["stdout"].strip() == str(200 * 2**20)
    assert big["peak_mib"] > 200 > small["peak_mib"]  # per run (wait4), not the maximum over all children
    assert big["tree_peak_mib"] >= big["peak_mib"]
    assert two["peak_mib"] < 200 < two["tree_peak_mib"]  # two workers at once: only the sampled sum sees both


def test_a_tiny_run_prints_its_table_and_writes_every_figure(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "bench.json"
    assert (
        bench.main(["--files", "120", "--runs", "1", "--precommit-runs", "1", "--no-semgrep", "--json", str(out)]) == 0
    )
    table = capsys.readouterr().out
    report = json.loads(out.read_text())
    assert "msglint cold (caches cleared)" in table and "semgrep: skipped (--no-semgrep)" in table
    assert report["tree"]["files"] == 120
    sbs = report["side_by_side"]
    assert set(sbs["msglint"]) == {"cold", "warm", "edited"}
    assert sbs["msglint"]["cold"]["peak_mib"] > 0
    assert sbs["msglint_findings"]  # the messaging files have findings
    assert report["precommit"] and set(report["precommit"]) <= {".yml", ".properties", ".py", ".java"}
    for suffix, figures in report["precommit"].items():
        assert figures["file"].endswith(suffix) and f"pre-commit one {suffix} file" in table


@pytest.mark.slow
def test_scaling_grows_one_tree(capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--scale-only", "--scale", "100,300", "--no-semgrep"]) == 0
    table = capsys.readouterr().out
    assert re.search(r"^\s+100\s", table, re.M) and re.search(r"^\s+300\s", table, re.M)


@pytest.mark.slow
def test_semgrep_rules_find_every_generated_site(tmp_path: Path) -> None:
    command = bench.semgrep_command()
    if command is None:
        pytest.skip("semgrep is not installed")
    bench.generate(tmp_path, 400, seed=42)
    found = bench.semgrep_codes(bench.semgrep_run(command, tmp_path).stdout)
    texts = {path: text for _, path, text in (bench.plan(i, 42) for i in range(400))}
    expected = {
        "kp101-confluent-acks-not-all": r'"acks": "?[01]"?,',
        "kp101-kafka-python-acks-not-all": r"acks=\"?[01]\"?,",
        "rc201-pika-auto-ack": r"auto_ack=True",
        "kp101-java-acks-not-all": r'(ACKS_CONFIG|"acks"), "[01]"\);',
        "kp101-spring-yaml-acks-not-all": r"\n      acks: [01]\n",
        "kp101-properties-acks-not-all": r"(?m)^(spring\.kafka\.producer\.)?acks=[01]$",
    }
    for rule, pattern in expected.items():
        assert found.get(rule, 0) == sum(1 for text in texts.values() if re.search(pattern, text)), rule
    assert sum(found.values()) > 0
