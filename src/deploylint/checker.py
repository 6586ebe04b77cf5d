"""One pass: load the project, run the selected rules, keep what belongs to the subjects."""

from __future__ import annotations

from dataclasses import dataclass

from deploylint import suppressions
from deploylint.diagnostics import Diagnostic
from deploylint.project import Options, Project, load
from deploylint.rules import Rule, all_rules
from deploylint.rules.suppressions import UnusedSuppression
from deploylint.suppressions import FileIgnores
from deploylint.workspace import Workspace


@dataclass(frozen=True)
class Selection:
    """ruff-style code selection by prefixes.

    Within one layer the more specific prefix wins (`select = ["DPL401"]`
    beats `ignore = ["DPL4"]`). Layers stack as in ruff, the configuration
    file first and the command line over it: a layer's `select` starts afresh,
    `extend-select` adds, and `ignore` removes from what came before.
    """

    select: tuple[str, ...] | None = ("DPL",)
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    below: "Selection | None" = None

    def selects(self, code: str) -> bool:
        enabled = self.below.selects(code) if self.below is not None else False
        if self.select is not None:
            enabled = False
        chosen = max((len(p) for p in (*(self.select or ()), *self.extend_select) if code.startswith(p)), default=-1)
        ignored = max((len(p) for p in self.ignore if code.startswith(p)), default=-1)
        if chosen >= 0 or ignored >= 0:
            enabled = chosen > ignored
        return enabled


def selected_rules(selection: Selection) -> list[Rule]:
    return [rule() for rule in all_rules() if selection.selects(rule.code)]


def check(
    workspace: Workspace,
    subjects: list[str],
    options: Options,
    selection: Selection,
    overlay: dict[str, str] | None = None,
    file_ignores: FileIgnores | None = None,
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
    kept, directives = suppressions.apply(list(found.values()), project.files, project.subjects, file_ignores or FileIgnores(()))
    if selection.selects(UnusedSuppression.code):
        known = {rule.code for rule in all_rules()}
        kept.extend(UnusedSuppression().report(directives, project.files, selection.selects, known))
    return project, sorted(kept, key=Diagnostic.sort_key)
