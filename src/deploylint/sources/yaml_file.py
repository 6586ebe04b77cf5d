"""Shared reading of YAML files, and of the version settings they hold."""

from __future__ import annotations

from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, Facts, FloatVersion, SourceProblem
from deploylint.parsing import yaml as yamlparse
from deploylint.text import SourceText


@dataclass
class YamlConfig:
    """A YAML deployment file: its root node and what it declares."""

    file: SourceText
    root: yamlparse.Node | None
    facts: Facts = field(default_factory=Facts)
    # render.yaml: the first Python service's buildCommand, and where it is.
    build_command: tuple[str, Span] | None = None
    # GitHub workflows: what each job's run steps install (github_workflows.CiInstall).
    ci_installs: list = field(default_factory=list)

    def span(self, node: yamlparse.Node) -> Span:
        return Span(self.file.path, *yamlparse.span(node))

    def version_setting(self, node: yamlparse.Node | None, key: str, source: str) -> DeclaredPython | None:
        """A Python version under `key`: declared, and flagged when YAML turns it into a float."""
        if not isinstance(node, yamlparse.ScalarNode) or not node.value:
            return None
        loaded = yamlparse.as_loaded(node)
        if loaded != node.value:
            self.facts.float_versions.append(FloatVersion(self.span(node), node.value, loaded, key))
        declared = DeclaredPython(loaded, self.span(node), source)
        self.facts.pythons.append(declared)
        return declared


def read_yaml(file: SourceText) -> YamlConfig:
    try:
        return YamlConfig(file, yamlparse.parse(file.text))
    except yamlparse.YAMLError as error:
        raise SourceProblem(error.message, error.offset) from None
