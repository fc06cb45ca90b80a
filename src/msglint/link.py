"""Join entities across files: node pools and topics to their cluster, autoscalers to workloads,
Spring applications to the Deployments that run them and to the topics their configuration names.
Each link says how it was made, because messages repeat it.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import PurePosixPath

from msglint import environment
from msglint.model import Derived, Entity, Origin


def _same_namespace(a: Entity, b: Entity) -> bool:
    # a manifest without a namespace gets one when applied (kustomize, kubectl -n): do not rule it out
    return a.namespace is None or b.namespace is None or a.namespace == b.namespace


def _closeness(a: Entity, b: Entity) -> int:
    """How many leading directories two entities' files share, plus one for the same file."""
    pa, pb = PurePosixPath(a.path).parts, PurePosixPath(b.path).parts
    shared = 0
    for x, y in zip(pa[:-1], pb[:-1], strict=False):
        if x != y:
            break
        shared += 1
    return shared + (1 if pa == pb else 0)


def nearest(entity: Entity, candidates: list[Entity]) -> list[Entity]:
    """The candidates closest to ``entity`` in the tree: the same name can be declared twice (overlays,
    examples, other environments), and the copy in the same file, else the same directory, is the one
    meant. Several equally close candidates are all returned: the caller decides an ambiguity."""
    if len(candidates) < 2:
        return candidates
    best = max(_closeness(entity, c) for c in candidates)
    return [c for c in candidates if _closeness(entity, c) == best]


def _roles(pool: Entity) -> set[str]:
    roles = pool.get("roles")
    return {r.strip() for r in (roles.value or "").split(",")} if roles is not None and roles.value else set()


def _count(cluster: Entity, pools: list[Entity], role: str) -> Derived | None:
    chosen = [p for p in pools if role in _roles(p)]
    total, parts, origins = 0, [], []
    for pool in chosen:
        replicas = pool.get("replicas")
        n = replicas.as_int() if replicas is not None else None
        if n is None or replicas is None or replicas.origin is None:
            return None  # a templated or missing count: unknown
        total += n
        parts.append(f"{n} in KafkaNodePool {pool.name} ({replicas.origin.path}:{replicas.origin.span.line})")
        origins.append(replicas.origin)
    if not chosen:
        return None
    return Derived(total, " + ".join(parts), tuple(origins))


def _owner(child: Entity, clusters: list[Entity]) -> Entity | None:
    """The Strimzi cluster a node pool or topic belongs to: by label and namespace, the nearest one;
    None when several are equally near (overlays of one base): guessing would judge the wrong one."""
    label = child.labels.get("strimzi.io/cluster")
    if not label or "${" in label:
        return None
    named = [c for c in clusters if c.client == "strimzi" and c.name == label and _same_namespace(child, c)]
    closest = nearest(child, named)
    if len(closest) > 1:
        exact = [c for c in closest if c.namespace == child.namespace]
        closest = exact if len(exact) == 1 else closest
    if len(closest) > 1:
        child.attributes["ambiguous-cluster"] = ", ".join(sorted({c.path for c in closest}))
        return None
    return closest[0] if closest else None


def _uses_node_pools(cluster: Entity) -> bool:
    """Whether Strimzi takes the brokers from node pools: always for KRaft clusters and the v1 API; for
    a ZooKeeper cluster (Strimzi 0.45 and before) only with the strimzi.io/node-pools annotation."""
    return "zookeeper" not in cluster.traits or "node-pools" in cluster.traits


def _clusters(clusters: list[Entity], pools: list[Entity]) -> None:
    owners = {id(p): _owner(p, clusters) for p in pools}
    for cluster in clusters:
        mine = [p for p in pools if owners[id(p)] is cluster]
        if cluster.client == "strimzi" and _uses_node_pools(cluster):
            # spec.kafka.replicas is ignored here; pools kept elsewhere leave the count unknown
            cluster.attributes["brokers-from"] = "node-pools"
            cluster.related["nodepools"] = mine
            brokers = _count(cluster, mine, "broker")
            controllers = _count(cluster, mine, "controller")
            if brokers is not None:
                cluster.derived["brokers"] = brokers
            if controllers is not None:
                cluster.derived["controllers"] = controllers
        elif cluster.client == "strimzi":
            replicas = cluster.get("replicas")
            n = replicas.as_int() if replicas is not None else None
            if replicas is not None and replicas.origin is not None and n is not None:
                where = f"{replicas.origin.path}:{replicas.origin.span.line}"
                cluster.derived["brokers"] = Derived(n, f"spec.kafka.replicas={n} ({where})", (replicas.origin,))
        else:
            _from_voters(cluster)
        count = cluster.derived.get("brokers")
        cluster.environment = environment.infer(cluster, count.value if count else None)


def _from_voters(cluster: Entity) -> None:
    """A KRaft server.properties lists the controller quorum: the one count such a file has."""
    voters = cluster.get("controller.quorum.voters")
    if voters is not None and voters.value and voters.origin is not None:
        n = len([v for v in voters.value.split(",") if v.strip()])
        where = f"{voters.origin.path}:{voters.origin.span.line}"
        cluster.derived["controllers"] = Derived(n, f"controller.quorum.voters lists {n} ({where})", (voters.origin,))


def _topics(topics: list[Entity], clusters: list[Entity]) -> None:
    names = ", ".join(
        sorted({c.name for c in clusters if c.client == "strimzi" and c.name and not c.name.startswith("<")})
    )
    for topic in topics:
        topic.attributes["clusters-in-tree"] = names
        match = _owner(topic, clusters)
        if match is not None:
            topic.related["cluster"] = [match]
            match.related.setdefault("topics", []).append(topic)
        topic.environment = (match.environment if match is not None else None) or environment.infer(topic)


def _application_names(entity: Entity) -> set[str]:
    names = {entity.name} if entity.name else set()
    parts = PurePosixPath(entity.path).parts
    if "src" in parts and parts.index("src") > 0:
        names.add(parts[parts.index("src") - 1])  # the project directory above src/main/resources
    return names


def _workload_names(workload: Entity) -> set[str]:
    # container names are left out: `app`, `worker`, `main` would tie unrelated applications
    names = {workload.name}
    names |= {v for k, v in workload.labels.items() if k in ("app", "app.kubernetes.io/name", "k8s-app")}
    return {n for n in names if n and "${" not in n}


def _applications(clients: list[Entity], workloads: list[Entity], topics: list[Entity]) -> None:
    by_topic: dict[str, list[Entity]] = defaultdict(list)
    for topic in topics:
        if not topic.name.startswith("<"):  # a templated name names nothing
            by_topic[topic.name].append(topic)
    for entity in clients:
        for ref in entity.refs:
            for name in re.split(r"[,\s]+", ref.value or ""):
                for topic in nearest(entity, by_topic.get(name, [])):
                    if topic not in entity.related.setdefault("topics", []):
                        entity.related["topics"].append(topic)
                        if entity.profile is None:  # the topic hears of each application once
                            topic.related.setdefault(entity.kind.split(".")[1] + "s", []).append(entity)
    # one application's variants (one per Spring profile) share a path and a kind
    variants: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for entity in clients:
        variants[(entity.kind, str(PurePosixPath(entity.path).parent))].append(entity)
    by_name: dict[str, list[Entity]] = defaultdict(list)
    workload_names = {id(w): _workload_names(w) for w in workloads}
    for workload in workloads:
        for name in workload_names[id(workload)]:
            by_name[name].append(workload)
    for entity in clients:
        names = _application_names(entity)
        candidates = {id(w): w for name in names for w in by_name.get(name, [])}
        for workload in nearest(entity, list(candidates.values())):
            matched = names & workload_names[id(workload)]
            env = workload.get("env.SPRING_PROFILES_ACTIVE")
            active = {p.strip() for p in (env.value or "").split(",")} if env is not None else set()
            profiles = {e.profile for e in variants[(entity.kind, str(PurePosixPath(entity.path).parent))]}
            runs = next((p for p in sorted(active) if p in profiles), None)  # the variant the pods run
            if entity.profile != runs:
                continue
            entity.related.setdefault("workloads", []).append(workload)
            entity.attributes["workload-link"] = (
                f"{workload.attributes.get('kind', 'Deployment')} {workload.name} runs application "
                f"'{sorted(matched)[0]}'" + (f" with profile {runs}" if runs else "")
            )


# A broker's joins (extract.registry.JOINS): they get the entities by kind, a kind with none
# mapping to []. Passed in, not imported: those modules import ``nearest`` from here.
Join = Callable[[dict[str, list[Entity]]], None]


def link(entities: list[Entity], joins: Sequence[Join]) -> None:
    """Join entities across files: the Kafka and Kubernetes joins here, then ``joins`` in order."""
    kinds: dict[str, list[Entity]] = defaultdict(list)
    for entity in entities:
        kinds[entity.kind].append(entity)
    _clusters(kinds["kafka.cluster"], kinds["kafka.nodepool"])
    _topics(kinds["kafka.topic"], kinds["kafka.cluster"])
    for hpa in kinds["k8s.hpa"]:
        targets = [
            w for w in kinds["k8s.workload"] if w.name == hpa.attributes.get("target") and _same_namespace(hpa, w)
        ]
        closest = nearest(hpa, targets)
        if len(closest) == 1:
            closest[0].related["hpa"] = [hpa]
    _roles_from_code(entities, kinds)
    # one notion of development for every entity (environment.infer); what runs on a cluster (a topic,
    # a queue) is development when its cluster is
    for entity in entities:
        if entity.kind not in ("kafka.cluster", "kafka.topic"):
            entity.environment = environment.infer(entity)
    for join in joins:
        join(kinds)
    spring = [e for e in kinds["kafka.producer"] + kinds["kafka.consumer"] if e.client == "spring-kafka"]
    _applications(spring, kinds["k8s.workload"], kinds["kafka.topic"])


def module(path: str) -> str:
    """The build module a file belongs to, from its path as shown: the directory above its ``src/``,
    else its own directory (java_listeners.module_root asks the file system; this only needs to
    compare a configuration file with the code beside it)."""
    parts = PurePosixPath(path).parts
    if "src" in parts[:-1]:
        return str(PurePosixPath(*parts[: len(parts) - 1 - parts[::-1].index("src")]))
    return str(PurePosixPath(path).parent)


def _roles_from_code(entities: list[Entity], kinds: dict[str, list[Entity]]) -> None:
    """A Spring Boot consumer that only keys shared by every client made (``spring.kafka.properties.
    session.timeout.ms``, copied from a connection snippet) is not one when nothing in its module
    consumes: no listener, no consumer made in code. Boot defines consumer defaults whether or not
    the application consumes, so such a consumer would only be judged on defaults it never uses."""
    consuming = {module(e.path) for e in kinds["code.listener"] if e.client == "spring-kafka"}
    consuming |= {module(e.path) for e in kinds["kafka.consumer"] if e.client != "spring-kafka" or
                  e.attributes.get("bean") or e.attributes.get("role-from") != "shared"}  # fmt: skip
    dropped = [
        e for e in kinds["kafka.consumer"]
        if e.attributes.get("role-from") == "shared" and module(e.path) not in consuming
    ]  # fmt: skip
    if not dropped:
        return
    gone = {id(e) for e in dropped}
    entities[:] = [e for e in entities if id(e) not in gone]
    kinds["kafka.consumer"] = [e for e in kinds["kafka.consumer"] if id(e) not in gone]
    for entity in entities:
        for relation, linked in entity.related.items():
            entity.related[relation] = [e for e in linked if id(e) not in gone]


def where(origin: Origin | None) -> str:
    return f"{origin.path}:{origin.span.line}" if origin is not None else "its default"
