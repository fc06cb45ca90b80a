"""Distribution: the LICENSE, the CHANGELOG, the version from git tags, the GitHub Action, the image."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)  # msglint's console script sits beside the interpreter
# sha256 of https://www.apache.org/licenses/LICENSE-2.0.txt, the verbatim text
APACHE_2_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _action() -> dict[str, object]:
    from ruamel.yaml import YAML

    loaded: dict[str, object] = YAML(typ="safe").load((ROOT / "action.yml").read_text(encoding="utf-8"))
    return loaded


def _steps() -> list[dict[str, object]]:
    runs = _action()["runs"]
    assert isinstance(runs, dict)
    steps: list[dict[str, object]] = runs["steps"]
    return steps


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=cwd, check=True)


def test_license_is_the_apache_2_text_pyproject_names() -> None:
    text = (ROOT / "LICENSE").read_bytes()
    assert hashlib.sha256(text).hexdigest() == APACHE_2_SHA256
    assert _pyproject()["project"]["license"] == "Apache-2.0"  # type: ignore[index]


def test_changelog_has_an_unreleased_section() -> None:
    lines = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert "## [Unreleased]" in lines
    after = lines[lines.index("## [Unreleased]") + 1 :]
    assert any(line.startswith("- ") for line in after)  # it says what is in it


def test_version_is_the_installed_distributions() -> None:
    out = subprocess.run([sys.executable, "-m", "msglint", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"msglint, version {importlib.metadata.version('msglint')}"


def _copy_tree(dest: Path) -> Path:
    """What a wheel is built from, as a fresh checkout has it (no generated _version.py)."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, dest / name)
    ignore = shutil.ignore_patterns("__pycache__", "_version.py")
    shutil.copytree(ROOT / "src", dest / "src", ignore=ignore)
    shutil.copytree(ROOT / "rules", dest / "rules", ignore=ignore)
    return dest


def _built_version(tree: Path, out: Path, **env: str) -> tuple[str, str]:
    """Build a wheel of tree with pip (hatchling and hatch-vcs in an isolated build), as `pip install` does."""
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(tree)],
        check=True,
        env={**os.environ, **env},
    )
    (wheel,) = out.glob("msglint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        generated = archive.read("msglint/_version.py").decode()
    wheel.unlink()
    return wheel.name.split("-")[1], generated


@pytest.mark.slow
def test_the_version_comes_from_the_git_tag_or_the_fallback(tmp_path: Path) -> None:
    (tmp_path / "tree").mkdir()
    tree = _copy_tree(tmp_path / "tree")
    out = tmp_path / "dist"
    assert _built_version(tree, out) == ("0.1.0.dev0", '"""' + _generated_doc() + '"""\n\n__version__ = "0.1.0.dev0"\n')
    pretend = _built_version(tree, out, SETUPTOOLS_SCM_PRETEND_VERSION="3.2.1")  # the Dockerfile's build arg
    assert pretend[0] == "3.2.1"
    _git(tree, "init", "-q")
    _git(tree, "add", ".")
    _git(tree, "commit", "-qm", "release")
    _git(tree, "tag", "-a", "v9.8.7", "-m", "msglint 9.8.7")
    version, generated = _built_version(tree, out)
    assert version == "9.8.7"
    assert generated.endswith('__version__ = "9.8.7"\n')
    (tree / "CHANGES").write_text("next\n", encoding="utf-8")
    _git(tree, "add", ".")
    _git(tree, "commit", "-qm", "after the release")
    assert _built_version(tree, out)[0].startswith("9.8.8.dev1+g")


def _generated_doc() -> str:
    template: str = _pyproject()["tool"]["hatch"]["build"]["hooks"]["vcs"]["template"]  # type: ignore[index]
    return template.split('"""')[1]


def test_the_action_has_the_inputs_and_steps_it_documents() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"  # type: ignore[index]
    assert set(action["inputs"]) >= {"paths", "args", "version", "sarif"}  # type: ignore[arg-type]
    assert "summary" not in action["inputs"]  # type: ignore[operator]
    uses = [step.get("uses", "") for step in _steps()]
    assert any(str(u).startswith("actions/setup-python@") for u in uses)
    assert any(str(u).startswith("github/codeql-action/upload-sarif@") for u in uses)
    install = next(step for step in _steps() if step.get("name") == "Install msglint")
    assert "${{ github.action_path }}" in str(install["env"])
    assert "|| true" not in (ROOT / "action.yml").read_text(encoding="utf-8")


def _run_step(name: str, cwd: Path, paths: str, args: str = "") -> tuple[subprocess.CompletedProcess[str], str]:
    """Run one of the action's shell steps as the runner would: bash -e, its env, GITHUB_OUTPUT."""
    step = next(s for s in _steps() if s.get("name") == name)
    output = cwd / "github-output"
    output.write_text("", encoding="utf-8")
    env = {
        **os.environ,
        "PATH": BIN + os.pathsep + os.environ.get("PATH", ""),
        "MSGLINT_PATHS": paths,
        "MSGLINT_ARGS": args,
        "SARIF_FILE": "msglint.sarif",
        "GITHUB_OUTPUT": str(output),
        "NO_COLOR": "1",
    }
    run = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", str(step["run"])],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    return run, output.read_text(encoding="utf-8")


def test_the_action_steps_pass_msglints_exit_code_through(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "fixtures" / "kafka-client", tmp_path / "kafka-client")
    sarif, _ = _run_step("SARIF report", tmp_path, "kafka-client")
    assert sarif.returncode == 0, sarif.stderr  # findings: the annotations step fails the job, not this one
    report = json.loads((tmp_path / "msglint.sarif").read_text(encoding="utf-8"))
    assert report["runs"][0]["results"]
    annotate, github_output = _run_step("Annotations", tmp_path, "kafka-client")
    assert annotate.returncode == 1
    assert "::error " in annotate.stdout
    assert github_output == "exit-code=1\n"
    broken, _ = _run_step("SARIF report", tmp_path, "kafka-client", "--fail-on nonsense")
    assert broken.returncode == 2  # a usage error fails the job at once
    clean, github_output = _run_step("Annotations", tmp_path, "kafka-client/good")
    assert (clean.returncode, github_output) == (0, "exit-code=0\n")


def _validators() -> list[str]:
    return [tool for tool in ("check-jsonschema", "actionlint") if shutil.which(tool)]


@pytest.mark.skipif(not _validators(), reason="neither check-jsonschema nor actionlint is installed")
def test_the_action_metadata_validates(tmp_path: Path) -> None:
    if shutil.which("check-jsonschema"):
        schema = subprocess.run(
            ["check-jsonschema", "--builtin-schema", "vendor.github-actions", str(ROOT / "action.yml")],
            capture_output=True,
            text=True,
        )
        assert schema.returncode == 0, schema.stdout + schema.stderr
    if shutil.which("actionlint"):
        # actionlint checks workflows; one that uses the local action makes it read action.yml's inputs
        shutil.copy2(ROOT / "action.yml", tmp_path / "action.yml")
        workflows = tmp_path / ".github" / "workflows"
        workflows.mkdir(parents=True)
        _git(tmp_path, "init", "-q")
        (workflows / "msglint.yml").write_text(_WORKFLOW, encoding="utf-8")
        lint = subprocess.run(["actionlint"], cwd=tmp_path, capture_output=True, text=True)
        assert lint.returncode == 0, lint.stdout + lint.stderr
        (workflows / "msglint.yml").write_text(_WORKFLOW + "          no-such-input: x\n", encoding="utf-8")
        wrong = subprocess.run(["actionlint"], cwd=tmp_path, capture_output=True, text=True)
        assert wrong.returncode == 1 and 'input "no-such-input" is not defined' in wrong.stdout


_WORKFLOW = """\
name: msglint
on: [push, pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  msglint:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: ./
        with:
          paths: .
          args: --diff-base origin/main
          sarif: "true"
"""


def _docker_runs() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "info"], capture_output=True).returncode == 0


@pytest.mark.slow
@pytest.mark.skipif(not _docker_runs(), reason="no docker daemon (docker info fails)")
def test_the_image_runs_msglint_as_a_user() -> None:
    tag = f"msglint-test:{os.getpid()}"
    subprocess.run(["docker", "build", "-q", "-t", tag, str(ROOT)], check=True, capture_output=True)
    try:
        mount = ["-v", f"{ROOT / 'fixtures'}:/src/fixtures:ro"]
        run = subprocess.run(["docker", "run", "--rm", *mount, tag, "fixtures"], capture_output=True, text=True)
        assert run.returncode == 1, run.stderr
        assert "KP101 [error]" in run.stdout
        user = subprocess.run(
            ["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"], capture_output=True, text=True
        )
        assert user.stdout.strip() not in ("", "0")
        version = subprocess.run(["docker", "run", "--rm", tag, "--version"], capture_output=True, text=True)
        assert version.stdout.strip() == "msglint, version 0.1.0.dev0"  # no .git in the context: the fallback
    finally:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True)
