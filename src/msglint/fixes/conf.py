"""Fixes in rabbitmq.conf (``key = value``) and in a NATS server configuration: a written value is
replaced in place. New rabbitmq.conf lines are ``PropertiesWriter`` lines with this separator."""

from __future__ import annotations

from msglint.fixes.properties import properties_value

RABBIT_SEPARATOR = " = "


def rabbit_value(text: str) -> str:
    return text  # rabbitmq.conf has no escapes: a value runs to the end of its line


def nats_value(text: str) -> str:
    # NATS quoting is not modelled: the values fixes write (numbers, booleans, words) need none
    return properties_value(text)
