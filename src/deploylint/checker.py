"""One pass: load the project, run the selected rules, keep what belongs to the subjects."""

from __future__ import annotations

from dataclasses import dataclass

from deploylint.diagnostics import Diagnostic
from deploylint.project import Options, Project, load
from deploylint.rules import Rule, all_rules
from deploylint.workspace import Workspace


@dataclass(frozen=True)
class Selection:
    """ruff-style code selection: prefixes, `ignore` wins over `select`."""

    select: tuple[str, ...] = ("DPL",)
    ignore: tuple[str, ...] = ()

    def selects(self, code: str) -> bool:
        chosen = max((len(p) for p in self.select if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        return chosen >= 0 and chosen > ignored


def selected_rules(selection: Selection) -> list[Rule]:
    return [rule() for rule in all_rules() if selection.selects(rule.code)]


def check(
    workspace: Workspace,
    subjects: list[str],
    options: Options,
    selection: Selection,
    overlay: dict[str, str] | None = None,
) -> tuple[Project, list[Diagnostic]]:
    project = load(workspace, subjects, options, overlay)
    found: dict[tuple, Diagnostic] = {}
    for rule in selected_rules(selection):
        for diagnostic in rule.check_project(project):
            # Findings belong to the file that holds the mistake: reported only
            # when that file is checked, so pre-commit's split runs never
            # report one cross-file finding twice.
            if diagnostic.span.path not in project.subjects:
                continue
            found.setdefault((diagnostic.code, diagnostic.span, diagnostic.message), diagnostic)
    return project, sorted(found.values(), key=Diagnostic.sort_key)
