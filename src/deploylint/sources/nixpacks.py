"""nixpacks.toml: build phases, their commands and Nix packages.

Nixpacks runs the phases in dependency order, by default setup -> install ->
build. A `cmds` or `nixPkgs` array replaces what the Python provider would
have run, unless it contains '...', which splices the provider's items in.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import ConfigProblem, DeclaredPython, Facts, RequirementFact
from deploylint.parsing import toml as tomlparse
from deploylint.sources.pip_commands import PipInstall, pip_installs
from deploylint.sources.toml_file import read_toml
from deploylint.text import SourceText

PHASE_ORDER = ("setup", "install", "build")
_CMDS_KEYS = ("cmds", "commands")
_NIX_PKGS_KEYS = ("nixPkgs", "nixPackages")


@dataclass
class Item:
    """One string of an array, with where it sits."""

    value: str
    path: tuple  # TOML key path, e.g. ("phases", "install", "cmds", 0)
    span: tuple[int, int]


@dataclass
class Phase:
    name: str
    cmds: list[Item] | None = None  # None: the phase does not set its commands
    nix_pkgs: list[Item] | None = None


@dataclass
class NixpacksConfig:
    file: SourceText
    doc: tomlparse.TomlDocument
    phases: list[Phase] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)
    nix_pythons: list[DeclaredPython] = field(default_factory=list)  # python311 in nixPkgs
    python_variable: DeclaredPython | None = None  # [variables] NIXPACKS_PYTHON_VERSION
    unknown_phase_keys: list[tuple[str, Span]] = field(default_factory=list)  # Nixpacks ignores them

    def span(self, span: tuple[int, int]) -> Span:
        return Span(self.file.path, *span)

    def ordered_phases(self) -> list[Phase]:
        """Phases in build order; a standard phase the file omits runs the provider's commands."""
        by_name = {phase.name: phase for phase in self.phases}
        ordered = [by_name.get(name, Phase(name)) for name in PHASE_ORDER]
        return ordered + [phase for phase in self.phases if phase.name not in PHASE_ORDER]

    def command_pip_installs(self, item: Item) -> tuple[list[PipInstall], bool]:
        """pip installs inside a command, with offsets into the file when the literal is raw."""
        base = tomlparse.string_content_offset(self.file.text, item.span, item.value)
        return pip_installs(item.value, 0 if base is None else base), base is not None


def read(file: SourceText) -> NixpacksConfig:
    doc = read_toml(file)
    config = NixpacksConfig(file, doc)
    phases = doc.data.get("phases", {})
    if not isinstance(phases, dict):
        config.facts.config_problems.append(ConfigProblem(config.span(doc.span(("phases",))), "`phases` must be a table"))
        return config
    for name, table in phases.items():
        if not isinstance(table, dict):
            config.facts.config_problems.append(
                ConfigProblem(config.span(doc.span(("phases", name))), f"`phases.{name}` must be a table")
            )
            continue
        phase = Phase(name)
        for key in table:
            if key not in _phase_keys():
                start, _ = doc.entries.get(("phases", name, key), doc.span(("phases", name, key)))
                config.unknown_phase_keys.append((key, Span(file.path, start, start + len(key))))
        phase.cmds = _strings(config, ("phases", name), table, _CMDS_KEYS)
        phase.nix_pkgs = _strings(config, ("phases", name), table, _NIX_PKGS_KEYS)
        config.phases.append(phase)
    _read_start_and_variables(config)
    _collect_facts(config)
    return config


def _read_start_and_variables(config: NixpacksConfig) -> None:
    doc = config.doc
    start = doc.data.get("start")
    if isinstance(start, dict) and "cmd" in start and not isinstance(start["cmd"], str):
        config.facts.config_problems.append(ConfigProblem(config.span(doc.span(("start", "cmd"))), "`start.cmd` must be a string"))
    variables = doc.data.get("variables")
    value = variables.get("NIXPACKS_PYTHON_VERSION") if isinstance(variables, dict) else None
    if isinstance(value, str) and value:
        begin, end = doc.span(("variables", "NIXPACKS_PYTHON_VERSION"))
        config.python_variable = DeclaredPython(value, Span(config.file.path, begin + 1, end - 1), f"NIXPACKS_PYTHON_VERSION in {config.file.path}")
        config.facts.pythons.append(config.python_variable)


def _strings(config: NixpacksConfig, table_path: tuple, table: dict, keys: tuple[str, ...]) -> list[Item] | None:
    for key in keys:
        if key not in table:
            continue
        value = table[key]
        path = table_path + (key,)
        if not isinstance(value, list):
            config.facts.config_problems.append(
                ConfigProblem(config.span(config.doc.span(path)), f"`{'.'.join(path)}` must be an array of strings")
            )
            return None
        items = []
        for index, element in enumerate(value):
            if not isinstance(element, str):
                config.facts.config_problems.append(
                    ConfigProblem(config.span(config.doc.span(path + (index,))), f"`{'.'.join(path)}` must hold strings only")
                )
                continue
            items.append(Item(element, path + (index,), config.doc.span(path + (index,))))
        return items
    return None


def _collect_facts(config: NixpacksConfig) -> None:
    python_packages = _python_packages()
    for phase in config.phases:
        for item in phase.nix_pkgs or ():
            version = python_packages.get(item.value)
            if version:
                declared = DeclaredPython(version, config.span(item.span), f"nixPkgs {item.value!r} in nixpacks.toml")
                config.nix_pythons.append(declared)
                config.facts.pythons.append(declared)
        for item in phase.cmds or ():
            installs, exact = config.command_pip_installs(item)
            for install in installs:
                for word, requirement in install.parsed_requirements():
                    span = (word.start, word.end) if exact else item.span
                    config.facts.requirements.append(RequirementFact(requirement, config.span(span), "nixpacks", upgrades=install.upgrades))


def _python_packages() -> dict[str, str]:
    from deploylint.knowledge import knowledge

    return knowledge().nixpacks["python_packages"]


def _phase_keys() -> list[str]:
    from deploylint.knowledge import knowledge

    return knowledge().nixpacks["phase_keys"]
