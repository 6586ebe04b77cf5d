"""Suppressions: comments in the files, and `per-file-ignores` in the configuration.

A comment suppresses findings on its own line:

    from werkzeug.security import safe_str_cmp  # deploylint: ignore[DPL401] vendored copy pins it
    numpy==1.26.4  # noqa: DPL301

In a Dockerfile, where a comment must be a line of its own, it suppresses
findings in the next instruction, as hadolint's `# hadolint ignore=` does.
`# deploylint: ignore-file[DPL402]` anywhere in a file covers the whole file.
Without `[codes]`, a deploylint directive covers every code; a bare `# noqa`
is left to the tools it was written for. Text after the directive is its
reason. JSON has no comments: `per-file-ignores` accepts a JSON pointer
(`"vercel.json#/builds/0/config/runtime" = ["DPL103"]`).

A directive that suppresses nothing is reported (DPL003), with the fix that
removes it or its unused codes.
"""

from __future__ import annotations

import re

from deploylint.workspace import file_kind

# The one-file fast path imports this module for may_have_directives alone,
# and `typing` costs it more than the rest of the module.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from deploylint.diagnostics import Diagnostic, Span
    from deploylint.text import SourceText

# Kinds whose format has `#` comments to the end of the line. JSON has none;
# .python-version and runtime.txt are read whole by some platforms.
COMMENTED_KINDS = frozenset(
    {
        "python", "requirements", "constraints", "pyproject", "nixpacks", "netlify", "railway", "pipfile",
        "dockerfile", "github-workflow", "render", "app-engine", "sam", "serverless", "tool-versions", "procfile",
    }
)
_DIRECTIVE = re.compile(
    r"#[ \t]*(?:"
    r"deploylint:[ \t]*(?P<kind>ignore-file|ignore)\b(?:\[(?P<codes>[^\]\n]*)\])?(?P<reason>[^#\n]*)"
    r"|noqa:[ \t]*(?P<noqa>[A-Za-z]+[0-9]+(?:[ \t]*,?[ \t]*[A-Za-z]+[0-9]+)*)"
    r")"
)
_CODE = re.compile(r"[A-Za-z]+[0-9]+")


_NOQA_WITH_OUR_CODE = re.compile(r"noqa:[^\n]*DPL", re.IGNORECASE)


def may_have_directives(text: str) -> bool:
    """A cheap test that lets most files skip the scan (tokenizing Python is not
    cheap); substring tests first, as a case-blind regex over every file is not either."""
    if "deploylint:" in text:
        return True
    return ("DPL" in text or "dpl" in text) and _NOQA_WITH_OUR_CODE.search(text) is not None


class Directive:
    """One suppression comment. A plain class: the fast path loads this module."""

    def __init__(
        self,
        span: Span,
        codes: tuple[str, ...] | None,
        codes_span: tuple[int, int] | None,
        whole_file: bool,
        lines: range,
        other_codes: tuple[str, ...] = (),
    ) -> None:
        self.span = span  # from `#` to the end of its reason (a later `#` starts another comment)
        self.codes = codes  # None: every code
        self.codes_span = codes_span  # where the list of codes is written
        self.whole_file = whole_file
        self.lines = lines  # 1-based line numbers it covers
        self.other_codes = other_codes  # codes of other tools listed with ours (E501 in a noqa list)
        self.used: set[str] = set()

    def __repr__(self) -> str:
        return f"Directive(span={self.span!r}, codes={self.codes!r}, whole_file={self.whole_file!r})"

    def covers(self, code: str, line: int) -> bool:
        return (self.whole_file or line in self.lines) and (self.codes is None or code in self.codes)


def directives(file: SourceText) -> list[Directive]:
    from deploylint.diagnostics import Span

    kind = file_kind(file.path)
    if kind not in COMMENTED_KINDS or not may_have_directives(file.text):
        return []
    found = []
    instructions = None  # a Dockerfile's, parsed once for all its directives
    for start, comment in _comments(file, kind):
        for match in _DIRECTIVE.finditer(comment):
            other: tuple[str, ...] = ()
            if match.group("noqa"):
                listed = [code.upper() for code in _CODE.findall(match.group("noqa"))]
                codes: tuple[str, ...] | None = tuple(code for code in listed if code.startswith("DPL"))
                other = tuple(code for code in listed if not code.startswith("DPL"))
                if not codes:
                    continue  # another tool's noqa
                group, whole_file = "noqa", False
            else:
                group, whole_file = "codes", match.group("kind") == "ignore-file"
                listed_text = match.group("codes")
                codes = tuple(code.upper() for code in _CODE.findall(listed_text)) if listed_text is not None else None
            codes_span = (start + match.start(group), start + match.end(group)) if match.group(group) is not None else None
            end = match.end()
            if group == "codes":
                end = match.end("reason") - (len(match.group("reason")) - len(match.group("reason").rstrip()))
            span = Span(file.path, start + match.start(), start + end)
            line = file.position(span.start)[0]
            lines = range(line, line + 1)
            if kind == "dockerfile" and not whole_file:
                instructions = _dockerfile_instructions(file) if instructions is None else instructions
                lines = _dockerfile_lines(instructions, line, own_line=not file.text[file.offset(line) : span.start].strip())
            found.append(Directive(span, codes, codes_span, whole_file, lines, other))
    return found


def _comments(file: SourceText, kind: str):
    """(offset, text) of each comment."""
    text = file.text
    if kind == "python":
        import io
        import tokenize

        try:
            tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
        except (tokenize.TokenError, SyntaxError):
            tokens = None
        if tokens is not None:
            for token in tokens:
                if token.type == tokenize.COMMENT:
                    yield file.offset(token.start[0], token.start[1] + 1), token.string
            return
    # Elsewhere a comment starts at `#` at a line's start or after a blank;
    # a `#` inside a quoted value is taken for one too, which costs at most a
    # directive that was never meant.
    for match in re.finditer(r"(?:^|(?<=[ \t]))#[^\n]*", text, re.MULTILINE):
        yield match.start(), match.group()


def _dockerfile_instructions(file: SourceText) -> tuple:
    try:
        from dockerfile import parse_string

        return parse_string(file.text)
    except Exception:  # a Dockerfile BuildKit rejects is DPL001; its directives cover nothing
        return ()


def _dockerfile_lines(instructions, line: int, own_line: bool) -> range:
    """The lines a Dockerfile comment covers: on a line of its own, the next
    instruction (Docker comments are whole lines); after a shell command,
    where the shell reads it as a comment, the instruction it is in."""
    if own_line:
        chosen = min((i for i in instructions if i.start_line > line), key=lambda i: i.start_line, default=None)
    else:
        chosen = next((i for i in instructions if i.start_line <= line <= i.end_line), None)
    return range(chosen.start_line, chosen.end_line + 1) if chosen else range(0)


# -- per-file-ignores -------------------------------------------------------


class FileIgnores:
    """The configuration's `per-file-ignores`, matched as .gitignore patterns are."""

    def __init__(self, entries) -> None:
        self.entries = []
        if entries:
            from pathspec import GitIgnoreSpec

            self.entries = [(GitIgnoreSpec.from_lines([entry.pattern]), entry) for entry in entries]
        # (pointer, text) -> region: found once per pointer, not once per finding under it.
        self._regions: dict[tuple[str, str], tuple[int, int] | None] = {}

    def ignores(self, diagnostic: Diagnostic, files: dict[str, SourceText]) -> bool:
        path = diagnostic.span.path
        for spec, entry in self.entries:
            if not any(diagnostic.code.startswith(code) for code in entry.codes) or not spec.match_file(path):
                continue
            if entry.pointer is None:
                return True
            file = files.get(path)
            if file is None:
                continue
            key = (entry.pointer, file.text)
            if key not in self._regions:
                self._regions[key] = _pointer_region(file, entry.pointer)
            region = self._regions[key]
            if region and region[0] <= diagnostic.span.start < region[1]:
                return True
        return False


def _pointer_region(file: SourceText, pointer: str) -> tuple[int, int] | None:
    """Where the JSON value at `pointer` lies, its key included."""
    from deploylint.parsing import json as jsonc

    try:
        node = jsonc.parse(file.text)
    except jsonc.JSONError:
        return None
    start = node.start
    for token in pointer.split("/")[1:]:
        key = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, jsonc.JObject):
            member = node.member(key)
            if member is None:
                return None
            start, node = member.key_start, member.value
        elif isinstance(node, jsonc.JArray) and key.isdigit() and int(key) < len(node.items):
            node = node.items[int(key)]
            start = node.start
        else:
            return None
    return start, node.end


# -- applying them ----------------------------------------------------------


def apply(diagnostics: list[Diagnostic], files: dict[str, SourceText], subjects, file_ignores: FileIgnores) -> tuple[list[Diagnostic], list[Directive]]:
    """The diagnostics nothing suppresses, and every directive in the subjects (with what each used)."""
    found: dict[str, list[Directive]] = {}
    for path in sorted(subjects):
        if path in files:
            found[path] = directives(files[path])
    kept = []
    for diagnostic in diagnostics:
        if file_ignores.ignores(diagnostic, files):
            continue
        path = diagnostic.span.path
        if found.get(path):
            line = files[path].position(diagnostic.span.start)[0]
            covering = [d for d in found[path] if d.covers(diagnostic.code, line)]
            if covering:
                for directive in covering:
                    directive.used.add(diagnostic.code)
                continue
        kept.append(diagnostic)
    return kept, [directive for directives_of_file in found.values() for directive in directives_of_file]
