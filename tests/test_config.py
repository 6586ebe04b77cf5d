"""`[tool.deploylint]` / `.deploylint.toml`, layered under the command line as ruff layers them."""

from __future__ import annotations

import json

import pytest

from conftest import write_files
from test_cli import run

VERCEL = {
    "vercel.json": '{\n  "builds": [\n    {"src": "api/index.py", "use": "@vercel/python", "config": {"runtime": "python3.9"}}\n  ],\n  "functions": {"api/*.py": {"runtime": "python3.9"}}\n}\n',
    "requirements.txt": "flask\n",
    "api/index.py": "import imp\n",
}


def _codes(tmp_path, *args) -> list[tuple[str, str, int]]:
    result = run("check", ".", "--as-of", "2026-11-23", "--output-format", "json", *args, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    return sorted((i["code"], i["filename"].removeprefix(str(tmp_path.resolve()) + "/"), i["location"]["row"]) for i in json.loads(result.stdout))


def test_pyproject_ignore_and_per_file_ignores(tmp_path):
    write_files(tmp_path, VERCEL)
    everything = _codes(tmp_path)
    assert ("DPL402", "api/index.py", 1) in everything
    write_files(tmp_path, {"pyproject.toml": '[project]\nname = "app"\n\n[tool.deploylint]\nignore = ["DPL106"]\n\n[tool.deploylint.per-file-ignores]\n"api/*.py" = ["DPL4"]\n'})
    configured = _codes(tmp_path)
    assert not any(code == "DPL106" or path == "api/index.py" for code, path, _ in configured)
    assert set(configured) == {f for f in everything if f[0] != "DPL106" and f[1] != "api/index.py"}


def test_a_json_pointer_ignores_findings_under_that_value_only(tmp_path):
    write_files(tmp_path, VERCEL)
    vercel = [f for f in _codes(tmp_path) if f[1] == "vercel.json"]
    assert ("DPL103", "vercel.json", 3) in vercel
    write_files(tmp_path, {".deploylint.toml": '[per-file-ignores]\n"vercel.json#/builds/0/config/runtime" = ["DPL103"]\n'})
    after = [f for f in _codes(tmp_path) if f[1] == "vercel.json"]
    assert ("DPL103", "vercel.json", 3) not in after
    assert [f for f in vercel if f[2] != 3] == [f for f in after if f[2] != 3]  # the rest stays, line 5 included


def test_dedicated_file_wins_over_pyproject_and_the_command_line_wins_over_both(tmp_path):
    write_files(tmp_path, VERCEL)
    write_files(tmp_path, {
        "pyproject.toml": '[tool.deploylint]\nselect = ["DPL4"]\n',
        ".deploylint.toml": 'select = ["DPL1"]\nextend-select = ["DPL402"]\nignore = ["DPL106"]\n',
    })
    configured = {c for c, _, _ in _codes(tmp_path)}
    assert "DPL402" in configured and "DPL106" not in configured and not any(c.startswith("DPL3") for c in configured)
    assert {c for c, _, _ in _codes(tmp_path, "--select", "DPL402")} == {"DPL402"}  # --select starts afresh
    assert "DPL106" in {c for c, _, _ in _codes(tmp_path, "--select", "DPL")}  # the configured ignore went with it
    assert "DPL402" not in {c for c, _, _ in _codes(tmp_path, "--ignore", "DPL4")}  # --ignore stacks on top
    assert "DPL106" in {c for c, _, _ in _codes(tmp_path, "--extend-select", "DPL106")}


def test_python_and_platforms_settings(tmp_path):
    write_files(tmp_path, {"Dockerfile": "FROM python:3.11-slim\n", "vercel.json": "{}\n", "requirements.txt": "flask\n", "app.py": "import imp\n"})
    assert "DPL402" in {c for c, _, _ in _codes(tmp_path)}  # Vercel's default Python lacks imp; Docker's 3.11 has it
    write_files(tmp_path, {".deploylint.toml": 'platforms = ["docker"]\n'})
    assert "DPL402" not in {c for c, _, _ in _codes(tmp_path)}
    write_files(tmp_path, {".deploylint.toml": 'python = "3.12"\n'})
    assert "DPL402" in {c for c, _, _ in _codes(tmp_path)}
    assert "DPL402" not in {c for c, _, _ in _codes(tmp_path, "--python", "3.11")}


def test_unsafe_fixes_setting_shows_unsafe_fixes_as_fixable(tmp_path):
    write_files(tmp_path, {"requirements.txt": "werkzeug\n", "app.py": "from werkzeug.security import safe_str_cmp\nsafe_str_cmp('a', 'b')\n"})
    assert "[*]" not in run("check", ".", cwd=tmp_path).stdout
    write_files(tmp_path, {".deploylint.toml": "unsafe-fixes = true\n"})
    assert "DPL401 [*]" in run("check", ".", cwd=tmp_path).stdout
    assert "DPL401 [*]" not in run("check", ".", "--no-unsafe-fixes", cwd=tmp_path).stdout


@pytest.mark.parametrize(
    "config, message",
    [
        ('selekt = ["DPL1"]\n', "unknown key `selekt`; did you mean `select`?"),
        ('[per-file-ignores]\n"a.py" = ["E501"]\n', "'E501', which is not a rule code"),
        ("python = 3.12\n", "`python` must be a version string"),
        ('platforms = ["heroku", "fly"]\n', "unknown platform `fly`"),
        ("unsafe-fixes = 1\n", "`unsafe-fixes` must be true or false"),
        ("select = \n", "not valid TOML"),
        ('[per-file-ignores]\n"vercel.json#builds" = ["DPL103"]\n', "starts with /"),
    ],
)
def test_configuration_mistakes_are_usage_errors_that_name_the_key(tmp_path, config, message):
    write_files(tmp_path, {".deploylint.toml": config, "app.py": "import os\n"})
    for args in ((".",), ("app.py",)):  # the one-file fast path reads the configuration too
        result = run("check", *args, cwd=tmp_path)
        assert result.returncode == 2 and message in result.stderr, result.stderr


def test_unknown_key_in_pyproject_names_the_table(tmp_path):
    write_files(tmp_path, {"pyproject.toml": '[tool.deploylint]\nper_file_ignores = {}\n'})
    result = run("check", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert "[tool.deploylint]: unknown key `per_file_ignores`; did you mean `per-file-ignores`?" in result.stderr


def test_config_option_names_the_file(tmp_path):
    write_files(tmp_path, {"ci/deploylint.toml": 'ignore = ["DPL402"]\n', "app.py": "import imp\n"})
    assert "DPL402" in {c for c, _, _ in _codes(tmp_path, "--python", "3.12")}
    assert "DPL402" not in {c for c, _, _ in _codes(tmp_path, "--python", "3.12", "--config", "ci/deploylint.toml")}
