"""Adopting deploylint on an old repository: `check --add-noqa` and `check --baseline FILE`."""

from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from conftest import REPO, write_files
from deploylint.parsing.toml import tomllib
from test_cli import run

AS_OF = ("--as-of", "2026-11-23")


def check(root: Path, *extra: str):
    """Findings of a check of `examples` under `root`, as (code, path, line); and the run."""
    result = run("check", "examples", *AS_OF, "--output-format", "json", *extra, cwd=root)
    assert result.returncode in (0, 1), result.stderr
    found = {
        (item["code"], Path(item["filename"]).relative_to(root.resolve()).as_posix(), item["location"]["row"])
        for item in json.loads(result.stdout)
    }
    return found, result


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the repository's examples/, the way a new user tries it."""
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    return tmp_path


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file but the content cache's, which check mode writes (tests/test_cache.py)."""
    files = {p.relative_to(root).as_posix(): p for p in sorted(root.rglob("*")) if p.is_file()}
    return {path: p.read_bytes() for path, p in files.items() if not path.startswith(".deploylint_cache/")}


def assert_every_file_parses(root: Path) -> None:
    """Each file as its own consumer reads it."""
    from dockerfile import parse_string

    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        text = path.read_text("utf-8")
        if path.suffix == ".json":
            json.loads(text)
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix in (".yml", ".yaml"):
            list(yaml.safe_load_all(text))
        elif path.suffix == ".py":
            ast.parse(text)
        elif path.name == "Dockerfile":
            assert parse_string(text)
        elif path.name.startswith("requirements"):
            for line in text.splitlines():
                line = line.split(" #")[0].strip()
                if line and not line.startswith("#"):
                    Requirement(line)


EXAMPLE_FINDINGS = 6  # examples/README.md: DPL104, DPL103, DPL303, DPL401, DPL301, DPL201


# -- --add-noqa -------------------------------------------------------------


def test_add_noqa_on_the_examples_leaves_a_clean_check_and_files_that_parse(root):
    before, _ = check(root)
    assert len(before) == EXAMPLE_FINDINGS
    original = snapshot(root)

    result = run("check", "examples", *AS_OF, "--add-noqa", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Added 4 suppression comments, and 2 codes to the per-file-ignores of .deploylint.toml." in result.stderr

    assert check(root)[0] == set()
    assert_every_file_parses(root)
    after = snapshot(root)
    # Comments where the findings are, one line each, nothing else touched.
    assert after["examples/vercel-incident/api/auth.py"] == original["examples/vercel-incident/api/auth.py"].replace(
        b"safe_str_cmp\n", b"safe_str_cmp  # deploylint: ignore[DPL401]\n"
    )
    assert b"opencv-python-headless==4.8.1.78  # deploylint: ignore[DPL301]\n" in after["examples/opencv-incident/requirements.txt"]
    assert b"werkzeug==1.0.1  # deploylint: ignore[DPL303]\n" in after["examples/vercel-incident/requirements.txt"]
    assert b'requirements_phi.txt"]  # deploylint: ignore[DPL201]\n' in after["examples/railway-incident/nixpacks.toml"]
    changed = {path for path in after if after[path] != original.get(path)}
    assert changed == {
        "examples/vercel-incident/api/auth.py",
        "examples/opencv-incident/requirements.txt",
        "examples/vercel-incident/requirements.txt",
        "examples/railway-incident/nixpacks.toml",
        ".deploylint.toml",
    }
    # JSON has no comments: pointers to the values, in a configuration created for them.
    ignores = tomllib.loads((root / ".deploylint.toml").read_text("utf-8"))["per-file-ignores"]
    assert ignores == {
        "examples/vercel-incident/vercel.json#/builds/0/use": ["DPL104"],
        "examples/vercel-incident/vercel.json#/builds/0/config/runtime": ["DPL103"],
    }


def test_after_add_noqa_a_new_mistake_is_the_only_finding(root):
    run("check", "examples", *AS_OF, "--add-noqa", cwd=root)
    with (root / "examples/opencv-incident/requirements.txt").open("a") as stream:
        stream.write("opencv-python==4.8.0.76\n")
    write_files(root, {"examples/vercel-incident/api/tokens.py": "from werkzeug.security import safe_str_cmp\n"})
    found, _ = check(root)
    assert found == {
        ("DPL301", "examples/opencv-incident/requirements.txt", 9),
        ("DPL401", "examples/vercel-incident/api/tokens.py", 1),
    }


def test_a_directive_add_noqa_wrote_is_reported_by_dpl003_once_the_mistake_is_gone(root):
    run("check", "examples", *AS_OF, "--add-noqa", cwd=root)
    requirements = root / "examples/opencv-incident/requirements.txt"
    requirements.write_text(requirements.read_text().replace("4.8.1.78", "4.10.0.84"))
    assert check(root)[0] == {("DPL003", "examples/opencv-incident/requirements.txt", 2)}
    run("check", "examples", *AS_OF, "--fix", cwd=root)
    assert requirements.read_text() == (REPO / "examples/opencv-clean/requirements.txt").read_text()


def test_add_noqa_puts_the_codes_of_one_line_in_one_directive(tmp_path):
    write_files(
        tmp_path,
        {
            "examples/.python-version": "3.12\n",
            "examples/requirements.txt": "werkzeug==3.0.1\n",
            "examples/app.py": "import imp; from werkzeug.security import safe_str_cmp\n",
        },
    )
    assert {code for code, _, _ in check(tmp_path)[0]} == {"DPL401", "DPL402"}
    run("check", "examples", *AS_OF, "--add-noqa", cwd=tmp_path)
    assert (tmp_path / "examples/app.py").read_text() == "import imp; from werkzeug.security import safe_str_cmp  # deploylint: ignore[DPL402, DPL401]\n"
    assert check(tmp_path)[0] == set()


def test_add_noqa_adds_a_code_to_the_directive_already_on_the_line(tmp_path):
    write_files(
        tmp_path,
        {
            "examples/.python-version": "3.12\n",
            "examples/requirements.txt": "werkzeug==3.0.1\n",
            "examples/app.py": "import imp; from werkzeug.security import safe_str_cmp  # noqa: DPL402 vendored\n",
        },
    )
    run("check", "examples", *AS_OF, "--add-noqa", cwd=tmp_path)
    assert (tmp_path / "examples/app.py").read_text().endswith("# noqa: DPL402, DPL401 vendored\n")
    assert check(tmp_path)[0] == set()


def test_add_noqa_in_a_dockerfile_comments_the_instruction_and_keeps_crlf(tmp_path):
    dockerfile = "FROM python:3.12-slim AS base\r\nRUN echo hi\r\n  FROM \\\r\n    python:3.7-slim\r\nCOPY . .\r\n"
    write_files(tmp_path, {"examples/Dockerfile": dockerfile, "examples/requirements.txt": "flask\n"})
    assert check(tmp_path)[0] == {("DPL101", "examples/Dockerfile", 4)}
    run("check", "examples", *AS_OF, "--add-noqa", cwd=tmp_path)
    # A comment line covers the next instruction, all its lines (suppressions.py).
    assert (tmp_path / "examples/Dockerfile").read_bytes() == (
        b"FROM python:3.12-slim AS base\r\nRUN echo hi\r\n  # deploylint: ignore[DPL101]\r\n  FROM \\\r\n    python:3.7-slim\r\nCOPY . .\r\n"
    )
    assert check(tmp_path)[0] == set()


def test_add_noqa_in_yaml_and_pyproject_keeps_the_configuration_in_place(tmp_path):
    pyproject = (
        '[project]\nname = "app"\ndependencies = ["werkzeug==1.0.1", "flask==2.3.3"]\n\n'
        '[tool.deploylint]\nselect = ["DPL"]  # all of it\n\n[tool.other]\nx = 1\n'
    )
    workflow = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/setup-python@v5\n        with:\n          python-version: 3.10\n"
    write_files(tmp_path, {"examples/pyproject.toml": pyproject, "examples/.github/workflows/ci.yml": workflow})
    # A configuration at the root: the entries would go there; here none are needed.
    write_files(tmp_path, {"pyproject.toml": pyproject.replace("werkzeug==1.0.1", "werkzeug==3.0.1")})
    assert {code for code, _, _ in check(tmp_path)[0]} == {"DPL303", "DPL105"}
    run("check", "examples", *AS_OF, "--add-noqa", cwd=tmp_path)
    assert "python-version: 3.10  # deploylint: ignore[DPL105]\n" in (tmp_path / "examples/.github/workflows/ci.yml").read_text()
    assert '"flask==2.3.3"]  # deploylint: ignore[DPL303]\n' in (tmp_path / "examples/pyproject.toml").read_text()
    assert not (tmp_path / ".deploylint.toml").exists()
    assert check(tmp_path)[0] == set()
    assert_every_file_parses(tmp_path / "examples")


def test_add_noqa_writes_json_pointers_into_an_existing_pyproject_section(tmp_path):
    shutil.copytree(REPO / "examples/vercel-incident", tmp_path / "examples")
    pyproject = '[project]\nname = "x"\n\n[tool.deploylint]\nignore = ["DPL303"]\n\n[tool.deploylint.per-file-ignores]\n"legacy/*.py" = ["DPL402"]\n\n[tool.black]\nline-length = 100\n'
    write_files(tmp_path, {"pyproject.toml": pyproject})
    run("check", "examples", *AS_OF, "--add-noqa", cwd=tmp_path)
    assert (tmp_path / "pyproject.toml").read_text() == pyproject.replace(
        '"legacy/*.py" = ["DPL402"]\n',
        '"legacy/*.py" = ["DPL402"]\n'
        '"examples/vercel.json#/builds/0/use" = ["DPL104"]\n'
        '"examples/vercel.json#/builds/0/config/runtime" = ["DPL103"]\n',
    )
    assert check(tmp_path)[0] == set()


@pytest.mark.parametrize("other", ["--fix", "--diff", "--baseline=b.json"])
def test_add_noqa_does_not_combine_with_fixing_or_a_baseline(root, other):
    result = run("check", "examples", "--add-noqa", other, cwd=root)
    assert result.returncode == 2 and "--add-noqa" in result.stderr
    assert not (root / ".deploylint.toml").exists() and not (root / "b.json").exists()


# Where a comment would change what the file says, the code is ignored in that file instead.


def _plan_one(path: str, text: str, line_text: str):
    from deploylint.add_noqa import plan
    from deploylint.diagnostics import Diagnostic, Span
    from deploylint.text import SourceText

    start = text.index(line_text)
    diagnostic = Diagnostic("DPL201", "made up", Span(path, start, start + len(line_text)))
    return plan([diagnostic], {path: SourceText(path, text)})


@pytest.mark.parametrize(
    "path, text, line_text",
    [
        # inside a block scalar: the comment would become part of the command
        (".github/workflows/ci.yml", "jobs:\n  a:\n    steps:\n      - run: |\n          python3 -m pip install x\n", "python3 -m pip"),
        # inside a TOML multi-line string
        ("nixpacks.toml", '[phases.install]\ncmds = ["""\npython3 -m pip install x\n"""]\n', "python3 -m pip"),
        # before a requirements line continuation: pip would no longer join the lines
        ("requirements.txt", "flask==3.0.0 \\\n    --hash=sha256:abc\n", "flask==3.0.0"),
        # inside a Python triple-quoted string
        ("app.py", 'SCRIPT = """\nimport imp\n"""\n', "import imp"),
    ],
)
def test_add_noqa_never_changes_what_a_file_says(path, text, line_text):
    planned = _plan_one(path, text, line_text)
    assert planned.new_texts == {} and planned.directives_added == 0
    assert planned.file_ignores == {f"/{path}" if "/" not in path else path: ["DPL201"]}


def test_add_noqa_config_edits_keep_the_rest_of_the_file():
    from deploylint.add_noqa import with_file_ignores

    entries = {"vercel.json#/builds/0/use": ["DPL104"], "legacy/*.py": ["DPL401"]}
    created = with_file_ignores(None, entries, in_pyproject=False)
    assert tomllib.loads(created) == {"per-file-ignores": {"vercel.json#/builds/0/use": ["DPL104"], "legacy/*.py": ["DPL401"]}}

    dedicated = 'select = ["DPL"]\r\n\r\n[per-file-ignores]\r\n"legacy/*.py" = [\r\n  "DPL402",\r\n]\r\n'
    edited = with_file_ignores(dedicated, entries, in_pyproject=False)
    # A code joins the key's array as it is written; a new key goes at the table's end; CRLF stays.
    assert edited == (
        'select = ["DPL"]\r\n\r\n[per-file-ignores]\r\n"legacy/*.py" = [\r\n  "DPL402", "DPL401",\r\n]\r\n'
        '"vercel.json#/builds/0/use" = ["DPL104"]\r\n'
    )

    pyproject = '[project]\nname = "x"\n\n[tool.deploylint]\nselect = ["DPL"]\n\n[tool.black]\nline-length = 100\n'
    edited = with_file_ignores(pyproject, entries, in_pyproject=True)
    assert edited == (
        '[project]\nname = "x"\n\n[tool.deploylint]\nselect = ["DPL"]\n\n[tool.deploylint.per-file-ignores]\n'
        '"vercel.json#/builds/0/use" = ["DPL104"]\n"legacy/*.py" = ["DPL401"]\n\n[tool.black]\nline-length = 100\n'
    )
    # Written inline, the table takes no new line: the entries are for the user to add.
    assert with_file_ignores('per-file-ignores = { "a.py" = ["DPL401"] }\n', entries, in_pyproject=False) is None


# -- --baseline -------------------------------------------------------------


def test_baseline_records_then_reports_only_new_findings(root):
    original = snapshot(root)
    found, result = check(root, "--baseline", "deploylint-baseline.json")
    assert found == set() and result.returncode == 0
    assert "recorded 6 findings in the baseline deploylint-baseline.json" in result.stderr
    recorded = json.loads((root / "deploylint-baseline.json").read_text())
    assert len(recorded["findings"]) == EXAMPLE_FINDINGS
    assert {entry["code"] for entry in recorded["findings"]} == {"DPL104", "DPL103", "DPL303", "DPL401", "DPL301", "DPL201"}
    # No comment anywhere: the files are as they were.
    assert {path: data for path, data in snapshot(root).items() if path != "deploylint-baseline.json"} == original
    assert_every_file_parses(root / "examples")

    found, result = check(root, "--baseline", "deploylint-baseline.json")
    assert found == set() and result.returncode == 0 and result.stderr == ""

    # Lines move above the recorded findings: they stay recorded.
    auth = root / "examples/vercel-incident/api/auth.py"
    auth.write_text('"""Token checks."""\n\nimport hmac\n\n' + auth.read_text())
    requirements = root / "examples/vercel-incident/requirements.txt"
    requirements.write_text("# pinned for the old API\n\n" + requirements.read_text())
    nixpacks = root / "examples/railway-incident/nixpacks.toml"
    nixpacks.write_text("# Railway\n" + nixpacks.read_text())
    found, _ = check(root, "--baseline", "deploylint-baseline.json")
    assert found == set()

    # A new mistake is the only finding.
    with (root / "examples/opencv-incident/requirements.txt").open("a") as stream:
        stream.write("opencv-python==4.8.0.76\n")
    found, result = check(root, "--baseline", "deploylint-baseline.json")
    assert found == {("DPL301", "examples/opencv-incident/requirements.txt", 9)} and result.returncode == 1


def test_baseline_counts_identical_findings(tmp_path):
    line = "from werkzeug.security import safe_str_cmp\n"
    write_files(tmp_path, {"examples/requirements.txt": "werkzeug==3.0.1\n", "examples/app.py": line * 2})
    check(tmp_path, "--baseline", "b.json")
    assert len(json.loads((tmp_path / "b.json").read_text())["findings"]) == 2
    (tmp_path / "examples/app.py").write_text("import os\n" + line * 3)
    found, _ = check(tmp_path, "--baseline", "b.json")
    assert found == {("DPL401", "examples/app.py", 4)}


def test_a_fixed_baselined_finding_is_said_to_be_gone(root):
    check(root, "--baseline", "b.json")
    auth = root / "examples/vercel-incident/api/auth.py"
    auth.write_text(auth.read_text().replace("from werkzeug.security import safe_str_cmp\n", ""))
    found, result = check(root, "--baseline", "b.json")
    assert found == set() and "1 finding recorded in b.json is gone" in result.stderr


def test_baseline_applies_to_what_fix_leaves(root):
    check(root, "--baseline", "b.json")
    with (root / "examples/opencv-incident/requirements.txt").open("a") as stream:
        stream.write("opencv-python==4.8.0.76\n")
    result = run("check", "examples", *AS_OF, "--fix", "--baseline", "b.json", "--output-format", "json", cwd=root)
    assert result.returncode == 1  # files changed
    assert json.loads(result.stdout) == []  # DPL303 is not fixable, but it is recorded


@pytest.mark.parametrize("content", ["not json", '{"findings": []}', '{"deploylint-baseline": 1, "findings": [1]}'])
def test_a_broken_baseline_is_a_usage_error(root, content):
    (root / "b.json").write_text(content)
    result = run("check", "examples", *AS_OF, "--baseline", "b.json", cwd=root)
    assert result.returncode == 2 and "b.json is not a deploylint baseline" in result.stderr


def test_a_fingerprint_ignores_the_line_a_message_quotes():
    from deploylint.baseline import fingerprints
    from deploylint.diagnostics import Diagnostic, Span
    from deploylint.text import SourceText

    before = SourceText("requirements.txt", "flask==2.3.3\nwerkzeug==1.0.1\n")
    after = SourceText("requirements.txt", "# web\nflask==2.3.3\n\nwerkzeug==1.0.1\n")

    def finding(file, line):
        start = file.text.index("werkzeug")
        return Diagnostic("DPL303", f"`werkzeug==1.0.1` contradicts `flask==2.3.3` (requirements.txt:{line}): pip cannot install both", Span(file.path, start, start + 15))

    [old] = fingerprints([finding(before, 1)], {before.path: before})
    [new] = fingerprints([finding(after, 2)], {after.path: after})
    assert old == new
    other = Diagnostic("DPL303", "`werkzeug==1.0.1` contradicts `flask==3.0.0` (requirements.txt:2): pip cannot install both", finding(after, 2).span)
    assert fingerprints([other], {after.path: after}) != [new]
