"""JUnit XML: one test case per finding (failed), or one passing case when there is none; CI servers
show it as a test report. Every value is made XML 1.0-safe first (``visible``: XML forbids most
control characters even as references), and names and paths fit on one line (``one_line``)."""

from __future__ import annotations

from xml.etree import ElementTree

from msglint.model import Result
from msglint.reporters import Context, one_line, visible


def render(result: Result) -> str:
    suites = ElementTree.Element("testsuites", name="msglint")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="msglint",
        tests=str(max(len(result.findings), 1)),
        failures=str(len(result.findings)),
        errors=str(len(result.errors)),
    )
    for f in result.findings:
        path = one_line(f.path)
        case = ElementTree.SubElement(
            suite, "testcase", classname=path, name=f"{f.code} {path}:{f.span.line}", file=path, line=str(f.span.line)
        )
        message = visible(f.message)
        failure = ElementTree.SubElement(
            case, "failure", type=f.severity, message=f"{f.code} {f.name}: {one_line(f.message)}"
        )
        failure.text = f"{path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity}] {message}"
    if not result.findings:
        ElementTree.SubElement(suite, "testcase", classname="msglint", name=f"{result.files} files checked")
    for error in result.errors:
        case = ElementTree.SubElement(suite, "testcase", classname="msglint", name="internal error")
        ElementTree.SubElement(case, "error", message=one_line(error)).text = visible(error)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode")


def report(result: Result, context: Context) -> str:
    return render(result)
