from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from deploylint.checker import Selection, check
from deploylint.fixes import fix_project
from deploylint.project import Options
from deploylint.workspace import Workspace

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
AS_OF = datetime.date(2026, 11, 23)


def write_files(root: Path, files: dict[str, str]) -> None:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8"))


def read_files(root: Path) -> dict[str, str]:
    """Every file of a project, but deploylint's content cache, which is not the project's
    (and which check mode writes: tests/test_cache.py)."""
    files = (p for p in sorted(root.rglob("*")) if p.is_file() and ".deploylint_cache" not in p.relative_to(root).parts)
    return {p.relative_to(root).as_posix(): p.read_text("utf-8") for p in files}


class Project:
    """A small project on disk, checked in-process."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, files: dict[str, str]) -> "Project":
        write_files(self.root, files)
        return self

    def _subjects(self, workspace: Workspace) -> list[str]:
        return sorted(workspace.walk(""))

    def check(self, select=("DPL",), python=None):
        workspace = Workspace(self.root)
        options = Options(as_of=AS_OF, python=python)
        project, diagnostics = check(workspace, self._subjects(workspace), options, Selection(tuple(select)))
        return [(d.code, d.span.path, project.files[d.span.path].position(d.span.start)[0], d) for d in diagnostics]

    def fix(self, select=("DPL",), unsafe=True, python=None):
        workspace = Workspace(self.root)
        options = Options(as_of=AS_OF, python=python)
        outcome = fix_project(workspace, self._subjects(workspace), options, Selection(tuple(select)), unsafe)
        assert outcome.converged
        assert outcome.write(self.root) == []
        return outcome


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return Project(tmp_path)


def shared_or_skip(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent: ../shared sits beside the clone only in CI and the maintainers' checkouts")
    return path
