"""Railway: railway.json / railway.toml (which builder), and railpack.json (Railpack's packages)."""

from __future__ import annotations

from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import Facts
from deploylint.sources.json_file import at, declare, read_json, string
from deploylint.sources.runtime_files import RuntimeFile
from deploylint.sources.toml_file import read_toml
from deploylint.text import SourceText


@dataclass
class RailwayConfig:
    file: SourceText
    builder: str | None  # "NIXPACKS", "RAILPACK", "DOCKERFILE", ...
    builder_span: Span | None
    facts: Facts = field(default_factory=Facts)


def read(file: SourceText) -> RailwayConfig:
    if file.path.endswith(".toml"):
        doc = read_toml(file)
        build = doc.data.get("build")
        builder = build.get("builder") if isinstance(build, dict) else None
        if not isinstance(builder, str):
            return RailwayConfig(file, None, None)
        return RailwayConfig(file, builder.upper(), Span(file.path, *doc.span(("build", "builder"))))
    node = at(read_json(file), "build", "builder")
    builder = string(node)
    return RailwayConfig(file, builder.upper() if builder else None, Span(file.path, node.start, node.end) if builder else None)


def read_railpack(file: SourceText) -> RuntimeFile:
    facts = Facts()
    python = declare(facts, file, at(read_json(file), "packages", "python"), f"packages.python in {file.path}")
    return RuntimeFile(file, python, facts)
