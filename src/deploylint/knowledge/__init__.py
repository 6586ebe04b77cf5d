"""The knowledge base: typed views of the TOML data files beside this module.

Every fact carries the URL that proves it; rules read facts only from here.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from deploylint.parsing.toml import tomllib

if TYPE_CHECKING:
    from deploylint.knowledge.extensions import Extension


_FOLDER = Path(__file__).parent


def data_files() -> dict[str, str]:
    """The text of every knowledge TOML file, by its path under this package ("removed/django.toml")."""
    # A plain path, not importlib.resources (5 ms to import, on every run): the package
    # is installed as files.
    folder = _FOLDER
    texts = {entry.name: entry.read_text("utf-8") for entry in folder.iterdir() if entry.name.endswith(".toml")}
    removed = folder / "removed"
    if removed.is_dir():
        texts.update({f"removed/{entry.name}": entry.read_text("utf-8") for entry in removed.iterdir() if entry.name.endswith(".toml")})
    return dict(sorted(texts.items()))


def fingerprint(texts: dict[str, str]) -> str:
    """Tells an edited data file from the one bundle.json was made from."""
    return checksum("".join(f"{name}\0{text}\0" for name, text in texts.items()).encode("utf-8"))


def checksum(data: bytes) -> str:
    """CRC-32 and Adler-32 together (64 bits): enough to tell apart versions of the same
    files, where nothing is an adversary; hashlib would cost every run that loads the
    knowledge 4 ms to import."""
    import zlib

    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _parsed_data() -> dict[str, dict]:
    """Every data file, parsed. TOML is the source; bundle.json (written by
    `python -m deploylint.knowledge.index`) holds the same data as JSON, which
    parses some thirty times faster, and is used while its fingerprint matches
    the TOML files as they are."""
    import json

    texts = data_files()
    try:
        bundle = json.loads((_FOLDER / "bundle.json").read_text("utf-8"))
    except (OSError, ValueError):
        bundle = None
    if bundle and bundle.get("fingerprint") == fingerprint(texts):
        return bundle["data"]
    return {name: tomllib.loads(text) for name, text in texts.items()}


def _shape(entry: dict) -> tuple[str, list]:
    """(shape, names) of a [[removed]] entry: see RemovedApi.shape."""
    if "call" in entry:
        if "keyword" in entry:
            return "keyword", [entry["keyword"]]
        if "missing_argument" in entry:
            return "call", [entry["missing_argument"]]
        return "result", [entry["result_attribute"]]
    if "methods" in entry:
        return "method", list(entry["methods"])
    return "name", entry.get("names") or [None]


def end_of_month_or_day(value: str) -> datetime.date:
    """'2027-10' means the last day of that month; '2025-10-31' is exact."""
    parts = [int(p) for p in value.split("-")]
    if len(parts) == 2:
        import calendar

        year, month = parts
        return datetime.date(year, month, calendar.monthrange(year, month)[1])
    return datetime.date(*parts)


@dataclass(frozen=True)
class PythonRelease:
    version: str
    end_of_life: datetime.date
    end_of_life_text: str
    source: str


@dataclass(frozen=True)
class RemovedApi:
    module: str
    name: str | None  # None: the whole module was removed
    package: str
    removed_in: Version
    replacement: str
    replace_with: str | None
    fix: str | None
    fix_note: str | None
    source: str
    restored_in: Version | None = None  # np.bool: removed in 1.24, back in 2.0
    # Versions of `package` that have the replacement (np.trapezoid: >=2.0);
    # a fix that needs them is safe only when the requirements guarantee them.
    replacement_needs: SpecifierSet | None = None
    provided_by: str | None = None  # a distribution that puts a stdlib module back
    # How code runs into it: "name" (imported or read: module.name), or a use
    # of something that still exists: "keyword" (a keyword argument `name` of
    # the callable `module`), "call" (`module(...)` without its argument
    # `name`, at position `position`), "result" (the attribute `name` of what
    # `module(...)` returns) and "method" (a method `name` that only this
    # package's objects have, in a file that imports `module`).
    shape: str = "name"
    position: int | None = None
    # Other paths of the same callable (urllib3.Retry is urllib3.util.retry.Retry).
    aliases: tuple[str, ...] = ()
    origin: str | None = None  # the extend-knowledge file it came from; None: packaged

    @property
    def qualified_name(self) -> str:
        if self.shape == "keyword":
            return f"{self.module}({self.name}=)"
        if self.shape == "call":
            return f"{self.module}() without {self.name}"
        if self.shape == "result":
            return f"{self.module}().{self.name}"
        if self.shape == "method":
            return f"{self.module}: .{self.name}()"
        return f"{self.module}.{self.name}" if self.name else self.module

    @property
    def callees(self) -> tuple[str, ...]:
        return (self.module, *self.aliases)

    @property
    def broken_versions(self) -> SpecifierSet:
        """The releases of `package` (or Pythons, for the stdlib) without the name."""
        upper = f",<{self.restored_in}" if self.restored_in else ""
        return SpecifierSet(f">={self.removed_in}{upper}")


@dataclass(frozen=True)
class Requires:
    package: str
    versions: SpecifierSet
    requires: tuple[Requirement, ...]
    source: str


@dataclass(frozen=True)
class Numpy2Abi:
    package: str
    first_numpy2_build: Version
    source: str


@dataclass(frozen=True)
class PythonSupport:
    package: str
    python: Version
    first: Version | None  # the first release that installs on `python`
    last: Version | None  # the last release that does
    why: str
    source: str
    dropped_in: Version | None = None  # the first release that no longer does
    # `first` concerns only releases from this one on: Werkzeug used ast.Str,
    # which 3.14 removed, from 0.15.3 to 2.3.4, not before.
    since: Version | None = None
    origin: str | None = None  # the extend-knowledge file it came from; None: packaged

    def too_old(self, pin: Version, python: Version) -> bool:
        """Is `pin` older than the first release for `python` (and a release the reason concerns)?"""
        return bool(self.first) and python >= self.python and pin < self.first and (self.since is None or pin >= self.since)


@dataclass(frozen=True)
class PlatformMinimum:
    """The oldest Python a team lets a platform run (extend-knowledge only; DPL101)."""

    platform: str  # a name of deployments.PLATFORMS: "docker", "heroku", "github-actions", ...
    python: Version
    why: str | None
    source: str
    origin: str


@dataclass(frozen=True)
class BreaksWith:
    """`package` (in `versions`) installs next to `other` but fails at import."""

    package: str
    versions: SpecifierSet
    other: Requirement
    symptom: str
    source: str


@dataclass(frozen=True)
class Preinstalled:
    """A package a fresh environment of some Pythons already holds (setuptools up to 3.11)."""

    package: str
    versions: dict[str, SpecifierSet]  # python minor -> the releases it holds
    sources: tuple[str, ...]
    platform: str | None = None  # a platform's own environment; None: venvs and official images

    def versions_on(self, python: str) -> SpecifierSet | None:
        return self.versions.get(python)


@dataclass(frozen=True)
class BrokenBuilder:
    below: Version
    error: str
    why: str
    source: str


def _removed_apis(entry: dict, origin: str | None = None) -> list[RemovedApi]:
    """One [[removed]] entry as a RemovedApi per name."""
    shape, names = _shape(entry)
    return [
        RemovedApi(
            module=entry.get("call") or entry["module"],
            name=name,
            package=entry["package"],
            removed_in=Version(entry["removed_in"]),
            replacement=entry["replacement"].replace("{name}", name or ""),
            replace_with=(entry.get("replace_with") or "").replace("{name}", name or "") or None,
            fix=entry.get("fix"),
            fix_note=entry.get("fix_note"),
            source=entry["source"],
            restored_in=Version(entry["restored_in"]) if "restored_in" in entry else None,
            replacement_needs=SpecifierSet(entry["replacement_needs"]) if "replacement_needs" in entry else None,
            provided_by=entry.get("provided_by"),
            shape=shape,
            position=entry.get("argument_position"),
            aliases=tuple(entry.get("aliases", ())),
            origin=origin,
        )
        for name in names
    ]


def _python_support(s: dict, origin: str | None = None) -> PythonSupport:
    return PythonSupport(
        s["package"],
        Version(s["python"]),
        Version(s["first"]) if "first" in s else None,
        Version(s["last"]) if "last" in s else None,
        s["why"],
        s["source"],
        Version(s["dropped_in"]) if "dropped_in" in s else None,
        Version(s["since"]) if "since" in s else None,
        origin,
    )


class Knowledge:
    """All the data files, parsed once per process, and the extend-knowledge files given."""

    def __init__(self, extensions: tuple[Extension, ...] = ()) -> None:
        data = _parsed_data()
        # The extensions are already validated (extensions.read): nothing here can fail on them.
        self.extensions = tuple(extension.origin for extension in extensions)
        python = data["python.toml"]
        platforms = data["platforms.toml"]
        # Removals: the first files, and one file per package in removed/.
        removals = [data["removed_apis.toml"], data["removed_stdlib.toml"], *(data[name] for name in data if name.startswith("removed/"))]
        compat = data["compat.toml"]
        # The day the data files were last checked against their sources.
        self.as_of = max(python["as_of"], platforms["as_of"], compat["as_of"], *(r["as_of"] for r in removals))

        self.python_releases = {
            r["version"]: PythonRelease(r["version"], end_of_month_or_day(r["end_of_life"]), r["end_of_life"], r["source"])
            for r in python["release"]
        }
        self.vercel = platforms["vercel"]
        self.vercel_broken_builders = [
            BrokenBuilder(Version(b["below"]), b["error"], b["why"], b["source"]) for b in self.vercel["broken_builder"]
        ]
        self.vercel_discontinued = {d["python"]: d for d in self.vercel["discontinued"]}
        self.nixpacks = platforms["nixpacks"]
        self.docker = platforms["docker"]
        self.railpack = platforms["railpack"]
        self.heroku = platforms["heroku"]
        self.render = platforms["render"]
        self.netlify = platforms["netlify"]
        self.github_actions = platforms["github_actions"]
        self.lambda_runtimes = platforms["lambda"]["runtime"]
        self.app_engine_runtimes = platforms["app_engine"]["runtime"]
        self._platforms = platforms

        self.removed_apis: list[RemovedApi] = [api for removal in removals for entry in removal["removed"] for api in _removed_apis(entry)]
        self.removed_apis += [api for extension in extensions for entry in extension.removed for api in _removed_apis(entry, extension.origin)]
        self.requires = [
            Requires(r["package"], SpecifierSet(r["versions"]), tuple(Requirement(x) for x in r["requires"]), r["source"])
            for r in compat["requires"]
        ]
        self.numpy2_abi = {
            package: Numpy2Abi(package, Version(entry["first_numpy2_build"]), entry["source"])
            for entry in compat["numpy2_abi"]
            for package in entry["packages"]
        }
        self.python_support = [_python_support(s) for s in compat["python_support"]]
        self.python_support += [_python_support(s, extension.origin) for extension in extensions for s in extension.python_support]
        self.platform_minimums = [
            PlatformMinimum(m["platform"], Version(m["python"]), m.get("why"), m["source"], extension.origin)
            for extension in extensions
            for m in extension.platform_minimum
        ]
        held: dict[tuple[str, str | None], dict[str, SpecifierSet]] = {}
        for entry in python.get("preinstalled", ()):
            held.setdefault((entry["package"], entry.get("platform")), {})[entry["python"]] = SpecifierSet(entry["versions"])
        self.preinstalled = [
            Preinstalled(
                package,
                versions,
                tuple(e["source"] for e in python["preinstalled"] if e["package"] == package and e.get("platform") == platform),
                platform,
            )
            for (package, platform), versions in held.items()
        ]
        self.breaks_with = [
            BreaksWith(b["package"], SpecifierSet(b["versions"]), Requirement(b["other"]), b["symptom"], b["source"])
            for b in compat["breaks_with"]
        ]

    def install_rules(self, platform: str) -> dict | None:
        """How a platform's builder picks its dependency file: `order` (the first present
        wins) or `one_of` (exactly one may exist), the `locks` it reads, and the `source`."""
        return self._platforms.get(platform.replace("-", "_"), {}).get("install")

    @functools.cached_property
    def removed_by_qualified_name(self) -> dict[str, list[RemovedApi]]:
        """Names and modules that are gone (the "name" shape)."""
        index: dict[str, list[RemovedApi]] = {}
        for api in self.removed_apis:
            if api.shape == "name":
                index.setdefault(api.qualified_name, []).append(api)
        return index

    @functools.cached_property
    def removed_call_forms(self) -> dict[str, list[RemovedApi]]:
        """callable path -> the keyword, call and result removals that concern calls of it."""
        index: dict[str, list[RemovedApi]] = {}
        for api in self.removed_apis:
            if api.shape in ("keyword", "call", "result"):
                for callee in api.callees:
                    index.setdefault(callee, []).append(api)
        return index

    @functools.cached_property
    def removed_methods(self) -> dict[str, list[RemovedApi]]:
        """method name -> its removals (each needs an import of its module in the file)."""
        index: dict[str, list[RemovedApi]] = {}
        for api in self.removed_apis:
            if api.shape == "method":
                index.setdefault(api.name, []).append(api)
        return index

    @functools.cached_property
    def prefilter_words(self) -> list[tuple[str, str]]:
        """(top-level module, word) pairs for the shapes a name index cannot see: a file that
        imports the module and holds the word anywhere (`method_whitelist=`) may use one."""
        words = set()
        for api in self.removed_apis:
            if api.shape == "name":
                continue
            word = api.module.rsplit(".", 1)[-1] if api.shape == "call" else api.name
            for callee in api.callees:
                words.add((callee.split(".")[0], word))
        return sorted(words)

    @functools.cache  # noqa: B019 - one Knowledge per process, a handful of keys
    def prefilter_for(self, pythons: tuple[str, ...] | None):
        """The pre-filter for code that runs on `pythons`: a stdlib removal that
        none of them lacks cannot be reported there, so it need not let files through.
        None: any Python, as the packaged prefilter_index.json is (for extended knowledge,
        whose names that index does not hold)."""
        from deploylint.sources.python_prefilter import Prefilter

        if pythons is None:
            return Prefilter(self.removed_by_qualified_name, self.prefilter_words)
        versions = [Version(python) for python in pythons]
        return Prefilter(
            (
                qualified
                for qualified, apis in self.removed_by_qualified_name.items()
                if any(api.package != "python" or any(api.broken_versions.contains(v) for v in versions) for api in apis)
            ),
            self.prefilter_words,
        )

    def oldest_supported_python(self, as_of: datetime.date) -> Version | None:
        """The oldest Python whose end of life is still ahead on `as_of`."""
        living = [Version(r.version) for r in self.python_releases.values() if r.end_of_life >= as_of]
        return min(living, default=None)

    def removed_api(self, qualified_name: str) -> RemovedApi | None:
        """The removal that makes `qualified_name` fail, if any (a removed module covers its members)."""
        earliest = self._earliest_removal
        found = earliest.get(qualified_name)
        if found is not None or "." not in qualified_name:
            return found
        parts = qualified_name.split(".")
        for length in range(len(parts) - 1, 0, -1):
            found = earliest.get(".".join(parts[:length]))
            if found is not None:
                return found
        return None

    @functools.cached_property
    def _earliest_removal(self) -> dict[str, RemovedApi]:
        # Several releases may list a name (moved, then removed): the earliest
        # removal is the one that bites first.
        return {name: min(apis, key=lambda api: api.removed_in) for name, apis in self.removed_by_qualified_name.items()}

    def python_release(self, version: str) -> PythonRelease | None:
        return self.python_releases.get(version)


@functools.cache
def packaged() -> Knowledge:
    """The data files shipped with deploylint, alone."""
    return Knowledge()


# The knowledge of this run when its configuration has `extend-knowledge`; None: packaged().
_extended: Knowledge | None = None
# The files it was extended with, for worker processes that start afresh.
extension_paths: tuple[Path, ...] = ()


def knowledge() -> Knowledge:
    """What every rule reads: the packaged knowledge, or this run's extended one (see `extend`)."""
    return _extended if _extended is not None else packaged()


def extend(paths: tuple[Path, ...] | list[Path]) -> None:
    """Make `knowledge()` the packaged data plus these extend-knowledge files, for the rest of
    the process (the command line calls it once, after reading the configuration; `()` goes
    back to the packaged data alone). Every file is read and checked before anything changes:
    a malformed one raises extensions.KnowledgeError, and `knowledge()` stays as it was.

    Worker processes started with fork (project.py, on Linux) share it; a spawned one
    extends its own from `extension_paths`."""
    global _extended, extension_paths
    from deploylint.knowledge.extensions import read

    extensions = tuple(read(Path(path), _shown(Path(path))) for path in paths)
    _extended = Knowledge(extensions) if extensions else None
    extension_paths = tuple(Path(path) for path in paths)


def extended() -> Knowledge | None:
    """This run's extended knowledge, if `extend` made one (without loading the packaged data)."""
    return _extended


def _shown(path: Path) -> str:
    """A path as messages show it: relative to the current directory when it is inside it."""
    import os

    try:
        relative = os.path.relpath(path)
    except ValueError:  # another drive, on Windows
        return str(path)
    return str(path) if relative.startswith("..") else Path(relative).as_posix()
