"""The HTML graph in a real headless browser: Chromium driven by Playwright for Python.

Skips unless both are present: ``pip install playwright`` and a Chromium, found as
``$MSGLINT_CHROMIUM``, ``chromium``/``chromium-browser``/``google-chrome`` on the PATH, or the one
``playwright install chromium`` downloads. Screenshots go to ``test-artifacts/`` (``$MSGLINT_ARTIFACTS``
to choose another directory). Load times are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path
from typing import Any

import pytest

from msglint import engine
from msglint import graph as topology
from msglint.graph import page
from msglint.model import Entity

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(os.environ.get("MSGLINT_ARTIFACTS", ROOT / "test-artifacts"))

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


def _chromium() -> str | None:
    """An explicit executable, else one on the PATH; None: Playwright's own download, if any."""
    given = os.environ.get("MSGLINT_CHROMIUM")
    if given:
        return given
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Any:
    with sync_api.sync_playwright() as playwright:
        try:
            launched = playwright.chromium.launch(
                executable_path=_chromium(), args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"]
            )
        except Exception as exc:  # no browser here: skip, do not fail
            pytest.skip(f"no Chromium to drive: {str(exc).splitlines()[0]}")
        yield launched
        launched.close()


def _load(browser: Any, html: str, tmp_path: Path, name: str) -> tuple[dict[str, int], list[str], float]:
    target = tmp_path / f"{name}.html"
    target.write_text(html, encoding="utf-8")
    view = browser.new_page(viewport={"width": 1400, "height": 900})
    problems: list[str] = []
    view.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    view.on("pageerror", lambda e: problems.append(str(e)))
    view.route("**/*", lambda route: route.abort() if not route.request.url.startswith("file:") else route.continue_())
    started = time.perf_counter()
    view.goto(target.as_uri())
    view.wait_for_function("window.MSGLINT_READY !== undefined", timeout=30_000)
    took = time.perf_counter() - started
    ready: dict[str, int] = view.evaluate("window.MSGLINT_READY")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    view.screenshot(path=str(ARTIFACTS / f"graph-{name}.png"))
    view.close()
    return ready, problems, took


def test_the_fixtures_page_loads_without_console_errors_and_draws_every_node(browser: Any, tmp_path: Path) -> None:
    entities: list[Entity] = []
    result = engine.run(["fixtures/"], cwd=ROOT, model=entities)
    graph = topology.build(entities, result.findings)
    ready, problems, took = _load(browser, page.page(graph), tmp_path, "fixtures")
    print(f"fixtures/: {ready['nodes']} nodes, page ready in {took:.2f}s")
    assert problems == []
    assert ready["nodes"] == len(graph.as_json()["nodes"])
    assert (ARTIFACTS / "graph-fixtures.png").stat().st_size > 0


def _big() -> topology.Graph:
    """500 topics and 200 applications in 20 namespaces, each application producing to and consuming from topics."""
    graph = topology.Graph()
    for t in range(500):
        graph.nodes.append(
            topology.Node(
                f"n{t}", "kafka.topic", "channel", f"topic: t{t}", f"ns{t % 20}/topics.yaml", 1, f"namespace ns{t % 20}"
            )
        )
    for a in range(200):
        graph.nodes.append(
            topology.Node(
                f"n{500 + a}",
                "kafka.consumer",
                "consumer",
                f"consumer: app{a}",
                f"apps/app{a}/application.yml",
                1,
                f"namespace ns{a % 20}",
            )
        )
        for k in range(3):
            graph.edges.append(topology.Edge(f"n{500 + a}", f"n{(a * 7 + k * 131) % 500}", "topics"))
    return graph


def test_a_500_topic_200_application_tree_opens_folded(browser: Any, tmp_path: Path) -> None:
    graph = _big()
    ready, problems, took = _load(browser, page.page(graph), tmp_path, "large")
    print(f"large: {ready['nodes']} nodes, {ready['drawn']} drawn folded, page ready in {took:.2f}s")
    assert problems == []
    assert ready["nodes"] == 700
    assert ready["drawn"] == len(json.loads(json.dumps(graph.as_json()))["groups"])  # one node per folded group
