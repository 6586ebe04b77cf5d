"""Requires-Python and Requires-Dist of package releases, read from the files on the index.

    python tools/release_metadata.py werkzeug==2.0.3 werkzeug==2.1.0 fastapi==0.99.1

For each release it downloads the wheel (any platform) or, failing that, the
sdist with `pip download --no-deps`, and prints the metadata that decides
what pip will install beside it and on which Python: the facts behind the
`python_support` and `requires` rows of knowledge/compat.toml. Nothing here
runs at lint time.
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import tempfile
import zipfile
from email.parser import Parser
from pathlib import Path


def metadata(requirement: str) -> dict[str, list[str]]:
    with tempfile.TemporaryDirectory() as directory:
        base = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", directory, requirement]
        attempts = [
            [*base, "--only-binary", ":all:", "--platform", "manylinux2014_x86_64", "--python-version", "3.11", "--implementation", "cp"],
            [*base, "--only-binary", ":all:", "--platform", "any", "--python-version", "3.7"],
            [*base, "--no-binary", ":all:"],
        ]
        for command in attempts:
            if subprocess.run(command, capture_output=True).returncode == 0:
                break
        else:
            raise SystemExit(f"cannot download {requirement}")
        [archive] = list(Path(directory).iterdir())
        text = _metadata_text(archive)
    message = Parser().parsestr(text)
    return {
        "Requires-Python": message.get_all("Requires-Python") or [],
        "Requires-Dist": message.get_all("Requires-Dist") or [],
        "file": [archive.name],
    }


def _metadata_text(archive: Path) -> str:
    if archive.suffix == ".whl":
        with zipfile.ZipFile(archive) as zipped:
            # The package's own dist-info, not a vendored one deeper in the tree.
            [name] = [n for n in zipped.namelist() if n.endswith(".dist-info/METADATA") and n.count("/") == 1]
            return zipped.read(name).decode("utf-8", "replace")
    with tarfile.open(archive) as tarred:
        members = [m for m in tarred.getmembers() if m.name.count("/") == 1 and m.name.endswith("/PKG-INFO")]
        return tarred.extractfile(members[0]).read().decode("utf-8", "replace")


def main(argv: list[str]) -> int:
    for requirement in argv:
        found = metadata(requirement)
        print(f"{requirement} ({found['file'][0]})")
        print(f"  Requires-Python: {', '.join(found['Requires-Python']) or '(none)'}")
        for dependency in found["Requires-Dist"]:
            if "extra ==" not in dependency:
                print(f"  Requires-Dist: {dependency}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
