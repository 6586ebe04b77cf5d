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


# Every name people give a Dockerfile, and the look-alikes that are not one (docs,
# templates, BuildKit's per-Dockerfile ignore file, backups, merge leftovers).
DOCKERFILES = [
    "Dockerfile", "dockerfile", "DockerFile", "Dockerfile.prod", "Dockerfile.3.12", "Dockerfile-dev", "docker/Dockerfile-api.gpu",
    "api.Dockerfile", "api.dockerfile", "svc/worker.Dockerfile", "Containerfile", "Containerfile.dev", "web.containerfile",
]
NOT_DOCKERFILES = [
    "Dockerfile.md", "docs/Dockerfile-dev.md", "Dockerfile.txt", "Dockerfile.j2", "Dockerfile.template", "Dockerfile.tmpl",
    "Dockerfile.in", "Dockerfile.dockerignore", "Dockerfile.prod.dockerignore", "Dockerfile.orig", "Dockerfile.bak",
    "Dockerfile.yml", "Dockerfile.", "Dockerfile-", "Dockerfiles", "mydockerfile", ".dockerfile", "api.dockerfile.md",
]


def test_hook_files_pattern_matches_exactly_what_deploylint_reads():
    import re

    import yaml

    from deploylint.workspace import KIND_BY_NAME, file_kind

    pattern = re.compile(yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())[0]["files"])
    read = [
        *KIND_BY_NAME, "app/api/index.py", "requirements-dev.txt", "requirements/prod.txt", "constraints.txt",
        "dev-requirements.txt", "Dockerfile", "Dockerfile.prod", "api.dockerfile", "pylock.prod.toml",
        ".github/workflows/ci.yml", "svc/.github/workflows/deploy.yaml", "sub/uv.lock", "REQUIREMENTS.txt", "REQUIREMENTS.dev.txt",
        *DOCKERFILES,
    ]
    not_read = [
        "README.md", "package.json", "docs/requirements.md", "pylock.a.b.toml", "config.yml", "notes.txt", "setup.cfg",
        *NOT_DOCKERFILES,
    ]
    for path in read:
        assert file_kind(path) and pattern.search(path), path
    for path in not_read:
        assert not file_kind(path) and not pattern.search(path), path


def test_a_configured_repository_passes_with_its_ignores(tmp_path, pre_commit_home):
    # The vercel incident, configured as its owner would: a pyproject ignore,
    # a suppressed Dockerfile line, a JSON-pointer ignore for vercel.json, and
    # a suppressed import; with nothing else wrong, the hook passes.
    repo = make_repo(tmp_path / "configured", "vercel-incident")
    assert try_repo(repo, "deploylint", pre_commit_home).returncode == 1
    (repo / "pyproject.toml").write_text(
        '[project]\nname = "api"\nversion = "1.0"\n\n'
        "[tool.deploylint]\nignore = [\"DPL303\"]\n\n"
        "[tool.deploylint.per-file-ignores]\n"
        '"vercel.json#/builds/0/config/runtime" = ["DPL103"]\n'
        '"vercel.json#/builds/0/use" = ["DPL104"]\n'
    )
    (repo / "Dockerfile").write_text("# deploylint: ignore[DPL101] the batch image stays on 3.8 until Q3\nFROM python:3.8-slim\n")
    auth = (repo / "api" / "auth.py").read_text().splitlines(keepends=True)
    auth[1] = auth[1].rstrip("\n") + "  # deploylint: ignore[DPL401] werkzeug is vendored\n"
    (repo / "api" / "auth.py").write_text("".join(auth))
    git("add", "-A", cwd=repo)
    result = try_repo(repo, "deploylint", pre_commit_home)
    assert result.returncode == 0, result.stdout
