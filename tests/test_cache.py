"""The content cache: a cached run reports exactly what an uncached one does.

The command line runs as a subprocess, as a user runs it, twice or more on the
same tree: the first run fills `.deploylint_cache/`, the next ones read it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, read_files, write_files

# Removed names of every kind the cache stores: a from-import with references, an
# attribute through an alias, a whole stdlib module, a suppressed use and an unused
# suppression (their files are kept for the directives), a syntax error (a DPL001).
TREE = {
    ".git/HEAD": "ref: refs/heads/main\n",
    ".python-version": "3.12\n",
    "requirements.txt": "werkzeug==2.3.0\nnumpy==2.0.0\n",
    "app/auth.py": "from werkzeug.security import safe_str_cmp\n\n\ndef same(a, b):\n    return safe_str_cmp(a, b) or safe_str_cmp(b, a)\n",
    "app/alias.py": "import werkzeug.security as ws\n\nws.safe_str_cmp('a', 'b')\n",
    "app/legacy.py": "import imp\n\nimp.reload\n",
    "app/numbers.py": "import numpy as np\n\nx = np.float_(1)\n",
    "app/kept.py": "from werkzeug.security import safe_str_cmp  # deploylint: ignore[DPL401] vendored\n",
    "app/unused.py": "import os  # deploylint: ignore[DPL401]\n",
    "app/broken.py": "import imp\n\ndef f(:\n    pass\n",
    "app/plain.py": "import os\n\nprint(os.getcwd())\n",
}


def run(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "deploylint", *args], cwd=cwd, capture_output=True, text=True, timeout=120, env={**os.environ, **(env or {})}
    )


def findings(cwd: Path, *extra: str, env: dict | None = None) -> list:
    result = run("check", ".", "--as-of", "2026-11-23", "--output-format", "json", *extra, cwd=cwd, env=env)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def codes(found: list, root: Path) -> set[tuple[str, str, int]]:
    return {(item["code"], Path(item["filename"]).relative_to(root.resolve()).as_posix(), item["location"]["row"]) for item in found}


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/*.json"))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    write_files(root, TREE)
    return root


@pytest.fixture(autouse=True)
def no_cache_dir_from_outside(monkeypatch):
    monkeypatch.delenv("DEPLOYLINT_CACHE_DIR", raising=False)


def test_cached_runs_report_what_an_uncached_run_does_on_the_examples(tmp_path):
    examples = tmp_path / "examples"
    shutil.copytree(REPO / "examples", examples)
    uncached = findings(examples, "--no-cache")
    assert {code for code, _, _ in codes(uncached, examples)} >= {"DPL103", "DPL104", "DPL401"}
    assert findings(examples) == uncached  # cold: fills the cache
    assert entries(examples / ".deploylint_cache")
    assert findings(examples) == uncached  # warm


def test_cached_runs_report_what_an_uncached_run_does_on_removed_api_code(tree):
    uncached = findings(tree, "--no-cache")
    found = codes(uncached, tree)
    assert {("DPL401", "app/auth.py", 1), ("DPL401", "app/alias.py", 3), ("DPL402", "app/legacy.py", 1), ("DPL001", "app/broken.py", 3)} <= found
    assert any(code == "DPL003" and path == "app/unused.py" for code, path, _ in found)
    assert not any(path == "app/kept.py" for _, path, _ in found)
    assert findings(tree) == uncached
    # One entry per Python file whose analysis can be stored (all of them here).
    assert len(entries(tree / ".deploylint_cache")) == sum(1 for name in TREE if name.endswith(".py"))
    assert findings(tree) == uncached
    # The fixes of the reported uses are rebuilt from the cached spans.
    assert [item["fix"] for item in findings(tree)] == [item["fix"] for item in uncached]


def test_the_cache_directory_ignores_itself_in_git(tree):
    findings(tree)
    assert (tree / ".deploylint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_a_warm_run_reads_the_cache(tree):
    findings(tree)
    # Forge the entries (well-formed: `keep` false says "nothing here"): a warm run that
    # read them reports nothing in the Python files; the uncached run still does.
    for entry in entries(tree / ".deploylint_cache"):
        data = json.loads(entry.read_text())
        entry.write_text(json.dumps({"keep": False, "key": data["key"]}))
    assert not any(path.endswith(".py") for _, path, _ in codes(findings(tree), tree))
    assert any(path.endswith(".py") for _, path, _ in codes(findings(tree, "--no-cache"), tree))


def test_a_changed_file_is_analysed_again(tree):
    assert ("DPL401", "app/alias.py", 3) in codes(findings(tree), tree)
    (tree / "app/alias.py").write_text("import werkzeug.security as ws\n\n\nws.safe_str_cmp('a', 'b')\n")
    found = codes(findings(tree), tree)
    assert ("DPL401", "app/alias.py", 4) in found and ("DPL401", "app/alias.py", 3) not in found
    (tree / "app/alias.py").write_text("import hmac\n\nhmac.compare_digest('a', 'b')\n")
    assert not any(path == "app/alias.py" for _, path, _ in codes(findings(tree), tree))


def test_corrupt_entries_are_ignored_and_rewritten(tree):
    uncached = findings(tree, "--no-cache")
    findings(tree)
    cached = entries(tree / ".deploylint_cache")
    for number, entry in enumerate(cached):
        entry.write_bytes([b"", b"\x00\xff garbage", b"{\"uses\": [[1, 2]]", b"[]", b'{"uses": []}'][number % 5])
    assert findings(tree) == uncached
    for entry in cached:
        json.loads(entry.read_bytes())  # every one written again, whole


def test_no_cache_writes_nothing(tree):
    before = read_files(tree)
    findings(tree, "--no-cache")
    assert read_files(tree) == before
    result = run("show", "--no-cache", cwd=tree)
    assert result.returncode == 0, result.stderr
    assert read_files(tree) == before


def test_check_writes_only_the_cache(tree):
    before = read_files(tree)
    findings(tree)
    after = {path: text for path, text in read_files(tree).items() if not path.startswith(".deploylint_cache/")}
    assert after == before


def test_deploylint_cache_dir_places_it_elsewhere(tree, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    uncached = findings(tree, "--no-cache")
    assert findings(tree, env={"DEPLOYLINT_CACHE_DIR": str(elsewhere)}) == uncached
    assert entries(elsewhere) and (elsewhere / ".gitignore").is_file()
    assert not (tree / ".deploylint_cache").exists()
    assert findings(tree, env={"DEPLOYLINT_CACHE_DIR": str(elsewhere)}) == uncached


def test_cache_dir_in_the_configuration_is_relative_to_it(tree):
    (tree / ".deploylint.toml").write_text('cache-dir = "build/lint-cache"\n')
    uncached = findings(tree, "--no-cache")
    assert findings(tree) == uncached
    assert entries(tree / "build/lint-cache")
    assert not (tree / ".deploylint_cache").exists()


@pytest.mark.parametrize(
    ("setting", "message"),
    [('cache_dir = "x"', "did you mean `cache-dir`?"), ("cache-dir = 3", "`cache-dir` must be a directory path")],
)
def test_a_mistaken_cache_setting_is_a_usage_error(tree, setting, message):
    (tree / ".deploylint.toml").write_text(setting + "\n")
    result = run("check", ".", cwd=tree)
    assert result.returncode == 2 and message in result.stderr


def test_the_walk_skips_the_cache_directory(tree):
    # A Python file inside it (there never is one) would be a finding if it were walked.
    write_files(tree, {".deploylint_cache/zz/stray.py": "import imp\n"})
    assert not any(".deploylint_cache" in path for _, path, _ in codes(findings(tree), tree))


def test_fixes_are_applied_to_files_whose_analysis_was_cached(tree):
    findings(tree)
    result = run("check", ".", "--as-of", "2026-11-23", "--fix", "--unsafe-fixes", cwd=tree)
    assert result.returncode in (0, 1), result.stderr
    assert "safe_str_cmp" not in (tree / "app/alias.py").read_text()
    assert findings(tree) == findings(tree, "--no-cache")


EXTENSION = """\
as_of = "2026-12-01"

[[removed]]
module = "acme_auth.tokens"
names = [{names}]
package = "acme-auth"
removed_in = "3.0.0"
replacement = "acme_auth.tokens.issue"
source = "https://wiki.acme.example/auth/changelog#3-0-0"
"""


def test_a_change_to_extend_knowledge_invalidates_the_cache(tmp_path):
    write_files(
        tmp_path,
        {
            ".git/HEAD": "ref: refs/heads/main\n",
            "pyproject.toml": '[tool.deploylint]\nextend-knowledge = ["ops/knowledge.toml"]\n',
            "ops/knowledge.toml": EXTENSION.format(names='"other_name"'),
            "app.py": "from acme_auth.tokens import make_token\n\nprint(make_token())\n",
            "requirements.txt": "acme-auth\n",
        },
    )
    # First nothing to find: the cached analysis says so, and must not outlive the knowledge.
    assert not codes(findings(tmp_path), tmp_path)
    (tmp_path / "ops/knowledge.toml").write_text(EXTENSION.format(names='"other_name", "make_token"'))
    assert ("DPL401", "app.py", 1) in codes(findings(tmp_path), tmp_path)
    (tmp_path / "ops/knowledge.toml").write_text(EXTENSION.format(names='"other_name"'))
    assert not codes(findings(tmp_path), tmp_path)
