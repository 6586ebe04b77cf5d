"""`path:row:col: CODE [*] message`, as ruff and hadolint print it."""

from __future__ import annotations

from deploylint.diagnostics import Diagnostic
from deploylint.fixes import applicable
from deploylint.report import Locator


def render(diagnostics: list[Diagnostic], locator: Locator, *, unsafe: bool, fixed: int = 0) -> str:
    lines = []
    for diagnostic in diagnostics:
        row, column = locator.position(diagnostic.span)
        marker = " [*]" if applicable(diagnostic.fix, unsafe) else ""
        lines.append(f"{locator.display(diagnostic.span.path)}:{row}:{column}: {diagnostic.code}{marker} {diagnostic.message}")
        for related in diagnostic.related:
            r_row, r_column = locator.position(related.span)
            lines.append(f"    {locator.display(related.span.path)}:{r_row}:{r_column}: {related.message}")
    lines.append(summary(diagnostics, unsafe=unsafe, fixed=fixed))
    return "\n".join(lines) + "\n"


def summary(diagnostics: list[Diagnostic], *, unsafe: bool, fixed: int = 0) -> str:
    count = len(diagnostics)
    if count == 0:
        return f"Found {fixed} error{'s' if fixed != 1 else ''} ({fixed} fixed, 0 remaining)." if fixed else "All checks passed!"
    parts = [f"Found {count + fixed} error{'s' if count + fixed != 1 else ''}"]
    parts[0] += f" ({fixed} fixed, {count} remaining)." if fixed else "."
    fixable = sum(1 for d in diagnostics if applicable(d.fix, unsafe))
    hidden = sum(1 for d in diagnostics if d.fix is not None and not applicable(d.fix, unsafe))
    if fixable:
        parts.append(f"[*] {fixable} fixable with the `--fix` option.")
    if hidden:
        parts.append(f"({hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option.)")
    return "\n".join(parts)
