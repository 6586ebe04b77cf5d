"""pyproject.toml: PEP 621 `[project]` dependencies and requires-python."""

from __future__ import annotations

from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

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


def _span(file: SourceText, doc: tomlparse.TomlDocument, path: tuple) -> Span:
    return Span(file.path, *doc.span(path))
