"""JUnit XML, the test report Jenkins, Azure Pipelines and GitLab read.

As ruff writes it: one `<testsuite>` a file, named by its path, and one
`<testcase>` a finding with a `<failure>` that carries the message; a clean run
is one passing testcase, because Jenkins fails a build whose report holds no
test at all. Beyond ruff: a testcase's name holds the rule's name and where the
finding is, so two findings of one rule in a file are two tests a CI can tell
apart; the failure's text has the related locations of a cross-file finding;
and each testcase names its `file` and `line`, which GitLab's test report
links. Paths are relative to the current directory, as in the text format.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import PurePosixPath

from deploylint.diagnostics import Diagnostic
from deploylint.report import Locator
from deploylint.rules import rule_by_code

# XML 1.0 cannot hold these at all, escaped or not; a message quoting a file's
# stray control character must not make the report unreadable.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    suites = ET.Element("testsuites", name="deploylint", tests=str(max(len(diagnostics), 1)), failures=str(len(diagnostics)), errors="0")
    if not diagnostics:
        suite = _suite(suites, "deploylint", tests=1, failures=0)
        ET.SubElement(suite, "testcase", name="No errors found", classname="deploylint")
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        by_file.setdefault(diagnostic.span.path, []).append(diagnostic)
    for path, found in by_file.items():
        shown = locator.display(path)
        suite = _suite(suites, shown, tests=len(found), failures=len(found))
        for diagnostic in found:
            row, column = locator.position(diagnostic.span)
            rule = rule_by_code(diagnostic.code)
            name = f"{diagnostic.code} {rule.name}" if rule else diagnostic.code
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(f"{name} ({row}:{column})"),
                classname=_clean(_classname(shown)),
                file=_clean(shown),
                line=str(row),
            )
            failure = ET.SubElement(case, "failure", message=_clean(diagnostic.message), type=diagnostic.code)
            text = f"{shown}:{row}:{column}: {diagnostic.code} {diagnostic.message}"
            for related in diagnostic.related:
                r_row, r_column = locator.position(related.span)
                text += f"\n    {locator.display(related.span.path)}:{r_row}:{r_column}: {related.message}"
            failure.text = _clean(text)
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


def _suite(parent: ET.Element, name: str, *, tests: int, failures: int) -> ET.Element:
    return ET.SubElement(parent, "testsuite", name=_clean(name), tests=str(tests), failures=str(failures), errors="0", skipped="0")


def _classname(path: str) -> str:
    """The path without its extension, as ruff writes it: Jenkins reads dots in a classname as packages."""
    pure = PurePosixPath(path)
    return str(pure.with_suffix("")) if pure.suffix else path


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
