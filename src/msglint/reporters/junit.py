"""JUnit XML: one test case per finding, or one passing case when there is none; CI servers show it
as a test report. A finding at or above the run's fail-on threshold is a failure; one below it
passes, its text in ``system-out``, so that the report agrees with the exit code. Every value is
made XML 1.0-safe first (``visible``: XML forbids most control characters even as references), and
names and paths fit on one line (``one_line``)."""

from __future__ import annotations

from xml.etree import ElementTree

from msglint.model import Finding, Result, severity_rank
from msglint.reporters import Context, one_line, statistics_rows, visible


def _case(suite: ElementTree.Element, f: Finding, fails: bool) -> None:
    path = one_line(f.path)
    case = ElementTree.SubElement(
        suite, "testcase", classname=path, name=f"{f.code} {path}:{f.span.line}", file=path, line=str(f.span.line)
    )
    text = f"{path}:{f.span.line}:{f.span.column}: {f.code} [{f.severity}] {visible(f.message)}"
    if fails:
        failure = ElementTree.SubElement(
            case, "failure", type=f.severity, message=f"{f.code} {f.name}: {one_line(f.message)}"
        )
        failure.text = text
    else:
        ElementTree.SubElement(case, "system-out").text = text


def render(result: Result) -> str:
    threshold = severity_rank(result.fail_on)
    failing = [severity_rank(f.severity) >= threshold for f in result.findings]
    suites = ElementTree.Element("testsuites", name="msglint")
    suite = ElementTree.SubElement(
        suites,
        "testsuite",
        name="msglint",
        tests=str(max(len(result.findings), 1) + len(result.errors)),
        failures=str(sum(failing)),
        errors=str(len(result.errors)),
    )
    for f, fails in zip(result.findings, failing, strict=True):
        _case(suite, f, fails)
    if not result.findings:
        ElementTree.SubElement(suite, "testcase", classname="msglint", name=f"{result.files} files checked")
    for error in result.errors:
        case = ElementTree.SubElement(suite, "testcase", classname="msglint", name="internal error")
        ElementTree.SubElement(case, "error", message=one_line(error)).text = visible(error)
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode")


def report(result: Result, context: Context) -> str:
    return render(result)


def statistics(result: Result, context: Context) -> str:
    """``--statistics``: one test case per rule, failed when its findings fail the run."""
    threshold = severity_rank(result.fail_on)
    rows = statistics_rows(result)
    failing = [severity_rank(row["severity"]) >= threshold for row in rows]
    suites = ElementTree.Element("testsuites", name="msglint statistics")
    suite = ElementTree.SubElement(
        suites, "testsuite", name="msglint statistics", tests=str(max(len(rows), 1)), failures=str(sum(failing))
    )
    for row, fails in zip(rows, failing, strict=True):
        case = ElementTree.SubElement(suite, "testcase", classname="msglint", name=f"{row['code']} {row['name']}")
        said = f"{row['count']} {row['severity']} finding{'s' if row['count'] != 1 else ''}, {row['fixable']} fixable"
        if fails:
            ElementTree.SubElement(case, "failure", type=row["severity"], message=said).text = said
        else:
            ElementTree.SubElement(case, "system-out").text = said
    if not rows:
        ElementTree.SubElement(suite, "testcase", classname="msglint", name="no findings")
    ElementTree.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(suites, encoding="unicode")
