"""vercel.json: the legacy `builds` array and the keys @vercel/python reads."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import ConfigProblem, Facts, SourceProblem
from deploylint.parsing import json as jsonparse
from deploylint.text import SourceText


# Builders that build Python: Vercel's own (`@vercel/python`, formerly
# `@now/python`, and misspellings such as `@vercel/python3.10` that still
# show the intent) and community ones (`vercel-python-wsgi`,
# `@vercel-community/python`, `@vercel-community/python-wsgi`), matched on
# the package name, without its `@version`.
_PYTHON_BUILDER = re.compile(r"(?:^|[/-])(?:python|wsgi|asgi)", re.IGNORECASE)
# A `functions` glob that can match a Python file: `api/*.py`, `api/index.py`,
# `api/**/*.{py,js}`.
_PYTHON_GLOB = re.compile(r"\.(?:py|\{[^}]*\bpy\b[^}]*\})$")


def split_builder(value: str) -> tuple[str, str | None]:
    """('@vercel/python', '3.1.0') from "@vercel/python@3.1.0"; the version is None when there is none."""
    name, _, version = value.rpartition("@")
    if not name:
        return value, None  # "@vercel/python" has only the scope's '@'
    return name, version or None


def is_python_builder(value: str) -> bool:
    return bool(_PYTHON_BUILDER.search(split_builder(value)[0]))


@dataclass
class VercelBuild:
    node: jsonparse.JObject
    use: jsonparse.JScalar | None  # "@vercel/python@3.1.0"
    config: jsonparse.JObject | None

    @property
    def builder(self) -> tuple[str, str | None]:
        """('@vercel/python', '3.1.0') from the `use` string."""
        return split_builder(self.use.value if self.use and isinstance(self.use.value, str) else "")


@dataclass
class VercelConfig:
    file: SourceText
    root: jsonparse.JValue
    builds: list[VercelBuild] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)

    def span(self, node: jsonparse.JNode) -> Span:
        return Span(self.file.path, node.start, node.end)

    def function_runtimes(self) -> list[tuple[jsonparse.JMember, jsonparse.JScalar]]:
        """Each `functions.<glob>` entry with a string `runtime`, and that runtime."""
        found = []
        for member in self._functions():
            runtime = member.value.get("runtime") if isinstance(member.value, jsonparse.JObject) else None
            if isinstance(runtime, jsonparse.JScalar) and isinstance(runtime.value, str):
                found.append((member, runtime))
        return found

    @property
    def builds_python(self) -> bool:
        """Does this config build Python: a Python builder in `builds`, or Python `functions`?

        False for a config with only frontend settings (`framework`,
        `buildCommand`, `outputDirectory`, `rewrites`, ...). Zero-config apps
        (api/*.py with no vercel.json entry for them) are not judged here.
        """
        if any(build.use is not None and is_python_builder(build.use.value) for build in self.builds):
            return True
        if any(_PYTHON_GLOB.search(member.key) for member in self._functions()):
            return True
        return any(is_python_builder(runtime.value) for _, runtime in self.function_runtimes())

    def _functions(self) -> list[jsonparse.JMember]:
        functions = self.root.get("functions") if isinstance(self.root, jsonparse.JObject) else None
        return functions.members if isinstance(functions, jsonparse.JObject) else []


def read(file: SourceText) -> VercelConfig:
    try:
        root = jsonparse.parse(file.text)
    except jsonparse.JSONError as error:
        raise SourceProblem(error.message, error.offset) from None
    config = VercelConfig(file, root)
    if not isinstance(root, jsonparse.JObject):
        config.facts.config_problems.append(ConfigProblem(config.span(root), "vercel.json must contain a JSON object"))
        return config
    builds = root.get("builds")
    if builds is None:
        return config
    if not isinstance(builds, jsonparse.JArray):
        config.facts.config_problems.append(ConfigProblem(config.span(builds), "`builds` must be an array of build objects"))
        return config
    for item in builds.items:
        if not isinstance(item, jsonparse.JObject):
            config.facts.config_problems.append(ConfigProblem(config.span(item), "each entry of `builds` must be an object"))
            continue
        use = item.get("use")
        if use is not None and not (isinstance(use, jsonparse.JScalar) and isinstance(use.value, str)):
            config.facts.config_problems.append(ConfigProblem(config.span(use), "`use` must be a string naming a builder"))
            use = None
        build_config = item.get("config")
        if build_config is not None and not isinstance(build_config, jsonparse.JObject):
            config.facts.config_problems.append(ConfigProblem(config.span(build_config), "`config` must be an object"))
            build_config = None
        config.builds.append(VercelBuild(item, use, build_config))
    return config
