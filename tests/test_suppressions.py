"""Suppression comments: where each form applies, and DPL003 for the unused ones."""

from __future__ import annotations

import pytest

from test_cli import run
from conftest import write_files

WERKZEUG = {"requirements.txt": "werkzeug\n"}
IMPORT = "from werkzeug.security import safe_str_cmp"


def _found(project, files, python=None):
    project.write(files)
    return [(code, path, line) for code, path, line, _ in project.check(python=python)]


@pytest.mark.parametrize(
    "comment",
    [
        "# deploylint: ignore[DPL401]",
        "# deploylint: ignore[DPL401] vendored: pinned by the platform",
        "# deploylint: ignore[dpl401, DPL402]",
        "# deploylint: ignore",
        "# noqa: DPL401",
        "# noqa: E501, DPL401",
        "# type: ignore  # deploylint: ignore[DPL401]",
    ],
)
def test_a_same_line_comment_suppresses_in_python(project, comment):
    found = _found(project, {**WERKZEUG, "app.py": f"{IMPORT}  {comment}\n"})
    assert [f for f in found if f[1] == "app.py"] == [] or all(f[0] == "DPL003" for f in found if f[1] == "app.py")
    assert ("DPL401", "app.py", 1) not in found


def test_a_comment_suppresses_only_its_own_line_and_codes(project):
    found = _found(project, {**WERKZEUG, "app.py": f"{IMPORT}  # deploylint: ignore[DPL402]\n{IMPORT} as eq\n"})
    assert ("DPL401", "app.py", 1) in found and ("DPL401", "app.py", 2) in found
    assert ("DPL003", "app.py", 1) in found


def test_a_directive_inside_a_string_is_not_a_comment(project):
    found = _found(project, {**WERKZEUG, "app.py": f'{IMPORT}; NOTE = "# deploylint: ignore[DPL401]"\n'})
    assert ("DPL401", "app.py", 1) in found


def test_a_bare_noqa_is_left_to_other_tools(project):
    found = _found(project, {**WERKZEUG, "app.py": f"{IMPORT}  # noqa\n"})
    assert ("DPL401", "app.py", 1) in found and not any(code == "DPL003" for code, _, _ in found)


def test_file_level_directive(project):
    text = f"# deploylint: ignore-file[DPL401] legacy module, removed next release\n{IMPORT}\n\n{IMPORT} as eq\n"
    found = _found(project, {**WERKZEUG, "app.py": text})
    assert [f for f in found if f[1] == "app.py"] == []


def test_dockerfile_comment_covers_the_next_instruction_whole(project):
    dockerfile = (
        "# deploylint: ignore[DPL201] the venv comes from the base image\n"
        "FROM python:3.12-slim\n"
        "RUN pip install \\\n    -r requirements.txt\n"
    )
    # No DPL201 here to suppress: the directive sits before FROM, so DPL003 says so.
    found = _found(project, {"Dockerfile": dockerfile, "requirements.txt": "flask\n"})
    assert ("DPL003", "Dockerfile", 1) in found
    found = _found(project, {"Dockerfile": "# deploylint: ignore[DPL101]\nFROM python:3.8-slim\nFROM python:3.8-slim AS second\n"})
    assert ("DPL101", "Dockerfile", 2) not in found and ("DPL101", "Dockerfile", 3) in found
    assert not any(code == "DPL003" for code, _, _ in found)


def test_dockerfile_shell_comment_after_a_command_covers_its_whole_instruction():
    from deploylint.suppressions import directives
    from deploylint.text import SourceText

    text = "FROM python:3.12-slim\nRUN pip install \\\n    flask  # deploylint: ignore[DPL201]\nRUN echo done\n"
    [directive] = directives(SourceText("Dockerfile", text))
    assert list(directive.lines) == [2, 3]


def test_toml_comment(project):
    files = {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "pip"]  # deploylint: ignore[DPL202]\n'}
    before = _found(project, {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "pip"]\n'})
    assert ("DPL202", "nixpacks.toml", 2) in before
    assert ("DPL202", "nixpacks.toml", 2) not in _found(project, files)


def test_requirements_and_yaml_comments(project):
    requirements = "opencv-python==4.8.0.76  # deploylint: ignore[DPL301] rebuilt in our wheelhouse\nnumpy>=2\n"
    assert not any(code == "DPL301" for code, _, _ in _found(project, {"requirements.txt": requirements}))
    workflow = "jobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: 3.10  # noqa: DPL105\n"
    found = _found(project, {".github/workflows/ci.yml": workflow})
    assert not any(code == "DPL105" for code, _, _ in found)


def test_unused_codes_are_reported_with_why(project):
    project.write({**WERKZEUG, "app.py": f"{IMPORT}  # deploylint: ignore[DPL401, DPL402, DPL999]\n"})
    [unused] = [d for code, _, _, d in project.check() if code == "DPL003"]
    assert unused.message == "Suppression that suppresses nothing: unused DPL402 (no DPL402 finding here), DPL999 (no such rule)"
    [unused] = [d for code, _, _, d in project.check(select=("DPL003", "DPL402")) if code == "DPL003"]
    assert "DPL401 (not enabled)" in unused.message


def test_fix_removes_unused_codes_and_keeps_the_rest(project):
    project.write({**WERKZEUG, "app.py": f"{IMPORT}  # deploylint: ignore[DPL401, DPL402] vendored\nimport os  # noqa: DPL402  # pylint: disable=unused-import\n"})
    project.fix(select=("DPL",), unsafe=False)
    assert (project.root / "app.py").read_text() == (
        f"{IMPORT}  # deploylint: ignore[DPL401] vendored\nimport os  # pylint: disable=unused-import\n"
    )


def test_an_unused_directive_is_reported_when_its_file_is_checked_alone(tmp_path):
    # The one-file fast path must not skip a file whose directive may be unused.
    write_files(tmp_path, {"app.py": "import os  # deploylint: ignore[DPL401]\n"})
    result = run("check", "app.py", cwd=tmp_path)
    assert result.returncode == 1 and "DPL003" in result.stdout
