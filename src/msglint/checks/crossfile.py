"""Checks that need two files: a client's configuration and the topic or workload it meets."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from msglint.checks import Hit, default_note
from msglint.link import where
from msglint.model import Entity, Origin, Setting


def _ref(client: Entity, topic: Entity) -> Setting | None:
    """The setting of ``client`` that names ``topic``."""
    return next((r for r in client.refs if topic.name in (r.value or "").replace(",", " ").split()), None)


def acks_all_single_insync(topic: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    producers = [
        p
        for p in topic.related.get("producers", [])
        if (acks := p.effective("acks")) is not None and acks.value == "all"
    ]
    rf, isr = topic.effective("replication.factor"), topic.effective("min.insync.replicas")
    if not producers or rf is None or isr is None or topic.environment:
        return
    if (rf.as_int() or 0) < 2 or isr.as_int() != 1:
        return
    related: list[tuple[Setting | Entity | Origin, str]] = []
    names = []
    for producer in producers:
        acks = producer.effective("acks")
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


def _groups(consumer: Entity, topic: Entity) -> Iterator[_Group]:
    """Consumers of ``topic`` per workload that runs ``consumer``'s application."""
    listener = consumer.one("listener")
    concurrency = listener.effective("concurrency") if listener is not None else None
    for workload in consumer.related.get("workloads", []):
        per_pod = concurrency
        env = workload.get("env.SPRING_KAFKA_LISTENER_CONCURRENCY")
        if env is not None and env.as_int() is not None:
            per_pod = env
        threads = per_pod.as_int() if per_pod is not None else 1
        replicas = workload.get("replicas")
        hpa = workload.one("hpa")
        scale = hpa.get("maxReplicas") if hpa is not None else None
        pods_setting = scale or replicas
        pods = pods_setting.as_int() if pods_setting is not None else 1  # Kubernetes' default is one replica
        if threads is None or pods is None:
            continue
        pods_text = (
            f"up to {pods} pods of {workload.attributes.get('kind', 'Deployment')} {workload.name} (HPA maxReplicas)"
            if scale is not None
            else f"{pods} replica{'s' if pods != 1 else ''} of {workload.attributes.get('kind', 'Deployment')} "
            f"{workload.name}{'' if replicas is not None else ' (replicas not set: 1)'}"
        )
        threads_text = f"listener concurrency {threads}" + (
            "" if per_pod is not None and per_pod.explicit else " (not set: Spring Kafka's default of 1)"
        )
        related: list[tuple[Setting | Entity | Origin, str]] = [
            (pods_setting if pods_setting is not None else workload, f"pods of {workload.name}"),
            (topic.effective("partitions") or topic, f"partitions of topic {topic.name}"),
        ]
        ref = _ref(consumer, topic)
        if ref is not None:
            related.append((ref, f"names topic {topic.name}"))
        if per_pod is not None and per_pod.explicit and per_pod is concurrency:
            at, on, fix_key, other = per_pod, listener, "concurrency", pods
        elif per_pod is not None and per_pod.explicit:  # the Deployment's environment variable
            at, on, fix_key, other = per_pod, workload, "", pods
        elif pods_setting is not None and pods_setting.explicit and scale is None:
            at, on, fix_key, other = pods_setting, workload, "replicas", threads
        else:
            at, on, fix_key, other = None, None, "", 1
        partitions = topic.effective("partitions")
        n = partitions.as_int() if partitions is not None else None
        fix = (fix_key, str(max(1, (n or 1) // max(1, other)))) if fix_key and n else None
        yield _Group(
            pods * threads,
            f"{pods_text} times {threads_text} ({consumer.attributes.get('workload-link', '')})",
            fix,
            at,
            on,
            tuple(related),
        )


def _partitions(topic: Entity) -> tuple[Setting, int] | None:
    partitions = topic.effective("partitions")
    n = partitions.as_int() if partitions is not None else None
    return None if partitions is None or n is None else (partitions, n)


def consumers_exceed_partitions(consumer: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
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
