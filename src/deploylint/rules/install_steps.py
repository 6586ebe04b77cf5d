"""DPL2xx: install steps that cannot work on the platform that runs them."""

from __future__ import annotations

import re

from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, Span
from deploylint.parsing.edits import removal_ranges
from deploylint.parsing.shell import Word, commands
from deploylint.parsing.toml import string_content_offset
from deploylint.rules import Example, Rule
from deploylint.sources.pip_commands import runs_pip

_PYTHON = re.compile(r"(?:.*/)?python(?:3(?:\.\d+)?)?$")


def _prepares_pip(words: list[Word]) -> bool:
    """Does this simple command create or activate a venv, or bootstrap pip?"""
    values = [w.value for w in words]
    if not values:
        return False
    if values[0] in (".", "source") and len(values) > 1 and values[1].endswith("/activate"):
        return True
    if values[0] in ("virtualenv",) or values[:2] == ["uv", "venv"]:
        return True
    for index, value in enumerate(values[:-2]):
        if _PYTHON.match(value) and values[index + 1] == "-m" and values[index + 2] in ("venv", "virtualenv", "ensurepip"):
            return True
    return False


class PipOnNixPython(Rule):
    """
    ## What it does
    Reports a Nixpacks phase command that runs pip (`pip install`,
    `python -m pip`, `pip3 ...`) before anything gives Nix's Python a pip: no
    virtualenv created or activated, no `ensurepip`, and no `'...'` that
    splices in the Python provider's own install commands.

    ## Why is this bad?
    Nix's `pythonXY` packages ship without pip. The Nixpacks Python provider
    therefore creates a virtualenv in /opt/venv (which bundles pip) before it
    installs anything. A `cmds` array in nixpacks.toml replaces the
    provider's commands, venv included, and the build fails with
    `No module named pip` (or `pip: command not found`).

    ## Example
    ```toml
    [phases.install]
    cmds = ["python -m pip install -r requirements.txt"]
    ```

    Use instead:
    ```toml
    [phases.install]
    cmds = ["python -m venv --copies /opt/venv && . /opt/venv/bin/activate && python -m pip install -r requirements.txt"]
    ```

    ## Fix safety
    Safe: the command cannot run as written. The fix prefixes the same venv
    creation the Python provider runs, and Nixpacks already puts
    /opt/venv/bin on the PATH of later commands.

    ## References
    - [Nixpacks Python provider (python.rs)](https://github.com/railwayapp/nixpacks/blob/main/src/providers/python.rs)
    - [nixpkgs: pip is not part of the python package](https://github.com/NixOS/nixpkgs/issues/26933)
    - [Nixpacks: configuration file, `...`](https://nixpacks.com/docs/configuration/file)
    """

    code = "DPL201"
    name = "pip-on-nix-python"
    fix = "always"
    VALID = [
        Example({"nixpacks.toml": '[phases.install]\ncmds = ["...", "pip install gunicorn"]\n'}),
        Example({"nixpacks.toml": '[phases.install]\ncmds = ["python -m venv /opt/venv && . /opt/venv/bin/activate && pip install -r requirements.txt"]\n'}),
        Example({"nixpacks.toml": '[phases.install]\ncmds = ["python3 -m ensurepip --upgrade", "python3 -m pip install -r requirements.txt"]\n'}),
        Example({"nixpacks.toml": '[phases.build]\ncmds = ["pip install -e ."]\n'}),
    ]
    INVALID = [
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311"]\n\n[phases.install]\ncmds = ["python3 -m pip install -r requirements.txt"]\n'},
            "nixpacks.toml",
            5,
            fixed={
                "nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311"]\n\n[phases.install]\ncmds = ["python -m venv --copies'
                ' /opt/venv && . /opt/venv/bin/activate && python3 -m pip install -r requirements.txt"]\n'
            },
        ),
    ]

    def check(self, unit):
        config = unit.nixpacks
        if not config:
            return
        prefix = unit.knowledge.nixpacks["venv_prefix"]
        pip_ready = False
        for phase in config.ordered_phases():
            if phase.cmds is None:
                # The provider's own install phase creates the venv.
                pip_ready = pip_ready or phase.name == "install"
                continue
            for item in phase.cmds:
                if item.value == "...":
                    pip_ready = True
                    continue
                base = string_content_offset(config.file.text, item.span, item.value)
                for words in commands(item.value, base or 0):
                    if _prepares_pip(words):
                        pip_ready = True
                    elif not pip_ready and runs_pip(words):
                        yield self._finding(config, phase.name, item, words, base, prefix)
                        pip_ready = True  # one fix makes the venv for all that follow

    def _finding(self, config, phase, item, words, base, prefix):
        path = config.file.path
        first = words[0]
        span = Span(path, first.start, words[-1].end) if base is not None else Span(path, *item.span)
        shown = " ".join(w.value for w in words[:4])
        if base is not None:
            edit = Edit(path, base, base, prefix + " && ")
        else:
            import json

            edit = Edit(path, item.span[0], item.span[1], json.dumps(f"{prefix} && {item.value}", ensure_ascii=False))
        return Diagnostic(
            self.code,
            f"`{shown}` in phases.{phase} runs pip on Nix's Python, which ships without pip (`No module named pip`); "
            "create the venv the Python provider uses first",
            span,
            Fix("Create and activate /opt/venv before pip, as the Python provider does", Applicability.SAFE, (edit,)),
        )


class PipInNixPkgs(Rule):
    """
    ## What it does
    Reports `pip` listed in a phase's `nixPkgs`.

    ## Why is this bad?
    Listing `pip` beside `python311` does not give Nix's Python a usable pip:
    Nix's Python keeps its packages in the read-only Nix store, and nixpkgs
    ships pip as `pythonXYPackages.pip`, not as a top-level package. The
    Python provider's virtualenv already brings pip.

    ## Example
    ```toml
    [phases.setup]
    nixPkgs = ["python311", "pip"]
    ```

    Use instead:
    ```toml
    [phases.setup]
    nixPkgs = ["python311"]
    ```

    ## Fix safety
    Safe: the fix drops the entry and keeps the rest of the array as written.

    ## References
    - [nixpkgs: pip is not part of the python package](https://github.com/NixOS/nixpkgs/issues/26933)
    - [Nixpacks Python provider (python.rs)](https://github.com/railwayapp/nixpacks/blob/main/src/providers/python.rs)
    """

    code = "DPL202"
    name = "pip-in-nixpkgs"
    fix = "always"
    VALID = [Example({"nixpacks.toml": '[phases.setup]\nnixPkgs = ["...", "python311"]\n'})]
    INVALID = [
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "pip"]\n'},
            "nixpacks.toml",
            2,
            fixed={"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311"]\n'},
        ),
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = [\n  "pip",\n  "python311",\n]\n'},
            "nixpacks.toml",
            3,
            fixed={"nixpacks.toml": '[phases.setup]\nnixPkgs = [\n  "python311",\n]\n'},
        ),
    ]

    def check(self, unit):
        config = unit.nixpacks
        if not config:
            return
        path = config.file.path
        for phase in config.phases:
            items = phase.nix_pkgs or []
            for index, item in enumerate(items):
                if item.value != "pip":
                    continue
                spans = [i.span for i in items]
                edits = tuple(Edit(path, start, end, "") for start, end in removal_ranges(config.file.text, spans, index))
                yield Diagnostic(
                    self.code,
                    f"`pip` in phases.{phase.name}.nixPkgs gives Nix's Python no usable pip; "
                    "install into the provider's virtualenv instead",
                    Span(path, *item.span),
                    Fix("Remove `pip` from nixPkgs", Applicability.SAFE, edits),
                )
