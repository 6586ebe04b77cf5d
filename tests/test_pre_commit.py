"""The hooks as a user runs them: `pre-commit try-repo <this checkout>`."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is needed for pre-commit")


def git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def make_repo(path: Path, example: str) -> Path:
    shutil.copytree(REPO / "examples" / example, path)
    git("init", "-q", cwd=path)
    git("add", "-A", cwd=path)
    return path


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def try_repo(repo: Path, hook: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never"}
    env.pop("PRE_COMMIT", None)
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook, "--all-files"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_hook_fails_on_an_incident_and_passes_on_the_clean_twin(tmp_path, pre_commit_home):
    incident = try_repo(make_repo(tmp_path / "incident", "vercel-incident"), "deploylint", pre_commit_home)
    assert incident.returncode == 1, incident.stdout + incident.stderr
    assert "DPL103" in incident.stdout and "DPL401" in incident.stdout
    assert incident.stdout.count("DPL303") == 1  # a cross-file finding, reported once
    clean = try_repo(make_repo(tmp_path / "clean", "vercel-clean"), "deploylint", pre_commit_home)
    assert clean.returncode == 0, clean.stdout + clean.stderr


def test_fix_hook_rewrites_files(tmp_path, pre_commit_home):
    repo = make_repo(tmp_path / "railway", "railway-incident")
    result = try_repo(repo, "deploylint-fix", pre_commit_home)
    assert result.returncode == 1  # files were modified
    assert "python -m venv --copies /opt/venv" in (repo / "nixpacks.toml").read_text()
    again = try_repo(repo, "deploylint-fix", pre_commit_home)
    assert again.returncode == 0, again.stdout + again.stderr
