"""msglint: a linter for Kafka, RabbitMQ, NATS and Redis Streams configuration and client code."""

from msglint.lint import fix, lint
from msglint.version import __version__

__all__ = ["__version__", "fix", "lint"]
