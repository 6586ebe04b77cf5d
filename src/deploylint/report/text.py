"""`path:row:col: CODE [*] message`, as ruff and hadolint print it.

`text` adds each finding's related locations (the other half of a cross-file
finding) and, with --show-fixes, its fix; `concise` is one line a finding.
Colour only on a terminal, and never with NO_COLOR set.
"""

from __future__ import annotations

from deploylint.diagnostics import Diagnostic
from deploylint.fixes import applicable
from deploylint.report import Locator, by_code

_BOLD, _RED, _CYAN, _DIM, _RESET = "\033[1m", "\033[31m", "\033[36m", "\033[2m", "\033[0m"


def render(
    diagnostics: list[Diagnostic],
    locator: Locator,
    *,
    unsafe: bool,
    fixed: list[Diagnostic] = (),
    concise: bool = False,
    show_fixes: bool = False,
    colour: bool = False,
) -> str:
    def paint(text: str, style: str) -> str:
        return f"{style}{text}{_RESET}" if colour else text

    lines = []
    if show_fixes and fixed:
        lines.extend(_fixed(fixed, locator))
    for diagnostic in diagnostics:
        row, column = locator.position(diagnostic.span)
        marker = " [*]" if applicable(diagnostic.fix, unsafe) else ""
        where = paint(f"{locator.display(diagnostic.span.path)}:{row}:{column}:", _BOLD)
        lines.append(f"{where} {paint(diagnostic.code, _RED + _BOLD)}{marker} {diagnostic.message}")
        if concise:
            continue
        for related in diagnostic.related:
            r_row, r_column = locator.position(related.span)
            lines.append(f"    {paint(f'{locator.display(related.span.path)}:{r_row}:{r_column}:', _CYAN)} {related.message}")
        if show_fixes and diagnostic.fix is not None:
            safety = "" if applicable(diagnostic.fix, False) else " (unsafe)"
            lines.append(f"    {paint('fix:', _DIM)} {diagnostic.fix.message}{safety}")
    lines.append(summary(diagnostics, unsafe=unsafe, fixed=len(fixed)))
    return "\n".join(lines) + "\n"


def _fixed(fixed: list[Diagnostic], locator: Locator) -> list[str]:
    """What --fix changed, per file and code, as ruff's --show-fixes lists it
    (the findings' positions were in texts the fixes have since changed)."""
    from deploylint.rules import rule_by_code

    by_file: dict[str, dict[str, int]] = {}
    for diagnostic in fixed:
        codes = by_file.setdefault(diagnostic.span.path, {})
        codes[diagnostic.code] = codes.get(diagnostic.code, 0) + 1
    lines = [f"Fixed {len(fixed)} error{'s' if len(fixed) != 1 else ''}:"]
    for path, codes in sorted(by_file.items()):
        lines.append(f"- {locator.display(path)}:")
        for code, count in sorted(codes.items()):
            rule = rule_by_code(code)
            lines.append(f"    {count} × {code} ({rule.name if rule else code})")
    return [*lines, ""]


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


def statistics(diagnostics: list[Diagnostic], *, unsafe: bool) -> str:
    """One line a code, most frequent first, as `ruff check --statistics`."""
    from deploylint.rules import rule_by_code

    groups = by_code(diagnostics)
    width = max((len(str(len(found))) for _, found in groups), default=1)
    lines = []
    for code, found in groups:
        rule = rule_by_code(code)
        marker = "[*] " if all(applicable(d.fix, unsafe) for d in found) else "[-] " if any(applicable(d.fix, unsafe) for d in found) else "    "
        lines.append(f"{len(found):>{width}}\t{code}\t{marker}{rule.name if rule else ''}")
    return "\n".join(lines) + "\n" if lines else ""
