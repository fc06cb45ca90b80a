"""Which extractor reads which document: one table (the joins across files are ``link.JOINS``).

The other registries sit beside what they choose from: readers in ``documents.READERS``, Kubernetes
kinds in ``manifests.KINDS``. Adding a format or a broker is a module and a line in one of them.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from pathlib import Path

from msglint.documents import Document
from msglint.model import Entity

Extractor = Callable[[Document], list[Entity]]


def extractors() -> dict[tuple[str, str], Extractor | None]:
    """(document kind, syntax), as discover classifies a file -> the extractor of that document
    alone; None where a document has none of its own. Built on each call from the modules'
    functions as they are then (a test may replace one), and the modules are imported only then."""
    from msglint.extract import builds, manifests, nats, rabbit_conf, rabbit_shell, redis_conf

    return {
        ("spring-config", "yaml"): manifests.extract,  # its settings: spring_boot, per application
        ("spring-config", "properties"): None,  # read by spring_boot, with its application's other files
        ("kafka-properties", "properties"): _kafka_properties,
        ("kustomization", "yaml"): None,  # names patches, which are parts of objects (see ``extractor``)
        ("manifest", "yaml"): manifests.extract,
        ("yaml", "yaml"): manifests.extract,  # a YAML file named on the command line
        ("rabbit-definitions", "json"): _rabbit_definitions,
        ("shell", "shell"): rabbit_shell.extract,
        ("nats-config", "json"): nats.extract,
        ("kafka-connector", "json"): _connector_json,
        ("nats-config", "yaml"): nats.extract,
        ("nats-conf", "natsconf"): nats.extract_server,
        ("rabbitmq-advanced", "text"): rabbit_conf.extract_advanced,
        ("rabbitmq-conf", "conf"): rabbit_conf.extract,
        ("redis-conf", "redisconf"): redis_conf.extract,
        ("python", "python"): _python,
        ("java", "java"): _java,
        ("build", "build"): builds.extract,
    }


def extractor(document: Document, patches: Collection[Path]) -> Extractor | None:
    """The extractor of one document. A kustomize patch (``patches``) is part of an object, not a
    whole one: no manifest is read from it."""
    table = extractors()
    found = table.get((document.kind, document.syntax))
    if document.path in patches and found is table[("manifest", "yaml")]:
        return None
    return found


def _kafka_properties(document: Document) -> list[Entity]:
    from msglint.extract import kafka_broker, kafka_client, kafka_connect

    if not document.entries or kafka_client.is_spring(document):
        return []  # a Spring Boot file after all: spring_boot reads it
    if kafka_connect.is_connector(document):
        return kafka_connect.connector(document)
    if kafka_connect.is_mirror_maker(document) or kafka_connect.is_worker(document):
        return kafka_connect.extract(document, kafka_connect.is_mirror_maker(document))
    return kafka_broker.extract(document) if kafka_broker.is_broker(document) else kafka_client.extract(document)


def _connector_json(document: Document) -> list[Entity]:
    from msglint.extract import kafka_connect

    return kafka_connect.connector_json(document)


def _rabbit_definitions(document: Document) -> list[Entity]:
    from msglint.extract import rabbit_definitions

    return rabbit_definitions.extract(document) if rabbit_definitions.is_definitions(document) else []


def _python(document: Document) -> list[Entity]:
    from msglint.extract import python_flow, python_kafka, python_nats, python_rabbit, python_redis, python_topics

    found = python_kafka.extract(document) + python_rabbit.extract(document) + python_nats.extract(document)
    found += python_topics.extract(document) + python_redis.extract(document)
    return found + python_flow.handlers(document, found)


def _java(document: Document) -> list[Entity]:
    from msglint.extract import (
        java_acks,
        java_effects,
        java_flow,
        java_kafka,
        java_listeners,
        java_redis,
        java_sends,
        java_spring,
        java_topics,
    )

    if java_kafka.library_own(document):
        return []  # a client library's own sources are not an application using it
    file = java_kafka.File(document)  # one walk of the tree, shared by them all
    found = (
        java_kafka.extract(document, file) + java_spring.extract(document, file) + java_topics.extract(document, file)
    )
    found += java_listeners.extract(document, file) + java_effects.extract(document, file)
    found += java_acks.extract(document, file) + java_sends.extract(document, file)
    found += java_redis.extract(document, file)
    return found + java_flow.extract(document, file)
