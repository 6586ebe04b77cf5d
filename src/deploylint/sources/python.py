"""Python sources: where code uses a name that its package removed.

Names are resolved through imports and aliases by libcst's
QualifiedNameProvider, so `import werkzeug.security as ws; ws.safe_str_cmp`
and `from werkzeug.security import safe_str_cmp as eq` both resolve, while a
local function that happens to be called `safe_str_cmp` does not.

libcst is imported only here, and only for files the text pre-filter lets
through: most files of a tree never mention a module that lost a name.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from deploylint.diagnostics import Span
from deploylint.facts import SourceProblem
from deploylint.text import SourceText

if TYPE_CHECKING:
    import libcst as cst

    from deploylint.knowledge import Knowledge, RemovedApi

# libcst's native parser recurses per nesting level; past CPython's own limits
# it can overflow the C stack and kill the process, so deeper code is refused.
MAX_NESTING = 400


@dataclass
class ApiUse:
    api: "RemovedApi"
    qualified_name: str
    span: Span
    kind: str  # "import-from" (an alias in `from m import n`), "import", "attribute"
    node: "cst.CSTNode"
    statement: "cst.CSTNode | None" = None  # the Import/ImportFrom for import kinds


@dataclass
class PythonSource:
    file: SourceText
    module: "cst.Module"
    uses: list[ApiUse] = field(default_factory=list)
    # Names bound by `from m import removed as alias`: every reference to them.
    references: dict[str, list["cst.Name"]] = field(default_factory=dict)
    unresolved_references: set[str] = field(default_factory=set)


def mentions(text: str, modules: frozenset[str]) -> bool:
    """The pre-filter: can this text import any module some removal lives under?"""
    if not modules:
        return False
    pattern = _mention_pattern(modules)
    return pattern.search(text) is not None


_PATTERNS: dict[frozenset[str], re.Pattern] = {}


def _mention_pattern(modules: frozenset[str]) -> re.Pattern:
    if modules not in _PATTERNS:
        names = "|".join(sorted(re.escape(m) for m in modules))
        _PATTERNS[modules] = re.compile(rf"\b(?:{names})\b")
    return _PATTERNS[modules]


def check_syntax(file: SourceText) -> ast.Module:
    """CPython's own verdict and message, before libcst sees the file."""
    try:
        tree = compile(file.text, file.path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        offset = file.offset(error.lineno or 1, error.offset or 1)
        raise SourceProblem(error.msg, offset) from None
    except (RecursionError, MemoryError):
        raise SourceProblem("too deeply nested for Python's parser", 0) from None
    except ValueError as error:  # e.g. "source code string cannot contain null bytes"
        raise SourceProblem(str(error), 0) from None
    depth = _max_depth(tree)
    if depth > MAX_NESTING:
        raise SourceProblem(f"nesting depth {depth} exceeds {MAX_NESTING}; not analysed", 0)
    return tree


def _max_depth(tree: ast.AST) -> int:
    deepest = 0
    stack = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node))
    return deepest


def read(file: SourceText, knowledge: "Knowledge") -> PythonSource:
    check_syntax(file)
    import libcst as cst
    from libcst.metadata import MetadataWrapper

    try:
        module = cst.parse_module(file.text)
    except cst.ParserSyntaxError as error:
        raise SourceProblem(error.message, file.offset(error.raw_line, error.raw_column + 1)) from None
    except RecursionError:
        raise SourceProblem("too deeply nested to analyse", 0) from None
    source = PythonSource(file, module)
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    _ApiUseCollector.run(wrapper, source, knowledge)
    return source


def _dotted(node: "cst.BaseExpression | None") -> str | None:
    import libcst as cst

    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


class _ApiUseCollector:
    @staticmethod
    def run(wrapper, source: PythonSource, knowledge: "Knowledge") -> None:
        import libcst as cst
        from libcst.metadata import PositionProvider, QualifiedNameProvider, QualifiedNameSource

        positions = wrapper.resolve(PositionProvider)
        qualified = wrapper.resolve(QualifiedNameProvider)
        file = source.file

        def span(node) -> Span:
            where = positions[node]
            start = file.offset(where.start.line, where.start.column + 1)
            end = file.offset(where.end.line, where.end.column + 1)
            return Span(file.path, start, end)

        def imported_names(node) -> set[str]:
            names = qualified.get(node)
            if names is None:
                return set()
            if callable(names):
                names = names()
            return {n.name for n in names if n.source == QualifiedNameSource.IMPORT}

        def removed(node):
            for name in sorted(imported_names(node)):
                api = knowledge.removed_api(name)
                if api:
                    return api, name
            return None

        class Visitor(cst.CSTVisitor):
            def __init__(self) -> None:
                self.in_import = 0
                self.bound: dict[str, "RemovedApi"] = {}

            def visit_Import(self, node: cst.Import) -> None:
                self.in_import += 1
                for alias in node.names:
                    name = _dotted(alias.name)
                    api = knowledge.removed_api(name) if name else None
                    if api and api.name is None:  # `import werkzeug.contrib.cache`
                        source.uses.append(ApiUse(api, name, span(alias), "import", alias, node))

            def leave_Import(self, node) -> None:
                self.in_import -= 1

            def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
                self.in_import += 1
                if node.relative or node.module is None:
                    return
                module_name = _dotted(node.module)
                module_api = knowledge.removed_api(module_name) if module_name else None
                if module_api:
                    source.uses.append(ApiUse(module_api, module_name, span(node.module), "import", node.module, node))
                    return
                if isinstance(node.names, cst.ImportStar):
                    return
                for alias in node.names:
                    name = f"{module_name}.{_dotted(alias.name)}"
                    api = knowledge.removed_api(name)
                    if api:
                        source.uses.append(ApiUse(api, name, span(alias), "import-from", alias, node))
                        bound = alias.asname.name.value if alias.asname else _dotted(alias.name)
                        source.references.setdefault(bound, [])

            def leave_ImportFrom(self, node) -> None:
                self.in_import -= 1

            def visit_Attribute(self, node: cst.Attribute) -> bool:
                if self.in_import:
                    return False
                found = removed(node)
                if found and not removed(node.value):
                    api, name = found
                    source.uses.append(ApiUse(api, name, span(node), "attribute", node))
                return True

            def visit_Name(self, node: cst.Name) -> None:
                if self.in_import:
                    return
                if node.value in source.references and removed(node):
                    source.references[node.value].append(node)

        wrapper.visit(Visitor())
