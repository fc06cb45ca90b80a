"""The registries (readers, extractors, manifest kinds) are explicit tables: each covers everything
discover can hand it, and none depends on another module having been imported first."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from msglint import discover, documents
from msglint.extract import manifests, registry

NACK_STREAM = """\
apiVersion: jetstream.nats.io/v1beta2
kind: Stream
metadata:
  name: orders
spec:
  name: orders
  subjects: ["orders.*"]
  storage: memory
  replicas: 1
"""


def _pairs() -> set[tuple[str, str]]:
    """Every (kind, syntax) discover gives a file it reads (a skipped file's syntax is "none")."""
    found = {(i.kind, i.syntax) for i in discover.INTERESTS}
    return found | set(discover._EXPLICIT_BY_SUFFIX.values())


def test_a_nack_manifest_is_read_in_a_fresh_interpreter(tmp_path: Path) -> None:
    (tmp_path / "stream.yaml").write_text(NACK_STREAM, encoding="utf-8")
    script = textwrap.dedent(
        """
        import sys
        from pathlib import Path

        from msglint.discover import Candidate
        from msglint.documents import read
        from msglint.extract import manifests

        root = Path(sys.argv[1])
        document = read(Candidate(root / "stream.yaml", "manifest", "yaml", True), root)
        print(",".join(f"{e.kind}:{e.name}" for e in manifests.extract(document)))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path)], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "nats.stream:orders"


def test_every_syntax_has_a_reader() -> None:
    syntaxes = {syntax for _, syntax in _pairs()}
    assert syntaxes <= set(documents.READERS), sorted(syntaxes - set(documents.READERS))


def test_every_kind_and_syntax_has_an_extractor_entry() -> None:
    table = registry.extractors()
    missing = _pairs() - set(table)
    assert not missing, sorted(missing)
    assert all(e is None or callable(e) for e in table.values())


def test_every_manifest_kind_discover_sniffs_has_a_handler() -> None:
    assert set(manifests.KINDS) == set(discover.MANIFEST_KINDS)


def test_a_kustomize_patch_is_no_manifest(tmp_path: Path) -> None:
    path = tmp_path / "patch.yaml"
    path.write_text(NACK_STREAM, encoding="utf-8")
    document = documents.read(discover.Candidate(path, "manifest", "yaml", True), tmp_path)
    assert registry.extractor(document, set()) is manifests.extract
    assert registry.extractor(document, {path}) is None
