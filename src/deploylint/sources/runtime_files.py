""".python-version and runtime.txt: one Python version each.

`.python-version` (pyenv, uv, Vercel, Heroku, Nixpacks) holds one version per
line, comments allowed; `runtime.txt` (Heroku, Nixpacks) holds `python-3.X.Y`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, Facts
from deploylint.text import SourceText


@dataclass
class RuntimeFile:
    file: SourceText
    declared: DeclaredPython | None
    facts: Facts = field(default_factory=Facts)


def read(file: SourceText) -> RuntimeFile:
    name = file.path.rsplit("/", 1)[-1]
    declared = None
    position = 0
    for line in file.text.splitlines(keepends=True):
        content = line.split("#", 1)[0].strip()
        if content:
            start = position + line.index(content)
            declared = DeclaredPython(content, Span(file.path, start, start + len(content)), name)
            break
        position += len(line)
    result = RuntimeFile(file, declared)
    if declared:
        result.facts.pythons.append(declared)
    return result
