"""DPL003: a suppression comment that suppresses nothing."""

from __future__ import annotations

from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix
from deploylint.rules import Example, Rule


class UnusedSuppression(Rule):
    """
    ## What it does
    Reports a `# deploylint: ignore[...]`, `# deploylint: ignore-file[...]` or
    `# noqa: DPL...` comment, or one of its codes, that suppresses nothing:
    no finding of that code is there, the code is not enabled in this run, or
    no rule has that code.

    ## Why is this bad?
    A suppression outlives the problem it was written for: the pin gets
    fixed, the import goes, and the comment stays, ready to hide the next,
    different finding on that line. ruff's RUF100 does the same for `noqa`.

    ## Example
    ```python
    import os  # deploylint: ignore[DPL401]
    ```

    Use instead:
    ```python
    import os
    ```

    ## Fix safety
    Safe: it removes the unused codes, or the whole directive when none is
    used, and nothing else (another tool's codes in the same `# noqa:` and
    other comments on the line stay).

    ## References
    - [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    - [hadolint: ignoring rules inline](https://github.com/hadolint/hadolint#inline-ignores)
    """

    code = "DPL003"
    name = "unused-suppression"
    fix = "always"
    VALID = [
        Example({"requirements.txt": "werkzeug\n", "app.py": "from werkzeug.security import safe_str_cmp  # deploylint: ignore[DPL401] vendored\n"}),
        Example({"Dockerfile": "# deploylint: ignore[DPL101]\nFROM python:3.8-slim\n"}),
        Example({"app.py": "import os  # noqa: E501\n"}),
    ]
    INVALID = [
        Example({"app.py": "import os  # deploylint: ignore[DPL401]\n"}, "app.py", 1, fixed={"app.py": "import os\n"}),
        Example({"app.py": "import os  # noqa: E501, DPL999\n"}, "app.py", 1, fixed={"app.py": "import os  # noqa: E501\n"}),
        Example(
            {"Dockerfile": "FROM python:3.12-slim\n# deploylint: ignore[DPL101] old base\nRUN echo hi\n"},
            "Dockerfile",
            2,
            fixed={"Dockerfile": "FROM python:3.12-slim\nRUN echo hi\n"},
        ),
    ]

    # The checker runs this rule after every other one, with the directives.
    def report(self, directives, files, selects, known_codes) -> list[Diagnostic]:
        found = []
        for directive in directives:
            if directive.codes is None:
                if not directive.used:
                    found.append(self._diagnostic(directive, files, "it suppresses nothing", keep=None))
                continue
            reasons = []
            for code in directive.codes:
                if code in directive.used:
                    continue
                if code not in known_codes:
                    reasons.append(f"{code} (no such rule)")
                elif not selects(code):
                    reasons.append(f"{code} (not enabled)")
                else:
                    reasons.append(f"{code} (no {code} finding here)")
            if reasons:
                keep = [code for code in directive.codes if code in directive.used]
                found.append(self._diagnostic(directive, files, "unused " + ", ".join(reasons), keep=keep))
        return found

    def _diagnostic(self, directive, files, why: str, keep: list[str] | None) -> Diagnostic:
        file = files[directive.span.path]
        kept = [*directive.other_codes, *(keep or ())]
        if kept and directive.codes_span:
            start, end = directive.codes_span
            edit = Edit(file.path, start, end, ", ".join(kept))
            message = f"Keep only {', '.join(keep)}" if keep else "Remove the deploylint codes"
        else:
            edit = Edit(file.path, *_removal(file.text, directive.span.start, directive.span.end), "")
            message = "Remove the directive"
        return Diagnostic(self.code, f"Suppression that suppresses nothing: {why}", directive.span, Fix(message, Applicability.SAFE, (edit,)))


def _removal(text: str, start: int, end: int) -> tuple[int, int]:
    """The range to delete for a directive: with the blanks around it, and its
    line when nothing else is on it."""
    while end < len(text) and text[end] in " \t":
        end += 1
    if end < len(text) and text[end] not in "\r\n":
        return start, end  # another comment follows: it keeps the blanks before it
    while start > 0 and text[start - 1] in " \t":
        start -= 1
    if start == 0 or text[start - 1] == "\n":
        if text.startswith("\r\n", end):
            end += 2
        elif text.startswith("\n", end):
            end += 1
    return start, end
