"""deploylint side by side with ruff's banned-api check (TID251) and check-json.

    python benchmarks/compare.py [--runs 5] [--numpy-files 2000]

Needs `ruff` and `check-json` (pre-commit-hooks) on PATH or beside this
Python: `pip install -e '.[bench]'`. Three measurements, each the median of
--runs wall-clock runs, all in this one process so the machine is the same:

1. Whole tree: a copy of the running interpreter's stdlib plus one planted
   finding (`from werkzeug.security import safe_str_cmp`), checked by
   `deploylint check --python X.Y --no-cache` and by `ruff check --no-cache`
   configured to ban that same import. Both must find the planted file.
   Then warm, each with its cache (filled by one run first): deploylint's
   `.deploylint_cache` against ruff's `.ruff_cache`.
2. One file, as pre-commit runs a hook: `deploylint check app.py` on an
   ordinary module against `check-json data.json`.
3. A synthetic data-science tree pinned to `numpy<2` whose files use
   `np.float_` (removed in NumPy 2.0, so the pre-filter must let every file
   through, but no finding, since the pin keeps NumPy 1.x): the parse path
   itself, as deploylint's ratio to ruff and its files per second.
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


def median_time(command: list[str], cwd: Path, runs: int, expect: set[int]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - start)
        if result.returncode not in expect:
            sys.exit(f"{' '.join(command)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
    return statistics.median(times)


def found_planted(command: list[str], cwd: Path) -> bool:
    output = subprocess.run(command, cwd=cwd, capture_output=True, text=True).stdout
    return "planted.py" in output


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--numpy-files", type=int, default=2000)
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
        ours = [deploylint, "check", ".", "--python", python, "--exit-zero", "--no-cache"]
        theirs = [ruff, "check", "--no-cache", "--exit-zero", "."]
        assert found_planted(ours, tree) and found_planted(theirs, tree), "both tools must find the planted import"
        d = median_time(ours, tree, args.runs, {0})
        r = median_time(theirs, tree, args.runs, {0})
        rows.append((f"stdlib tree ({files} files) + 1 planted finding", "ruff TID251", d, r))

        # Warm: the first run of each fills its cache (and must find the planted file
        # all the same), the timed runs read it.
        ours_warm = [deploylint, "check", ".", "--python", python, "--exit-zero"]
        theirs_warm = [ruff, "check", "--exit-zero", "."]
        assert found_planted(ours_warm, tree) and found_planted(theirs_warm, tree), "both caches must keep the planted import"
        assert found_planted(ours_warm, tree) and found_planted(theirs_warm, tree), "both warm runs must find the planted import"
        d = median_time(ours_warm, tree, args.runs, {0})
        r = median_time(theirs_warm, tree, args.runs, {0})
        rows.append(("stdlib tree, warm: each tool's cache", "ruff warm", d, r))

        one = root / "one"
        one.mkdir()
        (one / "app.py").write_text(ORDINARY)
        (one / "data.json").write_text(json.dumps({"name": "app", "values": list(range(20))}))
        d = median_time([deploylint, "check", "app.py"], one, args.runs * 4, {0})
        c = median_time([check_json, "data.json"], one, args.runs * 4, {0})
        rows.append(("one ordinary .py file (pre-commit style)", "check-json", d, c))

        science = root / "science"
        for index in range(args.numpy_files):
            module = science / f"pkg{index // 100}" / f"m{index}.py"
            module.parent.mkdir(parents=True, exist_ok=True)
            module.write_text(NUMPY_MODULE.format(index=index))
        (science / "planted.py").write_text(PLANTED)
        (science / "ruff.toml").write_text(RUFF_CONFIG)
        (science / "requirements.txt").write_text("numpy<2\n")
        subprocess.run(["git", "init", "-q"], cwd=science, check=True)
        d = median_time([deploylint, "check", ".", "--python", python, "--exit-zero", "--no-cache"], science, args.runs, {0})
        r = median_time([ruff, "check", "--no-cache", "--exit-zero", "."], science, args.runs, {0})
        rows.append((f"numpy-heavy tree ({args.numpy_files} files)", "ruff TID251", d, r))
        science_rate = (args.numpy_files + 1) / d

    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} cores, medians of {args.runs} runs (x4 for one file)\n")
    print(f"{'case':48} {'deploylint':>11} {'other':>13} {'ratio':>7}")
    for case, other, ours_time, their_time in rows:
        print(f"{case:48} {ours_time:10.3f}s {other:>9} {their_time:.3f}s {ours_time / their_time:6.2f}x")
    print(f"\nnumpy-heavy tree: deploylint checks {science_rate:,.0f} files/s")


if __name__ == "__main__":
    main()
