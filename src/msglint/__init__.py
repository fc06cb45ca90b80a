"""msglint: a linter for Kafka, RabbitMQ and NATS configuration and client code."""

from msglint.lint import lint
from msglint.version import __version__

__all__ = ["__version__", "lint"]
