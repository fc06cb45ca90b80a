"""The real pre-commit tool runs this checkout's hook in a throwaway repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = [
    pytest.mark.slow,  # each test installs the hook into a throwaway repository: seconds
    pytest.mark.skipif(shutil.which("pre-commit") is None, reason="pre-commit is not installed"),
]


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_fails_on_a_bad_file_and_passes_on_a_good_one(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "t@example.com")
    _git(project, "config", "user.name", "t")
    (project / "bad").mkdir()
    (project / "good").mkdir()
    (project / "bad" / "producer.properties").write_text("bootstrap.servers=k:9092\nacks=1\n")
    (project / "good" / "producer.properties").write_text("bootstrap.servers=k:9092\nacks=all\n")
    (project / "README.md").write_text("not a config file\n")
    (project / "ci.yml").write_text("on: [push\njobs: {\n")  # broken, but nothing msglint reads
    _git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def hook(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["pre-commit", "try-repo", str(ROOT), "msglint", "--files", *files],
            cwd=project,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )

    bad = hook("bad/producer.properties", "README.md")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "bad/producer.properties:2:1: KP101" in bad.stdout
    good = hook("good/producer.properties", "README.md", "ci.yml")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Passed" in good.stdout


POOL = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaNodePool
metadata:
  name: brokers
  namespace: kafka
  labels:
    strimzi.io/cluster: events
spec:
  replicas: 3
  roles: [broker]
"""
KAFKA = """apiVersion: kafka.strimzi.io/v1beta2
kind: Kafka
metadata:
  name: events
  namespace: kafka
spec:
  kafka:
    config:
      min.insync.replicas: 2
      default.replication.factor: 3
"""
TOPIC = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: orders
  namespace: kafka
  labels:
    strimzi.io/cluster: events
spec:
  partitions: 3
  replicas: 5
  config:
    min.insync.replicas: 2
"""


def test_the_hook_agrees_with_msglint_dot_when_pre_commit_splits_the_files(tmp_path: Path) -> None:
    """pre-commit cuts a long file list into batches (about 128 kB of arguments each); every batch is
    judged with the whole repository as context, so a topic and the cluster it outgrows, in two
    batches, still meet, and committing the topic alone fails as `msglint .` does."""
    project = tmp_path / "project"
    (project / "a-platform").mkdir(parents=True)
    (project / "z-apps").mkdir()
    _git(project, "init", "-q")
    _git(project, "config", "user.email", "t@example.com")
    _git(project, "config", "user.name", "t")
    (project / "a-platform" / "kafka.yaml").write_text(KAFKA)
    (project / "a-platform" / "pool.yaml").write_text(POOL)
    (project / "z-apps" / "topic.yaml").write_text(TOPIC)
    filler = project / "m-service" / "src" / "main" / "java" / "com" / "example" / "generated"
    filler.mkdir(parents=True)
    for n in range(2500):  # ~100 bytes of path each: more than one batch
        (filler / f"SomeGeneratedDataTransferObjectNumber{n:05d}.java").write_text(f"class C{n} {{}}\n")
    _git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "PIP_DISABLE_PIP_VERSION_CHECK": "1"}

    def hook(*args: str) -> subprocess.CompletedProcess[str]:
        command = ["pre-commit", "try-repo", "--verbose", str(ROOT), "msglint", *args]
        return subprocess.run(command, cwd=project, capture_output=True, text=True, env=env, timeout=900)

    whole = subprocess.run(["msglint", "."], cwd=project, capture_output=True, text=True, timeout=300)
    assert whole.returncode == 1 and "z-apps/topic.yaml:10:3: KT105" in whole.stdout, whole.stdout
    every = hook("--all-files")
    assert every.returncode == whole.returncode, every.stdout + every.stderr
    assert len(re.findall(r"\bfiles? read\b", every.stdout)) >= 2, every.stdout  # pre-commit did split the list
    # the topic's batch reports it, and so does the pool's: the finding's related place is named there
    assert "z-apps/topic.yaml:10:3: KT105" in every.stdout, every.stdout
    alone = hook("--files", "z-apps/topic.yaml")
    assert alone.returncode == 1 and "KT105" in alone.stdout, alone.stdout + alone.stderr
    pool = hook("--files", "a-platform/pool.yaml")  # the cluster shrinks: the topic it no longer fits is named
    assert pool.returncode == 1 and "z-apps/topic.yaml:10:3: KT105" in pool.stdout, pool.stdout + pool.stderr
