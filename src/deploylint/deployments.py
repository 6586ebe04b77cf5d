"""Which platforms a unit deploys to, and the Python each one will really run.

Each platform reads the version from its own files, in its own order, and
falls back to its own default; these functions follow the platforms' builder
code (sources in knowledge/platforms.toml), not what the files seem to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deploylint.facts import DeclaredPython

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
    "render": {"render"},
    "netlify": {"netlify"},
    "sam": {"lambda"},
    "serverless": {"lambda"},
    "app-engine": {"app-engine"},
    "github-workflow": {"github-actions"},
}


@dataclass
class Deployment:
    platform: str
    python: str | None  # the minor it runs; None when the platform's default is unknown
    declared: DeclaredPython | None  # what decided it; None: the platform's default
    # Declarations the platform reads but overrides, or never reads at all.
    ignored: list[DeclaredPython] = field(default_factory=list)
    replaced: bool = False  # a version was asked for, and the platform silently used another

    @property
    def name(self) -> str:
        return PLATFORM_NAMES.get(self.platform, self.platform)

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
    return found


def _vercel(unit):
    if not unit.vercel:
        return []
    resolved = unit.vercel_python()
    if resolved.status == "discontinued":
        return [Deployment("vercel", None, resolved.declared)]
    declared = resolved.declared if resolved.status == "ok" else None
    deployment = Deployment("vercel", resolved.python, declared, replaced=resolved.status in ("not-installed", "no-match"))
    if resolved.declared and not declared:
        deployment.ignored.append(resolved.declared)
    return [deployment]


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
        return [Deployment("nixpacks", declared.minor, declared)]
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
        return [Deployment("nixpacks", data["default_python"], None, ignored)]
    if chosen.minor not in packages.values():
        return [Deployment("nixpacks", data["default_python"], None, [*ignored, chosen], replaced=True)]
    return [Deployment("nixpacks", chosen.minor, chosen, ignored)]


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
    chosen = next((c for c in candidates if c is not None), None)
    if chosen is None:
        return [Deployment("railpack", unit.knowledge.railpack["default_python"], None)]
    return [Deployment("railpack", chosen.minor, chosen)]


# Files that say the app is built by something else, although Procfile (which
# Nixpacks and others also read for the start command) is there.
_NOT_HEROKU = ("vercel", "nixpacks", "railway", "railpack", "render", "netlify", "app-engine", "sam", "serverless")


def _heroku(unit):
    if unit.at_root("procfile") is None or any(unit.at_root(kind) for kind in _NOT_HEROKU):
        return []
    lock = unit.at_root("pipfile", "Pipfile.lock")
    for doc in (unit.runtime_txt, unit.python_version, lock):
        declared = _declared(doc)
        if declared is not None:
            return [Deployment("heroku", declared.minor, declared)]
    return [Deployment("heroku", unit.knowledge.heroku["default_python"], None)]


def _docker(unit):
    found = []
    for doc in unit.dockerfiles:
        stage = doc.python_stage()
        if stage and stage.python.minor:
            found.append(Deployment("docker", stage.python.minor, stage.python))
    return found


def _render(unit):
    config = unit.at_root("render")
    if config is None:
        return []
    for declared in config.facts.pythons:
        return [Deployment("render", declared.minor, declared)]
    declared = _declared(unit.python_version)
    if declared is not None:
        return [Deployment("render", declared.minor, declared)]
    return [Deployment("render", unit.knowledge.render["default_python"], None)]


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
            for runtime in doc.facts.runtimes:
                declared = DeclaredPython(runtime.python or runtime.value, runtime.span, f"{runtime.where} in {doc.file.path}")
                found.append(Deployment("app-engine" if kind == "app-engine" else "lambda", runtime.python, declared))
    return found

