"""Recognise `pip install` in shell commands (Dockerfile RUN, Nixpacks cmds).

A pip invocation is `pip`, `pip3`, `pip3.11`, or `python[3[.11]] -m pip`,
possibly behind `uv` (`uv pip install`) or an absolute path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement

from deploylint.parsing.shell import Word, commands

_PIP = re.compile(r"(?:.*/)?pip(?:3(?:\.\d+)?)?$")
_PYTHON = re.compile(r"(?:.*/)?python(?:3(?:\.\d+)?)?$")

# pip install options that consume the next word.
_OPTIONS_WITH_VALUE = {
    "-r", "--requirement", "--requirements", "-c", "--constraint", "--constraints", "-e", "--editable", "-i", "--index-url",
    "--extra-index-url", "-f", "--find-links", "-t", "--target", "--prefix", "--root",
    "--platform", "--python-version", "--implementation", "--abi", "--src", "--upgrade-strategy",
    "--progress-bar", "--trusted-host", "--cache-dir", "--log", "--proxy", "--retries",
    "--timeout", "--exists-action", "--cert", "--client-cert", "--global-option",
    "--config-settings", "-C", "--report", "--only-binary", "--no-binary", "--python",
    "--keyring-provider", "--use-feature", "--use-deprecated", "--root-user-action",
}


@dataclass
class PipInstall:
    """One `pip install` and what it installs."""

    executable: Word  # the `pip` / `python` word that starts the invocation
    via_module: bool  # python -m pip
    requirements: list[Word] = field(default_factory=list)
    requirement_files: list[Word] = field(default_factory=list)
    constraint_files: list[Word] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)

    @property
    def upgrades(self) -> bool:
        """`-U`/`--upgrade`: pip replaces what the environment holds with the newest allowed."""
        return any(word.value in ("-U", "--upgrade") for word in self.words)

    def parsed_requirements(self) -> list[tuple[Word, Requirement]]:
        """The requirement words that name a package; expansions and paths are unknowable."""
        parsed = []
        for word in self.requirements:
            if word.dynamic:
                continue
            try:
                parsed.append((word, Requirement(word.value)))
            except InvalidRequirement:
                continue
        return parsed


def pip_installs(text: str, base: int = 0) -> list[PipInstall]:
    found = []
    for words in commands(text, base):
        install = _pip_install(words)
        if install:
            found.append(install)
    return found


# Commands that install a project from its manifest rather than a requirements
# file: `uv sync` and `poetry install` read pyproject.toml (and the lock beside
# it), `pipenv install` the Pipfile, `pip install .` the project itself.
_PROJECT_INSTALLS = {
    ("uv", "sync"): "uv",
    ("poetry", "install"): "poetry",
    ("poetry", "sync"): "poetry",
    ("pipenv", "install"): "pipenv",
    ("pipenv", "sync"): "pipenv",
    ("pdm", "install"): "pdm",
    ("pdm", "sync"): "pdm",
}


def project_installs(text: str, directory: str = ".") -> list[tuple[str, str]]:
    """(tool, directory) for each command in `text` that installs a project from its manifest.

    `directory` is where the commands start; a `cd` before the install moves it.
    """
    import posixpath

    found = []
    for words in commands(text):
        values = [word.value for word in words]
        if values[:1] == ["cd"] and len(values) > 1 and "$" not in values[1]:
            directory = posixpath.normpath(posixpath.join(directory, values[1]))
            continue
        install = _pip_install(words)
        if install is not None:
            if any(word.value in (".", "./") or word.value.startswith((".[", "./[")) for word in install.requirements):
                found.append(("pip", directory))
            continue
        for index in range(len(values) - 1):
            tool = _PROJECT_INSTALLS.get((values[index].rsplit("/", 1)[-1], values[index + 1]))
            if tool:
                found.append((tool, directory))
                break
    return found


def runs_pip(words: list[Word]) -> bool:
    return _pip_start(words) is not None


def _pip_start(words: list[Word]) -> tuple[int, bool] | None:
    """Index of the word after `pip` (and whether it was `python -m pip`)."""
    for index, word in enumerate(words):
        value = word.value
        if _PIP.match(value):
            return index + 1, False
        if _PYTHON.match(value) and words[index + 1 : index + 3] and [w.value for w in words[index + 1 : index + 3]] == ["-m", "pip"]:
            return index + 3, True
        if value in ("sudo", "env", "uv", "exec", "command", "time", "nice") or "=" in value:
            continue
        return None
    return None


def _pip_install(words: list[Word]) -> PipInstall | None:
    start = _pip_start(words)
    if start is None:
        return None
    index, via_module = start
    rest = words[index:]
    # Global options may precede the subcommand (`pip --no-cache-dir install`).
    while rest and rest[0].value.startswith("-"):
        rest = rest[1:]
    if not rest or rest[0].value != "install":
        return None
    executable = words[index - 3] if via_module else words[index - 1]
    install = PipInstall(executable, via_module, words=words)
    args = iter(rest[1:])
    for word in args:
        value = word.value
        if value.startswith("-"):
            name, _, inline = value.partition("=")
            # uv pip spells them --requirements and --constraints.
            if name in ("-r", "--requirement", "--requirements", "-c", "--constraint", "--constraints") or (
                value[:2] in ("-r", "-c") and len(value) > 2 and not value.startswith("--")
            ):
                if value.startswith("--"):
                    # --requirement=X: the path is what follows the '='.
                    target = Word(inline, word.end - len(inline), word.end, word.dynamic) if inline else next(args, None)
                else:
                    # -rX or -r X
                    target = Word(value[2:].lstrip("="), word.end - len(value[2:].lstrip("=")), word.end, word.dynamic) if len(value) > 2 else next(args, None)
                if target is not None and target.value:
                    bucket = install.requirement_files if name.startswith(("-r", "--req")) else install.constraint_files
                    bucket.append(target)
            elif name in _OPTIONS_WITH_VALUE and not inline:
                next(args, None)
            continue
        install.requirements.append(word)
    return install
