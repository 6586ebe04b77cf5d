"""GitLab Code Quality: the JSON array `artifacts:reports:codequality` reads.

Each entry is the subset of the Code Climate issue GitLab documents
(https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format):
`description`, `check_name`, `fingerprint`, `severity` and `location` (a
repository-relative `path` and `positions`). GitLab shows an issue as new, or
as fixed, by comparing fingerprints between the merge request's pipeline and
its target's. ruff hashes the rule and the path only, so two findings of one
rule in a file share a fingerprint until a salt tells them apart; here the
fingerprint also holds the message and the source text the finding points at,
never its line, so a finding keeps its fingerprint when lines above it come
or go, and a new finding of the same rule in the same file is new.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

from deploylint.diagnostics import Diagnostic
from deploylint.report import Locator

# Every deploylint finding breaks a deployment; "major" is what GitLab's own
# linters' reports (and ruff's) give an error.
SEVERITY = "major"

# A message may name another place by line, `(requirements.txt:3)`: that line
# moves too, so it is left out of the fingerprint.
_LINE_REFERENCE = re.compile(r":\d+(?::\d+)?(?=[)\s,;]|$)")


def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    entries = []
    used: set[str] = set()
    for diagnostic in diagnostics:
        begin_line, begin_column = locator.position(diagnostic.span)
        end_line, end_column = locator.position(diagnostic.span, end=True)
        parts = _parts(diagnostic, _source_text(diagnostic, locator))
        print_ = _hash(*parts)
        # Two findings alike in every hashed part (the same line written twice
        # in one file) are told apart by their order, as ruff does.
        while print_ in used:
            print_ = _hash(print_, *parts)
        used.add(print_)
        entries.append(
            {
                "check_name": diagnostic.code,
                # GitLab's widget shows the description, not check_name.
                "description": f"{diagnostic.code}: {diagnostic.message}",
                "fingerprint": print_,
                "severity": SEVERITY,
                "location": {
                    "path": _path(diagnostic.span.path, locator),
                    "positions": {
                        "begin": {"line": begin_line, "column": begin_column},
                        "end": {"line": end_line, "column": end_column},
                    },
                },
            }
        )
    return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"


def fingerprint(diagnostic: Diagnostic, source_text: str) -> str:
    """A finding's identity across runs: its code, file, message and the text it points at, not its line."""
    return _hash(*_parts(diagnostic, source_text))


def _parts(diagnostic: Diagnostic, source_text: str) -> tuple[str, ...]:
    return (diagnostic.code, diagnostic.span.path, _LINE_REFERENCE.sub("", diagnostic.message), source_text)


def _hash(*parts: str) -> str:
    # NUL cannot occur in a path or a message, so the parts cannot run together.
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _source_text(diagnostic: Diagnostic, locator: Locator) -> str:
    """The text the finding points at; for an empty span, the line it sits on. Surrounding blanks do not count."""
    file = locator.project.files.get(diagnostic.span.path)
    if file is None:
        return ""
    text = file.text[diagnostic.span.start : diagnostic.span.end]
    if not text.strip():
        row, _ = file.position(diagnostic.span.start)
        start, end = file.line_span(row)
        text = file.text[start:end]
    return text.strip()


def _path(path: str, locator: Locator) -> str:
    """Relative to the repository GitLab checked out (CI_PROJECT_DIR) when that holds the file, else to the workspace root."""
    project_dir = os.environ.get("CI_PROJECT_DIR")
    if project_dir:
        try:
            return Path(locator.absolute(path)).resolve().relative_to(Path(project_dir).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path
