"""reviewdog's diagnostic format (rdjson), for `reviewdog -f=rdjson`.

The shape is reviewdog's `DiagnosticResult` (proto/rdf/reviewdog.proto in
reviewdog's repository): a `source`, and `diagnostics` each with a `message`,
a `location` (path and range), a `severity`, a `code` with the rule's URL,
`related_locations`, and `suggestions`: the fix's edits as ranges and
replacement text, which reviewdog posts as suggested changes a reviewer
applies with one click.

Where this differs from ruff's rdjson, on purpose:
- Columns count UTF-8 bytes, as the format defines them (ruff writes
  character columns), so a suggestion lands where it should on a line with
  non-ASCII text.
- Severities are the enum names the format defines (`ERROR`); ruff's
  lowercase `warning` is not one of them, and reviewdog's reader drops it.
- The suggestions are the fixes `--fix` would apply with the same options:
  an unsafe fix only with `--unsafe-fixes`. A fix that also edits or creates
  another file (vercel.json and a new .python-version) has no suggestions:
  a suggestion can only change the finding's own file, and half a fix is no
  fix.
- A cross-file finding's other places are its `related_locations` (added to
  the format in 2024; reviewdog's GitHub and Gitea reporters show them).
Paths are relative to the current directory, where reviewdog runs.
"""

from __future__ import annotations

import json

from deploylint.diagnostics import Diagnostic, Span
from deploylint.report import Locator
from deploylint.rules import rule_by_code

SOURCE = {"name": "deploylint", "url": "https://github.com/deploylint/deploylint"}


def render(diagnostics: list[Diagnostic], locator: Locator, *, unsafe: bool) -> str:
    from deploylint.fixes import applicable

    result = {"source": SOURCE, "severity": "ERROR", "diagnostics": []}
    for diagnostic in diagnostics:
        path = diagnostic.span.path
        rule = rule_by_code(diagnostic.code)
        entry = {
            "message": diagnostic.message,
            "location": _location(locator, diagnostic.span),
            "severity": "ERROR",
            "code": {"value": diagnostic.code, "url": rule.url()} if rule else {"value": diagnostic.code},
        }
        if diagnostic.related:
            entry["related_locations"] = [{"message": r.message, "location": _location(locator, r.span)} for r in diagnostic.related]
        fix = diagnostic.fix
        if applicable(fix, unsafe) and fix.edits and all(edit.path == path for edit in fix.edits):
            entry["suggestions"] = [{"range": _range(locator, path, edit.start, edit.end), "text": edit.content} for edit in fix.edits]
        result["diagnostics"].append(entry)
    return json.dumps(result, indent=2, ensure_ascii=False) + "\n"


def _location(locator: Locator, span: Span) -> dict:
    return {"path": locator.display(span.path), "range": _range(locator, span.path, span.start, span.end)}


def _range(locator: Locator, path: str, start: int, end: int) -> dict:
    return {"start": _position(locator, path, start), "end": _position(locator, path, end)}


def _position(locator: Locator, path: str, offset: int) -> dict:
    """1-based line, and 1-based column in UTF-8 bytes, as rdjson counts them."""
    file = locator.project.files.get(path)
    if file is None:
        return {"line": 1, "column": 1}
    row, column = file.position(offset)
    line_start = file.line_starts[row - 1]
    prefix = file.text[line_start : line_start + column - 1]
    return {"line": row, "column": len(prefix.encode("utf-8", "surrogatepass")) + 1}
