"""Rendering diagnostics: one module per output format."""

from __future__ import annotations

import os
from pathlib import Path

from deploylint.diagnostics import Span
from deploylint.project import Project


class Locator:
    """Turns spans into (row, column) and paths into what the user typed relative to."""

    def __init__(self, project: Project, cwd: Path, texts: dict[str, str] | None = None) -> None:
        self.project = project
        self.cwd = cwd
        self.texts = texts or {}

    def position(self, span: Span, end: bool = False) -> tuple[int, int]:
        file = self.project.files.get(span.path)
        if file is None:
            return 1, 1
        return file.position(span.end if end else span.start)

    def display(self, path: str) -> str:
        full = self.project.workspace.root / path
        try:
            return os.path.relpath(full, self.cwd)
        except ValueError:
            return str(full)

    def absolute(self, path: str) -> str:
        return str(self.project.workspace.root / path)


def by_code(diagnostics) -> list[tuple[str, list]]:
    """(code, its findings), most frequent first: what --statistics counts, in every format."""
    groups: dict[str, list] = {}
    for diagnostic in diagnostics:
        groups.setdefault(diagnostic.code, []).append(diagnostic)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def render(
    output_format: str,
    diagnostics,
    locator: Locator,
    *,
    unsafe: bool,
    fixed=(),
    statistics: bool = False,
    show_fixes: bool = False,
    colour: bool = False,
) -> str:
    """The report in one of the output formats (`deploylint check --output-format`)."""
    if output_format in ("json", "json-lines"):
        from deploylint.report import json as json_report

        if statistics:
            return json_report.statistics(diagnostics, unsafe=unsafe)
        return (json_report.render if output_format == "json" else json_report.render_lines)(diagnostics, locator)
    if output_format == "sarif":
        from deploylint.report import sarif

        return sarif.render(diagnostics, locator)
    from deploylint.report import text

    if statistics:
        return text.statistics(diagnostics, unsafe=unsafe)
    if output_format == "github":
        from deploylint.report import github

        return github.render(diagnostics, locator)
    if output_format == "gitlab":
        from deploylint.report import gitlab

        return gitlab.render(diagnostics, locator)
    if output_format == "junit":
        from deploylint.report import junit

        return junit.render(diagnostics, locator)
    if output_format == "pylint":
        from deploylint.report import pylint

        return pylint.render(diagnostics, locator)
    if output_format == "rdjson":
        from deploylint.report import rdjson

        return rdjson.render(diagnostics, locator, unsafe=unsafe)
    return text.render(
        diagnostics, locator, unsafe=unsafe, fixed=list(fixed), concise=output_format == "concise", show_fixes=show_fixes, colour=colour
    )
