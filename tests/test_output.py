"""The output formats: SARIF against the official schema, and the others' shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import write_files
from test_cli import run

SCHEMA = Path(__file__).parent / "data" / "sarif-schema-2.1.0.json"
# A cross-file finding (numpy pinned in requirements.txt, Python set by the
# Dockerfile), a fix in a Python file, and a file name that needs escaping.
PROJECT = {
    "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
    "requirements.txt": "numpy==1.24.3\nwerkzeug\n",
    "my app/auth.py": "from werkzeug.security import safe_str_cmp\n\nsafe_str_cmp('a', 'b')\n",
}


@pytest.fixture
def sarif(tmp_path):
    write_files(tmp_path, PROJECT)
    result = run("check", ".", "--as-of", "2026-11-23", "--output-format", "sarif", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    return json.loads(result.stdout)


def test_sarif_validates_against_the_official_schema(sarif):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(sarif), key=str)
    assert errors == []


def test_sarif_carries_related_locations_and_fixes(sarif, tmp_path):
    [run_] = sarif["runs"]
    results = {r["ruleId"]: r for r in run_["results"]}
    pin = results["DPL302"]
    assert pin["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "requirements.txt"
    # Where the install comes from: the RUN line that installs the file, and the FROM that sets the Python.
    related = [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"]) for r in pin["relatedLocations"]]
    assert related == [("Dockerfile", 4), ("Dockerfile", 1)]
    rules = run_["tool"]["driver"]["rules"]
    assert rules[pin["ruleIndex"]]["id"] == "DPL302" and rules[pin["ruleIndex"]]["helpUri"].endswith("#dpl302-pin-incompatible-with-python")

    # The fix, applied as a SARIF consumer applies it, gives what --fix writes.
    removed = results["DPL401"]
    [fix] = removed["fixes"]
    [change] = fix["artifactChanges"]
    path = unquote(change["artifactLocation"]["uri"])
    assert path == "my app/auth.py"
    text = (tmp_path / path).read_text()
    for replacement in sorted(change["replacements"], key=lambda r: (r["deletedRegion"]["startLine"], r["deletedRegion"]["startColumn"]), reverse=True):
        region = replacement["deletedRegion"]
        start, end = _offset(text, region["startLine"], region["startColumn"]), _offset(text, region["endLine"], region["endColumn"])
        text = text[:start] + replacement["insertedContent"]["text"] + text[end:]
    subprocess.run([sys.executable, "-m", "deploylint", "check", ".", "--fix", "--unsafe-fixes", "--select", "DPL401"], cwd=tmp_path, capture_output=True)
    assert text == (tmp_path / path).read_text()


def _offset(text: str, line: int, column: int) -> int:
    lines = text.splitlines(keepends=True)
    return sum(len(item) for item in lines[: line - 1]) + column - 1


def test_text_shows_related_locations_and_concise_does_not(tmp_path):
    write_files(tmp_path, PROJECT)
    text = run("check", ".", "--as-of", "2026-11-23", cwd=tmp_path).stdout
    assert "requirements.txt:1:1: DPL302" in text and "\n    Dockerfile:1:" in text
    concise = run("check", ".", "--as-of", "2026-11-23", "--output-format", "concise", cwd=tmp_path).stdout
    assert "requirements.txt:1:1: DPL302" in concise and "    Dockerfile:1:" not in concise
    assert "\033[" not in text  # not a terminal: no colour


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    pty = pytest.importorskip("pty")
    write_files(tmp_path, PROJECT)

    def on_terminal(**extra):
        main, secondary = pty.openpty()
        command = [sys.executable, "-m", "deploylint", "check", ".", "--as-of", "2026-11-23"]
        env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"} | extra
        subprocess.run(command, cwd=tmp_path, stdout=secondary, stderr=subprocess.DEVNULL, env=env, timeout=120)
        os.close(secondary)
        chunks = []
        while True:
            try:
                chunk = os.read(main, 65536)
            except OSError:  # Linux reports the closed terminal as EIO
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.close(main)
        return b"".join(chunks).decode()

    assert "\033[31m" in on_terminal()
    assert "\033[" not in on_terminal(NO_COLOR="1")


def test_json_lines_github_statistics_and_output_file(tmp_path):
    write_files(tmp_path, PROJECT)
    lines = run("check", ".", "--as-of", "2026-11-23", "--output-format", "json-lines", cwd=tmp_path).stdout.splitlines()
    as_json = json.loads(run("check", ".", "--as-of", "2026-11-23", "--output-format", "json", cwd=tmp_path).stdout)
    assert [json.loads(line) for line in lines] == as_json

    github = run("check", ".", "--as-of", "2026-11-23", "--output-format", "github", cwd=tmp_path).stdout.splitlines()
    assert len(github) == len(as_json)
    annotation = next(line for line in github if "DPL302" in line)
    assert annotation.startswith("::error title=deploylint (DPL302),file=requirements.txt,line=1,col=1,endLine=1,")
    assert "%0ADockerfile:1:" in annotation  # the related location, on a new line of the annotation

    statistics = run("check", ".", "--as-of", "2026-11-23", "--statistics", cwd=tmp_path).stdout.splitlines()
    assert statistics == sorted(statistics, key=lambda line: -int(line.split("\t")[0]))
    assert any(line.split("\t")[1:] == ["DPL302", "    pin-incompatible-with-python"] for line in statistics)
    counted = json.loads(run("check", ".", "--as-of", "2026-11-23", "--statistics", "--output-format", "json", cwd=tmp_path).stdout)
    assert sum(row["count"] for row in counted) == len(as_json)

    result = run("check", ".", "--as-of", "2026-11-23", "--output-format", "sarif", "--output-file", "out/report.sarif", cwd=tmp_path)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((tmp_path / "out" / "report.sarif").read_text())["version"] == "2.1.0"


def test_show_fixes(tmp_path):
    write_files(tmp_path, PROJECT)
    shown = run("check", ".", "--as-of", "2026-11-23", "--show-fixes", "--unsafe-fixes", cwd=tmp_path).stdout
    assert "    fix: Remove the unused import" not in shown and "    fix: Use `hmac.compare_digest`" in shown
    fixed = run("check", ".", "--as-of", "2026-11-23", "--show-fixes", "--fix", "--unsafe-fixes", "--select", "DPL401", cwd=tmp_path).stdout
    assert fixed.startswith("Fixed 1 error:\n- my app/auth.py:\n    1 × DPL401 (removed-package-api)\n")
