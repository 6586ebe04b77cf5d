"""pylint's parseable format, `path:line: [CODE] message`, one line a finding.

Editors' and CI's problem matchers (VS Code's `$pylint`-style patterns,
Jenkins' warnings-ng) read this shape; ruff and flake8 write the same. The
related locations of a cross-file finding are left out: one line a finding is
the whole point of the format. Paths are relative to the current directory, as
in the text format.
"""

from __future__ import annotations

from deploylint.diagnostics import Diagnostic
from deploylint.report import Locator


def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    lines = []
    for diagnostic in diagnostics:
        row, _ = locator.position(diagnostic.span)
        # A message is one line today; a matcher reads one line a finding whatever a rule writes.
        message = " ".join(diagnostic.message.splitlines())
        lines.append(f"{locator.display(diagnostic.span.path)}:{row}: [{diagnostic.code}] {message}\n")
    return "".join(lines)
