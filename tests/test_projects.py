"""The precision corpus (issue 11): realistic projects, each with exactly the findings it must get.

Every directory in tests/projects/ is a small deployable app. Its EXPECTED.toml
lists every finding a careful engineer would write down ([[finding]]: code,
path, line) and the traps deploylint must not fall into ([[not]]: code, path).
The project is copied into a temporary directory, which becomes the workspace
root, and checked by the real CLI. benchmarks/precision.py runs the same and
prints precision and recall per rule.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import REPO

_spec = importlib.util.spec_from_file_location("deploylint_precision", REPO / "benchmarks" / "precision.py")
precision = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = precision  # dataclasses look the module up by name
_spec.loader.exec_module(precision)

NAMES = precision.project_names()
PLATFORMS = {
    "vercel", "nixpacks", "railpack", "heroku", "docker", "render",
    "netlify", "lambda", "app-engine", "github-actions", "none",
}


def test_corpus_is_large_and_covers_every_platform():
    assert len(NAMES) >= 40
    platforms = {precision.load_expected(name).platform for name in NAMES}
    assert platforms == PLATFORMS, f"not covered: {sorted(PLATFORMS - platforms)}"


@pytest.mark.parametrize("name", NAMES)
def test_expectation_is_well_formed(name):
    expected = precision.load_expected(name)
    project = precision.PROJECTS / name
    assert expected.description and expected.platform in PLATFORMS
    for code, path, line in expected.findings:
        assert (project / path).is_file(), f"[[finding]] names a missing file: {path}"
        assert line >= 1
    for code, path, _ in expected.traps:
        assert (project / path).is_file(), f"[[not]] names a missing file: {path}"
        clash = {(c, p) for c, p, _ in expected.findings} & {(code, path)}
        assert not clash, f"{code} {path} is both expected and a trap"


@pytest.mark.parametrize("name", NAMES)
def test_project_gets_exactly_its_expected_findings(name, tmp_path):
    expected = precision.load_expected(name)
    actual = precision.run_deploylint(precision.copy_project(name, tmp_path / name))
    hits = precision.trap_hits(expected, actual)
    assert actual == expected.findings and not hits, (
        f"{name}: {expected.description}\n" + precision.describe(expected, actual)
    )
