"""Applying fixes (fixer.py, msglint.fix, --fix, --diff, --fix-only): bytes kept, passes, failures
restored, writes atomic and inside the tree."""

from __future__ import annotations

import os
import shutil
import stat
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import msglint
from msglint import fixer
from msglint.cli import main
from msglint.model import Edit, Finding, Fix, Result, Span

ROOT = Path(__file__).resolve().parent.parent
PRODUCER = "bootstrap.servers=kafka:9092\nacks=1\nmax.in.flight.requests.per.connection=5\ncompression.type=zstd\n"


def _cli(tmp_path: Path, *args: str, stdin: bytes | None = None):  # type: ignore[no-untyped-def]
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        return CliRunner().invoke(main, ["--no-cache", *args], input=stdin)
    finally:
        os.chdir(cwd)


def test_fix_on_the_fixtures_leaves_only_findings_without_a_safe_fix(tmp_path: Path) -> None:
    tree = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures", tree)
    broken = sorted(f.path for f in msglint.lint([str(tree)], cwd=tmp_path).findings if f.code in fixer.PARSE_CODES)
    report = msglint.fix([str(tree)], cwd=tmp_path)
    assert sum(report.fixed.values()) > 20 and report.failed == []
    after = msglint.lint([str(tree)], cwd=tmp_path)
    assert [f.code for f in after.findings if fixer.applicable(f, unsafe=False)] == []
    assert sorted(f.path for f in after.findings if f.code in fixer.PARSE_CODES) == broken  # the fixtures' own
    again = msglint.fix([str(tree)], cwd=tmp_path)  # applying twice is applying once
    assert sum(again.fixed.values()) == 0 and again.changed == []


def test_one_fix_per_root_cause(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text(PRODUCER, encoding="utf-8")
    report = msglint.fix([str(tmp_path)], cwd=tmp_path)
    text = (tmp_path / "producer.properties").read_text(encoding="utf-8")
    # KP101's acks=all also ends KP105: max.in.flight stays as it was
    assert text == PRODUCER.replace("acks=1", "acks=all")
    assert report.fixed == {"KP101": 1}
    assert "KP105" not in {f.code for f in report.result.findings}


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (
            PRODUCER.replace("\n", "\r\n").encode(),
            PRODUCER.replace("acks=1", "acks=all").replace("\n", "\r\n").encode(),
        ),
        (b"\xef\xbb\xbf" + PRODUCER.encode(), b"\xef\xbb\xbf" + PRODUCER.replace("acks=1", "acks=all").encode()),
        (PRODUCER.rstrip("\n").encode(), PRODUCER.replace("acks=1", "acks=all").rstrip("\n").encode()),
        (
            b"# producer \xe9\r\n" + PRODUCER.encode(),  # Latin-1, mixed line endings
            b"# producer \xe9\r\n" + PRODUCER.replace("acks=1", "acks=all").encode(),
        ),
    ],
    ids=["crlf", "bom", "no-final-newline", "latin1-mixed"],
)
def test_bytes_the_fix_does_not_touch_stay(tmp_path: Path, before: bytes, after: bytes) -> None:
    (tmp_path / "producer.properties").write_bytes(before)
    msglint.fix([str(tmp_path)], cwd=tmp_path)
    assert (tmp_path / "producer.properties").read_bytes() == after


def test_a_yaml_insert_keeps_crlf_and_comments(tmp_path: Path) -> None:
    text = "spring:\r\n  kafka:\r\n    consumer:\r\n      group-id: billing   # the team's group\r\n"
    text += "      enable-auto-commit: true\r\n"
    (tmp_path / "application.yml").write_bytes(text.encode())
    msglint.fix([str(tmp_path)], cwd=tmp_path, unsafe=True)
    out = (tmp_path / "application.yml").read_bytes()
    assert b"enable-auto-commit: false\r\n" in out and b"# the team's group\r\n" in out
    assert b"\n" not in out.replace(b"\r\n", b"")


def test_diff_writes_nothing_and_exits_1(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text(PRODUCER, encoding="utf-8")
    result = _cli(tmp_path, "--diff", ".")
    assert result.exit_code == 1
    assert "-acks=1\n+acks=all\n" in result.stdout
    assert (tmp_path / "producer.properties").read_text(encoding="utf-8") == PRODUCER
    assert "Would fix 1 finding (KP101 1) in 1 file." in result.stderr


def test_fix_only_says_what_it_fixed_and_fix_reports_what_remains(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text(PRODUCER + "linger.ms=0\n", encoding="utf-8")
    result = _cli(tmp_path, "--fix", ".")
    assert "Fixed 2 findings (KP101 1, KP301 1) in 1 file." in result.stderr
    assert "acks=all" in (tmp_path / "producer.properties").read_text(encoding="utf-8")
    assert result.exit_code == 0, result.output  # nothing at warning or above remains
    assert _cli(tmp_path, "--fix-only", ".").exit_code == 0
    assert _cli(tmp_path, "--diff", ".").exit_code == 0


def test_a_read_only_file_is_said_and_its_finding_remains(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "producer.properties"
    path.write_text(PRODUCER, encoding="utf-8")
    path.chmod(0o444)
    if os.geteuid() == 0:  # root may write any file: let the fixer see what another user would
        real = os.access
        monkeypatch.setattr(fixer.os, "access", lambda p, mode: False if Path(p) == path else real(p, mode))
    result = _cli(tmp_path, "--fix", ".")
    assert "could not fix KP101 in producer.properties: the file is read-only" in result.stderr
    assert result.exit_code == 1
    assert path.read_text(encoding="utf-8") == PRODUCER


def test_the_write_keeps_the_mode_and_goes_through_a_symlink_inside_the_tree(tmp_path: Path) -> None:
    real = tmp_path / "config" / "producer.properties"
    real.parent.mkdir()
    real.write_text(PRODUCER, encoding="utf-8")
    real.chmod(0o640)
    (tmp_path / "producer.properties").symlink_to(real)
    msglint.fix([str(tmp_path)], cwd=tmp_path)
    assert (tmp_path / "producer.properties").is_symlink()
    assert "acks=all" in real.read_text(encoding="utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in real.parent.iterdir()] == ["producer.properties"]  # no temporary left


def test_a_symlink_out_of_the_tree_is_not_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside" / "producer.properties"
    outside.parent.mkdir()
    outside.write_text(PRODUCER, encoding="utf-8")
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "producer.properties").symlink_to(outside)
    msglint.fix([str(tree)], cwd=tmp_path)
    assert outside.read_text(encoding="utf-8") == PRODUCER


def test_standard_input_gets_the_fixed_buffer_and_the_disk_is_untouched(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text("acks=all\n", encoding="utf-8")
    result = _cli(tmp_path, "-", "--stdin-filename", "producer.properties", "--fix", stdin=PRODUCER.encode())
    assert result.stdout == PRODUCER.replace("acks=1", "acks=all")
    assert (tmp_path / "producer.properties").read_text(encoding="utf-8") == "acks=all\n"


def test_the_library_fixes_an_unsaved_buffer_without_writing_it(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_text("acks=all\n", encoding="utf-8")
    report = msglint.fix([str(tmp_path)], cwd=tmp_path, contents={"producer.properties": PRODUCER.encode()})
    (path,) = report.changed
    assert report.after[path] == PRODUCER.replace("acks=1", "acks=all").encode()
    assert (tmp_path / "producer.properties").read_text(encoding="utf-8") == "acks=all\n"


def _finding(path: str, line: int, content: str, code: str = "KP101", severity: str = "error") -> Finding:
    span = Span(line, 6, line, 7)
    fix = Fix("Set it", content, (Edit(path, span, content),), "safe")
    return Finding(code, "x", severity, path, span, "m", fix=fix)


def test_a_fix_that_breaks_the_file_is_undone_and_reported(tmp_path: Path) -> None:
    """A stand-in run: the first lint offers a fix, and the file it makes no longer parses."""
    path = tmp_path / "producer.properties"
    path.write_bytes(b"a=1\nacks=1\n")
    seen: list[dict[Path, bytes]] = []

    def run(overlay):  # type: ignore[no-untyped-def]
        seen.append(dict(overlay))
        result = Result(read={"producer.properties"})
        if path not in overlay:
            result.findings = [_finding("producer.properties", 2, "all")]
        else:
            result.findings = [Finding("MSG001", "x", "error", "producer.properties", Span(1, 1, 1, 2), "broken")]
        return result

    report = fixer.fix(run, tmp_path, [tmp_path])
    assert report.changed == [] and report.fixed == {}
    assert [f.code for f in report.failed] == ["KP101"] and "no longer parses" in report.failed[0].why
    assert path.read_bytes() == b"a=1\nacks=1\n"


def test_overlapping_fixes_wait_for_the_next_pass(tmp_path: Path) -> None:
    path = tmp_path / "producer.properties"
    path.write_bytes(b"acks=1\n")
    passes: list[int] = []

    def run(overlay):  # type: ignore[no-untyped-def]
        text = overlay.get(path, path.read_bytes()).decode()
        passes.append(1)
        findings = []
        if "acks=1" in text:  # two fixes of one span: only the worse one this pass
            findings = [
                _finding("producer.properties", 1, "all"),
                _finding("producer.properties", 1, "-1", "KX999", "info"),
            ]
        return Result(findings=findings, read={"producer.properties"})

    report = fixer.fix(run, tmp_path, [tmp_path])
    assert path.read_bytes() == b"acks=1\n"  # nothing written by fix() itself
    assert report.after[path] == b"acks=all\n" and report.fixed == {"KP101": 1}


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_write_restores_a_file_that_does_not_read_back(tmp_path: Path) -> None:
    path = tmp_path / "a.properties"
    path.write_bytes(b"acks=1\n")
    report = fixer.Report(
        Result(), before={path: b"acks=1\n"}, after={path: b"acks=all\n"}, displays={path: "a.properties"}
    )
    broken = Result(findings=[Finding("MSG001", "x", "error", "a.properties", Span(1, 1, 1, 2), "broken")])
    fixer.write(report, reread=lambda: broken)
    assert path.read_bytes() == b"acks=1\n"
    assert "restored" in report.failed[0].why


EDGE = {
    # an alias: the value is written at the anchor, which others may share
    "alias/application.yml": "base: &base\n  acks: 1\nspring:\n  kafka:\n    producer: *base\n",
    # a block scalar holds `properties`: a new `properties:` map would be a second key of that name
    "block/application.yml": "spring:\n  kafka:\n    producer:\n      acks: '1'\n      properties: |\n        a=b\n",
    # a Helm template: what runs is what it renders
    "chart/templates/kafka.yaml": (
        "apiVersion: kafka.strimzi.io/v1beta2\nkind: Kafka\nmetadata:\n  name: {{ .Values.name }}\nspec:\n"
        "  kafka:\n    replicas: 3\n    config:\n      unclean.leader.election.enable: true\n"
        "  zookeeper:\n    replicas: 3\n"
    ),
}


def test_aliases_block_scalars_and_templates_get_fixes_shown_not_applied(tmp_path: Path) -> None:
    for name, text in EDGE.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = msglint.lint([str(tmp_path)], cwd=tmp_path)
    shown = {(f.path, f.code): f.fix for f in result.findings}
    assert shown[("alias/application.yml", "KP101")] is None  # at the anchor: not rewritten in place
    assert shown[("chart/templates/kafka.yaml", "KB205")].applicability == "display-only"  # type: ignore[union-attr]
    msglint.fix([str(tmp_path)], cwd=tmp_path, unsafe=True)
    assert (tmp_path / "alias/application.yml").read_text(encoding="utf-8") == EDGE["alias/application.yml"]
    assert (tmp_path / "chart/templates/kafka.yaml").read_text(encoding="utf-8") == EDGE["chart/templates/kafka.yaml"]
    # the quoted value keeps its quotes; no second `properties` key is added
    assert (tmp_path / "block/application.yml").read_text(encoding="utf-8") == EDGE["block/application.yml"].replace(
        "acks: '1'", "acks: 'all'"
    )


def test_two_inserts_under_one_missing_parent_make_it_once(tmp_path: Path) -> None:
    """Each pass inserts what the file still lacks, with the YAML writer over the file as it is then:
    the first insert creates `properties:`, the second goes under it in the next pass."""
    from msglint import fixes
    from msglint.readers import yaml

    path = tmp_path / "application.yml"
    path.write_bytes(b"spring:\n  kafka:\n    producer:\n      acks: all\n")
    wanted = {"linger.ms": "5", "max.in.flight.requests.per.connection": "1"}

    def run(overlay):  # type: ignore[no-untyped-def]
        text = overlay.get(path, path.read_bytes()).decode()
        root = yaml.parse(text)[0]
        writer = fixes.YamlWriter("application.yml", fixes.spring_naming("producer"), text.splitlines(), root=root)
        findings = []
        for n, (key, value) in enumerate(wanted.items()):
            if f"[{key}]" in text:
                continue
            fix = writer.insert(key, value)
            assert fix is not None
            span = Span(1 + n, 1, 1 + n, 2)  # two findings, two places
            findings.append(
                Finding(
                    f"KX99{n}",
                    "x",
                    "warning",
                    "application.yml",
                    span,
                    "m",
                    fix=Fix(fix.title, fix.snippet, fix.edits, "safe"),
                )
            )
        return Result(findings=findings, read={"application.yml"})

    report = fixer.fix(run, tmp_path, [tmp_path])
    out = report.after[path].decode()
    assert out.count("properties:") == 1
    assert yaml.parse(out)[0] is not None
    assert '"[linger.ms]": 5' in out and '"[max.in.flight.requests.per.connection]": 1' in out


def test_an_insert_goes_under_its_own_mapping_when_a_shallower_key_follows(tmp_path: Path) -> None:
    """Regression (spring-cloud-stream-samples kafka-native-serialization): a block mapping ends where
    the next token starts, after that line's indentation; the writer took that line for the
    mapping's own, so a new binding landed under the `binder:` that followed."""
    from msglint import fixes
    from msglint.readers import yaml

    text = "kafka:\n  bindings:\n    out:\n      producer: x\n  binder:\n    brokers: k\n"
    root = yaml.parse(text)[0]
    writer = fixes.YamlWriter("a.yml", lambda key: (["kafka", "bindings", key], "raw"), text.splitlines(), root=root)
    fix = writer.insert("in", "z")
    assert fix is not None
    out = fixes.apply(text, list(fix.edits))
    assert out == "kafka:\n  bindings:\n    out:\n      producer: x\n    in: z\n  binder:\n    brokers: k\n"


def test_retries_come_back_only_where_they_cannot_reorder(tmp_path: Path) -> None:
    """Regression (spring-cloud-stream-samples kafka-streams-samples Producers.java): KP104's fix made
    KP105 (idempotence off, five requests in flight) and was refused."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a/producer.properties").write_text("acks=all\nretries=0\n", encoding="utf-8")
    (tmp_path / "b/producer.properties").write_text("acks=all\nenable.idempotence=false\nretries=0\n", encoding="utf-8")
    fixes_by_dir = {
        f.path.split("/")[0]: f.fix for f in msglint.lint([str(tmp_path)], cwd=tmp_path, select=["KP104"]).findings
    }
    assert fixes_by_dir["a"] is not None and fixes_by_dir["b"] is None
    report = msglint.fix([str(tmp_path)], cwd=tmp_path, unsafe=True)
    assert report.failed == []
