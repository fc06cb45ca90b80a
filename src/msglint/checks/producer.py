"""Producer checks that need more than one setting."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, describe, first_explicit
from msglint.checks.values import JAVA_CLIENTS
from msglint.defaults import effective
from msglint.model import Entity, Origin, Setting


def _idempotence_off_by(entity: Entity, by_default: bool = False) -> Setting | None:
    """The written setting that turns idempotence off, explicitly or silently (Kafka 3.2+); with
    ``by_default``, also a client whose default is off (librdkafka, aiokafka, kafka-python < 3)."""
    idem = entity.get("enable.idempotence")
    if idem is not None:
        return idem if idem.as_bool() is False else None
    default = effective(entity, "enable.idempotence")
    if by_default and default is not None and default.as_bool() is False:
        return default
    acks = entity.get("acks")
    if acks is not None and acks.value in ("0", "1"):
        return acks
    retries = entity.get("retries")
    if retries is not None and retries.as_int() == 0:
        return retries
    return None


_JAVA = JAVA_CLIENTS
_REFUSED = {"librdkafka": "librdkafka refuses the conflicting configuration", "aiokafka": "ValueError"}


def _fails(entity: Entity, java: str) -> str:
    """How the client refuses a configuration: Java's exception, or the Python client's own way."""
    if entity.client in _JAVA:
        return f"the producer fails to start ({java})"
    how = _REFUSED.get(entity.client, "the client refuses the conflicting configuration")
    return f"the producer cannot be created ({how})"


def idempotence_conflict(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP103: enable.idempotence=true written, with settings the client rejects at start-up."""
    idem = entity.get("enable.idempotence")
    explicit = idem is not None and idem.as_bool() is True
    if explicit:
        yield from _written_conflicts(entity)
    cause = _idempotence_off_by(entity)
    yield from _transactional_conflict(entity, cause)
    if entity.client not in _JAVA and not explicit:
        return  # idempotence is off by default in the Python clients: nothing to conflict with
    if "templated" in entity.traits and not explicit:
        return  # the part of the configuration out of sight may turn idempotence off
    if cause is None:
        yield from _inflight_conflict(entity, explicit)


def _written_conflicts(entity: Entity) -> Iterator[Hit]:
    """acks or retries written against a written enable.idempotence=true."""
    acks = entity.get("acks")
    retries = entity.get("retries")
    if acks is not None and acks.value not in (None, "all"):
        yield Hit(
            f"enable.idempotence=true with acks={acks.value}: "
            + _fails(entity, 'ConfigException: "Must set acks to all in order to use the idempotent producer"'),
            acks,
            ("acks", "all"),
        )
    if retries is not None and retries.as_int() == 0:
        yield Hit(
            "enable.idempotence=true with retries=0: "
            + _fails(entity, 'ConfigException: "Must set retries to non-zero when using the idempotent producer"'),
            retries,
            ("retries", "2147483647"),
        )


def _transactional_conflict(entity: Entity, cause: Setting | None) -> Iterator[Hit]:
    transactional = entity.get("transactional.id")
    if transactional is None or cause is None:
        return
    how = "is disabled" if cause.key == "enable.idempotence" else f"is turned off by {describe(cause)}"
    yield Hit(
        f"{transactional.origin.raw_key if transactional.origin else 'transactional.id'} makes this a "
        f"transactional producer, but idempotence {how}: "
        + _fails(entity, 'ConfigException: "Cannot set a transactional.id without also enabling idempotence"'),
        cause,
        (cause.key, "true")
        if cause.key == "enable.idempotence"
        else ("acks", "all")
        if cause.key == "acks"
        else ("retries", "2147483647"),
    )


def _inflight_conflict(entity: Entity, explicit: bool) -> Iterator[Hit]:
    inflight = entity.get("max.in.flight.requests.per.connection")
    n = inflight.as_int() if inflight is not None else None
    if inflight is None or n is None or n <= 5:
        return
    if explicit:
        consequence = _fails(entity, "ConfigException")
    else:
        consequence = (
            "idempotence is on by default, so Kafka 4.x clients fail to start (ConfigException) "
            "and 3.2-3.9 clients silently turn idempotence off (duplicates and reordering on retry)"
        )
    yield Hit(
        f"max.in.flight.requests.per.connection={n} is above 5, the most idempotence allows: {consequence}",
        inflight,
        ("max.in.flight.requests.per.connection", "5"),
    )


def reordering(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP105: Idempotence off + several requests in flight + retries: a retried batch overtakes the next."""
    cause = _idempotence_off_by(entity, by_default=True)
    if cause is None or entity.get("transactional.id") is not None:
        return  # a transactional producer without idempotence does not start (KP103)
    inflight = effective(entity, "max.in.flight.requests.per.connection")
    retries = effective(entity, "retries")
    n = inflight.as_int() if inflight is not None else None
    r = retries.as_int() if retries is not None else None
    if inflight is None or n is None or r is None or n <= 1 or r == 0:
        return
    at = first_explicit(entity.get("max.in.flight.requests.per.connection"), cause)
    if not cause.explicit:
        how = f"is off ({describe(cause)})"
    elif cause.key == "enable.idempotence":
        how = "is disabled"
    else:
        how = f"is turned off by {describe(cause)}"
    # the written cause is a related place: a fix of it (KP101's acks=all) ends this too (fixer.py)
    cause_place = ((cause, "turns idempotence off"),) if cause.explicit and at is not cause else ()
    yield Hit(
        f"idempotence {how} while {describe(inflight)} and retries are on: a retried batch "
        "can land after a later one, so records of one partition are reordered",
        at,
        ("max.in.flight.requests.per.connection", "1"),
        related=cause_place,
    )


def delivery_timeout(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP106: delivery.timeout.ms written below linger.ms + request.timeout.ms: rejected at start-up."""
    if entity.client not in JAVA_CLIENTS:
        return  # the Java client's own check
    delivery = entity.get("delivery.timeout.ms")
    request = effective(entity, "request.timeout.ms")
    d = delivery.as_int() if delivery is not None else None
    request_ms = request.as_int() if request is not None else None
    if delivery is None or d is None or request is None or request_ms is None:
        return
    linger = entity.get("linger.ms")
    written_linger = linger.as_int() if linger is not None else None
    if linger is not None and written_linger is None:
        return
    # an unwritten linger.ms is 0 before Kafka 4.0 and 5 since
    lingers = [written_linger] if written_linger is not None else [0, 5]
    failing = [ms for ms in lingers if d < ms + request_ms]
    if not failing:
        return
    if written_linger is None and failing == [5]:
        where = "Kafka 4.x clients fail to start (linger.ms defaults to 5 there; 0 before 4.0)"
    else:
        where = "the producer fails to start"
    yield Hit(
        f"delivery.timeout.ms={d} is below linger.ms + request.timeout.ms = {failing[0]} + {request_ms} "
        f"({describe(request)}): {where} (ConfigException)",
        delivery,
        ("delivery.timeout.ms", str(max(120000, max(lingers) + request_ms))),
    )


def batching_disabled(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP301: linger.ms=0 or batch.size=0 written: each record goes out in its own request."""
    linger = entity.get("linger.ms")
    if linger is not None and linger.as_int() == 0:
        yield Hit(
            "linger.ms=0: batches are sent as soon as possible, so under moderate load most requests carry "
            "few records (Kafka 4.0 moved the default to 5 for this reason)",
            linger,
            ("linger.ms", "5"),
        )
    size = entity.get("batch.size")
    if size is not None and size.as_int() == 0:
        yield Hit("batch.size=0 turns batching off: one record per request", size, ("batch.size", "16384"))


def delivery_never_served(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP107: A confluent-kafka producer whose code produces but never calls poll() or flush()."""
    at = entity.places.get("produce-at")
    if at is None or entity.lists.get("served-by"):
        return
    where = Origin(entity.path, at, "produce", "python")
    binding = entity.attributes.get("binding", "producer")
    yield Hit(
        f"{binding}.produce() is called but {binding}.poll() and {binding}.flush() never are in this module: "
        "delivery reports (and their errors) are never served, the local queue fills until produce() raises "
        "BufferError, and whatever is still queued when the process exits is lost",
        Setting("produce", None, "", where),
    )


def retries_disabled(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KP104: retries=0 written: a transient error fails the send. The fix restores retries only where
    that cannot reorder records (idempotence then on, or one request in flight): otherwise it would
    trade this finding for KP105's, and the fix is the idempotence KP102 asks for."""
    retries = entity.get("retries")
    if retries is None or retries.as_int() != 0:
        return
    without = dataclasses.replace(entity, settings={k: v for k, v in entity.settings.items() if k != "retries"})
    inflight = effective(without, "max.in.flight.requests.per.connection")
    ordered = _idempotence_off_by(without, by_default=True) is None or (
        inflight is not None and (inflight.as_int() or 0) <= 1
    )
    yield Hit(
        "retries=0: a leader election or a dropped connection fails the send instead of retrying it (and in the "
        "Java client since Kafka 3.2 it also turns off the default idempotence)",
        retries,
        ("retries", "2147483647") if ordered else None,
    )
