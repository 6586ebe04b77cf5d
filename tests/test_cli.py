"""The real CLI, as a subprocess, on copies of the bundled examples."""

from __future__ import annotations

import datetime
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, read_files, write_files

INCIDENTS = {
    "vercel-incident": {
        ("DPL104", "vercel.json", 6),
        ("DPL103", "vercel.json", 7),
        ("DPL303", "requirements.txt", 2),
        ("DPL401", "api/auth.py", 2),
    },
    "opencv-incident": {("DPL301", "requirements.txt", 2)},
    "railway-incident": {("DPL201", "nixpacks.toml", 5)},
}
CLEAN = ["vercel-clean", "opencv-clean", "railway-clean"]


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploylint", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def findings(directory: Path, *extra: str) -> set[tuple[str, str, int]]:
    result = run("check", ".", "--as-of", "2026-11-23", "--output-format", "json", *extra, cwd=directory)
    assert result.returncode in (0, 1), result.stderr
    return {
        (item["code"], Path(item["filename"]).relative_to(directory.resolve()).as_posix(), item["location"]["row"])
        for item in json.loads(result.stdout)
    }


@pytest.fixture
def examples(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(REPO / "examples", target)
    return target


@pytest.mark.parametrize("name", sorted(INCIDENTS))
def test_incident_is_reported_at_the_right_lines(examples, name):
    assert findings(examples / name) == INCIDENTS[name]


@pytest.mark.parametrize("name", CLEAN)
def test_clean_twin_has_no_finding(examples, name):
    result = run("check", ".", "--as-of", "2026-11-23", cwd=examples / name)
    assert result.returncode == 0, result.stdout
    assert "All checks passed!" in result.stdout


@pytest.mark.parametrize("name", sorted(INCIDENTS))
def test_fix_with_unsafe_fixes_repairs_the_incident(examples, name):
    directory = examples / name
    result = run("check", ".", "--fix", "--unsafe-fixes", "--as-of", "2026-11-23", cwd=directory)
    assert result.returncode == 1, result.stderr  # files changed
    assert findings(directory) == set()
    before = read_files(directory)
    again = run("check", ".", "--fix", "--unsafe-fixes", "--as-of", "2026-11-23", cwd=directory)
    assert again.returncode == 0 and read_files(directory) == before


def test_check_and_diff_write_nothing(examples):
    before = read_files(examples)
    assert run("check", ".", cwd=examples).returncode == 1
    diff = run("check", ".", "--diff", "--unsafe-fixes", cwd=examples)
    assert diff.returncode == 1
    assert "+numpy<2" in diff.stdout and "-from werkzeug.security import safe_str_cmp" in diff.stdout
    assert read_files(examples) == before  # all but the cache (tests/test_cache.py)


def test_safe_fix_leaves_unsafe_ones(examples):
    directory = examples / "vercel-incident"
    run("check", ".", "--fix", cwd=directory)
    assert findings(directory) == {("DPL303", "requirements.txt", 2)}
    assert (directory / ".python-version").read_text() == "3.12\n"


def test_text_output_and_summary(examples):
    result = run("check", "vercel-incident", "--as-of", "2026-11-23", cwd=examples)
    assert "vercel-incident/vercel.json:7:19: DPL103 [*] `builds[0].config.runtime` is ignored" in result.stdout
    assert "[*] 3 fixable with the `--fix` option." in result.stdout
    assert "(1 hidden fix can be enabled with the `--unsafe-fixes` option.)" in result.stdout


def test_json_output_has_ruffs_shape(examples):
    result = run("check", "opencv-incident", "--output-format", "json", cwd=examples)
    (item,) = json.loads(result.stdout)
    assert set(item) >= {"code", "message", "filename", "location", "end_location", "fix", "url", "noqa_row", "cell"}
    assert item["location"] == {"row": 2, "column": 1}
    assert item["fix"]["applicability"] == "safe"
    (edit,) = item["fix"]["edits"]
    assert edit["content"] == "<2" and edit["location"] == {"row": 8, "column": 6}  # the bare `numpy` line


def test_pre_commit_style_single_file_still_sees_the_whole_app(examples):
    # Only api/auth.py is passed, as pre-commit would; the requirements that
    # decide DPL401 are read all the same, and other files' findings stay out.
    directory = examples / "vercel-incident"
    result = run("check", "api/auth.py", "--output-format", "json", cwd=directory)
    assert [(i["code"], i["location"]["row"]) for i in json.loads(result.stdout)] == [("DPL401", 2)]


def test_select_and_ignore(examples):
    directory = examples / "vercel-incident"
    assert {c for c, _, _ in findings(directory, "--select", "DPL1")} == {"DPL103", "DPL104"}
    assert {c for c, _, _ in findings(directory, "--ignore", "DPL1,DPL303")} == {"DPL401"}


def test_exit_zero(examples):
    assert run("check", ".", "--exit-zero", cwd=examples).returncode == 0


def test_usage_errors_exit_2(tmp_path):
    assert run("check", "missing-dir", cwd=tmp_path).returncode == 2
    assert run("check", "--select", "E501", cwd=tmp_path).returncode == 2
    assert run("check", "--python", "three", cwd=tmp_path).returncode == 2
    assert run("rule", "DPL999", cwd=tmp_path).returncode == 2


def test_bad_input_is_a_finding_not_a_crash(tmp_path):
    write_files(tmp_path, {"vercel.json": '{"builds": [1,]}', "nixpacks.toml": "cmds = [", "requirements.txt": "numpy==\n"})
    (tmp_path / "Dockerfile").write_bytes(b"\xff\xfeF\x00R\x00")
    result = run("check", ".", "--output-format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert sorted(i["code"] for i in json.loads(result.stdout)) == ["DPL001"] * 4


def test_rule_and_rules_commands(tmp_path):
    result = run("rule", "DPL401", cwd=tmp_path)
    assert result.returncode == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Fix safety", "## References"):
        assert section in result.stdout
    listing = run("rules", cwd=tmp_path).stdout
    assert "DPL201  pip-on-nix-python" in listing


def test_fix_keeps_crlf_and_bom(tmp_path):
    (tmp_path / "requirements.txt").write_bytes(b"\xef\xbb\xbfflask==3.0.0\r\nopencv-python==4.8.0.76\r\n")
    assert run("check", ".", "--fix", cwd=tmp_path).returncode == 1
    assert (tmp_path / "requirements.txt").read_bytes() == b"\xef\xbb\xbfflask==3.0.0\r\nopencv-python==4.8.0.76\r\nnumpy<2\r\n"


@pytest.mark.parametrize(("bom", "encoding"), [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")])
def test_utf16_requirements_are_judged_and_fixed_in_their_own_encoding(tmp_path, bom, encoding):
    # PowerShell's `pip freeze > requirements.txt` writes UTF-16 LE with a BOM; pip decodes it.
    (tmp_path / "requirements.txt").write_bytes(bom + "flask==3.0.0\r\nopencv-python==4.8.0.76\r\n".encode(encoding))
    result = run("check", ".", cwd=tmp_path)
    assert "requirements.txt:2:1: DPL301" in result.stdout and "DPL001" not in result.stdout
    assert run("check", ".", "--fix", cwd=tmp_path).returncode == 1
    expected = bom + "flask==3.0.0\r\nopencv-python==4.8.0.76\r\nnumpy<2\r\n".encode(encoding)
    assert (tmp_path / "requirements.txt").read_bytes() == expected


def test_fix_keeps_a_python_files_declared_encoding(tmp_path):
    source = '# -*- coding: latin-1 -*-\nfrom werkzeug.security import safe_str_cmp\nNAME = "café"\n'
    (tmp_path / "app.py").write_bytes(source.encode("latin-1"))
    assert run("check", ".", "--fix", cwd=tmp_path).returncode == 1
    assert (tmp_path / "app.py").read_bytes() == '# -*- coding: latin-1 -*-\nNAME = "café"\n'.encode("latin-1")


def test_undecodable_file_is_located_at_the_bad_byte(tmp_path):
    (tmp_path / "requirements.txt").write_bytes(b"flask\nnum\xffpy\n")
    result = run("check", ".", cwd=tmp_path)
    assert "requirements.txt:2:4: DPL001 invalid UTF-8" in result.stdout


def test_pathological_inputs_end_as_findings_not_crashes(tmp_path):
    depth = 100_000
    write_files(
        tmp_path,
        {
            "deep/app.py": "import werkzeug\nwerkzeug.secure_filename\nx = " + "(" * depth + ")" * depth + "\n",
            "deep/vercel.json": "[" * depth + "]" * depth,
            "deep/pyproject.toml": "a = " + "[" * depth + "]" * depth + "\n",
            "nan/vercel.json": '{"builds": NaN}',
            "types/vercel.json": '{"builds": [{"use": 3, "config": "x"}]}',
            "types/nixpacks.toml": '[phases.install]\ncmds = "pip install -r requirements.txt"\nnixPkgs = ["python311", 3]\n',
            "types/pyproject.toml": '[project]\ndependencies = "flask"\nrequires-python = 3\n',
        },
    )
    (tmp_path / "nul").mkdir()
    (tmp_path / "nul" / "requirements.txt").write_bytes(b"flask\x00\n")
    (tmp_path / "big").mkdir()
    (tmp_path / "big" / "requirements.txt").write_bytes(b"flask\n" * (2 * 1024 * 1024))  # 12 MiB
    result = run("check", ".", "--output-format", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    found = sorted((i["code"], Path(i["filename"]).relative_to(tmp_path.resolve()).as_posix()) for i in json.loads(result.stdout))
    assert found == [
        ("DPL001", "big/requirements.txt"),
        ("DPL001", "deep/app.py"),
        ("DPL001", "deep/pyproject.toml"),
        ("DPL001", "nan/vercel.json"),
        ("DPL001", "nul/requirements.txt"),
        ("DPL002", "deep/vercel.json"),  # valid JSON, but not an object
        ("DPL002", "types/nixpacks.toml"),
        ("DPL002", "types/nixpacks.toml"),
        ("DPL002", "types/pyproject.toml"),
        ("DPL002", "types/pyproject.toml"),
        ("DPL002", "types/vercel.json"),
        ("DPL002", "types/vercel.json"),
    ]


def test_check_mode_marks_python_fixes_without_loading_libcst_and_json_builds_them(tmp_path):
    # libcst costs more than a whole-tree scan; text output needs only to know
    # that a fix exists, JSON output shows its edits.
    write_files(tmp_path, {"requirements.txt": "werkzeug\n", "app.py": "from werkzeug.security import safe_str_cmp\n\nsafe_str_cmp('a', 'b')\n"})
    probe = "import sys; from deploylint.cli import main; code = main(sys.argv[1:]); print('libcst' in sys.modules, file=sys.stderr); sys.exit(code)"

    def run_probe(*args):
        return subprocess.run([sys.executable, "-c", probe, "check", ".", *args], cwd=tmp_path, capture_output=True, text=True, timeout=120)

    text = run_probe("--unsafe-fixes")
    assert "DPL401 [*]" in text.stdout and text.stderr.strip() == "False"
    output = run_probe("--output-format", "json")
    assert output.stderr.strip() == "True"
    [item] = json.loads(output.stdout)
    assert item["fix"]["message"] == "Use `hmac.compare_digest`"
    assert {edit["content"] for edit in item["fix"]["edits"]} == {"import hmac\n\nhmac.compare_digest"}


def test_a_file_named_on_the_command_line_is_checked_even_if_gitignored(tmp_path):
    write_files(tmp_path, {".gitignore": "*.txt\nlegacy.py\n", "requirements.txt": "opencv-python==4.8.0.76\nnumpy>=2\n", "legacy.py": "import imp\n"})
    assert run("check", ".", "--python", "3.12", cwd=tmp_path).returncode == 0
    named = run("check", "requirements.txt", "legacy.py", "--python", "3.12", "--output-format", "json", cwd=tmp_path)
    assert sorted(item["code"] for item in json.loads(named.stdout)) == ["DPL301", "DPL402"]


def test_old_knowledge_warns_once_on_stderr_without_changing_the_exit_status(tmp_path):
    from deploylint.knowledge import knowledge

    (tmp_path / "requirements.txt").write_text("flask==3.0.3\n")
    checked = datetime.date.fromisoformat(knowledge().as_of)
    fresh = run("check", ".", "--as-of", (checked + datetime.timedelta(days=180)).isoformat(), cwd=tmp_path)
    assert fresh.returncode == 0 and "warning" not in fresh.stderr
    old = run("check", ".", "--as-of", (checked + datetime.timedelta(days=181)).isoformat(), cwd=tmp_path)
    assert old.returncode == 0 and old.stdout == fresh.stdout
    [line] = old.stderr.splitlines()
    assert "181 days old" in line and "upgrade deploylint" in line


@pytest.mark.parametrize("config", [None, '[tool.deploylint]\nignore = ["DPL3"]\n'])
def test_the_one_file_fast_path_loads_only_what_it_needs(tmp_path, config):
    # pre-commit starts deploylint on every commit: an ordinary module is ruled out by the
    # pre-filter alone, without the knowledge base, packaging, or dataclasses (with inspect).
    files = {"app.py": "import os\n\nprint(os.getcwd())\n"}
    if config:
        files["pyproject.toml"] = config
    write_files(tmp_path, files)
    # (Not `typing`: tomllib loads it to read the settings.)
    heavy = ("dataclasses", "inspect", "packaging", "deploylint.knowledge", "deploylint.project")
    probe = f"import sys; from deploylint.cli import main; code = main(sys.argv[1:]); print([m for m in {heavy!r} if m in sys.modules]); sys.exit(code)"
    result = subprocess.run([sys.executable, "-c", probe, "check", "app.py"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["All checks passed!", "[]"]


def test_tests_are_not_parsed(tmp_path):
    # No rule judges a test's code (a deploy never runs it), so a test file is not even
    # parsed: a syntax error after a removed import is found in the app, not in its tests.
    broken = "from werkzeug.security import safe_str_cmp\n\ndef f(:\n    pass\n"
    write_files(tmp_path, {"requirements.txt": "werkzeug\n", "app/auth.py": broken, "tests/test_auth.py": broken, "app/test_x.py": broken})
    result = run("check", ".", "--output-format", "json", cwd=tmp_path)
    found = {(item["code"], Path(item["filename"]).relative_to(tmp_path.resolve()).as_posix()) for item in json.loads(result.stdout)}
    assert found == {("DPL001", "app/auth.py")}
