"""A build file -> one ``code.build`` entity: the messaging libraries it declares, at the version it
writes, and the version properties that may decide one (``${kafka.version}``, ``$springBootVersion``).

Versions stay as written here; ``link/builds.py`` resolves properties across a module and its parents
and applies what Spring Boot or a Spring Cloud train manages, because a child ``pom.xml`` often names
a version its parent defines.
"""

from __future__ import annotations

from msglint.documents import Document
from msglint.model import Entity, Origin, Setting, Span
from msglint.readers.build import BuildFile, Declared

# build coordinate (Maven group:artifact, or a Python project name) -> the library msglint judges
LIBRARIES = {
    "org.apache.kafka:kafka-clients": "kafka-clients",
    "org.apache.kafka:kafka-streams": "kafka-clients",  # released together, one version
    "org.springframework.kafka:spring-kafka": "spring-kafka",
    "org.springframework.amqp:spring-rabbit": "spring-amqp",
    "org.springframework.amqp:spring-amqp": "spring-amqp",
    "org.springframework.boot:spring-boot-starter-parent": "spring-boot",
    "org.springframework.boot:spring-boot-dependencies": "spring-boot",
    "org.springframework.boot:spring-boot-gradle-plugin": "spring-boot",
    "org.springframework.boot:spring-boot-maven-plugin": "spring-boot",
    "org.springframework.cloud:spring-cloud-dependencies": "spring-cloud",
    "org.springframework.cloud:spring-cloud-stream-binder-kafka": "spring-cloud-stream",
    "org.springframework.cloud:spring-cloud-starter-stream-kafka": "spring-cloud-stream",
    "org.springframework.cloud:spring-cloud-stream": "spring-cloud-stream",
    "org.springframework.cloud:spring-cloud-stream-dependencies": "spring-cloud-stream",
    "kafka-python": "kafka-python",
    "kafka": "kafka-python",  # the project's name on PyPI before 1.0
    "aiokafka": "aiokafka",
    "confluent-kafka": "confluent-kafka",
}
# Spring Boot's properties that override a version it manages (spring-boot-dependencies)
BOOT_PROPERTIES = {
    "kafka.version": "kafka-clients",
    "spring-kafka.version": "spring-kafka",
    "spring-amqp.version": "spring-amqp",
}

_PRECEDENCE = {"lock": 0, "dependency": 1, "managed": 2, "bom": 2, "parent": 2, "plugin": 3}
PROPERTY = "property:"  # the settings key prefix of a version property
BINDER = "binder:"  # the settings key prefix of a Spring Cloud Stream binder on the classpath: binder:kafka
_BINDERS = {
    "spring-cloud-stream-binder-kafka": "kafka",
    "spring-cloud-starter-stream-kafka": "kafka",
    "spring-cloud-stream-binder-rabbit": "rabbit",
    "spring-cloud-starter-stream-rabbit": "rabbit",
}


def binder(name: str) -> str | None:
    """kafka, rabbit, other (Kafka Streams, Kinesis, Pub/Sub, Solace...) or None: the binder a
    dependency is."""
    artifact = name.partition(":")[2]
    if artifact in _BINDERS:
        return _BINDERS[artifact]
    return "other" if "stream-binder" in artifact or "starter-stream" in artifact else None


def extract(document: Document) -> list[Entity]:
    build: BuildFile | None = document.build
    if build is None:
        return []
    entity = Entity("code.build", "build", document.display, Span.point(1))
    chosen: dict[str, Declared] = {}
    for declared in build.declared:
        family = binder(declared.name) if declared.scope == "dependency" else None
        if family is not None:
            key = BINDER + family
            entity.settings[key] = _setting(document, key, declared.version, declared.span, declared.name)
        library = LIBRARIES.get(declared.name)
        if library is None or not declared.version:
            continue
        held = chosen.get(library)
        if held is None or _PRECEDENCE[declared.scope] < _PRECEDENCE[held.scope]:
            chosen[library] = declared
    for library, declared in chosen.items():
        entity.settings[library] = _setting(document, library, declared.version, declared.span, declared.name)
    for name, (value, span) in build.properties.items():
        if name in BOOT_PROPERTIES or "version" in name.lower():
            entity.settings[PROPERTY + name] = _setting(document, PROPERTY + name, value, span, name)
    return [entity] if entity.settings else []


def _setting(document: Document, key: str, value: str, span: Span, raw_key: str) -> Setting:
    origin = Origin(document.display, span, raw_key, "build", value_span=span)
    return Setting(key, value, value, origin)
