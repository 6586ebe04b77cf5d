"""deploylint side by side with ruff's banned-api check (TID251) and check-json.

    python benchmarks/compare.py [--runs 5] [--numpy-files 2000] [--server-runs 20]

Needs `ruff` and `check-json` (pre-commit-hooks) on PATH or beside this
Python, and pygls for the server row: `pip install -e '.[bench,server]'`.
Every row is the median of --runs wall-clock runs, all in this one process so
the machine is the same for both tools:

1. Whole tree, cold: a copy of the running interpreter's stdlib plus one
   planted finding (`from werkzeug.security import safe_str_cmp`), checked by
   `deploylint check --python X.Y` with its cache removed before each run (so
   each run also writes it, as a first run or a CI run does) and by
   `ruff check --no-cache` configured to ban that same import. Both must find
   the planted file.
2. Whole tree, warm: each tool with its cache, filled by one run first:
   deploylint's `.deploylint_cache` against ruff's `.ruff_cache`.
3. One file, as pre-commit runs a hook: `deploylint check app.py` on an
   ordinary module against `check-json data.json`.
4. All parsed, cold and warm: a synthetic data-science tree pinned to
   `numpy<2` whose files use `np.float_` (removed in NumPy 2.0, so the
   pre-filter must let every file through, but no finding, since the pin keeps
   NumPy 1.x): the parse path itself, against ruff cold and ruff warm.
5. The language server on a 1,000-module app (benchmarks/server_latency.py):
   milliseconds from `didChange` to the `publishDiagnostics` it causes.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

RUFF_CONFIG = """\
[lint]
select = ["TID251"]

[lint.flake8-tidy-imports.banned-api]
"werkzeug.security.safe_str_cmp".msg = "removed in Werkzeug 2.1.0"
"""
PLANTED = "from werkzeug.security import safe_str_cmp\n\nsafe_str_cmp('a', 'b')\n"
ORDINARY = "import os\nimport sys\n\n\ndef main() -> int:\n    print(os.getcwd(), sys.argv)\n    return 0\n"
NUMPY_MODULE = """\
import numpy as np


def summarise(values):
    arr = np.asarray(values, dtype=np.float_)
    size = arr.nbytes
    return {{"mean": float(arr.mean()), "bytes": size, "shape": arr.shape, "n": {index}}}


def scale(arr, factor={index}):
    return np.clip(arr * factor, 0, None).astype(np.float32)
"""


def tool(name: str) -> str:
    beside = Path(sys.executable).with_name(name)
    found = str(beside) if beside.exists() else shutil.which(name)
    if not found:
        sys.exit(f"{name} not found: pip install -e '.[bench]'")
    return found


def median_time(command: list[str], cwd: Path, runs: int, expect: set[int], before=None) -> float:
    """Median wall-clock seconds of `command`; `before()` runs ahead of each run, untimed."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in expect:
            sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return statistics.median(times)


def without_cache(root: Path):
    """A `before` hook: remove deploylint's cache, so the run is a first run."""
    return lambda: shutil.rmtree(root / ".deploylint_cache", ignore_errors=True)


def warmed(command: list[str], cwd: Path) -> None:
    """Fill a cache, then let the files written just before age past deploylint's two-second
    "racily clean" window, as any file in a working tree has."""
    subprocess.run(command, cwd=cwd, capture_output=True)
    time.sleep(2.1)
    subprocess.run(command, cwd=cwd, capture_output=True)


def found_planted(command: list[str], cwd: Path) -> bool:
    output = subprocess.run(command, cwd=cwd, capture_output=True, text=True).stdout
    return "planted.py" in output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--numpy-files", type=int, default=2000)
    parser.add_argument("--server-runs", type=int, default=20, help="timed changes per server case; 0 skips the server row")
    args = parser.parse_args()
    deploylint, ruff, check_json = tool("deploylint"), tool("ruff"), tool("check-json")
    # ruff is native code and pip byte-compiles check-json at install; an
    # editable deploylint has no bytecode yet (none at all under
    # PYTHONDONTWRITEBYTECODE), so compile it as an install would.
    import deploylint as package

    compileall.compile_dir(Path(package.__file__).parent, quiet=1)
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    rows = []

    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)

        tree = root / "stdlib"
        stdlib = Path(sysconfig.get_paths()["stdlib"])
        shutil.copytree(stdlib, tree, ignore=shutil.ignore_patterns("site-packages", "__pycache__", "*.pyc"))
        (tree / "planted.py").write_text(PLANTED)
        (tree / "ruff.toml").write_text(RUFF_CONFIG)
        subprocess.run(["git", "init", "-q"], cwd=tree, check=True)
        files = sum(1 for _ in tree.rglob("*.py"))
        ours = [deploylint, "check", ".", "--python", python, "--exit-zero"]
        theirs_cold = [ruff, "check", "--no-cache", "--exit-zero", "."]
        theirs_warm = [ruff, "check", "--exit-zero", "."]
        assert found_planted(ours, tree) and found_planted(theirs_cold, tree), "both tools must find the planted import"
        d = median_time(ours, tree, args.runs, {0}, before=without_cache(tree))
        r = median_time(theirs_cold, tree, args.runs, {0})
        rows.append((f"stdlib tree ({files} files), cold", "ruff cold", d, r, 1.0))
        warmed(ours, tree)
        warmed(theirs_warm, tree)
        assert found_planted(ours, tree) and found_planted(theirs_warm, tree), "both warm runs must find the planted import"
        d = median_time(ours, tree, args.runs, {0})
        r = median_time(theirs_warm, tree, args.runs, {0})
        rows.append(("stdlib tree, warm (each tool's cache)", "ruff warm", d, r, 2.0))

        one = root / "one"
        one.mkdir()
        (one / "app.py").write_text(ORDINARY)
        (one / "data.json").write_text(json.dumps({"name": "app", "values": list(range(20))}))
        d = median_time([deploylint, "check", "app.py"], one, args.runs * 4, {0})
        c = median_time([check_json, "data.json"], one, args.runs * 4, {0})
        rows.append(("one ordinary .py file (pre-commit style)", "check-json", d, c, 1.5))

        science = root / "science"
        for index in range(args.numpy_files):
            module = science / f"pkg{index // 100}" / f"m{index}.py"
            module.parent.mkdir(parents=True, exist_ok=True)
            module.write_text(NUMPY_MODULE.format(index=index))
        (science / "planted.py").write_text(PLANTED)
        (science / "ruff.toml").write_text(RUFF_CONFIG)
        (science / "requirements.txt").write_text("numpy<2\n")
        subprocess.run(["git", "init", "-q"], cwd=science, check=True)
        d = median_time(ours, science, args.runs, {0}, before=without_cache(science))
        r = median_time(theirs_cold, science, args.runs, {0})
        rows.append((f"numpy-heavy tree ({args.numpy_files} files), cold", "ruff cold", d, r, 8.0))
        science_rate = (args.numpy_files + 1) / d
        warmed(ours, science)
        warmed(theirs_warm, science)
        d = median_time(ours, science, args.runs, {0})
        r = median_time(theirs_warm, science, args.runs, {0})
        rows.append(("numpy-heavy tree, warm (each tool's cache)", "ruff warm", d, r, 1.0))

    server = {}
    if args.server_runs:
        from server_latency import measure

        server = measure(args.server_runs)

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, medians of {args.runs} runs (x4 for one file)\n")
    print(f"{'case':48} {'deploylint':>11} {'other':>13} {'ratio':>7} {'goal':>6}")
    for case, other, ours_time, their_time, goal in rows:
        print(f"{case:48} {ours_time:10.3f}s {other:>9} {their_time:.3f}s {ours_time / their_time:6.2f}x {goal:5.1f}x")
    print(f"\nnumpy-heavy tree, cold: deploylint checks {science_rate:,.0f} files/s")
    if server:
        print(f"\nlanguage server, 1,000-module app, median of {args.server_runs} changes (goal: 100 ms own file, 300 ms cross-file):")
        for case, milliseconds in server.items():
            print(f"  {case:16} {milliseconds:6.1f} ms")


if __name__ == "__main__":
    main()
