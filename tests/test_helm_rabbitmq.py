"""Bitnami rabbitmq chart values: which files are read and what the node is configured with."""

from __future__ import annotations

from pathlib import Path

from tests.test_clusters import entities


def _node(tmp_path: Path, text: str):  # type: ignore[no-untyped-def]
    found = [e for e in entities(tmp_path, {"values.yaml": text}) if e.kind == "rabbit.broker"]
    return found[0] if found else None


def test_extra_configuration_at_its_lines_and_templated_values_unknown(tmp_path: Path) -> None:
    text = (
        "replicaCount: 3\nextraPlugins: rabbitmq_shovel\nextraConfiguration: |-\n"
        "  consumer_timeout = 7200000\n  {{- if .Values.x }}\n"
        "  default_vhost = {{ .Release.Namespace }}\n  {{- end }}\n"
    )
    node = _node(tmp_path, text)
    assert node.client == "rabbitmq-helm" and node.derived["nodes"].value == 3
    assert node.settings["consumer_timeout"].origin.span.line == 4
    assert node.settings["default_vhost"].value is None


def test_memory_watermark_only_when_enabled(tmp_path: Path) -> None:
    off = "memoryHighWatermark:\n  enabled: false\n  value: 0.9\nextraPlugins: ''\n"
    assert "vm_memory_high_watermark.relative" not in _node(tmp_path, off).settings
    on = off.replace("enabled: false", "enabled: true")
    assert _node(tmp_path, on).settings["vm_memory_high_watermark.relative"].origin.span.line == 3


def test_an_existing_secret_means_nothing_is_known(tmp_path: Path) -> None:
    text = "extraConfigurationExistingSecret: conf\nextraConfiguration: |-\n  consumer_timeout = 1\nextraPlugins: ''\n"
    node = _node(tmp_path, text)
    assert "templated" in node.traits and not node.settings


def test_an_umbrella_charts_subchart_and_not_other_charts(tmp_path: Path) -> None:
    umbrella = "rabbitmq:\n  replicaCount: 1\n  memoryHighWatermark:\n    enabled: true\n    value: 0.5\n"
    assert _node(tmp_path, umbrella).derived["nodes"].value == 1
    assert _node(tmp_path, "replicaCount: 2\nimage:\n  repository: nginx\n") is None
