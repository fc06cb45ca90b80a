"""Spring joins: applications to the topics their configuration names and to the workloads that run
them (the variant of the profile the pods activate), and consumers that nothing in their module runs."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import PurePosixPath

from msglint import facts
from msglint.link.near import module, nearest
from msglint.link.workspace import Workspace
from msglint.model import Entity


def binder_clients(workspace: Workspace) -> None:
    """The Kafka binder's clients stay where their binding runs on the Kafka binder, which the build
    files may only now have told (``builds.versions_of``). In an application with consumer bindings,
    Boot's Spring Kafka consumer is one only when code in its module consumes (``roles_from_code``):
    the binder's consumers take ``spring.kafka.*`` but ignore some of it (enable.auto.commit=true)."""
    binder = [e for e in workspace.of("kafka.producer") + workspace.of("kafka.consumer") if e.client == "scs-kafka"]
    gone = [e for e in binder if (b := e.one("stream-binding")) is None or b.attributes.get("binder") != "kafka"]
    workspace.drop(gone)
    # the binder's consumers (modelled above when its binder is known) never use Boot's consumer factory
    served = {
        PurePosixPath(b.path).parent
        for b in workspace.of("stream.binding")
        if b.attributes.get("direction") == "consumer"
    }
    for consumer in workspace.of("kafka.consumer"):
        if consumer.client == "spring-kafka" and PurePosixPath(consumer.path).parent in served:
            consumer.attributes["role-from"] = "shared"


def roles_from_code(workspace: Workspace) -> None:
    """A Spring Boot consumer that only keys shared by every client made (``spring.kafka.properties.
    session.timeout.ms``, copied from a connection snippet) is not one when nothing in its module
    consumes: no listener, no consumer made in code. Boot defines consumer defaults whether or not
    the application consumes, so such a consumer would only be judged on defaults it never uses."""
    consumers = workspace.of("kafka.consumer")
    consuming = {module(e.path) for e in workspace.of("code.listener") if e.client == "spring-kafka"}
    consuming |= {
        module(e.path)
        for e in consumers
        # the Kafka binder's consumers consume through their bindings, not through Boot's factory
        if e.client != "scs-kafka"
        and (e.client != "spring-kafka" or e.attributes.get("bean") or e.attributes.get("role-from") != "shared")
    }
    workspace.drop(
        e for e in consumers if e.attributes.get("role-from") == "shared" and module(e.path) not in consuming
    )


def applications(workspace: Workspace) -> None:
    """Spring Kafka clients to their topics, then to the workloads that run them."""
    spring = [e for e in workspace.of("kafka.producer") + workspace.of("kafka.consumer") if e.client == "spring-kafka"]
    _topics(spring, workspace.of("kafka.topic"))
    _workloads(spring, workspace.of("k8s.workload"))


def _topics(clients: list[Entity], topics: list[Entity]) -> None:
    by_topic: dict[str, list[Entity]] = defaultdict(list)
    for topic in topics:
        if not topic.name.startswith("<"):  # a templated name names nothing
            by_topic[topic.name].append(topic)
    for entity in clients:
        for ref in entity.refs:
            for name in re.split(r"[,\s]+", ref.value or ""):
                for topic in nearest(entity, by_topic.get(name, [])):
                    _add_topic(entity, topic)


def _add_topic(entity: Entity, topic: Entity) -> None:
    if topic in entity.related.setdefault("topics", []):
        return
    entity.related["topics"].append(topic)
    if entity.profile is None:  # the topic hears of each application once
        topic.related.setdefault(facts.relation(entity.kind.split(".")[1] + "s"), []).append(entity)


def _application_names(entity: Entity) -> set[str]:
    names = {entity.name} if entity.name else set()
    parts = PurePosixPath(entity.path).parts
    if "src" in parts and parts.index("src") > 0:
        names.add(parts[parts.index("src") - 1])  # the project directory above src/main/resources
    return names


def workload_names(workload: Entity) -> set[str]:
    # container names are left out: `app`, `worker`, `main` would tie unrelated applications
    names = {workload.name}
    names |= {v for k, v in workload.labels.items() if k in ("app", "app.kubernetes.io/name", "k8s-app")}
    return {n for n in names if n and "${" not in n}


def _variant_key(entity: Entity) -> tuple[str, str]:
    # one application's variants (one per Spring profile) share a path and a kind
    return entity.kind, str(PurePosixPath(entity.path).parent)


def _running_profile(workload: Entity, profiles: set[str | None]) -> str | None:
    """The variant the workload's pods run: the first active profile the application has."""
    env = workload.get("env.SPRING_PROFILES_ACTIVE")
    active = {p.strip() for p in (env.value or "").split(",")} if env is not None else set()
    return next((p for p in sorted(active) if p in profiles), None)


def _workloads(clients: list[Entity], workloads: list[Entity]) -> None:
    variants: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in clients:
        variants[_variant_key(entity)].append(entity)
    by_name: dict[str, list[Entity]] = defaultdict(list)
    names_of = {id(w): workload_names(w) for w in workloads}
    for workload in workloads:
        for name in names_of[id(workload)]:
            by_name[name].append(workload)
    for entity in clients:
        names = _application_names(entity)
        candidates = {id(w): w for name in names for w in by_name.get(name, [])}
        for workload in nearest(entity, list(candidates.values())):
            runs = _running_profile(workload, {e.profile for e in variants[_variant_key(entity)]})
            if entity.profile != runs:
                continue
            matched = names & names_of[id(workload)]
            entity.related.setdefault("workloads", []).append(workload)
            entity.attributes["workload-link"] = (
                f"{workload.attributes.get('kind', 'Deployment')} {workload.name} runs application "
                f"'{sorted(matched)[0]}'" + (f" with profile {runs}" if runs else "")
            )
