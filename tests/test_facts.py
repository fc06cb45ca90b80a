"""The contract between extractors and checks: every kind, relation and fact is declared once in
msglint.facts, and the engine refuses (as an internal error) what the table does not allow."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from msglint import catalog, facts
from msglint.facts import problems  # the real one: conftest makes facts.problems assert
from msglint.model import Entity, Span

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "msglint"


def _entity(**changes: object) -> Entity:
    entity = Entity("rabbit.publisher", "pika", "app.py", Span.point(3))
    for name, value in changes.items():
        setattr(entity, name, value)
    return entity


def test_a_well_formed_entity_has_no_problems() -> None:
    entity = _entity(attributes={"confirms": "none"}, counts={"publishes": 2}, traits={"in-code"})
    assert problems(entity) == []


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"attributes": {"confirm": "none"}}, "undeclared text fact 'confirm'"),
        ({"attributes": {"publishes": "2"}}, "fact 'publishes' is a count, written as a text"),
        ({"counts": {"publishes": "2"}}, "fact 'publishes' holds str, not int"),
        ({"lists": {"roles": ("test",)}}, "fact 'roles' is not declared for rabbit.publisher"),
        ({"traits": {"yes"}}, "undeclared trait fact 'yes'"),
        ({"places": {"produce-at": Span.point(1)}}, "fact 'produce-at' is not declared for rabbit.publisher"),
        ({"kind": "rabbit.exchange"}, "unknown entity kind 'rabbit.exchange'"),
        ({"related": {"queue": []}}, "unknown relation 'queue'"),
    ],
)
def test_what_the_table_does_not_allow_is_named(changes: dict[str, object], said: str) -> None:
    assert said in problems(_entity(**changes))


def test_prefixed_facts_are_declared_by_their_prefix() -> None:
    producer = Entity("kafka.producer", "kafka-java", "P.java", Span.point(1))
    producer.attributes["object-type:acks"] = "Integer"
    producer.traits.add("api:v1beta2")
    assert problems(producer) == []


def test_the_engine_reports_a_broken_contract_as_an_internal_error(lint, monkeypatch) -> None:
    from msglint import link

    real = link.link

    def sloppy(entities: list[Entity]) -> None:  # a join that writes a fact nobody declared
        real(entities)
        entities[0].attributes["confirmed"] = "yes"

    monkeypatch.setattr(link, "link", sloppy)
    monkeypatch.setattr(facts, "problems", problems)
    result = lint({"app.py": "import pika\nch = pika.BlockingConnection().channel()\nch.basic_publish('', 'q', b'')\n"})
    assert [e for e in result.errors if "undeclared text fact 'confirmed'" in e] == [
        "the model of app.py: rabbit.publisher undeclared text fact 'confirmed'"
    ]
    assert result.exit_code() == 2
    assert any(f.code == "RC203" for f in result.findings)  # the checks still ran


def test_kind_and_relation_names_built_from_parts_are_checked() -> None:
    assert facts.kind("kafka.producer") == "kafka.producer"
    assert facts.relation("topics") == "topics"
    with pytest.raises(ValueError, match="unknown entity kind"):
        facts.kind("kafka.produce")
    with pytest.raises(ValueError, match="unknown relation"):
        facts.relation("topic")


def test_the_catalog_names_only_declared_kinds() -> None:
    schema = json.loads((ROOT / "rules" / "schema.json").read_text())
    assert set(schema["$defs"]["entity"]["enum"]) - {"file"} <= facts.KINDS
    for rule in catalog.load():
        assert set(rule.entities) - {"file"} <= facts.KINDS, rule.code


def test_every_declared_fact_is_written_by_some_module() -> None:
    """A declaration nobody writes is a fact a check may wait for in vain."""
    source = "\n".join(p.read_text() for p in SRC.rglob("*.py") if p.name != "facts.py")
    written = set(re.findall(r'"([a-z][a-z0-9-]*:?)"', source))
    missing = [name for name in facts.FACTS if name not in written]
    missing += [prefix for prefix in facts.PREFIXED if f'f"{prefix}{{' not in source]
    assert missing == []


def test_a_topology_operator_policy_defaults_to_queues(tmp_path: Path) -> None:
    """The Topology Operator's CRD defaults OperatorPolicy.spec.applyTo to queues: a declared fact the
    strict contract (conftest) checks while the entity is built."""
    from tests.test_clusters import entities

    manifest = (
        "apiVersion: rabbitmq.com/v1beta1\nkind: OperatorPolicy\nmetadata:\n  name: cap\nspec:\n  name: cap\n"
        "  pattern: '.*'\n  definition:\n    max-length: 1000\n  rabbitmqClusterReference:\n    name: prod\n"
    )
    found = entities(tmp_path, {"policy.yaml": manifest})
    policy = next(e for e in found if e.kind == "rabbit.policy")
    assert policy.attributes["default-apply-to"] == "queues" and "operator" in policy.traits
