"""AWS Lambda: the `Runtime` of SAM/CloudFormation functions and serverless.yml's `runtime`."""

from __future__ import annotations

import re

from deploylint.facts import RuntimeId
from deploylint.parsing import yaml as yamlparse
from deploylint.sources.yaml_file import YamlConfig, read_yaml
from deploylint.text import SourceText

_FUNCTION_TYPES = ("AWS::Serverless::Function", "AWS::Lambda::Function")
_PYTHON_RUNTIME = re.compile(r"^python(\d)\.(\d+)$")


def _add(config: YamlConfig, node, where: str, code_dir: str | None = None) -> None:
    value = yamlparse.text(node)
    if not value:
        return
    match = _PYTHON_RUNTIME.match(value)
    python = f"{match.group(1)}.{match.group(2)}" if match else None
    if value.startswith("python"):
        config.facts.runtimes.append(RuntimeId("lambda", value, config.span(node), python, where, code_dir=code_dir))


def read_template(file: SourceText) -> YamlConfig:
    """template.yaml / template.json (JSON is YAML, and composes the same)."""
    config = read_yaml(file)
    globals_function = yamlparse.get(yamlparse.get(config.root, "Globals"), "Function")
    default_code = yamlparse.text(yamlparse.get(globals_function, "CodeUri"))
    _add(config, yamlparse.get(globals_function, "Runtime"), "Globals.Function.Runtime", default_code)
    for name, resource in yamlparse.items(yamlparse.get(config.root, "Resources")):
        if yamlparse.text(yamlparse.get(resource, "Type")) in _FUNCTION_TYPES:
            properties = yamlparse.get(resource, "Properties")
            # `sam build` installs the requirements.txt of the function's CodeUri directory.
            code = yamlparse.text(yamlparse.get(properties, "CodeUri")) or default_code
            _add(config, yamlparse.get(properties, "Runtime"), f"Resources.{name.value}.Properties.Runtime", code)
    return config


def read_serverless(file: SourceText) -> YamlConfig:
    config = read_yaml(file)
    provider = yamlparse.get(config.root, "provider")
    if yamlparse.text(yamlparse.get(provider, "name")) not in (None, "aws"):
        return config
    _add(config, yamlparse.get(provider, "runtime"), "provider.runtime")
    for name, function in yamlparse.items(yamlparse.get(config.root, "functions")):
        _add(config, yamlparse.get(function, "runtime"), f"functions.{name.value}.runtime")
    return config
