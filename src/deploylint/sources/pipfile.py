"""Pipfile and Pipfile.lock: the Python version pipenv (and the platforms that read them) use."""

from __future__ import annotations

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, Facts
from deploylint.sources.json_file import at, declare, read_json
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
    return config
