"""Time msglint on a deterministic generated repository, side by side with semgrep.

    python benchmarks/bench.py                          # 5000 files: cold, warm, one edited file,
                                                        # pre-commit one-file runs; semgrep alongside
    python benchmarks/bench.py --scale 1000,5000,20000  # and the scaling at those sizes
    python benchmarks/bench.py --files 60 --runs 1 --no-semgrep --json /tmp/bench.json
    python benchmarks/bench.py --scale-only --scale 1000,5000,20000,50000

The tree looks like a company monorepo: Python modules of 150 to 300 lines where a few client lines
(confluent-kafka, pika, kafka-python) sit among unrelated code, Java classes that build Kafka
clients among ordinary Java, Kubernetes Deployments, Services and ConfigMaps, GitHub workflows,
docker-compose files, Spring Boot configuration, Kafka client .properties, KafkaTopics, Markdown and
i18n bundles. About 12% of the files are messaging-related (``--messaging``). File *i* depends only
on the seed and *i*, so a bigger tree is a smaller one plus files: the scaling adds to one tree.

semgrep runs the rules in benchmarks/semgrep/ (the same few checks, written for semgrep) on the
same tree, its runs alternating with msglint's. Every figure is a median over ``--runs``. Peak
memory is the child's maximum resident set (``wait4``). No timing is asserted anywhere: this is
for people, not for CI.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SEMGREP_RULES = HERE / "semgrep"

NOUNS = (
    "order", "invoice", "customer", "payment", "shipment", "account", "report", "session", "ticket",
    "price", "stock", "user", "event", "batch", "record", "item", "cart", "ledger", "profile", "quota",
)  # fmt: skip
_FIELD = re.compile(r"@(\w+)@")


def fill(template: str, values: dict[str, str]) -> str:
    """``@name@`` placeholders: neither braces (Python, Java) nor ``$`` (YAML) need escaping."""
    return _FIELD.sub(lambda m: values[m.group(1)], template)


def _names(rng: random.Random) -> dict[str, str]:
    a, b = rng.sample(NOUNS, 2)
    return {"a": a, "b": b, "A": a.capitalize(), "B": b.capitalize(), "k": str(rng.randint(2, 9))}


# --- Python ------------------------------------------------------------------------------------

PY_HEADER = '''"""@A@ @b@ service: loading, validating and reporting @a@s."""

from __future__ import annotations

import asyncio
import collections
import dataclasses
import enum
import json
import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from typing import Any
@imports@
log = logging.getLogger(__name__)
'''
PY_CHUNKS = (
    '''

@dataclasses.dataclass(frozen=True)
class @A@@B@:
    """A @a@ as the @b@ service sees it."""

    @a@_id: str
    @b@_count: int = 0
    tags: tuple[str, ...] = ()

    def with_@b@(self, count: int) -> @A@@B@:
        return dataclasses.replace(self, @b@_count=count)

    @property
    def label(self) -> str:
        return f"{self.@a@_id}:{self.@b@_count}"
''',
    '''

def summarize_@a@s(rows: Iterable[dict[str, Any]]) -> dict[str, int]:
    """Count @a@s per @b@, ignoring rows without one."""
    totals: dict[str, int] = collections.defaultdict(int)
    for row in rows:
        key = row.get("@b@")
        if not key:
            continue
        totals[str(key)] += int(row.get("amount", @k@))
    return dict(totals)
''',
    '''

def top_@a@s(values: Sequence[float], limit: int = @k@) -> list[tuple[int, float]]:
    """The `limit` largest positive values with their index."""
    ranked = sorted(enumerate(values), key=lambda pair: pair[1], reverse=True)
    return [(index, round(value, 2)) for index, value in ranked[:limit] if value > 0]
''',
    '''

class @A@Repository:
    """In-memory store of @a@s, keyed by id."""

    def __init__(self) -> None:
        self._items: dict[str, dict[str, Any]] = {}
        self._lock = threading.Lock()

    def add(self, key: str, value: dict[str, Any]) -> None:
        with self._lock:
            self._items[key] = dict(value)

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._items.get(key)
            return dict(item) if item is not None else None

    def find(self, **criteria: Any) -> list[dict[str, Any]]:
        with self._lock:
            return [
                dict(item)
                for item in self._items.values()
                if all(item.get(name) == wanted for name, wanted in criteria.items())
            ]

    def __len__(self) -> int:
        return len(self._items)
''',
    '''

def parse_@a@_line(line: str) -> tuple[str, float] | None:
    """`name=value`, or None when the line is a comment or malformed."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    name, sep, raw = line.partition("=")
    if not sep:
        return None
    try:
        return name.strip(), float(raw)
    except ValueError:
        log.debug("skipping %r", line)
        return None
''',
    '''

async def fetch_@a@s(client: Any, ids: list[str], concurrency: int = @k@) -> list[Any]:
    """Fetch every @a@, at most `concurrency` at a time."""
    semaphore = asyncio.Semaphore(concurrency)

    async def one(key: str) -> Any:
        async with semaphore:
            return await client.get(f"/@a@s/{key}")

    return await asyncio.gather(*(one(key) for key in ids))
''',
    """

class @A@State(enum.Enum):
    NEW = "new"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    CLOSED = "closed"

    @classmethod
    def parse(cls, text: str) -> @A@State:
        try:
            return cls(text.lower())
        except ValueError:
            return cls.NEW
""",
    '''

def chunked_@a@s(items: Sequence[Any], size: int = @k@) -> Iterator[list[Any]]:
    """Yield successive slices of at most `size` items."""
    start = 0
    while start < len(items):
        yield list(items[start : start + size])
        start += size
''',
    '''

def validate_@a@(data: dict[str, Any]) -> list[str]:
    """Every problem with one @a@, in a stable order."""
    problems = []
    if "id" not in data:
        problems.append("missing id")
    if not isinstance(data.get("@b@"), (int, float)):
        problems.append("@b@ must be a number")
    elif data["@b@"] < 0:
        problems.append("@b@ must not be negative")
    name = data.get("name", "")
    if len(name) > @k@0:
        problems.append("name too long")
    return problems
''',
    '''

def render_@a@_table(rows: list[dict[str, Any]]) -> str:
    """A plain-text table, one column per key of the first row."""
    if not rows:
        return ""
    widths = {key: max(len(str(row.get(key, ""))) for row in rows) for key in rows[0]}
    lines = ["  ".join(key.ljust(width) for key, width in widths.items())]
    for row in rows:
        lines.append("  ".join(str(row.get(key, "")).ljust(width) for key, width in widths.items()))
    return "\\n".join(lines)
''',
    '''

def load_@a@s(text: str) -> list[@A@@B@Row]:
    """Rows from a JSON array; an entry with unknown fields is skipped, not fatal."""
    out = []
    for entry in json.loads(text):
        try:
            out.append(@A@@B@Row(**entry))
        except TypeError:
            log.warning("bad @a@ entry: %s", entry)
    return out


@dataclasses.dataclass
class @A@@B@Row:
    name: str
    value: int = @k@
    extra: dict[str, Any] = dataclasses.field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)
''',
    '''

class @A@Cache:
    """A bounded least-recently-used cache of computed @b@s."""

    def __init__(self, capacity: int = @k@00) -> None:
        self.capacity = capacity
        self._data: collections.OrderedDict[str, Any] = collections.OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key: str, compute: Any) -> Any:
        if key in self._data:
            self.hits += 1
            self._data.move_to_end(key)
            return self._data[key]
        self.misses += 1
        value = compute(key)
        self._data[key] = value
        if len(self._data) > self.capacity:
            self._data.popitem(last=False)
        return value
''',
)
PY_CONFLUENT = '''

def make_@a@_producer() -> Producer:
    """The producer that publishes @a@ events."""
    return Producer(
        {
            "bootstrap.servers": "kafka-@n@:9092",
            "acks": @acks@,
            "linger.ms": @linger@,
            "compression.type": "lz4",
        }
    )


def consume_@a@s(handle: Any) -> None:
    consumer = Consumer(
        {
            "bootstrap.servers": "kafka-@n@:9092",
            "group.id": "@a@-workers-@n@",
            "enable.auto.commit": @auto_commit@,
            "auto.offset.reset": "earliest",
        }
    )
    consumer.subscribe(["@a@s-@n@"])
    while True:
        message = consumer.poll(1.0)
        if message is None or message.error():
            continue
        handle(message.value())
        consumer.commit(message)
'''
PY_PIKA = """

def on_@a@(ch: Any, method: Any, properties: Any, body: bytes) -> None:
    log.info("received %d bytes", len(body))
    ch.basic_ack(delivery_tag=method.delivery_tag)


def run_@a@_worker() -> None:
    connection = pika.BlockingConnection(pika.ConnectionParameters("rabbitmq-@n@"))
    channel = connection.channel()
    channel.queue_declare(queue="@a@-@n@", durable=@durable@)
    channel.basic_qos(prefetch_count=@prefetch@)
    channel.basic_consume(queue="@a@-@n@", on_message_callback=on_@a@, auto_ack=@auto_ack@)
    channel.start_consuming()
"""
PY_KAFKA_PYTHON = """

def make_@a@_producer() -> KafkaProducer:
    return KafkaProducer(
        bootstrap_servers=["kafka-@n@:9092"],
        acks=@acks@,
        retries=5,
        value_serializer=lambda value: json.dumps(value).encode("utf-8"),
    )
"""
PY_CLIENTS: dict[str, tuple[str, str, Callable[[random.Random], dict[str, str]]]] = {
    "confluent": (
        "\nfrom confluent_kafka import Consumer, Producer\n",
        PY_CONFLUENT,
        lambda r: {
            "acks": r.choice(['"all"', '"all"', '"1"', "1", "-1"]),
            "linger": r.choice(["5", "20", "0"]),
            "auto_commit": r.choice(["False", "True"]),
        },
    ),
    "pika": (
        "\nimport pika\n",
        PY_PIKA,
        lambda r: {
            "durable": r.choice(["True", "True", "False"]),
            "prefetch": r.choice(["10", "50", "1"]),
            "auto_ack": r.choice(["False", "False", "True"]),
        },
    ),
    "kafka-python": (
        "\nfrom kafka import KafkaProducer\n",
        PY_KAFKA_PYTHON,
        lambda r: {"acks": r.choice(['"all"', "1", "1", "-1"])},
    ),
}
PY_LINES = (150, 300)


def _chunks_to(rng: random.Random, chunks: Sequence[str], start: int, bounds: tuple[int, int]) -> list[str]:
    """Unrelated chunks until the module is within ``bounds`` lines (a chunk that would overshoot is
    skipped: every chunk is far shorter than the band, so the loop always lands inside it)."""
    target = rng.randint(bounds[0], bounds[1] - 40)
    out: list[str] = []
    lines = start
    while lines < target:
        chunk = fill(rng.choice(chunks), _names(rng))
        size = chunk.count("\n")
        if lines + size <= bounds[1]:
            out.append(chunk)
            lines += size
    return out


def python_module(rng: random.Random, n: int, client: str | None) -> str:
    """A 150 to 300 line module; with ``client``, its client lines among the unrelated code."""
    imports, block, values = PY_CLIENTS[client] if client else ("", "", None)
    names = _names(rng)
    client_text = fill(block, {**names, "n": str(n), **values(rng)}) if values else ""
    head = fill(PY_HEADER, {**names, "imports": imports})
    used = head.count("\n") + client_text.count("\n")
    chunks = _chunks_to(rng, PY_CHUNKS, used, PY_LINES)
    if client_text:
        chunks.insert(rng.randint(0, len(chunks)), client_text)
    return head + "".join(chunks)


# --- Java --------------------------------------------------------------------------------------

JAVA_HEADER = """package com.example.@pkg@;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
@imports@
/** @A@ handling for the @b@ module. */
public class @A@@B@@cls@ {

    private final Map<String, Integer> counts = new HashMap<>();
    private final List<String> history = new ArrayList<>();
"""
JAVA_CHUNKS = (
    """
    public int count@A@(String key) {
        return counts.getOrDefault(key, 0);
    }

    public void record@A@(String key) {
        counts.merge(key, 1, Integer::sum);
        history.add(key);
    }
""",
    """
    public List<String> top@A@s(int limit) {
        return counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(limit)
                .map(Map.Entry::getKey)
                .collect(Collectors.toList());
    }
""",
    """
    public Optional<String> find@A@(String prefix) {
        for (String item : history) {
            if (item.startsWith(prefix)) {
                return Optional.of(item);
            }
        }
        return Optional.empty();
    }
""",
    """
    public String describe@A@(int state) {
        switch (state) {
            case 0:
                return "new";
            case 1:
                return "active";
            case @k@:
                return "suspended";
            default:
                return "unknown";
        }
    }
""",
    """
    public List<String> load@A@s(Path file) {
        try {
            return Files.readAllLines(file).stream()
                    .map(String::trim)
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .collect(Collectors.toList());
        } catch (IOException e) {
            history.add("failed: " + file);
            return new ArrayList<>();
        }
    }
""",
    """
    public String render@A@Report() {
        StringBuilder out = new StringBuilder();
        out.append("@a@ report\\n");
        for (Map.Entry<String, Integer> entry : counts.entrySet()) {
            out.append(entry.getKey()).append(": ").append(entry.getValue()).append('\\n');
        }
        return out.toString();
    }
""",
    """
    /**
     * The total of every @b@ counted so far, capped at {@code limit}.
     */
    public long total@B@(long limit) {
        long total = 0;
        for (int value : counts.values()) {
            total += value;
            if (total > limit) {
                return limit;
            }
        }
        return total;
    }
""",
    """
    static final class @A@Entry {
        private final String name;
        private final int weight;

        @A@Entry(String name, int weight) {
            this.name = name;
            this.weight = weight;
        }

        String name() {
            return name;
        }

        int weight() {
            return weight * @k@;
        }
    }
""",
)
JAVA_PRODUCER = """
    public KafkaProducer<String, String> create@A@Producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-@n@:9092");
        props.put(@acks_key@, "@acks@");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "@linger@");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        return new KafkaProducer<>(props);
    }
"""
JAVA_CONSUMER = """
    public KafkaConsumer<String, String> create@A@Consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "kafka-@n@:9092");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "@a@-@n@");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "@auto_commit@");
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props);
        consumer.subscribe(List.of("@a@s-@n@"));
        return consumer;
    }
"""
JAVA_IMPORTS = {
    "producer": "import java.util.Properties;\nimport org.apache.kafka.clients.producer.KafkaProducer;\n"
    "import org.apache.kafka.clients.producer.ProducerConfig;\n"
    "import org.apache.kafka.common.serialization.StringSerializer;\n",
    "consumer": "import java.util.Properties;\nimport org.apache.kafka.clients.consumer.ConsumerConfig;\n"
    "import org.apache.kafka.clients.consumer.KafkaConsumer;\n"
    "import org.apache.kafka.common.serialization.StringDeserializer;\n",
}
JAVA_LINES = (100, 260)


def java_class(rng: random.Random, n: int, client: str | None) -> str:
    """An ordinary class; with ``client`` (producer, consumer), one method builds that Kafka client."""
    names = {**_names(rng), "pkg": f"svc{n % 97}", "cls": str(n), "n": str(n)}
    client_text = ""
    if client == "producer":
        acks_key = rng.choice(["ProducerConfig.ACKS_CONFIG", "ProducerConfig.ACKS_CONFIG", '"acks"'])
        values = {"acks_key": acks_key, "acks": rng.choice(["all", "all", "1", "-1"]), "linger": rng.choice("05")}
        client_text = fill(JAVA_PRODUCER, {**names, **values})
    elif client == "consumer":
        client_text = fill(JAVA_CONSUMER, {**names, "auto_commit": rng.choice(["true", "false"])})
    head = fill(JAVA_HEADER, {**names, "imports": JAVA_IMPORTS.get(client or "", "")})
    used = head.count("\n") + client_text.count("\n") + 1
    chunks = _chunks_to(rng, JAVA_CHUNKS, used, JAVA_LINES)
    if client_text:
        chunks.insert(rng.randint(0, len(chunks)), client_text)
    return head + "".join(chunks) + "}\n"


# --- YAML and properties -----------------------------------------------------------------------

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: @a@-@n@
  labels:
    app.kubernetes.io/name: @a@-@n@
    app.kubernetes.io/part-of: @b@
spec:
  replicas: @replicas@
  selector:
    matchLabels:
      app.kubernetes.io/name: @a@-@n@
  template:
    metadata:
      labels:
        app.kubernetes.io/name: @a@-@n@
    spec:
      containers:
        - name: app
          image: registry.example.com/@a@:1.@k@.@n@
          ports:
            - containerPort: 8080
          env:
            - name: LOG_LEVEL
              value: info
            - name: DATABASE_URL
              valueFrom:
                secretKeyRef:
                  name: @a@-db
                  key: url
          resources:
            requests:
              cpu: 100m
              memory: 256Mi
            limits:
              memory: 512Mi
          readinessProbe:
            httpGet:
              path: /health/ready
              port: 8080
            periodSeconds: 10
          livenessProbe:
            httpGet:
              path: /health/live
              port: 8080
            initialDelaySeconds: 30
"""
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: @a@-@n@
  labels:
    app.kubernetes.io/name: @a@-@n@
spec:
  type: ClusterIP
  selector:
    app.kubernetes.io/name: @a@-@n@
  ports:
    - name: http
      port: 80
      targetPort: 8080
"""
CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: @a@-@n@-config
data:
  LOG_FORMAT: json
  FEATURE_@B@_ENABLED: "true"
  CACHE_TTL_SECONDS: "@k@00"
  nginx.conf: |
    server {
      listen 8080;
      location / {
        proxy_pass http://@a@-@n@:80;
      }
    }
"""
INGRESS = """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: @a@-@n@
  annotations:
    nginx.ingress.kubernetes.io/rewrite-target: /
spec:
  rules:
    - host: @a@.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: @a@-@n@
                port:
                  number: 80
"""
WORKFLOW = """name: @a@ CI
on:
  push:
    branches: [main]
  pull_request:
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python: ["3.11", "3.12"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python }}
      - run: pip install -e '.[test]'
      - run: pytest -q
      - name: Publish
        if: github.ref == 'refs/heads/main'
        run: ./scripts/publish.sh @a@
        env:
          TOKEN: ${{ secrets.PUBLISH_TOKEN }}
"""
COMPOSE = """services:
  @a@:
    build: .
    ports:
      - "8@k@@n2@:8080"
    environment:
      DATABASE_URL: postgres://app@db:5432/@a@
      REDIS_URL: redis://cache:6379/0
    depends_on: [db, cache]
  db:
    image: postgres:16
    volumes:
      - db-data:/var/lib/postgresql/data
  cache:
    image: redis:7
volumes:
  db-data: {}
"""
SPRING_PLAIN = """server:
  port: 8080
spring:
  application:
    name: @a@-@n@
  datasource:
    url: jdbc:postgresql://db:5432/@a@
    username: @a@
  jpa:
    hibernate:
      ddl-auto: validate
management:
  endpoints:
    web:
      exposure:
        include: health,info,prometheus
"""
SPRING_KAFKA_YAML = """server:
  port: 8080
spring:
  application:
    name: @a@-@n@
  datasource:
    url: jdbc:postgresql://db:5432/@a@
  kafka:
    bootstrap-servers: kafka-@n@:9092
    producer:
      acks: @acks@
      compression-type: lz4
      retries: 5
    consumer:
      group-id: @a@-@n@
      auto-offset-reset: earliest
      enable-auto-commit: @auto_commit@
      max-poll-records: @records@
management:
  endpoints:
    web:
      exposure:
        include: health,info
"""
SPRING_KAFKA_PROPERTIES = """spring.application.name=@a@-@n@
server.port=8080
spring.datasource.url=jdbc:postgresql://db:5432/@a@
spring.kafka.bootstrap-servers=kafka-@n@:9092
spring.kafka.producer.acks=@acks@
spring.kafka.consumer.group-id=@a@-@n@
spring.kafka.consumer.enable-auto-commit=@auto_commit@
spring.kafka.consumer.properties[session.timeout.ms]=@session@
logging.level.root=INFO
"""
KAFKA_CLIENT = """# @a@ @side@ settings
bootstrap.servers=kafka-@n@:9092
@body@"""
KAFKA_TOPIC = """apiVersion: kafka.strimzi.io/v1beta2
kind: KafkaTopic
metadata:
  name: @a@s-@n@
  labels:
    strimzi.io/cluster: cluster-@c@
spec:
  partitions: @partitions@
  replicas: @replicas@
  config:
    retention.ms: 604800000
    min.insync.replicas: @isr@
"""
MARKDOWN = """# @A@ @b@

The @a@ service keeps @b@s consistent across regions.

## Running locally

```sh
make run
curl localhost:8080/health
```

## Configuration

| variable | default | meaning |
|---|---|---|
| `LOG_LEVEL` | `info` | how much to log |
| `CACHE_TTL_SECONDS` | `@k@00` | how long a @b@ stays cached |

## Operations

- Dashboards live in Grafana under *@A@*.
- Page the @b@ team for anything that lasts more than @k@ minutes.
"""
I18N_KEYS = ("title", "save", "cancel", "delete", "confirm", "error.required", "error.invalid", "welcome")


def _i18n(rng: random.Random, n: int) -> str:
    names = _names(rng)
    return "".join(
        f"{names['a']}.{area}.{key}={names['A']} {area} {key} {n}\n"
        for area in ("form", "list", "dialog")
        for key in I18N_KEYS
    )


def _client_properties(rng: random.Random, n: int) -> str:
    if rng.random() < 0.5:
        body = f"acks={rng.choice(['all', 'all', '1'])}\nlinger.ms={rng.choice([0, 5, 20])}\ncompression.type=zstd\n"
        side = "producer"
    else:
        body = f"group.id=g{n}\nenable.auto.commit={rng.choice(['true', 'false'])}\nauto.offset.reset=earliest\n"
        side = "consumer"
    return fill(KAFKA_CLIENT, {**_names(rng), "n": str(n), "side": side, "body": body})


def _yaml(template: str) -> Callable[[random.Random, int], str]:
    def make(rng: random.Random, n: int) -> str:
        values = {
            **_names(rng),
            "n": str(n),
            "n2": str(n % 100).zfill(2),
            "c": str(n % 3),
            "replicas": rng.choice(["1", "2", "3", "3"]),
            "partitions": rng.choice(["3", "6", "12"]),
            "isr": rng.choice(["1", "2", "2"]),
            "acks": rng.choice(["all", "all", "1"]),
            "auto_commit": rng.choice(["true", "false"]),
            "records": rng.choice(["100", "500", "5000"]),
            "session": rng.choice(["4000", "45000"]),
        }
        return fill(template, values)

    return make


# --- The mix -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of file: its share of the tree, whether it is messaging-related, how it is made."""

    name: str
    share: float
    messaging: bool
    path: Callable[[int], str]
    make: Callable[[random.Random, int], str]


def _svc(n: int) -> str:
    return f"services/svc-{n % 97}"


def _py(stem: str, client: str | None) -> tuple[Callable[[int], str], Callable[[random.Random, int], str]]:
    return (lambda n: f"{_svc(n)}/app/{stem}_{n}.py"), (lambda r, n: python_module(r, n, client))


def _java(stem: str, client: str | None) -> tuple[Callable[[int], str], Callable[[random.Random, int], str]]:
    path = "{svc}/src/main/java/com/example/svc{pkg}/{stem}{n}.java"
    return (lambda n: path.format(svc=_svc(n), pkg=n % 97, stem=stem, n=n)), (lambda r, n: java_class(r, n, client))


def _at(
    path: str, make: Callable[[random.Random, int], str]
) -> tuple[Callable[[int], str], Callable[[random.Random, int], str]]:
    """``path`` with ``{svc}`` (the service directory) and ``{n}`` (the file's index)."""
    return (lambda n: path.format(svc=_svc(n), n=n)), make


RESOURCES = "{svc}/src/main/resources"
KINDS = (
    # messaging-related: 12% by default (the shares are scaled to --messaging)
    Kind("python-confluent", 1.5, True, *_py("events", "confluent")),
    Kind("python-pika", 1.0, True, *_py("worker", "pika")),
    Kind("python-kafka-python", 0.5, True, *_py("publish", "kafka-python")),
    Kind("java-producer", 1.5, True, *_java("Events", "producer")),
    Kind("java-consumer", 1.0, True, *_java("Intake", "consumer")),
    Kind("spring-kafka-yaml", 2.0, True, *_at(RESOURCES + "/application-k{n}.yml", _yaml(SPRING_KAFKA_YAML))),
    Kind(
        "spring-kafka-properties",
        1.5,
        True,
        *_at(RESOURCES + "/application-k{n}.properties", _yaml(SPRING_KAFKA_PROPERTIES)),
    ),
    Kind("kafka-client-properties", 1.5, True, *_at("{svc}/config/client-{n}.properties", _client_properties)),
    Kind("kafka-topic", 1.5, True, *_at("deploy/{svc}/topics/topic-{n}.yaml", _yaml(KAFKA_TOPIC))),
    # everything else
    Kind("python", 14.0, False, *_py("mod", None)),
    Kind("java", 28.0, False, *_java("Service", None)),
    Kind("k8s-deployment", 6.0, False, *_at("deploy/{svc}/deployment-{n}.yaml", _yaml(DEPLOYMENT))),
    Kind("k8s-service", 4.0, False, *_at("deploy/{svc}/service-{n}.yaml", _yaml(SERVICE))),
    Kind("k8s-configmap", 3.0, False, *_at("deploy/{svc}/configmap-{n}.yaml", _yaml(CONFIGMAP))),
    Kind("k8s-ingress", 2.0, False, *_at("deploy/{svc}/ingress-{n}.yaml", _yaml(INGRESS))),
    Kind("github-workflow", 2.0, False, *_at(".github/workflows/ci-{n}.yml", _yaml(WORKFLOW))),
    Kind("docker-compose", 2.0, False, *_at("{svc}/docker-compose-{n}.yml", _yaml(COMPOSE))),
    Kind("spring-plain-yaml", 2.0, False, *_at(RESOURCES + "/application-p{n}.yml", _yaml(SPRING_PLAIN))),
    Kind("markdown", 10.0, False, *_at("{svc}/docs/notes-{n}.md", _yaml(MARKDOWN))),
    Kind("i18n-properties", 13.0, False, *_at(RESOURCES + "/i18n/messages_{n}.properties", _i18n)),
)


def _weights(messaging: float) -> list[float]:
    """Each kind's share, the messaging kinds scaled to sum to ``messaging`` and the rest to the remainder."""
    on = sum(k.share for k in KINDS if k.messaging)
    off = sum(k.share for k in KINDS if not k.messaging)
    return [k.share / on * messaging if k.messaging else k.share / off * (1 - messaging) for k in KINDS]


def plan(index: int, seed: int, messaging: float = 0.12) -> tuple[Kind, str, str]:
    """File ``index`` of the tree: its kind, relative path and text, from the seed and index alone
    (so a tree of N files is the first N files of any bigger tree)."""
    rng = random.Random(f"{seed}:{index}")
    kind = rng.choices(KINDS, weights=_weights(messaging))[0]
    return kind, kind.path(index), kind.make(rng, index)


def generate(root: Path, files: int, seed: int = 42, messaging: float = 0.12, start: int = 0) -> dict[str, int]:
    """Write files ``start`` to ``files - 1`` under ``root``; returns how many of each kind were written."""
    counts: dict[str, int] = {}
    made: set[Path] = set()
    for index in range(start, files):
        kind, relative, text = plan(index, seed, messaging)
        path = root / relative
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        path.write_text(text, encoding="utf-8")
        counts[kind.name] = counts.get(kind.name, 0) + 1
    (root / ".gitignore").write_text("target/\n.msglint_cache/\n", encoding="utf-8")
    return counts


# --- Measuring ---------------------------------------------------------------------------------


@dataclass
class Run:
    """One child process: wall time, its peak resident set, exit code and standard output."""

    seconds: float
    peak_mib: float
    exit_code: int
    stdout: str = field(repr=False, default="")
    stderr: str = field(repr=False, default="")
    tree_peak_mib: float = 0.0  # the process and its workers together, sampled


def _tree_rss(pid: int) -> int:
    """Resident bytes of ``pid`` and every descendant now (Linux /proc; 0 where it is missing)."""
    total, todo = 0, [pid]
    while todo:
        here = todo.pop()
        try:
            total += int(Path(f"/proc/{here}/statm").read_text().split()[1]) * PAGE
            todo += [int(c) for c in Path(f"/proc/{here}/task/{here}/children").read_text().split()]
        except (OSError, ValueError, IndexError):
            continue  # exited meanwhile
    return total


PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class _Sampler(threading.Thread):
    """The peak of the whole process tree, sampled every 20 ms: ``wait4`` gives the largest single
    process, which under-reports a run with worker processes."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.done = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, _tree_rss(self.pid))


def measure(command: Sequence[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``command`` to completion; the peak memory is this child's own (``wait4``), not the
    maximum over every child so far as ``RUSAGE_CHILDREN`` would give."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdout=out, stderr=err, cwd=cwd, env=env)
        sampler = _Sampler(child.pid)
        sampler.start()
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        sampler.done.set()
        sampler.join()
        child.returncode = os.waitstatus_to_exitcode(status)  # already reaped: Popen must not wait again
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss is bytes on macOS, KiB on Linux
    peak = usage.ru_maxrss * scale / 2**20
    return Run(seconds, peak, child.returncode, stdout, stderr, max(peak, sampler.peak / 2**20))


class Msglint:
    """msglint as a user runs it, with its caches in a directory of ours (never the user's)."""

    def __init__(self, root: Path, cache: Path, source: Path | None = None) -> None:
        self.root = root
        self.cache = cache
        self.env = {**os.environ, "MSGLINT_CACHE_DIR": str(cache)}
        # as installed for a user, Python keeps its compiled modules: a sandbox that says not to
        # (PYTHONDONTWRITEBYTECODE) would charge every run the compiling of msglint's own code
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        if source is not None:  # another msglint (e.g. a `git archive` of an older commit) ahead of the installed one
            self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(source), os.environ.get("PYTHONPATH")]))

    def clear(self) -> None:
        """Cold: msglint's own caches gone (catalog, configuration, and a per-project cache if
        there is one); the operating system's file cache stays warm, for semgrep too."""
        shutil.rmtree(self.cache, ignore_errors=True)
        shutil.rmtree(self.root / ".msglint_cache", ignore_errors=True)

    def tree(self) -> Run:
        command = [sys.executable, "-m", "msglint", "check", "--format", "json", "--exit-zero", "."]
        return self._checked(measure(command, cwd=self.root, env=self.env))

    def one(self, relative: str) -> Run:
        command = [sys.executable, "-m", "msglint", "check", "--only-relevant", "--exit-zero", relative]
        return self._checked(measure(command, cwd=self.root, env=self.env))

    @staticmethod
    def _checked(run: Run) -> Run:
        # 2 is an internal error on some file: the run is still timed, and the report counts them
        if run.exit_code not in (0, 2):
            raise SystemExit(f"msglint exited {run.exit_code}:\n{run.stderr[-2000:]}")
        return run


def semgrep_command() -> list[str] | None:
    """The semgrep beside this interpreter (the test extra installs it), else on PATH, else None."""
    beside = Path(sys.executable).with_name("semgrep")
    found = str(beside) if beside.exists() else shutil.which("semgrep")
    if found is None:
        return None
    return [found, "scan", "--config", str(SEMGREP_RULES), "--metrics=off", "--disable-version-check", "--quiet"]


def semgrep_run(command: list[str], root: Path) -> Run:
    run = measure([*command, "--json", "."], cwd=root)
    if run.exit_code not in (0, 1):
        raise SystemExit(f"semgrep exited {run.exit_code}:\n{run.stderr[-2000:]}")
    return run


def msglint_codes(stdout: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in json.loads(stdout)["findings"]:
        counts[finding["code"]] = counts.get(finding["code"], 0) + 1
    return dict(sorted(counts.items()))


def semgrep_codes(stdout: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in json.loads(stdout)["results"]:
        rule = result["check_id"].rsplit(".", 1)[-1]
        counts[rule] = counts.get(rule, 0) + 1
    return dict(sorted(counts.items()))


def summary(runs: Sequence[Run]) -> dict[str, Any]:
    return {
        "median_s": round(statistics.median(r.seconds for r in runs), 4),
        "min_s": round(min(r.seconds for r in runs), 4),
        "runs_s": [round(r.seconds, 4) for r in runs],
        "peak_mib": round(max(r.peak_mib for r in runs), 1),
        "tree_peak_mib": round(max(r.tree_peak_mib for r in runs), 1),
    }


COMMENT = {".py": "# edited {}\n", ".java": "// edited {}\n", ".yml": "# edited {}\n", ".properties": "# edited {}\n"}


def edit(path: Path, count: int) -> None:
    """Change the content (a comment line appended), as a save in an editor does: a new hash."""
    with path.open("a", encoding="utf-8") as handle:
        handle.write(COMMENT[path.suffix].format(count))


def precommit_files(root: Path, files: int, seed: int, messaging: float) -> dict[str, str]:
    """The first messaging file of each suffix: what a pre-commit hook is handed after an edit."""
    wanted: dict[str, str | None] = {".yml": None, ".properties": None, ".py": None, ".java": None}
    for index in range(files):
        kind, relative, _ = plan(index, seed, messaging)
        suffix = Path(relative).suffix
        if kind.messaging and suffix in wanted and wanted[suffix] is None:
            wanted[suffix] = relative
            if all(wanted.values()):
                break
    return {suffix: relative for suffix, relative in wanted.items() if relative and (root / relative).exists()}


def side_by_side(root: Path, tool: Msglint, semgrep: list[str] | None, runs: int, edited: Path) -> dict[str, Any]:
    """Per repetition: cold, semgrep, warm (the identical run again), then one file edited and the
    whole tree again; so semgrep's runs sit between msglint's, under the same load."""
    cold, warm, after_edit, other = [], [], [], []
    for rep in range(runs):
        tool.clear()
        cold.append(tool.tree())
        if semgrep:
            other.append(semgrep_run(semgrep, root))
        warm.append(tool.tree())
        edit(edited, rep)
        after_edit.append(tool.tree())
    out: dict[str, Any] = {
        "runs": runs,
        "msglint": {"cold": summary(cold), "warm": summary(warm), "edited": summary(after_edit)},
        "msglint_findings": msglint_codes(cold[-1].stdout),
        "msglint_errors": len(json.loads(cold[-1].stdout)["errors"]),
        "edited_file": edited.relative_to(root).as_posix(),
    }
    if other:
        out["semgrep"] = summary(other)
        out["semgrep_findings"] = semgrep_codes(other[-1].stdout)
        for case in ("cold", "warm"):
            ratio = out["semgrep"]["median_s"] / out["msglint"][case]["median_s"]
            out[f"ratio_semgrep_over_msglint_{case}"] = round(ratio, 2)
    return out


def precommit(root: Path, tool: Msglint, chosen: dict[str, str], runs: int) -> dict[str, Any]:
    """``msglint check --only-relevant FILE`` after an edit to FILE, catalog and configuration caches warm."""
    out: dict[str, Any] = {}
    for suffix, relative in chosen.items():
        done = []
        for rep in range(runs):
            edit(root / relative, 1000 + rep)
            done.append(tool.one(relative))
        out[suffix] = {"file": relative, **summary(done)}
    return out


def scaling(sizes: Sequence[int], seed: int, messaging: float, runs: int, source: Path | None) -> list[dict[str, Any]]:
    """One tree grown to each size in turn (generation is cumulative), a cold run at each."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="msglint-scale-") as scratch:
        root, have = Path(scratch) / "tree", 0
        root.mkdir()
        tool = Msglint(root, Path(scratch) / "cache", source)
        for size in sorted(sizes):
            started = time.perf_counter()
            generate(root, size, seed, messaging, start=have)
            generated, have = time.perf_counter() - started, size
            done = []
            for _ in range(runs):
                tool.clear()
                done.append(tool.tree())
            row = {"files": size, "generate_s": round(generated, 2), **summary(done)}
            row["files_per_s"] = round(size / row["median_s"])
            row["ms_per_file"] = round(row["median_s"] * 1000 / size, 3)
            rows.append(row)
            print(f"  scaled {size}: {row['median_s']:.2f} s, {row['tree_peak_mib']:.0f} MiB", file=sys.stderr)
    return rows


# --- Report ------------------------------------------------------------------------------------


def machine(semgrep: list[str] | None) -> dict[str, Any]:
    from msglint.version import __version__

    info: dict[str, Any] = {
        "date": datetime.date.today().isoformat(),
        "cpus": os.cpu_count(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "msglint": __version__,
    }
    if semgrep:
        done = subprocess.run(
            [semgrep[0], "--version", "--disable-version-check"], capture_output=True, text=True, check=False
        )
        info["semgrep"] = done.stdout.strip()
    return info


def _row(label: str, figures: dict[str, Any]) -> str:
    return (
        f"  {label:<34} {figures['median_s']:>9.3f} s  {figures['min_s']:>9.3f} s  {figures['peak_mib']:>8.0f} MiB"
        f"  {figures['tree_peak_mib']:>8.0f} MiB"
    )


def table(report: dict[str, Any]) -> str:
    """The plain-text report: every figure also goes to --json."""
    host = report["machine"]
    lines = [f"msglint benchmark, {host['date']}, {host['cpus']} cpus, {host['platform']}"]
    tree = report.get("tree")
    if tree:
        lines.append(f"tree: {tree['files']} files, {tree['messaging_files']} messaging-related, seed {tree['seed']}")
        lines.append(f"  {'':<34} {'median':>11}  {'best':>11}  {'peak 1 proc':>12}  {'all procs':>12}")
    sbs = report.get("side_by_side")
    if sbs:
        lines.append(_row("msglint cold (caches cleared)", sbs["msglint"]["cold"]))
        lines.append(_row("msglint warm (identical re-run)", sbs["msglint"]["warm"]))
        lines.append(_row("msglint one file edited, whole tree", sbs["msglint"]["edited"]))
        if "semgrep" in sbs:
            lines.append(_row("semgrep, equivalent rules", sbs["semgrep"]))
            cold, warm = sbs["ratio_semgrep_over_msglint_cold"], sbs["ratio_semgrep_over_msglint_warm"]
            lines.append(f"  semgrep / msglint: {cold}x cold, {warm}x warm")
            lines.append(f"  semgrep findings: {sbs['semgrep_findings']}")
        else:
            lines.append(f"  semgrep: {report.get('semgrep_skipped', 'not run')}")
        lines.append(f"  msglint findings: {sbs['msglint_findings']}")
        if sbs["msglint_errors"]:
            lines.append(f"  WARNING: msglint reported {sbs['msglint_errors']} internal errors (files not analysed)")
    for suffix, figures in report.get("precommit", {}).items():
        lines.append(_row(f"pre-commit one {suffix} file", figures))
    if report.get("scaling"):
        lines.append(
            f"scaling (cold):  {'files':>7} {'wall s':>9} {'files/s':>9} {'ms/file':>9} {'peak MiB':>9} {'all':>9}"
        )
        for row in report["scaling"]:
            lines.append(
                f"                 {row['files']:>7} {row['median_s']:>9.2f} {row['files_per_s']:>9} "
                f"{row['ms_per_file']:>9.3f} {row['peak_mib']:>9.0f} {row['tree_peak_mib']:>9.0f}"
            )
    return "\n".join(lines)


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=5000, help="files in the side-by-side tree (default 5000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--messaging", type=float, default=0.12, help="share of messaging-related files (0.12)")
    parser.add_argument("--runs", type=int, default=3, help="repetitions of each measurement (medians reported)")
    parser.add_argument("--precommit-runs", type=int, default=5, help="repetitions of each one-file run")
    parser.add_argument("--no-semgrep", action="store_true", help="time msglint alone")
    parser.add_argument("--scale", type=_sizes, default=[], metavar="N,N,...", help="also the scaling at these sizes")
    parser.add_argument("--scale-runs", type=int, default=1, help="cold runs at each scaling size (default 1)")
    parser.add_argument("--scale-only", action="store_true", help="only the scaling, no side-by-side tree")
    parser.add_argument("--keep", type=Path, help="generate the tree here and keep it (default: a temporary directory)")
    parser.add_argument(
        "--msglint-src",
        type=Path,
        metavar="DIR",
        help="time the msglint package in DIR (its src/), not the installed one",
    )
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure to FILE as JSON")
    return parser.parse_args(argv)


def bench_tree(args: argparse.Namespace, semgrep: list[str] | None, report: dict[str, Any]) -> None:
    scratch = Path(tempfile.mkdtemp(prefix="msglint-bench-"))
    root = args.keep or scratch / "tree"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    try:
        started = time.perf_counter()
        counts = generate(root, args.files, args.seed, args.messaging)
        messaging = sum(n for name, n in counts.items() if next(k for k in KINDS if k.name == name).messaging)
        report["tree"] = {
            "files": args.files,
            "messaging_files": messaging,
            "seed": args.seed,
            "generate_s": round(time.perf_counter() - started, 2),
            "kinds": dict(sorted(counts.items())),
        }
        chosen = precommit_files(root, args.files, args.seed, args.messaging)
        tool = Msglint(root, scratch / "cache", args.msglint_src)
        edited = root / (chosen.get(".py") or next(iter(chosen.values())))
        report["side_by_side"] = side_by_side(root, tool, semgrep, args.runs, edited)
        report["precommit"] = precommit(root, tool, chosen, args.precommit_runs)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(argv)
    semgrep = None if args.no_semgrep else semgrep_command()
    report: dict[str, Any] = {"machine": machine(semgrep), "command": ["benchmarks/bench.py", *(argv or sys.argv[1:])]}
    if args.msglint_src:
        report["machine"]["msglint_src"] = str(args.msglint_src)
    if not args.no_semgrep and semgrep is None:
        report["semgrep_skipped"] = "semgrep is not installed (pip install -e '.[test]'); skipped"
    elif args.no_semgrep:
        report["semgrep_skipped"] = "skipped (--no-semgrep)"
    if not args.scale_only:
        bench_tree(args, semgrep, report)
    if args.scale:
        report["scaling"] = scaling(args.scale, args.seed, args.messaging, args.scale_runs, args.msglint_src)
    print(table(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
