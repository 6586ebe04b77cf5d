"""app.yaml: Google App Engine's `runtime: python312`."""

from __future__ import annotations

import re

from deploylint.facts import RuntimeId
from deploylint.parsing import yaml as yamlparse
from deploylint.sources.yaml_file import YamlConfig, read_yaml
from deploylint.text import SourceText

_PYTHON_RUNTIME = re.compile(r"^python(\d)(\d+)$")


def read(file: SourceText) -> YamlConfig:
    config = read_yaml(file)
    node = yamlparse.get(config.root, "runtime")
    value = yamlparse.text(node)
    if value and value.startswith("python"):
        match = _PYTHON_RUNTIME.match(value)
        python = f"{match.group(1)}.{match.group(2)}" if match else None
        config.facts.runtimes.append(RuntimeId("app-engine", value, config.span(node), python, "runtime"))
    return config
