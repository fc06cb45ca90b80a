"""Precision regressions: version-dependent RabbitMQ rules, one notion of development, resource
bundles that are not Kafka files, and consumer rules only for applications that consume."""

from __future__ import annotations

from msglint.rabbit import versions

QUEUE = """\
apiVersion: rabbitmq.com/v1beta1
kind: Queue
metadata:
  name: orders
spec:
  name: orders
  type: quorum
  durable: true
  rabbitmqClusterReference:
    name: events
"""


def cluster(image: str | None = None, replicas: int | None = 3) -> str:
    text = "apiVersion: rabbitmq.com/v1beta1\nkind: RabbitmqCluster\nmetadata:\n  name: events\nspec:\n"
    if replicas is not None:
        text += f"  replicas: {replicas}\n"
    if image is not None:
        text += f"  image: {image}\n"
    return text


def codes(result, code: str | None = None) -> list[str]:
    assert not result.errors, result.errors
    return [f.code for f in result.findings if code is None or f.code == code]


def messages(result, code: str) -> list[str]:
    return [f.message for f in result.findings if f.code == code]


# --- 1. RabbitMQ versions -------------------------------------------------------------------------


def test_version_from_image_tags() -> None:
    assert versions.from_image("rabbitmq:3.13.7-management") == "3.13.7"
    assert versions.from_image("docker.io/bitnami/rabbitmq:4.1.3-debian-12-r1") == "4.1.3"
    assert versions.from_image("rabbitmq:management") == versions.CURRENT
    assert versions.from_image("rabbitmq") == versions.CURRENT
    assert versions.from_image("rabbitmq:${TAG}") is None
    assert versions.from_image("postgres:16") is None
    assert versions.before("3.13.7", (4, 0)) and versions.before("4", (4, 0)) is False
    assert versions.major(versions.from_image(versions.OPERATOR_DEFAULT_IMAGE)) == 4


def test_quorum_queue_on_4x_cluster_has_the_default_limit(lint) -> None:
    result = lint({"k8s/cluster.yaml": cluster("rabbitmq:4.0.5-management"), "k8s/queue.yaml": QUEUE})
    assert codes(result, "RQ103") == []


def test_quorum_queue_on_operator_default_image_has_the_default_limit(lint) -> None:
    result = lint({"k8s/cluster.yaml": cluster(), "k8s/queue.yaml": QUEUE})
    assert codes(result, "RQ103") == []


def test_quorum_queue_on_3x_cluster_is_flagged_with_its_version(lint) -> None:
    result = lint({"k8s/cluster.yaml": cluster("rabbitmq:3.13.7-management"), "k8s/queue.yaml": QUEUE})
    (message,) = messages(result, "RQ103")
    assert "3.13.7" in message and "spec.image" in message


def test_unknown_version_says_what_was_assumed(lint) -> None:
    definitions = '{"queues": [{"name": "q", "vhost": "/", "durable": true, "arguments": {"x-queue-type": "quorum"}}]}'
    (message,) = messages(lint({"definitions.json": definitions}), "RQ103")
    assert "before 4.0 is assumed" in message


def test_definitions_version_and_the_node_that_imports_them(lint) -> None:
    old = (
        '{"rabbit_version": "3.8.11", "queues": [{"name": "q", "vhost": "/", "durable": true, '
        '"arguments": {"x-queue-type": "quorum"}}]}'
    )
    assert codes(lint({"a/definitions.json": old}), "RQ103") == ["RQ103"]
    # the same export, loaded at boot by a RabbitmqCluster of the operator's default (4.x) image
    conf = "  rabbitmq:\n    additionalConfig: |\n      load_definitions = /etc/rabbitmq/definitions.json\n"
    importer = cluster() + conf
    assert codes(lint({"a/rabbitmq.yaml": importer}), "RQ103") == []


def test_compose_and_helm_images_govern_their_project(lint) -> None:
    definitions = '{"queues": [{"name": "q", "vhost": "/", "durable": true, "arguments": {"x-queue-type": "quorum"}}]}'
    compose = "services:\n  broker:\n    image: rabbitmq:4.1-management\n"
    helm = "image:\n  registry: docker.io\n  repository: bitnami/rabbitmq\n  tag: 3.12.14-debian-12-r7\n"
    result = lint(
        {
            "new/docker-compose.yml": compose,
            "new/broker/definitions.json": definitions,
            "old/values.yaml": helm,
            "old/definitions.json": definitions,
        }
    )
    assert [f.path for f in result.findings if f.code == "RQ103"] == ["old/definitions.json"]
    assert "3.12.14" in messages(result, "RQ103")[0]


def test_lazy_mode_before_312_is_a_real_setting(lint) -> None:
    definitions = (
        '{"rabbitmq_version": "%s", "queues": [{"name": "q", "vhost": "/", "durable": true, '
        '"arguments": {"x-queue-mode": "lazy"}}]}'
    )
    assert codes(lint({"a/definitions.json": definitions % "3.11.28"}), "RQ102") == []
    assert codes(lint({"b/definitions.json": definitions % "3.13.7"}), "RQ102") == ["RQ102"]


def test_written_single_node_cluster_is_development(lint) -> None:
    assert codes(lint({"k8s/cluster.yaml": cluster(replicas=1), "k8s/queue.yaml": QUEUE}), "RQ107") == []
    # the operator's default of one node, not written: more often an oversight
    assert codes(
        lint(
            {
                "k8s2/cluster.yaml": cluster(replicas=None),
                "k8s2/queue.yaml": QUEUE.replace("name: events", "name: events"),
            }
        ),
        "RQ107",
    ) == ["RQ107"]


# --- 2. one notion of development ---------------------------------------------------------------

ACKS_ONE = """\
spring:
  kafka:
    producer:
      acks: 1
    consumer:
      group-id: billing
"""


def test_development_profile_relaxes_every_durability_rule(lint) -> None:
    result = lint({"src/main/resources/application-dev.yml": ACKS_ONE}, select=("ALL",))
    from msglint import catalog

    durability = {r.code for r in catalog.load() if r.development == "skip"}
    assert {"KP101", "KP105", "KC202"} <= durability
    assert not [f for f in result.findings if f.code in durability]


def test_test_resources_are_relaxed_completely(lint) -> None:
    result = lint({"svc/src/test/resources/application.yml": ACKS_ONE}, select=("ALL",), include_tests=True)
    assert result.files == 1
    from msglint import catalog

    durability = {r.code for r in catalog.load() if r.development == "skip"}
    assert not [f.code for f in result.findings if f.code in durability]


def test_the_same_settings_in_main_are_reported(lint) -> None:
    result = lint({"svc/src/main/resources/application.yml": ACKS_ONE}, select=("ALL",))
    assert {"KP101", "KP105", "KC202"} <= set(codes(result))


# --- 3. resource bundles are not Kafka files ----------------------------------------------------


def test_message_bundles_are_not_kafka_files(lint) -> None:
    bundle = "acks=Acknowledgements are sent by email.\nretries=Number of retries: {0}\n"
    result = lint(
        {
            "src/main/resources/messages.properties": bundle,
            "src/main/resources/ValidationMessages_fr.properties": "acks=Les accusés de réception\n",
            "src/main/resources/labels.properties": bundle + "enable.idempotence=Turn this on to avoid duplicates\n",
        }
    )
    assert result.files == 0 and codes(result) == []


def test_a_kafka_client_file_is_still_one(lint) -> None:
    text = 'bootstrap.servers=kafka:9092\nacks=1\nsasl.jaas.config=org.example.Login required user="a";\n'
    assert "KP101" in codes(lint({"client.properties": text}))


# --- 4. consumer rules only where something consumes --------------------------------------------

PRODUCER_ONLY = """\
spring:
  kafka:
    bootstrap-servers: kafka:9092
    properties:
      security.protocol: SASL_SSL
      session.timeout.ms: 45000
    producer:
      acks: all
"""

SENDER = """\
package com.example;

import org.springframework.kafka.core.KafkaTemplate;

class Sender {
    private final KafkaTemplate<String, String> template;
    Sender(KafkaTemplate<String, String> template) { this.template = template; }
    void send(String v) { template.send("orders", v); }
}
"""

LISTENER = """\
package com.example;

import org.springframework.kafka.annotation.KafkaListener;

class Receiver {
    @KafkaListener(topics = "orders", groupId = "billing")
    void on(String v) { }
}
"""


def test_producer_only_application_has_no_consumer(lint) -> None:
    result = lint(
        {
            "orders/src/main/resources/application.yml": PRODUCER_ONLY,
            "orders/src/main/java/com/example/Sender.java": SENDER,
        },
        select=("ALL",),
    )
    assert [c for c in codes(result) if c.startswith("KC")] == []


def test_a_listener_in_the_module_makes_it_a_consumer(lint) -> None:
    result = lint(
        {
            "billing/src/main/resources/application.yml": PRODUCER_ONLY,
            "billing/src/main/java/com/example/Receiver.java": LISTENER,
        },
        select=("KC202",),
    )
    assert codes(result, "KC202") == ["KC202"]


def test_written_consumer_keys_make_it_a_consumer(lint) -> None:
    text = PRODUCER_ONLY + "    consumer:\n      group-id: billing\n"
    assert codes(lint({"app/src/main/resources/application.yml": text}, select=("KC202",)), "KC202") == ["KC202"]
