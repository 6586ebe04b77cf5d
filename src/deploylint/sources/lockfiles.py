"""Lock files: the exact version of each package an install will get.

`uv.lock`, `poetry.lock`, `pylock.toml` (PEP 751) and `Pipfile.lock` (read in
pipfile.py). Each locked package becomes a `name==version` requirement with
origin "lock", so every rule judges by the locked version (the intersection
with the declared ranges is that version). A name locked at several versions
(uv forks by environment markers) says nothing certain, and is left out.
Formats: https://docs.astral.sh/uv/concepts/projects/layout/ ,
https://python-poetry.org/docs/basic-usage/#installing-with-poetrylock ,
https://packaging.python.org/en/latest/specifications/pylock-toml/ .
"""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement

from deploylint.diagnostics import Span
from deploylint.facts import Facts, RequirementFact
from deploylint.sources.toml_file import read_toml
from deploylint.text import SourceText

# uv.lock sources that are the project itself (or another local tree), not a release.
_LOCAL_SOURCES = ("virtual", "editable", "directory", "path")


@dataclass
class LockFile:
    file: SourceText
    facts: Facts = field(default_factory=Facts)


def read_uv_lock(file: SourceText) -> LockFile:
    return _read(file, "package", _uv_entry)


def read_poetry_lock(file: SourceText) -> LockFile:
    return _read(file, "package", lambda entry: (entry.get("name"), entry.get("version"), entry.get("markers")))


def read_pylock(file: SourceText) -> LockFile:
    # `version` is optional there: a source tree (directory, vcs) has none.
    return _read(file, "packages", lambda entry: (entry.get("name"), entry.get("version"), entry.get("marker")))


def _uv_entry(entry: dict):
    source = entry.get("source")
    if isinstance(source, dict) and any(kind in source for kind in _LOCAL_SOURCES):
        return None, None, None
    return entry.get("name"), entry.get("version"), None  # uv forks by marker instead: several entries


def _read(file: SourceText, table: str, fields) -> LockFile:
    doc = read_toml(file)
    result = LockFile(file)
    entries = doc.data.get(table)
    if not isinstance(entries, list):
        return result
    locked = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        name, version, marker = fields(entry)
        if isinstance(name, str) and isinstance(version, str):
            span = Span(file.path, *doc.span((table, index, "version"), doc.span((table, index))))
            locked.append((name, version, marker if isinstance(marker, str) else None, span))
    result.facts.requirements.extend(locked_requirements(locked))
    return result


def locked_requirements(locked: list[tuple[str, str, str | None, Span]]) -> list[RequirementFact]:
    """`name==version` facts for the names locked at one version only."""
    from packaging.utils import canonicalize_name

    versions: dict[str, set[str]] = {}
    for name, version, _, _ in locked:
        versions.setdefault(canonicalize_name(name), set()).add(version)
    facts = []
    for name, version, marker, span in locked:
        if len(versions[canonicalize_name(name)]) != 1:
            continue
        try:
            requirement = Requirement(f"{name}=={version}" + (f"; {marker}" if marker else ""))
        except InvalidRequirement:
            continue  # a version or marker packaging cannot read: no fact rather than a wrong one
        facts.append(RequirementFact(requirement, span, "lock"))
    return facts
