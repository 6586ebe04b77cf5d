"""Precision and recall of deploylint on the project corpus in tests/projects/.

Each directory under tests/projects/ is a small deployable app with an
EXPECTED.toml that lists every finding a careful engineer would write down
(`[[finding]]`: code, path, line) and the traps a linter must not fall into
(`[[not]]`: code, path). This script copies each project into a temporary
directory (so the project is the workspace root), runs

    python -m deploylint check . --output-format json --as-of 2026-11-29 --exit-zero

and prints, per rule code, true positives, false positives, false negatives,
precision and recall, then the totals. A finding counts as a true positive
only when its (code, path, line) is listed; every other finding is a false
positive, and a trap hit is also counted in the `traps` column.

    python benchmarks/precision.py             # the table
    python benchmarks/precision.py --details   # plus each project's misses and false alarms

Stdlib only, plus deploylint itself (run as a subprocess of this interpreter).
It always exits 0: it measures, the tests in tests/test_projects.py enforce.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

REPO = Path(__file__).resolve().parents[1]
PROJECTS = REPO / "tests" / "projects"
AS_OF = "2026-11-29"
EXPECTED_FILE = "EXPECTED.toml"

Finding = tuple[str, str, int]  # (code, path relative to the project, line)


@dataclass
class Expected:
    name: str
    description: str
    platform: str
    findings: set[Finding]
    traps: list[tuple[str, str, str]] = field(default_factory=list)  # (code, path, why)


def project_names() -> list[str]:
    return sorted(p.name for p in PROJECTS.iterdir() if (p / EXPECTED_FILE).is_file())


def load_expected(name: str) -> Expected:
    data = tomllib.loads((PROJECTS / name / EXPECTED_FILE).read_text(encoding="utf-8"))
    return Expected(
        name=name,
        description=data["description"],
        platform=data["platform"],
        findings={(f["code"], f["path"], int(f["line"])) for f in data.get("finding", [])},
        traps=[(t["code"], t["path"], t.get("why", "")) for t in data.get("not", [])],
    )


def copy_project(name: str, target: Path) -> Path:
    """Copy a project without its EXPECTED.toml to `target`, which becomes the workspace root."""
    shutil.copytree(PROJECTS / name, target, ignore=shutil.ignore_patterns(EXPECTED_FILE))
    return target


def run_deploylint(workspace: Path) -> set[Finding]:
    result = subprocess.run(
        [sys.executable, "-m", "deploylint", "check", ".", "--output-format", "json", "--as-of", AS_OF, "--exit-zero"],
        cwd=workspace,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"deploylint exited {result.returncode}:\n{result.stderr}")
    root = workspace.resolve()
    found = set()
    for item in json.loads(result.stdout):
        path = Path(item["filename"])
        path = path.resolve().relative_to(root) if path.is_absolute() else path
        found.add((item["code"], path.as_posix(), item["location"]["row"]))
    return found


def actual_findings(name: str) -> set[Finding]:
    with tempfile.TemporaryDirectory(prefix="deploylint-precision-") as tmp:
        return run_deploylint(copy_project(name, Path(tmp) / name))


def trap_hits(expected: Expected, actual: set[Finding]) -> list[tuple[Finding, str]]:
    hits = []
    for code, path, why in expected.traps:
        hits += [((c, p, line), why) for c, p, line in sorted(actual) if c == code and p == path]
    return hits


def describe(expected: Expected, actual: set[Finding]) -> str:
    """A readable diff: what is missing, what is unexpected, which trap was hit."""
    lines = []
    for code, path, line in sorted(expected.findings - actual):
        lines.append(f"missing:    {code} {path}:{line}")
    for code, path, line in sorted(actual - expected.findings):
        lines.append(f"unexpected: {code} {path}:{line}")
    for (code, path, line), why in trap_hits(expected, actual):
        lines.append(f"trap hit:   {code} {path}:{line} ({why})")
    return "\n".join(lines)


def _ratio(numerator: int, denominator: int) -> str:
    return f"{numerator / denominator:.3f}" if denominator else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="list each project's misses and false alarms")
    parser.add_argument("--jobs", type=int, default=4, help="projects checked in parallel (default 4)")
    args = parser.parse_args(argv)

    names = project_names()
    expectations = {name: load_expected(name) for name in names}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = dict(zip(names, pool.map(actual_findings, names)))

    tp, fp, fn, traps = Counter(), Counter(), Counter(), Counter()
    failing = []
    for name in names:
        expected, actual = expectations[name], results[name]
        for code, _, _ in expected.findings & actual:
            tp[code] += 1
        for code, _, _ in actual - expected.findings:
            fp[code] += 1
        for code, _, _ in expected.findings - actual:
            fn[code] += 1
        for (code, _, _), _ in trap_hits(expected, actual):
            traps[code] += 1
        if actual != expected.findings or trap_hits(expected, actual):
            failing.append(name)

    codes = sorted(set(tp) | set(fp) | set(fn))
    header = f"{'code':<8} {'TP':>4} {'FP':>4} {'FN':>4} {'traps':>5} {'precision':>9} {'recall':>7}"
    print(f"deploylint on {len(names)} projects in {PROJECTS.relative_to(REPO)} (--as-of {AS_OF})")
    print()
    print(header)
    print("-" * len(header))
    for code in codes:
        print(
            f"{code:<8} {tp[code]:>4} {fp[code]:>4} {fn[code]:>4} {traps[code]:>5} "
            f"{_ratio(tp[code], tp[code] + fp[code]):>9} {_ratio(tp[code], tp[code] + fn[code]):>7}"
        )
    print("-" * len(header))
    t, f, n, x = sum(tp.values()), sum(fp.values()), sum(fn.values()), sum(traps.values())
    print(f"{'total':<8} {t:>4} {f:>4} {n:>4} {x:>5} {_ratio(t, t + f):>9} {_ratio(t, t + n):>7}")
    print()
    clean = sum(1 for name in names if not expectations[name].findings)
    print(f"{len(names) - len(failing)}/{len(names)} projects exactly right "
          f"({clean} expect no finding, {len(names) - clean} expect at least one)")
    if args.details and failing:
        print()
        for name in failing:
            print(f"{name}:")
            for line in describe(expectations[name], results[name]).splitlines():
                print(f"  {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
