"""DPL1xx: the Python a platform really runs, and the settings it ignores."""

from __future__ import annotations

import difflib
import re

from packaging.version import Version

from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, Related, Span
from deploylint.parsing import json as jsonparse
from deploylint.parsing.edits import removal_ranges
from deploylint.rules import Example, Rule
from deploylint.sources.vercel import split_builder

_PYTHON_FILES = re.compile(r"\.py$")  # a functions glob that names only Python files

_VERCEL_APP = "from flask import Flask\n\napp = Flask(__name__)\n"
_SAM = (
    "AWSTemplateFormatVersion: '2010-09-09'\n"
    "Transform: AWS::Serverless-2016-10-31\n"
    "Resources:\n"
    "  Api:\n"
    "    Type: AWS::Serverless::Function\n"
    "    Properties:\n"
    "      Handler: app.handler\n"
    "      CodeUri: src/\n"
    "      Runtime: {runtime}\n"
)
_WORKFLOW = (
    "on: push\n"
    "jobs:\n"
    "  test:\n"
    "    runs-on: {runner}\n"
    "    steps:\n"
    "      - uses: actions/checkout@v4\n"
    "      - uses: actions/setup-python@v5\n"
    "        with:\n"
    "          python-version: {version}\n"
)


class UnsupportedPythonRuntime(Rule):
    """
    ## What it does
    Reports a Python version that the platform will not really run, or will
    not run for long, judged on the `--as-of` day:
    - **Vercel**: a pin in a file @vercel/python reads (`.python-version`,
      `requires-python`) that its build image does not install, or that
      Vercel discontinued.
    - **Heroku**: a version the buildpack removed (3.9 and older), deprecated
      (3.10), or does not know yet. (`runtime.txt` is deprecated but still
      works: only a uv project fails with it, DPL106.)
    - **Nixpacks**: a version it has no Nix package for (3.14, 3.6); it
      silently builds with its default instead.
    - **Railpack**: a version older than 3.10.
    - **AWS Lambda** (`template.yaml`, `serverless.yml`): a `pythonX.Y`
      runtime past its deprecation, block-create or block-update date.
    - **App Engine / Cloud Run functions** (`app.yaml`): a `python3XX`
      runtime past its deprecation or decommission date.
    - **Docker**: `FROM python:X.Y` for a Python past its end of life, or a
      tag on a Debian release the official images are no longer built on.
    - **GitHub Actions**: `setup-python` asked for 3.7 or older on
      `ubuntu-latest`, which has no such build.
    - Any other version file (`.python-version`, `runtime.txt`,
      `.tool-versions`, Pipfile, `PYTHON_VERSION`) naming a Python past its
      end of life, if it decides a deployment's Python (with no platform
      known, every one): a stale file no builder reads breaks nothing.
    - **Your own minimums**: a Python older than a `[[platform_minimum]]`
      of an `extend-knowledge` file allows on that platform (see
      [Configure it](https://github.com/deploylint/deploylint#configure-it)).

    ## Why is this bad?
    Some platforms ignore a pin they cannot honour and build with their
    default, so the app runs on a Python nobody tested; others fail the
    build. Images and runtimes of an end-of-life Python get no security
    fixes, and Lambda and App Engine stop accepting deploys of them.

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
    - [Heroku Python buildpack changelog](https://github.com/heroku/heroku-buildpack-python/blob/main/CHANGELOG.md)
    - [Nixpacks Python provider](https://github.com/railwayapp/nixpacks/blob/main/src/providers/python.rs)
    - [Railpack: Python](https://railpack.com/languages/python)
    - [AWS Lambda runtimes](https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html)
    - [Cloud Run functions: Python runtimes](https://cloud.google.com/run/docs/runtimes/python)
    - [Python release cycle](https://devguide.python.org/versions/)
    - [docker-library/python: end-of-life tags are not rebuilt](https://github.com/docker-library/python/issues/769)
    - [setup-python: 3.7 not found on Ubuntu 24.04](https://github.com/actions/setup-python/issues/962)
    """

    code = "DPL101"
    name = "unsupported-python-runtime"
    VALID = [
        Example({"vercel.json": "{}\n", ".python-version": "3.12\n", "api/index.py": _VERCEL_APP}),
        Example({"Dockerfile": "FROM python:3.12-slim\n"}),
        Example({"Procfile": "web: gunicorn app:app\n", ".python-version": "3.13\n"}),
        Example({"template.yaml": _SAM.format(runtime="python3.12")}),
        Example({"app.yaml": "runtime: python312\n"}),
        Example({".github/workflows/ci.yml": _WORKFLOW.format(runner="ubuntu-latest", version='"3.12"')}),
        Example({"nixpacks.toml": "[variables]\nNIXPACKS_PYTHON_VERSION = '3.12'\n"}),
        Example({"railpack.json": '{"packages": {"python": "3.13"}}\n'}),
        # The image decides the Python; a runtime.txt left from an old platform is read by nothing.
        Example({"Dockerfile": "FROM python:3.12-slim\n", "runtime.txt": "python-3.8.10\n"}),
    ]
    INVALID = [
        Example({"vercel.json": "{}\n", ".python-version": "3.9\n", "api/index.py": _VERCEL_APP}, ".python-version", 1),
        Example({"Dockerfile": "FROM node:20 AS assets\nFROM python:3.9-slim\n"}, "Dockerfile", 2),
        Example({"Dockerfile": "FROM python:3.12-slim-bullseye\n"}, "Dockerfile", 1),
        Example({"Procfile": "web: gunicorn app:app\n", "runtime.txt": "python-3.9.18\n"}, "runtime.txt", 1),
        Example({"template.yaml": _SAM.format(runtime="python3.9")}, "template.yaml", 9),
        Example({"serverless.yml": "service: api\nprovider:\n  name: aws\n  runtime: python3.8\n"}, "serverless.yml", 4),
        Example({"app.yaml": "runtime: python39\n"}, "app.yaml", 1),
        Example({".github/workflows/ci.yml": _WORKFLOW.format(runner="ubuntu-latest", version='"3.7"')}, ".github/workflows/ci.yml", 9),
        Example({"nixpacks.toml": "[variables]\nNIXPACKS_PYTHON_VERSION = '3.14'\n"}, "nixpacks.toml", 2),
        Example({"railpack.json": '{"packages": {"python": "3.9"}}\n'}, "railpack.json", 1),
        Example({"requirements.txt": "flask\n", ".python-version": "3.8\n"}, ".python-version", 1),
    ]

    def check(self, unit):
        # A file nothing reads gets DPL103, and only that.
        reported: set[Span] = set(unread_declarations(unit))
        for diagnostic in self._platform_findings(unit):
            reported.add(diagnostic.span)
            yield diagnostic
        for diagnostic in self._team_minimums(unit):
            if diagnostic.span not in reported:  # one finding a declaration: the platform's own comes first
                reported.add(diagnostic.span)
                yield diagnostic
        # Every other declared version: at least not past its end of life. Where
        # the app has deployments, only what one of them reads: a stale file
        # that no builder reads breaks nothing.
        deployments = unit.deployments()
        read = {deployment.declared.span for deployment in deployments if deployment.declared}
        for doc in unit.documents():
            for declared in doc.facts.pythons:
                if declared.span not in reported and declared.minor and (not deployments or declared.span in read):
                    reported.add(declared.span)
                    yield from self._end_of_life(unit, declared, "it gets no security fixes")
        for deployment in unit.deployments():
            if deployment.declared and deployment.declared.span not in reported and deployment.python:
                reported.add(deployment.declared.span)
                yield from self._end_of_life(unit, deployment.declared, "it gets no security fixes")

    def _platform_findings(self, unit):
        if any(deployment.platform == "vercel" for deployment in unit.deployments()):
            yield from self._vercel(unit)
        for doc in unit.dockerfiles:
            for stage in doc.stages:
                if stage.python:
                    yield from self._docker(unit, stage)
        for deployment in unit.deployments():
            check = getattr(self, f"_{deployment.platform.replace('-', '_')}", None)
            if check and deployment.platform not in ("vercel", "docker"):
                yield from check(unit, deployment)
        for doc in unit.by_kind.get("github-workflow", ()):
            yield from self._github_actions(unit, doc)

    def _team_minimums(self, unit):
        """The `[[platform_minimum]]` entries of extend-knowledge files."""
        if not unit.knowledge.platform_minimums:
            return
        runs = [(d.platform, d.name, d.python, d.declared.span) for d in unit.deployments() if d.declared and d.python]
        for doc in unit.by_kind.get("github-workflow", ()):
            runs += [("github-actions", "setup-python", r.python, r.span) for r in doc.facts.runtimes if r.python]
        for platform, name, python, span in runs:
            for minimum in unit.knowledge.platform_minimums:
                if minimum.platform == platform and Version(python) < minimum.python:
                    why = f" ({minimum.why})" if minimum.why else ""
                    yield Diagnostic(
                        self.code,
                        f"{name} runs Python {python}, older than the Python {minimum.python} that {minimum.origin} "
                        f"requires on {platform}{why}",
                        span,
                    )
                    break

    def _docker(self, unit, stage):
        found = list(self._end_of_life(unit, stage.python, "the python:{minor} images get no security rebuilds"))
        yield from found
        if found:
            return
        tag = stage.image.partition(":")[2]
        for variant in unit.knowledge.docker["retired_variant"]:
            if tag.endswith(f"-{variant['suffix']}") or tag == variant["suffix"]:
                since = f" since {variant['date']}" if "date" in variant else ""
                yield Diagnostic(
                    self.code,
                    f"the official python images are no longer built on Debian {variant['suffix']}{since}: "
                    f"`{stage.image}` gets no security rebuilds. Use -bookworm or -trixie",
                    stage.image_span,
                )

    def _heroku(self, unit, deployment):
        data = unit.knowledge.heroku
        declared, minor = deployment.declared, deployment.python
        if declared is None or minor is None:
            return
        version = Version(minor)
        removed = sorted(data["removed"], key=lambda r: Version(r["python"]))
        if version <= Version(removed[-1]["python"]):
            last = next((r for r in removed if Version(r["python"]) >= version), removed[-1])
            yield Diagnostic(
                self.code,
                f"Heroku removed Python {minor} (support for {last['python']} and older ended {last['date']}): the build "
                f"fails with `The requested Python version has reached end-of-life`",
                declared.span,
            )
        elif version > Version(data["newest_python"]):
            yield Diagnostic(self.code, f"Heroku's buildpack does not know Python {minor} yet: the build fails", declared.span)
        else:
            for deprecated in data["deprecated"]:
                if deprecated["python"] == minor:
                    yield Diagnostic(
                        self.code,
                        f"Heroku deprecated Python {minor} on {deprecated['date']} and removes it on {deprecated['removal']}",
                        declared.span,
                    )

    def _nixpacks(self, unit, deployment):
        if not deployment.replaced:
            return
        asked = deployment.ignored[-1]
        packages = ", ".join(unit.knowledge.nixpacks["python_packages"].values())
        yield Diagnostic(
            self.code,
            f"Nixpacks has no package for Python {asked.minor or asked.text!r}: it silently builds with its default "
            f"{deployment.python} instead. It supports {packages}",
            asked.span,
        )

    def _railpack(self, unit, deployment):
        minimum = unit.knowledge.railpack["minimum_python"]
        if deployment.declared and deployment.python and Version(deployment.python) < Version(minimum):
            yield Diagnostic(
                self.code,
                f"Railpack supports Python {minimum} and newer: Python {deployment.python} has no precompiled build, and the build fails",
                deployment.declared.span,
            )

    def _lambda(self, unit, deployment):
        runtime = deployment.declared.text if deployment.declared else None
        for entry in unit.knowledge.lambda_runtimes:
            if f"python{deployment.python}" != entry["id"]:
                continue
            yield from self._lifecycle(
                unit,
                deployment,
                entry["id"],
                [("blocks updates of", entry["block_update"]), ("blocks new", entry["block_create"]), ("deprecated", entry["deprecated"])],
                "AWS Lambda",
            )
            return
        if runtime:
            yield from self._end_of_life(unit, deployment.declared, "its Lambda runtime gets no security fixes")

    def _app_engine(self, unit, deployment):
        for entry in unit.knowledge.app_engine_runtimes:
            if entry["id"] != "python" + (deployment.python or "").replace(".", ""):
                continue
            yield from self._lifecycle(
                unit,
                deployment,
                entry["id"],
                [("decommissioned", entry["decommissioned"]), ("deprecated", entry["deprecated"])],
                "Google Cloud",
            )
            return
        if deployment.declared and deployment.python:
            yield from self._end_of_life(unit, deployment.declared, "its Google Cloud runtime gets no security fixes")

    def _lifecycle(self, unit, deployment, runtime_id, stages, platform):
        as_of = unit.options.as_of.isoformat()
        for what, date in stages:
            if date <= as_of:
                if what == "deprecated":
                    message = f"{platform} deprecated the {runtime_id} runtime on {date}: it gets no more patches"
                elif what == "decommissioned":
                    message = f"{platform} decommissioned the {runtime_id} runtime on {date}: deploys fail"
                else:
                    message = f"{platform} {what} functions on {runtime_id} since {date}: deploys fail"
                yield Diagnostic(self.code, message, deployment.declared.span)
                return

    def _github_actions(self, unit, doc):
        data = unit.knowledge.github_actions
        newest_missing = Version(data["newest_missing_on_ubuntu_24"])
        for runtime in doc.facts.runtimes:
            if runtime.python and runtime.runner in data["ubuntu_24_runners"] and Version(runtime.python) <= newest_missing:
                yield Diagnostic(
                    self.code,
                    f"setup-python has no Python {runtime.python} for {runtime.runner} (Ubuntu 24.04): the job fails with "
                    f"`The version '{runtime.python}' with architecture 'x64' was not found`",
                    runtime.span,
                )

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
    Reports a Python setting the platform never reads:
    - `builds[].config.runtime` or `builds[].config.pythonVersion` in
      vercel.json, for a build that uses `@vercel/python` (a community
      builder such as `vercel-python-wsgi` may read them itself, so its
      config is left alone), and `runtime.txt` in a Vercel project;
    - a key Nixpacks does not know in a `[phases.*]` table (`cmd`, `skip`,
      `nix_pkgs`): Nixpacks ignores unknown keys without a word;
    - a Nixpacks version source that another one overrides
      (`runtime.txt` beats `NIXPACKS_PYTHON_VERSION`), and `requires-python`
      when it is the only version Nixpacks could have read.

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
    Only vercel.json's `builds[].config` keys have a fix. It is safe: it deletes the ignored key, which changes nothing Vercel does,
    and, when no file pins a version yet, writes the version Vercel builds
    with today into `.python-version`, so the build keeps its Python when
    Vercel moves its default.

    ## References
    - [@vercel/python index.ts: the config keys it reads](https://github.com/vercel/vercel/blob/main/packages/python/src/index.ts)
    - [Vercel: Python version](https://vercel.com/docs/functions/runtimes/python)
    """

    code = "DPL103"
    name = "ignored-runtime-setting"
    fix = "sometimes"
    VALID = [
        Example({"vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}\n', ".python-version": "3.12\n"}),
        Example({"nixpacks.toml": "[phases.install]\ncmds = ['...']\n", ".python-version": "3.12\n"}),
        Example({"nixpacks.toml": "[variables]\nNIXPACKS_PYTHON_VERSION = '3.12'\n"}),
        # Community builders read their own config.
        Example({"vercel.json": '{"builds": [{"src": "index.py", "use": "vercel-python-wsgi", "config": {"runtime": "python3.8"}}]}\n'}),
        Example({"vercel.json": '{"builds": [{"src": "api/*.py", "use": "@vercel-community/python@1.0.0", "config": {"pythonVersion": "3.9"}}]}\n'}),
    ]
    INVALID = [
        Example({"vercel.json": "{}\n", "runtime.txt": "python-3.12.4\n", "api/index.py": _VERCEL_APP}, "runtime.txt", 1),
        Example({"nixpacks.toml": '[phases.install]\ncmd = "pip install -r requirements.txt"\n'}, "nixpacks.toml", 2),
        Example({"nixpacks.toml": "[variables]\nNIXPACKS_PYTHON_VERSION = '3.12'\n", "runtime.txt": "python-3.11.9\n"}, "nixpacks.toml", 2),
        Example({"nixpacks.toml": "[start]\ncmd = 'python main.py'\n", "pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.12"\n'}, "pyproject.toml", 3),
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
        yield from self._vercel_build_config(unit)
        yield from self._unread_files(unit)
        yield from self._nixpacks(unit)

    def _unread_files(self, unit):
        """Version files a platform never reads: Vercel and runtime.txt."""
        for span, message in unread_declarations(unit).items():
            yield Diagnostic(self.code, message, span)

    def _nixpacks(self, unit):
        if unit.nixpacks:
            known = unit.knowledge.nixpacks["phase_keys"]
            for key, span in unit.nixpacks.unknown_phase_keys:
                close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                yield Diagnostic(self.code, f"Nixpacks silently ignores the unknown phase key `{key}`{hint}", span)
        for deployment in unit.deployments():
            if deployment.platform != "nixpacks":
                continue
            for declared in deployment.ignored:
                if deployment.replaced and declared is deployment.ignored[-1]:
                    continue  # reported by DPL101: the version itself is not available
                chosen = f"Python {deployment.python} from {deployment.declared.source}" if deployment.declared else f"its default Python {deployment.python}"
                yield Diagnostic(self.code, f"Nixpacks ignores {declared.source}: it builds with {chosen}", declared.span)
            if deployment.declared is None and not deployment.ignored and unit.pyproject and unit.pyproject.requires_python is not None:
                yield Diagnostic(
                    self.code,
                    f"Nixpacks never reads requires-python: it builds with its default Python {deployment.python}. "
                    "Pin the version in .python-version",
                    unit.pyproject.requires_python_span,
                )

    def _vercel_build_config(self, unit):
        config = unit.vercel
        if not config:
            return
        ignored = unit.knowledge.vercel["ignored_build_config"]
        builder = unit.knowledge.vercel["builder"]
        resolved = unit.vercel_python()
        pins_version = resolved.status != "default"
        for index, build in enumerate(config.builds):
            if build.config is None or build.builder[0] != builder:
                continue  # a community builder (vercel-python-wsgi, ...) may read config.runtime itself
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


def unread_declarations(unit) -> dict[Span, str]:
    """Version files that no deployment of the unit reads, with why: a runtime.txt in a Vercel
    app that no other platform (Heroku, Nixpacks, Railpack, Netlify) builds."""
    found: dict[Span, str] = {}
    platforms = {deployment.platform for deployment in unit.deployments()}
    if "vercel" in platforms and not platforms & {"heroku", "nixpacks", "railpack", "netlify"} and unit.runtime_txt and unit.runtime_txt.declared:
        resolved = unit.vercel_python()
        found[unit.runtime_txt.declared.span] = (
            f"Vercel never reads runtime.txt: it builds with Python {resolved.python}"
            + (f" (from {resolved.declared.source})" if resolved.status == "ok" else "")
            + ". Pin the version in .python-version"
        )
    return found


class OutdatedPlatformBuilder(Rule):
    """
    ## What it does
    Reports `builds[].use` or `functions.<glob>.runtime` in vercel.json that
    pins `@vercel/python` to a release older than 4.2.0.

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

    The same pin in `functions`:
    ```json
    {"functions": {"api/*.py": {"runtime": "@vercel/python@3.1.0", "maxDuration": 30}}}
    ```

    Use instead:
    ```json
    {"functions": {"api/*.py": {"maxDuration": 30}}}
    ```

    ## Fix safety
    Safe: a pinned builder below 4.2.0 cannot build at all, so unpinning it
    can only repair the build. In `builds[].use` the fix writes the unpinned
    `@vercel/python`. In `functions` it removes the `runtime` member, since
    Vercel gives `.py` functions the current `@vercel/python` by itself;
    it is offered only when the glob names `.py` files, so nothing else
    changes runtime.

    ## References
    - [@vercel/python changelog (4.1.0, 4.2.0)](https://github.com/vercel/vercel/blob/main/packages/python/CHANGELOG.md)
    - [Vercel: build image](https://vercel.com/docs/deployments/build-image)
    - [Vercel: functions configuration, `runtime` is for community runtimes](https://vercel.com/docs/project-configuration#functions)
    """

    code = "DPL104"
    name = "outdated-platform-builder"
    fix = "sometimes"
    VALID = [
        Example({"vercel.json": '{"builds": [{"src": "api/index.py", "use": "@vercel/python@6.4.0"}]}\n'}),
        Example({"vercel.json": '{"functions": {"api/*.py": {"runtime": "@vercel/python@6.4.0"}}}\n'}),
        Example({"vercel.json": '{"functions": {"api/*.php": {"runtime": "vercel-php@0.7.1"}}}\n'}),
    ]
    INVALID = [
        Example(
            {"vercel.json": '{\n  "builds": [{ "src": "api/index.py", "use": "@vercel/python@3.1.0" }]\n}\n'},
            "vercel.json",
            2,
            fixed={"vercel.json": '{\n  "builds": [{ "src": "api/index.py", "use": "@vercel/python" }]\n}\n'},
        ),
        Example(
            {"vercel.json": '{\n  "functions": {\n    "api/*.py": { "runtime": "@vercel/python@3.1.0", "maxDuration": 30 }\n  }\n}\n'},
            "vercel.json",
            3,
            fixed={"vercel.json": '{\n  "functions": {\n    "api/*.py": { "maxDuration": 30 }\n  }\n}\n'},
        ),
        # The glob does not say the files are Python: reported, no fix.
        Example({"vercel.json": '{"functions": {"api/**": {"runtime": "@vercel/python@4.1.1"}}}\n'}, "vercel.json", 1),
    ]

    def check(self, unit):
        config = unit.vercel
        if not config:
            return
        builder = unit.knowledge.vercel["builder"]
        path = config.file.path
        for build in config.builds:
            broken = self._broken(unit, build.builder)
            if broken:
                use = build.use
                yield Diagnostic(
                    self.code,
                    f"{build.use.value} cannot build on Vercel today: {broken.why} (`{broken.error}`). Unpin it",
                    Span(path, use.start, use.end),
                    Fix(f"Use the current {builder}", Applicability.SAFE, (Edit(path, use.start, use.end, f'"{builder}"'),)),
                )
        for function, runtime in config.function_runtimes():
            broken = self._broken(unit, split_builder(runtime.value))
            if not broken:
                continue
            fix = None
            if _PYTHON_FILES.search(function.key):
                settings = function.value
                spans = [(m.key_start, m.value.end) for m in settings.members]
                index = next(i for i, m in enumerate(settings.members) if m.value is runtime)
                edits = tuple(Edit(path, start, end, "") for start, end in removal_ranges(config.file.text, spans, index))
                fix = Fix(f"Remove `runtime`: Vercel builds .py functions with the current {builder}", Applicability.SAFE, edits)
            yield Diagnostic(
                self.code,
                f"`functions.{function.key}.runtime` pins {runtime.value}, which cannot build on Vercel today: {broken.why} "
                f"(`{broken.error}`). Remove `runtime`: Python functions need none",
                Span(path, runtime.start, runtime.end),
                fix,
            )

    @staticmethod
    def _broken(unit, builder: tuple[str, str | None]):
        """The first known breakage of a pinned @vercel/python release, or None."""
        name, version = builder
        if name != unit.knowledge.vercel["builder"] or not version:
            return None
        try:
            pinned = Version(version)
        except ValueError:
            return None
        return next((b for b in sorted(unit.knowledge.vercel_broken_builders, key=lambda b: b.below) if pinned < b.below), None)


class ConflictingPythonVersions(Rule):
    """
    ## What it does
    Reports two Python declarations that one deployment reads and that
    disagree on the minor version: Heroku's `runtime.txt` and
    `.python-version`, Nixpacks' or Railpack's version files, Render's
    `PYTHON_VERSION` and `.python-version`. Also reports a deployment whose
    Python falls outside `requires-python` when it installs the project
    itself (`pip install .`, `uv sync`, `poetry install`), where the
    installer checks it. The message says which Python the platform really
    runs and which file it reads it from. Declarations that no one
    deployment reads together are not compared: two Dockerfiles build two
    images, and a Dockerfile does not read `.python-version`.

    ## Why is this bad?
    Each platform reads its own file, in its own order: Heroku prefers
    `runtime.txt`, Vercel `.python-version`, Nixpacks lets `runtime.txt`
    override `NIXPACKS_PYTHON_VERSION`. When the files disagree, the app
    runs on one Python locally, another in CI and a third in production,
    and changing the file you think is in charge changes nothing.

    ## Example
    ```text
    # .python-version
    3.12
    # runtime.txt
    python-3.11.9
    ```

    in an app Heroku builds (`Procfile`).

    Use instead: one version everywhere, or only `.python-version`.

    ## Fix safety
    No fix: which version is right is the author's decision.

    ## References
    - [Vercel: Python version](https://vercel.com/docs/functions/runtimes/python)
    - [Heroku: specifying a Python version](https://devcenter.heroku.com/articles/python-runtimes)
    - [Nixpacks Python provider](https://github.com/railwayapp/nixpacks/blob/main/src/providers/python.rs)
    """

    code = "DPL102"
    name = "conflicting-python-versions"
    VALID = [
        Example({".python-version": "3.12\n", "Dockerfile": "FROM python:3.12-slim\n", "pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.11"\n'}),
        Example({".python-version": "3.12.4\n", "runtime.txt": "python-3.12.7\n"}),
        # Separate Dockerfiles build separate images.
        Example({"Dockerfile": "FROM python:3.11-slim\n", "worker/Dockerfile": "FROM python:3.12-slim\n"}),
        # The image installs requirements.txt, so pip never reads requires-python.
        Example(
            {
                "Dockerfile": "FROM python:3.11-slim\nCOPY . .\nRUN pip install -r requirements.txt\n",
                "requirements.txt": "flask\n",
                "pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.12"\n',
            }
        ),
    ]
    INVALID = [
        Example({".python-version": "3.12\n", "runtime.txt": "python-3.11.9\n", "Procfile": "web: gunicorn app:app\n"}, "runtime.txt", 1),
        Example(
            {"Dockerfile": "FROM python:3.11-slim\nCOPY . .\nRUN pip install .\n", "pyproject.toml": '[project]\nname = "a"\nrequires-python = ">=3.12"\n'},
            "Dockerfile",
            1,
        ),
    ]

    def check(self, unit):
        reported: set = set()
        spec = unit.pyproject.requires_python if unit.pyproject else None
        for deployment in unit.deployments():
            reads = [declared for declared in deployment.reads if declared.minor]
            # .python-version is the file every tool reads: the others are measured against it.
            deciding = next((d for d in reads if d.span.path == unit.path(".python-version")), reads[0] if reads else None)
            for declared in reads:
                if deciding is None or declared.minor == deciding.minor or declared.span in reported:
                    continue
                reported.add(declared.span)
                yield Diagnostic(
                    self.code,
                    f"Python {declared.minor} ({declared.source}) disagrees with {deciding.minor} ({deciding.source}): "
                    f"{deployment.describe()}",
                    declared.span,
                    related=(Related(deciding.span, f"Python {deciding.minor} is declared here"),),
                )
            if spec is None or deployment.python is None or not self._installs_project(unit, deployment):
                continue
            python = deployment.python
            if not any(spec.contains(f"{python}.{patch}", prereleases=True) for patch in (0, 99)):
                span = deployment.declared.span if deployment.declared else unit.pyproject.requires_python_span
                if span in reported:
                    continue
                reported.add(span)
                yield Diagnostic(
                    self.code,
                    f"{deployment.describe()}, outside requires-python {spec} in pyproject.toml: installing the project fails",
                    span,
                    related=(Related(unit.pyproject.requires_python_span, f"requires-python {spec}"),),
                )

    @staticmethod
    def _installs_project(unit, deployment) -> bool:
        """Does the deployment install the project itself, so that its installer checks requires-python?"""
        return deployment.install_files is not None and unit.pyproject.file.path in deployment.install_files


class PythonVersionAsFloat(Rule):
    """
    ## What it does
    Reports a Python version written unquoted in YAML where the reader turns
    it into a number that changes it: `python-version: 3.10` in a GitHub
    workflow, `value: 3.10` for `PYTHON_VERSION` in render.yaml.

    ## Why is this bad?
    YAML reads `3.10` as the float 3.1. setup-python then looks for Python
    3.1 and fails with `Version 3.1 was not found`; its maintainers call
    this expected YAML behaviour. `3.9` survives only by luck, so the bug
    appears the day someone bumps the version.

    ## Example
    ```yaml
    python-version: 3.10
    ```

    Use instead:
    ```yaml
    python-version: "3.10"
    ```

    ## Fix safety
    Safe: quoting keeps the text exactly as written, which is the version
    the author meant; the float cannot name an existing Python.

    ## References
    - [setup-python #662: 3.10 is read as 3.1](https://github.com/actions/setup-python/issues/662)
    - [YAML 1.1: floating-point type](https://yaml.org/type/float.html)
    """

    code = "DPL105"
    name = "python-version-as-float"
    fix = "always"
    VALID = [
        Example({".github/workflows/ci.yml": _WORKFLOW.format(runner="ubuntu-latest", version='"3.10"')}),
        Example({".github/workflows/ci.yml": _WORKFLOW.format(runner="ubuntu-latest", version="3.9")}),
        Example(
            {
                "render.yaml": "services:\n  - type: web\n    runtime: python\n    envVars:\n"
                "      - key: PYTHON_VERSION\n        value: 3.12.0\n      - key: TIMEOUT\n        value: 3.10\n"
            }
        ),
    ]
    INVALID = [
        Example(
            {".github/workflows/ci.yml": _WORKFLOW.format(runner="ubuntu-latest", version="3.10  # latest")},
            ".github/workflows/ci.yml",
            9,
            fixed={".github/workflows/ci.yml": _WORKFLOW.format(runner="ubuntu-latest", version='"3.10"  # latest')},
        ),
        Example(
            {"render.yaml": "services:\n  - type: web\n    runtime: python\n    envVars:\n      - key: PYTHON_VERSION\n        value: 3.10\n"},
            "render.yaml",
            6,
            fixed={"render.yaml": 'services:\n  - type: web\n    runtime: python\n    envVars:\n      - key: PYTHON_VERSION\n        value: "3.10"\n'},
        ),
    ]

    def check(self, unit):
        for doc in unit.documents():
            for version in doc.facts.float_versions:
                yield Diagnostic(
                    self.code,
                    f"`{version.key}: {version.written}` is the number {version.loaded} in YAML, not version {version.written}. Quote it",
                    version.span,
                    Fix(f'Write "{version.written}"', Applicability.SAFE, (Edit(version.span.path, version.span.start, version.span.end, f'"{version.written}"'),)),
                )
