"""The Bitnami kafka chart's own value names, shared by discovery's sniff and the values extractor."""

from __future__ import annotations

# charts up to 23: broker settings as values of their own (the chart's statefulset turns them into
# KAFKA_CFG_* variables); a leading `_` keeps a large number from being rendered in float notation
LEGACY = {
    "defaultReplicationFactor": "default.replication.factor",
    "offsetsTopicReplicationFactor": "offsets.topic.replication.factor",
    "transactionStateLogReplicationFactor": "transaction.state.log.replication.factor",
    "transactionStateLogMinIsr": "transaction.state.log.min.isr",
    "autoCreateTopicsEnable": "auto.create.topics.enable",
    "deleteTopicEnable": "delete.topic.enable",
    "numPartitions": "num.partitions",
    "logRetentionHours": "log.retention.hours",
    "logRetentionBytes": "log.retention.bytes",
    "logSegmentBytes": "log.segment.bytes",
    "logRetentionCheckIntervalMs": "log.retention.check.interval.ms",
    "logFlushIntervalMessages": "log.flush.interval.messages",
    "logFlushIntervalMs": "log.flush.interval.ms",
    "maxMessageBytes": "message.max.bytes",
}
# names only this chart gives its parameters
OWN = frozenset(
    {*LEGACY, "overrideConfiguration", "extraConfigYaml", "kraft", "externalZookeeper", "zookeeperChrootPath"}
)
# names a file of the roles layout (charts 24 on) is recognised by, with a role's replicaCount
ROLES_LAYOUT = frozenset({"controllerOnly", "provisioning"})
