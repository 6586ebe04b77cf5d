"""TOML values with their positions.

`tomllib` (or `tomli`) is the judge of validity and the source of values; it
keeps no positions, so a small scanner walks the already-validated text and
records the span of every key's value and every array item, keyed by path.
"""

from __future__ import annotations

import re
import sys

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

TOMLDecodeError = tomllib.TOMLDecodeError

Path = tuple  # of str keys and int array indices


class TomlDocument:
    """A document's values, with where each was written. A plain class: the one-file
    fast path reads the settings with this module, and `dataclasses` would cost it 8 ms."""

    def __init__(self, data: dict, spans: dict | None = None, entries: dict | None = None) -> None:
        self.data = data
        # path -> (start, end) of the value's text, e.g. ("phases", "install", "cmds", 0)
        self.spans: dict[Path, tuple[int, int]] = spans if spans is not None else {}
        # path -> (start, end) of the whole `key = value` line entry, for removals
        self.entries: dict[Path, tuple[int, int]] = entries if entries is not None else {}

    def span(self, path: Path, default: tuple[int, int] = (0, 0)) -> tuple[int, int]:
        while path:
            if path in self.spans:
                return self.spans[path]
            path = path[:-1]
        return default


def parse(text: str) -> TomlDocument:
    data = tomllib.loads(text)
    document = TomlDocument(data)
    try:
        _Scanner(text, document).run()
    except (IndexError, ValueError, TOMLDecodeError):
        # Positions are a convenience; the values above are already correct.
        pass
    return document


def error_position(error: Exception, text: str) -> int:
    """Character offset of a TOMLDecodeError (it reports '(at line L, column C)')."""
    match = re.search(r"at line (\d+), column (\d+)", str(error))
    if not match:
        return len(text) if "end of document" in str(error) else 0
    row, column = int(match.group(1)), int(match.group(2))
    lines = text.split("\n")
    offset = sum(len(line) + 1 for line in lines[: row - 1])
    return min(offset + column - 1, len(text))


def error_message(error: Exception) -> str:
    return re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_WS = re.compile(r"[ \t]*")
_WS_NL_COMMENTS = re.compile(r"(?:[ \t\r\n]+|#[^\n]*)*")


class _Scanner:
    def __init__(self, text: str, document: TomlDocument) -> None:
        self.text = text
        self.pos = 0
        self.doc = document
        self.table: Path = ()
        self.array_tables: dict[Path, int] = {}

    def run(self) -> None:
        text = self.text
        while True:
            self.pos = _WS_NL_COMMENTS.match(text, self.pos).end()
            if self.pos >= len(text):
                return
            if text.startswith("[[", self.pos):
                self.pos += 2
                keys = self.key()
                self.expect("]]")
                path = self.resolve(keys[:-1]) + (keys[-1],)
                index = self.array_tables.get(path, -1) + 1
                self.array_tables[path] = index
                self.table = path + (index,)
            elif text[self.pos] == "[":
                self.pos += 1
                keys = self.key()
                self.expect("]")
                self.table = self.resolve(keys)
            else:
                entry_start = self.pos
                keys = self.key()
                self.skip_ws()
                self.expect("=")
                self.skip_ws()
                path = self.table + tuple(keys)
                self.value(path)
                line_end = text.find("\n", self.pos)
                self.doc.entries[path] = (entry_start, len(text) if line_end == -1 else line_end + 1)

    def resolve(self, keys: list[str]) -> Path:
        """Insert the current index of any array of tables along a table path."""
        path: Path = ()
        for key in keys:
            path += (key,)
            if path in self.array_tables:
                path += (self.array_tables[path],)
        return path

    def skip_ws(self) -> None:
        self.pos = _WS.match(self.text, self.pos).end()

    def expect(self, token: str) -> None:
        self.skip_ws()
        if not self.text.startswith(token, self.pos):
            raise ValueError(f"expected {token!r}")
        self.pos += len(token)

    def key(self) -> list[str]:
        keys = []
        while True:
            self.skip_ws()
            char = self.text[self.pos]
            if char in "\"'":
                start = self.pos
                self.string_end()
                keys.append(tomllib.loads("k = " + self.text[start : self.pos])["k"])
            else:
                match = _BARE_KEY.match(self.text, self.pos)
                if not match:
                    raise ValueError("bad key")
                keys.append(match.group())
                self.pos = match.end()
            self.skip_ws()
            if self.text.startswith(".", self.pos):
                self.pos += 1
                continue
            return keys

    def string_end(self) -> None:
        """Advance past a string literal of any of TOML's four kinds."""
        text = self.text
        for quote, escapes in (('"""', True), ("'''", False)):
            if text.startswith(quote, self.pos):
                index = self.pos + 3
                while True:
                    index = text.index(quote, index)
                    if escapes and _escaped(text, index):
                        index += 1
                        continue
                    # A closing delimiter may be followed by up to two more quotes.
                    while text.startswith(quote[0], index + 3):
                        index += 1
                    self.pos = index + 3
                    return
        quote = text[self.pos]
        index = self.pos + 1
        while True:
            index = text.index(quote, index)
            if quote == '"' and _escaped(text, index):
                index += 1
                continue
            self.pos = index + 1
            return

    def value(self, path: Path) -> None:
        text = self.text
        start = self.pos
        char = text[self.pos]
        if char in "\"'":
            self.string_end()
        elif char == "[":
            self.pos += 1
            index = 0
            while True:
                self.pos = _WS_NL_COMMENTS.match(text, self.pos).end()
                if text[self.pos] == "]":
                    self.pos += 1
                    break
                self.value(path + (index,))
                index += 1
                self.pos = _WS_NL_COMMENTS.match(text, self.pos).end()
                if text[self.pos] == ",":
                    self.pos += 1
        elif char == "{":
            self.pos += 1
            while True:
                self.pos = _WS_NL_COMMENTS.match(text, self.pos).end()
                if text[self.pos] == "}":
                    self.pos += 1
                    break
                keys = self.key()
                self.expect("=")
                self.skip_ws()
                self.value(path + tuple(keys))
                self.pos = _WS_NL_COMMENTS.match(text, self.pos).end()
                if text[self.pos] == ",":
                    self.pos += 1
        else:
            match = re.compile(r"[^,\]}\n#]*").match(text, self.pos)
            self.pos = start + len(match.group().rstrip(" \t\r"))
        self.doc.spans[path] = (start, self.pos)


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def string_content_offset(text: str, span: tuple[int, int], value: str) -> int | None:
    """Offset of value[0] inside a string literal's span, when the literal is raw.

    Lets a reader point at a word inside a string (a requirement inside a pip
    command) when the literal holds the characters verbatim, i.e. no escapes.
    """
    start, end = span
    literal = text[start:end]
    for quote in ('"""', "'''", '"', "'"):
        if literal.startswith(quote) and literal.endswith(quote):
            body_start = start + len(quote)
            body = text[body_start : end - len(quote)]
            if quote in ('"""', "'''") and body.startswith(("\n", "\r\n")):
                skip = 1 if body.startswith("\n") else 2
                body_start += skip
                body = body[skip:]
            if body == value:
                return body_start
            return None
    return None
