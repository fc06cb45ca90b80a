"""Versions from build files: each format's reader, the version ranges, and the join that gives a
client its library's version (and so its defaults: KP101 fires on kafka-clients 2.8, not on 3.6)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from msglint import versions
from msglint.readers import ParseError
from msglint.readers.build import parse


def _declared(name: str, text: str) -> dict[str, tuple[str, int, str]]:
    return {d.name: (d.version, d.span.line, d.scope) for d in parse(name, text).declared}


POM = """<?xml version="1.0"?>
<project>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>2.5.4</version>
  </parent>
  <properties>
    <kafka.version>2.8.1</kafka.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.springframework.cloud</groupId>
        <artifactId>spring-cloud-dependencies</artifactId>
        <version>2021.0.3</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>org.springframework.kafka</groupId>
      <artifactId>spring-kafka</artifactId>
    </dependency>
  </dependencies>
</project>
"""


def test_maven_parent_bom_properties_and_dependencies() -> None:
    build = parse("pom.xml", POM)
    found = {d.name: (d.version, d.span.line, d.scope) for d in build.declared}
    assert found["org.springframework.boot:spring-boot-starter-parent"] == ("2.5.4", 6, "parent")
    assert found["org.springframework.cloud:spring-cloud-dependencies"] == ("2021.0.3", 16, "bom")
    assert found["org.springframework.kafka:spring-kafka"] == ("", 25, "dependency")
    assert build.properties["kafka.version"][0] == "2.8.1"
    assert build.properties["kafka.version"][1].line == 9


def test_maven_refuses_a_doctype_and_reports_broken_xml_at_its_line() -> None:
    bomb = '<?xml version="1.0"?>\n<!DOCTYPE p [<!ENTITY a "aaaa">]>\n<project>&a;</project>\n'
    with pytest.raises(ParseError, match="DOCTYPE"):
        parse("pom.xml", bomb)
    with pytest.raises(ParseError) as broken:
        parse("pom.xml", "<project>\n  <dependencies>\n</project>\n")
    assert broken.value.line == 3


def test_gradle_coordinates_maps_plugins_and_variables() -> None:
    text = (
        "plugins {\n"
        "    id 'org.springframework.boot' version '2.7.5'\n"
        "}\n"
        "ext['kafka.version'] = '2.8.2'\n"
        "def nats = '2.0'\n"
        "dependencies {\n"
        '    implementation("org.apache.kafka:kafka-clients:$kafkaVersion")\n'
        "    implementation group: 'org.springframework.amqp', name: 'spring-rabbit', version: '2.4.1'\n"
        '    implementation platform("org.springframework.cloud:spring-cloud-dependencies:2021.0.3")\n'
        "}\n"
    )
    build = parse("build.gradle", text)
    found = {d.name: (d.version, d.span.line, d.scope) for d in build.declared}
    assert found["org.springframework.boot:spring-boot-gradle-plugin"] == ("2.7.5", 2, "plugin")
    assert found["org.apache.kafka:kafka-clients"] == ("$kafkaVersion", 7, "dependency")
    assert found["org.springframework.amqp:spring-rabbit"] == ("2.4.1", 8, "dependency")
    assert found["org.springframework.cloud:spring-cloud-dependencies"][2] == "bom"
    assert build.properties["kafka.version"][0] == "2.8.2"
    assert build.properties["nats"][0] == "2.0"


def test_version_catalog_with_references() -> None:
    text = (
        "[versions]\n"
        'kafka = "3.6.1"\n'
        'boot = "3.2.0"\n'
        "[libraries]\n"
        'kafka-clients = { module = "org.apache.kafka:kafka-clients", version.ref = "kafka" }\n'
        'amqp = "org.springframework.amqp:spring-rabbit:3.1.0"\n'
        "[plugins]\n"
        'spring-boot = { id = "org.springframework.boot", version.ref = "boot" }\n'
    )
    build = parse("libs.versions.toml", text)
    found = {d.name: d.version for d in build.declared}
    assert found["org.apache.kafka:kafka-clients"] == "${versions.kafka}"
    assert found["org.springframework.amqp:spring-rabbit"] == "3.1.0"
    assert found["org.springframework.boot:spring-boot-gradle-plugin"] == "${versions.boot}"
    assert build.properties["versions.kafka"][0] == "3.6.1"
    assert build.properties["versions.kafka"][1].line == 2


def test_python_requirement_formats() -> None:
    requirements = "# pinned\n-r base.txt\nconfluent_kafka[avro]==2.3.0 ; python_version>'3'\n"
    assert _declared("requirements-dev.txt", requirements)["confluent-kafka"] == ("==2.3.0", 3, "dependency")
    pyproject = (
        "[project]\n"
        'name = "x"\n'
        'dependencies = ["aiokafka>=0.10,<0.12"]\n'
        "[tool.poetry.dependencies]\n"
        'kafka-python = "^2.0.2"\n'
    )
    found = _declared("pyproject.toml", pyproject)
    assert found["aiokafka"] == (">=0.10,<0.12", 3, "dependency")
    assert found["kafka-python"][0:2] == ("^2.0.2", 5)
    setup_cfg = "[metadata]\nname = x\n[options]\ninstall_requires =\n    kafka-python==1.4.3\n    requests\n"
    assert _declared("setup.cfg", setup_cfg)["kafka-python"] == ("==1.4.3", 5, "dependency")
    assert _declared("Pipfile", '[packages]\naiokafka = "==0.8.1"\nrequests = "*"\n')["aiokafka"][0] == "==0.8.1"
    lock = '[[package]]\nname = "kafka-python"\nversion = "2.0.2"\n'
    assert _declared("poetry.lock", lock)["kafka-python"] == ("==2.0.2", 3, "lock")
    pipfile_lock = json.dumps({"default": {"kafka-python": {"version": "==2.0.2"}}}, indent=2)
    assert _declared("Pipfile.lock", pipfile_lock)["kafka-python"][0] == "==2.0.2"
    with pytest.raises(ParseError):
        parse("pyproject.toml", "[project\n")


@pytest.mark.parametrize(
    ("spec", "bound", "expected"),
    [
        ("2.8.1", "3.0", True),
        ("3.6.0", "3.0", False),
        ("2.3.4.RELEASE", "3.0", True),
        ("==2.0.2", "3.0", True),
        (">=2.0", "3.0", None),
        (">=2.0,<3", "3.0", True),
        ("~=2.0", "3.0", True),
        ("~=2.0.2", "3.0", True),
        ("^2.0.2", "3.0", True),
        ("^0.8", "3.0", True),
        (">=3.0.0", "3.0", False),
        ("2.8.+", "3.0", True),
        ("[2.8,3.0)", "3.0", True),
        ("*", "3.0", None),
        ("", "3.0", None),
    ],
)
def test_before(spec: str, bound: str, expected: bool | None) -> None:
    assert versions.before(spec, bound) is expected


def _lint(tmp_path: Path, files: dict[str, str]) -> list[tuple[str, str, str]]:
    import msglint

    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = msglint.lint([str(tmp_path)])
    return [(f.code, Path(f.path).name, f.message) for f in result.findings]


JAVA = """package orders;

import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

public class Producers {
    static KafkaProducer<String, String> create() {
        Properties props = new Properties();
        props.put("bootstrap.servers", "kafka:9092");
        return new KafkaProducer<>(props);
    }
}
"""


def _module_pom(version: str) -> str:
    return (
        "<project><parent><groupId>com.example</groupId><artifactId>parent</artifactId><version>1</version></parent>"
        "<artifactId>orders</artifactId><dependencies><dependency><groupId>org.apache.kafka</groupId>"
        f"<artifactId>kafka-clients</artifactId>{version}</dependency></dependencies></project>"
    )


def test_a_child_module_takes_its_version_from_the_parent_pom(tmp_path: Path) -> None:
    parent = (
        "<project><artifactId>parent</artifactId><properties><kafka-clients.version>2.8.1</kafka-clients.version>"
        "</properties></project>"
    )
    found = _lint(
        tmp_path,
        {
            "pom.xml": parent,
            "orders/pom.xml": _module_pom("<version>${kafka-clients.version}</version>"),
            "orders/src/main/java/orders/Producers.java": JAVA,
        },
    )
    assert [(c, n) for c, n, _ in found if c == "KP101"] == [("KP101", "Producers.java")]
    message = next(m for c, _, m in found if c == "KP101")
    assert "(kafka-clients 2.8.1 from " in message and "/pom.xml:1))" in message and "orders/pom.xml" not in message


def test_an_undefined_property_leaves_the_version_unknown(tmp_path: Path) -> None:
    found = _lint(
        tmp_path,
        {"pom.xml": _module_pom("<version>${nowhere}</version>"), "src/main/java/orders/Producers.java": JAVA},
    )
    assert [c for c, _, _ in found if c == "KP101"] == []


def test_a_lock_decides_over_a_range(tmp_path: Path) -> None:
    code = "from kafka import KafkaProducer\n\nproducer = KafkaProducer(bootstrap_servers='k:9092')\n"
    lock = '[[package]]\nname = "kafka-python"\nversion = "3.0.0"\n'
    files = {"requirements.txt": "kafka-python>=1.4\n", "poetry.lock": lock, "app.py": code}
    assert [c for c, _, _ in _lint(tmp_path, files) if c == "KP101"] == []
    older = files | {"poetry.lock": lock.replace("3.0.0", "2.0.2")}
    assert [c for c, _, _ in _lint(tmp_path, older) if c == "KP101"] == ["KP101"]
