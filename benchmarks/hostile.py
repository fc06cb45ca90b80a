"""Time msglint on hostile input shapes at growing sizes, to see that it grows linearly.

    python benchmarks/hostile.py                          # every shape at 64K,256K,1M,2M,5M
    python benchmarks/hostile.py --sizes 64K,1M --only yaml-keys --only nats-quoted-keys
    python benchmarks/hostile.py --timeout 60 --json /tmp/hostile.json

Each shape is a file msglint reads (a one-line definitions.json, a YAML file with many keys, ...),
generated at each size and linted as a named file by ``python -m msglint check`` in a child process
with a time limit and an address-space limit. Prints size, seconds and peak RSS per run, and per
shape the growth: seconds per MB at the largest size over seconds per MB at the smallest, less the
start-up time of an empty run. Linear is about 1; ``SUPER-LINEAR`` marks a growth over --ratio, and
a run that timed out or died is marked too. Exit 1 when anything is marked.
No timing is asserted anywhere: this is for people, not for CI.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

KIB = 1024
MIB = 1024 * 1024


def _repeat(unit: Callable[[int], str], size: int, head: str = "", tail: str = "", joiner: str = "") -> str:
    """``head`` + unit(0) + joiner + unit(1) ... + ``tail``, as many units as fit in ``size`` (at
    least one): a file of exactly the size limit is still read."""
    parts, total, i = [], len(head) + len(tail), 0
    while True:
        piece = unit(i)
        grown = total + len(piece) + (len(joiner) if parts else 0)
        if parts and grown > size:
            break
        parts.append(piece)
        total, i = grown, i + 1
    return head + joiner.join(parts) + tail


def minified_definitions(size: int) -> tuple[str, str]:
    """One line of JSON, N non-durable queues: a finding per queue, every one on line 1."""
    unit = '{{"name":"q{0}","vhost":"/","durable":false,"auto_delete":false,"arguments":{{}}}}'.format
    return "definitions.json", _repeat(unit, size, '{"rabbit_version":"3.13.7","queues":[', "]}", ",")


def spaces_then_hash(size: int) -> tuple[str, str]:
    """A finding's line of N spaces and a ``#``: the redactor's back-tracking."""
    return "producer.properties", "acks=1" + " " * max(0, size - 8) + "#\n"


def long_word(size: int) -> tuple[str, str]:
    """A .properties value of one long word and a space: discovery's prose sniff (found by fuzzing)."""
    return "producer.properties", "bootstrap.servers=kafka:9092 " + "a" * max(0, size - 32) + " #\n"


def yaml_keys(size: int) -> tuple[str, str]:
    """N distinct keys in one mapping: the duplicate-key scan."""
    return "application.yml", _repeat("      key{0}: {0}\n".format, size, "spring:\n  kafka:\n    properties:\n")


def nats_quoted_keys(size: int) -> tuple[str, str]:
    """N quoted keys on one line of a NATS server configuration: the lexer."""
    return "nats-server.conf", _repeat('"k{0}": {0}'.format, size, "port: 4222\n", "\n", ", ")


def alias_chain(size: int) -> tuple[str, str]:
    """N anchors, each a mapping holding the previous one: deep nesting without a bracket."""
    unit = "      a{0}: &a{0} {{n: *a{1}}}\n"
    return "application.yml", _repeat(
        lambda i: unit.format(i + 1, i), size, "spring:\n  kafka:\n    properties:\n      a0: &a0 x\n"
    )


def deep_nesting(size: int, depth: int = 100) -> tuple[str, str]:
    """Many arrays nested ``depth`` deep (at the depth limit): the depth check must be linear too."""
    return "definitions.json", _repeat(lambda i: "[" * depth + str(i) + "]" * depth, size, '{"queues":[', "]}", ",")


def long_values(size: int) -> tuple[str, str]:
    """Many settings with long values, some secret, some with findings."""

    def unit(i: int) -> str:
        key = ("ssl.key.password", "client.id", "acks", "sasl.jaas.config")[i % 4]
        return f"{key}{'' if key == 'acks' else f'.{i}'}={'x' * 2000}\n" if key != "acks" else "acks=1\n"

    return "producer.properties", _repeat(unit, size, "bootstrap.servers=kafka:9092\n")


def python_clients(size: int) -> tuple[str, str]:
    """A Python module with N Kafka producers and pika channels, each with findings."""
    unit = (
        'p{0} = Producer({{"bootstrap.servers": "kafka:9092", "acks": "1", "linger.ms": 0}})\n'
        'c{0} = pika.BlockingConnection(pika.ConnectionParameters("rabbitmq")).channel()\n'
        'c{0}.basic_consume(queue="q{0}", on_message_callback=print, auto_ack=True)\n'
    ).format
    return "clients.py", _repeat(unit, size, "import pika\nfrom confluent_kafka import Producer\n\n")


SHAPES: dict[str, Callable[[int], tuple[str, str]]] = {
    "minified-definitions": minified_definitions,
    "spaces-then-hash": spaces_then_hash,
    "long-word": long_word,
    "yaml-keys": yaml_keys,
    "nats-quoted-keys": nats_quoted_keys,
    "alias-chain": alias_chain,
    "deep-nesting": deep_nesting,
    "long-values": long_values,
    "python-clients": python_clients,
}


@dataclass
class Run:
    shape: str
    size: int
    seconds: float
    peak_rss_mb: float
    exit: str  # 0, 1, 2, timeout, skipped (over --max-file-size), or the signal that killed it
    output_bytes: int


def _size(text: str) -> int:
    text = text.strip().upper().removesuffix("B").removesuffix("I")
    factor = {"K": KIB, "M": MIB, "G": 1024 * MIB}.get(text[-1:], 1)
    return int(float(text[:-1] if factor > 1 else text) * factor)


def _human(size: int) -> str:
    return f"{size / MIB:.1f} MB" if size >= MIB else f"{size / KIB:.0f} KB"


def measure(shape: str, path: Path, fmt: str, timeout: float, memory: int) -> Run:
    """One child ``msglint check``: wall time, its own peak RSS (wait4) and how it ended."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            [sys.executable, "-m", "msglint", "check", "--format", fmt, path.name],
            cwd=path.parent, stdout=out, stderr=subprocess.DEVNULL, preexec_fn=limit,
        )  # fmt: skip
        deadline, ended = start + timeout, "timeout"
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                elapsed = time.perf_counter() - start
                child.returncode = os.waitstatus_to_exitcode(status)
                ended = str(child.returncode) if child.returncode >= 0 else f"signal {-child.returncode}"
                break
            if time.perf_counter() > deadline:
                child.kill()
                _, _, usage = os.wait4(child.pid, 0)
                child.returncode = -9
                elapsed = time.perf_counter() - start
                break
            time.sleep(0.02)
        out.seek(0, os.SEEK_END)
        produced = out.tell()
        out.seek(0)
        if ended in ("0", "1") and produced < MIB and b"max-file-size" in out.read():
            ended = "skipped"  # the file was over the size limit: nothing was read, nothing to time
    return Run(shape, path.stat().st_size, elapsed, usage.ru_maxrss / 1024, ended, produced)


def growth(runs: list[Run], startup: float) -> float | None:
    """Seconds per MB (less start-up) at the largest size over the same at the smallest."""
    done = [r for r in runs if r.exit in ("0", "1")]
    if len(done) < 2:
        return None
    small, large = done[0], done[-1]
    per = [max(r.seconds - startup, 0.02) / r.size for r in (small, large)]
    return per[1] / per[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="64K,256K,1M,2M,5M", help="comma-separated sizes (K, M suffixes)")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run before it is killed")
    parser.add_argument("--only", action="append", choices=sorted(SHAPES), metavar="SHAPE",
                        help=f"run only this shape (repeatable): {', '.join(SHAPES)}")  # fmt: skip
    parser.add_argument("--format", default="text", help="report format (text shows excerpts: the slow part)")
    parser.add_argument("--memory", default="8G", help="address-space limit per run (a bomb dies alone)")
    parser.add_argument("--ratio", type=float, default=2.0, help="growth above which a shape is SUPER-LINEAR")
    parser.add_argument("--json", metavar="OUT", help="also write every run as JSON here")
    parser.add_argument("--keep", metavar="DIR", help="write the generated files here and keep them")
    args = parser.parse_args()
    sizes = sorted(_size(s) for s in args.sizes.split(","))
    memory = _size(args.memory)
    shapes = args.only or list(SHAPES)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="msglint-hostile-"))
    folder.mkdir(parents=True, exist_ok=True)

    empty = folder / "empty" / "producer.properties"
    empty.parent.mkdir(exist_ok=True)
    empty.write_text("acks=all\n")
    startup = min(measure("start-up", empty, args.format, args.timeout, memory).seconds for _ in range(3))
    print(f"start-up (an empty run): {startup:.2f} s; format {args.format}; timeout {args.timeout:g} s")
    print(f"{'shape':<22} {'size':>8} {'seconds':>9} {'s/MB':>8} {'peak RSS':>10} {'exit':>9} {'output':>10}")
    runs: list[Run] = []
    marked = False
    for shape in shapes:
        mine: list[Run] = []
        for size in sizes:
            name, text = SHAPES[shape](size)
            path = folder / f"{shape}-{size}" / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            run = measure(shape, path, args.format, args.timeout, memory)
            mine.append(run)
            per_mb = max(run.seconds - startup, 0.0) / (run.size / MIB)
            flag = (
                ""
                if run.exit in ("0", "1")
                else "  <- " + {"timeout": "TIMEOUT", "skipped": "SKIPPED"}.get(run.exit, "FAILED")
            )
            marked = marked or bool(flag)
            print(f"{shape:<22} {_human(run.size):>8} {run.seconds:>9.2f} {per_mb:>8.2f} {run.peak_rss_mb:>7.0f} MB "
                  f"{run.exit:>9} {run.output_bytes:>10}{flag}", flush=True)  # fmt: skip
            if run.exit == "timeout":
                break  # larger sizes would only time out too
        ratio = growth(mine, startup)
        verdict = "n/a" if ratio is None else f"{ratio:.1f}x" + ("  SUPER-LINEAR" if ratio > args.ratio else "  linear")
        marked = marked or (ratio is not None and ratio > args.ratio)
        print(f"{'':<22} growth {verdict}")
        runs.extend(mine)
    if args.json:
        Path(args.json).write_text(json.dumps({"startup": startup, "runs": [asdict(r) for r in runs]}, indent=2) + "\n")
    if not args.keep:
        import shutil

        shutil.rmtree(folder, ignore_errors=True)
    return 1 if marked else 0


if __name__ == "__main__":
    sys.exit(main())
