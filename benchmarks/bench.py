"""Generate a deterministic synthetic repository and time msglint on it.

    python benchmarks/bench.py                 # 5000 files, 3 runs
    python benchmarks/bench.py --files 20000 --runs 5 --keep /tmp/bench-repo
    python benchmarks/bench.py --python 3000 --messaging 0.05   # Python only, 5% with messaging code
    python benchmarks/bench.py --java 3000 --messaging 0.05     # Java only, likewise

Most generated files are irrelevant (Java and Python sources, Markdown, i18n .properties, other
YAML); about 7% are Spring Boot configs, Kafka client .properties, KafkaTopics and Deployments,
some with findings. Prints the
files on disk, the files msglint read, findings, wall time per run and files per second.
No timing is asserted anywhere: this is for people, not for CI.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPRING_YAML = """spring:
  application:
    name: svc-{n}
  kafka:
    bootstrap-servers: kafka-{n}:9092
    producer:
      acks: {acks}
      compression-type: lz4
    consumer:
      group-id: group-{n}
      auto-offset-reset: earliest
      max-poll-records: {records}
"""
SPRING_PROPERTIES = """spring.application.name=svc-{n}
spring.kafka.bootstrap-servers=kafka-{n}:9092
spring.kafka.consumer.group-id=group-{n}
spring.kafka.consumer.enable-auto-commit={auto}
spring.kafka.consumer.properties[session.timeout.ms]={session}
"""
CLIENT = """bootstrap.servers=kafka-{n}:9092
acks={acks}
linger.ms={linger}
compression.type=zstd
"""
TOPIC = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: topic-{n}
  labels:
    strimzi.io/cluster: cluster-{c}
spec:
  partitions: {partitions}
  replicas: {replicas}
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: svc-{n}
spec:
  replicas: {replicas}
  template:
    spec:
      containers:
        - name: app
          image: example/svc:{n}
"""
JAVA = "package com.example.s{n};\n\npublic class C{n} {{\n    int value = {n};\n}}\n"
I18N = "greeting=Hello {n}\nfarewell=Goodbye {n}\n"
COMPOSE = "services:\n  app{n}:\n    image: example/app:{n}\n    ports: ['80{n2}:80']\n"


ORDINARY_PY = '''"""Module {n}: ordinary application code."""

from __future__ import annotations

import dataclasses
import json


@dataclasses.dataclass
class Record{n}:
    name: str
    value: int = {n}

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))


def load_{n}(text: str) -> list[Record{n}]:
    out = []
    for item in json.loads(text):
        try:
            out.append(Record{n}(**item))
        except TypeError:
            continue
    return out
''' + "".join(f"\n\ndef helper_{{n}}_{k}(x: int) -> int:\n    return x * {k} + {{n}}\n" for k in range(20))
MESSAGING_PY = '''"""Worker {n}."""

import logging

import pika
from confluent_kafka import Consumer, Producer

log = logging.getLogger(__name__)
producer = Producer({{"bootstrap.servers": "kafka:9092", "acks": "{acks}"}})
consumer = Consumer({{"bootstrap.servers": "kafka:9092", "group.id": "g{n}", "enable.auto.commit": False}})


def on_message(ch, method, properties, body):
    try:
        producer.produce("out-{n}", value=body)
        producer.poll(0)
    except Exception:
        log.exception("failed")
    ch.basic_ack(delivery_tag=method.delivery_tag)


channel = pika.BlockingConnection(pika.ConnectionParameters("rabbitmq")).channel()
channel.queue_declare(queue="in-{n}", durable=True)
channel.basic_consume(queue="in-{n}", on_message_callback=on_message)
'''


ORDINARY_JAVA = """package com.example.pkg{pkg};

import java.util.ArrayList;
import java.util.List;

public class Service{n} {{
    private final List<String> items = new ArrayList<>();
""" + "".join(f"""
    public int helper{k}(int x) {{{{
        if (x > {k}) {{{{
            items.add(String.valueOf(x));
        }}}}
        return x * {k} + items.size();
    }}}}
""" for k in range(20)) + "}}\n"
MESSAGING_JAVA = """package com.example.pkg{pkg};

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

public class Worker{n} {{
    private KafkaTemplate<String, String> kafkaTemplate;
    private OrderRepository orderRepository;

    public KafkaProducer<String, String> producer() {{
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka:9092");
        props.put(ProducerConfig.ACKS_CONFIG, "{acks}");
        return new KafkaProducer<>(props);
    }}

    @KafkaListener(topics = "in-{n}", groupId = "g{n}")
    public void onOrder(String order) {{
        orderRepository.save(new Order(order));
        kafkaTemplate.send("out-{n}", order);
    }}
}}
"""


def generate_java(root: Path, files: int, messaging: float, seed: int) -> None:
    """Ordinary Java classes, a share of them with Kafka client and Spring Kafka code."""
    rng = random.Random(seed)
    for i in range(files):
        path = root / "src" / "main" / "java" / f"pkg{i % 41}" / f"C{i}.java"
        path.parent.mkdir(parents=True, exist_ok=True)
        template = MESSAGING_JAVA if rng.random() < messaging else ORDINARY_JAVA
        path.write_text(template.format(n=i, pkg=i % 41, acks=rng.choice(["all", "1"])))


def generate_python(root: Path, files: int, messaging: float, seed: int) -> None:
    """Ordinary Python modules, a share of them with Kafka and RabbitMQ client code."""
    rng = random.Random(seed)
    for i in range(files):
        path = root / f"pkg{i % 41}" / f"mod_{i}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        if rng.random() < messaging:
            path.write_text(MESSAGING_PY.format(n=i, acks=rng.choice(["all", "1"])))
        else:
            path.write_text(ORDINARY_PY.format(n=i))


def generate(root: Path, files: int, seed: int) -> None:
    rng = random.Random(seed)
    for i in range(files):
        module = root / f"module-{i % 97}" / f"pkg{i % 13}"
        kind = rng.random()
        if kind < 0.02:
            path = module / "src/main/resources" / (f"application-{i}.yml" if i % 3 else "application.yml")
            text = SPRING_YAML.format(n=i, acks=rng.choice(["all", "all", "1"]), records=rng.choice([100, 500, 5000]))
        elif kind < 0.035:
            path = module / "config" / f"application-{i}.properties"
            text = SPRING_PROPERTIES.format(n=i, auto=rng.choice(["true", "false"]), session=rng.choice([4000, 45000]))
        elif kind < 0.05:
            path = module / f"client-{i}-producer.properties"
            text = CLIENT.format(n=i, acks=rng.choice(["all", "1"]), linger=rng.choice([0, 5, 20]))
        elif kind < 0.06:
            path = module / "k8s" / f"topic-{i}.yaml"
            text = TOPIC.format(n=i, c=i % 3, partitions=rng.choice([3, 6, 12]), replicas=rng.choice([1, 3, 3]))
        elif kind < 0.07:
            path = module / "k8s" / f"deployment-{i}.yaml"
            text = DEPLOYMENT.format(n=i, replicas=rng.choice([1, 2, 4]))
        elif kind < 0.55:
            path, text = module / f"C{i}.java", JAVA.format(n=i)
        elif kind < 0.7:
            path, text = module / f"messages_{i}.properties", I18N.format(n=i)
        elif kind < 0.8:
            path, text = module / f"docker-compose-{i}.yml", COMPOSE.format(n=i, n2=i % 100)
        elif kind < 0.9:
            path, text = module / f"README-{i}.md", f"# Module {i}\n\nNothing to see.\n"
        else:
            path, text = module / f"m{i}.py", f"VALUE = {i}\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / ".gitignore").write_text("target/\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", type=int, metavar="N", help="generate N Python modules instead")
    parser.add_argument("--java", type=int, metavar="N", help="generate N Java classes instead")
    parser.add_argument("--messaging", type=float, default=0.0, help="with --python/--java: share with client code")
    parser.add_argument("--keep", type=Path, help="generate here and keep it (default: a temporary directory)")
    args = parser.parse_args()

    root = args.keep or Path(tempfile.mkdtemp(prefix="msglint-bench-"))
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    try:
        if args.python:
            generate_python(root, args.python, args.messaging, args.seed)
        elif args.java:
            generate_java(root, args.java, args.messaging, args.seed)
        else:
            generate(root, args.files, args.seed)
        on_disk = sum(1 for p in root.rglob("*") if p.is_file())
        command = [sys.executable, "-m", "msglint", "--format", "json", str(root)]
        times = []
        payload = ""
        for _ in range(args.runs):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True)
            times.append(time.perf_counter() - start)
            payload = done.stdout
        import json

        summary = json.loads(payload)["summary"]
        best, median = min(times), statistics.median(times)
        print(f"files on disk:   {on_disk}")
        print(f"files read:      {summary['files']}")
        print(f"findings:        {summary['findings']}")
        print(f"wall time:       best {best:.3f} s, median {median:.3f} s over {args.runs} runs")
        print(f"files per second (on disk / best wall time): {on_disk / best:,.0f}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
