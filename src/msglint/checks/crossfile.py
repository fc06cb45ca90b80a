"""Checks that need two files: a client's configuration and the topic or workload it meets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from msglint.checks import Hit, default_note
from msglint.defaults import effective
from msglint.link import where
from msglint.model import Entity, Origin, Setting


def _ref(client: Entity, topic: Entity) -> Setting | None:
    """The setting of ``client`` that names ``topic``."""
    return next((r for r in client.refs if topic.name in (r.value or "").replace(",", " ").split()), None)


def acks_all_single_insync(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KX201: A producer asks acks=all of a topic whose min.insync.replicas=1; one copy can be enough."""
    producers = [
        p
        for p in topic.related.get("producers", [])
        if (acks := effective(p, "acks")) is not None and acks.value == "all"
    ]
    rf, isr = effective(topic, "replication.factor"), effective(topic, "min.insync.replicas")
    if not producers or rf is None or isr is None or topic.environment:
        return
    if (rf.as_int() or 0) < 2 or isr.as_int() != 1:
        return
    related: list[tuple[Setting | Entity | Origin, str]] = []
    names = []
    for producer in producers:
        acks = effective(producer, "acks")
        assert acks is not None
        names.append(f"{producer.name or producer.path} ({where(acks.origin) if acks.explicit else producer.path})")
        related.append((acks if acks.explicit else producer, f"producer asks acks=all{default_note(acks)}"))
        ref = _ref(producer, topic)
        if ref is not None:
            related.append((ref, f"names topic {topic.name}"))
    yield Hit(
        f"topic {topic.name} has min.insync.replicas=1{default_note(isr)}, so acks=all from "
        f"{', '.join(names)} is satisfied by the leader alone whenever the followers lag: acknowledged records "
        "can be lost with one broker",
        isr if isr.explicit else None,
        ("min.insync.replicas", "2") if (rf.as_int() or 0) >= 3 else None,
        related=tuple(related),
    )


@dataclass(frozen=True)
class _Group:
    consumers: int
    how: str
    fix: tuple[str, str] | None
    at: Setting | None
    on: Entity | None
    related: tuple[tuple[Setting | Entity | Origin, str], ...]


@dataclass(frozen=True)
class Pods:
    """How many pods of a workload run: HPA's maxReplicas, else ``replicas``, else Kubernetes' one."""

    count: int | None
    setting: Setting | None  # the one counted
    scale: Setting | None  # HPA maxReplicas
    replicas: Setting | None

    @staticmethod
    def of(workload: Entity) -> Pods:
        replicas = workload.get("replicas")
        hpa = workload.one("hpa")
        scale = hpa.get("maxReplicas") if hpa is not None else None
        setting = scale or replicas
        return Pods(setting.as_int() if setting is not None else 1, setting, scale, replicas)

    def text(self, workload: Entity) -> str:
        kind = workload.attributes.get("kind", "Deployment")
        if self.scale is not None:
            return f"up to {self.count} pods of {kind} {workload.name} (HPA maxReplicas)"
        plural = "s" if self.count != 1 else ""
        unset = "" if self.replicas is not None else " (replicas not set: 1)"
        return f"{self.count} replica{plural} of {kind} {workload.name}{unset}"


def _per_pod(workload: Entity, concurrency: Setting | None) -> Setting | None:
    """The listener concurrency in each pod: the workload's environment variable overrides Boot's key."""
    env = workload.get("env.SPRING_KAFKA_LISTENER_CONCURRENCY")
    return env if env is not None and env.as_int() is not None else concurrency


def _where_to_fix(
    per_pod: Setting | None, concurrency: Setting | None, listener: Entity | None, workload: Entity, pods: Pods
) -> tuple[Setting | None, Entity | None, str, int | None]:
    """Where the finding points, on what, the key a fix sets and the other factor of the count."""
    threads = per_pod.as_int() if per_pod is not None else 1
    if per_pod is not None and per_pod.explicit and per_pod is concurrency:
        return per_pod, listener, "concurrency", pods.count
    if per_pod is not None and per_pod.explicit:  # the Deployment's environment variable
        return per_pod, workload, "", pods.count
    if pods.setting is not None and pods.setting.explicit and pods.scale is None:
        return pods.setting, workload, "replicas", threads
    return None, None, "", 1


def _group_related(
    consumer: Entity, topic: Entity, workload: Entity, pods: Pods
) -> tuple[tuple[Setting | Entity | Origin, str], ...]:
    related: list[tuple[Setting | Entity | Origin, str]] = [
        (pods.setting if pods.setting is not None else workload, f"pods of {workload.name}"),
        (effective(topic, "partitions") or topic, f"partitions of topic {topic.name}"),
    ]
    ref = _ref(consumer, topic)
    if ref is not None:
        related.append((ref, f"names topic {topic.name}"))
    return tuple(related)


def _groups(consumer: Entity, topic: Entity) -> Iterator[_Group]:
    """Consumers of ``topic`` per workload that runs ``consumer``'s application."""
    listener = consumer.one("listener")
    concurrency = effective(listener, "concurrency") if listener is not None else None
    for workload in consumer.related.get("workloads", []):
        per_pod = _per_pod(workload, concurrency)
        threads = per_pod.as_int() if per_pod is not None else 1
        pods = Pods.of(workload)
        if threads is None or pods.count is None:
            continue
        threads_text = f"listener concurrency {threads}" + (
            "" if per_pod is not None and per_pod.explicit else " (not set: Spring Kafka's default of 1)"
        )
        at, on, fix_key, other = _where_to_fix(per_pod, concurrency, listener, workload, pods)
        partitions = effective(topic, "partitions")
        n = partitions.as_int() if partitions is not None else None
        fix = (fix_key, str(_even(n, max(1, other or 0)))) if fix_key and n and _even(n, max(1, other or 0)) else None
        yield _Group(
            pods.count * threads,
            f"{pods.text(workload)} times {threads_text} ({consumer.attributes.get('workload-link', '')})",
            fix,
            at,
            on,
            _group_related(consumer, topic, workload, pods),
        )


def _even(partitions: int, others: int) -> int | None:
    """The largest count (concurrency, or pods) that, times ``others``, leaves no consumer idle and
    spreads the partitions evenly (so the fix raises no KX203); None when there is none."""
    for count in range(partitions // others, 0, -1):
        if partitions % (count * others) == 0:
            return count
    return None


def _partitions(topic: Entity) -> tuple[Setting, int] | None:
    partitions = effective(topic, "partitions")
    n = partitions.as_int() if partitions is not None else None
    return None if partitions is None or n is None else (partitions, n)


def consumers_exceed_partitions(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KX202: More consumers (listener concurrency times pods) than the topic has partitions; some stay idle."""
    for topic in consumer.related.get("topics", []):
        found = _partitions(topic)
        if found is None:
            continue
        partitions, n = found
        for group in _groups(consumer, topic):
            if group.consumers > n:
                yield Hit(
                    f"{group.consumers} consumers read topic {topic.name}, which has {n} partition"
                    f"{'s' if n != 1 else ''}{default_note(partitions)}: {group.consumers - n} stay idle. "
                    f"Consumers: {group.how}",
                    group.at,
                    group.fix,
                    on=group.on,
                    related=group.related,
                )


def partitions_uneven(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KX203: Partitions not a multiple of the consumers; some consumers carry more load (a hint)."""
    for topic in consumer.related.get("topics", []):
        found = _partitions(topic)
        if found is None:
            continue
        n = found[1]
        for group in _groups(consumer, topic):
            if 1 < group.consumers < n and n % group.consumers:
                yield Hit(
                    f"topic {topic.name} has {n} partitions for {group.consumers} consumers: "
                    f"{n % group.consumers} consumer(s) get one partition more than the others, so load is uneven "
                    f"(a multiple of {group.consumers} spreads it evenly). Consumers: {group.how}",
                    group.at,
                    None,
                    related=group.related,
                )
