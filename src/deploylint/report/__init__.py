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
