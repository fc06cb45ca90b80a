"""Python code that creates topics -> ``kafka.topic`` entities with the replication factor it asks for:
``NewTopic(name, num_partitions, replication_factor)`` of confluent-kafka, kafka-python and aiokafka,
handed to an admin client's ``create_topics``. A factor left to the broker (confluent-kafka's
default -1, or not a literal) says nothing here.
"""

from __future__ import annotations

from msglint.documents import Document
from msglint.extract.python_kafka import module_imports, python_literal, python_origin, qualified_name
from msglint.model import Entity, Setting
from msglint.readers.python import PythonTree

NEW_TOPIC = {
    "confluent_kafka.admin.NewTopic",
    "confluent_kafka.NewTopic",
    "kafka.admin.NewTopic",
    "aiokafka.admin.NewTopic",
}
LABEL = "Kafka topic created in code"


def extract(document: Document) -> list[Entity]:
    tree: PythonTree = document.python
    imports = module_imports(tree.module)
    out = []
    for site in tree.index.calls:
        call = site.node
        if qualified_name(call.func, imports) not in NEW_TOPIC:
            continue
        args = tree.index.args(call)
        positional = [a for a in args if a.name is None and not a.star]
        named = {a.name: a for a in args if a.name is not None}
        factor = named.get("replication_factor") or (positional[2] if len(positional) > 2 else None)
        title = named.get("topic") or named.get("name") or (positional[0] if positional else None)
        if factor is None:
            continue
        value = python_literal(factor.value, tree)
        if value.text is None or value.text.startswith("-"):
            continue  # not known here, or -1: the broker's default.replication.factor
        key = factor.name_span if factor.name is not None and factor.name_span is not None else factor.value
        origin = python_origin(document, key, factor.value, "replication_factor", "python", value.kind, True, tree.span)
        name = python_literal(title.value, tree).text if title is not None else None
        out.append(
            Entity(
                "kafka.topic",
                "kafka-admin",
                document.display,
                tree.span(call),
                {"replication.factor": Setting("replication.factor", value.text, value.text, origin)},
                name=(name or tree.segment(title.value)) if title is not None else "",
                label=LABEL,
            )
        )
    return out
