"""A release as a user gets it: the sdist and wheel built from a fresh clone, installed in a clean venv.

The `slow` tests build and install (about half a minute on CI's machine, the
dependencies coming from the package index); `pytest -m "not slow"` leaves
them out. The version tests are instant.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import REPO
from test_action import ACTION, EXAMPLE_FINDINGS, Runner, annotations, checkout, readme_action_step
from test_cli import INCIDENTS

import deploylint

VERSION = deploylint.__version__
# What a clone has that the sdist leaves out: the repository's own plumbing.
NOT_IN_SDIST = {".gitignore"}
NOT_IN_SDIST_DIRS = (".ci/",)
# What setuptools adds to an sdist.
SDIST_GENERATED = {"PKG-INFO", "setup.cfg"}


# --- One version everywhere (instant) ---------------------------------------------------


def test_readme_pins_the_package_version_for_pre_commit_and_the_action():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.findall(r"^\s*rev: (\S+)$", readme, re.M) == [f"v{VERSION}"]
    assert readme_action_step()["uses"] == f"deploylint/deploylint@v{VERSION}"
    assert f"uses: deploylint/deploylint@v{VERSION}" in (REPO / "action.yml").read_text(encoding="utf-8")


def test_changelog_follows_keep_a_changelog_and_has_this_version():
    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n") and "https://keepachangelog.com/en/1.1.0/" in text
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", text, re.M)
    assert headings[0] == ("Unreleased", "")
    releases = headings[1:]
    assert releases and all(re.fullmatch(r" - \d{4}-\d{2}-\d{2}", date) for _, date in releases), releases
    assert VERSION in [version for version, _ in releases]
    # Newest first, each with its link at the bottom.
    versions = [tuple(map(int, version.split("."))) for version, _ in releases]
    assert versions == sorted(versions, reverse=True)
    for name, _ in headings:
        assert re.search(rf"^\[{re.escape(name)}\]: https://\S+$", text, re.M), name
    for section in re.findall(r"^### (.+)$", text, re.M):
        assert section in {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}, section


def test_version_is_read_from_the_package_by_the_build():
    # One source for the version: pyproject.toml takes deploylint.__version__.
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "deploylint.__version__"}


# --- The build (slow) ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> tuple[Path, list[str]]:
    """The files a fresh clone has: the tracked ones, copied out of the work tree."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.skip("needs a git checkout")
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=True).stdout.decode()
    files = [name for name in listed.split("\0") if name and (REPO / name).is_file()]
    target = tmp_path_factory.mktemp("clone") / "deploylint"
    for name in files:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / name, target / name)
    return target, files


@pytest.fixture(scope="module")
def dist(clone, tmp_path_factory) -> dict[str, Path]:
    """`python -m build`: the sdist, then the wheel built from the sdist (so the sdist must be complete)."""
    source, _ = clone
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run([sys.executable, "-m", "build", "--outdir", str(out), str(source)], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel, "dir": out}


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory) -> Path:
    """A clean venv with the wheel, and nothing of the source tree on its path; returns its bin dir."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True, timeout=300)
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    result = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "--quiet", str(dist["wheel"])],
        capture_output=True, text=True, env=clean_env(), timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return bin_dir


def clean_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.pop("NO_COLOR", None)
    return env


def in_venv(bin_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(bin_dir / args[0]), *args[1:]], cwd=cwd, capture_output=True, text=True, env=clean_env(), timeout=300)


@pytest.mark.slow
def test_twine_check_passes(dist):
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", str(dist["sdist"]), str(dist["wheel"])],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2


@pytest.mark.slow
def test_sdist_is_the_source_tree(dist, clone):
    _, files = clone
    with tarfile.open(dist["sdist"]) as archive:
        names = {member.name.split("/", 1)[1] for member in archive.getmembers() if member.isfile()}
    assert {name for name in names if not name.startswith("src/deploylint.egg-info/")} - SDIST_GENERATED == {
        name for name in files if name not in NOT_IN_SDIST and not name.startswith(NOT_IN_SDIST_DIRS)
    }
    assert {"CHANGELOG.md", "docs/rules.md", "action.yml", "src/deploylint/knowledge/bundle.json"} <= names


@pytest.mark.slow
def test_wheel_holds_the_package_and_all_its_knowledge_data(dist, clone):
    _, files = clone
    with zipfile.ZipFile(dist["wheel"]) as archive:
        names = set(archive.namelist())
        metadata = archive.read(f"deploylint-{VERSION}.dist-info/METADATA").decode()
    package = {name[len("src/"):] for name in files if name.startswith("src/deploylint/")}
    assert package and package <= names  # every module and every data file (knowledge/*.toml, *.json, removed/*.toml)
    assert any(name.startswith("deploylint/knowledge/removed/") and name.endswith(".toml") for name in names)
    assert not [name for name in names if not name.startswith(("deploylint/", f"deploylint-{VERSION}.dist-info/"))]
    assert re.search(rf"^Version: {re.escape(VERSION)}$", metadata, re.M)
    assert "\n\n# deploylint\n" in metadata  # the README is the long description


@pytest.mark.slow
def test_installed_wheel_checks_the_examples_outside_the_source_tree(installed, tmp_path):
    examples = tmp_path / "examples"
    shutil.copytree(REPO / "examples", examples)
    located = in_venv(installed, "python", "-c", "import deploylint; print(deploylint.__file__)", cwd=tmp_path)
    assert Path(located.stdout.strip()).is_relative_to(installed.parent), located.stdout  # not the source tree's

    result = in_venv(installed, "deploylint", "check", ".", "--as-of", "2026-11-23", "--output-format", "json", cwd=examples)
    assert result.returncode == 1, result.stderr
    found = {(item["code"], Path(item["filename"]).relative_to(examples.resolve()).as_posix(), item["location"]["row"]) for item in json.loads(result.stdout)}
    assert found == {(code, f"{app}/{path}", row) for app, items in INCIDENTS.items() for code, path, row in items}
    assert len(found) == 6


@pytest.mark.slow
def test_installed_version_matches_the_package_metadata(installed, tmp_path):
    metadata = in_venv(installed, "python", "-c", "import importlib.metadata as m; print(m.version('deploylint'))", cwd=tmp_path)
    assert metadata.stdout.strip() == VERSION
    shown = in_venv(installed, "deploylint", "--version", cwd=tmp_path)
    assert shown.returncode == 0
    said = shown.stdout + shown.stderr  # argparse's exit() says it on stderr
    assert re.fullmatch(rf"deploylint {re.escape(VERSION)} \(knowledge as of \d{{4}}-\d{{2}}-\d{{2}}\)\n", said), said


@pytest.mark.slow
def test_installed_wheel_carries_the_rule_docs(installed, tmp_path):
    # The rule docs travel as the rules' docstrings, which `deploylint rule` prints and
    # docs/rules.md is generated from: the installed package regenerates the page exactly.
    page = in_venv(installed, "python", "-c", "import sys; from deploylint.rules import docs; sys.stdout.write(docs.render())", cwd=tmp_path)
    assert page.returncode == 0, page.stderr
    assert page.stdout == (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    rule = in_venv(installed, "deploylint", "rule", "DPL401", cwd=tmp_path)
    assert rule.returncode == 0 and "## Why is this bad?" in rule.stdout and "## References" in rule.stdout


@pytest.mark.slow
def test_action_installs_its_own_checkout_and_annotates(clone, tmp_path):
    # The README's workflow with the action's real install step, the action being the fresh clone.
    source, _ = clone
    inputs = {name: str(value) for name, value in readme_action_step()["with"].items()}
    inputs["args"] += " --as-of 2026-11-23"
    runner = Runner(checkout(tmp_path), tmp_path, inputs, action_path=source)
    install, check = ACTION["runs"]["steps"]
    put_first = {"PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}  # python3: the tests' own
    result = runner.run(install, {**clean_env(), **put_first})
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(rf"^deploylint {re.escape(VERSION)} \(", result.stdout + result.stderr, re.M)  # its --version
    deploylint_path = Path(runner.outputs["install"]["deploylint"])
    assert deploylint_path.is_relative_to(tmp_path / "deploylint-venv")

    result = runner.run(check, clean_env())
    assert result.returncode == 1, result.stderr
    assert annotations(result.stdout) == EXAMPLE_FINDINGS
    assert Path(runner.action_output("sarif")).is_file()


@pytest.mark.slow
def test_action_version_input_installs_that_release(dist, tmp_path):
    # The index has no deploylint release to offer here; the built wheel stands in for it.
    env = {**clean_env(), "PIP_FIND_LINKS": f"{dist['dir']} {os.environ.get('PIP_FIND_LINKS', '')}".strip()}
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    runner = Runner(tmp_path, tmp_path, {"version": f"v{VERSION}"}, action_path=tmp_path / "no-such-checkout")
    install, _ = ACTION["runs"]["steps"]
    result = runner.run(install, env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(rf"^deploylint {re.escape(VERSION)} \(", result.stdout + result.stderr, re.M)  # its --version
