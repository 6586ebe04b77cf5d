"""The project: every file of each unit read into facts, and the facts together.

A unit answers what rules ask across files: which Python each deployment
really runs, and which versions of a package its constraints allow.
"""

from __future__ import annotations

import datetime
import importlib
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.version import Version

from deploylint.cache import Cache, Stamp, digest
from deploylint.diagnostics import Span
from deploylint.facts import ConfigProblem, DeclaredPython, SourceProblem
from deploylint.installs import DependencyFiles, Install
from deploylint.knowledge import Knowledge, knowledge
from deploylint.limits import MAX_FILE_BYTES, MAX_PARSED_PYTHON_BYTES, MAX_PYTHON_BYTES
from deploylint.suppressions import may_have_directives
from deploylint.text import DecodeProblem, SourceText, decode, decode_python, lossy
from deploylint.workspace import Workspace, file_kind, inside, is_test_file

if TYPE_CHECKING:
    from deploylint.sources import dockerfile, nixpacks, pyproject, python, requirements, runtime_files, vercel


@dataclass(frozen=True)
class Options:
    as_of: datetime.date
    python: str | None = None  # --python: the target for every deployment
    platforms: frozenset[str] | None = None  # `platforms`: judge only these; None: all
    cache_dir: Path | None = None  # where Python files' analyses are cached (cache.py); None: no cache

    def reads(self, kind: str) -> bool:
        """Is a file of this kind read, given `platforms`?"""
        from deploylint.deployments import READ_ONLY_BY

        return self.platforms is None or kind not in READ_ONLY_BY or bool(READ_ONLY_BY[kind] & self.platforms)


@dataclass
class Target:
    """A Python version some deployment of the unit will run."""

    platform: str  # "vercel", "docker", "nixpacks", "python-version", "override"
    python: str  # "3.12"
    declared: DeclaredPython | None  # where it comes from, if written down


@dataclass
class VercelPython:
    python: str
    declared: DeclaredPython | None
    status: str  # "default", "ok", "not-installed", "discontinued", "no-match"


@dataclass
class Unit:
    root: str
    options: Options
    vercel: vercel.VercelConfig | None = None
    nixpacks: nixpacks.NixpacksConfig | None = None
    dockerfiles: list[dockerfile.Dockerfile] = field(default_factory=list)
    requirements_files: list[requirements.RequirementsFile] = field(default_factory=list)
    pyproject: pyproject.Pyproject | None = None
    python_version: runtime_files.RuntimeFile | None = None
    runtime_txt: runtime_files.RuntimeFile | None = None
    python_files: list[str] = field(default_factory=list)
    python_sources: list[python.PythonSource] = field(default_factory=list)
    files: dict[str, SourceText] = field(default_factory=dict)
    # Every document read, by file kind; at_root() finds the ones a platform reads.
    by_kind: dict[str, list] = field(default_factory=dict)
    workspace: Workspace | None = None

    def at_root(self, kind: str, name: str | None = None):
        """The document of `kind` (named `name`) in the unit's own directory, if any."""
        for doc in self.by_kind.get(kind, ()):
            parent, _, base = doc.file.path.rpartition("/")
            if parent == self.root and (name is None or base == name):
                return doc
        return None

    @property
    def knowledge(self) -> Knowledge:
        return knowledge()

    def path(self, name: str) -> str:
        return f"{self.root}/{name}" if self.root else name

    def documents(self) -> list:
        return [doc for docs in self.by_kind.values() for doc in docs]

    # -- Pythons ---------------------------------------------------------

    def vercel_python(self) -> VercelPython:
        """What @vercel/python builds with: the first pin it reads, if installed."""
        data = self.knowledge.vercel
        default, installed = data["default_python"], data["installed_python"]
        declared = self.python_version.declared if self.python_version else None
        if declared is not None:
            minor = declared.minor
            if minor in installed:
                return VercelPython(minor, declared, "ok")
            if minor in self.knowledge.vercel_discontinued:
                return VercelPython(minor, declared, "discontinued")
            return VercelPython(default, declared, "not-installed")
        if self.pyproject and self.pyproject.requires_python is not None:
            span = self.pyproject.requires_python_span
            text = self.pyproject.file.text[span.start : span.end]
            declared = DeclaredPython(text, span, "requires-python in pyproject.toml")
            spec = self.pyproject.requires_python
            matching = [v for v in installed if spec.contains(f"{v}.0", prereleases=True)]
            if not matching:
                return VercelPython(default, declared, "no-match")
            return VercelPython(default if default in matching else matching[0], declared, "ok")
        return VercelPython(default, None, "default")

    def deployments(self):
        from deploylint.deployments import deployments

        if "_deployments" not in self.__dict__:
            self.__dict__["_deployments"] = deployments(self)
        return self.__dict__["_deployments"]

    def declared_targets(self) -> list[Target]:
        """The Python the project itself declares (.python-version), for code and files no deployment takes."""
        if self.options.python:
            return [Target("override", self.options.python, None)]
        declared = self.python_version.declared if self.python_version else None
        if declared is not None and declared.minor:
            return [Target("python-version", declared.minor, declared)]
        return []

    def analysed_for(self) -> tuple[str, ...]:
        """The Pythons the unit's Python files are analysed (and pre-filtered) for: a
        stdlib removal none of them lacks cannot be reported."""
        return tuple(sorted({target.python for target in self.stdlib_targets()}))

    def stdlib_targets(self, path: str | None = None) -> list[Target]:
        """The Pythons DPL402 judges code against: those of the deployments that
        ship `path`; where none does, the Python the project declares (without
        a path: all of these)."""
        if self.options.python:
            return [Target("override", self.options.python, None)]
        found = [Target(d.platform, d.python, d.declared) for d in self.deployments() if d.python and (path is None or d.deploys(path))]
        if path is None or not found:
            found += self.fallback_targets()
        return found

    def fallback_targets(self) -> list[Target]:
        """For code no deployment ships: `.python-version`, else the oldest Python
        that `requires-python` allows and is still supported on the as-of day
        (every such Python lacks what it lacks)."""
        declared = self.declared_targets()
        if declared:
            return declared
        releases = sorted((r for r in self.knowledge.python_releases.values() if r.end_of_life >= self.options.as_of), key=lambda r: Version(r.version))
        spec = self.pyproject.requires_python if self.pyproject else None
        for release in releases:
            if spec is None or any(spec.contains(f"{release.version}.{patch}", prereleases=True) for patch in (0, 99)):
                return [Target("oldest-supported" if spec is None else "requires-python", release.version, None)]
        return []

    # -- What each deployment installs ------------------------------------

    @property
    def dependency_files(self) -> DependencyFiles:
        if "_dependency_files" not in self.__dict__:
            self.__dict__["_dependency_files"] = DependencyFiles(self)
        return self.__dict__["_dependency_files"]

    def installs(self) -> list[Install]:
        """Every install the unit's deployments run; with no deployment, each dependency file on its own."""
        if "_installs" not in self.__dict__:
            found: list[Install] = []
            for deployment in self.deployments():
                python = self.options.python or deployment.python
                if deployment.install_files is None:
                    found += self._alternatives(deployment.name, python, deployment.declared, deployment)
                    continue
                found.append(self._install(deployment.name, python, deployment.declared, deployment.install_files, deployment.inline, deployment))
            if not self.deployments():
                target = next(iter(self.declared_targets()), None)
                found += self._alternatives("no platform known", target.python if target else None, target.declared if target else None, None)
            found += self._ci_installs()
            self.__dict__["_installs"] = found
        return self.__dict__["_installs"]

    def _install(self, label, python, declared, files, inline, deployment) -> Install:
        install = Install(label, python, declared, tuple(files), self.dependency_files.facts(list(files)) + list(inline), self.knowledge, self.options.as_of)
        install.deployment = deployment
        if deployment is not None:
            install.chosen_by, install.chosen_at = deployment.chosen_by, deployment.chosen_at
        return install

    def _alternatives(self, label, python, declared, deployment) -> list[Install]:
        roots = self.dependency_files.roots()
        if not roots:
            return [self._install(label, python, declared, [], [], deployment)]
        installs = []
        for root in roots:
            install = self._install(label, python, declared, self.dependency_files.closure(root), [], deployment)
            install.chosen_by = f"which dependency file {label if deployment else 'the app'} installs is not known: {root} is one alternative"
            installs.append(install)
        return installs

    def _ci_installs(self) -> list[Install]:
        """What GitHub workflows install with `pip install -r`, on each Python setup-python gives the job."""
        found = []
        for workflow in self.by_kind.get("github-workflow", ()):
            for step in workflow.ci_installs:
                # A job runs in the repository's root, where the workspace starts.
                files = self.dependency_files.installed_by([step.script], "")
                if not files:
                    continue
                label = f"GitHub Actions ({workflow.file.path}, job {step.job})"
                for runtime in step.runtimes or [None]:
                    python = self.options.python or (runtime.python if runtime else None)
                    declared = DeclaredPython(runtime.value, runtime.span, f"setup-python in {workflow.file.path}") if runtime else None
                    install = self._install(label, python, declared, files, [], None)
                    install.ci, install.chosen_at, install.chosen_by = True, step.span, f"{label} runs pip install -r"
                    found.append(install)
        return found

    def installs_for(self, path: str) -> list[Install]:
        """The installs that run `path`: those of the deployments that ship it; where none
        does, every dependency file on its own, on the Python the project declares."""
        shipping = [install for install in self.installs() if not install.ci and (install.deployment is None or install.deployment.deploys(path))]
        if shipping:
            return shipping
        key = "_unshipped_installs"
        if key not in self.__dict__:
            target = next(iter(self.declared_targets()), None)
            self.__dict__[key] = self._alternatives("no deployment ships it", target.python if target else None, target.declared if target else None, None)
        return self.__dict__[key]

    # -- Docker build contexts --------------------------------------------

    def docker_context(self, dockerfile: str) -> str:
        """The build context of a Dockerfile: its own directory, unless docker-compose.yml
        names another, or railway.json builds it from the service's directory."""
        for compose_file in self.by_kind.get("compose", ()):
            for service in compose_file.builds:
                if service.dockerfile == dockerfile:
                    return service.context
        # A Compose file above the app (a monorepo's root) may build it too.
        for service in self._compose_builds_above():
            if service.dockerfile == dockerfile:
                return service.context
        for railway_config in self.by_kind.get("railway", ()):
            if getattr(railway_config, "dockerfile_path", None) == dockerfile:
                return railway_config.file.path.rpartition("/")[0]
        return dockerfile.rpartition("/")[0]

    def _compose_builds_above(self) -> list:
        """The builds of the Compose files in the directories above the unit."""
        if "_compose_above" not in self.__dict__:
            builds = []
            directory = self.root
            while directory and self.workspace is not None:
                directory = directory.rpartition("/")[0]
                for name in self.workspace.listing(directory)[1]:
                    if file_kind(name) != "compose":
                        continue
                    path = f"{directory}/{name}" if directory else name
                    try:
                        builds += reader("compose")(read_source(self.workspace.root / path, path)).builds
                    except (SourceProblem, OSError):
                        continue  # reported as DPL001 where that file is checked
            self.__dict__["_compose_above"] = builds
        return self.__dict__["_compose_above"]

    def dockerignore(self, context: str) -> list[tuple[bool, str]]:
        """The (negated, pattern) lines of the context's .dockerignore."""
        path = self.workspace.root / context / ".dockerignore" if self.workspace else None
        try:
            lines = path.read_text(encoding="utf-8", errors="replace").splitlines() if path else []
        except OSError:
            return []
        patterns = []
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#"):
                patterns.append((line.startswith("!"), line.lstrip("!").strip()))
        return patterns

    def is_directory(self, path: str) -> bool:
        if self.workspace is None:
            return False
        parent, _, name = path.rstrip("/").rpartition("/")
        return name in self.workspace.listing(parent)[0]


@dataclass
class Problem:
    span: Span
    message: str


@dataclass
class Project:
    workspace: Workspace
    options: Options
    units: list[Unit] = field(default_factory=list)
    files: dict[str, SourceText] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    config_problems: list[ConfigProblem] = field(default_factory=list)
    subjects: set[str] = field(default_factory=set)


# Each kind's reader, as "module:function" under deploylint.sources: imported when a
# file of the kind is read, so a tree without YAML never loads PyYAML, and so on.
_READERS = {
    "vercel": "vercel:read",
    "nixpacks": "nixpacks:read",
    "pyproject": "pyproject:read",
    "python-version": "runtime_files:read",
    "runtime-txt": "runtime_files:read",
    "tool-versions": "runtime_files:read",
    "procfile": "runtime_files:read",
    "pipfile": "pipfile:read",
    "railway": "railway:read",
    "railpack": "railway:read_railpack",
    "netlify": "netlify:read",
    "render": "render:read",
    "app-engine": "app_engine:read",
    "sam": "aws_lambda:read_template",
    "serverless": "aws_lambda:read_serverless",
    "github-workflow": "github_workflows:read",
    "dockerfile": "dockerfile:read",
    "compose": "compose:read",
    "requirements": "requirements:read",
    "constraints": "requirements:read_constraints",
    "uv-lock": "lockfiles:read_uv_lock",
    "poetry-lock": "lockfiles:read_poetry_lock",
    "pylock": "lockfiles:read_pylock",
}


def reader(kind: str):
    """The function that reads a file of this kind into its facts."""
    module, function = _READERS[kind].split(":")
    return getattr(importlib.import_module(f"deploylint.sources.{module}"), function)


# Readers that keep a byte-order mark as a character, and so fail on it.
_BOM_REJECTED_BY = {
    "vercel": "JSON.parse",
    "pyproject": "tomllib (which pip uses to read pyproject.toml)",
    "nixpacks": "tomllib",
    "netlify": "tomllib",
    "pipfile": "tomllib",
    "uv-lock": "tomllib",
    "poetry-lock": "tomllib",
    "pylock": "tomllib",
}


class Loader:
    """Reads files (from disk, or from the pending fixes' in-memory texts)."""

    def __init__(self, workspace: Workspace, overlay: dict[str, str] | None = None, cache_dir: Path | None = None) -> None:
        self.workspace = workspace
        self.overlay = overlay or {}
        self.cache = Cache(cache_dir, workspace.root) if cache_dir is not None else None
        self.unreadable: dict[str, SourceText] = {}  # lossy texts, to locate decode problems

    def read_text(self, path: str) -> SourceText:
        return self.overlay_text(path) or read_source(self.workspace.root / path, path, self.unreadable)

    def overlay_text(self, path: str) -> SourceText | None:
        return SourceText(path, self.overlay[path]) if path in self.overlay else None


def read_source(full: Path, path: str, unreadable: dict[str, SourceText] | None = None) -> SourceText:
    """Read and decode one workspace file, as its consumer decodes it."""
    return decode_source(path, read_bytes(full, path), unreadable)


def read_bytes(full: Path, path: str, size: int | None = None) -> bytes:
    """A workspace file's bytes, unless it is over the size limit for its kind (`size`: its
    size, if stat'ed already)."""
    if size is None:
        size = full.stat().st_size
    limit = MAX_PYTHON_BYTES if file_kind(path) == "python" else MAX_FILE_BYTES
    if size > limit:
        raise SourceProblem(f"not read: {_mib(size)} is over the {_mib(limit)} limit for this kind of file")
    return full.read_bytes()


def decode_source(path: str, data: bytes, unreadable: dict[str, SourceText] | None = None) -> SourceText:
    kind = file_kind(path)
    try:
        if kind == "python":
            return decode_python(path, data)
        return decode(path, data, bom_rejected_by=_BOM_REJECTED_BY.get(kind))
    except DecodeProblem as problem:
        if unreadable is not None:
            unreadable[path] = lossy(path, data)
        raise SourceProblem(problem.message, problem.offset) from None


def load(workspace: Workspace, subjects: list[str], options: Options, overlay: dict[str, str] | None = None) -> Project:
    """Read the units that contain the subject files, and everything in them."""
    loader = Loader(workspace, overlay, options.cache_dir)
    workspace.add_files(overlay or ())
    project = Project(workspace, options, subjects=set(subjects))
    units: dict[str, Unit] = {}
    named: dict[str, list[str]] = {}  # unit root -> its subjects other than Python files
    for path in subjects:
        root = workspace.unit_root(path)
        if root not in units:
            units[root] = Unit(root, options, workspace=workspace)
        if file_kind(path) == "python":
            units[root].python_files.append(path)
        else:
            named.setdefault(root, []).append(path)
    for root, unit in sorted(units.items()):
        walked = list(workspace.walk(root, stop_at_units=True))
        # A file named on the command line is read even where .gitignore
        # leaves it out of the walk, as ruff does.
        seen = set(walked)
        for path in walked + [path for path in named.get(root, ()) if path not in seen]:
            kind = file_kind(path)
            if kind == "python" or not options.reads(kind):
                continue
            document = _read(loader, project, path, kind)
            if document is None:
                continue
            unit.files[path] = document.file
            unit.by_kind.setdefault(kind, []).append(document)
            parent = path.rsplit("/", 1)[0] if "/" in path else ""
            at_root = parent == root
            if kind == "vercel" and at_root:
                unit.vercel = document
            elif kind == "nixpacks" and at_root:
                unit.nixpacks = document
            elif kind == "pyproject" and at_root:
                unit.pyproject = document
            elif kind == "python-version" and at_root:
                unit.python_version = document
            elif kind == "runtime-txt" and at_root:
                unit.runtime_txt = document
            elif kind == "dockerfile":
                unit.dockerfiles.append(document)
            elif kind in ("requirements", "constraints"):
                unit.requirements_files.append(document)
            project.config_problems.extend(document.facts.config_problems)
        _read_named_dockerfiles(loader, project, unit, options)
        _read_python(loader, project, unit)
        project.units.append(unit)
    for path, file in loader.unreadable.items():
        project.files.setdefault(path, file)
    if loader.cache is not None:
        loader.cache.save()  # once, for every unit's files
    return project


def _read_named_dockerfiles(loader: Loader, project: Project, unit: Unit, options: Options) -> None:
    """A Dockerfile named by docker-compose.yml (build.dockerfile) or railway.json
    (build.dockerfilePath) is read whatever its name."""
    if not options.reads("dockerfile"):
        return
    named = [build.dockerfile for doc in unit.by_kind.get("compose", ()) for build in doc.builds]
    named += [doc.dockerfile_path for doc in unit.by_kind.get("railway", ()) if getattr(doc, "dockerfile_path", None)]
    for path in dict.fromkeys(named):
        if path in unit.files or not (loader.workspace.root / path).is_file() or not inside(loader.workspace.root, loader.workspace.root / path):
            continue
        if file_kind(path) == "dockerfile" and loader.workspace.unit_root(path) != unit.root:
            continue  # another app's Dockerfile: that app judges it, with this build's context
        document = _read(loader, project, path, "dockerfile")
        if document is not None:
            unit.files[path] = document.file
            unit.by_kind.setdefault("dockerfile", []).append(document)
            unit.dockerfiles.append(document)


def _read_python(loader: Loader, project: Project, unit: Unit) -> None:
    """Parse the unit's Python files that the pre-filter says can hold a finding."""
    for path, file, source, problem, lossy_text in _analyse_all(loader, unit.python_files, unit.analysed_for()):
        if problem is not None:
            project.problems.append(problem)
        if lossy_text is not None:
            loader.unreadable[path] = lossy_text
        if file is not None:
            project.files[path] = file
            unit.files[path] = file
        if source is not None:
            unit.python_sources.append(source)


# Below this many files, starting worker processes and sending their results
# back costs more than it saves. Measured on this 2-core machine: serial wins
# at 400 stdlib files (6 MB, mostly ruled out by the pre-filter) and at 256
# numpy-using files (all parsed); the numpy tree breaks even near 500 files,
# the stdlib near 800.
PARALLEL_MIN_FILES = 512


def _analyse_all(loader: Loader, paths: list[str], pythons: tuple[str, ...]) -> list[tuple]:
    """`_analyse_text` for every path, results in path order: from the content cache where it
    holds the file's analysis; the rest afresh (then stored in the cache)."""
    cache = loader.cache
    found = _from_cache(loader, paths, pythons)
    rest = [path for path in paths if path not in found]
    fresh = dict(zip(rest, _analyse_each(loader, rest, pythons)))
    if cache is not None:
        for path, (result, stamp) in fresh.items():
            if stamp is not None:
                cache.store(path, stamp, pythons, result)
    return [found[path] if path in found else fresh[path][0] for path in paths]


def _from_cache(loader: Loader, paths: list[str], pythons: tuple[str, ...]) -> dict[str, tuple]:
    """The cached analyses of these files, looked up here rather than in workers: on a warm
    run this is all the work, and too little to be worth starting processes for."""
    if loader.cache is None:
        return {}
    loader.cache.prepare()  # once, before any worker forks
    found = {}
    for path in paths:
        if path in loader.overlay:
            continue  # an editor's buffer or a pending fix: never cached
        result = loader.cache.lookup(path, pythons)
        if result is not None:
            found[path] = result
    return found


def _analyse_each(loader: Loader, paths: list[str], pythons: tuple[str, ...]) -> list[tuple]:
    """`_analyse` for every path, across processes when there are enough."""
    # DEPLOYLINT_JOBS=N uses N processes (1: none); unset, the size decides.
    requested = int(os.environ.get("DEPLOYLINT_JOBS", "0") or 0)
    jobs = requested or min(os.cpu_count() or 1, 8)
    worth_it = requested > 1 or len(paths) >= PARALLEL_MIN_FILES
    if jobs < 2 or len(paths) < 2 or not worth_it or any(path in loader.overlay for path in paths):
        return [_analyse(loader, path, pythons) for path in paths]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # fork shares the loaded knowledge with the workers; elsewhere they load it.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    from deploylint import knowledge as data

    if context is not None:
        knowledge().prefilter_for(pythons)  # built once, here, rather than once per worker

    with ProcessPoolExecutor(jobs, mp_context=context, initializer=_set_worker_loader, initargs=(loader, data.extension_paths)) as pool:
        work = [(path, pythons) for path in paths]
        return list(pool.map(_analyse_in_worker, work, chunksize=max(1, len(paths) // (jobs * 8))))


_worker_loader: Loader | None = None


def _set_worker_loader(loader: Loader, extension_paths: tuple = ()) -> None:
    global _worker_loader
    _worker_loader = loader
    if extension_paths and sys.platform != "linux":
        # A spawned worker starts from the packaged knowledge: extend it as the parent did.
        from deploylint.knowledge import extend

        extend(extension_paths)


def _analyse_in_worker(work: tuple[str, tuple[str, ...]]) -> tuple:
    return _analyse(_worker_loader, *work)


def _analyse(loader: Loader, path: str, pythons: tuple[str, ...]) -> tuple:
    """(`_analyse_text`'s result, the stamp of the bytes it analysed, or None when it is not
    to be cached: no cache, or an in-memory text)."""
    if loader.cache is None or path in loader.overlay:
        return _analyse_text(loader, path, pythons), None
    full = loader.workspace.root / path
    try:
        stat = full.stat()  # before the read: see Stamp
        data = read_bytes(full, path, stat.st_size)
    except (SourceProblem, OSError) as error:
        return (path, None, None, _problem(path, error), None), None
    # The stamp is of these very bytes: the file may change while it is analysed.
    return _analyse_text(loader, path, pythons, data), Stamp(stat.st_mtime_ns, stat.st_size, digest(data))


def _analyse_text(loader: Loader, path: str, pythons: tuple[str, ...], data: bytes | None = None) -> tuple:
    """(path, file, source, problem, lossy) for one Python file (`data`: its bytes, if read).

    `file` is None when the pre-filter skipped it, or it was parsed and holds
    no removed name (unless it may hold a suppression); `source` is set when
    it has a removed name; `problem` is a DPL001; `lossy` is a best-effort
    text that locates a problem in bytes that did not decode.
    """
    unreadable: dict[str, SourceText] = {}
    try:
        if data is not None:
            file = decode_source(path, data, unreadable)
        else:
            file = loader.overlay_text(path) or read_source(loader.workspace.root / path, path, unreadable)
    except (SourceProblem, OSError) as error:
        return path, None, None, _problem(path, error), unreadable.get(path)
    # A file with a suppression comment is sent back all the same, so that an
    # unused one can be reported (DPL003).
    keep = file if may_have_directives(file.text) else None
    if is_test_file(path):
        # DPL401/402 leave tests out (a deploy never runs them), and nothing else reads
        # a file's uses: a project's tests, often most of its code, are not parsed.
        return path, keep, None, None, None
    if os.environ.get("DEPLOYLINT_PREFILTER") != "0" and not knowledge().prefilter_for(pythons)(file.text):
        return path, keep, None, None, None
    if len(file.text) > MAX_PARSED_PYTHON_BYTES:
        message = f"not analysed: {_mib(len(file.text))} is over the {_mib(MAX_PARSED_PYTHON_BYTES)} limit for parsing Python"
        return path, file, None, Problem(Span(path, 0, 0), message), None
    try:
        from deploylint.sources import python

        source = python.read(file, knowledge())
    except SourceProblem as problem:
        return path, file, None, _problem(path, problem), None
    if not source.uses:
        return path, keep, None, None, None  # as if skipped: nothing more to send back from a worker
    return path, file, source, None, None


def _mib(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.0f} MiB"
    return f"{size / 1024:.0f} KiB" if size >= 1024 else f"{size} bytes"


def _problem(path: str, error: SourceProblem | OSError) -> Problem:
    """The DPL001 for a file that could not be read, decoded or parsed."""
    if isinstance(error, SourceProblem):
        return Problem(Span(path, error.offset, error.offset), error.message)
    return Problem(Span(path, 0, 0), f"cannot read file: {error.strerror or error}")


def _read(loader: Loader, project: Project, path: str, kind: str):
    try:
        file = loader.read_text(path)
    except (SourceProblem, OSError) as error:
        project.problems.append(_problem(path, error))
        return None
    project.files[path] = file
    try:
        return reader(kind)(file)
    except SourceProblem as problem:
        project.problems.append(_problem(path, problem))
    except RecursionError:
        project.problems.append(Problem(Span(path, 0, 0), "nesting is too deep to read"))
    return None

