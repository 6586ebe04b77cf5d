"""ruff's JSON shape, so tools that read ruff's output read deploylint's.

One addition: each edit names its `filename`, because a deploylint fix may
touch two files (vercel.json and a new .python-version).
"""

from __future__ import annotations

import json

from deploylint.diagnostics import Diagnostic
from deploylint.report import Locator, by_code
from deploylint.rules import rule_by_code
from deploylint.text import SourceText


def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    return json.dumps([_diagnostic(d, locator) for d in diagnostics], indent=2, ensure_ascii=False) + "\n"


def render_lines(diagnostics: list[Diagnostic], locator: Locator) -> str:
    """json-lines: one object a line, for tools that stream."""
    return "".join(json.dumps(_diagnostic(d, locator), ensure_ascii=False) + "\n" for d in diagnostics)


def statistics(diagnostics: list[Diagnostic], *, unsafe: bool) -> str:
    from deploylint.fixes import applicable

    rows = []
    for code, found in by_code(diagnostics):
        rule = rule_by_code(code)
        fixable = all(applicable(d.fix, unsafe) for d in found)
        rows.append({"code": code, "name": rule.name if rule else None, "count": len(found), "fixable": fixable})
    return json.dumps(rows, indent=2) + "\n"


def _location(row_column: tuple[int, int]) -> dict:
    return {"column": row_column[1], "row": row_column[0]}


def edit_position(locator: Locator, path: str, offset: int) -> tuple[int, int]:
    """(row, column) of an edit's offset; a file the fix creates reads as empty."""
    file = locator.project.files.get(path)
    if file is None:
        return SourceText(path, "").position(0)
    return file.position(offset)


def _diagnostic(diagnostic: Diagnostic, locator: Locator) -> dict:
    rule = rule_by_code(diagnostic.code)
    fix = None
    if diagnostic.fix is not None:
        fix = {
            "applicability": diagnostic.fix.applicability.value,
            "edits": [
                {
                    "content": edit.content,
                    "end_location": _location(edit_position(locator, edit.path, edit.end)),
                    "filename": locator.absolute(edit.path),
                    "location": _location(edit_position(locator, edit.path, edit.start)),
                }
                for edit in diagnostic.fix.edits
            ],
            "message": diagnostic.fix.message,
        }
    start = locator.position(diagnostic.span)
    return {
        "cell": None,
        "code": diagnostic.code,
        "end_location": _location(locator.position(diagnostic.span, end=True)),
        "filename": locator.absolute(diagnostic.span.path),
        "fix": fix,
        "location": _location(start),
        "message": diagnostic.message,
        "noqa_row": start[0],
        "related": [
            {
                "filename": locator.absolute(r.span.path),
                "location": _location(locator.position(r.span)),
                "message": r.message,
            }
            for r in diagnostic.related
        ],
        "url": rule.url() if rule else None,
    }
