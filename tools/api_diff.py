"""What a later release of a package removed: the candidates for removed_apis data.

    python tools/api_diff.py PACKAGE OLD NEW [--module PREFIX] [--toml] [--python-version 3.7]

Downloads both releases from the package index (`pip download --no-deps`,
a pure-Python wheel where there is one, else the sdist), reads every module
of each with `ast`, and lists the public names of each module: its
top-level functions, classes and assignments, the names it imports (a
re-export is a public name too), `__all__` where it declares one, and the
names a module-level `__getattr__` still serves (deprecated names often live
there until the release that drops them). It
prints each module the later release no longer has, and each public name a
surviving module lost, one line each (or, with --toml, as `[[removed]]`
skeletons to verify, cite and trim). Nothing here runs at lint time.

A removal is only a candidate: a name may have moved to a submodule that the
package still imports lazily (`__getattr__`), or be private in all but name.
Confirm each one at the changelog or the source at the tag, and keep the
ones that real code uses before encoding them.
"""

from __future__ import annotations

import argparse
import ast
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path


def download(package: str, version: str, into: Path, python: str = "3.11") -> Path:
    """The release's wheel (or sdist) file; `python` picks the wheel of an old release that has none for today's Python."""
    into.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--dest", str(into), f"{package}=={version}"]
    # A pure-Python wheel reads exactly as installed; a binary one is read for its .py files only.
    result = subprocess.run([*command, "--only-binary", ":all:", "--platform", "manylinux2014_x86_64", "--python-version", python], capture_output=True, text=True)
    if result.returncode != 0:
        result = subprocess.run([*command, "--only-binary", ":all:", "--platform", "manylinux1_x86_64", "--python-version", python, "--implementation", "cp"], capture_output=True, text=True)
    if result.returncode != 0:
        result = subprocess.run([*command, "--no-binary", ":all:"], capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"cannot download {package}=={version}: {result.stderr.strip().splitlines()[-1:]}")
    [found] = [path for path in into.iterdir() if path.is_file()]
    return found


def sources(archive: Path) -> dict[str, str]:
    """module name -> source text, for every .py file of a wheel or sdist."""
    files: dict[str, bytes] = {}
    if archive.suffix == ".whl" or archive.suffix == ".zip":
        with zipfile.ZipFile(archive) as zipped:
            for name in zipped.namelist():
                if name.endswith(".py"):
                    files[name] = zipped.read(name)
    else:
        with tarfile.open(archive) as tarred:
            for member in tarred.getmembers():
                if member.isfile() and member.name.endswith(".py"):
                    files[member.name.split("/", 1)[1] if "/" in member.name else member.name] = tarred.extractfile(member).read()
    modules = {}
    for name, data in files.items():
        parts = name[:-3].split("/")
        # An sdist keeps packages under src/ or at the top; tests and docs are not the API.
        if parts and parts[0] == "src":
            parts = parts[1:]
        if not parts or any(part in ("tests", "test", "testing", "docs", "examples", "benchmarks") or part.startswith(".") for part in parts):
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or "-" in ".".join(parts):
            continue
        modules[".".join(parts)] = data.decode("utf-8", "replace")
    return modules


def public_names(text: str) -> set[str] | None:
    """The names a module offers: definitions, assignments, imports, __all__; None if it does not parse."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    names: set[str] = set()
    for node in tree.body:
        targets = []
        if isinstance(node, ast.FunctionDef) and node.name == "__getattr__":
            names.update(_served_by_getattr(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            targets = [node.name]
        elif isinstance(node, ast.Assign):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if targets == ["__all__"] and isinstance(node.value, (ast.List, ast.Tuple)):
                names.update(e.value for e in node.value.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            targets = [node.target.id]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            targets = [(alias.asname or alias.name).split(".")[0] for alias in node.names if alias.name != "*"]
        elif isinstance(node, (ast.If, ast.Try)):
            # Conditional definitions (try: import x except ImportError: x = None) count too.
            inner = ast.Module(body=[*getattr(node, "body", []), *getattr(node, "orelse", []), *[n for h in getattr(node, "handlers", []) for n in h.body]], type_ignores=[])
            names.update(public_names(ast.unparse(inner)) or ())
        names.update(targets)
    return {name for name in names if not name.startswith("_")}


def _served_by_getattr(function: ast.FunctionDef) -> set[str]:
    """Names a module-level __getattr__ answers: a module serves deprecated names this
    way until a release drops them (Pillow 9's ANTIALIAS): the strings it compares its
    argument with, and the keys of the dicts it looks them up in."""
    served = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Compare):
            for comparator in node.comparators:
                if isinstance(comparator, ast.Constant) and isinstance(comparator.value, str):
                    served.add(comparator.value)
                elif isinstance(comparator, (ast.Tuple, ast.List, ast.Set)):
                    served.update(e.value for e in comparator.elts if isinstance(e, ast.Constant) and isinstance(e.value, str))
        elif isinstance(node, ast.Dict):
            served.update(key.value for key in node.keys if isinstance(key, ast.Constant) and isinstance(key.value, str))
    return {name for name in served if name.isidentifier()}


def api(archive: Path) -> dict[str, set[str]]:
    found = {}
    for module, text in sources(archive).items():
        names = public_names(text)
        if names is not None and not any(part.startswith("_") for part in module.split(".")):
            found[module] = names
    return found


def diff(old: dict[str, set[str]], new: dict[str, set[str]], prefix: str | None = None) -> tuple[list[str], dict[str, list[str]]]:
    """(modules removed, {module: names removed}) from `old` to `new`."""
    def wanted(module: str) -> bool:
        return prefix is None or module == prefix or module.startswith(prefix + ".")

    gone_modules = sorted(m for m in old if m not in new and wanted(m) and not any(m.startswith(g + ".") for g in old if g not in new and g != m))
    gone_names = {}
    for module in sorted(old):
        if module in new and wanted(module):
            lost = sorted(old[module] - new[module])
            if lost:
                gone_names[module] = lost
    return gone_modules, gone_names


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("package")
    parser.add_argument("old")
    parser.add_argument("new")
    parser.add_argument("--module", help="only modules under this import path")
    parser.add_argument("--toml", action="store_true", help="print [[removed]] skeletons")
    parser.add_argument("--python-version", default="3.11", help="the Python whose wheels to read, for releases with none for 3.11 (e.g. 3.7)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as directory:
        old = api(download(args.package, args.old, Path(directory) / "old", args.python_version))
        new = api(download(args.package, args.new, Path(directory) / "new", args.python_version))
    modules, names = diff(old, new, args.module)
    if args.toml:
        for module in modules:
            print(f'[[removed]]\nmodule = "{module}"\npackage = "{args.package}"\nremoved_in = "{args.new}"\nreplacement = ""\nsource = ""\n')
        for module, lost in names.items():
            listed = ", ".join(f'"{name}"' for name in lost)
            print(f'[[removed]]\nmodule = "{module}"\nnames = [{listed}]\npackage = "{args.package}"\nremoved_in = "{args.new}"\nreplacement = ""\nsource = ""\n')
        return 0
    for module in modules:
        print(f"module {module}")
    for module, lost in names.items():
        for name in lost:
            print(f"name   {module}.{name}")
    print(f"# {args.package} {args.old} -> {args.new}: {len(modules)} modules and {sum(map(len, names.values()))} names removed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
