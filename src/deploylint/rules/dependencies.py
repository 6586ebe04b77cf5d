"""DPL3xx: pins that cannot install, or cannot work, together or on the target Python."""

from __future__ import annotations

import re

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

from deploylint import versions
from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, Related, Span
from deploylint.rules import Example, Rule

# A Dockerfile as most apps write it: the requirements copied in and installed, then the code.
_IMAGE = "FROM python:{python}-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY . .\n"

_NAME_AND_EXTRAS = re.compile(r"""["']?\s*[A-Za-z0-9][A-Za-z0-9._-]*\s*(?:\[[^\]]*\])?""")


def _text(unit, span: Span) -> str:
    file = unit.files.get(span.path)
    return file.text[span.start : span.end] if file else ""


def _shown(unit, fact) -> str:
    """The requirement as written, or as `name<specifier>` where the text alone does not name the
    package (a Pipfile's `flask = "==2.2.2"`, a lock's version)."""
    if fact.origin == "lock":  # its span is the locked version alone
        return f"{fact.name}=={versions.exact_pin(fact.requirement.specifier)}"
    text = _text(unit, fact.span).strip("\"'")
    if text and _NAME_AND_EXTRAS.match(text) and canonicalize_name(re.split(r"[\s\[<>=!~;@]", text, maxsplit=1)[0]) == fact.name:
        return text
    return str(fact.requirement)


def _context(install) -> tuple[Related, ...]:
    """Where the install comes from: the platform line that chose its files, the Python it runs."""
    related = []
    if install.chosen_at is not None:
        related.append(Related(install.chosen_at, f"{install.label} installs {', '.join(install.files) or 'these requirements'}"))
    if install.python_declared is not None:
        related.append(Related(install.python_declared.span, f"Python {install.python}: {install.python_declared.source}"))
    return tuple(related)


def _once(seen: set, code: str, span: Span) -> bool:
    """Several installs may read the same file: report each requirement once."""
    if (code, span) in seen:
        return False
    seen.add((code, span))
    return True


class Numpy2AbiBreak(Rule):
    """
    ## What it does
    Reports a binary package whose allowed releases were all compiled against
    NumPy 1.x, while the requirements still allow NumPy 2: OpenCV's four
    wheels before 4.10.0.84, pandas before 2.2.2, SciPy before 1.13.0,
    scikit-learn before 1.4.2, Matplotlib before 3.8.4, PyTorch before 2.3.0,
    h5py, Numba, PyArrow, statsmodels and Shapely (see
    `deploylint knowledge numpy`). Each install is judged on its own Python:
    on Python 3.8 no NumPy 2 installs (it needs 3.9), so nothing breaks
    there.

    ## Why is this bad?
    Wheels built against NumPy 1.x cannot load under NumPy 2, and their
    metadata does not forbid NumPy 2, so pip happily installs the newest
    NumPy. The app then fails at `import cv2` with `numpy.core.multiarray
    failed to import` or `_ARRAY_API not found`. opencv-python 4.10.0.84 is
    the first release built against NumPy 2.

    ## Example
    ```text
    opencv-python-headless==4.8.1.78
    numpy
    ```

    Use instead:
    ```text
    opencv-python-headless==4.8.1.78
    numpy<2
    ```
    or upgrade to `opencv-python-headless>=4.10.0.84`.

    ## Fix safety
    Safe: the fix adds `numpy<2` (beside the pin, or to an unpinned `numpy`
    in the same file), which keeps the OpenCV release importable. It is not
    offered when NumPy 1.x cannot be installed (another pin needs NumPy 2,
    or the target Python has no NumPy 1.x wheels).

    ## References
    - [opencv-python 4.10.0.84 release notes: NumPy 2.0 support](https://github.com/opencv/opencv-python/releases/tag/84)
    - [NumPy 2.0 release notes: ABI break](https://numpy.org/doc/stable/release/2.0.0-notes.html)
    """

    code = "DPL301"
    name = "numpy2-abi-break"
    fix = "sometimes"
    VALID = [
        Example({"requirements.txt": "opencv-python-headless==4.8.1.78\nnumpy<2\n"}),
        Example({"requirements.txt": "opencv-python-headless==4.10.0.84\nnumpy\n"}),
        Example({"requirements.txt": "opencv-python>=4.8\n"}),
    ]
    INVALID = [
        Example(
            {"requirements.txt": "flask==3.0.0\nopencv-python-headless==4.8.1.78\n"},
            "requirements.txt",
            2,
            fixed={"requirements.txt": "flask==3.0.0\nopencv-python-headless==4.8.1.78\nnumpy<2\n"},
        ),
        Example(
            {"requirements.txt": "numpy>=1.21  # arrays\nopencv-contrib-python==4.9.0.80\n"},
            "requirements.txt",
            2,
            fixed={"requirements.txt": "numpy>=1.21,<2  # arrays\nopencv-contrib-python==4.9.0.80\n"},
        ),
        Example({"requirements.txt": "pandas==2.1.4\n"}, "requirements.txt", 1, fixed={"requirements.txt": "pandas==2.1.4\nnumpy<2\n"}),
        Example(
            {"Dockerfile": "FROM python:3.11-slim\nRUN pip install --no-cache-dir opencv-python==4.8.0.76\n"},
            "Dockerfile",
            2,
            fixed={"Dockerfile": 'FROM python:3.11-slim\nRUN pip install --no-cache-dir opencv-python==4.8.0.76 "numpy<2"\n'},
        ),
    ]

    def check(self, unit):
        seen: set = set()
        for install in unit.installs():
            for package, abi in unit.knowledge.numpy2_abi.items():
                facts = install.facts_for(package)
                if not facts:
                    continue
                before = SpecifierSet(f"<{abi.first_numpy2_build}")
                if not versions.guarantees(install.constraints(package), before):
                    continue
                # On Python 3.8 no NumPy 2 installs at all (Requires-Python): nothing to break.
                if not versions.satisfiable(install.constraints("numpy") + [SpecifierSet(">=2")]):
                    continue
                fact = next((f for f in facts if versions.guarantees([f.requirement.specifier], before)), facts[0])
                if not _once(seen, self.code, fact.span):
                    continue
                yield Diagnostic(
                    self.code,
                    f"`{_shown(unit, fact)}` was built for NumPy 1.x, but NumPy 2 can still be installed: "
                    f"importing it fails with `_ARRAY_API not found`. Add `numpy<2`, or upgrade to {package}>={abi.first_numpy2_build}",
                    fact.span,
                    _bound_fix(unit, install, fact, {"numpy": "<2"}),
                    related=_context(install),
                )


def _bound_fix(unit, install, near, bounds: dict[str, str]) -> Fix | None:
    """Add each bound (`numpy: <2`) to the package's requirement in `near`'s file, or a new
    `package<bound>` line beside `near`: one fix, every bound.

    Offered only when each bounded package can still be installed: on the
    install's Python, and with every other constraint on it.
    """
    edits: list[Edit] = []
    for package, bound in bounds.items():
        edit = _bound_edit(unit, install, near, package, bound)
        if edit is None:
            return None
        # New lines for several bounds go in at the same place: one insertion.
        same = next((i for i, e in enumerate(edits) if (e.path, e.start, e.end) == (edit.path, edit.start, edit.end) and e.start == e.end), None)
        if same is None:
            edits.append(edit)
        else:
            edits[same] = Edit(edit.path, edit.start, edit.end, edits[same].content + edit.content)
    shown = ", ".join(f"`{package}{bound}`" for package, bound in bounds.items())
    return Fix(f"Add {shown}", Applicability.SAFE, tuple(edits))


def _bound_edit(unit, install, near, package: str, bound: str) -> Edit | None:
    constraints = install.constraints(package)
    bounded = constraints + [SpecifierSet(bound)]
    if not versions.satisfiable(bounded) or not _installable(install, package, bounded):
        return None
    same_file = [f for f in install.facts_for(package) if f.span.path == near.span.path and f.origin in ("requirements", "dockerfile")]
    if same_file:
        target = same_file[0]
        text = _text(unit, target.span)
        match = _NAME_AND_EXTRAS.match(text)
        if not match:
            return None
        head = match.end()
        specifier_end = len(text.split(";")[0].rstrip(" \"'"))
        has_specifier = bool(text[head:specifier_end].strip())
        at = target.span.start + (specifier_end if has_specifier else head)
        return Edit(target.span.path, at, at, f",{bound}" if has_specifier else bound)
    if near.insert_at is not None:
        return Edit(near.span.path, near.insert_at, near.insert_at, near.insert_template.format(requirement=f"{package}{bound}"))
    return None


def _installable(install, package: str, constraints: list[SpecifierSet]) -> bool:
    """Can some allowed release install on the install's Python?"""
    for python in [Version(install.python)] if install.python else []:
        for support in install.knowledge.python_support:
            if support.package != package:
                continue
            if support.first and python >= support.python and not versions.satisfiable(constraints + [SpecifierSet(f">={support.first}")]):
                return False
            if support.last and python <= support.python and not versions.satisfiable(constraints + [SpecifierSet(f"<={support.last}")]):
                return False
            if support.dropped_in and python <= support.python and not versions.satisfiable(constraints + [SpecifierSet(f"<{support.dropped_in}")]):
                return False
    return True


class PinIncompatibleWithPython(Rule):
    """
    ## What it does
    Reports a pinned release (`package==X.Y.Z`) in a file a deployment
    installs that cannot install or run on that deployment's Python (from
    `FROM python:3.12`, the Python Vercel or Nixpacks will use,
    `.python-version`, a Lambda runtime, setup-python in a workflow that
    installs the file, or `--python`). The platform line that installs the
    file and the Python's declaration are related locations; `deploylint
    show` lists every install.

    ## Why is this bad?
    A release older than a Python has no wheels for it, and its source
    distribution often cannot build there: `numpy==1.24.3` on Python 3.12
    fails with `ModuleNotFoundError: No module named 'distutils'`. A release
    newer than a Python's last supported one is refused by pip
    (`Requires-Python`). The deploy fails at install time.

    ## Example
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install numpy==1.24.3
    ```

    Use instead:
    ```dockerfile
    FROM python:3.12-slim
    RUN pip install numpy==1.26.4
    ```

    ## Fix safety
    No fix: choosing another release is a decision about the app.

    ## References
    - [NumPy 1.26.0 release notes: Python 3.12 support](https://numpy.org/doc/stable/release/1.26.0-notes.html)
    - [NumPy 2.1.0 release notes: Python 3.10-3.13](https://numpy.org/doc/stable/release/2.1.0-notes.html)
    """

    code = "DPL302"
    name = "pin-incompatible-with-python"
    VALID = [
        Example({"Dockerfile": "FROM python:3.12-slim\nRUN pip install numpy==1.26.4\n"}),
        Example({"Dockerfile": "FROM python:3.11-slim\nRUN pip install -r requirements.txt\n", "requirements.txt": "numpy==1.24.3\n"}),
    ]
    INVALID = [
        Example({"Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n", "requirements.txt": "numpy==1.24.3\n"}, "requirements.txt", 1),
        Example({"requirements.txt": "numpy==2.1.0\n"}, "requirements.txt", 1, python="3.9"),
    ]

    def check(self, unit):
        seen: set = set()
        for install in unit.installs():
            if install.python is None:
                continue
            for fact in install.requirement_facts():
                pin = versions.exact_pin(fact.requirement.specifier)
                if pin is None:
                    continue
                message = self._problem(unit, fact.name, pin, install)
                if message and _once(seen, self.code, fact.span):
                    yield Diagnostic(self.code, f"`{_shown(unit, fact)}` {message}", fact.span, related=_context(install))

    @staticmethod
    def _problem(unit, package, pin: Version, install) -> str | None:
        python = Version(install.python)
        applicable = sorted(
            (s for s in unit.knowledge.python_support if s.package == package),
            key=lambda s: s.python,
            reverse=True,
        )
        where = f" ({install.python_declared.source})" if install.python_declared else f" ({install.label}'s default)"
        for support in applicable:
            if support.too_old(pin, python):
                return (
                    f"cannot install on Python {install.python}{where}: {support.why}; "
                    f"{package} {support.first} is the first release for Python {support.python}"
                )
        for support in sorted(applicable, key=lambda s: s.python):
            if support.last and python <= support.python and pin > support.last:
                return (
                    f"cannot install on Python {install.python}{where}: {support.why}; "
                    f"{package} {support.last} is the last release for Python {support.python}"
                )
            if support.dropped_in and python <= support.python and pin >= support.dropped_in:
                return f"cannot install on Python {install.python}{where}: {support.why}"
        return None


class ConflictingRequirements(Rule):
    """
    ## What it does
    Reports a requirement that contradicts what another pinned package
    declares it needs: `werkzeug==1.0.1` next to `Flask==2.3.3`, which
    requires `Werkzeug>=2.3.7`; or another requirement on the same package
    in the same install (`certifi==2024.7.4` and `certifi==2024.6.2`, or a
    `-c` constraint the requirement does not meet). Lock files are left to
    the tool that wrote them.

    ## Why is this bad?
    pip's resolver refuses the combination (`ResolutionImpossible`), so the
    install step of the deploy fails; older installers silently break the
    pinned package instead.

    ## Example
    ```text
    Flask==2.3.3
    werkzeug==1.0.1
    ```

    Use instead:
    ```text
    Flask==2.3.3
    werkzeug==2.3.7
    ```

    ## Fix safety
    Unsafe, and only offered when the requirement is a lower bound
    (`>=X`) and the contradicting line is an exact pin below it: the fix pins
    `X`, the oldest release the other package accepts. A different release
    may behave differently, so the app needs testing.

    ## References
    - [Flask changelog: 2.3.3 requires Werkzeug >= 2.3.7](https://flask.palletsprojects.com/en/stable/changes/#version-2-3-3)
    - [pip: dependency resolution](https://pip.pypa.io/en/stable/topics/dependency-resolution/)
    """

    code = "DPL303"
    name = "conflicting-requirements"
    fix = "sometimes"
    VALID = [
        Example({"requirements.txt": "Flask==2.3.3\nWerkzeug>=2.2.0\n"}),
        Example({"requirements.txt": "Flask==2.3.3\nwerkzeug==2.3.7\n"}),
        Example({"requirements.txt": "numpy>=1.24\nnumpy<2\n"}),
        # Two alternatives, never merged: the dev file does not include requirements.txt.
        Example({"requirements.txt": "flask==3.0.0\n", "requirements-dev.txt": "Werkzeug<3\npytest\n"}),
    ]
    INVALID = [
        Example(
            {"requirements.txt": "Flask==2.3.3\nwerkzeug==1.0.1  # auth\n"},
            "requirements.txt",
            2,
            fixed={"requirements.txt": "Flask==2.3.3\nwerkzeug==2.3.7  # auth\n"},
        ),
        Example({"requirements.txt": "flask==3.0.0\n", "requirements-dev.txt": "-r requirements.txt\nWerkzeug<3\n"}, "requirements-dev.txt", 2),
        Example({"requirements.txt": "certifi==2024.7.4\nrequests==2.32.3\ncertifi==2024.6.2\n"}, "requirements.txt", 3),
        Example({"requirements.txt": "-c constraints.txt\nnumpy>=2\n", "constraints.txt": "numpy<2\n"}, "requirements.txt", 2),
    ]

    def check(self, unit):
        seen: set = set()
        for install in unit.installs():
            yield from self._same_package(unit, install, seen)
            for pinned in install.requirement_facts():
                pin = versions.exact_pin(pinned.requirement.specifier)
                if pin is None or pinned.requirement.marker is not None:
                    continue
                for entry in unit.knowledge.requires:
                    if entry.package != pinned.name or not entry.versions.contains(pin, prereleases=True):
                        continue
                    for required in entry.requires:
                        for fact in install.facts_for(required.name):
                            if fact is pinned or versions.satisfiable([fact.requirement.specifier, required.specifier]):
                                continue
                            if not _once(seen, self.code, fact.span):
                                continue
                            yield Diagnostic(
                                self.code,
                                f"`{_shown(unit, fact)}` contradicts `{_shown(unit, pinned)}`, which requires "
                                f"`{required}`: pip cannot install both",
                                fact.span,
                                self._fix(unit, install, fact, required),
                                related=(Related(pinned.span, f"{pinned.name} {pin} requires {required} ({entry.source})"), *_context(install)),
                            )

    def _same_package(self, unit, install, seen: set):
        """Two requirements on one package that no release meets together."""
        by_name: dict = {}
        for fact in install.requirement_facts():
            if fact.origin != "lock":
                by_name.setdefault(fact.name, []).append(fact)
        for name, facts in by_name.items():
            facts = [fact for fact in install.facts_for(name) if fact.origin != "lock"]  # uv's overrides replace the rest
            for index, fact in enumerate(facts[1:], 1):
                earlier = next((other for other in facts[:index] if not versions.satisfiable([other.requirement.specifier, fact.requirement.specifier])), None)
                if earlier is None:
                    continue
                if fact.is_constraint and not earlier.is_constraint:
                    fact, earlier = earlier, fact  # the requirement is what a constraint is measured against
                if not _once(seen, self.code, fact.span):
                    continue
                file = unit.files.get(earlier.span.path)
                line = file.position(earlier.span.start)[0] if file else 1
                yield Diagnostic(
                    self.code,
                    f"`{_shown(unit, fact)}` contradicts `{_shown(unit, earlier)}` ({earlier.span.path}:{line}): pip cannot install both",
                    fact.span,
                    related=(Related(earlier.span, f"{name} is required here too"), *_context(install)),
                )

    @staticmethod
    def _fix(unit, install, fact, required) -> Fix | None:
        if fact.origin == "lock":
            return None  # a lock is rewritten by the tool that wrote it
        floors = [spec for spec in required.specifier if spec.operator == ">="]
        old = versions.exact_pin(fact.requirement.specifier)
        if len(floors) != 1 or len(required.specifier) != 1 or old is None:
            return None
        floor = floors[0].version
        others = [f.requirement.specifier for f in install.facts_for(fact.name) if f is not fact]
        implied = [spec for spec, _, _ in install.implied(fact.name)]
        if not versions.satisfiable(others + implied + [SpecifierSet(f"=={floor}")]):
            return None
        text = _text(unit, fact.span)
        at = text.find(str(old), text.find("=="))
        if at == -1:
            return None
        start = fact.span.start + at
        edit = Edit(fact.span.path, start, start + len(str(old)), floor)
        return Fix(f"Pin {fact.name}=={floor}, the oldest release the other pin accepts", Applicability.UNSAFE, (edit,))


class IncompatibleAtImport(Rule):
    """
    ## What it does
    Reports a pinned package that pip will install next to a release of one
    of its own dependencies that it cannot import: Flask 2.2.3 or older with
    Werkzeug 3, Flask 1.x with Jinja2 3.1 or ItsDangerous 2.1, Jinja2 2.x
    with MarkupSafe 2.1, gunicorn before 21 with setuptools 82 (which
    removed `pkg_resources`). One finding per requirement lists every
    dependency that breaks it. Not reported where the environment already
    holds a working release that pip keeps (setuptools in venvs and the
    official images up to Python 3.11, or on an unknown Python), nor for an
    unconstrained requirement, which resolves to the newest release.

    ## Why is this bad?
    The old release declared its dependency without an upper bound, so pip
    picks the newest one, which removed a name the old release imports. The
    install succeeds and the app crashes at start:
    `ImportError: cannot import name 'url_quote' from 'werkzeug.urls'`.

    ## Example
    ```text
    Flask==2.2.2
    ```

    Use instead:
    ```text
    Flask==2.2.2
    werkzeug<3.0.0
    ```
    or upgrade Flask.

    ## Fix safety
    Safe: the fix adds every upper bound (beside the pin, or to each
    dependency's own line in the same file), which selects the releases the
    old package was built against. It is not offered when the bound cannot
    be installed with the other requirements.

    ## References
    - [pallets/werkzeug#2808: url_quote and Flask < 2.2.4](https://github.com/pallets/werkzeug/issues/2808)
    - [pallets/jinja#1632: Markup and Flask 1.x](https://github.com/pallets/jinja/issues/1632)
    - [pallets/markupsafe#284: soft_unicode](https://github.com/pallets/markupsafe/issues/284)
    - [gunicorn #2963: importlib.metadata instead of pkg_resources](https://github.com/benoitc/gunicorn/pull/2963)
    """

    code = "DPL304"
    name = "incompatible-at-import"
    fix = "sometimes"
    VALID = [
        Example({"requirements.txt": "Flask==2.2.2\nwerkzeug==2.2.3\n"}),
        Example({"requirements.txt": "Flask==3.0.0\n"}),
        Example({"requirements.txt": "flask>=2.0\n"}),
        Example({"Pipfile": '[packages]\nflask = "*"\n'}),
        # Up to Python 3.11 the image already holds a setuptools that gunicorn 20 accepts: pip keeps it.
        Example({"Dockerfile": _IMAGE.format(python="3.11"), "requirements.txt": "gunicorn==20.1.0\n"}),
    ]
    INVALID = [
        Example(
            {"requirements.txt": "Flask==2.2.2\ngunicorn==22.0.0\n"},
            "requirements.txt",
            1,
            fixed={"requirements.txt": "Flask==2.2.2\nwerkzeug<3.0.0\ngunicorn==22.0.0\n"},
        ),
        Example(
            {"requirements.txt": "flask==1.1.4\nmarkupsafe\n"},
            "requirements.txt",
            1,
            fixed={"requirements.txt": "flask==1.1.4\nmarkupsafe<2.1.0\n"},
        ),
        Example(
            {"Dockerfile": _IMAGE.format(python="3.12"), "requirements.txt": "gunicorn==20.1.0\n"},
            "requirements.txt",
            1,
            fixed={"requirements.txt": "gunicorn==20.1.0\nsetuptools<82.0.0\n"},
        ),
        # Every cap in one fix: new lines go in together, after the pin.
        Example(
            {"requirements.txt": "flask==1.1.2\n"},
            "requirements.txt",
            1,
            fixed={"requirements.txt": "flask==1.1.2\nwerkzeug<2.1.0\njinja2<3.1.0\nitsdangerous<2.1.0\n"},
        ),
        Example(
            {"requirements.txt": "flask==1.1.2\nitsdangerous\njinja2\n"},
            "requirements.txt",
            1,
            fixed={"requirements.txt": "flask==1.1.2\nwerkzeug<2.1.0\nitsdangerous<2.1.0\njinja2<3.1.0\n"},
        ),
    ]

    def check(self, unit):
        seen: set = set()
        for install in unit.installs():
            # Each requirement gets one finding, listing every dependency that breaks it.
            broken: dict = {}
            for entry in unit.knowledge.breaks_with:
                # The old package may be pinned itself, or only implied by a pin
                # (Flask==1.1.4 caps Jinja2 below 3.0, which needs MarkupSafe<2.1).
                facts = install.facts_for(entry.package) or [fact for _, fact, _ in install.implied(entry.package)]
                constraints = install.constraints(entry.package)
                # Unconstrained (`Flask`, `flask = "*"`): pip takes the newest release, built for the newest dependencies.
                if not facts or not any(str(spec) for spec in constraints):
                    continue
                if not versions.guarantees(constraints, entry.versions):
                    continue
                other = entry.other.name
                # Reachable only if pip can pick a breaking release: not when a bound, the
                # Python or what the environment already holds (setuptools up to 3.11) keeps it out.
                if not versions.satisfiable(install.constraints(other) + [entry.other.specifier]):
                    continue
                floor = Version(next(spec.version for spec in entry.other.specifier if spec.operator == ">="))
                fact = facts[0]
                found = broken.setdefault(fact.span, (fact, {}))[1]
                # One cap per dependency: the lowest breaking release decides it.
                if canonicalize_name(other) not in found or floor < found[canonicalize_name(other)][2]:
                    found[canonicalize_name(other)] = (entry, other, floor)
            for span, (fact, entries) in broken.items():
                if not _once(seen, self.code, span):
                    continue
                yield self._finding(unit, install, fact, list(entries.values()))

    def _finding(self, unit, install, fact, entries) -> Diagnostic:
        packages = list(dict.fromkeys(entry.package for entry, _, _ in entries))
        via = "" if packages == [fact.name] else f" (through the {', '.join(f'{e.package}{e.versions}' for e, _, _ in entries if e.package != fact.name)} it requires)"
        breaking = " and ".join(f"{other}>={floor}" for _, other, floor in entries)
        caps = ", ".join(f"`{other}<{floor}`" for _, other, floor in entries)
        symptom = entries[0][0].symptom
        return Diagnostic(
            self.code,
            f"`{_shown(unit, fact)}`{via} breaks with {breaking}, and nothing keeps pip from installing "
            f"{'it' if len(entries) == 1 else 'them'}: the app fails at start with `{symptom}`. Add {caps}, or upgrade {packages[0]}",
            fact.span,
            _bound_fix(unit, install, fact, {other: f"<{floor}" for _, other, floor in entries}),
            related=_context(install),
        )
