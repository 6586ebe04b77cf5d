"""Rules: small checks over a project's facts, one module per rule family.

A rule is a class whose docstring is its documentation (ruff's sections:
What it does, Why is this bad?, Example, Fix safety, References) and whose
VALID / INVALID examples are small projects that the test suite runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from deploylint.diagnostics import Diagnostic
    from deploylint.project import Project, Unit


@dataclass(frozen=True)
class Example:
    """A small project. For INVALID examples: where the finding is, and the files after fixing."""

    files: dict[str, str]
    path: str | None = None
    line: int | None = None
    fixed: dict[str, str] | None = field(default=None)
    python: str | None = None  # --python for this example


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    fix: ClassVar[str] = "none"  # "none", "sometimes", "always"
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def check_project(self, project: "Project") -> Iterator["Diagnostic"]:
        for unit in project.units:
            yield from self.check(unit)

    def check(self, unit: "Unit") -> Iterator["Diagnostic"]:
        return iter(())

    @classmethod
    def url(cls) -> str:
        return f"https://github.com/deploylint/deploylint/blob/main/docs/rules.md#{cls.code.lower()}-{cls.name}"

    @classmethod
    def doc(cls) -> str:
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


def all_rules() -> list[type[Rule]]:
    from deploylint.rules import dependencies, files, install_steps, platform_config, removed_apis, runtimes, suppressions  # noqa: F401

    found: list[type[Rule]] = []
    stack = list(Rule.__subclasses__())
    while stack:
        rule = stack.pop()
        stack.extend(rule.__subclasses__())
        if "code" in rule.__dict__ and rule.__module__.startswith(f"{__name__}."):
            found.append(rule)
    return sorted(found, key=lambda rule: rule.code)


def rule_by_code(code: str) -> type[Rule] | None:
    for rule in all_rules():
        if rule.code == code.upper():
            return rule
    return None
