"""GitHub Actions workflows: the Pythons `actions/setup-python` is asked for, per
runner, and what each job's `run:` steps install with pip."""

from __future__ import annotations

from dataclasses import dataclass

from deploylint.diagnostics import Span
from deploylint.facts import RuntimeId, python_minor
from deploylint.parsing import yaml as yamlparse
from deploylint.sources.yaml_file import YamlConfig, read_yaml
from deploylint.text import SourceText


@dataclass
class CiInstall:
    """A job's run step that installs with pip, on the Pythons setup-python gave that job."""

    job: str
    runtimes: list[RuntimeId]  # empty: the runner's own Python
    script: str
    span: Span  # the run step's script


def read(file: SourceText) -> YamlConfig:
    config = read_yaml(file)
    for job_key, job in yamlparse.items(yamlparse.get(config.root, "jobs")):
        before = len(config.facts.runtimes)
        _read_setup_python(config, file, job_key, job)
        _read_run_steps(config, job_key, job, config.facts.runtimes[before:])
    return config


def _read_run_steps(config: YamlConfig, job_key, job, runtimes: list[RuntimeId]) -> None:
    for step in yamlparse.elements(yamlparse.get(job, "steps")):
        run = yamlparse.get(step, "run")
        script = yamlparse.text(run)
        if script and "install" in script:
            config.ci_installs.append(CiInstall(job_key.value, runtimes, script, config.span(run)))


def _read_setup_python(config: YamlConfig, file: SourceText, job_key, job) -> None:
    runs_on = yamlparse.get(job, "runs-on")
    runner = yamlparse.text(runs_on) or " ".join(filter(None, map(yamlparse.text, yamlparse.elements(runs_on)))) or None
    matrix = yamlparse.get(yamlparse.get(job, "strategy"), "matrix")
    matrix_versions = yamlparse.get(matrix, "python-version")
    for index, step in enumerate(yamlparse.elements(yamlparse.get(job, "steps"))):
        uses = yamlparse.text(yamlparse.get(step, "uses")) or ""
        if not uses.startswith("actions/setup-python"):
            continue
        version = yamlparse.get(yamlparse.get(step, "with"), "python-version")
        where = f"jobs.{job_key.value}.steps[{index}].with.python-version"
        values = [version]
        if "matrix.python-version" in (yamlparse.text(version) or ""):
            values, where = yamlparse.elements(matrix_versions) or [matrix_versions], f"jobs.{job_key.value}.strategy.matrix.python-version"
        for node in values:
            if not isinstance(node, yamlparse.ScalarNode) or "${{" in node.value:
                continue
            declared = config.version_setting(node, "python-version", f"{where} in {file.path}")
            if declared is None:
                continue
            config.facts.pythons.remove(declared)  # CI, not a deployment: not a target
            if declared.text != node.value:
                continue  # YAML turned 3.10 into 3.1: DPL105's finding, not a version to judge
            config.facts.runtimes.append(
                RuntimeId("github-actions", declared.text, declared.span, python_minor(declared.text), where, runner)
            )
