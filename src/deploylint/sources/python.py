"""Python sources: where code uses a name that its package or Python removed.

Detection runs on CPython's own `ast`, with a small scope resolver: names
resolve through imports and aliases (`import werkzeug.security as ws;
ws.safe_str_cmp`, `from numpy import float as f`), a local function that
happens to share a removed name does not, and a parameter or assignment
shadows an import in its own scope, as in Python. libcst is not imported
here: only a fix needs it (see rules/removed_apis.py), and only for the few
files that have a finding.

Code that runs only where a removal cannot bite is not reported: an import
inside `try: ... except ImportError:` (and its handler), and the branch of
`if sys.version_info < (3, N):` that serves older Pythons.
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
    from deploylint.knowledge import Knowledge, RemovedApi

# libcst (used for fixes) recurses per nesting level; past CPython's own
# limits it can overflow the C stack and kill the process, so deeper code is
# refused here, before any fix is attempted.
MAX_NESTING = 400

# Nodes that hold nothing a name could resolve in: never walked.
_LEAVES = (ast.expr_context, ast.operator, ast.unaryop, ast.cmpop, ast.boolop, ast.Constant)
# Nodes the walker only descends through: everything but the binding, scoping,
# importing and guarding constructs `_Resolver.run` handles itself.
_PLAIN = frozenset(
    {
        ast.Expr, ast.Call, ast.Return, ast.BinOp, ast.BoolOp, ast.Compare, ast.UnaryOp, ast.Subscript,
        ast.Tuple, ast.List, ast.Set, ast.Dict, ast.keyword, ast.JoinedStr, ast.FormattedValue, ast.Starred,
        ast.Slice, ast.IfExp, ast.Await, ast.Yield, ast.YieldFrom, ast.AugAssign, ast.AnnAssign,
        ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.withitem, ast.Raise, ast.Assert,
        ast.Delete, ast.Pass, ast.Break, ast.Continue, ast.Module,
    }
)

# Exceptions whose handler makes the guarded code a fallback: the code in the
# `try` may fail on some Python, and the program expects that (a call that
# lost an argument or a keyword fails with TypeError).
_GUARD_EXCEPTIONS = frozenset({"ImportError", "ModuleNotFoundError", "AttributeError", "TypeError", "Exception", "BaseException"})


@dataclass
class ApiUse:
    api: "RemovedApi"
    qualified_name: str
    span: Span
    kind: str  # "import-from" (an alias in `from m import n`), "import", "attribute"
    statement: Span | None = None  # the import statement, for import kinds
    # For "import-from": every load of the name the alias binds.
    references: list[Span] = field(default_factory=list)


@dataclass
class PythonSource:
    file: SourceText
    uses: list[ApiUse] = field(default_factory=list)


def parse(file: SourceText) -> ast.Module:
    """CPython's own verdict and message."""
    try:
        return compile(file.text, file.path, "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
    except SyntaxError as error:
        raise SourceProblem(error.msg, _Lines(file.text).offset(error.lineno or 1, max((error.offset or 1) - 1, 0), chars=True)) from None
    except (RecursionError, MemoryError):
        raise SourceProblem("too deeply nested for Python's parser", 0) from None
    except ValueError as error:  # e.g. "source code string cannot contain null bytes"
        raise SourceProblem(str(error), 0) from None


def read(file: SourceText, knowledge: "Knowledge") -> PythonSource:
    tree = parse(file)
    source = PythonSource(file)
    _Resolver(file, knowledge, source).run(tree)
    source.uses.sort(key=lambda use: (use.span.start, use.span.end))
    return source


class _Lines:
    """ast positions (1-based line, UTF-8 byte column) to character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        # CPython ends a line at \r\n, \n or a lone \r.
        self.starts = [0] + [m.end() for m in re.finditer(r"\r\n?|\n", text)]

    def offset(self, line: int, column: int, *, chars: bool = False) -> int:
        if line < 1:
            return 0
        if line > len(self.starts):
            return len(self.text)
        start = self.starts[line - 1]
        if chars:
            return min(start + column, len(self.text))
        end = self.starts[line] if line < len(self.starts) else len(self.text)
        line_text = self.text[start:end]
        if not line_text.isascii():
            column = len(line_text.encode("utf-8")[:column].decode("utf-8", errors="ignore"))
        return min(start + column, len(self.text))


class _Import:
    """A name bound to something importable, and every load that resolves to it.

    `qualified` is a dotted path ("werkzeug.security"), or, for a name bound
    to the result of a call (`app = Flask(__name__)`), the callee's path
    followed by "()" ("flask.Flask()"): an instance, whose removed methods the
    knowledge base lists under that path.
    """

    __slots__ = ("qualified", "references", "use", "factory")

    def __init__(self, qualified: str | None, factory: "tuple[ast.expr, _Scope] | None" = None) -> None:
        self.qualified = qualified
        self.references: list[Span] = []
        self.use: ApiUse | None = None
        self.factory = factory  # (callee, scope), resolved once all bindings are known


class _Scope:
    __slots__ = ("kind", "parent", "bindings", "global_names", "nonlocal_names")

    def __init__(self, kind: str, parent: "_Scope | None") -> None:
        self.kind = kind  # "module", "function", "class"
        self.parent = parent
        # name -> its bindings in this scope: an _Import, or None for anything else
        self.bindings: dict[str, list[_Import | None]] = {}
        self.global_names: set[str] = set()
        self.nonlocal_names: set[str] = set()


class _Resolver:
    def __init__(self, file: SourceText, knowledge: "Knowledge", source: PythonSource) -> None:
        self.file = file
        self.lines = _Lines(file.text)
        self.knowledge = knowledge
        self.source = source
        self.module = _Scope("module", None)
        self.loads: list[tuple[ast.Name, _Scope]] = []
        self.chains: list[tuple[list[ast.Attribute], ast.Name, _Scope, bool]] = []
        self.import_names: set[str] = set()
        self.instances: list[_Import] = []
        # The shapes beyond names (see RemovedApi.shape), collected only when the knowledge has them.
        self.call_forms = knowledge.removed_call_forms
        self.result_attributes = {api.name for apis in self.call_forms.values() for api in apis if api.shape == "result"}
        # `yaml.load(...)` can only be a call form if it ends in a callee's own name; a bare
        # name may be an alias (`from urllib3 import Retry as R`), so those are all kept.
        self.callee_names = {callee.rsplit(".", 1)[-1] for callee in self.call_forms}
        self.methods = knowledge.removed_methods
        self.calls: list[tuple[ast.Call, _Scope]] = []
        self.results: list[tuple[ast.Attribute, _Scope]] = []
        self.method_uses: list[ast.Attribute] = []
        self.imported_tops: set[str] = set()
        self.defined_names: set[str] = set()

    # -- positions -----------------------------------------------------

    def span(self, node) -> Span:
        start = self.lines.offset(node.lineno, node.col_offset)
        end = self.lines.offset(node.end_lineno, node.end_col_offset)
        return Span(self.file.path, start, end)

    def module_span(self, node: ast.ImportFrom) -> Span:
        """`from a . b import c`: ast gives no position for `a . b`; find it in the text."""
        text = self.file.text
        start = self.lines.offset(node.lineno, node.col_offset) + len("from")
        pattern = re.compile(r"(?:\s|\\\r?\n)*")
        position = pattern.match(text, start).end()
        begin = position
        parts = node.module.split(".")
        for index, part in enumerate(parts):
            if not text.startswith(part, position):
                return self.span(node)
            position += len(part)
            if index < len(parts) - 1:
                position = pattern.match(text, position).end() + 1  # the dot
                position = pattern.match(text, position).end()
        return Span(self.file.path, begin, position)

    # -- pass 1: bindings, and the loads to resolve once all are known ---

    def bind(self, scope: _Scope, name: str, value: _Import | None) -> None:
        if name in scope.global_names:
            scope = self.module
        elif name in scope.nonlocal_names:
            parent = scope.parent
            while parent is not None and (parent.kind != "function" or name not in parent.bindings):
                parent = parent.parent
            scope = parent or scope
        scope.bindings.setdefault(name, []).append(value)
        if value is not None:
            self.import_names.add(name)

    def run(self, tree: ast.Module) -> None:
        stack: list[tuple[ast.AST, _Scope, bool, int]] = [(tree, self.module, False, 0)]
        while stack:
            node, scope, guarded, depth = stack.pop()
            if depth > MAX_NESTING:
                raise SourceProblem(f"nesting depth exceeds {MAX_NESTING}; not analysed", self.span(node).start if hasattr(node, "lineno") else 0)
            below = depth + 1
            if type(node) in _PLAIN:
                # The common case, kept free of isinstance chains, closures and generators.
                if type(node) is ast.Call and not guarded:
                    if self.call_forms and (type(node.func) is not ast.Attribute or node.func.attr in self.callee_names):
                        self.calls.append((node, scope))
                    # A package-only method counts where it is called: a Mock's
                    # `driver.find_element_by_id.assert_called_with(...)` is not a use.
                    if self.methods and type(node.func) is ast.Attribute and node.func.attr in self.methods:
                        self.method_uses.append(node.func)
                for field in node._fields:
                    value = getattr(node, field, None)
                    if type(value) is list:
                        stack.extend((item, scope, guarded, below) for item in value if item is not None and not isinstance(item, _LEAVES))
                    elif value is not None and not isinstance(value, _LEAVES) and isinstance(value, ast.AST):
                        stack.append((value, scope, guarded, below))
                continue

            def push(child, in_scope=scope, is_guarded=guarded, at=below):
                if child is not None:
                    stack.append((child, in_scope, is_guarded, at))

            def push_all(children, in_scope=scope, is_guarded=guarded, at=below):
                stack.extend((child, in_scope, is_guarded, at) for child in children if child is not None)

            if isinstance(node, ast.Import):
                self.visit_import(node, scope, guarded)
            elif isinstance(node, ast.ImportFrom):
                self.visit_import_from(node, scope, guarded)
            elif isinstance(node, ast.Name):
                if isinstance(node.ctx, ast.Load):
                    self.loads.append((node, scope))
                else:
                    self.bind(scope, node.id, None)
            elif isinstance(node, ast.Attribute):
                chain = [node]
                base = node.value
                while isinstance(base, ast.Attribute):
                    chain.append(base)
                    base = base.value
                if self.result_attributes and not guarded:
                    self._note_shapes(chain, scope)
                if depth + len(chain) > MAX_NESTING:
                    raise SourceProblem(f"nesting depth exceeds {MAX_NESTING}; not analysed", self.span(node).start)
                if isinstance(base, ast.Name) and isinstance(node.ctx, ast.Load):
                    chain.reverse()  # innermost first: np.float before np.float.x
                    self.chains.append((chain, base, scope, guarded))
                    self.loads.append((base, scope))
                else:
                    stack.append((base, scope, guarded, depth + len(chain)))
            elif (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Call)
                and isinstance(node.value.func, (ast.Name, ast.Attribute))
            ):
                instance = _Import(None, (node.value.func, scope))
                self.instances.append(instance)
                self.bind(scope, node.targets[0].id, instance)
                push(node.value)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                if not isinstance(node, ast.Lambda):
                    self.bind(scope, node.name, None)
                    self.defined_names.add(node.name)
                    push_all(node.decorator_list)
                    push(node.returns)
                arguments = node.args
                push_all(arguments.defaults)
                push_all(d for d in arguments.kw_defaults if d is not None)
                inner = _Scope("function", scope)
                for argument in (*arguments.posonlyargs, *arguments.args, arguments.vararg, *arguments.kwonlyargs, arguments.kwarg):
                    if argument is not None:
                        self.bind(inner, argument.arg, None)
                        push(argument.annotation)
                if isinstance(node, ast.Lambda):
                    push(node.body, inner)
                else:
                    push_all(node.body, inner)
            elif isinstance(node, ast.ClassDef):
                self.bind(scope, node.name, None)
                push_all(node.decorator_list)
                push_all(node.bases)
                push_all(node.keywords)
                push_all(node.body, _Scope("class", scope))
            elif isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)):
                inner = _Scope("function", scope)
                first, *rest = node.generators
                push(first.iter)  # evaluated in the enclosing scope
                push(first.target, inner)
                push_all(first.ifs, inner)
                for generator in rest:
                    push_all((generator.target, generator.iter, *generator.ifs), inner)
                if isinstance(node, ast.DictComp):
                    push_all((node.key, node.value), inner)
                else:
                    push(node.elt, inner)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                (scope.global_names if isinstance(node, ast.Global) else scope.nonlocal_names).update(node.names)
            elif isinstance(node, ast.Try) or type(node).__name__ == "TryStar":
                fallback = guarded or any(_catches_failure(handler.type) for handler in node.handlers)
                push_all(node.body, scope, fallback)
                for handler in node.handlers:
                    if handler.name:
                        self.bind(scope, handler.name, None)
                    push(handler.type)
                    push_all(handler.body, scope, guarded or _catches_failure(handler.type))
                push_all(node.orelse)
                push_all(node.finalbody)
            elif isinstance(node, ast.If) and (older := _serves_older_python(node.test)) is not None:
                push(node.test)
                push_all(node.body, scope, guarded or older)
                push_all(node.orelse, scope, guarded or not older)
            else:
                if isinstance(node, (ast.MatchAs, ast.MatchStar)) and node.name:
                    self.bind(scope, node.name, None)
                elif isinstance(node, ast.MatchMapping) and node.rest:
                    self.bind(scope, node.rest, None)
                push_all(child for child in ast.iter_child_nodes(node) if not isinstance(child, _LEAVES))
        self.resolve()

    def _note_shapes(self, chain: list[ast.Attribute], scope: _Scope) -> None:
        """Attributes that read what a call returns (`jwt.encode(...).decode`)."""
        for attribute in chain:
            if attribute.attr in self.result_attributes and isinstance(attribute.value, ast.Call):
                self.results.append((attribute, scope))

    def visit_import(self, node: ast.Import, scope: _Scope, guarded: bool) -> None:
        self.imported_tops.update(alias.name.split(".")[0] for alias in node.names)
        for alias in node.names:
            if alias.asname:
                self.bind(scope, alias.asname, _Import(alias.name))
            else:
                top = alias.name.split(".")[0]
                self.bind(scope, top, _Import(top))
            api = self.knowledge.removed_api(alias.name)
            if api and api.name is None and not guarded:  # `import imp`, `import werkzeug.contrib.cache`
                self.source.uses.append(ApiUse(api, alias.name, self.span(alias), "import", self.span(node)))

    def visit_import_from(self, node: ast.ImportFrom, scope: _Scope, guarded: bool) -> None:
        if not node.level and node.module:
            self.imported_tops.add(node.module.split(".")[0])
        if node.level or node.module is None:
            for alias in node.names:
                if alias.name != "*":
                    self.bind(scope, alias.asname or alias.name, None)
            return
        module_api = self.knowledge.removed_api(node.module)
        if module_api and not guarded:
            self.source.uses.append(ApiUse(module_api, node.module, self.module_span(node), "import", self.span(node)))
        for alias in node.names:
            if alias.name == "*":
                continue
            qualified = f"{node.module}.{alias.name}"
            binding = _Import(qualified)
            self.bind(scope, alias.asname or alias.name, binding)
            if guarded:
                continue
            api = self.knowledge.removed_api(qualified)
            # A name its module lost before the module itself went (cgi.escape in 3.8, cgi in 3.13).
            if api and (module_api is None or api.removed_in < module_api.removed_in):
                binding.use = ApiUse(api, qualified, self.span(alias), "import-from", self.span(node), binding.references)
                self.source.uses.append(binding.use)

    # -- pass 2: resolve loads --------------------------------------------

    def lookup(self, name: str, scope: _Scope) -> list[_Import | None] | None:
        current: _Scope | None = scope
        first = True
        while current is not None:
            if current.kind == "class" and not first:
                current = current.parent
                continue
            if name in current.global_names:
                return self.module.bindings.get(name)
            if name in current.bindings and name not in current.nonlocal_names:
                return current.bindings[name]
            first = False
            current = current.parent
        return None  # a builtin, or undefined

    def dotted(self, node: ast.expr, scope: _Scope) -> str | None:
        """The qualified path an expression like `flask.Flask` or `Flask` names."""
        attributes = []
        while isinstance(node, ast.Attribute):
            attributes.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        for binding in self.lookup(node.id, scope) or ():
            if binding is not None and binding.factory is None and binding.qualified:
                return ".".join([binding.qualified, *reversed(attributes)])
        return None

    def resolve(self) -> None:
        for instance in self.instances:
            callee, scope = instance.factory
            path = self.dotted(callee, scope)
            instance.qualified = f"{path}()" if path else None
        for name, scope in self.loads:
            if name.id not in self.import_names:
                continue
            for binding in self.lookup(name.id, scope) or ():
                if binding is not None and binding.use is not None:  # only a fix needs them
                    binding.references.append(self.span(name))
        for chain, base, scope, guarded in self.chains:
            if guarded or base.id not in self.import_names:
                continue
            found = self._removed_attribute(chain, self.lookup(base.id, scope) or ())
            if found:
                api, qualified, node = found
                self.source.uses.append(ApiUse(api, qualified, self.span(node), "attribute"))
        self._resolve_shapes()

    def _resolve_shapes(self) -> None:
        for call, scope in self.calls:
            path = self.dotted(call.func, scope)
            for api in self.call_forms.get(path, ()) if path else ():
                if api.shape == "keyword":
                    for keyword in call.keywords:
                        if keyword.arg == api.name:
                            self.source.uses.append(ApiUse(api, f"{path}({api.name}=...)", self.span(keyword), "keyword"))
                elif api.shape == "call" and self._lacks_argument(call, api):
                    self.source.uses.append(ApiUse(api, f"{path}(...) without {api.name}", self.span(call), "call"))
        for attribute, scope in self.results:
            path = self.dotted(attribute.value.func, scope)
            for api in self.call_forms.get(path, ()) if path else ():
                if api.shape == "result" and api.name == attribute.attr:
                    self.source.uses.append(ApiUse(api, f"{path}(...).{api.name}", self.span(attribute), "result"))
        for attribute in self.method_uses:
            if attribute.attr in self.defined_names:
                continue  # the file defines its own method of that name
            for api in self.methods[attribute.attr]:
                if api.module.split(".")[0] in self.imported_tops:
                    span = self.span(attribute)
                    # The method's name alone: `driver.find_element_by_id` -> `find_element_by_id`.
                    self.source.uses.append(ApiUse(api, f".{api.name}()", Span(span.path, span.end - len(api.name), span.end), "method"))
                    break

    @staticmethod
    def _lacks_argument(call: ast.Call, api) -> bool:
        """Is the argument missing for certain: no `*args`/`**kwargs` that might carry it?"""
        if any(isinstance(arg, ast.Starred) for arg in call.args) or any(keyword.arg is None for keyword in call.keywords):
            return False
        return len(call.args) <= api.position and not any(keyword.arg == api.name for keyword in call.keywords)

    def _removed_attribute(self, chain, bindings):
        for binding in bindings:
            if binding is None or binding.qualified is None:
                continue
            # A removed module is reported where it is imported; only a name it
            # lost earlier than that is reported where it is used.
            module_api = self.knowledge.removed_api(binding.qualified)
            qualified = binding.qualified
            for node in chain:
                qualified = f"{qualified}.{node.attr}"
                api = self.knowledge.removed_api(qualified)
                if api and (module_api is None or api.removed_in < module_api.removed_in):
                    return api, qualified, node
        return None


def _catches_failure(handler_type: ast.expr | None) -> bool:
    if handler_type is None:
        return True
    names = handler_type.elts if isinstance(handler_type, ast.Tuple) else [handler_type]
    for name in names:
        if isinstance(name, ast.Attribute):
            name = ast.Name(name.attr)
        if isinstance(name, ast.Name) and name.id in _GUARD_EXCEPTIONS:
            return True
    return False


def _serves_older_python(test: ast.expr) -> bool | None:
    """For `if sys.version_info < (3, N):` True (the body serves older Pythons);
    for `>=`/`>` False (the else branch does); None for any other test."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and isinstance(test.comparators[0], ast.Tuple)):
        return None
    left = test.left
    if isinstance(left, ast.Subscript):
        left = left.value
    if not (
        (isinstance(left, ast.Attribute) and left.attr == "version_info")
        or (isinstance(left, ast.Name) and left.id == "version_info")
    ):
        return None
    op = test.ops[0]
    if isinstance(op, (ast.Lt, ast.LtE)):
        return True
    if isinstance(op, (ast.Gt, ast.GtE)):
        return False
    return None
