"""NATS and JetStream knowledge."""
