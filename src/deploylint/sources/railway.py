"""Railway: railway.json / railway.toml (which builder), and railpack.json (Railpack's packages)."""

from __future__ import annotations

import posixpath
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
    # build.dockerfilePath, workspace-relative. Railway's docs do not say what it
    # is relative to; the service's root directory (this file's) is assumed.
    dockerfile_path: str | None = None


def read(file: SourceText) -> RailwayConfig:
    if file.path.endswith(".toml"):
        doc = read_toml(file)
        build = doc.data.get("build") if isinstance(doc.data.get("build"), dict) else {}
        builder = build.get("builder")
        config = RailwayConfig(file, None, None)
        if isinstance(builder, str):
            config = RailwayConfig(file, builder.upper(), Span(file.path, *doc.span(("build", "builder"))))
        dockerfile = build.get("dockerfilePath")
    else:
        root = read_json(file)
        node = at(root, "build", "builder")
        builder = string(node)
        config = RailwayConfig(file, builder.upper() if builder else None, Span(file.path, node.start, node.end) if builder else None)
        dockerfile = string(at(root, "build", "dockerfilePath"))
    if isinstance(dockerfile, str) and dockerfile and "$" not in dockerfile:
        directory = file.path.rpartition("/")[0]
        path = posixpath.normpath(posixpath.join(directory, dockerfile.lstrip("/")) if directory else dockerfile.lstrip("/"))
        if not path.startswith(".."):
            config.dockerfile_path = path
    return config


def read_railpack(file: SourceText) -> RuntimeFile:
    facts = Facts()
    python = declare(facts, file, at(read_json(file), "packages", "python"), f"packages.python in {file.path}")
    return RuntimeFile(file, python, facts)
