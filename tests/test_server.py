"""``msglint server``: a real Language Server session over stdio, in raw JSON-RPC. A diagnostic
arrives for an opened file, a code action comes back for it and applies, hover shows the rule."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Any

import pytest

pytest.importorskip("pygls")

PRODUCER = "bootstrap.servers=kafka:9092\nacks=1\ncompression.type=zstd\n"


class Session:
    """A client speaking LSP to ``python -m msglint server`` over its standard input and output."""

    def __init__(self, cwd: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "msglint", "server"],
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        self.messages: Queue[dict[str, Any]] = Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        out = self.process.stdout
        assert out is not None
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    return
                if line in (b"\r\n", b"\n"):
                    break
                name, _, value = line.decode().partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            assert length is not None
            self.messages.put(json.loads(out.read(length)))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        stdin = self.process.stdin
        assert stdin is not None
        stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply.get("result")

    def wait(self, match: Any, seconds: float = 30) -> dict[str, Any]:
        end = time.monotonic() + seconds
        while True:
            try:
                message = self.messages.get(timeout=max(0.1, end - time.monotonic()))
            except Empty:
                raise AssertionError("no such message from the server") from None
            if match(message):
                return message
            if time.monotonic() > end:
                raise AssertionError("no such message from the server")

    def close(self) -> None:
        try:
            self.request("shutdown", {})
            self.notify("exit", {})
            self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def _apply(text: str, edits: list[dict[str, Any]]) -> str:
    lines = text.splitlines(keepends=True)

    def offset(position: dict[str, int]) -> int:
        return sum(len(line) for line in lines[: position["line"]]) + position["character"]

    for edit in sorted(edits, key=lambda e: offset(e["range"]["start"]), reverse=True):
        start, end = offset(edit["range"]["start"]), offset(edit["range"]["end"])
        text = text[:start] + edit["newText"] + text[end:]
    return text


@pytest.fixture
def session(tmp_path: Path):  # type: ignore[no-untyped-def]
    client = Session(tmp_path)
    client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
    client.notify("initialized", {})
    yield client
    client.close()


def _open(session: Session, path: Path, text: str) -> dict[str, Any]:
    session.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": path.as_uri(), "languageId": "properties", "version": 1, "text": text}},
    )
    return session.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]


def test_a_diagnostic_arrives_and_its_code_action_applies(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "producer.properties"
    path.write_text(PRODUCER, encoding="utf-8")
    published = _open(session, path, PRODUCER)
    (diagnostic,) = [d for d in published["diagnostics"] if d["code"] == "KP101"]
    assert diagnostic["range"]["start"] == {"line": 1, "character": 0}
    assert diagnostic["severity"] == 1 and diagnostic["source"] == "msglint"
    actions = session.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": path.as_uri()},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]},
        },
    )
    titles = [a["title"] for a in actions]
    assert "KP101: Set `acks` to `all`" in titles
    assert "Disable KP101 for this line" in titles
    assert "msglint: fix all safe fixes" in titles
    fix = next(a for a in actions if a["title"] == "KP101: Set `acks` to `all`")
    fixed = _apply(PRODUCER, fix["edit"]["changes"][path.as_uri()])
    assert fixed == PRODUCER.replace("acks=1", "acks=all")
    disable = next(a for a in actions if a["title"] == "Disable KP101 for this line")
    assert _apply(PRODUCER, disable["edit"]["changes"][path.as_uri()]).splitlines()[1] == (
        "# msglint: disable-next-line=KP101"
    )
    hover = session.request(
        "textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 1, "character": 2}}
    )
    assert hover["contents"]["value"].startswith("**KP101** producer-acks-not-all")


def test_unsaved_changes_are_judged_and_fixing_them_clears_the_diagnostic(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "producer.properties"
    path.write_text("acks=all\n", encoding="utf-8")
    published = _open(session, path, "acks=all\n")
    assert [d["code"] for d in published["diagnostics"]] == []
    session.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": path.as_uri(), "version": 2}, "contentChanges": [{"text": PRODUCER}]},
    )
    changed = session.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]
    assert changed["version"] == 2 and "KP101" in [d["code"] for d in changed["diagnostics"]]
    actions = session.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": path.as_uri()},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        },
    )
    fix_all = next(a for a in actions if a["title"] == "msglint: fix all safe fixes")
    fixed = _apply(PRODUCER, fix_all["edit"]["changes"][path.as_uri()])
    assert "acks=all" in fixed
    assert path.read_text(encoding="utf-8") == "acks=all\n"  # the buffer is the editor's to save


def test_the_vscode_client_is_valid_where_node_exists() -> None:
    import shutil

    folder = Path(__file__).resolve().parents[1] / "editors" / "vscode"
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    assert manifest["main"] == "./extension.js"
    assert manifest["contributes"]["configuration"]["properties"]["msglint.command"]["default"] == ["msglint", "server"]
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node here: the extension's JavaScript is not checked")
    subprocess.run([node, "--check", str(folder / "extension.js")], check=True)
