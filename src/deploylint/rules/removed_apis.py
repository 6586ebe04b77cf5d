"""DPL4xx: code that uses a name its package, or Python itself, removed."""

from __future__ import annotations

import re

from packaging.version import Version

from deploylint import versions
from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, Related, Span
from deploylint.rules import Example, Rule
from deploylint.workspace import is_test_file

# Fixes parse the file again with libcst, which keeps every character but runs
# at a few hundred KB/s; larger files get their findings without a fix.
MAX_FIXABLE_CHARS = 256 * 1024


class RemovedPackageApi(Rule):
    """
    ## What it does
    Reports an import or use of a name that its package removed
    (`werkzeug.security.safe_str_cmp`, gone in Werkzeug 2.1.0; `np.float`,
    `jinja2.Markup`, `pydantic.BaseSettings`, `pkg_resources`,
    `app.before_first_request` on a `Flask(...)` app), unless the project's
    requirements guarantee a release without the removal (older, or, for
    `np.bool`, new enough to have it back). `deploylint knowledge PACKAGE`
    lists every entry. Names are resolved through imports and aliases:
    `import werkzeug.security as ws; ws.safe_str_cmp(...)` and
    `from werkzeug.security import safe_str_cmp as eq` are both found, and a
    local function that happens to share the name is not. Uses of names that
    survive but broke are found too: a removed keyword argument
    (`Retry(method_whitelist=...)`, urllib3 2.0), a call that now needs an
    argument (`yaml.load(stream)` without `Loader`, PyYAML 6.0), an attribute
    of a result whose type changed (`jwt.encode(...).decode()`, PyJWT 2.0),
    and methods only one package has (`driver.find_element_by_id`, Selenium
    4.3), only in files that import that package and do not define their own. Code under
    `except ImportError:` or `if sys.version_info < (3, N):` is a fallback and
    is not reported, and neither are tests (`tests/`, `test_*.py`,
    `*_test.py`, `conftest.py`), which a deploy never runs. The requirements
    are those of the installs that run the file (the deployments that ship
    it, or else each dependency file on its own), and every one of them must
    let the breaking release in; the related locations name the requirement
    (or the file) that does.

    ## Why is this bad?
    The import fails when the app starts (`ImportError: cannot import name
    'safe_str_cmp' from 'werkzeug.security'`), so the deploy builds and
    then crashes. Requirements that cannot all be met guarantee nothing: the
    deploy fails there first, and fixing them installs a newer release.

    ## Example
    ```python
    from werkzeug.security import safe_str_cmp

    def check(token, expected):
        return safe_str_cmp(token, expected)
    ```

    Use instead:
    ```python
    import hmac

    def check(token, expected):
        return hmac.compare_digest(token, expected)
    ```

    ## Fix safety
    Removing an import of a removed name that the module never uses is
    safe. Rewriting to the replacement is safe when the replacement is the
    same object under its new import path (`from werkzeug import
    secure_filename` becomes `from werkzeug.utils import secure_filename`),
    and unsafe when it behaves differently: `hmac.compare_digest` raises
    `TypeError` for `str` arguments with non-ASCII characters, which
    `safe_str_cmp` accepted. A replacement that only newer releases have
    (`np.trapezoid`, NumPy 2.0) is safe only when the requirements guarantee
    such a release, and unsafe otherwise. Renaming a removed keyword to its
    replacement (`allowed_methods=`) and `find_element_by_id(x)` to
    `find_element(By.ID, x)` (importing `By`) are safe; `yaml.load(x)` to
    `yaml.safe_load(x)` is unsafe, since it loads less; dropping the
    `.decode()` of `jwt.encode(...)` is safe where PyJWT 2 is guaranteed.

    ## References
    - [Werkzeug changelog](https://werkzeug.palletsprojects.com/en/stable/changes/)
    - [Flask changelog](https://flask.palletsprojects.com/en/stable/changes/)
    - [Jinja changelog](https://jinja.palletsprojects.com/en/stable/changes/)
    - [NumPy 2.0 migration guide](https://numpy.org/devdocs/numpy_2_0_migration_guide.html)
    - [setuptools 82.0.0: pkg_resources removed](https://setuptools.pypa.io/en/stable/history.html#v82-0-0)
    - [pydantic migration guide](https://docs.pydantic.dev/latest/migration/)
    - [hmac.compare_digest](https://docs.python.org/3/library/hmac.html#hmac.compare_digest)
    """

    code = "DPL401"
    name = "removed-package-api"
    fix = "sometimes"
    VALID = [
        Example({"app.py": "def safe_str_cmp(a, b):\n    return a == b\n\nsafe_str_cmp('a', 'b')\n"}),
        Example({"requirements.txt": "werkzeug==1.0.1\n", "app.py": "from werkzeug.security import safe_str_cmp\n\nsafe_str_cmp('a', 'b')\n"}),
        Example({"app.py": "from werkzeug.security import generate_password_hash\n"}),
    ]
    INVALID = [
        Example(
            {"requirements.txt": "flask\n", "api/auth.py": "import os\nfrom werkzeug.security import safe_str_cmp\n\nTOKEN = os.environ['TOKEN']\n"},
            "api/auth.py",
            2,
            fixed={"api/auth.py": "import os\n\nTOKEN = os.environ['TOKEN']\n"},
        ),
        Example(
            {"app.py": "from werkzeug.security import safe_str_cmp as eq\n\n\ndef ok(a, b):\n    return eq(a, b)\n"},
            "app.py",
            1,
            fixed={"app.py": "import hmac\n\n\ndef ok(a, b):\n    return hmac.compare_digest(a, b)\n"},
        ),
        Example(
            {"app.py": "import werkzeug.security as ws\n\nws.safe_str_cmp('a', 'b')\n"},
            "app.py",
            3,
            fixed={"app.py": "import werkzeug.security as ws\nimport hmac\n\nhmac.compare_digest('a', 'b')\n"},
        ),
        Example(
            {"app.py": "from werkzeug import secure_filename, cached_property\n\nsecure_filename('a b')\n"},
            "app.py",
            1,
            fixed={"app.py": "from werkzeug.utils import secure_filename\n\nsecure_filename('a b')\n"},
        ),
        Example(
            {"requirements.txt": "Flask==2.3.3\nwerkzeug==1.0.1\n", "auth.py": "from werkzeug.security import safe_str_cmp\nimport os\n"},
            "auth.py",
            1,
            fixed={"auth.py": "import os\n"},
        ),
    ]

    def check(self, unit):
        # One verdict per removal per install: trees repeat the same few.
        verdicts: dict[tuple[int, str, str], str | None] = {}
        for source in unit.python_sources:
            if is_test_file(source.file.path):
                continue
            installs = unit.installs_for(source.file.path)
            for use in source.uses:
                api = use.api
                if api.package == "python":
                    continue
                reasons = []
                for install in installs:
                    key = (id(install), api.package, api.qualified_name)
                    if key not in verdicts:
                        verdicts[key] = _why_reachable(install, api)
                    reasons.append(verdicts[key])
                # Only when every plausible install of the code gets a release without the name.
                if not reasons or any(reason is None for reason in reasons):
                    continue
                restored = f", restored in {api.restored_in}" if api.restored_in else ""
                yield Diagnostic(
                    self.code,
                    f"`{_shown(use)}`: {_what(api)} {api.package} {api.removed_in}{restored} ({reasons[0]}); "
                    f"use {api.replacement}",
                    use.span,
                    _fix(installs, source, use),
                    _allowing(installs, api),
                )


def _why_reachable(install, api) -> str | None:
    """Why the install lets in a release without `api`, or None if it rules that out."""
    constraints = install.constraints(api.package)
    if not versions.satisfiable([*constraints, api.broken_versions]) and versions.satisfiable(constraints):
        return None
    if not install.facts_for(api.package) and not install.implied(api.package):
        return f"nothing pins {api.package} below {api.removed_in}"
    if not versions.satisfiable(constraints):
        return f"the requirements on {api.package} cannot all be met, so they guarantee no older release"
    return f"the requirements allow {api.package}>={api.removed_in}"


def _allowing(installs, api) -> tuple[Related, ...]:
    """For each install: the requirement that lets the breaking release in, or the file that installs it unbounded."""
    related: list[Related] = []
    for install in installs:
        facts = install.facts_for(api.package)
        if facts:
            for fact in facts:
                if versions.satisfiable([fact.requirement.specifier, api.broken_versions]):
                    related.append(Related(fact.span, f"{install.label} installs this: it allows {api.package}>={api.removed_in}"))
                else:
                    related.append(Related(fact.span, f"{install.label} installs this, and the requirements on {api.package} contradict it"))
        elif install.files:
            related.append(Related(Span(install.files[0], 0, 0), f"{install.label} installs {install.files[0]}, which does not bound {api.package}"))
    return tuple(dict.fromkeys(related))


class RemovedStdlibApi(Rule):
    """
    ## What it does
    Reports an import or use of a standard-library module or name that the
    Python a deployment runs no longer has: `import imp` on 3.12,
    `from collections import Mapping` on 3.10, `import cgi` on 3.13. The
    target is the Python of each deployment that ships the file (tests, which
    a deploy never runs, are left out; a Docker
    image ships what its `COPY` lines bring in, less `.dockerignore`; a SAM
    function its `CodeUri`), or `--python`. A file no deployment ships is
    judged by the Python the project declares (`.python-version`), else only
    for what every supported Python that `requires-python` allows lacks.

    ## Why is this bad?
    The app builds, then fails at import time (`ModuleNotFoundError: No
    module named 'imp'`), often only after the platform moved its default
    Python. Code that runs only on older Pythons (`if sys.version_info <
    (3, 12):`, or a fallback under `except ImportError:`) is not reported.

    ## Example
    ```python
    from collections import Mapping
    ```

    Use instead:
    ```python
    from collections.abc import Mapping
    ```

    ## Fix safety
    Safe where the replacement is the same object under a new path
    (`collections.Mapping` is `collections.abc.Mapping`); otherwise no fix.

    ## References
    - [What's new in Python 3.10: removed](https://docs.python.org/3/whatsnew/3.10.html#removed)
    - [What's new in Python 3.11: removed](https://docs.python.org/3/whatsnew/3.11.html#removed)
    - [What's new in Python 3.12: removed](https://docs.python.org/3/whatsnew/3.12.html#removed)
    - [What's new in Python 3.13: removed](https://docs.python.org/3/whatsnew/3.13.html#removed)
    - [What's new in Python 3.14: removed](https://docs.python.org/3/whatsnew/3.14.html#removed)
    """

    code = "DPL402"
    name = "removed-stdlib-api"
    fix = "sometimes"
    VALID = [
        Example({"Dockerfile": "FROM python:3.11-slim\n", "app.py": "import imp\n"}),
        Example({"Dockerfile": "FROM python:3.12-slim\n", "app.py": "import sys\nif sys.version_info < (3, 12):\n    import imp\n"}),
        Example({"app.py": "try:\n    from collections.abc import Mapping\nexcept ImportError:\n    from collections import Mapping\n"}),
        Example({"app.py": "import cgi\n"}),
        # The image copies only api/: tools/ is never run on its Python 3.12.
        Example({"Dockerfile": "FROM python:3.12-slim\nCOPY api/ /app/api/\n", "api/main.py": "x = 1\n", "tools/legacy.py": "import imp\n"}),
    ]
    INVALID = [
        Example({"Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n", "app.py": "import os\nimport imp\n"}, "app.py", 2),
        Example(
            {"app.py": "from collections import Mapping\n\nisinstance({}, Mapping)\n"},
            "app.py",
            1,
            fixed={"app.py": "from collections.abc import Mapping\n\nisinstance({}, Mapping)\n"},
        ),
        Example(
            {".python-version": "3.12\n", "app.py": "import collections\n\nisinstance({}, collections.Mapping)\n"},
            "app.py",
            3,
            fixed={"app.py": "import collections\nimport collections.abc\n\nisinstance({}, collections.abc.Mapping)\n"},
        ),
        Example({"app.py": "import cgi\n"}, "app.py", 1, python="3.13"),
    ]

    def check(self, unit):
        for source in unit.python_sources:
            if is_test_file(source.file.path):
                continue
            # The Pythons of the deployments that ship this file; where none does, the project's own.
            targets = unit.stdlib_targets(source.file.path)
            installs = None
            for use in source.uses:
                api = use.api
                if api.package != "python":
                    continue
                if api.provided_by:
                    installs = installs if installs is not None else unit.installs_for(source.file.path)
                    if any(install.facts_for(api.provided_by) for install in installs):
                        continue
                target = next((t for t in targets if api.broken_versions.contains(Version(t.python))), None)
                if target is None:
                    continue
                related: tuple[Related, ...] = ()
                as_of = unit.options.as_of.isoformat()
                if target.platform == "oldest-supported":
                    why = f"every Python still supported on {as_of} ({target.python} and newer) lacks it"
                elif target.platform == "requires-python":
                    why = f"every Python that requires-python allows and that is still supported on {as_of} ({target.python} and newer) lacks it"
                else:
                    why = f"the deployment runs Python {target.python} ({_platform(target)})"
                if target.declared:
                    related = (Related(target.declared.span, f"Python {target.python} is declared here"),)
                yield Diagnostic(
                    self.code,
                    f"`{_shown(use)}`: {_what(api)} Python {api.removed_in}; {why}. Use {api.replacement}",
                    use.span,
                    _fix(unit.installs_for(source.file.path), source, use),
                    related,
                )


def _shown(use) -> str:
    # "flask.Flask().before_first_request" is a method of what flask.Flask(...) made.
    return use.qualified_name.replace("().", "(...).")


def _what(api) -> str:
    """What went, up to the release that removed it: "name removed in", "Loader required since"."""
    return {
        "keyword": "keyword argument removed in",
        "call": f"{api.name} required since",
        "result": f"what it returns has no .{api.name} since",
        "method": "method removed in",
    }.get(api.shape, "module removed in" if api.name is None else "method removed in" if api.module.endswith("()") else "name removed in")


def _platform(target) -> str:
    names = {"vercel": "Vercel", "docker": "Docker", "nixpacks": "Nixpacks", "python-version": ".python-version", "override": "--python"}
    shown = names.get(target.platform, target.platform)
    if target.declared and target.platform not in ("python-version", "override"):
        return f"{shown}, from {target.declared.source}"
    return shown


def _fix(installs, source, use) -> Fix | None:
    """The fix for `use`, or None. Whether there is one, and what it does, is
    known from the knowledge base and the ast; its libcst edits are built only
    when needed (see `Fix`)."""
    api = use.api
    applicability = Applicability(api.fix or "unsafe")
    if api.replacement_needs is not None and applicability is Applicability.SAFE:
        # Safe only if every install that runs the code guarantees a release with the replacement.
        if not installs or not all(versions.guarantees(install.constraints(api.package), api.replacement_needs) for install in installs):
            applicability = Applicability.UNSAFE
    if api.shape != "name":
        return _call_form_fix(source, use, applicability)
    module, _, name = (api.replace_with or "").rpartition(".")
    removed_module, _, removed_name = use.qualified_name.rpartition(".")
    if use.kind == "attribute" and api.replace_with and module and module == api.module and removed_module == api.module:
        # Renamed within its own module (np.NaN -> np.nan): keep the base
        # expression as written, so no import changes, and no libcst.
        start = use.span.end - len(removed_name)
        if source.file.text[start : use.span.end] != removed_name:
            return None
        return Fix(f"Use `{name}`", applicability, (Edit(source.file.path, start, use.span.end, name),))
    if len(source.file.text) > MAX_FIXABLE_CHARS:
        return None
    if use.kind == "import-from":
        if not use.references:
            return Fix("Remove the unused import", Applicability.SAFE, build=lambda: _rewrite_import(source, use, "remove"))
        if not api.replace_with:
            return None
        if module and name == removed_name:
            return Fix(f"Import `{name}` from `{module}`", applicability, build=lambda: _rewrite_import(source, use, "move"))
        return Fix(f"Use `{api.replace_with}`", applicability, build=lambda: _rewrite_import(source, use, "replace"))
    if use.kind == "attribute" and api.replace_with:
        return Fix(f"Use `{api.replace_with}`", applicability, build=lambda: _rewrite_attribute(source, use))
    return None


# selenium's find_element_by_<how> -> find_element(By.<HOW>, ...)
_SELENIUM_BY = "from selenium.webdriver.common.by import By"


def _call_form_fix(source, use, applicability) -> Fix | None:
    """Plain text edits for the shapes beyond names: rename a keyword, a call, drop a
    `.decode()` of a result, or spell a selenium lookup with `By`."""
    api, text, path = use.api, source.file.text, source.file.path
    span = use.span
    if api.shape == "keyword" and api.replace_with and text.startswith(api.name, span.start):
        edit = Edit(path, span.start, span.start + len(api.name), api.replace_with)
        return Fix(f"Use `{api.replace_with}=`", applicability, (edit,))
    if api.shape == "call" and api.replace_with:
        # `yaml.load(...)` -> `yaml.safe_load(...)`: only where the module is named, so no import changes.
        old, new = api.module.rsplit(".", 1)[-1], api.replace_with.rsplit(".", 1)[-1]
        paren = text.find("(", span.start, span.end)
        callee = text[span.start : paren].rstrip() if paren != -1 else ""
        if "." not in callee or not callee.endswith(old):
            return None
        at = span.start + len(callee) - len(old)
        return Fix(f"Use `{api.replace_with}`", applicability, (Edit(path, at, at + len(old), new),))
    if api.shape == "result":
        # `jwt.encode(...).decode("utf-8")` -> `jwt.encode(...)`
        dot = text.rfind(".", span.start, span.end - len(api.name) + 1)
        close = _call_end(text, span.end)
        if dot == -1 or close is None:
            return None
        return Fix(f"Drop `.{api.name}()`", applicability, (Edit(path, dot, close, ""),))
    if api.shape == "method" and api.package == "selenium":
        plural = api.name.startswith("find_elements_by_")
        how = api.name.split("_by_", 1)[1].upper()
        opening = _skip_space(text, span.end)
        if not text.startswith("(", opening):
            return None
        edits = [Edit(path, span.start, span.end, "find_elements" if plural else "find_element"), Edit(path, opening + 1, opening + 1, f"By.{how}, ")]
        if not re.search(r"from\s+selenium\.webdriver\.common\.by\s+import\s+(?:\(?[^)\n]*\bBy\b)", text):
            at = _after_imports(text)
            if at is None:
                return None
            edits.append(Edit(path, at, at, _SELENIUM_BY + source.file.newline()))
        return Fix(f"Use `find_element{'s' if plural else ''}(By.{how}, ...)`", applicability, tuple(edits))
    return None


def _skip_space(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t":
        at += 1
    return at


def _call_end(text: str, at: int) -> int | None:
    """The offset after the `(...)` that follows `at`, strings and nesting skipped."""
    at = _skip_space(text, at)
    if not text.startswith("(", at):
        return None
    depth, quote = 0, ""
    for index in range(at, len(text)):
        char = text[index]
        if quote:
            if char == "\\":
                continue
            if char == quote and text[index - 1] != "\\":
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _after_imports(text: str) -> int | None:
    """Where a new import line goes: the start of the line after the module's last top-level import."""
    import ast

    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return None
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    if not imports:
        return None
    line = imports[-1].end_lineno
    offset = 0
    for _ in range(line):
        newline = text.find("\n", offset)
        if newline == -1:
            return len(text)
        offset = newline + 1
    return offset


def _rewrite_import(source, use, action: str) -> tuple[Edit, ...]:
    """Drop the imported name, and then: nothing ("remove"); import the same
    name from its new module ("move"); or import the replacement's module and
    rewrite the name's uses ("replace"). `_fix` chose the action."""
    view = _CstView.of(source)
    if view is None:
        return ()
    alias = view.nodes.get(("alias", use.span.start, use.span.end))
    statement = view.statements.get(id(alias))
    if alias is None or statement is None:
        return ()
    if action == "remove":
        return _edits(source, view.rewrite(statement, alias))
    references = [view.nodes.get(("name", span.start, span.end)) for span in use.references]
    if None in references:
        return ()  # libcst and ast disagree about this file: no fix rather than a wrong one
    module, _, name = use.api.replace_with.rpartition(".")
    if action == "move":
        asname = alias.asname.name.value if alias.asname else None
        return _edits(source, view.rewrite(statement, alias, add_import=(module, name, asname)))
    if module and module.split(".")[0] == use.api.module.split(".")[0]:
        # Moved within its own package (django.conf.urls.url -> django.urls.re_path): import the
        # new name as the old one was imported, keeping an `as` name and its uses.
        asname = alias.asname.name.value if alias.asname else None
        return _edits(
            source,
            view.rewrite(statement, alias, add_import=(module, name, asname), references=() if asname else references, replacement=None if asname else name),
        )
    # Another package's (`hmac.compare_digest`): import its module and qualify the uses;
    # a top-level module (`joblib`) is imported as itself.
    add_import = (module or name, None, None)
    return _edits(source, view.rewrite(statement, alias, add_import=add_import, references=references, replacement=use.api.replace_with))


def _rewrite_attribute(source, use) -> tuple[Edit, ...]:
    """Replace the attribute expression, importing the replacement's module."""
    view = _CstView.of(source)
    node = view.nodes.get(("attribute", use.span.start, use.span.end)) if view else None
    if node is None:
        return ()
    module = use.api.replace_with.rpartition(".")[0]
    add_import = (module, None, None) if module else None
    return _edits(source, view.rewrite(None, None, add_import=add_import, references=[node], replacement=use.api.replace_with))


class _CstView:
    """The libcst tree of a source, with its nodes found by the spans ast gave."""

    def __init__(self, source) -> None:
        import libcst as cst
        from libcst.metadata import MetadataWrapper, PositionProvider

        from deploylint.sources.python import _Lines

        self.module = cst.parse_module(source.file.text)
        wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        lines = _Lines(source.file.text)
        self.nodes: dict[tuple[str, int, int], object] = {}
        self.statements: dict[int, object] = {}
        kinds = {cst.ImportAlias: "alias", cst.Attribute: "attribute", cst.Name: "name"}
        view = self

        class Collector(cst.CSTVisitor):
            def __init__(self) -> None:
                self.statement = None

            def on_visit(self, node) -> bool:
                if isinstance(node, (cst.Import, cst.ImportFrom)):
                    self.statement = node
                kind = kinds.get(type(node))
                if kind:
                    where = positions[node]
                    start = lines.offset(where.start.line, where.start.column, chars=True)
                    end = lines.offset(where.end.line, where.end.column, chars=True)
                    view.nodes.setdefault((kind, start, end), node)
                    if kind == "alias":
                        view.statements[id(node)] = self.statement
                return True

        wrapper.visit(Collector())

    @staticmethod
    def of(source) -> "_CstView | None":
        cached = getattr(source, "_cst_view", False)
        if cached is False:
            try:
                cached = _CstView(source)
            except Exception:  # libcst rejects some code CPython accepts: then no fix
                cached = None
            source._cst_view = cached
        return cached

    def rewrite(self, statement, alias, *, add_import=None, references=(), replacement=None) -> str:
        """The module's code with `alias` dropped from `statement` and `references` replaced.

        A `from` import that `add_import` replaces whole (it named only `alias`)
        becomes the new import where it stood, so the module keeps its layout.
        """
        import libcst as cst
        from libcst.codemod import CodemodContext
        from libcst.codemod.visitors import AddImportsVisitor

        new_node = cst.parse_expression(replacement) if replacement else None
        reference_ids = {id(node) for node in references}
        in_place: list = []

        class Rewriter(cst.CSTTransformer):
            def leave_ImportFrom(self, original, updated):
                if original is not statement:
                    return updated
                names = [new for old, new in zip(original.names, updated.names) if old is not alias]
                if not names and add_import and add_import[1]:
                    import_module, name, asname = add_import
                    in_place.append(True)
                    new_alias = cst.ImportAlias(cst.Name(name), asname=cst.AsName(cst.Name(asname)) if asname else None)
                    return updated.with_changes(module=cst.parse_expression(import_module), names=[new_alias], relative=[])
                if not names:
                    return cst.RemoveFromParent()
                names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
                return updated.with_changes(names=names)

            def leave_Name(self, original, updated):
                return new_node if id(original) in reference_ids and new_node is not None else updated

            def leave_Attribute(self, original, updated):
                return new_node if id(original) in reference_ids and new_node is not None else updated

        module = self.module.visit(Rewriter())
        if add_import and not in_place:
            context = CodemodContext()
            import_module, name, asname = add_import
            AddImportsVisitor.add_needed_import(context, import_module, name, asname)
            module = AddImportsVisitor(context).transform_module(module)
        return module.code


def _edits(source, new_code: str) -> tuple[Edit, ...]:
    """The one edit that turns the source's text into `new_code`: the span between their common prefix and suffix."""
    old = source.file.text
    if new_code == old:
        return ()
    prefix = 0
    limit = min(len(old), len(new_code))
    while prefix < limit and old[prefix] == new_code[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new_code[len(new_code) - 1 - suffix]:
        suffix += 1
    return (Edit(source.file.path, prefix, len(old) - suffix, new_code[prefix : len(new_code) - suffix]),)
