"""The Bitnami rabbitmq chart's own value names, shared by discovery's sniff and the values extractor."""

from __future__ import annotations

OWN = frozenset(
    {"extraConfiguration", "memoryHighWatermark", "communityPlugins", "extraPlugins", "maxAvailableSchedulers"}
)
