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
import time
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


def index_file(cache: Path) -> Path:
    """The one index of this workspace and context (`cache.py`)."""
    (index,) = cache.glob("index-*.json")
    return index


def entries(cache: Path) -> dict[str, list]:
    return json.loads(index_file(cache).read_bytes())["entries"]


def age(root: Path, seconds: float = 60) -> None:
    """Date every file back, as if written a while ago: a run then trusts their stats
    (a file modified within two seconds of being read is "racily clean")."""
    past = time.time() - seconds
    for path in root.rglob("*"):
        if path.is_file() and ".deploylint_cache" not in path.parts:
            os.utime(path, (past, past))


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
    assert sorted(entries(tree / ".deploylint_cache")) == sorted(name for name in TREE if name.endswith(".py"))
    assert findings(tree) == uncached
    # The fixes of the reported uses are rebuilt from the cached spans.
    assert [item["fix"] for item in findings(tree)] == [item["fix"] for item in uncached]


def test_the_cache_directory_ignores_itself_in_git_and_in_backups(tree):
    findings(tree)
    assert (tree / ".deploylint_cache" / ".gitignore").read_text().splitlines()[-1] == "*"
    assert (tree / ".deploylint_cache" / "CACHEDIR.TAG").read_text().startswith("Signature: 8a477f597d28d172789f06886806bc55")


def forge_every_entry(cache: Path, plain: dict) -> None:
    """Rewrite every entry's analysis, keeping its stats and hash: what a run then reports
    for the Python files shows whether it read the cache."""
    index = json.loads(index_file(cache).read_bytes())
    for entry in index["entries"].values():
        entry[4] = plain
    index_file(cache).write_text(json.dumps(index))


def test_a_warm_run_reads_the_cache(tree):
    findings(tree)
    # Well-formed, and false: `keep` false says "nothing here".
    forge_every_entry(tree / ".deploylint_cache", {"keep": False})
    assert not any(path.endswith(".py") for _, path, _ in codes(findings(tree), tree))
    assert any(path.endswith(".py") for _, path, _ in codes(findings(tree, "--no-cache"), tree))


def test_a_file_whose_stats_match_is_not_read_again(tree):
    age(tree)
    findings(tree)
    assert all(entry[0] is not None for entry in entries(tree / ".deploylint_cache").values())
    # The same size and modification time, other bytes: a file whose analysis found
    # nothing is trusted, as ruff trusts it, and not read.
    plain = tree / "app/plain.py"
    stat = plain.stat()
    import_imp = "import imp\n"
    plain.write_text(import_imp + "#" * (stat.st_size - len(import_imp) - 1) + "\n")
    os.utime(plain, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert plain.stat().st_size == stat.st_size
    assert not any(path == "app/plain.py" for _, path, _ in codes(findings(tree), tree))
    assert ("DPL402", "app/plain.py", 1) in codes(findings(tree, "--no-cache"), tree)
    # One whose analysis points into its text is read for it, so its hash is checked.
    alias = tree / "app/alias.py"
    stat = alias.stat()
    alias.write_text(alias.read_text().replace("safe_str_cmp", "compare_dig"))
    os.utime(alias, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ("DPL401", "app/alias.py", 3) not in codes(findings(tree), tree)


def test_a_file_written_just_before_a_run_is_hashed_on_the_next(tree):
    # Racily clean: written within two seconds of the run that read it, so its entry keeps
    # no modification time, and a change that keeps both its size and its time is seen.
    findings(tree)
    plain = tree / "app/plain.py"
    assert entries(tree / ".deploylint_cache")["app/plain.py"][0] is None
    stat = plain.stat()
    import_imp = "import imp\n"
    plain.write_text(import_imp + "#" * (stat.st_size - len(import_imp) - 1) + "\n")
    os.utime(plain, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert ("DPL402", "app/plain.py", 1) in codes(findings(tree), tree)


def test_a_touched_file_keeps_its_analysis(tree):
    age(tree)
    findings(tree)
    forge_every_entry(tree / ".deploylint_cache", {"keep": False})
    # New stats, same bytes (a checkout, a `touch`): hashed, found equal, not parsed again.
    for path in (tree / "app").iterdir():
        os.utime(path)
    assert not any(path.endswith(".py") for _, path, _ in codes(findings(tree), tree))


def test_a_changed_file_is_analysed_again(tree):
    assert ("DPL401", "app/alias.py", 3) in codes(findings(tree), tree)
    (tree / "app/alias.py").write_text("import werkzeug.security as ws\n\n\nws.safe_str_cmp('a', 'b')\n")
    found = codes(findings(tree), tree)
    assert ("DPL401", "app/alias.py", 4) in found and ("DPL401", "app/alias.py", 3) not in found
    (tree / "app/alias.py").write_text("import hmac\n\nhmac.compare_digest('a', 'b')\n")
    assert not any(path == "app/alias.py" for _, path, _ in codes(findings(tree), tree))


CORRUPT_ENTRIES = [
    "garbage",
    [],
    [None, 3],
    [None, "size", "digest", "3.12", {"keep": False}],
    [None, 0, "0" * 32, "3.12", {"keep": "yes"}],
    [None, 0, "0" * 32, "3.12", {"uses": [[1, 2]]}],
    [None, 0, "0" * 32, "3.12", {"uses": []}],
    [None, 0, "0" * 32, "3.12", {"problem": [5, 1, "inverted span"]}],
    [None, 0, "0" * 32, "3.12", {"uses": [{"api": [-99999, "x", "y", "1", None], "name": "y", "kind": "import", "span": [0, 1], "statement": None, "references": []}]}],
]


def test_corrupt_entries_are_ignored_and_rewritten(tree):
    uncached = findings(tree, "--no-cache")
    age(tree)
    findings(tree)
    index = json.loads(index_file(tree / ".deploylint_cache").read_bytes())
    for number, path in enumerate(sorted(index["entries"])):
        corrupt = CORRUPT_ENTRIES[number % len(CORRUPT_ENTRIES)]
        if isinstance(corrupt, list) and len(corrupt) == 5:
            # Stats and hash of the file itself, so that only the analysis is wrong.
            corrupt = index["entries"][path][:4] + corrupt[4:]
        index["entries"][path] = corrupt
    index_file(tree / ".deploylint_cache").write_text(json.dumps(index))
    assert findings(tree) == uncached
    rewritten = entries(tree / ".deploylint_cache")
    assert sorted(rewritten) == sorted(index["entries"])
    assert all(isinstance(entry, list) and len(entry) == 5 and isinstance(entry[4], dict) for entry in rewritten.values())


@pytest.mark.parametrize("garbage", [b"", b"\x00\xff garbage", b'{"format": 2, "entries": [', b"[]", b'{"format": 2, "entries": []}', b'{"format": 1, "entries": {}}'])
def test_a_corrupt_index_is_ignored_and_rewritten(tree, garbage):
    uncached = findings(tree, "--no-cache")
    findings(tree)
    index_file(tree / ".deploylint_cache").write_bytes(garbage)
    assert findings(tree) == uncached
    assert len(entries(tree / ".deploylint_cache")) == sum(1 for name in TREE if name.endswith(".py"))


def test_concurrent_runs_share_the_cache(tree):
    uncached = findings(tree, "--no-cache")
    command = [sys.executable, "-m", "deploylint", "check", ".", "--as-of", "2026-11-23", "--output-format", "json"]
    runs = [subprocess.Popen(command, cwd=tree, stdout=subprocess.PIPE, text=True) for _ in range(4)]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert all(json.loads(output) == uncached for output in outputs)
    assert len(entries(tree / ".deploylint_cache")) == sum(1 for name in TREE if name.endswith(".py"))
    assert not [path for path in (tree / ".deploylint_cache").iterdir() if path.name.endswith(".tmp")]
    assert findings(tree) == uncached


def test_entries_of_deleted_files_are_dropped(tree):
    findings(tree)
    (tree / "app/plain.py").unlink()
    (tree / "app/alias.py").write_text("import os\n")  # a change, so the index is written again
    findings(tree)
    assert "app/plain.py" not in entries(tree / ".deploylint_cache")
    assert "app/alias.py" in entries(tree / ".deploylint_cache")


def test_no_cache_writes_nothing(tree):
    before = read_files(tree)
    findings(tree, "--no-cache")
    result = run("show", "--no-cache", cwd=tree)
    assert result.returncode == 0, result.stderr
    assert read_files(tree) == before
    assert not (tree / ".deploylint_cache").exists()


def test_check_writes_only_the_cache(tree):
    before = read_files(tree)
    findings(tree)
    assert read_files(tree) == before  # every file but the cache's
    assert (tree / ".deploylint_cache").is_dir()


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


def test_the_code_an_analysis_comes_from_is_all_there():
    # A renamed module left in this list would stop invalidating the cache when it changes.
    from deploylint import cache

    assert all((cache._PACKAGE / name).is_file() for name in cache._ANALYSIS_CODE)


def test_an_index_unwritten_for_a_month_is_dropped(tree):
    findings(tree)
    old = tree / ".deploylint_cache" / "index-0123456789abcdef0123.json"
    recent = tree / ".deploylint_cache" / "index-fedcba9876543210fedc.json"
    for index in (old, recent):
        index.write_text('{"format": 2, "entries": {}}')
    month_ago = time.time() - 31 * 24 * 3600
    os.utime(old, (month_ago, month_ago))
    (tree / "app/plain.py").write_text("import os\n")  # a change, so the index is written again
    findings(tree)
    assert not old.exists() and recent.exists()


def test_cached_runs_report_what_an_uncached_run_does_on_the_stdlib(tmp_path):
    # Some 1,800 files of every shape: the pre-filter's rejections, encodings, syntax
    # errors, suppression-like comments; enough to take the parallel path too.
    import sysconfig

    stdlib = tmp_path / "stdlib"
    shutil.copytree(sysconfig.get_paths()["stdlib"], stdlib, ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"))
    (stdlib / "planted.py").write_text("from werkzeug.security import safe_str_cmp\n")
    (stdlib / ".git").mkdir()
    python = f"--python={sys.version_info.major}.{sys.version_info.minor}"
    uncached = findings(stdlib, python, "--no-cache")
    assert any(item["code"] == "DPL401" for item in uncached) and any(item["code"] == "DPL001" for item in uncached)
    assert findings(stdlib, python) == uncached  # cold: fills the cache
    assert len(entries(stdlib / ".deploylint_cache")) > 1000
    age(stdlib)
    assert findings(stdlib, python) == uncached  # hashes every file once (new stats)
    assert findings(stdlib, python) == uncached  # trusts the stats
