"""Cluster-wide defaults against the broker count and each other."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from msglint.checks import Hit, default_note
from msglint.defaults import effective
from msglint.model import Entity, Setting


def _value(cluster: Entity, key: str) -> tuple[Setting, int] | None:
    setting = effective(cluster, key)
    value = setting.as_int() if setting is not None else None
    return None if setting is None or value is None else (setting, value)


def _brokers(cluster: Entity) -> int | None:
    brokers = cluster.derived.get("brokers")
    return brokers.value if brokers is not None else None


def _how(cluster: Entity) -> str:
    brokers = cluster.derived.get("brokers")
    return f"{brokers.value} broker{'s' if brokers.value != 1 else ''}: {brokers.how}" if brokers else ""


def default_replication_low(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB201: default.replication.factor below 3 on a cluster of three or more brokers."""
    brokers = _brokers(cluster)
    found = _value(cluster, "default.replication.factor")
    if cluster.environment or brokers is None or brokers < 2 or found is None or found[1] >= min(3, brokers):
        return
    setting, value = found
    yield Hit(
        f"default.replication.factor={value}{default_note(setting)} on a cluster of {_how(cluster)}: every topic "
        "created without an explicit replica count (auto-created, or by an application) gets "
        f"{value} replica{'s' if value != 1 else ''}",
        setting,
        ("default.replication.factor", str(min(3, brokers))),
    )


def min_insync_low(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB202: The cluster's min.insync.replicas is 1 on three or more brokers."""
    brokers = _brokers(cluster)
    found = _value(cluster, "min.insync.replicas")
    if cluster.environment or brokers is None or brokers < 3 or found is None or found[1] >= 2:
        return
    setting, value = found
    yield Hit(
        f"min.insync.replicas={value}{default_note(setting)} on a cluster of {_how(cluster)}: topics without their "
        "own value accept acks=all writes that only the leader has",
        setting,
        ("min.insync.replicas", "2"),
    )


def conflicts(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB203: Settings that cannot all hold: more replicas than brokers, an ISR minimum above its RF."""
    yield from _above_brokers(cluster)
    yield from _transaction_isr_above_rf(cluster)
    yield from _isr_not_below_rf(cluster)


def _above_brokers(cluster: Entity) -> Iterator[Hit]:
    brokers = _brokers(cluster)
    for key in (
        "default.replication.factor",
        "offsets.topic.replication.factor",
        "transaction.state.log.replication.factor",
    ):
        found = _value(cluster, key)
        if brokers is None or found is None or found[1] <= brokers:
            continue
        setting, value = found
        effect = {
            "default.replication.factor": "creating a topic without a replica count fails",
            "offsets.topic.replication.factor": "the __consumer_offsets topic cannot be created, so no consumer "
            "group can commit (GROUP_COORDINATOR_NOT_AVAILABLE)",
            "transaction.state.log.replication.factor": "the __transaction_state topic cannot be created, so "
            "transactional producers cannot start",
        }[key]
        yield Hit(
            f"{key}={value}{default_note(setting)} but the cluster has {_how(cluster)}: {effect}",
            setting if setting.explicit else None,
            (key, str(brokers)),
        )


def _transaction_isr_above_rf(cluster: Entity) -> Iterator[Hit]:
    tx_rf, tx_isr = (
        _value(cluster, "transaction.state.log.replication.factor"),
        _value(cluster, "transaction.state.log.min.isr"),
    )
    if tx_rf and tx_isr and (tx_rf[0].explicit or tx_isr[0].explicit) and tx_isr[1] > tx_rf[1]:
        yield Hit(
            f"transaction.state.log.min.isr={tx_isr[1]} is above transaction.state.log.replication.factor="
            f"{tx_rf[1]}: every write to __transaction_state fails, so transactions cannot commit",
            tx_isr[0] if tx_isr[0].explicit else tx_rf[0],
            ("transaction.state.log.min.isr", str(max(1, tx_rf[1] - 1))),
        )


def _isr_not_below_rf(cluster: Entity) -> Iterator[Hit]:
    rf, isr = _value(cluster, "default.replication.factor"), _value(cluster, "min.insync.replicas")
    if rf and isr and (rf[0].explicit or isr[0].explicit) and rf[1] > 1 and isr[1] >= rf[1]:
        effect = (
            "one broker down stops every acks=all write to topics created with the defaults"
            if isr[1] == rf[1]
            else "every acks=all write to topics created with the defaults fails"
        )
        at = isr[0] if isr[0].explicit else rf[0]
        yield Hit(
            f"min.insync.replicas={isr[1]}{default_note(isr[0])} is not below default.replication.factor="
            f"{rf[1]}{default_note(rf[0])}: {effect}",
            at,
            ("min.insync.replicas", str(rf[1] - 1))
            if at is isr[0]
            else ("default.replication.factor", str(isr[1] + 1)),
        )


def internal_topics_low(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB204: Consumer offsets or transaction state kept on fewer replicas than a three-broker cluster allows."""
    brokers = _brokers(cluster)
    if cluster.environment or brokers is None or brokers < 3:
        return
    for key, minimum in (
        ("offsets.topic.replication.factor", 3),
        ("transaction.state.log.replication.factor", 3),
        ("transaction.state.log.min.isr", 2),
    ):
        setting = cluster.get(key)
        value = setting.as_int() if setting is not None else None
        if setting is not None and value is not None and value < minimum:
            what = "consumer offsets" if key.startswith("offsets") else "transaction state"
            yield Hit(
                f"{key}={value} on a cluster of {_how(cluster)}: the {what} live on fewer copies than the data "
                "they track; losing a broker can lose them",
                setting,
                (key, str(minimum)),
            )


def unclean_election(entity: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB205."""
    if "controller-only" in entity.traits:
        return  # a KRaft controller holds no partitions, so it elects no partition leaders
    setting = entity.get("unclean.leader.election.enable")
    if setting is not None and setting.as_bool() is True:
        what = f"topic {entity.name}" if entity.kind == "kafka.topic" else "the cluster"
        yield Hit(
            f"unclean.leader.election.enable=true on {what}: a replica that missed writes can become leader, "
            "and the writes it missed (acknowledged ones included) are gone",
            setting,
            ("unclean.leader.election.enable", "false"),
        )


def auto_create_topics(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB206."""
    setting = effective(cluster, "auto.create.topics.enable")
    if cluster.environment or "controller-only" in cluster.traits or setting is None or setting.as_bool() is not True:
        return
    written_rf = cluster.get("default.replication.factor")
    if written_rf is not None and written_rf.value is None:
        return  # a placeholder: what auto-created topics get is unknown
    rf = _value(cluster, "default.replication.factor")
    if not setting.explicit and rf is not None and rf[1] >= 3:
        return  # left at the default, but auto-created topics get reviewed replication at least
    yield Hit(
        f"auto.create.topics.enable=true{default_note(setting)}: a typo in a topic name, or any client that asks "
        "for metadata, creates a topic with num.partitions and default.replication.factor that nobody reviewed",
        setting if setting.explicit else None,
        ("auto.create.topics.enable", "false"),
    )


def retention_shadowed(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB207."""
    if "controller-only" in cluster.traits:
        return  # a KRaft controller keeps no topic logs
    ms, minutes, hours = (cluster.get(f"log.retention.{u}") for u in ("ms", "minutes", "hours"))
    winner = ms or minutes
    for shadowed in (minutes if ms else None, hours if winner else None):
        if shadowed is not None and winner is not None:
            yield Hit(
                f"{shadowed.key}={shadowed.value} has no effect: {winner.key}={winner.value} is also set, and "
                "the broker takes log.retention.ms over .minutes over .hours",
                shadowed,
                remove=True,
            )


def development_cluster(cluster: Entity, options: Mapping[str, Any]) -> Iterator[Hit]:
    """KB208: A cluster taken for a development setup; its replication checks are summed up here."""
    if not cluster.environment:
        return
    topics = cluster.related.get("topics", [])
    count = f" and its {len(topics)} topic{'s' if len(topics) != 1 else ''}" if topics else ""
    yield Hit(
        f"cluster {cluster.name} is taken for a development setup ({cluster.environment}): replication and "
        f"auto-creation checks are relaxed for it{count}; do not run production traffic on it as configured",
        None,
    )
