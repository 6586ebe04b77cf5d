"""Which platforms a unit deploys to, and the Python each one will really run.

Each platform reads the version from its own files, in its own order, and
falls back to its own default; these functions follow the platforms' builder
code (sources in knowledge/platforms.toml), not what the files seem to say.
"""

from __future__ import annotations

import fnmatch
import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, RequirementFact

if TYPE_CHECKING:
    from deploylint.project import Unit

PLATFORM_NAMES = {
    "vercel": "Vercel",
    "nixpacks": "Nixpacks",
    "railpack": "Railpack",
    "heroku": "Heroku",
    "docker": "Docker",
    "render": "Render",
    "netlify": "Netlify",
    "lambda": "AWS Lambda",
    "app-engine": "App Engine",
}

# What `platforms` (config) and --platforms accept: the deployment platforms,
# and GitHub Actions, whose setup-python DPL101 also judges.
PLATFORMS = (*PLATFORM_NAMES, "github-actions")
# The file kinds that only these platforms read: with `platforms` set, files of
# a kind no listed platform reads are not read at all.
READ_ONLY_BY = {
    "vercel": {"vercel"},
    "nixpacks": {"nixpacks"},
    "railpack": {"railpack"},
    "railway": {"nixpacks", "railpack"},
    "procfile": {"heroku"},
    "dockerfile": {"docker"},
    "compose": {"docker"},
    "render": {"render"},
    "netlify": {"netlify"},
    "sam": {"lambda"},
    "serverless": {"lambda"},
    "app-engine": {"app-engine"},
    "github-workflow": {"github-actions"},
}


@dataclass
class Shipping:
    """The files a build copies into what it deploys: a Docker build context,
    filtered by the COPY/ADD sources and .dockerignore."""

    context: str  # workspace-relative directory ("" for the root)
    sources: list[str] | None = None  # context-relative COPY sources; None: everything
    ignore: list[tuple[bool, str]] = field(default_factory=list)  # (negated, pattern) from .dockerignore

    def includes(self, path: str) -> bool:
        if self.context and not path.startswith(f"{self.context}/"):
            return False
        relative = path[len(self.context) + 1 :] if self.context else path
        if self.sources is not None and not any(_covers(source, relative) for source in self.sources):
            return False
        excluded = False
        for negated, pattern in self.ignore:
            if _covers(pattern, relative):
                excluded = not negated
        return not excluded


def _covers(pattern: str, path: str) -> bool:
    """Does a context-relative pattern (a file, a directory, a glob) take in `path`?"""
    pattern = posixpath.normpath(pattern.strip().lstrip("/")) if pattern.strip() not in ("", ".", "./") else "."
    if pattern == ".":
        return True
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    return any(prefix == pattern or fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes)


@dataclass
class Deployment:
    platform: str
    python: str | None  # the minor it runs; None when the platform's default is unknown
    declared: DeclaredPython | None  # what decided it; None: the platform's default
    # Declarations the platform reads but overrides, or never reads at all.
    ignored: list[DeclaredPython] = field(default_factory=list)
    replaced: bool = False  # a version was asked for, and the platform silently used another
    # What it installs: the dependency files its builder reads (the chosen one
    # first) and requirements written inline; None when which file the
    # builder picks is not known here (each dependency file is then an
    # alternative, judged on this deployment's Python).
    install_files: list[str] | None = None
    inline: list[RequirementFact] = field(default_factory=list)
    chosen_by: str = ""  # why those files, for messages and `deploylint show`
    chosen_at: Span | None = None
    ships: Shipping | None = None  # None: every file of the unit
    # Every version declaration the platform reads (the deciding one included),
    # in its order: two of them that disagree are DPL102.
    reads: list[DeclaredPython] = field(default_factory=list)
    label: str = ""  # "Docker (api/Dockerfile)": which build, where a unit has several

    @property
    def name(self) -> str:
        return self.label or PLATFORM_NAMES.get(self.platform, self.platform)

    def deploys(self, path: str) -> bool:
        return self.ships is None or self.ships.includes(path)

    def describe(self) -> str:
        if self.declared:
            return f"{self.name} runs Python {self.python or '?'} from {self.declared.source}"
        return f"{self.name} runs its default Python {self.python or '?'}"


def _declared(doc) -> DeclaredPython | None:
    """The version a RuntimeFile-shaped document declares (.python-version, Pipfile, railpack.json, ...)."""
    return doc.declared if doc is not None else None


def deployments(unit: "Unit") -> list[Deployment]:
    found: list[Deployment] = []
    for platform in (_vercel, _nixpacks, _railpack, _heroku, _docker, _render, _netlify, _serverless):
        found.extend(platform(unit))
    if unit.options.platforms is not None:
        found = [deployment for deployment in found if deployment.platform in unit.options.platforms]
    for deployment in found:
        if deployment.install_files is None and not deployment.chosen_by:
            _by_precedence(unit, deployment)
        if not deployment.reads:
            deployment.reads = [d for d in (deployment.declared, *deployment.ignored) if d is not None]
        if deployment.chosen_at is None:
            deployment.chosen_at = _config_span(unit, deployment)
    return found


# The files that make a unit a deployment of each platform, in the order they are looked for.
_CONFIG_KINDS = {"vercel": ("vercel",), "nixpacks": ("nixpacks", "railway"), "railpack": ("railpack", "railway"), "heroku": ("procfile",), "render": ("render",), "netlify": ("netlify",)}


def _config_span(unit, deployment: Deployment) -> Span | None:
    """The platform file that says how this app is built: where an install's finding points for context."""
    for kind in _CONFIG_KINDS.get(deployment.platform, ()):
        doc = unit.at_root(kind)
        if doc is not None:
            return Span(doc.file.path, 0, 0)
    if deployment.platform in ("lambda", "app-engine") and deployment.declared is not None:
        return deployment.declared.span
    return None


# -- what each builder installs ------------------------------------------


def _by_precedence(unit, deployment: Deployment, directory: str | None = None) -> None:
    """The dependency file the platform's builder picks (knowledge: `install` tables)."""
    rules = unit.knowledge.install_rules(deployment.platform)
    if rules is None:
        return
    base = unit.root if directory is None else directory
    locks = tuple(rules["locks"]) if "locks" in rules else None
    found = unit.dependency_files

    def at(name: str) -> str:
        return posixpath.join(base, name) if base else name

    if "one_of" in rules:
        present = [name for name in rules["one_of"] if found.find(at(name)) is not None]
        if len(present) == 1:
            manifest = {"poetry.lock": "pyproject.toml", "uv.lock": "pyproject.toml"}.get(present[0], present[0])
            deployment.install_files = found.closure(at(manifest), locks) if found.find(at(manifest)) else found.closure(at(present[0]))
            deployment.chosen_by = f"{deployment.name} installs from {present[0]}, the one package manager file it found: {rules['source']}"
        else:
            # None (the build fails before installing) or several (it refuses to choose).
            deployment.install_files = []
            deployment.chosen_by = f"{deployment.name} finds {len(present)} of {', '.join(rules['one_of'])} and installs nothing: {rules['source']}"
        return
    names = rules["order"]
    for name in names:
        if found.find(at(name)) is not None:
            later = names[names.index(name) + 1 :]
            deployment.install_files = found.closure(at(name), locks)
            deployment.chosen_by = f"{deployment.name} installs {name} first" + (f" (before {', '.join(later)})" if later else "") + f": {rules['source']}"
            return
    deployment.install_files = []
    deployment.chosen_by = f"{deployment.name} finds none of {', '.join(names)}: {rules['source']}"


# Framework presets that build with @vercel/python (packages/frameworks/src/frameworks.ts).
_VERCEL_PYTHON_FRAMEWORKS = {"fastapi", "flask", "django", "fasthtml", "python"}
# Where the builder looks for an app's entrypoint (packages/python/src/entrypoint.ts).
_VERCEL_ENTRYPOINT_DIRS = ("", "src", "app", "api")
_VERCEL_ENTRYPOINTS = ("app.py", "index.py", "server.py", "main.py", "wsgi.py", "asgi.py")


def vercel_builds_python(unit) -> bool:
    """Does Vercel build Python here? A Python builder or `functions` entry, a Python
    framework preset, or zero-config: api/*.py, or an entrypoint beside a manifest
    when vercel.json names no other framework. A frontend-only vercel.json does not."""
    config = unit.vercel
    if config is None:
        return False
    if config.builds_python:
        return True
    if config.builds:
        return False  # explicit builds replace zero-config detection
    root = config.root
    framework_node = root.get("framework") if hasattr(root, "get") else None
    framework = getattr(framework_node, "value", None)
    if isinstance(framework, str) and framework.lower() in _VERCEL_PYTHON_FRAMEWORKS:
        return True
    if unit.workspace is None:
        return False
    if any(name.endswith(".py") for name in unit.workspace.listing(unit.path("api"))[1]):
        return True
    if isinstance(framework, str):
        return False  # another framework, no Python functions
    has_manifest = any(unit.at_root(kind) for kind in ("requirements", "pyproject", "pipfile"))
    return has_manifest and any(
        name in _VERCEL_ENTRYPOINTS for directory in _VERCEL_ENTRYPOINT_DIRS for name in unit.workspace.listing(unit.path(directory) if directory else unit.root)[1]
    )


def _vercel(unit):
    if not vercel_builds_python(unit):
        return []
    resolved = unit.vercel_python()
    if resolved.status == "discontinued":
        return [Deployment("vercel", None, resolved.declared, reads=[resolved.declared])]
    declared = resolved.declared if resolved.status == "ok" else None
    deployment = Deployment("vercel", resolved.python, declared, replaced=resolved.status in ("not-installed", "no-match"))
    if resolved.declared and not declared:
        deployment.ignored.append(resolved.declared)
    _by_precedence(unit, deployment, _vercel_manifest_directory(unit))
    return [deployment]


def _vercel_manifest_directory(unit) -> str:
    """Where @vercel/python finds its manifest: the nearest directory holding one, walking up
    from the entrypoint's (`builds[].src`, else api/ for zero-config functions) to the app's root."""
    config = unit.vercel
    starts = []
    for build in config.builds:
        src = build.node.get("src") if hasattr(build.node, "get") else None
        value = getattr(src, "value", None)
        if isinstance(value, str) and value.endswith(".py") and "*" not in value:
            starts.append(posixpath.dirname(posixpath.normpath(value)))
    if not starts and unit.workspace is not None and any(name.endswith(".py") for name in unit.workspace.listing(unit.path("api"))[1]):
        starts.append("api")
    names = unit.knowledge.install_rules("vercel")["order"]
    for start in starts:
        directory = start
        while directory and not directory.startswith(".."):
            path = unit.path(directory)
            if any(unit.dependency_files.find(posixpath.join(path, name)) for name in names):
                return path
            directory = posixpath.dirname(directory)
    return unit.root


def _railway_builder(unit) -> str | None:
    config = unit.at_root("railway")
    return config.builder if config else None


def _nixpacks(unit):
    builder = _railway_builder(unit)
    if not (unit.nixpacks or builder == "NIXPACKS") or builder in ("RAILPACK", "DOCKERFILE"):
        return []
    data = unit.knowledge.nixpacks
    packages = data["python_packages"]
    ignored: list[DeclaredPython] = []
    if unit.nixpacks and unit.nixpacks.nix_pythons:  # python311 in nixPkgs: what gets installed
        declared = unit.nixpacks.nix_pythons[0]
        return [_nixpacks_install(unit, Deployment("nixpacks", declared.minor, declared))]
    variable = unit.nixpacks.python_variable if unit.nixpacks else None
    python_version = _declared(unit.python_version)
    chosen = variable
    if variable is None and python_version is not None:
        chosen = python_version
    else:
        for doc in (unit.runtime_txt, unit.at_root("pipfile", "Pipfile"), unit.at_root("tool-versions")):
            if doc is not None:
                # runtime.txt, Pipfile and .tool-versions override the variable,
                # and a Pipfile without a version erases it.
                if variable is not None:
                    ignored.append(variable)
                chosen = _declared(doc)
                break
    if python_version is not None and chosen is not python_version:
        ignored.append(python_version)
    if chosen is None:
        deployment = Deployment("nixpacks", data["default_python"], None, ignored)
    elif chosen.minor not in packages.values():
        deployment = Deployment("nixpacks", data["default_python"], None, [*ignored, chosen], replaced=True)
    else:
        deployment = Deployment("nixpacks", chosen.minor, chosen, ignored)
    return [_nixpacks_install(unit, deployment)]


def _nixpacks_install(unit, deployment: Deployment) -> Deployment:
    """A [phases.install] with commands and no '...' replaces the provider's install."""
    config = unit.nixpacks
    if config is None:
        return deployment
    own = False
    commands = []
    for phase in config.ordered_phases():
        commands += [item.value for item in phase.cmds or () if item.value != "..."]
        if phase.name == "install" and phase.cmds is not None and not any(item.value == "..." for item in phase.cmds):
            own = True
            deployment.chosen_at = config.span(phase.cmds[0].span) if phase.cmds else None
    deployment.inline = list(config.facts.requirements)
    if own:
        deployment.install_files = unit.dependency_files.installed_by(commands, unit.root)
        deployment.chosen_by = f"the install phase of {config.file.path} replaces the Python provider's install"
    else:
        _by_precedence(unit, deployment)
        provider = deployment.install_files or []
        deployment.install_files = unit.dependency_files.installed_by(commands, unit.root)
        deployment.install_files = list(dict.fromkeys(provider + deployment.install_files))
    return deployment


def _railpack(unit):
    config = unit.at_root("railpack")
    if config is None and _railway_builder(unit) != "RAILPACK":
        return []
    candidates = [
        _declared(config),
        _declared(unit.python_version),
        _declared(unit.at_root("tool-versions")),
        _declared(unit.runtime_txt),
        _declared(unit.at_root("pipfile", "Pipfile")),
    ]
    reads = [c for c in candidates if c is not None]
    if not reads:
        return [Deployment("railpack", unit.knowledge.railpack["default_python"], None)]
    return [Deployment("railpack", reads[0].minor, reads[0], reads=reads)]


# Files that say the app is built by something else, although Procfile (which
# Nixpacks and others also read for the start command) is there.
_NOT_HEROKU = ("vercel", "nixpacks", "railway", "railpack", "render", "netlify", "app-engine", "sam", "serverless")


def _heroku(unit):
    if unit.at_root("procfile") is None or any(unit.at_root(kind) for kind in _NOT_HEROKU):
        return []
    lock = unit.at_root("pipfile", "Pipfile.lock")
    reads = [d for d in map(_declared, (unit.runtime_txt, unit.python_version, lock)) if d is not None]
    if reads:
        return [Deployment("heroku", reads[0].minor, reads[0], reads=reads)]
    return [Deployment("heroku", unit.knowledge.heroku["default_python"], None)]


def _docker(unit):
    found = []
    for doc in unit.dockerfiles:
        stage = doc.python_stage()
        if stage and stage.python.minor:
            deployment = Deployment("docker", stage.python.minor, stage.python, label=f"Docker ({doc.file.path})")
            _docker_install(unit, doc, deployment)
            found.append(deployment)
    return found


def _docker_install(unit, doc, deployment: Deployment) -> None:
    """A Dockerfile installs what its RUN lines name, brought in from the build context by COPY."""
    context = unit.docker_context(doc.file.path)
    copied = [source.strip() for copy in doc.copies for source in copy.sources]
    sources = None if any(source in (".", "./", "*") for source in copied) else copied
    deployment.ships = Shipping(context, sources, unit.dockerignore(context))
    files: list[str] = []
    for run, workdir in zip(doc.pip_runs, doc.pip_workdirs):
        for word in run.install.requirement_files + run.install.constraint_files:
            if not word.dynamic:
                files += _context_file(unit, doc, context, posixpath.normpath(posixpath.join(workdir, word.value)))
    for install in doc.project_installs:
        for manifest in ("pyproject.toml", "Pipfile"):
            files += _context_file(unit, doc, context, posixpath.join(install.directory, manifest))
    deployment.install_files = list(dict.fromkeys(files))
    deployment.inline = list(doc.facts.requirements)
    deployment.chosen_by = f"{doc.file.path} installs what its RUN lines name"
    if doc.pip_runs:
        deployment.chosen_at = doc.pip_runs[0].instruction_span


def _context_file(unit, doc, context: str, image_file: str) -> list[str]:
    """The context file a COPY put at `image_file` in the image, with what it brings in."""
    def workspace(relative: str) -> str:
        relative = posixpath.normpath(relative)
        return posixpath.join(context, relative) if context else relative

    name = posixpath.basename(image_file)
    for copy in reversed(doc.copies):
        many = len(copy.sources) > 1
        for source in copy.sources:
            source = source.strip()
            if source in (".", "./") or unit.is_directory(workspace(source)):
                directory = copy.dest.rstrip("/") or "/"
                if image_file.startswith(directory.rstrip("/") + "/"):
                    candidate = workspace(posixpath.join(source, image_file[len(directory.rstrip("/")) + 1 :]))
                    if unit.dependency_files.find(candidate) is not None:
                        return unit.dependency_files.closure(candidate)
                continue
            into_directory = copy.dest.endswith("/") or many
            target = posixpath.join(copy.dest, posixpath.basename(source)) if into_directory else copy.dest
            if target == image_file or (not into_directory and posixpath.join(copy.dest, posixpath.basename(source)) == image_file):
                candidate = workspace(source)
                if unit.dependency_files.find(candidate) is not None:
                    return unit.dependency_files.closure(candidate)
    # No COPY says where it came from (a bind mount, a generated file): the
    # context file of the same name, if there is exactly that one.
    candidate = workspace(name)
    return unit.dependency_files.closure(candidate) if unit.dependency_files.find(candidate) is not None else []


def _render(unit):
    config = unit.at_root("render")
    if config is None:
        return []
    reads = [d for d in (next(iter(config.facts.pythons), None), _declared(unit.python_version)) if d is not None]
    declared = reads[0] if reads else None
    if declared is not None:
        deployment = Deployment("render", declared.minor, declared, reads=reads)
    else:
        deployment = Deployment("render", unit.knowledge.render["default_python"], None)
    if config.build_command:
        command, span = config.build_command
        deployment.install_files = unit.dependency_files.installed_by([command], unit.root)
        deployment.chosen_by = f"Render runs the buildCommand of {config.file.path}"
        deployment.chosen_at = span
    return [deployment]


def _netlify(unit):
    config = unit.at_root("netlify")
    if config is None:
        return []
    declared = config.declared or _declared(unit.runtime_txt)
    return [Deployment("netlify", declared.minor if declared else None, declared)]


def _serverless(unit):
    found = []
    for kind in ("sam", "serverless", "app-engine"):
        for doc in unit.by_kind.get(kind, ()):
            directory = doc.file.path.rpartition("/")[0]
            for runtime in doc.facts.runtimes:
                declared = DeclaredPython(runtime.python or runtime.value, runtime.span, f"{runtime.where} in {doc.file.path}")
                deployment = Deployment("app-engine" if kind == "app-engine" else "lambda", runtime.python, declared)
                if kind == "sam" and runtime.code_dir and "$" not in runtime.code_dir and "://" not in runtime.code_dir:
                    # `sam build` ships the CodeUri directory and installs its requirements.txt.
                    code = posixpath.normpath(posixpath.join(directory, runtime.code_dir))
                    code = "" if code == "." else code
                    deployment.ships = Shipping(code)
                    path = posixpath.join(code, "requirements.txt") if code else "requirements.txt"
                    deployment.install_files = unit.dependency_files.closure(path)
                    deployment.chosen_by = f"sam build installs the requirements.txt of the function's CodeUri ({runtime.code_dir})"
                elif kind == "app-engine" and runtime.value in unit.knowledge.install_rules("app-engine").get("vendored_runtimes", ()):
                    rules = unit.knowledge.install_rules("app-engine")
                    deployment.install_files = []
                    deployment.chosen_by = f"the {runtime.value} runtime installs nothing: its libraries are vendored into the app: {rules['vendored_source']}"
                elif kind in ("app-engine", "serverless"):
                    _by_precedence(unit, deployment, directory)
                found.append(deployment)
    return found

