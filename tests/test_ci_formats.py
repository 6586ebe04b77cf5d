"""The CI report formats: GitLab Code Quality, JUnit XML, pylint lines and reviewdog's rdjson.

Each is read the way its consumer reads it: GitLab's own schema for Code
Quality entries, a JUnit reader, and rdjson's schema plus its suggestions
applied as reviewdog's reporters apply them (UTF-8 byte columns, exclusive
ends).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import read_files, write_files

DATA = Path(__file__).parent / "data"
WORKFLOW_JOB = """\
  {name}:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/setup-python@v5
        with:
          python-version: 3.10 # é
"""
# Safe fixes in four kinds of file, an unsafe one on a line with non-ASCII
# text before the edit, a cross-file finding, and two findings alike in every
# way but their line (the same workflow job written twice).
PROJECT = {
    "Dockerfile": "FROM python:3.11-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
    "requirements.txt": "opencv-python-headless==4.8.1.78\nwerkzeug\n",
    "my app/auth.py": "# café\nfrom werkzeug.security import safe_str_cmp\n\nok = ('é', safe_str_cmp('a', 'b'))\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n" + WORKFLOW_JOB.format(name="a") + WORKFLOW_JOB.format(name="b"),
    "rail/nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311"]\n\n[phases.install]\ncmds = ["python3 -m pip install -r requirements.txt"]\n',
    "rail/requirements.txt": "fastapi\n",
}
SEVERITIES = {"info", "minor", "major", "critical", "blocker"}  # GitLab's documented severities


def report(directory: Path, output_format: str, *extra: str, env: dict | None = None, expect: int = 1) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "deploylint", "check", ".", "--as-of", "2026-11-23", "--output-format", output_format, *extra],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )
    assert result.returncode == expect, result.stderr
    return result.stdout


def as_json(directory: Path, *extra: str) -> list[dict]:
    return json.loads(report(directory, "json", *extra))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write_files(tmp_path, PROJECT)
    return tmp_path


def test_gitlab_validates_against_gitlabs_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "gitlab-codeclimate.json").read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    entries = json.loads(report(project, "gitlab"))
    findings = as_json(project)
    assert isinstance(entries, list) and len(entries) == len(findings) == 5
    for entry in entries:
        assert list(jsonschema.Draft7Validator(schema).iter_errors(entry)) == []
    # What GitLab's documentation asks beyond the schema: a rule name, a known
    # severity, a repository-relative path, a line; and (as GitLab keys the
    # entries by it) a fingerprint of its own for each finding.
    for entry, finding in zip(entries, findings):
        assert entry["check_name"] == finding["code"] and entry["severity"] in SEVERITIES
        assert entry["description"] == f"{finding['code']}: {finding['message']}"
        path = entry["location"]["path"]
        assert not path.startswith(("/", "./")) and (project / path).resolve() == Path(finding["filename"]).resolve()
        assert entry["location"]["positions"]["begin"] == {"line": finding["location"]["row"], "column": finding["location"]["column"]}
    assert len({entry["fingerprint"] for entry in entries}) == len(entries)
    assert sum(entry["check_name"] == "DPL105" for entry in entries) == 2  # alike but for their line, yet told apart


def test_gitlab_fingerprints_survive_line_moves_and_a_new_finding_is_new(project):
    def fingerprints() -> dict[str, tuple[str, int]]:
        entries = json.loads(report(project, "gitlab"))
        return {e["fingerprint"]: (e["location"]["path"], e["location"]["positions"]["begin"]["line"]) for e in entries}

    before = fingerprints()
    for name, header in [("requirements.txt", "# pinned by ops\n\n"), ("my app/auth.py", '"""Auth."""\n\n'), (".github/workflows/ci.yml", "# CI\nname: ci\n")]:
        path = project / name
        path.write_text(header + path.read_text(encoding="utf-8"), encoding="utf-8")
    after = fingerprints()
    assert after.keys() == before.keys()
    assert all(after[key][1] == line + 2 for key, (path, line) in before.items() if path != "rail/nixpacks.toml")

    # Another finding of the same rule in the same file: the old ones keep their fingerprints.
    requirements = project / "requirements.txt"
    requirements.write_text(requirements.read_text(encoding="utf-8") + "opencv-python==4.8.1.78\n", encoding="utf-8")
    grown = fingerprints()
    assert after.keys() < grown.keys() and len(grown) == len(after) + 1
    [(path, _)] = [grown[key] for key in grown.keys() - after.keys()]
    assert path == "requirements.txt"


def test_gitlab_paths_are_relative_to_the_checked_out_repository(project):
    app = project / "my app"
    alone = json.loads(report(app, "gitlab"))
    assert [e["location"]["path"] for e in alone] == ["auth.py"]  # the workspace is `my app`, no .git above it
    in_ci = json.loads(report(app, "gitlab", env={"CI_PROJECT_DIR": str(project)}))
    assert [e["location"]["path"] for e in in_ci] == ["my app/auth.py"]
    assert in_ci[0]["fingerprint"] == alone[0]["fingerprint"]


def test_junit_parses_in_a_junit_reader(project):
    junitparser = pytest.importorskip("junitparser")

    class LocatedCase(junitparser.TestCase):
        """junitparser's documented way to read the attributes beyond JUnit's own."""

        file = junitparser.Attr()
        line = junitparser.IntAttr()

    xml = junitparser.JUnitXml.fromstring(report(project, "junit"))
    findings = as_json(project)
    suites = list(xml)
    paths = [Path(f["filename"]).relative_to(project.resolve()).as_posix() for f in findings]
    assert [suite.name for suite in suites] == list(dict.fromkeys(paths))
    assert xml.tests == xml.failures == len(findings) and xml.errors == 0
    cases = [(suite.name, LocatedCase.fromelem(case)) for suite in suites for case in suite]
    assert len(cases) == len(findings)
    for (suite_name, case), finding, path in zip(cases, findings, paths):
        assert suite_name == path and case.file == path and case.line == finding["location"]["row"]
        [failure] = case.result
        assert isinstance(failure, junitparser.Failure)
        assert failure.type == finding["code"] and failure.message == finding["message"]
        assert failure.text.startswith(f"{path}:{finding['location']['row']}:{finding['location']['column']}: {finding['code']} ")
    names = [case.name for _, case in cases]
    assert len(set(names)) == len(names)  # the two DPL105 findings are two tests
    assert "DPL105 python-version-as-float (8:27)" in names
    dpl301 = next(case for _, case in cases if case.name.startswith("DPL301"))
    assert "\n    Dockerfile:1:6: " in dpl301.result[0].text  # the cross-file finding's other half


def test_empty_reports_are_still_documents(tmp_path):
    junitparser = pytest.importorskip("junitparser")
    write_files(tmp_path, {"app.py": "print('hello')\n", "requirements.txt": "flask\n"})
    xml = junitparser.JUnitXml.fromstring(report(tmp_path, "junit", expect=0))
    [suite] = list(xml)
    [case] = list(suite)
    assert case.is_passed and xml.tests == 1 and xml.failures == 0
    assert json.loads(report(tmp_path, "gitlab", expect=0)) == []
    assert json.loads(report(tmp_path, "rdjson", expect=0))["diagnostics"] == []
    assert report(tmp_path, "pylint", expect=0) == ""
    # pre-commit's path: only files that cannot hold a finding, named on the command line.
    quick = subprocess.run(
        [sys.executable, "-m", "deploylint", "check", "app.py", "--output-format", "junit"], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert quick.returncode == 0 and list(junitparser.JUnitXml.fromstring(quick.stdout))


def test_pylint_is_one_line_a_finding(project):
    findings = as_json(project)
    expected = [
        f"{Path(f['filename']).relative_to(project.resolve()).as_posix()}:{f['location']['row']}: [{f['code']}] {f['message']}" for f in findings
    ]
    assert report(project, "pylint").splitlines() == expected
    assert expected[0].startswith(".github/workflows/ci.yml:8: [DPL105] `python-version: 3.10`")
    # Relative to the current directory, as the text format is.
    [nixpacks] = [line for line in expected if line.startswith("rail/nixpacks.toml:5: [DPL201] ")]
    assert report(project / "rail", "pylint").splitlines() == [nixpacks.removeprefix("rail/")]


def test_rdjson_validates_against_reviewdogs_schema(project):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((DATA / "rdjson-DiagnosticResult.json").read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    result = json.loads(report(project, "rdjson", "--unsafe-fixes"))
    assert list(jsonschema.Draft4Validator(schema).iter_errors(result)) == []
    assert result["source"]["name"] == "deploylint"
    findings = as_json(project)
    assert [d["code"]["value"] for d in result["diagnostics"]] == [f["code"] for f in findings]
    opencv = next(d for d in result["diagnostics"] if d["code"]["value"] == "DPL301")
    assert opencv["severity"] == "ERROR" and opencv["code"]["url"].endswith("#dpl301-numpy2-abi-break")
    assert opencv["location"] == {"path": "requirements.txt", "range": {"start": {"line": 1, "column": 1}, "end": {"line": 1, "column": 33}}}
    assert [r["location"]["path"] for r in opencv["related_locations"]] == ["Dockerfile", "Dockerfile"]


def test_rdjson_suggestions_applied_as_reviewdog_does_give_what_fix_writes(project, tmp_path_factory):
    result = json.loads(report(project, "rdjson", "--unsafe-fixes"))
    fixed = tmp_path_factory.mktemp("fixed")
    shutil.copytree(project, fixed, dirs_exist_ok=True)
    report(fixed, "text", "--fix", "--unsafe-fixes")

    by_path: dict[str, list[dict]] = {}
    for diagnostic in result["diagnostics"]:
        by_path.setdefault(diagnostic["location"]["path"], []).extend(diagnostic.get("suggestions", []))
    assert all(d.get("suggestions") for d in result["diagnostics"])  # every finding here has a fix
    for path, suggestions in by_path.items():
        target = project / path
        target.write_bytes(_apply(target.read_bytes(), suggestions))
    assert read_files(project) == read_files(fixed)
    assert "ok = ('é', hmac.compare_digest('a', 'b'))" in (project / "my app" / "auth.py").read_text(encoding="utf-8")


def _apply(data: bytes, suggestions: list[dict]) -> bytes:
    """A suggestion replaces [start, end) with its text; columns count UTF-8 bytes."""
    starts = [0] + [index + 1 for index, byte in enumerate(data) if byte == ord("\n")]

    def offset(position: dict) -> int:
        return starts[position["line"] - 1] + position["column"] - 1

    for suggestion in sorted(suggestions, key=lambda s: offset(s["range"]["start"]), reverse=True):
        start, end = offset(suggestion["range"]["start"]), offset(suggestion["range"]["end"])
        data = data[:start] + suggestion["text"].encode("utf-8") + data[end:]
    return data


def test_rdjson_suggests_only_what_fix_would_apply_and_never_half_a_fix(project):
    result = json.loads(report(project, "rdjson"))
    suggested = {d["code"]["value"] for d in result["diagnostics"] if d.get("suggestions")}
    assert suggested == {"DPL105", "DPL201", "DPL301"}  # DPL401's fix is unsafe: not without --unsafe-fixes

    # vercel.json's ignored runtime: the fix removes it there and writes .python-version.
    vercel = {
        "vercel.json": '{\n  "builds": [{"src": "api/index.py", "use": "@vercel/python", "config": {"runtime": "python3.9"}}]\n}\n',
        "api/index.py": "from flask import Flask\napp = Flask(__name__)\n",
        "requirements.txt": "flask\n",
    }
    (project / "requirements.txt").unlink()
    shutil.rmtree(project / "my app")
    write_files(project, vercel)
    findings = {f["code"]: f for f in as_json(project)}
    assert {Path(e["filename"]).name for e in findings["DPL103"]["fix"]["edits"]} == {"vercel.json", ".python-version"}
    runtime = next(d for d in json.loads(report(project, "rdjson"))["diagnostics"] if d["code"]["value"] == "DPL103")
    assert "suggestions" not in runtime


def test_gitlab_fingerprint_ignores_the_lines_a_message_names(tmp_path):
    write_files(tmp_path, {"requirements.txt": "flask==2.3.3\nflask==2.2.0\n"})
    [before] = json.loads(report(tmp_path, "gitlab", "--select", "DPL303"))
    (tmp_path / "requirements.txt").write_text("# the web app\nflask==2.3.3\nflask==2.2.0\n", encoding="utf-8")
    [after] = json.loads(report(tmp_path, "gitlab", "--select", "DPL303"))
    assert "(requirements.txt:1)" in before["description"] and "(requirements.txt:2)" in after["description"]
    assert after["fingerprint"] == before["fingerprint"]


def test_junit_stays_readable_when_a_path_holds_what_xml_cannot(tmp_path):
    junitparser = pytest.importorskip("junitparser")
    app = "app\x01"  # a legal directory name; XML 1.0 has no way to write the character
    write_files(tmp_path, {f"{app}/Dockerfile": "FROM python:3.12-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n", f"{app}/requirements.txt": "numpy==1.24.3\n"})
    [suite] = list(junitparser.JUnitXml.fromstring(report(tmp_path, "junit")))
    assert suite.name == "app\ufffd/requirements.txt"


def test_readme_gitlab_job_writes_the_report_it_uploads():
    yaml = pytest.importorskip("yaml")
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = readme.split("# .gitlab-ci.yml\n", 1)[1].split("```", 1)[0]
    job = yaml.safe_load(block)["deploylint"]
    command = job["script"][-1].split()
    assert command[:2] == ["deploylint", "check"] and command[command.index("--output-format") + 1] == "gitlab"
    assert command[command.index("--output-file") + 1] == job["artifacts"]["reports"]["codequality"]
