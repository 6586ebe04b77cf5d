"""DPL106: settings a platform rejects outright, failing the build or the deploy."""

from __future__ import annotations

import re

from deploylint.diagnostics import Diagnostic, Related, Span
from deploylint.parsing import json as jsonparse
from deploylint.rules import Example, Rule

# detect-builders.ts: the text after the last '@' must be a full semver.
_FUNCTION_RUNTIME = re.compile(r"^.+@\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$")
_HEROKU_RUNTIME_TXT = re.compile(r"^python-\d+\.\d+(?:\.\d+)?$")
_HEROKU_PYTHON_VERSION = re.compile(r"^\d+\.\d+(?:\.\d+)?$")
_ROUTES_EXCLUDE = ("rewrites", "redirects", "headers", "cleanUrls", "trailingSlash")


class RejectedPlatformConfig(Rule):
    """
    ## What it does
    Reports configuration the platform refuses before it builds anything:
    - vercel.json with both `functions` and `builds`, or `routes` next to
      `rewrites`, `redirects`, `headers`, `cleanUrls` or `trailingSlash`;
    - a `functions.*.runtime` in vercel.json that is not `package@x.y.z`
      (`"python3.12"`, `"vercel-python"`): Python needs no `runtime` at all;
    - a `builds[].use` that names no npm package because a version is glued
      to the builder's name (`"@vercel/python3.10"`): the package is
      `@vercel/python`, optionally `@x.y.z`, and the Python version goes in
      `.python-version`;
    - on Heroku, a `runtime.txt` that is not `python-X.Y[.Z]`, or a
      `.python-version` that is not `X.Y` or `X.Y.Z` on one line; more
      than one of `requirements.txt`, `Pipfile.lock`, `poetry.lock` and
      `uv.lock`; a `Pipfile` without its `Pipfile.lock`; a uv project with
      `runtime.txt`, or without `.python-version`;
    - on Netlify, a `runtime.txt` with a `python-` prefix or a comment: its
      build script pastes the file into a path (`$HOME/python<contents>`).

    ## Why is this bad?
    The deploy fails at once, with a message that names the file but not
    always the rule: `Function Runtimes must have a valid version`, `The
    functions property cannot be used in conjunction with the builds
    property`, `Invalid Python version in runtime.txt`.

    ## Example
    ```json
    {"functions": {"api/*.py": {"runtime": "python3.12"}}}
    ```

    Use instead:
    ```json
    {"functions": {"api/*.py": {"maxDuration": 30}}}
    ```

    ## Fix safety
    No fix: which of the conflicting settings to keep is the author's call.

    ## References
    - [npm: @vercel/python, the only package of that name](https://www.npmjs.com/package/@vercel/python)
    - [Vercel validate-config.ts: FUNCTIONS_AND_BUILDS](https://github.com/vercel/vercel/blob/main/packages/cli/src/util/validate-config.ts)
    - [Vercel detect-builders.ts: function runtimes](https://github.com/vercel/vercel/blob/main/packages/fs-detectors/src/detect-builders.ts)
    - [Vercel: project configuration, routes](https://vercel.com/docs/project-configuration)
    - [Heroku python_version.sh](https://github.com/heroku/heroku-buildpack-python/blob/main/lib/python_version.sh)
    - [Heroku package_manager.sh](https://github.com/heroku/heroku-buildpack-python/blob/main/lib/package_manager.sh)
    - [netlify/build-image#141: python-2.7 in runtime.txt](https://github.com/netlify/build-image/issues/141)
    """

    code = "DPL106"
    name = "rejected-platform-config"
    VALID = [
        Example({"vercel.json": '{"functions": {"api/*.py": {"maxDuration": 30}}}\n'}),
        Example({"vercel.json": '{"functions": {"api/*.rs": {"runtime": "vercel-rust@4.0.9"}}}\n'}),
        Example({"vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python@4.3.1"}, {"src": "w.py", "use": "vercel-python-wsgi"}]}\n'}),
        Example({"Procfile": "web: gunicorn app:app\n", "runtime.txt": "python-3.12.4\n"}),
        Example({"Procfile": "web: gunicorn app:app\n", "Pipfile": '[packages]\nflask = "*"\n', "Pipfile.lock": '{"default": {}}'}),
        Example({"Procfile": "web: gunicorn app:app\n", ".python-version": "3.13\n", "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": ""}),
        Example({"netlify.toml": "[build]\ncommand = 'make'\n", "runtime.txt": "3.12\n"}),
    ]
    INVALID = [
        Example({"vercel.json": '{\n  "builds": [{"src": "a.py", "use": "@vercel/python"}],\n  "functions": {"a.py": {"memory": 1024}}\n}\n'}, "vercel.json", 3),
        Example({"vercel.json": '{\n  "routes": [{"src": "/(.*)", "dest": "a.py"}],\n  "rewrites": []\n}\n'}, "vercel.json", 3),
        Example({"vercel.json": '{"functions": {"api/*.py": {"runtime": "python3.12"}}}\n'}, "vercel.json", 1),
        Example({"vercel.json": '{\n  "builds": [{"src": "api/index.py", "use": "@vercel/python3.10"}]\n}\n'}, "vercel.json", 2),
        Example({"Procfile": "web: gunicorn app:app\n", "runtime.txt": "3.12.4\n"}, "runtime.txt", 1),
        Example({"Procfile": "web: gunicorn app:app\n", ".python-version": "python-3.12\n"}, ".python-version", 1),
        Example({"netlify.toml": "[build]\ncommand = 'make'\n", "runtime.txt": "python-3.12\n"}, "runtime.txt", 1),
        Example({"Procfile": "web: gunicorn app:app\n", "requirements.txt": "flask\n", "Pipfile": '[packages]\nflask = "*"\n'}, "Pipfile", 1),
        Example(
            {"Procfile": "web: gunicorn app:app\n", "requirements.txt": "flask\n", "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "poetry.lock": ""},
            "poetry.lock",
            1,
        ),
        Example({"Procfile": "web: gunicorn app:app\n", "pyproject.toml": '[project]\nname = "a"\nversion = "1"\n', "uv.lock": ""}, "uv.lock", 1),
    ]

    def check(self, unit):
        if unit.vercel and isinstance(unit.vercel.root, jsonparse.JObject):
            yield from self._vercel(unit.vercel, unit.knowledge.vercel["builder"])
        platforms = {d.platform for d in unit.deployments()}
        if "heroku" in platforms:
            yield from self._heroku(unit)
        if "netlify" in platforms and unit.runtime_txt:
            prefixed = unit.runtime_txt.declared is not None and unit.runtime_txt.declared.text.startswith("python")
            if prefixed or "#" in unit.runtime_txt.file.text:
                span = unit.runtime_txt.declared.span if unit.runtime_txt.declared else Span(unit.runtime_txt.file.path, 0, 0)
                yield Diagnostic(
                    self.code,
                    "Netlify reads runtime.txt verbatim as a bare version (`3.12`): a `python-` prefix or a comment "
                    "breaks the build (`Error setting python version from runtime.txt`)",
                    span,
                )

    def _vercel(self, config, builder):
        root = config.root
        builds, functions = root.member("builds"), root.member("functions")
        path = config.file.path
        if builds and functions:
            yield Diagnostic(
                self.code,
                "Vercel refuses `functions` together with `builds` (FUNCTIONS_AND_BUILDS): remove one of them",
                Span(path, functions.key_start, functions.key_end),
                related=(Related(Span(path, builds.key_start, builds.key_end), "`builds` is here"),),
            )
        routes = root.member("routes")
        if routes:
            for key in _ROUTES_EXCLUDE:
                other = root.member(key)
                if other:
                    yield Diagnostic(
                        self.code,
                        f"Vercel refuses `routes` together with `{key}`: use `{key}` (and the others) instead of `routes`",
                        Span(path, other.key_start, other.key_end),
                        related=(Related(Span(path, routes.key_start, routes.key_end), "`routes` is here"),),
                    )
        for build in config.builds:
            name, _ = build.builder
            if name != builder and name.startswith(builder):
                yield Diagnostic(
                    self.code,
                    f"`{build.use.value}` names no npm package, so Vercel cannot install the builder and the deploy "
                    f"fails: the package is `{builder}` (optionally `{builder}@x.y.z`). Use `\"{builder}\"` and pin the "
                    "Python version in .python-version",
                    Span(path, build.use.start, build.use.end),
                )
        if functions and isinstance(functions.value, jsonparse.JObject):
            for member in functions.value.members:
                runtime = member.value.get("runtime") if isinstance(member.value, jsonparse.JObject) else None
                value = runtime.value if isinstance(runtime, jsonparse.JScalar) else None
                if isinstance(value, str) and not _FUNCTION_RUNTIME.match(value):
                    yield Diagnostic(
                        self.code,
                        f"`functions.{member.key}.runtime` is {value!r}: Vercel needs `package@x.y.z` (`Function Runtimes must "
                        "have a valid version`). Python functions need no runtime: remove it",
                        Span(path, runtime.start, runtime.end),
                    )

    def _heroku(self, unit):
        if unit.runtime_txt and unit.runtime_txt.declared:
            declared = unit.runtime_txt.declared
            if not _HEROKU_RUNTIME_TXT.match(declared.text):
                yield Diagnostic(
                    self.code,
                    f"Heroku needs runtime.txt to read `python-X.Y.Z`, not {declared.text!r}: the build fails with "
                    "`Invalid Python version in runtime.txt`. Better: move the version to .python-version",
                    declared.span,
                )
        doc = unit.python_version
        if doc and doc.declared:
            lines = [line.split("#", 1)[0].strip() for line in doc.file.text.splitlines()]
            versions = [line for line in lines if line]
            if not _HEROKU_PYTHON_VERSION.match(doc.declared.text) or len(versions) > 1:
                yield Diagnostic(
                    self.code,
                    "Heroku needs .python-version to hold one `X.Y` or `X.Y.Z` line (no `python-` prefix, quotes or "
                    "wildcards): the build fails",
                    doc.declared.span,
                )
        yield from self._heroku_package_manager(unit)

    def _heroku_package_manager(self, unit):
        """lib/package_manager.sh: exactly one package manager file, a Pipfile only with its lock, uv only with .python-version."""
        rules = unit.knowledge.install_rules("heroku")
        present = [(name, unit.dependency_files.find(unit.path(name))) for name in rules["one_of"]]
        present = [(name, doc) for name, doc in present if doc is not None]
        if len(present) > 1:
            names = ", ".join(name for name, _ in present)
            for name, doc in present:
                others = tuple(Related(Span(other.file.path, 0, 0), f"{other_name} is another") for other_name, other in present if other is not doc)
                yield Diagnostic(
                    self.code,
                    f"Heroku's buildpack stops when it finds several package manager files ({names}): "
                    f"`{rules['multiple_error']}` Keep the one the app installs with",
                    Span(doc.file.path, 0, 0),
                    related=others,
                )
        pipfile = unit.at_root("pipfile", "Pipfile")
        if pipfile is not None and unit.at_root("pipfile", "Pipfile.lock") is None:
            yield Diagnostic(
                self.code,
                f"Heroku's buildpack refuses a Pipfile without its lock: `{rules['pipfile_error']}` Run `pipenv lock` and commit Pipfile.lock, or delete the Pipfile",
                Span(pipfile.file.path, 0, 0),
            )
        uv_lock = unit.dependency_files.find(unit.path("uv.lock"))
        if uv_lock is not None and len(present) == 1:
            if unit.runtime_txt is not None:
                yield Diagnostic(self.code, f"Heroku refuses runtime.txt in a uv project: `{rules['uv_runtime_txt_error']}` Move the version to .python-version", Span(unit.runtime_txt.file.path, 0, 0))
            elif unit.python_version is None:
                yield Diagnostic(self.code, f"Heroku needs .python-version in a uv project: `{rules['uv_no_version_error']}`", Span(uv_lock.file.path, 0, 0))
