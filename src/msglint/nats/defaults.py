"""JetStream defaults that apply when a key is not written: the NATS server, the NACK CRDs and nats-py,
with the source each one comes from. See DOMAIN.md."""

from __future__ import annotations

_NATS_CONSUMER: dict[str, tuple[str | None, str]] = {
    "ack_policy": ("none", "the NATS server (AckNone is the zero value of a consumer configuration)"),
    "ack_wait": (str(30 * 10**9), "the NATS server (30 s)"),
    "max_deliver": ("-1", "the NATS server (unlimited)"),
    "max_ack_pending": ("1000", "the NATS server"),
}
_NATS_STREAM: dict[str, tuple[str | None, str]] = {
    "num_replicas": ("1", "the NATS server"),
    "storage": ("file", "the NATS server"),
    "retention": ("limits", "the NATS server"),
    "max_age": ("0", "the NATS server (unlimited)"),
    "max_bytes": ("-1", "the NATS server (unlimited)"),
    "max_msgs": ("-1", "the NATS server (unlimited)"),
}
# nats-py's api.ConsumerConfig dataclass defaults, sent by add_consumer, subscribe and pull_subscribe
# alike (nats/js/api.py ConsumerConfig, as_dict drops None fields: the server's defaults apply to them)
_NATSPY_CONSUMER: dict[str, tuple[str | None, str]] = {
    "ack_policy": ("explicit", "nats-py (ConsumerConfig.ack_policy = AckPolicy.EXPLICIT)"),
    "deliver_policy": ("all", "nats-py (ConsumerConfig.deliver_policy = DeliverPolicy.ALL)"),
}
_NACK_CONSUMER = {**_NATS_CONSUMER, "ack_policy": ("none", "the NACK Consumer CRD (ackPolicy defaults to none)")}
_NACK_STREAM = {**_NATS_STREAM, "storage": ("memory", "the NACK Stream CRD (storage defaults to memory)")}

TABLES: dict[tuple[str, str], list[dict[str, tuple[str | None, str]]]] = {
    ("nats-server", "nats.consumer"): [_NATS_CONSUMER],
    ("nats-server", "nats.stream"): [_NATS_STREAM],
    ("nack", "nats.consumer"): [_NACK_CONSUMER],
    ("nats-py", "nats.consumer"): [_NATSPY_CONSUMER, _NATS_CONSUMER],
    ("nats-py", "nats.stream"): [_NATS_STREAM],
    ("nack", "nats.stream"): [_NACK_STREAM],
}
