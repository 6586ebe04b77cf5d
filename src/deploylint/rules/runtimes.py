"""DPL1xx: the Python a platform really runs, and the settings it ignores."""

from __future__ import annotations

from packaging.version import Version

from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, Span
from deploylint.parsing import json as jsonparse
from deploylint.parsing.edits import removal_ranges
from deploylint.rules import Example, Rule

_VERCEL_APP = "from flask import Flask\n\napp = Flask(__name__)\n"


class UnsupportedPythonRuntime(Rule):
    """
    ## What it does
    Reports a Python version that the platform will not really run:
    - on Vercel, a version pinned in a file @vercel/python reads
      (`.python-version`, `requires-python`) that its build image does not
      install, or that Vercel discontinued;
    - in a Dockerfile, `FROM python:X.Y` for a Python past its end of life on
      the `--as-of` day.

    ## Why is this bad?
    Vercel ignores a pin it cannot honour: it prints a warning and builds
    with its default (3.12), so the app runs on a Python nobody tested. A
    discontinued version (3.6) fails the build. Images of an end-of-life
    Python are never rebuilt, so they stop receiving security fixes.

    ## Example
    ```text
    # .python-version, in a Vercel project
    3.9
    ```

    Use instead:
    ```text
    3.12
    ```

    ## Fix safety
    No fix: moving to another Python may need code or dependency changes.

    ## References
    - [Vercel: Python runtime, supported versions](https://vercel.com/docs/functions/runtimes/python)
    - [@vercel/python version.ts](https://github.com/vercel/vercel/blob/main/packages/python/src/version.ts)
    - [Python release cycle](https://devguide.python.org/versions/)
    - [docker-library/python: end-of-life tags are not rebuilt](https://github.com/docker-library/python/issues/769)
    """

    code = "DPL101"
    name = "unsupported-python-runtime"
    VALID = [
        Example({"vercel.json": "{}\n", ".python-version": "3.12\n", "api/index.py": _VERCEL_APP}),
        Example({"Dockerfile": "FROM python:3.12-slim\n"}),
    ]
    INVALID = [
        Example({"vercel.json": "{}\n", ".python-version": "3.9\n", "api/index.py": _VERCEL_APP}, ".python-version", 1),
        Example({"Dockerfile": "FROM node:20 AS assets\nFROM python:3.9-slim\n"}, "Dockerfile", 2),
    ]

    def check(self, unit):
        if unit.vercel:
            yield from self._vercel(unit)
        for doc in unit.dockerfiles:
            for stage in doc.stages:
                if stage.python:
                    yield from self._end_of_life(unit, stage.python, "the python:{minor} images get no security rebuilds")

    def _vercel(self, unit):
        resolved = unit.vercel_python()
        declared = resolved.declared
        data = unit.knowledge.vercel
        installed = ", ".join(data["installed_python"])
        if resolved.status == "discontinued":
            date = unit.knowledge.vercel_discontinued[resolved.python]["date"]
            yield Diagnostic(
                self.code,
                f"Vercel discontinued Python {resolved.python} on {date}: the build fails. Pin one of {installed}",
                declared.span,
            )
        elif resolved.status == "not-installed":
            yield Diagnostic(
                self.code,
                f"Vercel does not install Python {declared.minor or declared.text!r}: it ignores this pin and builds "
                f"with {resolved.python}. Pin one of {installed}",
                declared.span,
            )
        elif resolved.status == "no-match":
            yield Diagnostic(
                self.code,
                f"no Python that Vercel installs ({installed}) satisfies requires-python {declared.text}: "
                f"it builds with {resolved.python}",
                declared.span,
            )

    def _end_of_life(self, unit, declared, consequence):
        release = unit.knowledge.python_release(declared.minor or "")
        if release and release.end_of_life < unit.options.as_of:
            yield Diagnostic(
                self.code,
                f"Python {declared.minor} reached end of life on {release.end_of_life.isoformat()}; "
                + consequence.format(minor=declared.minor),
                declared.span,
            )


class IgnoredRuntimeSetting(Rule):
    """
    ## What it does
    Reports `builds[].config.runtime` or `builds[].config.pythonVersion` in
    vercel.json.

    ## Why is this bad?
    @vercel/python never reads either key: it takes the Python version from
    `.python-version`, `requires-python` in pyproject.toml, or Pipfile.lock,
    and otherwise builds with its default. A project that asks for
    `"runtime": "python3.9"` there is built with 3.12 all the same, and
    changing the value (as people do when the build breaks) changes nothing.

    ## Example
    ```json
    {"builds": [{"src": "api/index.py", "use": "@vercel/python",
                 "config": {"runtime": "python3.9"}}]}
    ```

    Use instead:
    ```json
    {"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}
    ```
    and a `.python-version` file with the version to build with.

    ## Fix safety
    Safe. The fix deletes the ignored key, which changes nothing Vercel does,
    and, when no file pins a version yet, writes the version Vercel builds
    with today into `.python-version`, so the build keeps its Python when
    Vercel moves its default.

    ## References
    - [@vercel/python index.ts: the config keys it reads](https://github.com/vercel/vercel/blob/main/packages/python/src/index.ts)
    - [Vercel: Python version](https://vercel.com/docs/functions/runtimes/python)
    """

    code = "DPL103"
    name = "ignored-runtime-setting"
    fix = "always"
    VALID = [
        Example({"vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}\n', ".python-version": "3.12\n"}),
    ]
    INVALID = [
        Example(
            {
                "vercel.json": '{\n  "builds": [\n    {\n      "src": "api/index.py",\n      "use": "@vercel/python",\n'
                '      "config": { "runtime": "python3.9" }\n    }\n  ]\n}\n',
                "api/index.py": _VERCEL_APP,
            },
            "vercel.json",
            6,
            fixed={
                "vercel.json": '{\n  "builds": [\n    {\n      "src": "api/index.py",\n      "use": "@vercel/python"\n    }\n  ]\n}\n',
                ".python-version": "3.12\n",
            },
        ),
        Example(
            {
                "vercel.json": '{"builds": [{"src": "a.py", "use": "@vercel/python",'
                ' "config": {"maxLambdaSize": "15mb", "pythonVersion": "3.11"}}]}\n',
                "requirements.txt": "flask\n",
                ".python-version": "3.12\n",
            },
            "vercel.json",
            1,
            fixed={"vercel.json": '{"builds": [{"src": "a.py", "use": "@vercel/python", "config": {"maxLambdaSize": "15mb"}}]}\n'},
        ),
    ]

    def check(self, unit):
        config = unit.vercel
        if not config:
            return
        ignored = unit.knowledge.vercel["ignored_build_config"]
        resolved = unit.vercel_python()
        pins_version = resolved.status != "default"
        for index, build in enumerate(config.builds):
            if build.config is None:
                continue
            for member in build.config.members:
                if member.key not in ignored:
                    continue
                value = member.value
                shown = value.value if isinstance(value, jsonparse.JScalar) else "..."
                message = (
                    f"`builds[{index}].config.{member.key}` is ignored: @vercel/python never reads it, and builds with "
                    f"Python {resolved.python}"
                    + (f" (from {resolved.declared.source})" if resolved.status == "ok" else "")
                    + f", not {shown}. Pin the version in .python-version"
                )
                edits = list(self._remove(config, build, member))
                if not pins_version:
                    edits.append(Edit(unit.path(".python-version"), 0, 0, f"{resolved.python}\n"))
                fix_message = f"Remove `config.{member.key}`" + (
                    "" if pins_version else f" and pin Python {resolved.python} in .python-version"
                )
                yield Diagnostic(
                    self.code,
                    message,
                    Span(config.file.path, member.key_start, value.end),
                    Fix(fix_message, Applicability.SAFE, tuple(edits)),
                )

    @staticmethod
    def _remove(config, build, member):
        path = config.file.path
        text = config.file.text
        # Drop the whole `config` member when nothing else would be left in it.
        target_object, target_member = build.config, member
        if len(build.config.members) == 1:
            target_object = build.node
            target_member = build.node.member("config")
        members = target_object.members
        spans = [(m.key_start, m.value.end) for m in members]
        index = next(i for i, m in enumerate(members) if m is target_member)
        for start, end in removal_ranges(text, spans, index):
            yield Edit(path, start, end, "")


class OutdatedPlatformBuilder(Rule):
    """
    ## What it does
    Reports `builds[].use` in vercel.json that pins `@vercel/python` to a
    release older than 4.2.0.

    ## Why is this bad?
    Releases before 4.1.0 always build with Python 3.9 and fail with
    `Error: spawn pip3.9 ENOENT`; 4.1.x knows Python 3.9 to 3.11 only and
    fails with `Error: Unable to find any supported Python versions.` Vercel's
    build image has had only Python 3.12 and newer since the image with
    Python 3.9 was retired.

    ## Example
    ```json
    {"builds": [{"src": "api/index.py", "use": "@vercel/python@3.1.0"}]}
    ```

    Use instead:
    ```json
    {"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}
    ```

    ## Fix safety
    Safe: a pinned builder below 4.2.0 cannot build at all, so unpinning it
    can only repair the build.

    ## References
    - [@vercel/python changelog (4.1.0, 4.2.0)](https://github.com/vercel/vercel/blob/main/packages/python/CHANGELOG.md)
    - [Vercel: build image](https://vercel.com/docs/deployments/build-image)
    """

    code = "DPL104"
    name = "outdated-platform-builder"
    fix = "always"
    VALID = [Example({"vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python@6.4.0"}]}\n'})]
    INVALID = [
        Example(
            {"vercel.json": '{\n  "builds": [{ "src": "api/index.py", "use": "@vercel/python@3.1.0" }]\n}\n'},
            "vercel.json",
            2,
            fixed={"vercel.json": '{\n  "builds": [{ "src": "api/index.py", "use": "@vercel/python" }]\n}\n'},
        ),
    ]

    def check(self, unit):
        config = unit.vercel
        if not config:
            return
        builder = unit.knowledge.vercel["builder"]
        for build in config.builds:
            name, version = build.builder
            if name != builder or not version:
                continue
            try:
                pinned = Version(version)
            except ValueError:
                continue
            for broken in sorted(unit.knowledge.vercel_broken_builders, key=lambda b: b.below):
                if pinned < broken.below:
                    use = build.use
                    yield Diagnostic(
                        self.code,
                        f"{builder}@{version} cannot build on Vercel today: {broken.why} (`{broken.error}`). Unpin it",
                        Span(config.file.path, use.start, use.end),
                        Fix(f"Use the current {builder}", Applicability.SAFE, (Edit(config.file.path, use.start, use.end, f'"{builder}"'),)),
                    )
                    break
