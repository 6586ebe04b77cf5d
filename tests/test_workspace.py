"""File discovery: what a walk reads, and what it leaves alone as git does."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import write_files
from deploylint.workspace import Workspace, file_kind

TREE = {
    "app/main.py": "",
    "app/requirements.txt": "",
    "build/out.py": "",
    "sub/build/out.py": "",
    "top.py": "",
    "sub/top.py": "",
    "data/skip.py": "",
    "data/keep/kept.py": "",
    "logs/a.py": "",
    "logs/important.py": "",
    "docs/conf.py": "",
    "docs/deep/conf.py": "",
    "nested/.gitignore": "*.py\n!wanted.py\n",
    "nested/wanted.py": "",
    "nested/unwanted.py": "",
    "nested/inner/.gitignore": "!unwanted.py\n",
    "nested/inner/unwanted.py": "",
    "generated_pb2.py": "",
    "spaces in name.py": "",
    "#hash.py": "",
}
GITIGNORE = """\
# build output, at any depth
build/
/top.py
/data/*
!/data/keep/
logs/*.py
!logs/important.py
docs/*.py
*_pb2.py
\\#hash.py
"""


def _walk(root) -> list[str]:
    return sorted(Workspace(root).walk(""))


def test_walk_skips_tool_directories_and_virtualenvs(tmp_path):
    write_files(tmp_path, {
        "app.py": "", ".venv/lib/x.py": "", "node_modules/pkg/x.py": "", ".git/hooks/x.py": "",
        "__pycache__/x.py": "", "env/pyvenv.cfg": "", "env/lib/x.py": "",
    })
    assert _walk(tmp_path) == ["app.py"]


def test_walk_leaves_out_what_gitignore_and_info_exclude_leave_out(tmp_path):
    write_files(tmp_path, {**TREE, ".gitignore": GITIGNORE, ".git/info/exclude": "sub/top.py\n"})
    assert _walk(tmp_path) == [
        "app/main.py", "app/requirements.txt", "data/keep/kept.py", "docs/deep/conf.py",
        "logs/important.py", "nested/inner/unwanted.py", "nested/wanted.py", "spaces in name.py",
    ]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_walk_agrees_with_git(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_files(tmp_path, {**TREE, ".gitignore": GITIGNORE, ".git/info/exclude": "sub/top.py\n"})
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    assert _walk(tmp_path) == sorted(path for path in listed if path and file_kind(path))


def test_an_ignored_config_file_is_not_read(project):
    # A gitignored .python-version never reaches the platform, so it declares nothing.
    project.write({".gitignore": ".python-version\n", ".python-version": "3.8\n", "vercel.json": "{}\n", "requirements.txt": "flask\n"})
    assert [code for code, *_ in project.check()] == []
    (project.root / ".gitignore").unlink()
    assert ("DPL101", ".python-version") in [(code, path) for code, path, *_ in project.check()]


@pytest.mark.parametrize(
    "name", ["Dockerfile", "dockerfile", "Dockerfile.prod", "Dockerfile-worker", "api.Dockerfile", "api.dockerfile", "Containerfile"]
)
def test_a_dockerfile_under_any_usual_name_is_judged(project, name):
    project.write({"requirements.txt": "flask\n", name: "FROM python:3.8-slim\n"})
    assert ("DPL101", name) in [(code, path) for code, path, *_ in project.check()]


@pytest.mark.parametrize("name", ["Dockerfile.md", "Dockerfile.template", "Dockerfile.j2", "Dockerfile.dockerignore", "Dockerfile.orig"])
def test_a_file_named_like_a_dockerfile_but_of_another_kind_is_not_read(project, name):
    # Docs, templates no builder reads as they stand, BuildKit's ignore file, merge leftovers.
    project.write({"requirements.txt": "flask\n", name: "FROM python:3.8-slim\n"})
    assert file_kind(name) is None
    assert project.check() == []


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_a_tracked_file_is_read_although_gitignore_matches_it(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    write_files(tmp_path, {".gitignore": "*.txt\nbuild/\n", "requirements.txt": "flask\n", "notes.txt": "", "build/requirements.txt": "x\n"})
    subprocess.run(["git", "add", "-f", "requirements.txt", ".gitignore"], cwd=tmp_path, check=True)
    # The committed requirements.txt reaches the platform; build/ is still left out.
    assert _walk(tmp_path) == ["requirements.txt"]
