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

import json
import os
from pathlib import Path

from deploylint.baseline import fingerprints
from deploylint.diagnostics import Diagnostic
from deploylint.report import Locator

# Every deploylint finding breaks a deployment; "major" is what GitLab's own
# linters' reports (and ruff's) give an error.
SEVERITY = "major"

def render(diagnostics: list[Diagnostic], locator: Locator) -> str:
    # The baseline's fingerprints: code, file, message and the text a finding points
    # at, not its line, with an occurrence count for findings alike in all of those.
    prints = fingerprints(diagnostics, locator.project.files)
    entries = []
    for diagnostic, print_ in zip(diagnostics, prints):
        begin_line, begin_column = locator.position(diagnostic.span)
        end_line, end_column = locator.position(diagnostic.span, end=True)
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


def _path(path: str, locator: Locator) -> str:
    """Relative to the repository GitLab checked out (CI_PROJECT_DIR) when that holds the file, else to the workspace root."""
    project_dir = os.environ.get("CI_PROJECT_DIR")
    if project_dir:
        try:
            return Path(locator.absolute(path)).resolve().relative_to(Path(project_dir).resolve()).as_posix()
        except (ValueError, OSError):
            pass
    return path
