"""Kubernetes joins: an autoscaler to the workload it scales."""

from __future__ import annotations

from msglint.link.near import nearest, same_namespace
from msglint.link.workspace import Workspace


def autoscalers(workspace: Workspace) -> None:
    """A HorizontalPodAutoscaler to the one workload it targets."""
    for hpa in workspace.of("k8s.hpa"):
        targets = [
            w for w in workspace.of("k8s.workload") if w.name == hpa.attributes.get("target") and same_namespace(hpa, w)
        ]
        closest = nearest(hpa, targets)
        if len(closest) == 1:
            closest[0].related["hpa"] = [hpa]
