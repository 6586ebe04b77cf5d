"""The GitHub Action (action.yml): its shape, and its steps run as the runner runs them.

The runner runs a composite step's `run:` with `bash --noprofile --norc -eo
pipefail`, with the step's `env:` (its `${{ }}` expressions evaluated) and
GITHUB_OUTPUT naming a file the step appends `name=value` lines to. `Runner`
does the same with plain commands. The install step needs the package index,
so here `deploylint` is the project's own venv's; tests/test_release.py runs
the real install step on a fresh clone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO

ACTION = yaml.safe_load((REPO / "action.yml").read_text(encoding="utf-8"))
SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
# The six findings in examples/, as annotations name them (paths from the repository's top).
EXAMPLE_FINDINGS = {
    ("vercel-incident/vercel.json", 6, "DPL104"),
    ("vercel-incident/vercel.json", 7, "DPL103"),
    ("vercel-incident/requirements.txt", 2, "DPL303"),
    ("vercel-incident/api/auth.py", 2, "DPL401"),
    ("opencv-incident/requirements.txt", 2, "DPL301"),
    ("railway-incident/nixpacks.toml", 5, "DPL201"),
}
# Pins the clock for the date-dependent rules, as every CLI test does.
AS_OF = "--as-of 2026-11-23"


class Runner:
    """Runs the action's steps as plain bash commands, as a workflow would call it."""

    def __init__(self, workspace: Path, temp: Path, inputs: dict[str, str], action_path: Path = REPO) -> None:
        self.workspace, self.temp = workspace, temp
        defaults = {name: spec.get("default", "") for name, spec in ACTION["inputs"].items()}
        unknown = set(inputs) - set(defaults)
        assert not unknown, f"inputs the action does not declare: {unknown}"
        self.context = {f"inputs.{name}": str(inputs.get(name, default)) for name, default in defaults.items()}
        self.context["github.action_path"] = str(action_path)
        self.outputs: dict[str, dict[str, str]] = {}

    def evaluate(self, text: str) -> str:
        return EXPRESSION.sub(lambda match: self.context[match.group(1)], text)

    def run(self, step: dict, environ: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """One step, in `environ` (default: this process's) plus what the runner sets."""
        output_file = self.temp / f"output-{step['id']}"
        output_file.write_text("")
        script = self.temp / f"step-{step['id']}.sh"
        script.write_text(step["run"])
        env = {**(os.environ if environ is None else environ), "GITHUB_OUTPUT": str(output_file), "RUNNER_TEMP": str(self.temp)}
        env.update({name: self.evaluate(str(value)) for name, value in step.get("env", {}).items()})
        env.pop("NO_COLOR", None)
        result = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace, env=env, capture_output=True, text=True, timeout=600,
        )
        outputs = dict(line.split("=", 1) for line in output_file.read_text().splitlines() if line)
        self.outputs[step["id"]] = outputs
        self.context.update({f"steps.{step['id']}.outputs.{name}": value for name, value in outputs.items()})
        return result

    def check(self, deploylint: Path | None = None) -> subprocess.CompletedProcess:
        """The check step; `deploylint` stands in for the install step's output."""
        install, check = ACTION["runs"]["steps"]
        if deploylint is not None:
            self.context[f"steps.{install['id']}.outputs.deploylint"] = str(deploylint)
        return self.run(check)

    def action_output(self, name: str) -> str:
        return self.evaluate(ACTION["outputs"][name]["value"])


def venv_deploylint() -> Path:
    """The project's own console script, beside the interpreter running the tests."""
    script = Path(sys.executable).parent / ("deploylint.exe" if os.name == "nt" else "deploylint")
    if not script.exists():
        pytest.skip("deploylint is not installed in the test interpreter's environment")
    return script


def readme_workflow() -> dict:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Use it in CI", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    return yaml.safe_load(block)


def readme_action_step() -> dict:
    [job] = readme_workflow()["jobs"].values()
    [step] = [step for step in job["steps"] if str(step.get("uses", "")).startswith("deploylint/deploylint@")]
    return step


def checkout(tmp_path: Path, source: Path = REPO / "examples") -> Path:
    """A copy of `source` as a checked-out repository, as actions/checkout leaves it."""
    workspace = tmp_path / "workspace"
    shutil.copytree(source, workspace)
    if shutil.which("git"):
        for args in (["init", "-q"], ["add", "-A"]):
            subprocess.run(["git", *args], cwd=workspace, check=True, capture_output=True)
    return workspace


def annotations(stdout: str) -> set[tuple[str, int, str]]:
    found = set()
    for line in stdout.splitlines():
        match = re.match(r"::error ([^:]*)::", line)  # properties escape every colon
        if match and "file=" in match.group(1):
            properties = dict(item.split("=", 1) for item in match.group(1).split(","))
            code = re.search(r"\((DPL\d+)\)", properties["title"].replace("%3A", ":")).group(1)
            found.add((properties["file"], int(properties["line"]), code))
    return found


def assert_valid_sarif(path: Path) -> dict:
    jsonschema = pytest.importorskip("jsonschema")
    report = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert sorted(jsonschema.Draft7Validator(schema).iter_errors(report), key=str) == []
    return report


# --- The YAML --------------------------------------------------------------------------


def test_action_is_a_composite_action_of_bash_steps():
    assert ACTION["name"] and ACTION["description"]
    assert ACTION["runs"]["using"] == "composite"
    steps = ACTION["runs"]["steps"]
    assert [step["id"] for step in steps] == ["install", "check"]
    for step in steps:
        assert step["shell"] == "bash" and step["run"].strip(), step["id"]
        assert set(step) <= {"name", "id", "shell", "env", "run", "if", "working-directory"}, step["id"]


def test_action_declares_the_issue_inputs_and_the_sarif_output():
    assert set(ACTION["inputs"]) == {"args", "version", "sarif", "fix"}
    for name, spec in ACTION["inputs"].items():
        assert spec["description"] and spec["required"] is False and isinstance(spec["default"], str), name
    assert ACTION["inputs"]["fix"]["default"] == "false"
    assert ACTION["outputs"]["sarif"]["value"] == "${{ steps.check.outputs.sarif }}"


def test_inputs_reach_the_scripts_only_through_env():
    # An expression inside `run:` is pasted into the script before bash reads it:
    # an input holding `$(...)` would run. Through env it stays a string.
    known = {f"inputs.{name}" for name in ACTION["inputs"]} | {"github.action_path"}
    for step in ACTION["runs"]["steps"]:
        assert "${{" not in step["run"], step["id"]
        for name, value in step.get("env", {}).items():
            for expression in EXPRESSION.findall(str(value)):
                assert expression in known, (step["id"], name, expression)
        known |= {f"steps.{step['id']}.outputs.{name}" for name in re.findall(r'echo "(\w+)=', step["run"])}
    assert EXPRESSION.findall(ACTION["outputs"]["sarif"]["value"])[0] in known


def test_scripts_are_valid_bash():
    for step in ACTION["runs"]["steps"]:
        result = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
        assert result.returncode == 0, (step["id"], result.stderr)


# --- The steps, run -------------------------------------------------------------------


def test_readme_workflow_annotates_the_findings_and_writes_valid_sarif(tmp_path):
    step = readme_action_step()
    inputs = {name: str(value) for name, value in step["with"].items()}
    assert inputs == {"args": ".", "sarif": "deploylint.sarif"}  # what the README shows
    inputs["args"] += f" {AS_OF}"
    workspace = checkout(tmp_path)
    runner = Runner(workspace, tmp_path, inputs)
    result = runner.check(venv_deploylint())
    assert result.returncode == 1, result.stderr  # findings fail the job
    assert annotations(result.stdout) == EXAMPLE_FINDINGS

    # The upload step's `sarif_file`, evaluated as the workflow does.
    [job] = readme_workflow()["jobs"].values()
    [upload] = [s for s in job["steps"] if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif@")]
    runner.context[f"steps.{step['id']}.outputs.sarif"] = runner.action_output("sarif")
    sarif = Path(runner.evaluate(upload["with"]["sarif_file"]))
    assert sarif == workspace / "deploylint.sarif"
    report = assert_valid_sarif(sarif)
    results = {(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], r["ruleId"]) for r in report["runs"][0]["results"]}
    assert results == {(path, code) for path, _, code in EXAMPLE_FINDINGS}


def test_a_clean_tree_passes_with_no_annotation(tmp_path):
    workspace = checkout(tmp_path, REPO / "examples" / "vercel-clean")
    result = Runner(workspace, tmp_path, {"args": AS_OF}).check(venv_deploylint())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "::error" not in result.stdout


def test_args_are_split_into_paths_and_options(tmp_path):
    workspace = checkout(tmp_path)
    result = Runner(workspace, tmp_path, {"args": f"vercel-incident  --select DPL1\n{AS_OF}"}).check(venv_deploylint())
    assert result.returncode == 1, result.stderr
    assert annotations(result.stdout) == {f for f in EXAMPLE_FINDINGS if f[0].startswith("vercel-incident/") and f[2].startswith("DPL1")}


def test_args_are_never_run_as_shell(tmp_path):
    workspace = checkout(tmp_path)
    marker = tmp_path / "pwned"
    result = Runner(workspace, tmp_path, {"args": f"$(touch {marker}) *"}).check(venv_deploylint())
    assert not marker.exists()
    assert result.returncode == 2 and "no such file or directory" in result.stderr  # `$(touch` is taken as a path


def test_a_usage_error_fails_the_step_with_its_own_status(tmp_path):
    workspace = checkout(tmp_path)
    result = Runner(workspace, tmp_path, {"args": "--select NOPE"}).check(venv_deploylint())
    assert result.returncode == 2


def test_fix_applies_the_fixes_and_fails_because_files_changed(tmp_path):
    workspace = checkout(tmp_path, REPO / "examples" / "railway-incident")
    before = (workspace / "nixpacks.toml").read_text()
    result = Runner(workspace, tmp_path, {"fix": "true", "args": AS_OF}).check(venv_deploylint())
    assert result.returncode == 1, result.stderr
    assert "python -m venv --copies /opt/venv" in (workspace / "nixpacks.toml").read_text() != before
    assert "+++ b/nixpacks.toml" in result.stdout  # the diff, in the log
    assert "::error title=deploylint::deploylint --fix changed files" in result.stdout
    assert annotations(result.stdout) == set()  # nothing left to annotate

    again = Runner(workspace, tmp_path, {"fix": "true", "args": AS_OF}).check(venv_deploylint())
    assert again.returncode == 0, again.stdout + again.stderr  # fixed and committed: the step passes
    assert "::error" not in again.stdout


def test_fix_annotates_what_the_fixes_leave(tmp_path):
    workspace = checkout(tmp_path, REPO / "examples" / "vercel-incident")
    result = Runner(workspace, tmp_path, {"fix": "true", "args": AS_OF, "sarif": "after-fix.sarif"}).check(venv_deploylint())
    assert result.returncode == 1
    # The safe fixes settle DPL103, DPL104 and DPL401; DPL303's fix is unsafe, so it stays.
    assert annotations(result.stdout) == {("requirements.txt", 2, "DPL303")}
    assert "::error title=deploylint::deploylint --fix changed files" in result.stdout
    report = assert_valid_sarif(workspace / "after-fix.sarif")
    assert [r["ruleId"] for r in report["runs"][0]["results"]] == ["DPL303"]


def test_no_sarif_input_writes_no_sarif_and_sets_no_output(tmp_path):
    workspace = checkout(tmp_path)
    runner = Runner(workspace, tmp_path, {"args": AS_OF})
    runner.check(venv_deploylint())
    assert runner.outputs["check"] == {}
    assert not list(workspace.rglob("*.sarif"))
