"""`deploylint check --add-noqa`: suppress every current finding where it is.

A finding in a file with comments gets a `# deploylint: ignore[CODE]` where
suppressions.directives() will read it as covering the finding: at the end of
its line, or, in a Dockerfile, on a line of its own before its instruction.
A directive already covering the line takes the new code instead, and the
codes of one place share one directive. JSON has no comments, so a JSON
finding gets a `per-file-ignores` entry in the configuration, with a JSON
pointer to the value it is in.

Every edit is checked before anything is written: the file must mean what it
meant (a `#` inside a YAML block scalar, a TOML multi-line string or after a
line continuation would change a value), and its directives must cover the
finding. Where neither a comment nor a pointer can do it (a file that cannot
be decoded, a finding inside a block scalar), the entry ignores the code in
that whole file. DPL003 later removes what no longer suppresses anything.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from deploylint.diagnostics import Diagnostic
from deploylint.suppressions import COMMENTED_KINDS, directives
from deploylint.text import SourceText, decode
from deploylint.workspace import file_kind

# DPL003 reports directives themselves; no directive or per-file-ignores entry can hide it.
UNSUPPRESSIBLE = frozenset({"DPL003"})


@dataclass
class Plan:
    """What --add-noqa will write."""

    new_texts: dict[str, str] = field(default_factory=dict)  # workspace path -> text with the directives
    directives_added: int = 0  # written, or extended with a code
    file_ignores: dict[str, list[str]] = field(default_factory=dict)  # per-file-ignores key -> codes
    left: list[Diagnostic] = field(default_factory=list)  # nothing can suppress these


def plan(diagnostics: list[Diagnostic], files: dict[str, SourceText]) -> Plan:
    result = Plan()
    by_file: dict[str, list[Diagnostic]] = {}
    for diagnostic in diagnostics:
        if diagnostic.code in UNSUPPRESSIBLE:
            result.left.append(diagnostic)
        else:
            by_file.setdefault(diagnostic.span.path, []).append(diagnostic)
    for path, found in sorted(by_file.items()):
        file = files.get(path)
        leftover = found
        if file is not None and _is_json(path):
            leftover = []
            for diagnostic in found:
                pointer = _pointer_at(file, diagnostic.span.start)
                if pointer and "#" not in path:
                    _add(result.file_ignores, f"{_pattern(path)}#{pointer}", diagnostic.code)
                else:
                    leftover.append(diagnostic)
        elif file is not None and file_kind(path) in COMMENTED_KINDS:
            text, count, leftover = _with_directives(file, found)
            if count:
                result.new_texts[path] = text
                result.directives_added += count
        for diagnostic in leftover:  # the whole file, for this code
            if "#" in path:
                result.left.append(diagnostic)  # a per-file-ignores key reads what follows `#` as a pointer
            else:
                _add(result.file_ignores, _pattern(path), diagnostic.code)
    return result


def _add(table: dict[str, list[str]], key: str, code: str) -> None:
    codes = table.setdefault(key, [])
    if code not in codes:
        codes.append(code)


def _is_json(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return name.endswith(".json") or name == "Pipfile.lock"


def _pattern(path: str) -> str:
    """A .gitignore pattern for exactly this workspace path (a slash anchors it)."""
    escaped = re.sub(r"([*?\[\\])", r"\\\1", path)
    if escaped.startswith("!"):
        escaped = "\\" + escaped
    return escaped if "/" in escaped else "/" + escaped


# -- comments ---------------------------------------------------------------


def _with_directives(file: SourceText, found: list[Diagnostic]) -> tuple[str, int, list[Diagnostic]]:
    """The file's text with a directive for each finding it can take, how many
    directives were written or extended, and the findings no comment can cover."""
    kind = file_kind(file.path)
    existing = [d for d in directives(file) if not d.whole_file and d.codes is not None and d.codes_span is not None]
    merges: dict[int, list[str]] = {}  # offset of an existing directive's codes' end -> codes to add
    places: dict[int, list[str]] = {}  # offset where a new directive goes -> its codes
    anchors: list[tuple[Diagnostic, int]] = []
    instructions = _dockerfile_instructions(file) if kind == "dockerfile" else ()
    unplaced = []
    for diagnostic in found:
        line = file.position(diagnostic.span.start)[0]
        covering = next((d for d in existing if line in d.lines), None)
        if covering is not None:
            _append(merges.setdefault(covering.codes_span[1], []), diagnostic.code)
            anchors.append((diagnostic, line))
            continue
        if kind == "dockerfile":
            instruction = next((i for i in instructions if i.start_line <= line <= i.end_line), None)
            if instruction is None:
                unplaced.append(diagnostic)
                continue
            offset = file.offset(instruction.start_line)
        else:
            offset = file.line_span(line)[1]
        _append(places.setdefault(offset, []), diagnostic.code)
        anchors.append((diagnostic, line))

    newline = file.newline()
    inserts: list[tuple[int, str]] = []
    for offset, codes in merges.items():
        inserts.append((offset, (", " if file.text[:offset].rstrip()[-1:] not in ("[", ",", ":") else "") + ", ".join(codes)))
    for offset, codes in places.items():
        directive = f"# deploylint: ignore[{', '.join(codes)}]"
        if kind == "dockerfile":
            indent = re.match(r"[ \t]*", file.text[offset:]).group()
            inserts.append((offset, f"{indent}{directive}{newline}"))
        else:
            inserts.append((offset, f"  {directive}"))
    if not inserts:
        return file.text, 0, unplaced
    text = file.text
    for offset, content in sorted(inserts, reverse=True):
        text = text[:offset] + content + text[offset:]

    # Check the result: the same meaning, and every finding covered where it now lies.
    after = SourceText(file.path, text)
    if not _same_meaning(kind, file.text, text):
        return file.text, 0, found
    written = directives(after)

    def moved(offset: int) -> int:
        return offset + sum(len(content) for at, content in inserts if at <= offset)

    for diagnostic, _ in anchors:
        line = after.position(moved(diagnostic.span.start))[0]
        if not any(d.covers(diagnostic.code, line) for d in written):
            return file.text, 0, found
    return text, len(places) + len(merges), unplaced


def _append(codes: list[str], code: str) -> None:
    if code not in codes:
        codes.append(code)


def _dockerfile_instructions(file: SourceText) -> tuple:
    try:
        from dockerfile import parse_string

        return parse_string(file.text)
    except Exception:  # BuildKit rejects it (DPL001): no instruction to put a comment before
        return ()


def _same_meaning(kind: str, before: str, after: str) -> bool:
    """Does `after` (with comments added) read as `before` does to the file's consumer?
    A file its consumer cannot read either way (DPL001) is judged by its directives alone."""
    try:
        reference = _meaning(kind, before)
    except Exception:
        return True
    try:
        return _meaning(kind, after) == reference
    except Exception:
        return False


_TOML_KINDS = frozenset({"pyproject", "nixpacks", "netlify", "railway", "pipfile"})
_YAML_KINDS = frozenset({"github-workflow", "render", "app-engine", "sam", "serverless"})


def _meaning(kind: str, text: str):
    if kind == "python":
        import io
        import tokenize

        skip = (tokenize.COMMENT, tokenize.NL)
        return [(t.type, t.string) for t in tokenize.generate_tokens(io.StringIO(text).readline) if t.type not in skip]
    if kind in _TOML_KINDS:
        from deploylint.parsing.toml import tomllib

        return tomllib.loads(text)
    if kind in _YAML_KINDS:
        import yaml

        # Tokens, not loaded values: templates' own tags (!Ref) need no constructor.
        return [(type(t).__name__, getattr(t, "value", None)) for t in yaml.scan(text)]
    if kind == "dockerfile":
        from dockerfile import parse_string

        return [(c.cmd, c.sub_cmd, c.json, c.flags, c.value, c.heredocs) for c in parse_string(text)]
    # requirements, constraints, .tool-versions, Procfile: lines joined where
    # they end in a backslash (pip does), then comments stripped.
    lines, pending = [], ""
    for line in text.splitlines():
        if line.endswith("\\"):
            pending += line[:-1]
            continue
        line, pending = pending + line, ""
        line = re.sub(r"(^|[ \t]+)#.*$", "", line).strip()
        if line:
            lines.append(line)
    return lines, pending


# -- JSON pointers ----------------------------------------------------------


def _pointer_at(file: SourceText, offset: int) -> str | None:
    """The pointer of the innermost JSON value (with its key) holding `offset`;
    None at the top (the whole file) or when the file does not parse."""
    from deploylint.parsing import json as jsonc

    try:
        node = jsonc.parse(file.text)
    except jsonc.JSONError:
        return None
    while True:
        child = None
        if isinstance(node, jsonc.JObject):
            child = next((m.value for m in node.members if m.key_start <= offset < m.value.end), None)
        elif isinstance(node, jsonc.JArray):
            child = next((item for item in node.items if item.start <= offset < item.end), None)
        if child is None:
            break
        node = child
    return node.pointer or None


# -- the configuration ------------------------------------------------------


def config_target(config_path: Path | None, root: Path) -> Path:
    """Where the entries go: the configuration in use, else a new .deploylint.toml at the root."""
    return config_path if config_path is not None else root / ".deploylint.toml"


def read_config(path: Path) -> SourceText | None:
    """The configuration file as it is (None: it does not exist yet), to be edited in its own encoding."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    return decode(path.name, data)


def with_file_ignores(original: str | None, entries: dict[str, list[str]], in_pyproject: bool) -> str | None:
    """The configuration text with `entries` added to its per-file-ignores,
    everything else as it was; None when no safe text edit does it (the table
    written inline, say): then the entries are for the user to add."""
    from deploylint.parsing.toml import tomllib

    newline = "\r\n" if original and "\r\n" in original else "\n"
    # A new file says what it is for: per-file-ignores alone is a puzzle to the next reader.
    text = original if original is not None else f"# deploylint's settings: README, \"Configure it\".{newline}"
    try:
        before = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    table_path = ("tool", "deploylint", "per-file-ignores") if in_pyproject else ("per-file-ignores",)
    existing = _get(before, table_path) or {}
    if not isinstance(existing, dict):
        return None

    header = _header(text, table_path)
    new_lines = []
    for key, codes in entries.items():
        if key in existing:
            missing = [code for code in codes if code not in existing[key]]
            if missing:
                text = _extend_array(text, key, missing, header)
                if text is None:
                    return None
        else:
            new_lines.append(f"{json.dumps(key, ensure_ascii=False)} = {json.dumps(codes)}")
    if new_lines:
        body = newline.join(new_lines) + newline
        if header is not None:
            at = _table_end(text, header.end())
            text = text[:at] + ("" if at == 0 or text[:at].endswith("\n") else newline) + body + text[at:]
        elif existing:
            return None  # per-file-ignores is there, but not as a [table] to add lines to
        else:
            name = "tool.deploylint.per-file-ignores" if in_pyproject else "per-file-ignores"
            section = f"[{name}]{newline}{body}"
            parent = _header(text, ("tool", "deploylint")) if in_pyproject else None
            at = _table_end(text, parent.end()) if parent is not None else len(text)
            lead = "" if at == 0 else (newline if text[:at].endswith("\n") else newline * 2)
            rest = text[at:]
            tail = newline if rest.strip() and not rest.startswith(("\n", "\r\n")) else ""  # one blank line before what follows
            text = text[:at] + lead + section + tail + text[at:]

    # Nothing else may have changed, and the entries must read back as meant.
    try:
        after = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return None
    expected = {key: list(codes) for key, codes in existing.items()}
    for key, codes in entries.items():
        expected[key] = expected.get(key, []) + [code for code in codes if code not in expected.get(key, [])]
    if _get(after, table_path) != expected or _without(after, table_path) != _without(before, table_path):
        return None
    return text


def _get(document: dict, path: tuple[str, ...]):
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return None
        document = document[key]
    return document


def _without(document: dict, path: tuple[str, ...]) -> dict:
    """The document without the table at `path`, nor the tables left empty above it."""
    import copy

    document = copy.deepcopy(document)
    for depth in range(len(path), 0, -1):
        parent = _get(document, path[: depth - 1])
        if not isinstance(parent, dict):
            break
        if depth < len(path) and parent.get(path[depth - 1]) != {}:
            break
        parent.pop(path[depth - 1], None)
    return document


def _key_pattern(key: str) -> str:
    return rf"""(?:{re.escape(key)}|"{re.escape(key)}"|'{re.escape(key)}')"""


def _header(text: str, path: tuple[str, ...]):
    dotted = r"[ \t]*\.[ \t]*".join(_key_pattern(key) for key in path)
    return re.search(rf"^[ \t]*\[[ \t]*{dotted}[ \t]*\][ \t]*(?:#[^\r\n]*)?\r?$", text, re.MULTILINE)


def _table_end(text: str, start: int) -> int:
    """Where a table's last line (not its trailing blank lines or the next header's comments) ends."""
    following = re.compile(r"^[ \t]*\[", re.MULTILINE).search(text, start)
    end = following.start() if following else len(text)
    body = text[start:end]
    lines = body.splitlines(keepends=True)
    while lines and (not lines[-1].strip() or (following and lines[-1].lstrip().startswith("#"))):
        lines.pop()
    return start + sum(len(line) for line in lines) if lines else (text.find("\n", start) + 1 or len(text))


def _extend_array(text: str, key: str, codes: list[str], header) -> str | None:
    """Add codes to the array of an existing `key = [...]` entry of the table."""
    if header is None:
        return None
    entry = re.compile(rf"^[ \t]*{_key_pattern(key)}[ \t]*=[ \t]*\[", re.MULTILINE).search(text, header.end())
    if entry is None:
        return None
    close = text.find("]", entry.end())
    if close == -1:
        return None
    inside = text[entry.end() : close].rstrip()
    at = entry.end() + len(inside)
    listed = ", ".join(json.dumps(code) for code in codes)
    if not inside.strip():
        addition = listed
    elif inside.endswith(","):
        addition = f" {listed},"
    else:
        addition = f", {listed}"
    return text[:at] + addition + text[at:]


def relative(path: Path, root: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), os.path.realpath(root))).as_posix()
