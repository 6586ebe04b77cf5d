"""The workspace: its root, which files deploylint reads, and how they group.

Files group into *units*: a directory holding a project marker (vercel.json,
nixpacks.toml, pyproject.toml, requirements.txt, ...) and everything beneath
it that no nearer marker claims; beneath a platform's config, a Dockerfile or
a Compose file, a directory holding only dependency or version files is part
of that build, not a unit of its own (a Dockerfile builds from a context
above it as often as from its own directory). A unit is one
deployable app: its deployments, what each installs and ships, and its
sources are worked out together, and nothing from a sibling app leaks in.
Facts come from the whole unit even when pre-commit passes only the changed
files.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

KIND_BY_NAME = {
    "vercel.json": "vercel",
    "nixpacks.toml": "nixpacks",
    "pyproject.toml": "pyproject",
    ".python-version": "python-version",
    "runtime.txt": "runtime-txt",
    ".tool-versions": "tool-versions",
    "Procfile": "procfile",
    "Pipfile": "pipfile",
    "Pipfile.lock": "pipfile",
    "uv.lock": "uv-lock",
    "poetry.lock": "poetry-lock",
    "pylock.toml": "pylock",
    "railway.json": "railway",
    "railway.toml": "railway",
    "railpack.json": "railpack",
    "netlify.toml": "netlify",
    "render.yaml": "render",
    "app.yaml": "app-engine",
    "template.yaml": "sam",
    "template.yml": "sam",
    "template.json": "sam",
    "serverless.yml": "serverless",
    "serverless.yaml": "serverless",
    "docker-compose.yml": "compose",
    "docker-compose.yaml": "compose",
    "compose.yml": "compose",
    "compose.yaml": "compose",
}
# A platform's config makes its directory an app, and everything beneath it
# belongs to that app: a SAM function's CodeUri/requirements.txt or a Vercel
# api/requirements.txt is what the platform installs, not an app of its own.
PLATFORM_MARKERS = (
    "vercel.json",
    "nixpacks.toml",
    "railway.json",
    "railway.toml",
    "railpack.json",
    "netlify.toml",
    "app.yaml",
    "template.yaml",
    "serverless.yml",
    "Procfile",
)


def _builds_here(files: set[str]) -> bool:
    """Does a directory hold a platform's config, a Dockerfile or a Compose file? Its
    subdirectories' requirements are then what that build installs, not apps of their own."""
    return any(marker in files for marker in PLATFORM_MARKERS) or any(file_kind(name) in ("dockerfile", "compose") for name in files)


# Elsewhere, a dependency or version file marks an app of its own.
UNIT_MARKERS = PLATFORM_MARKERS + (
    "pyproject.toml",
    "requirements.txt",
    ".python-version",
    "runtime.txt",
    "Pipfile",
    "setup.py",
    "setup.cfg",
)
SKIPPED_DIRS = frozenset(
    {
        ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "node_modules", "__pycache__",
        ".mypy_cache", ".pytest_cache", ".ruff_cache", ".deploylint_cache", ".hypothesis", "site-packages", ".eggs",
    }
)
# pip reads a requirements file under any name; people write REQUIREMENTS.txt too.
_REQUIREMENTS = re.compile(r"^(?:requirements|constraints)[\w.-]*\.(?:txt|in)$|^[\w.-]*requirements\.txt$", re.IGNORECASE)
_PYLOCK = re.compile(r"^pylock\.[^.]+\.toml$")  # PEP 751's named lock files, pylock.prod.toml
# Dockerfiles under the names people give them, in any case: `Dockerfile`,
# `Dockerfile.prod`, `Dockerfile-dev`, `api.Dockerfile`, `api.dockerfile`, and
# Podman's `Containerfile` under the same patterns (GitHub linguist and
# pre-commit's identify count `*.dockerfile`, `Dockerfile.*` and
# `Containerfile` as Dockerfiles). A variant whose last extension names
# another kind of file is not one: docs (`Dockerfile.md`), templates that no
# builder reads as they stand (docker-library's `Dockerfile.template`,
# `Dockerfile.j2`), BuildKit's per-Dockerfile ignore file
# (`Dockerfile.dockerignore`), backups and merge leftovers (`Dockerfile.orig`).
# .pre-commit-hooks.yaml repeats this pattern; tests/test_pre_commit.py holds
# the two together.
_NOT_DOCKERFILE = (
    "md|mdx|markdown|rst|txt|adoc|html|j2|jinja2?|tmpl|tpl|template|in|erb|mustache|dockerignore"
    "|orig|rej|bak|old|swp|tmp|sh|json|ya?ml|toml|lock|diff|patch"
)
_DOCKERFILE = re.compile(
    rf"^(?i:(?:docker|container)file(?!(?:[.-][\w.-]*)?\.(?:{_NOT_DOCKERFILE})$)(?:[.-][\w.-]+)?"
    r"|[\w.-]+\.(?:docker|container)file)$"
)


@functools.cache  # asked several times of every file in a run (the walk, the load, the rules)
def file_kind(path: str) -> str | None:
    """The kind of file deploylint reads at this workspace-relative path, or None."""
    name = path.rsplit("/", 1)[-1]
    if name in KIND_BY_NAME:
        return KIND_BY_NAME[name]
    if name.endswith(".py"):
        return "python"
    if _PYLOCK.match(name):
        return "pylock"
    if name.endswith((".yml", ".yaml")) and "/.github/workflows/" in f"/{path}":
        return "github-workflow"
    if _DOCKERFILE.match(name):
        return "dockerfile"
    if _REQUIREMENTS.match(name) or (name.endswith(".txt") and "/requirements/" in f"/{path}"):
        return "constraints" if name.lower().startswith("constraints") else "requirements"
    return None


def is_test_file(path: str) -> bool:
    """A test, or a test's helper: a deploy ships it at most, and never runs it."""
    parts = path.split("/")
    name = parts[-1]
    return (
        any(part in ("tests", "test", "testing") for part in parts[:-1])
        or name.startswith("test_")
        or name.endswith("_test.py")
        or name == "conftest.py"
    )


def inside(root: Path, path: Path) -> bool:
    """Does `path`, links resolved, lie within `root`?"""
    real = Path(os.path.realpath(path))
    real_root = Path(os.path.realpath(root))
    return real == real_root or real_root in real.parents


def _ignore_spec(path: Path):
    """The patterns of one ignore file, or None when it is absent or empty."""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return None
    if not any(line.strip() and not line.startswith("#") for line in lines):
        return None
    from pathspec import GitIgnoreSpec  # only for trees that have ignore files

    return GitIgnoreSpec.from_lines(lines)


def _ignored(chain: tuple, path: str) -> bool:
    """Does an ignore file exclude `path` (ending in / for a directory)? The deepest match decides."""
    for base, spec in reversed(chain):
        relative = path[len(base) + 1 :] if base else path
        verdict = spec.check_file(relative).include
        if verdict is not None:
            return verdict
    return False


def _git_tracked(root: Path) -> frozenset[str]:
    """The files git tracks under `root`, relative to it; none outside a repository."""
    import subprocess

    if not (root / ".git").exists():
        return frozenset()
    try:
        result = subprocess.run(["git", "ls-files", "-z"], cwd=root, capture_output=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    if result.returncode != 0:
        return frozenset()
    return frozenset(path for path in result.stdout.decode("utf-8", "surrogateescape").split("\0") if path)


def find_root(paths: list[Path], cwd: Path) -> Path:
    """The git top level above the first path, else the current directory (or the path)."""
    start = paths[0].resolve() if paths else cwd.resolve()
    if not start.is_dir():
        start = start.parent
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    cwd = cwd.resolve()
    return cwd if start == cwd or cwd in start.parents else start


class Workspace:
    """The tree under a root, as deploylint walks it; what it lists is kept for the run."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._listings: dict[str, tuple[list[str], list[str]]] = {}
        self._markers: dict[str, bool] = {}
        self._ignores: dict[str, tuple] = {}
        self._tracked: frozenset[str] | None = None

    def __repr__(self) -> str:
        return f"Workspace(root={self.root!r})"

    def add_files(self, paths) -> None:
        """Make files that exist only in memory (created by a pending fix) visible."""
        for path in paths:
            directory, _, name = path.rpartition("/")
            dirs, files = self.listing(directory)
            if name not in files:
                self._listings[directory] = (dirs, sorted([*files, name]))
                self._markers.pop(directory, None)

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root).as_posix()

    def listing(self, directory: str) -> tuple[list[str], list[str]]:
        """(subdirectories, files) of a workspace-relative directory, cached."""
        if directory not in self._listings:
            dirs, files = [], []
            try:
                with os.scandir(self.root / directory if directory else self.root) as entries:
                    for entry in entries:
                        try:
                            if entry.is_dir(follow_symlinks=False):
                                if entry.name not in SKIPPED_DIRS:
                                    dirs.append(entry.name)
                            elif entry.is_file():
                                if entry.is_symlink() and not inside(self.root, Path(entry.path)):
                                    continue  # deploylint reads only inside the workspace
                                files.append(entry.name)
                        except OSError:
                            continue
            except OSError:
                pass
            ignores = self._ignore_chain(directory)
            if ignores:
                # A file git tracks is deployed even where .gitignore matches it
                # (committed before the pattern, or with `git add -f`).
                prefix = f"{directory}/" if directory else ""
                dirs = [name for name in dirs if not _ignored(ignores, f"{prefix}{name}/") or self.tracked(f"{prefix}{name}/")]
                files = [name for name in files if not _ignored(ignores, f"{prefix}{name}") or self.tracked(f"{prefix}{name}")]
            dirs.sort()
            files.sort()
            # A virtualenv under any name is someone else's code.
            if "pyvenv.cfg" in files and directory:
                dirs, files = [], []
            self._listings[directory] = (dirs, files)
        return self._listings[directory]

    def tracked(self, path: str) -> bool:
        """Does git track `path` (a directory, ending in /: anything in it)? Asked only
        where an ignore file leaves something out, so most runs never start git."""
        if self._tracked is None:
            self._tracked = _git_tracked(self.root)
        if path.endswith("/"):
            return any(tracked.startswith(path) for tracked in self._tracked)
        return path in self._tracked

    def _ignore_chain(self, directory: str) -> tuple:
        """(base directory, spec) of every ignore file that applies in `directory`, outermost first.

        As git: `.git/info/exclude`, then each `.gitignore` from the root
        down, a deeper one overriding. The user's global excludes file is not
        read, so results do not depend on the machine.
        """
        if directory not in self._ignores:
            if directory:
                parent = directory.rsplit("/", 1)[0] if "/" in directory else ""
                chain = self._ignore_chain(parent)
            else:
                exclude = _ignore_spec(self.root / ".git" / "info" / "exclude")
                chain = (("", exclude),) if exclude else ()
            spec = _ignore_spec(self.root / directory / ".gitignore")
            self._ignores[directory] = (*chain, (directory, spec)) if spec else chain
        return self._ignores[directory]

    def is_unit_root(self, directory: str) -> bool:
        if directory not in self._markers:
            files = set(self.listing(directory)[1])
            if any(marker in files for marker in PLATFORM_MARKERS):
                self._markers[directory] = True
            else:
                self._markers[directory] = any(marker in files for marker in UNIT_MARKERS) and not self._under_platform(directory)
        return self._markers[directory]

    def _under_platform(self, directory: str) -> bool:
        while directory:
            directory = directory.rsplit("/", 1)[0] if "/" in directory else ""
            if _builds_here(set(self.listing(directory)[1])):
                return True
        return False

    def unit_root(self, path: str) -> str:
        directory = path.rsplit("/", 1)[0] if "/" in path else ""
        while directory:
            if self.is_unit_root(directory):
                return directory
            directory = directory.rsplit("/", 1)[0] if "/" in directory else ""
        return ""

    def walk(self, directory: str, *, stop_at_units: bool = False):
        """Workspace-relative paths of files deploylint reads, under `directory`."""
        stack = [directory]
        while stack:
            current = stack.pop()
            dirs, files = self.listing(current)
            for name in files:
                path = f"{current}/{name}" if current else name
                if file_kind(path):
                    yield path
            for name in reversed(dirs):
                child = f"{current}/{name}" if current else name
                if stop_at_units and self.is_unit_root(child):
                    continue
                stack.append(child)
