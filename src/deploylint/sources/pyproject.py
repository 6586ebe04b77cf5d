"""pyproject.toml: PEP 621 `[project]` dependencies and requires-python, and
the other tables that declare requirements: PEP 735 `[dependency-groups]`,
Poetry's `[tool.poetry.*dependencies]`, PDM's and uv's.

Groups count like the main dependencies: uv and Poetry resolve every group
into one lock, so a group's bound limits the versions everything gets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from deploylint.diagnostics import Span
from deploylint.facts import ConfigProblem, Facts, RequirementFact, SourceProblem
from deploylint.parsing import toml as tomlparse
from deploylint.sources.requirements import requirement_error
from deploylint.sources.toml_file import read_toml
from deploylint.text import SourceText


@dataclass
class Pyproject:
    file: SourceText
    doc: tomlparse.TomlDocument
    requires_python: SpecifierSet | None = None
    requires_python_span: Span | None = None
    facts: Facts = field(default_factory=Facts)


def read(file: SourceText) -> Pyproject:
    doc = read_toml(file)
    result = Pyproject(file, doc)
    _read_other_tables(file, doc, result.facts)
    project = doc.data.get("project")
    if project is None:
        return result
    if not isinstance(project, dict):
        result.facts.config_problems.append(ConfigProblem(_span(file, doc, ("project",)), "`project` must be a table"))
        return result
    requires_python = project.get("requires-python")
    if requires_python is not None:
        span = _span(file, doc, ("project", "requires-python"))
        if not isinstance(requires_python, str):
            result.facts.config_problems.append(ConfigProblem(span, "`project.requires-python` must be a string"))
        else:
            try:
                result.requires_python = SpecifierSet(requires_python)
            except InvalidSpecifier as error:
                raise SourceProblem(f"invalid requires-python {requires_python!r}: {error}", span.start) from None
            result.requires_python_span = span
    dependencies = project.get("dependencies", [])
    path = ("project", "dependencies")
    if not isinstance(dependencies, list):
        result.facts.config_problems.append(ConfigProblem(_span(file, doc, path), "`project.dependencies` must be an array of strings"))
        return result
    for index, text in enumerate(dependencies):
        span = _span(file, doc, path + (index,))
        if not isinstance(text, str):
            result.facts.config_problems.append(ConfigProblem(span, "`project.dependencies` must hold strings only"))
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement as error:
            message, _ = requirement_error(error)
            raise SourceProblem(f"invalid dependency {text!r}: {message}", span.start) from None
        result.facts.requirements.append(RequirementFact(requirement, span, "pyproject"))
    return result


def _read_other_tables(file: SourceText, doc: tomlparse.TomlDocument, facts: Facts) -> None:
    data = doc.data
    tool = _table(data, "tool")
    for name, items in _table(data, "dependency-groups").items():
        _pep508_list(file, doc, ("dependency-groups", name), items, facts)
    for name, items in _table(tool, "pdm", "dev-dependencies").items():
        _pep508_list(file, doc, ("tool", "pdm", "dev-dependencies", name), items, facts)
    uv = _table(tool, "uv")
    _pep508_list(file, doc, ("tool", "uv", "dev-dependencies"), uv.get("dev-dependencies"), facts)
    _pep508_list(file, doc, ("tool", "uv", "constraint-dependencies"), uv.get("constraint-dependencies"), facts, is_constraint=True)
    _pep508_list(file, doc, ("tool", "uv", "override-dependencies"), uv.get("override-dependencies"), facts, origin="override")
    poetry = _table(tool, "poetry")
    tables = [(("tool", "poetry", "dependencies"), poetry.get("dependencies")), (("tool", "poetry", "dev-dependencies"), poetry.get("dev-dependencies"))]
    for group, body in _table(poetry, "group").items():
        if isinstance(body, dict):
            tables.append((("tool", "poetry", "group", group, "dependencies"), body.get("dependencies")))
    for path, table in tables:
        for name, value in (table.items() if isinstance(table, dict) else ()):
            if name.lower() == "python":
                continue  # Poetry's Python range, not a package
            if isinstance(value, dict):
                value = value.get("version") if _plain(value) else None
            specifier = poetry_specifier(value)
            if specifier is None:
                continue
            try:
                requirement = Requirement(f"{name}{specifier}")
            except InvalidRequirement:
                continue
            facts.requirements.append(RequirementFact(requirement, _span(file, doc, path + (name,)), "pyproject"))


def _table(data: dict, *keys: str) -> dict:
    for key in keys:
        data = data.get(key) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else {}


def _plain(value: dict) -> bool:
    """A Poetry table that only says which versions: no marker, Python range, or source tree."""
    return not any(key in value for key in ("python", "markers", "platform", "git", "path", "url"))


def _pep508_list(file, doc, path: tuple, items, facts: Facts, origin: str = "pyproject", is_constraint: bool = False) -> None:
    """A list of PEP 508 strings; `{include-group = ...}` tables and PDM's `-e` lines name no version."""
    for index, text in enumerate(items if isinstance(items, list) else ()):
        if not isinstance(text, str) or text.lstrip().startswith("-e"):
            continue
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue  # uv, PDM or Poetry reports it; DPL001 is for files deploylint must read whole
        facts.requirements.append(RequirementFact(requirement, _span(file, doc, path + (index,)), origin, is_constraint=is_constraint))


_POETRY_OPERATOR = re.compile(r"(\^|~=|~|>=|<=|==|!=|>|<|=)?(\S+)")


def poetry_specifier(text) -> str | None:
    """Poetry's constraint syntax as a PEP 440 specifier string; None where it says nothing
    expressible (`*`, an `||` alternative). Semantics: https://python-poetry.org/docs/dependency-specification/
    (^1.2.3 is >=1.2.3,<2.0.0; ^0.2.3 is >=0.2.3,<0.3.0; ~1.2 is >=1.2,<1.3; a bare 1.2.3 is ==1.2.3)."""
    if not isinstance(text, str) or "|" in text:
        return None
    parts = []
    # Space or comma separates the ANDed parts; an operator may be followed by a blank.
    joined = re.sub(r"(\^|~=|~|>=|<=|==|!=|>|<|=)\s+", r"\1", text).replace(",", " ")
    for operator, version in (_POETRY_OPERATOR.fullmatch(part).groups() for part in joined.split()):
        if version == "*":
            continue
        if operator in ("^", "~"):
            try:
                release = Version(version).release
            except InvalidVersion:
                return None
            given = len(version.split("."))
            if operator == "^":
                bump = 0 if release[0] != 0 or given == 1 else 1 if (len(release) > 1 and release[1] != 0) or given == 2 else 2
            else:
                bump = 0 if given == 1 else 1
            upper = [*release[:bump], release[bump] + 1 if bump < len(release) else 1]
            upper += [0] * (max(given, bump + 1) - len(upper))
            parts += [f">={version}", "<" + ".".join(map(str, upper))]
        elif operator in (None, "=", "=="):
            parts.append(f"=={version}")
        else:
            parts.append(f"{operator}{version}")
    if not parts:
        return None
    try:
        return str(SpecifierSet(",".join(parts)))
    except InvalidSpecifier:
        return None


def _span(file: SourceText, doc: tomlparse.TomlDocument, path: tuple) -> Span:
    return Span(file.path, *doc.span(path))
