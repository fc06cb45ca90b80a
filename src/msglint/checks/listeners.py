"""Spring listeners in source code: dead-lettering, acknowledgement, back-off."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.model import Entity, Origin

_MANUAL = {"kafka": ("manual", "manual_immediate"), "rabbit": ("manual",)}


def no_dead_letter(app: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KL301: A Spring Kafka application whose listeners have no dead-letter route; a failing record is logged and
    skipped."""
    if app.attributes.get("dead-letter"):
        return
    listeners = app.related.get("listeners", [])
    others = tuple((Origin(e.path, e.anchor, e.label, "java"), e.label) for e in listeners[1:])
    count = len(listeners)
    handler = app.attributes.get("error-handler", "")
    retried = (
        f"handled by {handler}, which retries it as its back-off says"
        if handler
        else "retried by Spring Kafka's default error handler, DefaultErrorHandler (10 deliveries, no delay)"
    )
    yield Hit(
        f"{'this @KafkaListener runs' if count == 1 else f'these {count} @KafkaListener methods run'} with no "
        "dead-letter route: no DeadLetterPublishingRecoverer built, no @RetryableTopic/@DltHandler, no error "
        "handler with a recoverer, no send of the failed record from the listener and no Spring Cloud Stream "
        f"enable-dlq in this application, so a record that keeps failing is {retried} and then logged and "
        "skipped: its offset is committed and the record is lost; add "
        "DefaultErrorHandler(new DeadLetterPublishingRecoverer(template), backOff) as the factory's error handler",
        None,
        related=others,
    )


def _unacknowledged(listener: Entity, framework: str) -> Iterator[Hit]:
    if listener.attributes.get("framework") != framework or "async" in listener.traits:
        return  # an asynchronous result is acknowledged by the container when it completes
    mode = listener.attributes.get("ack-mode", "")
    if mode not in _MANUAL[framework]:
        return
    parameter = listener.attributes.get("ack-parameter")
    where = listener.attributes.get("ack-mode-from", "")
    kafka = framework == "kafka"
    kind = "Acknowledgment" if kafka else "Channel"
    if not parameter:
        problem = f"has no {kind} parameter, so it cannot acknowledge"
    elif listener.attributes.get("acknowledges") == "never":
        call = f"{parameter}.acknowledge()" if kafka else f"{parameter}.basicAck(tag, false)"
        problem = f"takes {kind} {parameter} but never calls {call} or hands it on"
    else:
        return
    effect = (
        "its offsets are never committed, so each restart or rebalance delivers every record since the last "
        "commit again"
        if kafka
        else "each message stays unacknowledged: after prefetch-count of them the consumer receives nothing more, "
        "and all of them are redelivered when the channel closes"
    )
    yield Hit(f"acknowledgement mode {mode.upper()} ({where}), but this listener {problem}: {effect}", None)


def kafka_unacknowledged(listener: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KL304: A @KafkaListener under ack-mode MANUAL(_IMMEDIATE) that never acknowledges; offsets are never
    committed."""
    yield from _unacknowledged(listener, "kafka")


def rabbit_unacknowledged(listener: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RL301: A @RabbitListener under AcknowledgeMode.MANUAL that never acks; the consumer stalls after prefetch
    messages."""
    yield from _unacknowledged(listener, "rabbit")


def acknowledgment_without_manual_mode(listener: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KL305: A @KafkaListener takes an Acknowledgment while its container is not in MANUAL ack mode; every call
    fails."""
    if listener.attributes.get("framework") != "kafka" or not listener.attributes.get("ack-parameter"):
        return
    if "non-null-ack" in listener.traits:
        return  # Spring Kafka 4 hands a non-null Acknowledgment parameter a no-op one outside MANUAL modes
    mode = listener.attributes.get("ack-mode", "")
    if not mode or mode in _MANUAL["kafka"]:
        return  # unknown, or manual as it must be
    yield Hit(
        f"this listener takes an Acknowledgment but its container's ack mode is {mode.upper()} "
        f"({listener.attributes.get('ack-mode-from', '')}): Spring Kafka passes no Acknowledgment then, and "
        'every call fails with IllegalStateException ("No Acknowledgment available as an argument, the listener '
        'container must have a MANUAL AckMode"); the error handler retries each record and then skips it, so '
        "nothing is processed; set the ack mode to MANUAL or MANUAL_IMMEDIATE, or drop the parameter",
        None,
    )


def unlimited_back_off(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KL302: A Spring back-off that never gives up; one failing record blocks its partition for ever."""
    if handler.attributes.get("back-off") != "unlimited":
        return
    yield Hit(
        f"{handler.attributes.get('back-off-call')} retries a failing record for ever: the container retries in "
        "the consumer thread, so the partition behind that record makes no progress (and an ExponentialBackOff "
        "without setMaxElapsedTime/setMaxAttempts never stops); bound the attempts, e.g. "
        "new ExponentialBackOffWithMaxRetries(5) with a dead-letter recoverer",
        None,
    )


def fixed_back_off(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KL303: A Spring FixedBackOff with retries; an exponential back-off with a cap outlasts outages better."""
    if handler.attributes.get("back-off") != "fixed":
        return
    yield Hit(
        f"{handler.attributes.get('back-off-call')} waits the same time before each of its "
        f"{handler.attributes.get('attempts')} retries: a downstream outage gets hammered at a constant rate by "
        "every consumer at once, and a longer outage is not outlasted; prefer ExponentialBackOffWithMaxRetries "
        "with setInitialInterval/setMultiplier/setMaxInterval",
        None,
    )


def rabbit_boot_defaults_requeue(listener: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RL302: A @RabbitListener on Spring Boot's defaults: a failed message is requeued at once, for ever."""
    if listener.attributes.get("framework") != "rabbit" or "boot-listener-defaults" not in listener.traits:
        return
    yield Hit(
        f"this @RabbitListener runs on Spring Boot's listener container with nothing configured "
        f"({listener.attributes.get('ack-mode-from', '')}): acknowledge-mode AUTO, default-requeue-rejected "
        "true and no retry, so a message whose handling throws is put back at the head of the queue and "
        "delivered again at once, for ever (a quorum queue stops at its delivery limit, 20 from RabbitMQ 4.0): "
        "one poison message keeps the consumer busy in a loop; set spring.rabbitmq.listener.simple.retry.enabled: "
        "true (with max-attempts) and give the queue a dead-letter exchange, or default-requeue-rejected: false",
        None,
    )
