"""Redis joins: what an application does to its streams, the server they live on, the pods that run it.

A stream's consumer reads in one file and acknowledges, claims or trims in another: each file's
``redis.client`` lists its operations, and ``applications`` unions them over the application the
file belongs to (a Java build module; the directory of a Python file's top package) into
``app-ops`` on every consumer, producer and group. A check then asks the application, never the file.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import PurePosixPath

from msglint.link.near import module, nearest
from msglint.link.spring import workload_names
from msglint.link.workspace import Workspace
from msglint.model import Entity

_CODE = ("redis.consumer", "redis.producer", "redis.group")


def scope(path: str) -> str:
    """The directory an application's files share: a Java file's build module; the directory that
    holds a Python file's top package (its own directory, for a module outside any package)."""
    if path.endswith(".java"):
        return module(path)
    directory = PurePosixPath(path).parent
    while len(directory.parts) > 0 and os.path.isfile(os.path.join(directory, "__init__.py")):
        directory = directory.parent  # paths are shown relative to the working directory
    return str(directory)


def _inside(path: str, directory: str) -> bool:
    return directory in ("", ".") or path == directory or path.startswith(directory.rstrip("/") + "/")


def applications(workspace: Workspace) -> None:
    clients = workspace.of("redis.client")
    code = [e for kind in _CODE for e in workspace.of(kind)]
    if not code:
        return
    for entity in code:
        here = scope(entity.path)
        ops: set[str] = set()
        for client in clients:
            # one application: either file lies under the other's application directory
            if _inside(client.path, here) or _inside(entity.path, scope(client.path)):
                ops.update(client.lists.get("ops", ()))
        entity.lists["app-ops"] = tuple(sorted(ops))
    _servers(workspace, code)
    _workloads(workspace)


def _shared_dirs(a: str, b: str) -> int:
    pa, pb = PurePosixPath(a).parts[:-1], PurePosixPath(b).parts[:-1]
    shared = 0
    for x, y in zip(pa, pb, strict=False):
        if x != y:
            break
        shared += 1
    return shared


def _servers(workspace: Workspace, code: list[Entity]) -> None:
    """Each code entity to the nearest Redis server: one in a directory the two share, or the only one."""
    servers = workspace.of("redis.server")
    users: dict[int, set[str]] = defaultdict(set)
    for entity in code:
        near = nearest(entity, servers)
        linked = [
            s
            for s in near
            if len(servers) == 1
            or _shared_dirs(s.path, entity.path) > 0
            or len(PurePosixPath(s.path).parts) == 1
            or len(PurePosixPath(entity.path).parts) == 1
        ]
        for server in linked:
            entity.related.setdefault("servers", []).append(server)
            if entity.kind == "redis.consumer":
                server.related.setdefault("consumers", []).append(entity)
            elif entity.kind == "redis.producer":
                server.related.setdefault("producers", []).append(entity)
            users[id(server)].add(scope(entity.path))
    for server in servers:
        if users.get(id(server)):
            server.lists["used-by"] = tuple(sorted(users[id(server)]))


def _workloads(workspace: Workspace) -> None:
    """A consumer to the Deployment that runs it: one whose name or app label is a directory of the
    consumer's path (``orders-worker/worker.py`` is run by Deployment ``orders-worker``)."""
    workloads = workspace.of("k8s.workload")
    if not workloads:
        return
    names = {id(w): workload_names(w) for w in workloads}
    for consumer in workspace.of("redis.consumer"):
        dirs = set(PurePosixPath(consumer.path).parts[:-1])
        dirs |= {PurePosixPath(consumer.path).stem}
        candidates = [w for w in workloads if names[id(w)] & dirs]
        for workload in nearest(consumer, candidates):
            matched = sorted(names[id(workload)] & dirs)[0]
            consumer.related.setdefault("workloads", []).append(workload)
            consumer.attributes["workload-link"] = (
                f"{workload.attributes.get('kind', 'Deployment')} {workload.name} runs '{matched}'"
            )
