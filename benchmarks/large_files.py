"""Time and peak memory of `deploylint check` on very large inputs.

Generates each file in a temporary directory, runs the installed CLI on it
(median of --runs), and prints wall time, peak RSS and the findings.

    python benchmarks/large_files.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

MIB = 1024 * 1024


def cases() -> dict[str, tuple[str, bytes]]:
    line = b"requests==2.32.3  # pinned\n"
    code = b"def f(x):\n    return [i * x for i in range(10)]\n\n"
    return {
        "requirements.txt, 1.9 MiB (parsed in full)": ("requirements.txt", line * int(1.9 * MIB // len(line))),
        "requirements.txt, 50 MiB (over the limit)": ("requirements.txt", line * (50 * MIB // len(line))),
        "app.py, 50 MiB, no removed module named": ("app.py", code * (50 * MIB // len(code))),
        "app.py, 50 MiB, names werkzeug": ("app.py", b"import werkzeug\n" + code * (50 * MIB // len(code))),
        "app.py, 250 KiB, names werkzeug (parsed)": ("app.py", b"from werkzeug.security import safe_str_cmp\n" + code * (250 * 1024 // len(code))),
        "vercel.json, 1.9 MiB of nesting": ("vercel.json", b"[" * int(0.95 * MIB) + b"]" * int(0.95 * MIB)),
    }


# Each run goes through a small parent process of its own, so that
# RUSAGE_CHILDREN's peak covers that one deploylint run only.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
result = subprocess.run([sys.executable, "-m", "deploylint", "check", ".", "--output-format", "json"], capture_output=True, text=True)
print(time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, result.returncode)
sys.stdout.write(result.stdout)
"""


def run(directory: Path) -> tuple[float, int, list[str]]:
    result = subprocess.run([sys.executable, "-c", _MEASURE], cwd=directory, capture_output=True, text=True)
    header, _, body = result.stdout.partition("\n")
    elapsed, peak_kib, status = header.split()
    if status not in ("0", "1"):
        raise SystemExit(f"deploylint failed ({status}): {result.stderr}")
    return float(elapsed), int(peak_kib), [f"{d['code']} {d['message']}" for d in json.loads(body)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'case':48} {'median s':>9} {'peak MiB':>9}  findings")
    for label, (name, data) in cases().items():
        with tempfile.TemporaryDirectory() as directory:
            (Path(directory) / name).write_bytes(data)
            times, findings, peak = [], [], 0
            for _ in range(args.runs):
                elapsed, peak_kib, findings = run(Path(directory))
                times.append(elapsed)
                peak = max(peak, peak_kib)
            shown = "; ".join(findings)[:90] or "none"
            print(f"{label:48} {statistics.median(times):9.2f} {peak / 1024:9.0f}  {shown}")


if __name__ == "__main__":
    main()
