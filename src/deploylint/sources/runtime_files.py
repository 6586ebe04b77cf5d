""".python-version, runtime.txt and .tool-versions: one Python version each.

`.python-version` (pyenv, uv, Vercel, Heroku, Nixpacks) holds one version per
line, comments allowed; `runtime.txt` holds `python-3.X.Y` (Heroku) or a bare
`3.X` (Netlify); `.tool-versions` (asdf, mise) has a `python 3.X.Y` line.
A Procfile is read for its presence only: it marks a Heroku-style app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, Facts
from deploylint.text import SourceText


@dataclass
class RuntimeFile:
    """A file whose Python fact is one declared version (this module's files, Pipfile, netlify.toml, railpack.json)."""

    file: SourceText
    declared: DeclaredPython | None
    facts: Facts = field(default_factory=Facts)


def read(file: SourceText) -> RuntimeFile:
    name = file.path.rsplit("/", 1)[-1]
    declared = None
    if name == "Procfile":
        return RuntimeFile(file, None)
    position = 0
    for line in file.text.splitlines(keepends=True):
        content = line.split("#", 1)[0].strip()
        if name == ".tool-versions":
            tool, _, versions = content.partition(" ")
            if tool != "python" or not versions.strip():
                position += len(line)
                continue
            content = versions.split()[0]
        if content:
            start = position + line.index(content)
            declared = DeclaredPython(content, Span(file.path, start, start + len(content)), name)
            break
        position += len(line)
    result = RuntimeFile(file, declared)
    if declared:
        result.facts.pythons.append(declared)
    return result
