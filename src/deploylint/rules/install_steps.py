"""DPL2xx: install steps that cannot work on the platform that runs them."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    `python -m pip`, `pip3 ...`, `/opt/venv/bin/pip`) before anything gives
    Nix's Python a pip: no virtualenv created or activated, no `ensurepip`,
    and no `'...'` that splices in the Python provider's own install
    commands. The message names the error the build will really stop with:
    - `python -m pip`: `No module named pip`, with or without a
      `pythonXYPackages.pip` in `nixPkgs` (that package does not put pip on
      the interpreter's module path);
    - the `pip`/`pip3` wrapper that a `pythonXYPackages.pip` in `nixPkgs`
      provides, running `install` or `uninstall`: PEP 668's
      `error: externally-managed-environment` ("This command has been
      disabled as it tries to modify the immutable `/nix/store`
      filesystem"), because nixpkgs marks its Python externally managed;
    - `pip` with no pip package: `pip: command not found`;
    - `/opt/venv/bin/pip` or `/opt/venv/bin/python -m pip` when nothing
      before it created the venv (a custom install phase replaced the
      provider's commands, which create it): `No such file or directory`.

    It stays silent where the outcome is not certain: the pip wrapper with
    `--break-system-packages` or `PIP_BREAK_SYSTEM_PACKAGES` set (in the
    command or in `[variables]`), or with `--target`, `--prefix` or `--root`
    (pip skips its PEP 668 check for those; whether the install then
    succeeds as root, with the Nix store read-only, is unconfirmed); a Python
    built with `withPackages` or a pip from `aptPkgs`; `uv pip`, which
    depends on how uv got there; and a pip or Python at any other absolute
    path.

    ## Why is this bad?
    Nix's `pythonXY` packages ship without pip. The Nixpacks Python provider
    therefore creates a virtualenv in /opt/venv (which bundles pip) before it
    installs anything. A `cmds` array in nixpacks.toml replaces the
    provider's commands, venv included, and the build fails. Adding
    `python311Packages.pip` to `nixPkgs`, the usual next attempt, only
    trades `No module named pip` for `externally-managed-environment`.

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
    creation the Python provider runs; once the venv is activated, `pip`,
    `python -m pip` and `/opt/venv/bin/pip` all run the venv's own pip, and
    Nixpacks already puts /opt/venv/bin on the PATH of later commands.

    ## References
    - [Nixpacks Python provider (python.rs)](https://github.com/railwayapp/nixpacks/blob/main/src/providers/python.rs)
    - [nixpkgs: pip is not part of the python package](https://github.com/NixOS/nixpkgs/issues/26933)
    - [Nixpacks: configuration file, `...`](https://nixpacks.com/docs/configuration/file)
    - [nixpkgs manual: Python (the page nixpkgs' externally-managed error points to)](https://nixos.org/manual/nixpkgs/stable/#python)
    - [PEP 668: marking Python base environments as externally managed](https://peps.python.org/pep-0668/)
    - [pip install: `--root`, `--target` and `--prefix` skip the externally-managed check](https://github.com/pypa/pip/blob/main/src/pip/_internal/commands/install.py)
    """

    code = "DPL201"
    name = "pip-on-nix-python"
    fix = "always"
    VALID = [
        Example({"nixpacks.toml": '[phases.install]\ncmds = ["...", "pip install gunicorn"]\n'}),
        Example({"nixpacks.toml": '[phases.install]\ncmds = ["python -m venv /opt/venv && . /opt/venv/bin/activate && pip install -r requirements.txt"]\n'}),
        Example({"nixpacks.toml": '[phases.install]\ncmds = ["python3 -m ensurepip --upgrade", "python3 -m pip install -r requirements.txt"]\n'}),
        Example({"nixpacks.toml": '[phases.build]\ncmds = ["pip install -e ."]\n'}),
        Example({"nixpacks.toml": '[phases.build]\ncmds = ["/opt/venv/bin/pip install gunicorn"]\n'}),  # after the provider's venv
        # Uncertain: PEP 668 overridden (or skipped by --target) on the wrapper of a pip package.
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n'
             '[phases.install]\ncmds = ["pip install --break-system-packages -r requirements.txt"]\n'}
        ),
        Example(
            {"nixpacks.toml": '[variables]\nPIP_BREAK_SYSTEM_PACKAGES = "1"\n\n[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n'
             '[phases.install]\ncmds = ["pip install -r requirements.txt"]\n'}
        ),
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n'
             '[phases.install]\ncmds = ["PIP_BREAK_SYSTEM_PACKAGES=1 pip install -r requirements.txt", "pip install --target /app/deps flask"]\n'}
        ),
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n[phases.install]\ncmds = ["pip --version"]\n'}
        ),
        Example({"nixpacks.toml": '[phases.setup]\nnixPkgs = ["(python311.withPackages (ps: [ ps.pip ]))"]\n\n[phases.install]\ncmds = ["python -m pip install flask"]\n'}),
        Example({"nixpacks.toml": '[phases.install]\naptPkgs = ["python3-pip"]\ncmds = ["pip install -r requirements.txt"]\n'}),
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
        # The pip package's wrapper: externally-managed-environment.
        Example(
            {"nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n[phases.install]\ncmds = ["pip install -r requirements.txt"]\n'},
            "nixpacks.toml",
            5,
            fixed={
                "nixpacks.toml": '[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n[phases.install]\ncmds = ["python -m venv --copies'
                ' /opt/venv && . /opt/venv/bin/activate && pip install -r requirements.txt"]\n'
            },
        ),
        # A custom install phase dropped the venv that /opt/venv/bin/pip needs.
        Example(
            {"nixpacks.toml": '[phases.install]\ncmds = ["/opt/venv/bin/pip install -r requirements.txt"]\n'},
            "nixpacks.toml",
            2,
            fixed={
                "nixpacks.toml": '[phases.install]\ncmds = ["python -m venv --copies'
                ' /opt/venv && . /opt/venv/bin/activate && /opt/venv/bin/pip install -r requirements.txt"]\n'
            },
        ),
    ]

    def check(self, unit):
        config = unit.nixpacks
        if not config:
            return
        knowledge = unit.knowledge.nixpacks
        context = _NixContext.of(config, _VENV_DIR)
        if context.pip_elsewhere:
            return
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
                        error = context.error(words, item.value)
                        if error:
                            yield self._finding(config, phase.name, item, words, base, knowledge["venv_prefix"], error)
                            pip_ready = True  # one fix makes the venv for all that follow

    def _finding(self, config, phase, item, words, base, prefix, error):
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
            f"`{shown}` in phases.{phase} {error}",
            span,
            Fix("Create and activate /opt/venv before pip, as the Python provider does", Applicability.SAFE, (edit,)),
        )


_PIP_WORD = re.compile(r"(?:.*/)?pip(?:3(?:\.\d+)?)?$")
_PIP_PACKAGE = re.compile(r"^python\d*Packages\.pip$")
_APT_PIP = re.compile(r"^python\d*(?:\.\d+)?-pip$")
_NIX_PATHS = ("/nix/", "/root/.nix-profile/bin/")
_OVERRIDE = "PIP_BREAK_SYSTEM_PACKAGES"
# pip install skips its PEP 668 check for these, or is told to ignore it.
_PEP668_SKIPPED = {"--break-system-packages", "--target", "--prefix", "--root"}
_CREATE_VENV = "create the venv the Python provider uses first"
_VENV_DIR = "/opt/venv"  # where the provider's venv_prefix puts it (python.rs)


@dataclass
class _NixContext:
    """What the phases' packages and variables give the commands that run pip."""

    venv_dir: str
    pip_package: str | None  # pythonXYPackages.pip in nixPkgs: its wrapper is on the PATH
    pip_elsewhere: bool  # a Python env with packages, or an apt pip: the outcome is unknowable
    override: bool  # PIP_BREAK_SYSTEM_PACKAGES in [variables]
    install_replaced: bool  # phases.install sets cmds without '...'

    @classmethod
    def of(cls, config, venv_dir: str) -> "_NixContext":
        pip_package = None
        elsewhere = False
        for phase in config.phases:
            for item in phase.nix_pkgs or ():
                if _PIP_PACKAGE.match(item.value):
                    pip_package = pip_package or item.value
                elif "withPackages" in item.value or "buildEnv" in item.value:
                    elsewhere = True
        phases = config.doc.data.get("phases")
        for table in phases.values() if isinstance(phases, dict) else ():
            apt = table.get("aptPkgs", table.get("aptPackages")) if isinstance(table, dict) else None
            if isinstance(apt, list) and any(isinstance(p, str) and _APT_PIP.match(p) for p in apt):
                elsewhere = True
        variables = config.doc.data.get("variables")
        override = isinstance(variables, dict) and _OVERRIDE in variables
        install = next((p for p in config.phases if p.name == "install"), None)
        replaced = install is not None and install.cmds is not None and all(i.value != "..." for i in install.cmds)
        return cls(venv_dir, pip_package, elsewhere, override, replaced)

    def error(self, words: list, command: str) -> str | None:
        """What the build stops with when this command runs pip with no venv; None when unsure."""
        values = [w.value for w in words]
        start = next((i for i, v in enumerate(values) if _PIP_WORD.match(v) or _PYTHON.match(v)), None)
        if start is None or "uv" in values[:start]:
            return None
        executable = values[start]
        via_module = not _PIP_WORD.match(executable)
        if executable.startswith(self.venv_dir + "/"):
            return self._no_venv(executable)
        if executable.startswith("/") and not executable.startswith(_NIX_PATHS):
            return None
        name = executable.rsplit("/", 1)[-1]
        if via_module:
            if self.pip_package:
                return (
                    f"fails with `No module named pip`: `{self.pip_package}` in nixPkgs does not put pip on the "
                    f"module path of Nix's Python; {_CREATE_VENV}"
                )
            return f"runs pip on Nix's Python, which ships without pip (`No module named pip`); {_CREATE_VENV}"
        if not self.pip_package:
            return f"fails with `{name}: command not found`: Nix's Python ships without pip; {_CREATE_VENV}"
        arguments = [v for v in values[start + 1 :] if not v.startswith("-")]
        if not arguments or arguments[0] not in ("install", "uninstall"):
            return None  # the wrapper runs; only changing the environment is refused
        flags = {v.split("=", 1)[0] for v in values[start + 1 :] if v.startswith("-")}
        target = any(v.startswith("-t") for v in flags)  # -t DIR, -tDIR
        if self.override or _OVERRIDE in command or target or flags & _PEP668_SKIPPED:
            return None
        return (
            f"fails with `error: externally-managed-environment`: nixpkgs marks its Python externally managed "
            f"(PEP 668), so the `{self.pip_package}` wrapper refuses to install into the read-only Nix store; "
            f"{_CREATE_VENV}"
        )

    def _no_venv(self, executable: str) -> str:
        if self.install_replaced:
            why = "phases.install replaces the Python provider's commands, which create it, and nothing before this creates it"
        else:
            why = "the Python provider creates it in phases.install, which runs after this"
        return (
            f"fails with `{executable}: No such file or directory`: {self.venv_dir} does not exist, because {why}; "
            "create the venv first"
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
