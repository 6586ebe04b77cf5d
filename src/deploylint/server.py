"""`deploylint server`: a language server over stdio.

Built on pygls (the LSP library of the Python LSP ecosystem, kept by Open Law
Library, typed by lsprotocol, which is generated from the LSP specification
itself), so the protocol's framing, lifecycle and document sync are not ours
to get wrong. pygls is an optional extra (`deploylint[server]`) and is
imported only here, so `deploylint check` never loads it.

Each check re-reads the unit (app) of the changed file, with every open
buffer as the overlay, so a cross-file finding (a pin in requirements.txt, an
import in api/auth.py) updates when either file changes. Checks run in a
worker thread, one at a time, and rapid changes are coalesced: the editor's
event loop never waits for one.

A check re-analyses only the Python files that can make a difference (see
`AnalysisMemo`): on a 1,000-module app, re-reading and pre-filtering every
module on each keystroke was most of the time from a change to its diagnostics.
"""

from __future__ import annotations

import asyncio
import os
import re
import types as pytypes
from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from deploylint import __version__
from deploylint.diagnostics import Applicability, Diagnostic, Edit
from deploylint.workspace import Workspace, file_kind

FIX_ALL_KIND = "source.fixAll.deploylint"
# Changes closer together than this are checked once: typing does not queue a check per key.
DEBOUNCE_SECONDS = 0.03


@dataclass
class Finding:
    """A published diagnostic, with what code actions and hover need."""

    diagnostic: Diagnostic
    range: lsp.Range
    texts: dict[str, str]  # the texts the check saw, to place the fix's edits


def _position(text: str, offset: int) -> lsp.Position:
    """LSP position of a character offset: 0-based line, column in UTF-16 code units."""
    offset = max(0, min(offset, len(text)))
    line_start = text.rfind("\n", 0, offset) + 1
    column = len(text[line_start:offset].encode("utf-16-le")) // 2
    return lsp.Position(line=text.count("\n", 0, offset), character=column)


def _range(text: str, start: int, end: int) -> lsp.Range:
    return lsp.Range(start=_position(text, start), end=_position(text, end))


def _before(a: lsp.Position, b: lsp.Position) -> bool:
    return (a.line, a.character) < (b.line, b.character)


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    return not _before(a.end, b.start) and not _before(b.end, a.start)


class DeploylintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("deploylint", __version__)
        self.findings: dict[str, list[Finding]] = {}  # uri -> what was last published there
        self.dirty: set[str] = set()  # unit roots waiting for a check
        self.memos: dict[str, UnitMemos] = {}  # unit root -> what its last checks analysed
        self.worker: asyncio.Task | None = None

    # Paths: deploylint speaks workspace-relative POSIX paths.

    @property
    def root(self) -> Path | None:
        path = self.workspace.root_path
        return Path(path).resolve() if path else None

    def relative(self, uri: str, *, any_file: bool = False) -> str | None:
        """The workspace-relative path of a file deploylint reads (`any_file`: of any file)."""
        path, root = to_fs_path(uri), self.root
        if path is None or root is None:
            return None
        try:
            relative = Path(path).resolve().relative_to(root).as_posix()
        except ValueError:
            return None  # outside the workspace: not ours
        return relative if any_file or file_kind(relative) else None

    def uri(self, relative: str) -> str:
        return from_fs_path(str(self.root / relative))

    def overlay(self) -> dict[str, str]:
        texts = {}
        for uri, document in self.workspace.text_documents.items():
            relative = self.relative(uri)
            if relative is not None:
                texts[relative] = document.source
        return texts

    # Checking.

    def schedule(self, uri: str) -> None:
        relative = self.relative(uri, any_file=True)
        # A file deploylint reads, or its own configuration file: either changes the findings.
        if relative is None or not (file_kind(relative) or relative.endswith(".deploylint.toml")):
            return
        self.dirty.add(Workspace(self.root).unit_root(relative))
        if self.worker is None or self.worker.done():
            self.worker = asyncio.ensure_future(self.run_checks())

    async def run_checks(self) -> None:
        while self.dirty:
            await asyncio.sleep(DEBOUNCE_SECONDS)
            unit, overlay = self.dirty.pop(), self.overlay()
            try:
                result = await asyncio.to_thread(check_unit, self.root, unit, overlay, self.memos)
            except Exception as error:  # a bug in deploylint: say so, keep serving
                self.window_log_message(lsp.LogMessageParams(type=lsp.MessageType.Error, message=f"deploylint: internal error: {error!r}"))
                continue
            if isinstance(result, str):
                self.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Error, message=f"deploylint: {result}"))
                continue
            self.publish(unit, result)

    def publish(self, unit: str, result: tuple) -> None:
        project, diagnostics = result
        texts = {path: file.text for path, file in project.files.items()}
        by_uri: dict[str, list[Finding]] = {}
        for diagnostic in diagnostics:
            text = texts.get(diagnostic.span.path, "")
            finding = Finding(diagnostic, _range(text, diagnostic.span.start, diagnostic.span.end), texts)
            by_uri.setdefault(self.uri(diagnostic.span.path), []).append(finding)
        # Every file of the unit that had findings is republished, cleared if it has none now.
        workspace = Workspace(self.root)
        for uri in list(self.findings):
            relative = self.relative(uri)
            if relative is not None and workspace.unit_root(relative) == unit and uri not in by_uri:
                by_uri[uri] = []
        for uri, findings in by_uri.items():
            self.findings[uri] = findings
            self.text_document_publish_diagnostics(
                lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[self.lsp_diagnostic(finding) for finding in findings])
            )

    def lsp_diagnostic(self, finding: Finding) -> lsp.Diagnostic:
        from deploylint.rules import rule_by_code

        diagnostic = finding.diagnostic
        rule = rule_by_code(diagnostic.code)
        related = [
            lsp.DiagnosticRelatedInformation(
                location=lsp.Location(
                    uri=self.uri(item.span.path), range=_range(finding.texts.get(item.span.path, ""), item.span.start, item.span.end)
                ),
                message=item.message,
            )
            for item in diagnostic.related
        ]
        return lsp.Diagnostic(
            range=finding.range,
            message=diagnostic.message,
            severity=lsp.DiagnosticSeverity.Error,
            code=diagnostic.code,
            code_description=lsp.CodeDescription(href=rule.url()) if rule else None,
            source="deploylint",
            related_information=related or None,
        )

    # Code actions and hover.

    def findings_at(self, uri: str, range_: lsp.Range) -> list[Finding]:
        return [finding for finding in self.findings.get(uri, []) if _overlaps(finding.range, range_)]

    def resolves_edits(self) -> bool:
        """Can the client ask for a code action's edit later (codeAction/resolve)?"""
        code_action = self.client_capabilities.text_document and self.client_capabilities.text_document.code_action
        support = code_action.resolve_support if code_action else None
        return bool(support and "edit" in support.properties)

    async def fix_all_edit(self, uri: str) -> lsp.WorkspaceEdit | None:
        """Every safe fix for the file at `uri`, applied as `check --fix` applies them; None: nothing to change."""
        relative = self.relative(uri)
        if relative is None or self.root is None:
            return None
        result = await asyncio.to_thread(fix_all, self.root, relative, self.overlay())
        if isinstance(result, str) or not result:
            return None
        changed = [(self.uri(path), before, after) for path, (before, after) in sorted(result.items())]
        whole = [lsp.TextEdit(range=_range(before or "", 0, len(before or "")), new_text=after) for _, before, after in changed]
        if all(before is not None for _, before, _ in changed):
            return lsp.WorkspaceEdit(changes={uri: [edit] for (uri, _, _), edit in zip(changed, whole)})
        # A fix that creates a file (a .python-version): created first, then written.
        operations: list = []
        for (target, before, _), edit in zip(changed, whole):
            if before is None:
                operations.append(lsp.CreateFile(uri=target, options=lsp.CreateFileOptions(ignore_if_exists=True)))
            operations.append(lsp.TextDocumentEdit(text_document=lsp.OptionalVersionedTextDocumentIdentifier(uri=target, version=None), edits=[edit]))
        return lsp.WorkspaceEdit(document_changes=operations)

    def workspace_edit(self, edits: list[Edit], texts: dict[str, str]) -> lsp.WorkspaceEdit:
        changes: dict[str, list[lsp.TextEdit]] = {}
        for edit in edits:
            text = texts.get(edit.path, "")
            changes.setdefault(self.uri(edit.path), []).append(
                lsp.TextEdit(range=_range(text, edit.start, edit.end), new_text=edit.content)
            )
        return lsp.WorkspaceEdit(changes=changes)


@dataclass
class AnalysisMemo:
    """What one unit's checks learnt about its Python files under one set of target Pythons.

    A Python file's findings depend on its own text and on the rest of the unit, but
    whether it can have any does not: a file the pre-filter passes over (or that parses
    with no removed name), without a suppression comment or a DPL001, has none whatever
    the other files say, as long as its text and the Pythons the pre-filter is built for
    (`pythons`, from the unit's non-Python files) stay the same. Such a file is "quiet".
    A check leaves out the quiet files whose stamp is unchanged and checks all the rest
    (every non-Python file, every file that had anything, every file changed since):
    its findings are those of a check of the whole unit.
    """

    stamps: dict[str, object] = field(default_factory=dict)  # Python path -> stamp of the text analysed
    loud: set[str] = field(default_factory=set)  # Python paths whose analysis held something

    def to_check(self, stamps: dict[str, object]) -> list[str]:
        return [path for path, stamp in stamps.items() if stamp is None or path in self.loud or self.stamps.get(path) != stamp]

    def update(self, stamps: dict[str, object], checked: list[str], project) -> None:
        """Record what a check of `checked` (of the unit's Python files `stamps`) found."""
        problems = {problem.span.path for problem in project.problems}
        for path in checked:
            self.stamps[path] = stamps[path]
            if path in project.files or path in problems:
                self.loud.add(path)
            else:
                self.loud.discard(path)
        for path in set(self.stamps) - set(stamps):  # gone from the unit
            del self.stamps[path]
            self.loud.discard(path)


@dataclass
class UnitMemos:
    """One unit's `AnalysisMemo`s, by the target Pythons they hold for (a few: a project
    switching between two Pythons keeps both), and the configuration they were made under."""

    key: tuple
    by_pythons: dict[tuple, AnalysisMemo] = field(default_factory=dict)
    last: tuple | None = None

    KEPT = 4

    def remember(self, pythons: tuple, memo: AnalysisMemo) -> None:
        self.by_pythons.pop(pythons, None)
        self.by_pythons[pythons] = memo
        while len(self.by_pythons) > self.KEPT:
            del self.by_pythons[next(iter(self.by_pythons))]
        self.last = pythons


def _stamp(root: str, path: str, overlay: dict[str, str]):
    """What a Python file's analysis was made from: an open buffer's text, else the file's
    stat (taken before it is read: a later write changes it); None: re-analyse it."""
    if path in overlay:
        return ("buffer", overlay[path])
    try:
        stat = os.stat(os.path.join(root, path))  # no Path: a thousand of them show
    except OSError:
        return None
    return ("disk", stat.st_mtime_ns, stat.st_ctime_ns, stat.st_size, stat.st_ino)


def _memo_key(config) -> tuple:
    """What the analyses also depend on: the configuration, and the bytes of the knowledge it extends."""
    extensions = []
    for path in config.extend_knowledge:
        try:
            extensions.append(Path(path).read_bytes())
        except OSError:
            extensions.append(object())  # never equal: no memo
    return (config, tuple(extensions), os.environ.get("DEPLOYLINT_PREFILTER"))


def _pythons(project, unit: str) -> tuple | None:
    """The Pythons the unit's Python files were analysed for (`Unit.analysed_for`)."""
    for found in project.units:
        if found.root == unit:
            return found.analysed_for()
    return None


def _settings(root: Path):
    """(config, options, selection, file ignores) as a CLI run in `root` without flags reads
    them (re-read for every check, as a CLI run would), or a message when they are unusable."""
    from deploylint.checker import Selection
    from deploylint.cli import UsageError, _load_config, _options
    from deploylint.suppressions import FileIgnores

    no_flags = pytypes.SimpleNamespace(config=None, platforms=None, as_of=None, python=None)
    try:
        config = _load_config(no_flags, root)
    except UsageError as error:
        return str(error)
    selection = Selection(config.select, config.ignore, config.extend_select, below=Selection())
    # The disk cache serves the files on disk (a buffer's text is analysed afresh), so
    # the first check of a large project costs what a warm `deploylint check` does.
    return config, _options(no_flags, config, root), selection, FileIgnores(config.per_file_ignores)


def fix_all(root: Path, path: str, overlay: dict[str, str]) -> dict[str, tuple[str | None, str]] | str:
    """What `deploylint check --fix` would write for the findings in `path`, pass after pass
    until none is left, starting from the open buffers: {path: (text before, text after)},
    or a message when the configuration is unusable. Nothing is written."""
    from deploylint.fixes import fix_project

    settings = _settings(root)
    if isinstance(settings, str):
        return settings
    _config, options, selection, file_ignores = settings
    outcome = fix_project(Workspace(root), [path], options, selection, unsafe=False, file_ignores=file_ignores, buffers=overlay)
    if not outcome.converged:
        return {}  # as the CLI, which then writes nothing
    return {changed: (outcome.original_text(changed), text) for changed, text in outcome.new_texts.items()}


def check_unit(root: Path, unit: str, overlay: dict[str, str], memos: dict[str, UnitMemos] | None = None):
    """Check every file of one unit, the open buffers read from `overlay`.

    Returns (project, diagnostics), or a message when the configuration is unusable.
    Runs in a worker thread, one at a time; the configuration is re-read each time, as a
    CLI run would. With `memos` (kept between calls, by unit root), the quiet Python files
    that have not changed since the last check are left out: the findings are the same.
    """
    from deploylint.checker import check

    settings = _settings(root)
    if isinstance(settings, str):
        return settings
    config, options, selection, file_ignores = settings
    workspace = Workspace(root)
    workspace.add_files(overlay)  # unsaved new files belong to the walk too
    subjects = set(workspace.walk(unit, stop_at_units=True))
    subjects.update(path for path in overlay if workspace.unit_root(path) == unit)

    def run(paths):
        return check(workspace, sorted(paths), options, selection, overlay=overlay, file_ignores=file_ignores)

    if memos is None:
        return run(subjects)
    python = sorted(path for path in subjects if file_kind(path) == "python")
    others = [path for path in subjects if file_kind(path) != "python"]
    stamps = {path: _stamp(str(root), path, overlay) for path in python}
    key = _memo_key(config)
    unit_memos = memos.get(unit)
    if unit_memos is None or unit_memos.key != key:
        unit_memos = memos[unit] = UnitMemos(key)
    # The Pythons are known only once the unit's other files are read: try the memo of the
    # last check's, then (if they changed) the memo of the new ones, else analyse everything.
    tried: set = set()
    pythons = unit_memos.last
    while pythons is not None and pythons not in tried and pythons in unit_memos.by_pythons:
        tried.add(pythons)
        memo = unit_memos.by_pythons[pythons]
        checked = memo.to_check(stamps)
        result = run(others + checked)
        found = _pythons(result[0], unit)
        if found == pythons:
            memo.update(stamps, checked, result[0])
            unit_memos.remember(pythons, memo)
            return result
        pythons = found
    result = run(subjects)
    pythons = _pythons(result[0], unit)
    if pythons is not None:
        memo = AnalysisMemo()
        memo.update(stamps, python, result[0])
        unit_memos.remember(pythons, memo)
    return result


def _fix_title(diagnostic: Diagnostic) -> str:
    safety = "safe" if diagnostic.fix.applicability is Applicability.SAFE else "unsafe"
    return f"{diagnostic.fix.message} ({diagnostic.code}, {safety} fix)"


def _summary(doc: str) -> str:
    """The first paragraph of a rule's doc, without its "## What it does" heading."""
    lines = [line for line in doc.split("\n\n", 1)[0].splitlines() if not line.startswith("#")]
    return " ".join(lines).strip()


def _knowledge_source(diagnostic: Diagnostic) -> str | None:
    """Where the knowledge behind a removed-API finding (DPL401, DPL402) comes from.

    The finding names the API it is about first, in backquotes (`werkzeug.security.safe_str_cmp`,
    `flask.Flask(...).before_first_request`); the knowledge entry is found by that name.
    """
    if diagnostic.code not in ("DPL401", "DPL402"):
        return None
    match = re.match(r"`([^`]+)`", diagnostic.message)
    if match is None:
        return None
    from deploylint.knowledge import knowledge

    name = match.group(1).replace("(...)", "()")
    api = knowledge().removed_api(name) or knowledge().removed_api(name.split("(", 1)[0].rstrip("."))
    return api.source if api is not None else None


def build_server() -> DeploylintServer:
    server = DeploylintServer()

    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DeploylintServer, params: lsp.DidOpenTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DeploylintServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: DeploylintServer, params: lsp.DidSaveTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DeploylintServer, params: lsp.DidCloseTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri)  # the file on disk takes over from the buffer

    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    async def code_action(ls: DeploylintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
        uri, wanted = params.text_document.uri, params.context.only
        findings = ls.findings.get(uri, [])
        # Some fixes are built on first use (libcst rewrites): off the event loop.
        await asyncio.to_thread(lambda: [finding.diagnostic.fix.edits for finding in findings if finding.diagnostic.fix])
        actions = []
        if not wanted or any(kind.startswith(lsp.CodeActionKind.QuickFix) for kind in wanted):
            for finding in ls.findings_at(uri, params.range):
                fix = finding.diagnostic.fix
                if fix is None or not fix.edits:
                    continue
                actions.append(
                    lsp.CodeAction(
                        title=_fix_title(finding.diagnostic),
                        kind=lsp.CodeActionKind.QuickFix,
                        diagnostics=[ls.lsp_diagnostic(finding)],
                        is_preferred=fix.applicability is Applicability.SAFE,
                        edit=ls.workspace_edit(list(fix.edits), finding.texts),
                    )
                )
        if not wanted or any(FIX_ALL_KIND.startswith(kind) for kind in wanted):
            if any(f.diagnostic.fix and f.diagnostic.fix.applicability is Applicability.SAFE for f in findings):
                action = lsp.CodeAction(title="deploylint: fix all safe fixes", kind=FIX_ALL_KIND, data={"uri": uri})
                # Its edit takes a fix run (pass after pass, as `check --fix`): computed when the
                # editor picks the action, if it can ask; at once when asked for by name (on save).
                lazy = not wanted and ls.resolves_edits()
                if not lazy:
                    action.edit = await ls.fix_all_edit(uri)
                if lazy or action.edit is not None:
                    actions.append(action)
        return actions

    @server.feature(lsp.CODE_ACTION_RESOLVE)
    async def resolve_code_action(ls: DeploylintServer, action: lsp.CodeAction) -> lsp.CodeAction:
        if action.kind == FIX_ALL_KIND and action.edit is None and isinstance(action.data, dict):
            action.edit = await ls.fix_all_edit(action.data.get("uri", "")) or lsp.WorkspaceEdit(changes={})
        return action

    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def hover(ls: DeploylintServer, params: lsp.HoverParams) -> lsp.Hover | None:
        from deploylint.rules import rule_by_code

        point = lsp.Range(start=params.position, end=params.position)
        parts = []
        for finding in ls.findings_at(params.text_document.uri, point):
            diagnostic = finding.diagnostic
            rule = rule_by_code(diagnostic.code)
            parts.append(f"**{diagnostic.code}** {diagnostic.message}")
            if rule is not None:
                parts.append(f"{_summary(rule.doc())}\n\n[{rule.code} {rule.name}]({rule.url()})")
            source = _knowledge_source(diagnostic)
            if source is not None:
                parts.append(f"Source: {source}")
            parts.extend(f"- {item.message}" for item in diagnostic.related)
        if not parts:
            return None
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value="\n\n".join(parts)))

    return server


def serve() -> int:
    build_server().start_io()
    return 0
