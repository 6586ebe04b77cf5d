"""Applying fixes: one pass of non-overlapping edits, repeated until nothing changes.

Every pass re-reads the project from the edited texts (held in memory) and
re-runs the rules, so a fix is judged by the same rules that asked for it.
A fix whose result no longer parses is rolled back and reported. Nothing is
written until the loop has settled, and then each file atomically.
"""

from __future__ import annotations

import os
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from deploylint.checker import Selection, check
from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, settle_fixes
from deploylint.facts import SourceProblem
from deploylint.project import _READERS, Options, Project, read_source, reader
from deploylint.suppressions import FileIgnores
from deploylint.text import SourceText
from deploylint.workspace import Workspace, file_kind, inside

MAX_PASSES = 20


@dataclass
class FixOutcome:
    project: Project  # as it reads after the fixes
    remaining: list[Diagnostic]
    new_texts: dict[str, str]  # path -> text after fixing (only files that changed)
    originals: dict[str, SourceText | None]  # path -> the file before (None: the file is new)
    applied: list[Diagnostic] = field(default_factory=list)
    rolled_back: list[Diagnostic] = field(default_factory=list)  # their result did not parse
    unbuilt: list[Diagnostic] = field(default_factory=list)  # their edits could not be built
    converged: bool = True

    def original_text(self, path: str) -> str | None:
        original = self.originals.get(path)
        return original.text if original else None

    def write(self, root: Path) -> list[str]:
        """Write every changed file atomically, in its own encoding; returns the refusals.

        A file is left alone, and the refusal reported, when writing it would
        lose something: it lies outside the workspace (through a link), it is
        read-only, or it changed or vanished while deploylint ran.
        """
        failures = []
        for path, text in sorted(self.new_texts.items()):
            original = self.originals.get(path)
            target = Path(os.path.realpath(root / path))
            problem = _write_problem(root, target, original)
            if problem:
                failures.append(f"{path} {problem}; it is unchanged")
                continue
            data = original.encode(text) if original else text.encode("utf-8")
            try:
                write_atomically(target, data)
            except OSError as error:
                failures.append(f"could not write {path}: {error.strerror or error}; it is unchanged")
        return failures


def _write_problem(root: Path, target: Path, original: SourceText | None) -> str | None:
    if not inside(root, target):
        return "links outside the workspace; deploylint writes only inside it"
    if original is None:
        return "appeared while deploylint ran" if target.exists() else None
    try:
        status = target.stat()
        current = target.read_bytes()
    except FileNotFoundError:
        return "vanished while deploylint ran"
    except OSError as error:
        return f"cannot be read back ({error.strerror or error})"
    if not status.st_mode & stat.S_IWUSR:
        return "is read-only"
    if current != original.encode():
        return "changed while deploylint ran"
    return None


def applicable(fix: Fix | None, unsafe: bool) -> bool:
    return fix is not None and (fix.applicability is Applicability.SAFE or unsafe)


def fix_project(
    workspace: Workspace,
    subjects: list[str],
    options: Options,
    selection: Selection,
    unsafe: bool,
    file_ignores: FileIgnores | None = None,
    buffers: dict[str, str] | None = None,
) -> FixOutcome:
    """Apply fixes pass after pass until none is left (or MAX_PASSES), in memory.

    `buffers`: texts that stand for files on disk (an editor's unsaved buffers); the
    fixes start from them, and a file's "before" is its buffer.
    """
    overlay: dict[str, str] = dict(buffers or {})
    originals: dict[str, SourceText | None] = {path: SourceText(path, text) for path, text in overlay.items()}
    applied: list[Diagnostic] = []
    rolled_back: list[Diagnostic] = []
    unbuilt: list[Diagnostic] = []
    refused: set[tuple] = set()
    subjects = list(subjects)
    converged = False
    for _ in range(MAX_PASSES):
        _, diagnostics = check(workspace, subjects, options, selection, overlay, file_ignores)
        candidates = []
        for d in diagnostics:
            if not applicable(d.fix, unsafe) or (d.code, d.span.path, d.message) in refused:
                continue
            if d.fix.edits:
                candidates.append(d)
            else:
                unbuilt.append(d)
                refused.add((d.code, d.span.path, d.message))
        if not candidates:
            converged = True
            break
        chosen = _non_overlapping(candidates)
        by_file: dict[str, list[tuple[Edit, Diagnostic]]] = {}
        for diagnostic in chosen:
            for edit in diagnostic.fix.edits:
                by_file.setdefault(edit.path, []).append((edit, diagnostic))
        failed: set[int] = set()
        new_texts: dict[str, str] = {}
        for path, edits in by_file.items():
            before = _current_text(workspace, overlay, originals, path)
            after = _apply(before or "", [edit for edit, _ in edits])
            if before is not None and _parses(path, before) and not _parses(path, after):
                failed.update(id(d) for _, d in edits)
            new_texts[path] = after
        for diagnostic in chosen:
            if id(diagnostic) in failed:
                rolled_back.append(diagnostic)
                refused.add((diagnostic.code, diagnostic.span.path, diagnostic.message))
        if failed:
            continue  # retry the pass without the refused fixes
        overlay.update(new_texts)
        for path in new_texts:
            if path not in subjects and file_kind(path):
                subjects.append(path)  # a file a fix created is checked too
        applied.extend(chosen)
    project, remaining = check(workspace, subjects, options, selection, overlay, file_ignores)
    changed = {path: text for path, text in overlay.items() if originals.get(path) is None or text != originals[path].text}
    settle_fixes(remaining)
    return FixOutcome(project, remaining, changed, {p: originals[p] for p in changed}, applied, rolled_back, unbuilt, converged)


def _non_overlapping(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    taken: list[Edit] = []
    chosen = []
    for diagnostic in sorted(diagnostics, key=lambda d: (d.span.path, d.span.start, d.code)):
        edits = diagnostic.fix.edits
        if any(_overlap(edit, other) for edit in edits for other in taken):
            continue
        taken.extend(edits)
        chosen.append(diagnostic)
    return chosen


def _overlap(a: Edit, b: Edit) -> bool:
    """Edits conflict when their ranges intersect, when one inserts inside the
    other's range, or when both start at one point (their order would be arbitrary)."""
    if a.path != b.path:
        return False
    if a.start == b.start:
        return True
    return max(a.start, b.start) < min(a.end, b.end) or b.start < a.start < b.end or a.start < b.start < a.end


def _apply(text: str, edits: list[Edit]) -> str:
    for edit in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        text = text[: edit.start] + edit.content + text[edit.end :]
    return text


def _current_text(workspace: Workspace, overlay: dict, originals: dict, path: str) -> str | None:
    if path in overlay:
        return overlay[path]
    try:
        original = read_source(workspace.root / path, path)
    except (OSError, SourceProblem):
        original = None
    originals.setdefault(path, original)
    return original.text if original else None


def _parses(path: str, text: str) -> bool:
    kind = file_kind(path)
    file = SourceText(path, text)
    try:
        if kind == "python":
            from deploylint.sources.python import parse

            parse(file)
        elif kind in _READERS:
            reader(kind)(file)
    except (SourceProblem, Exception):
        return False
    return True


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` in one rename, keeping the file's permissions."""
    target = Path(os.path.realpath(path))
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".deploylint-tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
