"""GitHub Actions workflow commands: each finding becomes an annotation on the pull request."""

from __future__ import annotations

from deploylint.diagnostics import Diagnostic
from deploylint.report import Locator


def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    lines = []
    for diagnostic in diagnostics:
        row, column = locator.position(diagnostic.span)
        end_row, end_column = locator.position(diagnostic.span, end=True)
        path = locator.display(diagnostic.span.path)
        properties = {
            "title": f"deploylint ({diagnostic.code})",
            "file": diagnostic.span.path,  # relative to the workspace root, the repository's top
            "line": row,
            "col": column,
            "endLine": end_row,
            "endColumn": end_column,
        }
        written = ",".join(f"{key}={_property(str(value))}" for key, value in properties.items())
        message = f"{path}:{row}:{column}: {diagnostic.code} {diagnostic.message}"
        for related in diagnostic.related:
            r_row, r_column = locator.position(related.span)
            message += f"\n{locator.display(related.span.path)}:{r_row}:{r_column}: {related.message}"
        lines.append(f"::error {written}::{_data(message)}")
    return "".join(line + "\n" for line in lines)


# Escaping as the runner's own toolkit does (actions/toolkit, command.ts).
def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
