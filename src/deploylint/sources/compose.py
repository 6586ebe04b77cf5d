"""docker-compose.yml / compose.yaml: which Dockerfile each service builds, and from which context.

The Compose spec: `build: DIR` is the context; `build: {context, dockerfile}`
takes `context` relative to the Compose file's directory (default: that
directory) and `dockerfile` relative to the context (default: Dockerfile).
https://docs.docker.com/reference/compose-file/build/
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from deploylint.parsing import yaml as yamlparse
from deploylint.sources.yaml_file import YamlConfig, read_yaml
from deploylint.text import SourceText


@dataclass
class ComposeBuild:
    service: str
    context: str  # workspace-relative directory ("" for the root)
    dockerfile: str  # workspace-relative path


@dataclass
class ComposeFile:
    config: YamlConfig
    builds: list[ComposeBuild] = field(default_factory=list)

    @property
    def file(self) -> SourceText:
        return self.config.file

    @property
    def facts(self):
        return self.config.facts


def _workspace_path(*parts: str) -> str:
    joined = posixpath.normpath(posixpath.join(*parts))
    return "" if joined == "." else joined


def read(file: SourceText) -> ComposeFile:
    config = read_yaml(file)
    result = ComposeFile(config)
    directory = file.path.rpartition("/")[0]
    for name, service in yamlparse.items(yamlparse.get(config.root, "services")):
        build = yamlparse.get(service, "build")
        if build is None:
            continue
        context = yamlparse.text(build) if isinstance(build, yamlparse.ScalarNode) else yamlparse.text(yamlparse.get(build, "context"))
        dockerfile = None if isinstance(build, yamlparse.ScalarNode) else yamlparse.text(yamlparse.get(build, "dockerfile"))
        context = context or "."
        if "://" in context or "$" in context or (dockerfile and "$" in dockerfile) or context.startswith("/"):
            continue  # a remote or variable context: nothing to read here
        context_path = _workspace_path(directory, context) if directory else _workspace_path(context)
        if context_path.startswith(".."):
            continue
        result.builds.append(ComposeBuild(name.value, context_path, _workspace_path(context_path, dockerfile or "Dockerfile")))
    return result
