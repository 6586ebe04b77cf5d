"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Beyond what ruff writes: each result carries its fix as `fixes[].
artifactChanges` (every edit, in every file it touches), and a cross-file
finding carries the other files as `relatedLocations`. Columns count Unicode
code points (`columnKind`), as deploylint's do; paths are relative to the
workspace root (`%SRCROOT%`).
"""

from __future__ import annotations

import json
from urllib.parse import quote

from deploylint import __version__
from deploylint.diagnostics import Applicability, Diagnostic, Span
from deploylint.report import Locator
from deploylint.report.json import edit_position
from deploylint.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    rules = all_rules()
    index = {rule.code: position for position, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "deploylint",
                "version": __version__,
                "informationUri": "https://github.com/deploylint/deploylint",
                "rules": [_rule(rule) for rule in rules],
            }
        },
        "originalUriBaseIds": {"%SRCROOT%": {"uri": locator.project.workspace.root.resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, locator, index) for d in diagnostics],
    }
    log = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"


def _rule(rule) -> dict:
    doc = rule.doc()
    summary = _section(doc, "What it does") or rule.name
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": summary.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": summary},
        "help": {"text": doc, "markdown": doc},
        "helpUri": rule.url(),
        "properties": {"fix": rule.fix},
    }


def _section(doc: str, title: str) -> str:
    lines = doc.splitlines()
    try:
        start = lines.index(f"## {title}") + 1
    except ValueError:
        return ""
    body = []
    for line in lines[start:]:
        if line.startswith("## "):
            break
        body.append(line)
    return " ".join(" ".join(body).split())


def _artifact(path: str) -> dict:
    return {"uri": quote(path), "uriBaseId": "%SRCROOT%"}


def _region(locator: Locator, span: Span) -> dict:
    start_line, start_column = locator.position(span)
    end_line, end_column = locator.position(span, end=True)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def _result(diagnostic: Diagnostic, locator: Locator, index: dict[str, int]) -> dict:
    result = {
        "ruleId": diagnostic.code,
        "ruleIndex": index[diagnostic.code],
        "level": "error",
        "message": {"text": diagnostic.message},
        "locations": [{"physicalLocation": {"artifactLocation": _artifact(diagnostic.span.path), "region": _region(locator, diagnostic.span)}}],
    }
    if diagnostic.related:
        result["relatedLocations"] = [
            {
                "id": number,
                "message": {"text": related.message},
                "physicalLocation": {"artifactLocation": _artifact(related.span.path), "region": _region(locator, related.span)},
            }
            for number, related in enumerate(diagnostic.related, start=1)
        ]
    if diagnostic.fix is not None and diagnostic.fix.edits:
        changes: dict[str, list[dict]] = {}
        for edit in diagnostic.fix.edits:
            start_line, start_column = edit_position(locator, edit.path, edit.start)
            end_line, end_column = edit_position(locator, edit.path, edit.end)
            changes.setdefault(edit.path, []).append(
                {
                    "deletedRegion": {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column},
                    "insertedContent": {"text": edit.content},
                }
            )
        safety = "" if diagnostic.fix.applicability is Applicability.SAFE else " (unsafe: may change behaviour)"
        result["fixes"] = [
            {
                "description": {"text": diagnostic.fix.message + safety},
                "artifactChanges": [{"artifactLocation": _artifact(path), "replacements": replacements} for path, replacements in changes.items()],
            }
        ]
    return result
