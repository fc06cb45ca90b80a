"""RabbitMQ defaults that apply when a key is not written: the broker, the Cluster Operator, Spring AMQP,
pika and aio-pika, with the source each one comes from. See DOMAIN.md."""

from __future__ import annotations

_RABBIT_NODE: dict[str, tuple[str | None, str]] = {
    "disk_free_limit.absolute": ("50MB", "RabbitMQ's default of 50 MB"),
    "consumer_timeout": ("1800000", "RabbitMQ (30 minutes)"),
}

SPRING_AMQP = "Spring AMQP"
_SPRING_RABBIT_CONSUMER: dict[str, tuple[str | None, str]] = {
    "acknowledge-mode": (
        "auto",
        f"{SPRING_AMQP} (AcknowledgeMode.AUTO: the container acks after the listener returns)",
    ),
    "prefetch": ("250", f"{SPRING_AMQP} (DEFAULT_PREFETCH_COUNT, since 2.0)"),
    "default-requeue-rejected": ("true", SPRING_AMQP),
    "retry.enabled": ("false", "Spring Boot"),
}
_SPRING_RABBIT_PUBLISHER: dict[str, tuple[str | None, str]] = {
    "publisher-confirm-type": ("none", "Spring Boot (no publisher confirms)"),
    "publisher-returns": ("false", "Spring Boot"),
}

_JAVA_RABBIT_PUBLISHER: dict[str, tuple[str | None, str]] = {
    "publisher-confirm-type": ("none", "Spring AMQP's CachingConnectionFactory (ConfirmType.NONE)"),
    "publisher-returns": ("false", "Spring AMQP's CachingConnectionFactory"),
    "template.mandatory": ("false", "Spring AMQP's RabbitTemplate"),
}

_RABBIT_OPERATOR: dict[str, tuple[str | None, str]] = {
    "disk_free_limit.absolute": ("2GB", "the RabbitMQ Cluster Operator's generated configuration"),
    "consumer_timeout": ("1800000", "RabbitMQ (30 minutes)"),
}

_PIKA_QUEUE: dict[str, tuple[str | None, str]] = {
    "durable": ("false", "pika's queue_declare"),
    "exclusive": ("false", "pika's queue_declare"),
    "auto_delete": ("false", "pika's queue_declare"),
}
_AIOPIKA_QUEUE: dict[str, tuple[str | None, str]] = {
    "durable": ("false", "aio-pika's declare_queue"),
    "exclusive": ("false", "aio-pika's declare_queue"),
    "auto_delete": ("false", "aio-pika's declare_queue"),
}
TABLES: dict[tuple[str, str], list[dict[str, tuple[str | None, str]]]] = {
    ("rabbitmq-operator", "rabbit.broker"): [_RABBIT_OPERATOR],
    ("spring-amqp", "rabbit.consumer"): [_SPRING_RABBIT_CONSUMER],
    ("pika", "rabbit.queue"): [_PIKA_QUEUE],
    ("aio-pika", "rabbit.queue"): [_AIOPIKA_QUEUE],
    ("spring-amqp", "rabbit.publisher"): [_SPRING_RABBIT_PUBLISHER],
    ("spring-amqp-java", "rabbit.publisher"): [_JAVA_RABBIT_PUBLISHER],
    ("rabbitmq", "rabbit.broker"): [_RABBIT_NODE],
}
