"""`extend-knowledge` files: a team's own entries, in the packaged data's schema.

A file may hold three kinds of table, each an array of tables as in the
packaged files:

- `[[removed]]`: a removal, exactly as in removed_apis.toml and
  removed/calls.toml (names, a whole module, keyword/call/result forms,
  package-only methods);
- `[[python_support]]`: a package's releases against a Python, as in
  compat.toml (`first`, `last` or `dropped_in`);
- `[[platform_minimum]]`: the oldest Python a platform may run
  (`platform`, `python`, `source`, optional `why`), which DPL101 enforces.

Every entry is checked here, before any of it is used: a mistake is a
`KnowledgeError` naming the file, the line and the key, and a run with one
loads nothing from any extension file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from deploylint.parsing import toml


class KnowledgeError(Exception):
    """A malformed extension file; the message names the file, line and key."""


@dataclass
class Extension:
    """One file's entries, validated, as the packaged data holds them."""

    origin: str  # the file, as shown in messages and `deploylint knowledge`
    removed: list[dict] = field(default_factory=list)
    python_support: list[dict] = field(default_factory=list)
    platform_minimum: list[dict] = field(default_factory=list)


_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
# A module or callable path; a last part ending in () is an instance (pandas.DataFrame()).
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*(?:\(\))?")
_PROJECT = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_MINOR = re.compile(r"\d+\.\d+")


def _text(value) -> str | None:
    return None if isinstance(value, str) and value.strip() else "must be a non-empty string"


def _identifier(value) -> str | None:
    return None if isinstance(value, str) and _IDENTIFIER.fullmatch(value) else "must be a Python name such as \"make_token\""


def _dotted(value) -> str | None:
    return None if isinstance(value, str) and _DOTTED.fullmatch(value) else "must be a dotted path such as \"acme_auth.tokens\""


def _list_of(check):
    def checked(value) -> str | None:
        if not isinstance(value, list) or not value:
            return "must be a non-empty list"
        problems = [check(item) for item in value]
        return next((f"has {item!r}, which {problem}" for item, problem in zip(value, problems) if problem), None)

    return checked


def _version(value) -> str | None:
    if isinstance(value, str):
        try:
            Version(value)
            return None
        except InvalidVersion:
            pass
    return 'must be a version such as "3.0.0"'


def _specifier(value) -> str | None:
    if isinstance(value, str):
        try:
            SpecifierSet(value)
            return None
        except InvalidSpecifier:
            pass
    return 'must be a version specifier such as ">=2.0"'


def _package(value) -> str | None:
    return None if isinstance(value, str) and _PROJECT.fullmatch(value) else 'must be a distribution name such as "acme-auth"'


def _python(value) -> str | None:
    return None if isinstance(value, str) and _MINOR.fullmatch(value) else 'must be a Python minor version such as "3.11"'


def _fix(value) -> str | None:
    return None if value in ("safe", "unsafe") else 'must be "safe" or "unsafe"'


def _position(value) -> str | None:
    return None if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else "must be a whole number, 0 or more"


def _platform(value) -> str | None:
    from deploylint.deployments import PLATFORMS

    return None if value in PLATFORMS else f"must be one of {', '.join(PLATFORMS)}"


# Every key of each table, with its check; REQUIRED keys must be present.
REMOVED = {
    "module": _dotted,
    "call": _dotted,
    "names": _list_of(_identifier),
    "methods": _list_of(_identifier),
    "keyword": _identifier,
    "missing_argument": _identifier,
    "argument_position": _position,
    "result_attribute": _identifier,
    "aliases": _list_of(_dotted),
    "package": _package,
    "removed_in": _version,
    "restored_in": _version,
    "replacement": _text,
    "replace_with": _text,
    "replacement_needs": _specifier,
    "fix": _fix,
    "fix_note": _text,
    "provided_by": _package,
    "source": _text,
}
PYTHON_SUPPORT = {
    "package": _package,
    "python": _python,
    "first": _version,
    "last": _version,
    "dropped_in": _version,
    "since": _version,
    "why": _text,
    "source": _text,
}
PLATFORM_MINIMUM = {"platform": _platform, "python": _python, "why": _text, "source": _text}
TABLES = {"removed": REMOVED, "python_support": PYTHON_SUPPORT, "platform_minimum": PLATFORM_MINIMUM}
REQUIRED = {
    "removed": ("package", "removed_in", "replacement", "source"),
    "python_support": ("package", "python", "why", "source"),
    "platform_minimum": ("platform", "python", "source"),
}


def read(path: Path, shown: str) -> Extension:
    """The validated entries of one extension file; `shown` names it in messages."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise KnowledgeError(f"{shown}: cannot read: {getattr(error, 'strerror', None) or error}") from None
    try:
        document = toml.parse(text)
    except toml.TOMLDecodeError as error:
        line = text.count("\n", 0, toml.error_position(error, text)) + 1
        raise KnowledgeError(f"{shown}:{line}: not valid TOML: {toml.error_message(error)}") from None
    _Checker(text, document, shown).run()
    data = document.data
    extension = Extension(shown)
    extension.removed = [dict(entry, package=canonicalize_name(entry["package"])) for entry in data.get("removed", ())]
    extension.python_support = [dict(entry, package=canonicalize_name(entry["package"])) for entry in data.get("python_support", ())]
    extension.platform_minimum = list(data.get("platform_minimum", ()))
    return extension


def _hint(key: str, known) -> str:
    import difflib

    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f"; did you mean `{close[0]}`?" if close else f" (known: {', '.join(known)})"


class _Checker:
    def __init__(self, text: str, document: toml.TomlDocument, shown: str) -> None:
        self.text = text
        self.document = document
        self.shown = shown

    def run(self) -> None:
        for key, value in self.document.data.items():
            if key == "as_of":  # the packaged files' date; allowed, and not the knowledge's
                if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                    self.fail((key,), key, f'must be a date such as "2026-11-22", not {value!r}')
                continue
            if key not in TABLES:
                self.fail((key,), key, f"not a table deploylint knows{_hint(key, TABLES)}")
            if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
                self.fail((key,), key, f"must be an array of tables: [[{key}]]")
            for index, entry in enumerate(value):
                self.entry(key, index, entry)

    def entry(self, table: str, index: int, entry: dict) -> None:
        schema = TABLES[table]
        where = (table, index)
        for key, value in entry.items():
            if key not in schema:
                self.fail((*where, key), key, f"not a key of [[{table}]]{_hint(key, schema)}")
            problem = schema[key](value)
            if problem:
                self.fail((*where, key), key, f"{problem}, not {value!r}")
        for key in REQUIRED[table]:
            if key not in entry:
                self.fail(where, key, f"missing from this [[{table}]] entry")
        if table == "removed":
            self.removal_shape(where, entry)
        elif table == "python_support":
            given = [key for key in ("first", "last", "dropped_in") if key in entry]
            if len(given) != 1:
                self.fail(where, "first", "this [[python_support]] entry needs exactly one of `first`, `last` and `dropped_in`")
            if "since" in entry and "first" not in entry:
                self.fail((*where, "since"), "since", "applies only with `first`")

    def removal_shape(self, where: tuple, entry: dict) -> None:
        """The combinations knowledge/__init__.py `_shape` reads (see removed/calls.toml)."""
        forms = [key for key in ("keyword", "missing_argument", "result_attribute") if key in entry]
        if ("module" in entry) == ("call" in entry):
            self.fail(where, "module", "this [[removed]] entry needs exactly one of `module` (names, methods) and `call` (call forms)")
        if "call" in entry:
            if len(forms) != 1:
                self.fail(where, "call", "a `call` entry needs exactly one of `keyword`, `missing_argument` and `result_attribute`")
            for key in ("names", "methods"):
                if key in entry:
                    self.fail((*where, key), key, "belongs with `module`, not `call`")
        else:
            for key in (*forms, "argument_position"):
                if key in entry:
                    self.fail((*where, key), key, "belongs with `call`, not `module`")
            if "names" in entry and "methods" in entry:
                self.fail((*where, "methods"), "methods", "cannot stand beside `names`: one entry has one shape")
            if "aliases" in entry and "methods" not in entry:
                self.fail((*where, "aliases"), "aliases", "applies only to `call` and `methods` entries")
        if ("missing_argument" in entry) != ("argument_position" in entry):
            key = "argument_position" if "missing_argument" in entry else "missing_argument"
            self.fail(where, key, "`missing_argument` and `argument_position` go together")
        if "restored_in" in entry and Version(entry["restored_in"]) <= Version(entry["removed_in"]):
            self.fail((*where, "restored_in"), "restored_in", "must be later than `removed_in`")
        # A name, keyword or call fix rewrites to `replace_with`: one without the other does nothing.
        if "methods" not in entry and "result_attribute" not in entry and ("fix" in entry) != ("replace_with" in entry):
            self.fail(where, "fix" if "replace_with" in entry else "replace_with", "`fix` and `replace_with` go together")

    def fail(self, path: tuple, key: str, problem: str) -> None:
        raise KnowledgeError(f"{self.shown}:{self.line(path)}: `{key}`: {problem}")

    def line(self, path: tuple) -> int:
        """The line of the value at `path`; for an entry, its [[table]] header."""
        spans = self.document.spans
        offset = spans[path][0] if path in spans else None
        if offset is None and len(path) <= 2:  # an array of tables, or one of its entries
            offset = self._header(path[0], path[1] if len(path) == 2 else 0)
        if offset is None:
            inside = [span[0] for key, span in spans.items() if key[: len(path)] == path]
            offset = min(inside, default=0)
        return self.text.count("\n", 0, offset) + 1

    def _header(self, table: str, index: int) -> int | None:
        headers = list(re.finditer(rf"^[ \t]*\[\[[ \t]*{re.escape(table)}[ \t]*\]\]", self.text, re.MULTILINE))
        return headers[index].start() if index < len(headers) else None
