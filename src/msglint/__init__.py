"""msglint: a linter for Kafka, RabbitMQ and NATS configuration and client code."""

__version__ = "0.1.0"
