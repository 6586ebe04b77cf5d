"""DPL4xx: code that uses a name its package removed."""

from __future__ import annotations

from packaging.specifiers import SpecifierSet

from deploylint import versions
from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix
from deploylint.rules import Example, Rule


class RemovedPackageApi(Rule):
    """
    ## What it does
    Reports an import or use of a name that its package removed
    (`werkzeug.security.safe_str_cmp`, gone in Werkzeug 2.1.0), unless the
    project's requirements guarantee a release older than the removal.
    Names are resolved through imports and aliases:
    `import werkzeug.security as ws; ws.safe_str_cmp(...)` and
    `from werkzeug.security import safe_str_cmp as eq` are both found, and a
    local function that happens to share the name is not.

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
    `safe_str_cmp` accepted.

    ## References
    - [Werkzeug changelog](https://werkzeug.palletsprojects.com/en/stable/changes/)
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
        for source in unit.python_sources:
            for use in source.uses:
                api = use.api
                constraints = unit.constraints(api.package)
                if versions.guarantees(constraints, SpecifierSet(f"<{api.removed_in}")):
                    continue
                if not constraints:
                    why = f"nothing pins {api.package} below {api.removed_in}"
                elif not versions.satisfiable(constraints):
                    why = f"the requirements on {api.package} cannot all be met, so they guarantee no older release"
                else:
                    why = f"the requirements allow {api.package}>={api.removed_in}"
                what = "module" if api.name is None else "name"
                yield Diagnostic(
                    self.code,
                    f"`{use.qualified_name}`: {what} removed in {api.package} {api.removed_in} ({why}); "
                    f"use {api.replacement}",
                    use.span,
                    _fix(source, use),
                )


def _fix(source, use) -> Fix | None:
    import libcst as cst

    api = use.api
    if use.kind == "import-from":
        alias = use.node
        bound = alias.asname.name.value if alias.asname else alias.name.value
        if not source.references.get(bound):
            return _as_fix(source, _rewrite(source, use, remove_alias=True), "Remove the unused import", Applicability.SAFE)
        if not api.replace_with:
            return None
        module, _, name = api.replace_with.rpartition(".")
        applicability = Applicability(api.fix or "unsafe")
        if isinstance(alias.name, cst.Name) and name == alias.name.value:
            new = _rewrite(source, use, remove_alias=True, add_import=(module, name, alias.asname.name.value if alias.asname else None))
            return _as_fix(source, new, f"Import `{name}` from `{module}`", applicability)
        new = _rewrite(source, use, remove_alias=True, add_import=(module, None, None), references=source.references[bound])
        return _as_fix(source, new, f"Use `{api.replace_with}`", applicability)
    if use.kind == "attribute" and api.replace_with:
        module = api.replace_with.rpartition(".")[0]
        new = _rewrite(source, use, add_import=(module, None, None), references=[use.node])
        return _as_fix(source, new, f"Use `{api.replace_with}`", Applicability(api.fix or "unsafe"))
    return None


def _rewrite(source, use, *, remove_alias=False, add_import=None, references=()):
    """The module's code after removing `use`'s alias and rewriting references."""
    import libcst as cst
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import AddImportsVisitor

    replacement = cst.parse_expression(use.api.replace_with) if use.api.replace_with else None
    reference_ids = {id(node) for node in references}
    alias_id = id(use.node)

    class Rewriter(cst.CSTTransformer):
        def leave_ImportFrom(self, original, updated):
            if not remove_alias or original is not use.statement:
                return updated
            names = [new for old, new in zip(original.names, updated.names) if id(old) != alias_id]
            if not names:
                return cst.RemoveFromParent()
            names[-1] = names[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
            return updated.with_changes(names=names)

        def leave_Name(self, original, updated):
            return replacement if id(original) in reference_ids and replacement is not None else updated

        def leave_Attribute(self, original, updated):
            return replacement if id(original) in reference_ids and replacement is not None else updated

    module = source.module.visit(Rewriter())
    if add_import:
        context = CodemodContext()
        import_module, name, asname = add_import
        AddImportsVisitor.add_needed_import(context, import_module, name, asname)
        module = AddImportsVisitor(context).transform_module(module)
    return module.code


def _as_fix(source, new_code: str, message: str, applicability: Applicability) -> Fix | None:
    old = source.file.text
    if new_code == old:
        return None
    prefix = 0
    limit = min(len(old), len(new_code))
    while prefix < limit and old[prefix] == new_code[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new_code[len(new_code) - 1 - suffix]:
        suffix += 1
    edit = Edit(source.file.path, prefix, len(old) - suffix, new_code[prefix : len(new_code) - suffix])
    return Fix(message, applicability, (edit,))
