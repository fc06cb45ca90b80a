"""Spring AMQP listener containers and RabbitTemplate, as Spring Boot configures them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, default_note
from msglint.defaults import effective
from msglint.model import Entity


def auto_ack(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS201: Spring AMQP acknowledge-mode NONE (broker auto-ack); in-flight messages are lost on a crash."""
    mode = consumer.get("acknowledge-mode")
    if mode is not None and mode.value == "none":
        yield Hit(
            "acknowledge-mode=none: the broker considers each message delivered as soon as it is sent "
            "(autoAck), so messages in flight or in the prefetch buffer are lost when the application crashes "
            "or a listener throws",
            mode,
            ("acknowledge-mode", "auto"),
        )


def prefetch(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS202: Spring AMQP prefetch of 0 (unlimited) or above 1000."""
    setting = consumer.get("prefetch")
    value = setting.as_int() if setting is not None else None
    maximum = int(options.get("max", 1000))
    if setting is None or value is None:
        return
    if value == 0:
        problem = "0 means no limit: the broker pushes the whole queue into the consumer's memory"
    elif value > maximum:
        problem = f"above {maximum}, one consumer hoards messages the others could process, and holds them in memory"
    else:
        return
    yield Hit(
        f"prefetch={value}: {problem} (RabbitMQ finds 100-300 usually enough; Spring AMQP's default is 250)",
        setting,
        ("prefetch", "250"),
    )


def requeue_loop(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS203: Failed messages requeued forever (default-requeue-rejected true, no retry); a poison-message loop."""
    if consumer.attributes.get("container") == "stream":
        return  # the stream container has no acknowledgements to requeue
    mode = effective(consumer, "acknowledge-mode")
    requeue = effective(consumer, "default-requeue-rejected")
    retry = effective(consumer, "retry.enabled")
    if mode is None or mode.value != "auto" or requeue is None or requeue.as_bool() is not True:
        return
    if retry is not None and retry.as_bool():
        return  # Boot's retry interceptor ends with RejectAndDontRequeueRecoverer: no loop
    yield Hit(
        f"default-requeue-rejected=true{default_note(requeue)} and no retry: a message whose listener throws is "
        "requeued and redelivered at once, forever (quorum queues stop at their delivery limit: 20 from "
        "RabbitMQ 4.0); one poison message occupies the consumer in a loop",
        requeue if requeue.explicit else None,
        ("default-requeue-rejected", "false"),
    )


def retry_drops(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS204: Spring listener retry ends by rejecting the message; without a dead-letter exchange it is dropped."""
    retry = consumer.get("retry.enabled")
    if retry is None or retry.as_bool() is not True or "advice-chain" in consumer.traits:
        return  # a Java advice chain names its own recoverer: Boot's default is not in play
    yield Hit(
        "retry.enabled=true: when the attempts run out, Spring Boot's default recoverer "
        "(RejectAndDontRequeueRecoverer) rejects the message without requeue, so it is dead-lettered if the "
        "queue has a dead-letter exchange and silently dropped if not; make sure each listened queue has one, "
        "or declare a MessageRecoverer bean (RepublishMessageRecoverer) that keeps it",
        retry,
    )


def no_confirms(publisher: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS205: RabbitTemplate without publisher confirms; lost publishes go unnoticed."""
    confirms = effective(publisher, "publisher-confirm-type")
    if confirms is None or confirms.value != "none":
        return
    yield Hit(
        f"publisher-confirm-type=none{default_note(confirms)}: RabbitTemplate.send returns before the broker "
        "has the message, so a message lost to a connection drop, a full queue (reject-publish) or a node "
        "failure is never noticed",
        confirms if confirms.explicit else None,
        ("publisher-confirm-type", "correlated"),
    )


def unroutable(publisher: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS206: Publisher confirms without returns; messages that match no queue are confirmed and dropped."""
    confirms = effective(publisher, "publisher-confirm-type")
    if confirms is None or confirms.value in ("none", None):
        return
    mandatory = publisher.get("template.mandatory")
    returns = effective(publisher, "publisher-returns")
    if mandatory is not None and mandatory.as_bool() is True:
        return
    if mandatory is None and returns is not None and returns.as_bool() is True:
        return  # Boot sets mandatory from publisher-returns when it is not written
    yield Hit(
        "publisher confirms are on but unroutable messages are not returned (publisher-returns and "
        "template.mandatory are not true): the broker confirms a message that matched no queue and drops it, "
        "so a missing binding or a typo in a routing key loses messages while every confirm succeeds",
        mandatory if mandatory is not None else confirms,
        ("publisher-returns", "true") if mandatory is None else ("template.mandatory", "true"),
    )


def sends_unconfirmed(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RS207: A Spring Boot application publishes with RabbitTemplate and nothing turns publisher confirms on."""
    if "unconfirmed" not in handler.traits:
        return
    count = handler.counts.get("sends", 1)
    others = f" (and {count - 1} more send{'s' if count > 2 else ''} in this module)" if count > 1 else ""
    yield Hit(
        f"{handler.attributes.get('rabbit-send', 'this send')}{others} publishes on Spring Boot's RabbitTemplate "
        "with publisher confirms off (publisher-confirm-type is none by default, and nothing in "
        f"{handler.attributes.get('spring-files', 'its configuration')} or in its code turns them on): the call "
        "returns once the bytes are written to the socket, so a message that a broker restart, a connection drop "
        "or a full queue loses is lost without an error; set spring.rabbitmq.publisher-confirm-type: correlated "
        "and handle the confirms (CorrelationData.getFuture())",
        None,
    )
