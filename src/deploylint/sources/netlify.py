"""netlify.toml: the PYTHON_VERSION of the build environment."""

from __future__ import annotations

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython
from deploylint.sources.runtime_files import RuntimeFile
from deploylint.sources.toml_file import read_toml
from deploylint.text import SourceText


def read(file: SourceText) -> RuntimeFile:
    doc = read_toml(file)
    build = doc.data.get("build")
    environment = build.get("environment") if isinstance(build, dict) else None
    value = environment.get("PYTHON_VERSION") if isinstance(environment, dict) else None
    config = RuntimeFile(file, None)
    if isinstance(value, str) and value:
        start, end = doc.span(("build", "environment", "PYTHON_VERSION"))
        config.declared = DeclaredPython(value, Span(file.path, start + 1, end - 1), f"PYTHON_VERSION in {file.path}")
        config.facts.pythons.append(config.declared)
    return config
