"""render.yaml (Render Blueprints): Python services and their PYTHON_VERSION."""

from __future__ import annotations

from deploylint.parsing import yaml as yamlparse
from deploylint.sources.yaml_file import YamlConfig, read_yaml
from deploylint.text import SourceText


def read(file: SourceText) -> YamlConfig:
    config = read_yaml(file)
    for index, service in enumerate(yamlparse.elements(yamlparse.get(config.root, "services"))):
        # `env: python` is the older spelling of `runtime: python`.
        runtime = yamlparse.text(yamlparse.get(service, "runtime")) or yamlparse.text(yamlparse.get(service, "env"))
        if runtime != "python":
            continue
        command = yamlparse.get(service, "buildCommand")
        if yamlparse.text(command) and config.build_command is None:
            config.build_command = (yamlparse.text(command), config.span(command))
        for variable in yamlparse.elements(yamlparse.get(service, "envVars")):
            if yamlparse.text(yamlparse.get(variable, "key")) == "PYTHON_VERSION":
                config.version_setting(yamlparse.get(variable, "value"), "value", f"PYTHON_VERSION of services[{index}] in {file.path}")
    return config
