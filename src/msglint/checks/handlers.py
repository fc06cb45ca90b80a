"""Message handlers in source code, on the patterns the extractors found in them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit
from msglint.model import Entity, Origin


def swallowed_then_acknowledged(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """PY101: A handler whose except clause swallows every error, then acknowledges or commits the message anyway."""
    ack = handler.places.get("ack-at")
    if ack is None:
        return
    how = handler.attributes.get("ack-how", "to an acknowledgement")
    yield Hit(
        f"this except clause catches every error and carries on {how} (line {ack.line}): a message whose "
        "processing failed is acknowledged like a processed one, with no retry and no dead-letter route; "
        "re-raise, or reject/nack it (or publish it to a dead-letter topic) before acknowledging",
        None,
        related=((Origin(handler.path, ack, "acknowledgement", "python"), "acknowledgement"),),
    )


def endless_fixed_retry(loop: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """PY102: A `while True` retry loop with a constant sleep and no limit; one bad message blocks the consumer."""
    delay = loop.attributes.get("retry-delay")
    if delay is None:
        return
    yield Hit(
        f"a `while True` retry loop that waits a fixed {delay} s after each failure and never gives up: a "
        "failure that does not go away (a poison message, a bug, a long outage) keeps this loop, and the "
        "messages waiting behind it, stuck for ever, and every instance retries in lockstep; bound the "
        "attempts, back off exponentially with jitter, then dead-letter",
        None,
    )


def requeue_loop(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RC204: A pika or aio-pika failure path that requeues the message; a poison message loops for ever."""
    how = handler.attributes.get("requeue")
    if not how:
        return
    yield Hit(
        f"{how} on the failure path: the failed message goes straight back to its queue and is redelivered at "
        "once, so a message that always fails loops for ever, burning CPU and holding up the queue (a quorum "
        "queue stops at its delivery-limit, 20 by default since RabbitMQ 4.0; a classic queue never does); "
        "reject with requeue=False to a dead-letter exchange, or requeue only a first delivery "
        "(requeue=not method.redelivered)",
        None,
    )


def dual_write(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """JV103 (Java), PY103 (Python): a function that writes to a database and sends a message (KafkaTemplate,
    RabbitTemplate, a producer, ...), with no transactional outbox."""
    write = handler.places.get("dual-write")
    if write is None:
        return
    what = handler.attributes.get("write-call", "a database write")
    transactional = "transactional" in handler.traits
    yield Hit(
        f"{handler.attributes.get('send-call', 'this send')} and {what} at line {write.line} are two separate "
        "writes with nothing tying them together: if the process dies, the broker is unreachable or the database "
        "transaction rolls back between them, one happens without the other (a lost event, or an event about "
        "something that never happened)"
        + ("; inside @Transactional the send is not undone when the transaction rolls back" if transactional else "")
        + "; write the message to an outbox table in the same database transaction and publish it from there "
        "(a relay or CDC such as Debezium)",
        None,
        related=((Origin(handler.path, write, what, handler.client), "database write"),),
    )


def unguarded_write(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """JV104 (a Spring listener), PY104 (a Python handler): a message handler that inserts rows with no
    idempotency guard anywhere in its file (heuristic)."""
    what = handler.attributes.get("unguarded-write")
    where = handler.places.get("handler-at")
    if not what or where is None:
        return
    yield Hit(
        f"{what} runs for each delivery of a message, and the code that {handler.attributes.get('handler')} "
        f"(line {where.line}) has no idempotency guard: a redelivered message (after a crash, a rebalance or a "
        "lost ack, which at-least-once delivery allows) writes a second time. msglint looked in this module "
        f"for {handler.attributes.get('looked-for')} and found none; make the write idempotent (an upsert or a "
        "unique message-id key), or record processed message ids in the same transaction",
        None,
        related=((Origin(handler.path, where, "handler", handler.client), "message handler"),),
    )


def callback_never_acknowledges(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """RC205: a pika or aio-pika consumer with manual acknowledgement whose callback never acknowledges."""
    name = handler.attributes.get("unacked-callback")
    where = handler.places.get("handler-at")
    if name is None or where is None:
        return
    if handler.attributes.get("consume-call") == "consume":  # aio-pika
        how = "consume delivers with manual acknowledgement (no_ack is off)"
        calls, fix = "ack(), nack(), reject() or process()", "async with message.process(): ..."
    else:
        how = "basic_consume delivers with manual acknowledgement (auto_ack is off)"
        calls, fix = "basic_ack, basic_nack or basic_reject", "ch.basic_ack(delivery_tag=method.delivery_tag)"
    yield Hit(
        f"{how} to `{name}` (line {where.line}), which never calls {calls}: every message stays unacknowledged, so "
        "the consumer stops receiving once the channel's prefetch is reached (or holds every message without one), "
        "the broker closes the channel when consumer_timeout passes (30 minutes by default), and all of them are "
        f"redelivered; acknowledge each message once it is processed: {fix}",
        None,
        related=((Origin(handler.path, where, name, "python"), f"the callback {name}"),),
    )


def acknowledged_in_finally(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """JV101: A Java consumer that acknowledges in a finally block; a message whose processing failed is
    acknowledged too."""
    call = handler.attributes.get("finally-ack")
    attempt = handler.places.get("try-at")
    if call is None or attempt is None:
        return
    yield Hit(
        f"{call} in a finally block runs whether the work of its try (line {attempt.line}) succeeded or threw: a "
        "message whose processing failed is acknowledged like a processed one and is gone, with no redelivery "
        "and no dead-letter route (and after a nack in the catch it is acknowledged twice, which closes the "
        "channel); acknowledge as the last statement of the try and reject the message in the catch, to a "
        "dead-letter exchange: channel.basicNack(tag, false, false)",
        None,
        related=((Origin(handler.path, attempt, "try", "java"), "the try statement"),),
    )


def pull_never_acknowledged(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """NC106: A nats-py pull subscription whose fetched messages its module never acknowledges."""
    subscription = handler.attributes.get("unacked-fetch")
    subscribed = handler.places.get("subscribe-at")
    if subscription is None or subscribed is None:
        return
    yield Hit(
        f"the messages fetched from {subscription} (pull_subscribe, line {subscribed.line}) are never acknowledged "
        "in this module: no ack(), ack_sync(), nak(), term() or in_progress(). Its consumer acknowledges explicitly "
        "(nats-py's ConsumerConfig default), so JetStream delivers each message again once ack_wait passes (30 s "
        "by default) with no limit (max_deliver -1), and stops giving this consumer anything once max_ack_pending "
        "(1,000) messages are outstanding; acknowledge each message once it is processed: await msg.ack()",
        None,
        related=((Origin(handler.path, subscribed, "pull_subscribe", "python"), "the pull subscription"),),
    )


def unchecked_send(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP108: A Java Kafka send whose result is thrown away; a record that fails to be written is lost unnoticed."""
    call = handler.attributes.get("unchecked-send")
    if call is None:
        return
    told = (
        "Spring Kafka's default LoggingProducerListener only logs it"
        if handler.attributes.get("sender") == "template"
        else "with no callback nothing hears of it"
    )
    yield Hit(
        f"{call} returns a future that this statement throws away: a send is asynchronous, so when the record "
        "cannot be written (delivery.timeout.ms passes, the topic is missing, the record is too large, "
        f"authorization fails) the failure lands in that future and {told}; the caller carries on as if it "
        "were sent, and the record is lost; handle the outcome: a callback, or whenComplete((result, error) -> ...) "
        "that retries, records or fails the work",
        None,
    )


def java_commit_before_processing(handler: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KC206: Java: the consumer's commitSync()/commitAsync() runs before the polled records are processed."""
    commit, later = handler.attributes.get("early-commit"), handler.places.get("processed-at")
    if commit is None or later is None:
        return
    yield Hit(
        f"{commit} commits the offsets of everything poll() returned before the records are processed (line "
        f"{later.line}): if processing fails or the process stops in between, the committed offsets already say "
        "done and those records are never delivered again (at-most-once by accident); commit after the records "
        "are processed",
        None,
        related=((Origin(handler.path, later, "processing", "java"), "processing"),),
    )
