"""Hostile file names and file kinds: every non-text format stays valid and inert for any name; FIFOs
and devices are never opened; size limits and unreadable directories are findings, not silence."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote_to_bytes
from xml.etree import ElementTree

import jsonschema
import pytest
from click.testing import CliRunner

from msglint import discover as discovery
from msglint import engine
from msglint.cli import main
from msglint.config import Config
from tests.conftest import write

PRODUCER = b"acks=1\ncompression.type=lz4\n"  # KP101
HOSTILE = {
    "osc": b"t\x1b]0;pwned\x07.properties",
    "csi": b"c\x1b[31m.properties",
    "newline": b"new\nline.properties",
    "return": b"car\rriage.properties",
    "not-utf8": b"bad\xff.properties",
    "markup": b'x<&">.properties',
    "c1": b"c1\xc2\x9b2J.properties",
    "bidi": b"rtl\xe2\x80\xaeevil.properties",
}
SCHEMA = Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json"
# nothing that moves a terminal's cursor, sets its title or splits a line
_INERT = re.compile(rb"[\x00-\x09\x0b-\x1f\x7f]|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in HOSTILE.values():
        with open(os.path.join(os.fsencode(tmp_path), name), "wb") as handle:
            handle.write(PRODUCER)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _report(output_format: str) -> bytes:
    result = CliRunner().invoke(main, ["check", ".", "--format", output_format], catch_exceptions=False)
    assert result.exit_code == 1, result.output
    data = result.stdout_bytes
    data.decode("utf-8")  # strict: valid UTF-8 whatever the names' bytes
    assert not _INERT.search(data.replace(b"\n", b"")), _INERT.search(data.replace(b"\n", b""))
    return data


def test_json_keeps_every_name_exactly_and_escapes_the_rest(hostile: Path) -> None:
    report = json.loads(_report("json"))
    paths = {f["path"] for f in report["findings"]}
    for key, name in HOSTILE.items():
        expected = "bad\\xff.properties" if key == "not-utf8" else name.decode()  # no UTF-8 can hold 0xff
        assert expected in paths, (key, sorted(paths))


def test_gitlab_is_valid_json_with_distinct_fingerprints(hostile: Path) -> None:
    issues = json.loads(_report("gitlab"))
    assert {i["location"]["path"] for i in issues} >= {n.decode() for k, n in HOSTILE.items() if k != "not-utf8"}
    assert len({i["fingerprint"] for i in issues}) == len(issues)


def test_sarif_uris_are_percent_encoded_bytes_and_validate(hostile: Path) -> None:
    report = json.loads(_report("sarif"))
    errors = list(jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text())).iter_errors(report))
    assert not errors, [e.message for e in errors[:3]]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in report["runs"][0]["results"]}
    for uri in uris:
        assert re.fullmatch(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]+", uri), uri  # RFC 3986 characters only
    assert {unquote_to_bytes(u) for u in uris} == set(HOSTILE.values())  # each byte recovered


def test_github_annotations_stay_one_line_each(hostile: Path) -> None:
    lines = _report("github").decode().splitlines()
    findings = json.loads(_report("json"))["summary"]["findings"]
    assert len(lines) == findings
    files = set()
    for line in lines:
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line)
        assert match, line
        properties = dict(p.split("=", 1) for p in match.group(2).split(","))
        files.add(properties["file"].replace("%0A", "\n").replace("%0D", "\r").replace("%25", "%"))
    assert "new\nline.properties" in files and "car\rriage.properties" in files  # the runner decodes these
    assert "t\\x1b]0;pwned\\x07.properties" in files and "bad\\xff.properties" in files


def test_junit_is_well_formed_and_reads_back(hostile: Path, tmp_path: Path) -> None:
    from junitparser import JUnitXml

    data = _report("junit")
    root = ElementTree.fromstring(data)
    names = {case.get("file") for case in root.iter("testcase")}
    assert 'x<&">.properties' in names and "t\\x1b]0;pwned\\x07.properties" in names
    assert "new\\x0aline.properties" in names  # a name stays on one line
    (tmp_path / "report.xml").write_bytes(data)
    cases = [case for suite in JUnitXml.fromfile(str(tmp_path / "report.xml")) for case in suite]
    assert len(cases) == len(list(root.iter("testcase")))


def test_a_hostile_destination_name_is_escaped_in_messages(hostile: Path) -> None:
    name = "b\x1b]0;pwned\x07.json"
    result = CliRunner().invoke(main, ["check", ".", "--write-baseline", name])
    assert result.exit_code == 0 and "b\\x1b]0;pwned\\x07.json" in result.stderr and "\x1b" not in result.stderr
    assert json.loads(Path(name).read_text())["findings"]


def test_the_helpers_escape_what_cannot_be_shown() -> None:
    from msglint.reporters import json_text, one_line, visible

    assert visible("a\x1b[2Jb\tc\nd\udcff\x9b\u202e") == "a\\x1b[2Jb\tc\nd\\xff\\x9b\\u202e"
    assert one_line("a\tb\nc") == "a\\x09b\\x0ac"
    assert json.loads(json_text({"p": "x\udcffy\x9b\u2028"})) == {"p": "x\\xffy\x9b\u2028"}


# FIFOs, sockets, devices: refused, never opened (opening a FIFO blocks until a writer comes)


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "msglint", *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_named_fifo_or_device_is_refused_without_blocking(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "application.yml")
    done = _cli("application.yml", cwd=tmp_path)
    assert done.returncode == 2 and "application.yml is a named pipe (FIFO)" in done.stderr
    done = _cli(os.devnull, cwd=tmp_path)
    assert done.returncode == 2 and "is a character device" in done.stderr
    assert discovery.discover([str(tmp_path / "application.yml")]) == []  # the API leaves it out, unopened


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifos_in_a_walk_are_passed_over(tmp_path: Path) -> None:
    (tmp_path / "producer.properties").write_bytes(PRODUCER)
    os.mkfifo(tmp_path / "application.yml")
    os.mkfifo(tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    done = _cli(".", "--format", "json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert {f["path"] for f in json.loads(done.stdout)["findings"]} == {"producer.properties"}


# --max-file-size: named and walked files alike, a MSG004 finding instead of a read


def test_sizes_parse_and_print() -> None:
    assert discovery.parse_size("5MiB") == 5 * 1024 * 1024
    assert discovery.parse_size("5 MB") == 5_000_000
    assert discovery.parse_size("512kib") == 512 * 1024
    assert discovery.parse_size("1.5GiB") == 3 * 1024**3 // 2
    assert discovery.parse_size(300) == discovery.parse_size("300") == 300
    for bad in ("", "5 parsecs", "-1", "0", "MiB"):
        with pytest.raises(ValueError):
            discovery.parse_size(bad)
    assert discovery.format_size(5 * 1024 * 1024) == "5 MiB"
    assert discovery.format_size(50_000_000) == "47.7 MiB"
    assert discovery.format_size(200) == "200 bytes"


def test_a_named_file_over_the_limit_is_skipped_unread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "producer.properties").write_bytes(PRODUCER + b"# padding\n" * 20)
    result = CliRunner().invoke(main, ["check", "producer.properties", "--max-file-size", "100", "--format", "json"])
    report = json.loads(result.stdout)
    assert [(f["code"], f["severity"], f["message"]) for f in report["findings"]] == [
        ("MSG004", "info", "skipped: 228 bytes, larger than --max-file-size (100 bytes)")
    ]  # no KP101: the file was not read
    assert result.exit_code == 0 and report["summary"]["files"] == 0
    result = CliRunner().invoke(main, ["check", "producer.properties", "--max-file-size", "5 parsecs"])
    assert result.exit_code == 2 and "is not a size" in result.stderr


def test_the_text_report_does_not_open_a_skipped_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A 50 MB file skipped by size was read whole to show its MSG004 excerpt (23 s, 778 MB)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "producer.properties").write_bytes(b"acks=1\n" + b"# padding\n" * 20)
    result = CliRunner().invoke(main, ["check", "producer.properties", "--max-file-size", "100"])
    assert "MSG004" in result.stdout
    assert "acks=1" not in result.stdout  # no excerpt: the report never opened the file


def test_the_default_limit_holds_for_walked_candidates_only(tmp_path: Path) -> None:
    big = b'{"rabbit_version": "3.13.7", "queues": [' + b'{"name": "q", "vhost": "/"}, ' * 200_000 + b"{}]}"
    write(
        tmp_path,
        {
            "definitions.json": big,
            "data/dataset.json": b"[" + b"1, " * 2_500_000 + b"1]",
            "producer.properties": PRODUCER.decode(),
        },
    )
    result = engine.run([str(tmp_path)], [], [], cwd=tmp_path)
    skipped = [(f.path, f.message) for f in result.findings if f.code == "MSG004"]
    assert skipped == [("definitions.json", "skipped: 5.5 MiB, larger than --max-file-size (5 MiB)")]
    assert any(f.code == "KP101" for f in result.findings)  # the rest of the run goes on


def test_the_limit_comes_from_the_configuration_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"msglint.toml": 'max-file-size = "20B"\n', "producer.properties": PRODUCER.decode()})
    result = CliRunner().invoke(main, ["check", ".", "-q"])
    assert "MSG004" in result.stdout and "KP101" not in result.stdout
    wider = CliRunner().invoke(main, ["check", ".", "-q", "--max-file-size", "1KiB"])
    assert "KP101" in wider.stdout  # the option wins
    (tmp_path / "msglint.toml").write_text('max-file-size = "lots"\n')
    result = CliRunner().invoke(main, ["check", "."])
    assert result.exit_code == 2 and "max-file-size" in result.stderr


@pytest.mark.parametrize("encoding", ["utf-16", "utf-32"])
def test_utf16_and_utf32_files_with_a_bom_are_candidates(tmp_path: Path, encoding: str) -> None:
    text = "spring:\n  kafka:\n    producer:\n      acks: 1\n"
    write(tmp_path, {"application.yml": text.encode(encoding), "producer.properties": "acks=1\n".encode(encoding)})
    assert (tmp_path / "application.yml").read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")  # a BOM
    found = sorted(c.path.name for c in discovery.discover([str(tmp_path)]))
    assert found == ["application.yml", "producer.properties"]


# unreadable directories: a MSG004 notice, the exit code still the findings'


def test_an_unreadable_directory_is_a_notice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {"locked/application.yml": "spring.kafka.producer.acks: 1\n", "producer.properties": PRODUCER.decode()},
    )
    locked = str(tmp_path / "locked")
    real = os.scandir

    def scandir(path: str) -> object:
        if os.fspath(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", ".", "--format", "json"])
    report = json.loads(result.stdout)
    notices = [(f["path"], f["message"]) for f in report["findings"] if f["code"] == "MSG004"]
    assert notices == [("locked", "skipped: cannot read the directory: Permission denied")]
    assert result.exit_code == 1  # KP101 still fails the run; the notice alone would not


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any directory")
def test_a_chmod_000_directory_is_a_notice(tmp_path: Path) -> None:
    write(tmp_path, {"locked/application.yml": "spring.kafka.producer.acks: 1\n"})
    os.chmod(tmp_path / "locked", 0)
    try:
        result = engine.run([str(tmp_path)], [], [], cwd=tmp_path, config=Config())
    finally:
        os.chmod(tmp_path / "locked", 0o755)
    assert [(f.code, f.path) for f in result.findings] == [("MSG004", "locked")]
    assert "Permission denied" in result.findings[0].message


def test_a_long_word_in_a_properties_value_is_sniffed_in_linear_time() -> None:
    # regression: the prose test back-tracked on each start of a 42 KB word (47 s)
    from msglint import discover

    data = b"acks=1\nfoo=" + b"a" * 200_000 + b"\n"
    assert discover.kafka_properties("producer.properties", data)
