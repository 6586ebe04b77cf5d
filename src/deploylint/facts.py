"""Facts that sources yield and rules consume, each with its exact location."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from deploylint.diagnostics import Span


class SourceProblem(Exception):
    """A file does not parse (DPL001); `offset` points at the problem."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass(frozen=True)
class ConfigProblem:
    """A file parses, but a value has a type or shape its platform rejects (DPL002)."""

    span: Span
    message: str


@dataclass
class RequirementFact:
    """One requirement a deployment installs, wherever it is declared."""

    requirement: Requirement
    span: Span  # the requirement's own text
    # "requirements", "pyproject", "pipfile", "dockerfile", "nixpacks"; "lock" (an
    # exact locked version) and "override" (uv's, which replaces the others)
    origin: str
    # Where a fix may add a sibling requirement, and how to write it there.
    insert_at: int | None = None
    insert_template: str = "{requirement}"
    is_constraint: bool = False
    # Written in a `pip install --upgrade`: pip replaces a release the environment already holds.
    upgrades: bool = False

    @property
    def name(self) -> str:
        return canonicalize_name(self.requirement.name)


@dataclass
class DeclaredPython:
    """A Python version written somewhere (`.python-version`, FROM python:3.12, ...)."""

    text: str
    span: Span
    source: str  # what declared it, for messages: ".python-version", "FROM python:3.12-slim"

    @property
    def minor(self) -> str | None:
        return python_minor(self.text)


_MINOR = re.compile(r"(?:python|cpython|py)?-?\s*(\d+)\.(\d+)", re.IGNORECASE)


def python_minor(text: str) -> str | None:
    """'3.12.1' / 'python-3.12' / 'python3.12' -> '3.12'."""
    match = _MINOR.match(text.strip())
    if not match:
        return None
    return f"{int(match.group(1))}.{int(match.group(2))}"


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


@dataclass
class RuntimeId:
    """A platform's runtime identifier as written: Lambda's `python3.9`, App Engine's `python39`."""

    platform: str  # "lambda", "app-engine", "github-actions"
    value: str
    span: Span
    python: str | None  # "3.9"
    where: str  # what holds it, for messages: "Resources.Api.Properties.Runtime"
    runner: str | None = None  # GitHub Actions: the job's runs-on
    code_dir: str | None = None  # Lambda (SAM): the function's CodeUri, relative to the template


@dataclass
class FloatVersion:
    """A YAML version written unquoted, which the consumer reads as a float: 3.10 -> 3.1."""

    span: Span
    written: str
    loaded: str
    key: str


@dataclass
class Facts:
    """What one file contributes: requirements, declared Pythons, problems."""

    requirements: list[RequirementFact] = field(default_factory=list)
    pythons: list[DeclaredPython] = field(default_factory=list)
    config_problems: list[ConfigProblem] = field(default_factory=list)
    runtimes: list[RuntimeId] = field(default_factory=list)
    float_versions: list[FloatVersion] = field(default_factory=list)
