"""JSONTestSuite and toml-test, every file through the real CLI.

Each suite file becomes `<case>/vercel.json` (or nixpacks.toml, or
pyproject.toml) in a directory of its own, so one CLI run reads a whole suite
and each case is its own app. Invalid files must get DPL001, valid ones must
not, and nothing may crash (exit status 2).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deploylint.parsing.toml import tomllib

from conftest import shared_or_skip


def run_suite(root: Path, files: dict[str, Path], as_name: str) -> dict[str, set[str]]:
    for case, source in files.items():
        (root / case).mkdir()
        (root / case / as_name).write_bytes(source.read_bytes())
    result = subprocess.run(
        [sys.executable, "-m", "deploylint", "check", ".", "--output-format", "json"],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode in (0, 1), result.stderr[-3000:]
    codes: dict[str, set[str]] = {case: set() for case in files}
    for item in json.loads(result.stdout):
        case = Path(item["filename"]).resolve().relative_to(root.resolve()).parts[0]
        codes[case].add(item["code"])
    return codes


def test_json_suite_as_vercel_json(tmp_path):
    suite = shared_or_skip("corpus", "suites", "json")
    files = {path.stem: path for path in sorted(suite.glob("*.json"))}
    codes = run_suite(tmp_path, files, "vercel.json")
    missed = [case for case in files if case.startswith("n_") and "DPL001" not in codes[case]]
    wrongly = [case for case in files if case.startswith("y_") and "DPL001" in codes[case]]
    assert (missed, wrongly) == ([], [])
    assert len(files) > 300


def _toml_verdicts(suite: Path) -> dict[str, tuple[Path, bool]]:
    cases = {}
    for path in sorted(suite.rglob("*.toml")):
        data = path.read_bytes()
        try:
            tomllib.loads(data.decode("utf-8"))
            valid = True
        except (UnicodeDecodeError, tomllib.TOMLDecodeError):
            valid = False
        case = "_".join(path.relative_to(suite).with_suffix("").parts)
        cases[case] = (path, valid)
    return cases


@pytest.mark.parametrize("as_name", ["nixpacks.toml", "pyproject.toml"])
def test_toml_suite(tmp_path, as_name):
    suite = shared_or_skip("corpus", "suites", "toml")
    cases = _toml_verdicts(suite)
    codes = run_suite(tmp_path, {case: path for case, (path, _) in cases.items()}, as_name)
    missed = [case for case, (_, valid) in cases.items() if not valid and "DPL001" not in codes[case]]
    wrongly = [case for case, (_, valid) in cases.items() if valid and "DPL001" in codes[case]]
    assert (missed, wrongly) == ([], [])
    assert len(cases) > 700
