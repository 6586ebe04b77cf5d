"""Pipfile and Pipfile.lock: the Python version pipenv (and the platforms that
read them) use, the requirements of [packages], and the versions Pipfile.lock
pins."""

from __future__ import annotations

from packaging.requirements import InvalidRequirement, Requirement

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, Facts, RequirementFact
from deploylint.parsing import json as jsonparse
from deploylint.sources.json_file import at, declare, read_json, string
from deploylint.sources.lockfiles import locked_requirements
from deploylint.sources.runtime_files import RuntimeFile
from deploylint.sources.toml_file import read_toml
from deploylint.text import SourceText


def read(file: SourceText) -> RuntimeFile:
    if file.path.endswith(".lock"):
        facts = Facts()
        root = read_json(file)
        requires = at(root, "_meta", "requires")
        python = declare(facts, file, at(requires, "python_full_version"), f"_meta.requires.python_full_version in {file.path}")
        if python is None:
            python = declare(facts, file, at(requires, "python_version"), f"_meta.requires.python_version in {file.path}")
        facts.requirements.extend(_locked(file, at(root, "default")))
        return RuntimeFile(file, python, facts)
    doc = read_toml(file)
    requires = doc.data.get("requires")
    config = RuntimeFile(file, None)
    for key in ("python_full_version", "python_version"):
        value = requires.get(key) if isinstance(requires, dict) else None
        if isinstance(value, str) and value:
            start, end = doc.span(("requires", key))
            config.declared = DeclaredPython(value, Span(file.path, start + 1, end - 1), f"[requires] {key} in {file.path}")
            config.facts.pythons.append(config.declared)
            break
    # [packages] is what a deploy installs; [dev-packages] is not.
    packages = doc.data.get("packages")
    for name, value in packages.items() if isinstance(packages, dict) else ():
        if isinstance(value, dict):
            if any(key in value for key in ("markers", "sys_platform", "platform_machine", "git", "path", "file")):
                continue  # conditional or a source tree: no version to judge by
            value = value.get("version", "*")
        if not isinstance(value, str):
            continue
        try:
            requirement = Requirement(name if value.strip() in ("", "*") else f"{name}{value}")
        except InvalidRequirement:
            continue  # pipenv reports it when it locks
        config.facts.requirements.append(RequirementFact(requirement, Span(file.path, *doc.span(("packages", name))), "pipfile"))
    return config


def _locked(file: SourceText, section) -> list:
    """The `default` section: what `pipenv install --deploy` (and Heroku) installs; `develop` is not deployed."""
    if not isinstance(section, jsonparse.JObject):
        return []
    locked = []
    for member in section.members:
        version = string(at(member.value, "version"))
        if version and version.startswith("=="):
            node = at(member.value, "version")
            locked.append((member.key, version[2:], string(at(member.value, "markers")), Span(file.path, node.start, node.end)))
    return locked_requirements(locked)
