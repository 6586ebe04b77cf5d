"""What a deployment installs, and which versions it can get there.

A builder installs from one dependency file, chosen by its own precedence
(`install` tables in knowledge/platforms.toml), on one Python. An `Install`
is exactly that: the requirements of the files it reads (a requirements file
with its `-r`/`-c` includes, or a manifest with the lock beside it), plus the
requirements written inline (`RUN pip install flask==3.0.0`), judged on its
Python. Every version-aware rule asks an Install; none merges dependency files
on its own.

Where no platform says what it installs, each dependency file is an
alternative install of its own: `requirements-dev.txt` is never merged with a
`requirements.txt` it does not include.
"""

from __future__ import annotations

import dataclasses
import datetime
import posixpath
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from deploylint import versions
from deploylint.diagnostics import Span
from deploylint.facts import DeclaredPython, RequirementFact

if TYPE_CHECKING:
    from deploylint.knowledge import Knowledge

# Lock files a manifest's installer reads when they sit beside it.
LOCKS_BESIDE = {"pyproject.toml": ("uv.lock", "poetry.lock", "pylock.toml", "pdm.lock"), "Pipfile": ("Pipfile.lock",)}


@dataclass
class Install:
    """One install: the requirements it reads, on the Python it runs."""

    label: str  # who installs: "Nixpacks", "Docker (api/Dockerfile)", "no platform known"
    python: str | None  # the minor; None when nothing says which
    python_declared: DeclaredPython | None  # what decided the Python, if written down
    files: tuple[str, ...]  # the dependency files read, the chosen one first
    facts: list[RequirementFact]
    knowledge: "Knowledge"
    as_of: datetime.date
    # Why these files: the platform line or rule that chose them.
    chosen_by: str = ""
    chosen_at: Span | None = None
    deployment: object | None = None  # the Deployment that runs it; None: no platform known
    ci: bool = False  # a CI job's install: it runs the tests, and deploys nothing
    _cache: dict = field(default_factory=dict, repr=False)

    # -- which requirements apply ----------------------------------------

    def applies(self, fact: RequirementFact) -> bool:
        """Does the requirement apply on this install's Python (Linux, CPython)?

        With the Python unknown, a marker on a declared requirement may or
        may not hold, so it is left out (that can only hide a finding); lock
        files write a marker on most entries (pipenv: the package's own
        `python_version >= '3.8'`), so theirs must hold on every supported
        Python.
        """
        marker = fact.requirement.marker
        if marker is None:
            return True
        if self.python is not None:
            return marker.evaluate(linux(self.python))
        if fact.origin != "lock":
            return False
        return all(marker.evaluate(linux(python)) for python in self._supported_pythons())

    def _supported_pythons(self) -> list[str]:
        if "supported" not in self._cache:
            self._cache["supported"] = [r.version for r in self.knowledge.python_releases.values() if r.end_of_life >= self.as_of]
        return self._cache["supported"]

    def requirement_facts(self) -> list[RequirementFact]:
        """Every requirement of the install that applies on its Python."""
        if "facts" not in self._cache:
            self._cache["facts"] = [fact for fact in self.facts if self.applies(fact)]
        return self._cache["facts"]

    def facts_for(self, name: str) -> list[RequirementFact]:
        name = canonicalize_name(name)
        found = [fact for fact in self.requirement_facts() if fact.name == name]
        if any(fact.origin == "override" for fact in found):
            # uv's override-dependencies replace every other declared requirement on the package.
            found = [fact for fact in found if fact.origin in ("override", "lock")]
        return found

    def implied(self, name: str) -> list[tuple[SpecifierSet, RequirementFact, str]]:
        """Constraints on `name` that pinned packages declare (Flask==2.3.3 -> Werkzeug>=2.3.7)."""
        name = canonicalize_name(name)
        found = []
        for fact in self.requirement_facts():
            pin = versions.exact_pin(fact.requirement.specifier)
            if pin is None:
                continue
            for entry in self.knowledge.requires:
                if entry.package == fact.name and entry.versions.contains(pin, prereleases=True):
                    for required in entry.requires:
                        if canonicalize_name(required.name) == name:
                            found.append((required.specifier, fact, entry.source))
        return found

    # -- which versions it can get ---------------------------------------

    def python_bounds(self, name: str) -> list[SpecifierSet]:
        """The releases pip refuses on this Python (Requires-Python): NumPy 2.0 needs 3.9, so `<=1.24.4` on 3.8."""
        if self.python is None:
            return []
        python = Version(self.python)
        bounds = []
        for support in self.knowledge.python_support:
            if support.package != canonicalize_name(name) or python > support.python:
                continue
            if support.last:
                bounds.append(SpecifierSet(f"<={support.last}"))
            if support.dropped_in:
                bounds.append(SpecifierSet(f"<{support.dropped_in}"))
        return bounds

    def preinstalled(self, name: str) -> SpecifierSet | None:
        """The version the environment already holds, when no requirement makes pip replace it.

        venvs and the official images up to Python 3.11 come with setuptools;
        pip leaves an installed package alone while it satisfies every
        requirement on it. With the Python unknown, any supported Python may
        be the one, so the older environment is assumed: that can only hide a
        finding.
        """
        name = canonicalize_name(name)
        if any(fact.upgrades for fact in self.facts_for(name)):
            return None  # `pip install -U setuptools` replaces it with the newest
        platform = getattr(self.deployment, "platform", None)
        own = [e for e in self.knowledge.preinstalled if e.package == name and e.platform == platform and platform is not None]
        general = [e for e in self.knowledge.preinstalled if e.package == name and e.platform is None]
        wanted = [fact.requirement.specifier for fact in self.facts_for(name)] + [spec for spec, _, _ in self.implied(name)]
        for python in [self.python] if self.python else self._supported_pythons():
            # A platform's own environment replaces the general rule where it says what it holds (Heroku pins its setuptools).
            held = [e.versions_on(python) for e in own if e.versions_on(python) is not None]
            held = held or [e.versions_on(python) for e in general if e.versions_on(python) is not None]
            # Kept only if some release in the held range meets every requirement.
            for spec in held:
                if versions.satisfiable([*wanted, spec]):
                    return spec
        return None

    def constraints(self, name: str) -> list[SpecifierSet]:
        """Everything that limits which versions of `name` this install can get."""
        key = ("constraints", canonicalize_name(name))
        if key not in self._cache:
            own = [fact.requirement.specifier for fact in self.facts_for(name)]
            implied = [spec for spec, _, _ in self.implied(name)]
            held = self.preinstalled(name)
            self._cache[key] = own + implied + self.python_bounds(name) + ([held] if held is not None else [])
        return self._cache[key]

    def describe(self) -> str:
        python = f"Python {self.python}" if self.python else "an unknown Python"
        files = ", ".join(self.files) if self.files else "no dependency file"
        return f"{self.label} installs {files} on {python}"


def linux(python: str) -> dict[str, str]:
    """The marker environment of a CPython `python` on a Linux x86-64 host, where deployments run."""
    return {
        "python_version": python,
        "python_full_version": f"{python}.0",
        "sys_platform": "linux",
        "platform_system": "Linux",
        "os_name": "posix",
        "platform_machine": "x86_64",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
    }


class DependencyFiles:
    """The unit's dependency documents by path, and what reading one brings in."""

    def __init__(self, unit) -> None:
        self.unit = unit
        self.by_path = {}
        for kind in ("requirements", "constraints", "pyproject", "pipfile", "uv-lock", "poetry-lock", "pylock"):
            for doc in unit.by_kind.get(kind, ()):
                self.by_path[doc.file.path] = doc

    def find(self, path: str):
        return self.by_path.get(path)

    def closure(self, path: str, locks: tuple[str, ...] | None = None) -> list[str]:
        """`path`, the files it includes (-r/-c, followed as pip does), and the lock beside a
        manifest (of `locks`, the first present, where the installer reads only some)."""
        seen: list[str] = []
        stack = [path]
        while stack:
            current = stack.pop()
            if current in seen or current not in self.by_path:
                continue
            seen.append(current)
            doc = self.by_path[current]
            directory, _, name = current.rpartition("/")
            for include in getattr(doc, "includes", ()):
                stack.append(_join(directory, include.target))
            beside = [_join(directory, lock) for lock in LOCKS_BESIDE.get(name, ())]
            if locks is not None:
                beside = [_join(directory, lock) for lock in locks if lock in LOCKS_BESIDE.get(name, ())]
                beside = [lock for lock in beside if lock in self.by_path][:1]
            stack.extend(beside)
        return seen

    def installed_by(self, commands: list[str], base: str) -> list[str]:
        """The files shell commands install, run from the directory `base`: `pip install -r X`
        (and `-c`), and a project's own manifest for `uv sync`, `poetry install`, `pip install .`."""
        from deploylint.sources.pip_commands import pip_installs, project_installs

        files: list[str] = []
        for command in commands:
            for install in pip_installs(command):
                for word in install.requirement_files + install.constraint_files:
                    if not word.dynamic:
                        files += self.closure(_join(base, word.value))
            for _, directory in project_installs(command):
                for manifest in ("pyproject.toml", "Pipfile"):
                    path = _join(base, posixpath.join(directory, manifest))
                    if path in self.by_path:
                        files += self.closure(path)
                        break
        return list(dict.fromkeys(files))

    def facts(self, paths: list[str]) -> list[RequirementFact]:
        found: list[RequirementFact] = []
        constraint_files = {
            _join(path.rpartition("/")[0], include.target)
            for path in paths
            for include in getattr(self.by_path.get(path), "includes", ())
            if include.kind == "constraint"
        }
        for path in paths:
            doc = self.by_path.get(path)
            if doc is None:
                continue
            for fact in doc.facts.requirements:
                if path in constraint_files and not fact.is_constraint:
                    fact = dataclasses.replace(fact, is_constraint=True)
                found.append(fact)
        # A lock entry that repeats an unconditional declared pin adds nothing,
        # and would make every pin-based rule report the pin twice.
        pins = {(f.name, versions.exact_pin(f.requirement.specifier)) for f in found if f.origin != "lock" and f.requirement.marker is None}
        return [f for f in found if f.origin != "lock" or (f.name, versions.exact_pin(f.requirement.specifier)) not in pins]

    def roots(self) -> list[str]:
        """Files that install on their own: requirements files nothing includes, manifests. Locks and
        constraints follow the file that names them."""
        included = set()
        for path in self.by_path:
            included.update(self.closure(path)[1:])
        roots = []
        for path, doc in sorted(self.by_path.items()):
            name = path.rpartition("/")[2]
            kind = _kind(doc)
            if path in included or kind in ("constraints", "uv-lock", "poetry-lock", "pylock"):
                continue
            if kind == "pipfile" and name != "Pipfile":
                continue  # Pipfile.lock follows its Pipfile; alone, pipenv installs from it
            if kind == "pyproject" and not _declares_a_project(doc):
                continue  # only tool settings ([tool.ruff], ...): nothing installs from it
            roots.append(path)
        # A Pipfile.lock with no Pipfile is still what `pipenv install --deploy` reads, and a
        # pylock.toml with no pyproject.toml what `pip install --lock`-style installers read.
        for path, doc in self.by_path.items():
            if path not in included and path not in roots and (path.endswith("Pipfile.lock") or _kind(doc) == "pylock"):
                roots.append(path)
        return roots


def _declares_a_project(pyproject) -> bool:
    data = pyproject.doc.data
    tool = data.get("tool") if isinstance(data.get("tool"), dict) else {}
    return "project" in data or "poetry" in tool or bool(pyproject.facts.requirements)


def _kind(doc) -> str:
    from deploylint.workspace import file_kind

    return file_kind(doc.file.path) or ""


def _join(directory: str, target: str) -> str:
    joined = posixpath.normpath(posixpath.join(directory, target)) if directory else posixpath.normpath(target)
    return joined
