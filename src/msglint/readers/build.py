"""Build files: which libraries a module declares, and at which version, with positions.

One parser per format, each giving the same flat list of ``Declared`` (a library, the version text as
written, where) plus the properties a version may name (``${kafka.version}``, ``$springBootVersion``):

- Maven ``pom.xml``: the parent, dependencies, dependencyManagement (a ``<scope>import</scope>`` BOM),
  ``<properties>``. Read with expat for its line numbers; a DOCTYPE is refused, so no entity expands.
- Gradle ``build.gradle(.kts)``: ``'group:name:version'`` strings, ``group:/name:/version:`` maps,
  plugin ids with ``version``, ``ext``/``extra``/``def``/``val`` variables; ``gradle.properties``;
  ``libs.versions.toml`` catalogs.
- Python: ``requirements*.txt``, ``pyproject.toml`` (PEP 621, PEP 735 groups, Poetry), ``setup.cfg``,
  ``Pipfile``, and the locks ``poetry.lock``, ``uv.lock``, ``Pipfile.lock`` (exact versions).

Nothing here knows which library matters: ``extract/builds.py`` decides that.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from msglint.model import Span
from msglint.readers import ParseError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["BuildFile", "Declared", "normalise", "parse", "tomllib"]


@dataclass(frozen=True)
class Declared:
    """One library named by a build file. ``name`` is ``group:artifact`` for Java, the normalised
    project name for Python (PEP 503: lower case, runs of ``-_.`` as ``-``); ``version`` is the text as
    written (``2.8.1``, ``${kafka.version}``, ``>=2.0,<3``, ``^0.8``, or "" when none)."""

    name: str
    version: str
    span: Span
    scope: str  # dependency, managed, bom, parent, plugin, lock


@dataclass
class BuildFile:
    format: str  # maven, gradle, gradle-properties, version-catalog, requirements, pyproject, ...
    declared: list[Declared] = field(default_factory=list)
    properties: dict[str, tuple[str, Span]] = field(default_factory=dict)


def parse(name: str, text: str) -> BuildFile:
    """The build file ``name`` (its base name) holds; ParseError where its syntax is broken."""
    lowered = name.lower()
    if lowered == "pom.xml" or lowered.endswith(".pom"):
        return _maven(text)
    if lowered.endswith((".gradle", ".gradle.kts")):
        return _gradle(text)
    if lowered == "gradle.properties":
        return _gradle_properties(text)
    if lowered.endswith(".versions.toml"):
        return _catalog(text)
    if lowered == "pipfile.lock":
        return _pipfile_lock(text)
    if lowered in ("poetry.lock", "uv.lock", "pdm.lock"):
        return _toml_lock(text)
    if lowered == "pyproject.toml":
        return _pyproject(text)
    if lowered == "pipfile":
        return _pipfile(text)
    if lowered == "setup.cfg":
        return _setup_cfg(text)
    return _requirements(text)


def normalise(project: str) -> str:
    return re.sub(r"[-_.]+", "-", project).lower()


# ---------------------------------------------------------------------------------------------- Maven


def _maven(text: str) -> BuildFile:
    import xml.parsers.expat

    build = BuildFile("maven")
    parser = xml.parsers.expat.ParserCreate()
    stack: list[str] = []
    texts: list[list[str]] = []
    starts: list[tuple[int, int]] = []
    current: dict[str, tuple[str, Span]] = {}

    def refuse(*_: object) -> None:  # no DTD, so no entity can expand (billion laughs)
        raise ParseError("a pom.xml with a DOCTYPE: msglint does not read DTDs", parser.CurrentLineNumber)

    def start(tag: str, _attrs: dict[str, str]) -> None:
        stack.append(tag)
        texts.append([])
        starts.append((parser.CurrentLineNumber, parser.CurrentColumnNumber + 1))
        if tag in ("dependency", "parent", "plugin"):
            current.clear()

    def data(chunk: str) -> None:
        if texts:
            texts[-1].append(chunk)

    def end(tag: str) -> None:
        value = "".join(texts.pop()).strip()
        line, column = starts.pop()
        path = "/".join(stack)
        stack.pop()
        span = Span(line, column, parser.CurrentLineNumber, parser.CurrentColumnNumber + len(tag) + 4)
        parent = stack[-1] if stack else ""
        if parent in ("dependency", "parent", "plugin"):
            current[tag] = (value, span)
        elif parent == "properties" and len(stack) == 2:
            build.properties[tag] = (value, span)
        elif path == "project/version":
            build.properties["project.version"] = (value, span)
        if tag == "parent" and path == "project/parent":
            _maven_entry(build, current, "parent")
            if "version" in current:
                build.properties.setdefault("project.parent.version", current["version"])
        elif tag == "dependency":
            managed = "dependencyManagement" in path
            imported = current.get("scope", ("",))[0] == "import"
            _maven_entry(build, current, "bom" if managed and imported else "managed" if managed else "dependency")
        elif tag == "plugin":
            _maven_entry(build, current, "plugin")

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        parser.Parse(text, True)
    except xml.parsers.expat.ExpatError as exc:
        message = f"not well-formed XML ({xml.parsers.expat.ErrorString(exc.code)})"
        raise ParseError(message, exc.lineno, exc.offset + 1) from None
    return build


def _maven_entry(build: BuildFile, current: dict[str, tuple[str, Span]], scope: str) -> None:
    group, artifact = current.get("groupId"), current.get("artifactId")
    if group is None or artifact is None:
        return
    version = current.get("version")
    span = version[1] if version is not None else artifact[1]
    build.declared.append(Declared(f"{group[0]}:{artifact[0]}", version[0] if version else "", span, scope))


# --------------------------------------------------------------------------------------------- Gradle

_COORDINATE = re.compile(r"""(?P<q>["'])(?P<g>[\w.-]+):(?P<a>[\w.-]+)(?::(?P<v>[^"'@:\s]+))?(?:@\w+)?(?P=q)""")
_MAP = re.compile(
    r"""group\s*[:=]\s*["'](?P<g>[\w.-]+)["']\s*,\s*(?:module|name)\s*[:=]\s*["'](?P<a>[\w.-]+)["']"""
    r"""\s*,\s*version\s*[:=]\s*["'](?P<v>[^"']+)["']"""
)
_PLUGIN = re.compile(r"""id\s*\(?\s*["'](?P<id>[\w.-]+)["']\s*\)?\s*version\s*\(?\s*["'](?P<v>[^"']+)["']""")
_VARIABLE = re.compile(
    r"""^\s*(?:(?:def|val|var|const\s+val)\s+|ext\.|extra\[["']|ext\[["']|set\(["']|project\.ext\.)?"""
    r"""(?P<k>[\w.-]+)["']?\]?\s*(?:,|=|\()\s*["'](?P<v>[^"'$]+)["']"""
)
_PLUGIN_IDS = {"org.springframework.boot": "org.springframework.boot:spring-boot-gradle-plugin"}


def _gradle(text: str) -> BuildFile:
    build = BuildFile("gradle")
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("//", 1)[0] if "//" in line and "://" not in line else line
        bom = "platform(" in code or "mavenBom" in code or "enforcedPlatform(" in code
        for match in _COORDINATE.finditer(code):
            where = "v" if match["v"] else "a"  # a version the platform or BOM manages is not written
            span = Span(number, match.start(where) + 1, number, match.end(where) + 1)
            name = f"{match['g']}:{match['a']}"
            build.declared.append(Declared(name, match["v"] or "", span, "bom" if bom else "dependency"))
        for match in _MAP.finditer(code):
            span = Span(number, match.start("v") + 1, number, match.end("v") + 1)
            build.declared.append(Declared(f"{match['g']}:{match['a']}", match["v"], span, "dependency"))
        for match in _PLUGIN.finditer(code):
            span = Span(number, match.start("v") + 1, number, match.end("v") + 1)
            name = _PLUGIN_IDS.get(match["id"], match["id"])
            build.declared.append(Declared(name, match["v"], span, "plugin"))
        variable = _VARIABLE.match(code)
        if variable is not None and not _COORDINATE.search(code):
            span = Span(number, variable.start("v") + 1, number, variable.end("v") + 1)
            build.properties[variable["k"]] = (variable["v"], span)
    return build


def _gradle_properties(text: str) -> BuildFile:
    from msglint.readers import properties

    build = BuildFile("gradle-properties")
    for entry in properties.parse(text):
        build.properties[entry.key] = (entry.value, entry.value_span)
    return build


def _toml(text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(found[1]), int(found[2])) if found else (1, 1)
        raise ParseError(f"not valid TOML ({str(exc).split(' (at')[0]})", line, column) from None


class _Finder:
    """Where a value of a TOML file is written: the first line that holds it, with the other needles
    on that line too (tomllib gives no positions)."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()

    def span(self, *needles: str) -> Span:
        for number, line in enumerate(self.lines, 1):
            column = line.find(needles[0]) if needles[0] else -1
            if column >= 0 and all(n in line for n in needles[1:]):
                return Span(number, column + 1, number, column + 1 + len(needles[0]))
        return Span.point(1)


def _catalog(text: str) -> BuildFile:
    build = BuildFile("version-catalog")
    data, where = _toml(text), _Finder(text)
    versions = data.get("versions", {})
    for key, value in versions.items() if isinstance(versions, dict) else ():
        if isinstance(value, dict):
            value = value.get("strictly") or value.get("require") or value.get("prefer") or ""
        if isinstance(value, str):
            build.properties[f"versions.{key}"] = (value, where.span(value, key))
    for section, scope in (("libraries", "dependency"), ("plugins", "plugin")):
        table = data.get(section, {})
        for alias, spec in table.items() if isinstance(table, dict) else ():
            name, version = _catalog_entry(spec, section)
            if name is None:
                continue
            span = where.span(version, alias) if version and not version.startswith("$") else where.span(alias)
            build.declared.append(Declared(_PLUGIN_IDS.get(name, name), version, span, scope))
    return build


def _catalog_entry(spec: Any, section: str) -> tuple[str | None, str]:
    if isinstance(spec, str):
        parts = spec.split(":")
        if section == "plugins":
            return parts[0], parts[1] if len(parts) > 1 else ""
        return (f"{parts[0]}:{parts[1]}", parts[2] if len(parts) > 2 else "") if len(parts) >= 2 else (None, "")
    if not isinstance(spec, dict):
        return None, ""
    name = spec.get("id") or spec.get("module")
    if name is None and "group" in spec:
        name = f"{spec['group']}:{spec.get('name')}"
    version = spec.get("version", "")
    if isinstance(version, dict):
        ref = version.get("ref")
        version = f"${{versions.{ref}}}" if ref else version.get("strictly") or version.get("require") or ""
    elif "version.ref" in spec:
        version = f"${{versions.{spec['version.ref']}}}"
    return (str(name) if name else None), str(version)


# --------------------------------------------------------------------------------------------- Python

_REQUIREMENT = re.compile(r"^\s*(?P<n>[A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(?P<v>(?:[<>=!~^]=?|===)[^;#]*)?")


def _requirement(line: str, number: int, offset: int = 0, scope: str = "dependency") -> Declared | None:
    match = _REQUIREMENT.match(line)
    if match is None or line.lstrip().startswith(("-", "#", "git+", "http")):
        return None
    version = (match["v"] or "").strip().rstrip(",").strip()
    start = (match.start("v") if match["v"] else match.start("n")) + offset
    end = (match.start("v") + len(version) if match["v"] else match.end("n")) + offset
    return Declared(normalise(match["n"]), version, Span(number, start + 1, number, end + 1), scope)


def _requirements(text: str) -> BuildFile:
    build = BuildFile("requirements")
    for number, line in enumerate(text.splitlines(), 1):
        found = _requirement(line.split(" #", 1)[0], number)
        if found is not None:
            build.declared.append(found)
    return build


def _strings(text: str, wanted: list[str], fmt: str) -> BuildFile:
    """PEP 508 strings found in a TOML file, placed at the line that quotes each."""
    build = BuildFile(fmt)
    lines = text.splitlines()
    for requirement in wanted:
        for number, line in enumerate(lines, 1):
            column = line.find(requirement)
            if column >= 0 and line[column - 1 : column] in "\"'":
                found = _requirement(requirement, number, column)
                if found is not None:
                    build.declared.append(found)
                break
    return build


def _pyproject(text: str) -> BuildFile:
    data = _toml(text)
    project = data.get("project", {}) if isinstance(data.get("project"), dict) else {}
    wanted = [r for r in project.get("dependencies", []) if isinstance(r, str)]
    for group in (project.get("optional-dependencies") or {}).values():
        wanted += [r for r in group if isinstance(r, str)] if isinstance(group, list) else []
    for group in (data.get("dependency-groups") or {}).values():
        wanted += [r for r in group if isinstance(r, str)] if isinstance(group, list) else []
    build = _strings(text, wanted, "pyproject")
    poetry = data.get("tool", {}).get("poetry", {}) if isinstance(data.get("tool"), dict) else {}
    tables = [poetry.get("dependencies"), poetry.get("dev-dependencies")]
    tables += [g.get("dependencies") for g in (poetry.get("group") or {}).values() if isinstance(g, dict)]
    where = _Finder(text)
    for table in tables:
        for name, spec in table.items() if isinstance(table, dict) else ():
            version = spec if isinstance(spec, str) else spec.get("version", "") if isinstance(spec, dict) else ""
            build.declared.append(Declared(normalise(name), str(version), where.span(name), "dependency"))
    return build


def _pipfile(text: str) -> BuildFile:
    data, where = _toml(text), _Finder(text)
    build = BuildFile("pipfile")
    for section in ("packages", "dev-packages"):
        for name, spec in (data.get(section) or {}).items():
            version = spec if isinstance(spec, str) else spec.get("version", "") if isinstance(spec, dict) else ""
            version = "" if version == "*" else str(version)
            build.declared.append(Declared(normalise(name), version, where.span(name), "dependency"))
    return build


def _setup_cfg(text: str) -> BuildFile:
    build = BuildFile("setup-cfg")
    section, collecting = "", False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("["):
            section, collecting = stripped, False
            continue
        value = stripped
        if not line[:1].isspace():  # a key: install_requires of [options], or any key of the extras
            key, _, value = stripped.partition("=")
            wanted = (section, key.strip()) == ("[options]", "install_requires")
            collecting = wanted or section == "[options.extras_require]"
            value = value.strip()
        if collecting and value:
            found = _requirement(value, number, line.find(value))
            if found is not None:
                build.declared.append(found)
    return build


def _toml_lock(text: str) -> BuildFile:
    data = _toml(text)
    build = BuildFile("lock")
    lines = text.splitlines()
    packages = data.get("package", [])
    cursor = 0
    for package in packages if isinstance(packages, list) else ():
        if not isinstance(package, dict) or "name" not in package:
            continue
        name, version = str(package["name"]), str(package.get("version", ""))
        span = Span.point(1)
        for number in range(cursor, len(lines)):
            if lines[number].strip() in (f'name = "{name}"', f"name = '{name}'"):
                line = lines[number + 1] if number + 1 < len(lines) else ""
                column = line.find(version)
                span = Span(number + 2, column + 1, number + 2, column + 1 + len(version))
                if column < 0:
                    span = Span.point(number + 1)
                cursor = number + 1
                break
        build.declared.append(Declared(normalise(name), f"=={version}" if version else "", span, "lock"))
    return build


def _pipfile_lock(text: str) -> BuildFile:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ParseError("not valid JSON", getattr(exc, "lineno", 1), getattr(exc, "colno", 1)) from None
    build = BuildFile("lock")
    where = _Finder(text)
    for section in ("default", "develop"):
        table = data.get(section) if isinstance(data, dict) else None
        for name, spec in table.items() if isinstance(table, dict) else ():
            version = spec.get("version", "") if isinstance(spec, dict) else ""
            build.declared.append(Declared(normalise(name), str(version), where.span(f'"{name}"'), "lock"))
    return build
