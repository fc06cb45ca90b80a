"""msglint: a linter for Kafka, RabbitMQ and NATS configuration and client code."""

from msglint.lint import fix, lint
from msglint.version import __version__

__all__ = ["__version__", "fix", "lint"]
