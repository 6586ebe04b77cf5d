"""vercel.json: the legacy `builds` array and the keys @vercel/python reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from deploylint.diagnostics import Span
from deploylint.facts import ConfigProblem, Facts, SourceProblem
from deploylint.parsing import json as jsonparse
from deploylint.text import SourceText


@dataclass
class VercelBuild:
    node: jsonparse.JObject
    use: jsonparse.JScalar | None  # "@vercel/python@3.1.0"
    config: jsonparse.JObject | None

    @property
    def builder(self) -> tuple[str, str | None]:
        """('@vercel/python', '3.1.0') from the `use` string."""
        value = self.use.value if self.use and isinstance(self.use.value, str) else ""
        name, at, version = value.rpartition("@")
        if not name or name == "":
            return value, None  # "@vercel/python" has only the scope's '@'
        return name, version or None


@dataclass
class VercelConfig:
    file: SourceText
    root: jsonparse.JValue
    builds: list[VercelBuild] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)

    def span(self, node: jsonparse.JNode) -> Span:
        return Span(self.file.path, node.start, node.end)


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
