"""A persistent per-file cache of what the extractors found, as ruff has: a source file whose bytes,
path and msglint are unchanged is not parsed again; its entities are loaded, then linked and
checked with the rest as if just extracted.

It holds the files whose parse dominates a run: Python and Java sources, and Kubernetes manifests
that Spring Boot does not read. An entry is keyed by the
file's bytes, its path as findings show it, its kind and syntax, and msglint itself (its version,
and the sizes and times of its own modules and rules, so an edited checkout never reads a stale
entry). Entries are pickles, which run code when loaded, so each is signed with a secret kept in
the user's cache directory (never in the repository): an entry someone committed, or a corrupt,
truncated or foreign one, fails its check and is rebuilt. Writes are atomic (a temporary file,
then a rename), so concurrent runs never read half an entry, and never go through a symbolic link
(a repository could commit ``.msglint_cache`` as a link to a directory of its choosing).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import pickle
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from msglint.version import __version__

CACHED_SYNTAXES = frozenset({"python", "java"})
CACHED_KINDS = frozenset({("manifest", "yaml")})  # Kubernetes manifests: parsing their YAML is the rest of a warm run


def cacheable(candidate: Any) -> bool:
    """A file whose extraction the cache may hold: a source file, or a Kubernetes manifest (whose
    document the engine keeps only if Spring Boot could read it, see ``engine._extract``)."""
    known = candidate.syntax in CACHED_SYNTAXES or (candidate.kind, candidate.syntax) in CACHED_KINDS
    return known and candidate.skipped is None and not candidate.template


DIRECTORY = ".msglint_cache"
_DIGEST = hashlib.sha256().digest_size


def user_directory() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "msglint"


def location(root: Path, explicit: str | None = None) -> Path:
    """``--cache-dir``, else MSGLINT_CACHE_DIR, else ``.msglint_cache/`` at the project root."""
    chosen = explicit or os.environ.get("MSGLINT_CACHE_DIR")
    return Path(chosen) if chosen else root / DIRECTORY


@dataclass(frozen=True)
class Entry:
    """What one file gave: its entities and the problems its reader reported."""

    entities: list[Any]
    problems: list[Any]


class Cache:
    def __init__(self, directory: Path, secret: bytes, in_repository: bool = True) -> None:
        self.directory, self.secret = directory, secret
        self.in_repository = in_repository  # the default place, which the repository could have made a link
        self.salt = _salt()
        self.hits = self.misses = 0
        self.loaded: dict[str, tuple[int, int, int]] = {}  # the irrelevant files as read, to store only a change

    def key(self, display: str, kind: str, syntax: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        for part in (display.encode("utf-8", "surrogateescape"), kind.encode(), syntax.encode()):
            digest.update(len(part).to_bytes(4, "big") + part)
        digest.update(data)
        return digest.hexdigest()

    def load(self, key: str) -> Entry | None:
        try:
            blob = (self.directory / key[:2] / key).read_bytes()
        except OSError:
            self.misses += 1
            return None
        signature, body = blob[:_DIGEST], blob[_DIGEST:]
        if not hmac.compare_digest(signature, self._sign(key, body)):
            self.misses += 1
            return None  # corrupt, truncated, or not written by this user's msglint: rebuilt
        try:
            entry = pickle.loads(body)
        except Exception:
            self.misses += 1
            return None
        self.hits += 1
        return entry if isinstance(entry, Entry) else None

    def store(self, key: str, entry: Entry) -> None:
        """Best effort: a cache that cannot be written only costs the next run its time."""
        try:
            body = pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an entity that does not pickle is extracted again next time
            return
        folder = self.directory / key[:2]
        if folder.is_symlink() or (self.in_repository and self.directory.is_symlink()):
            return  # a link someone committed must not make msglint write somewhere else
        with contextlib.suppress(OSError):
            folder.mkdir(parents=True, exist_ok=True)
            _ignore_everything(self.directory)
            handle, temporary = tempfile.mkstemp(dir=folder, prefix=".tmp-")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(self._sign(key, body) + body)
                os.replace(temporary, folder / key)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(temporary)

    def irrelevant(self, max_bytes: int) -> dict[str, tuple[int, int, int]]:
        """The walked files earlier runs found irrelevant (discover.Stamps), for this size limit."""
        entry = self.load(self._stamps_key(max_bytes))
        stamps = entry.entities[0] if entry is not None and entry.entities else {}
        self.loaded = dict(stamps) if isinstance(stamps, dict) else {}
        return dict(self.loaded)

    def keep_irrelevant(self, stamps: dict[str, tuple[int, int, int]], max_bytes: int) -> None:
        if stamps != self.loaded:
            self.store(self._stamps_key(max_bytes), Entry([stamps], []))

    def run_key(self, parts: Sequence[Any]) -> str:
        """The key of a whole run's result: its inputs, each file by its stamp (see Stamp)."""
        digest = hashlib.sha256(self.salt + b"a run")
        for part in parts:
            text = repr(part).encode("utf-8", "surrogateescape")
            digest.update(len(text).to_bytes(8, "big") + text)
        return digest.hexdigest()

    def recall(self, key: str) -> Any:
        """The result a run with this key gave, or None."""
        entry = self.load(key)
        return entry.entities[0] if entry is not None and len(entry.entities) == 1 else None

    def remember(self, key: str, result: Any) -> None:
        self.store(key, Entry([result], []))

    def _stamps_key(self, max_bytes: int) -> str:
        return hashlib.sha256(self.salt + f"irrelevant files, {max_bytes} bytes".encode()).hexdigest()

    def _sign(self, key: str, body: bytes) -> bytes:
        return hmac.new(self.secret, key.encode() + body, hashlib.sha256).digest()


def open_cache(root: Path, explicit: str | None = None) -> Cache | None:
    """The cache for a run under ``root``, or None when it cannot be had (no writable home for the
    secret): a run without a cache is only slower."""
    try:
        chosen = location(root, explicit)
        return Cache(chosen, _secret(), in_repository=chosen == root / DIRECTORY)
    except OSError:
        return None


def _secret() -> bytes:
    path = user_directory() / "cache-key"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    secret = os.urandom(32)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")  # created 0600
    with os.fdopen(handle, "wb") as out:
        out.write(secret)
    try:
        os.link(temporary, path)  # the first run to get here wins; the others read its key
    except FileExistsError:
        secret = path.read_bytes()
    finally:
        os.unlink(temporary)
    return secret


def _ignore_everything(directory: Path) -> None:
    marker = directory / ".gitignore"
    if not marker.exists() and not marker.is_symlink():
        marker.write_text("# written by msglint: its cache is never committed\n*\n")


def _salt() -> bytes:
    """msglint as it is installed: its version, and each of its modules' and rules' size and time."""
    package = Path(__file__).resolve().parent
    from msglint import catalog

    parts: list[str] = [__version__]
    for folder in (package, catalog.rules_dir()):
        for path in sorted(_files(folder)):
            with contextlib.suppress(OSError):
                info = path.stat()
                parts.append(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).digest()


def _files(folder: Path) -> Sequence[Path]:
    return [p for p in folder.rglob("*") if p.suffix in (".py", ".yml", ".json") and "__pycache__" not in p.parts]
