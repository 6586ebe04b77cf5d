"""The content cache: each Python file's analysis, kept on disk between runs.

Reading a Python file (decode, pre-filter, parse, resolve names) is most of a
run's time, and its result depends only on the file's bytes, deploylint's
version, the knowledge (packaged and extended) and the Pythons it is judged
against. That result is stored as plain JSON, one file per entry, under a key
that hashes all of these: a changed file, a new knowledge base or another
target gets another key, and so is analysed afresh. Cross-file rules always
run again, on the facts cached or not.

Safety: an entry is written to a temporary file and renamed into place, so a
concurrent run reads a whole entry or none; an entry that does not parse or
does not match what it claims to be is ignored (and rewritten), never trusted.
Files that could not be decoded are not cached: their DPL001 needs the bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from pathlib import Path

DIRECTORY_NAME = ".deploylint_cache"
_FORMAT = 1  # bump when an entry's layout changes


def _context() -> str:
    """Everything besides the file's bytes and the Pythons that decides its analysis."""
    from deploylint import __version__, knowledge as data

    digest = hashlib.sha256()
    digest.update(f"{_FORMAT}\0{__version__}\0{data.fingerprint(data.data_files())}\0".encode())
    for path in data.extension_paths:
        try:
            digest.update(path.read_bytes())
        except OSError:
            digest.update(b"unreadable")  # then extend() failed already; never match a readable one
        digest.update(b"\0")
    # The pre-filter's switch (a test hook) changes which files are parsed.
    digest.update(os.environ.get("DEPLOYLINT_PREFILTER", "").encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)
        self._context: str | None = None

    def prepare(self) -> None:
        """Compute the context once (before worker processes fork, so they share it)."""
        if self._context is None:
            self._context = _context()

    def key(self, data: bytes, pythons: tuple[str, ...]) -> str:
        self.prepare()
        digest = hashlib.blake2b(digest_size=20)
        digest.update(f"{self._context}\0{','.join(pythons)}\0".encode())
        digest.update(data)
        return digest.hexdigest()

    def _entry(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str, path: str, data: bytes) -> tuple | None:
        """The `_analyse` result stored under `key`, rebuilt for `path`; None when there is
        none, or it is unreadable or inconsistent."""
        try:
            with open(self._entry(key), "rb") as handle:
                entry = json.loads(handle.read())
            if entry["key"] != key:
                return None
            return _rebuild(entry, path, data)
        except (OSError, ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            return None

    def put_all(self, results: list[tuple[str, tuple]]) -> None:
        """Store (key, `_analyse_text` result) pairs; a failure to write only costs speed."""
        numbers: dict = {}  # RemovedApi -> its index in the knowledge, filled on first need
        entries = [(key, _plain(result, numbers)) for key, result in results]
        entries = [(key, entry) for key, entry in entries if entry is not None]
        if not entries:
            return
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not (self.directory / ".gitignore").exists():
                _write_atomically(self.directory / ".gitignore", b"# deploylint's cache: never committed\n*\n")
        except OSError:
            return
        for key, entry in entries:
            self._put(key, entry)

    def _put(self, key: str, entry: dict) -> None:
        entry["key"] = key
        target = self._entry(key)
        try:
            target.parent.mkdir(exist_ok=True)
            _write_atomically(target, json.dumps(entry, separators=(",", ":")).encode())
        except OSError:
            pass


def _write_atomically(target: Path, data: bytes) -> None:
    # A name of this process and thread: concurrent writers never share a temporary file.
    temporary = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass
        raise


def _span(span) -> list[int] | None:
    return [span.start, span.end] if span is not None else None


def _plain(result: tuple, numbers: dict) -> dict | None:
    """An `_analyse` result (path, file, source, problem, lossy) as JSON data; None: not cached."""
    _path, file, source, problem, lossy = result
    if lossy is not None or (problem is not None and file is None):
        return None  # not read or not decoded: cheap to find again, and it needs the bytes
    if problem is not None:
        return {"problem": [problem.span.start, problem.span.end, problem.message]}
    if source is None:
        # Ruled out (pre-filter, or no removed name); the text is kept only for its directives.
        return {"keep": file is not None}
    if not numbers:
        from deploylint.knowledge import knowledge

        # By value, not identity: a worker process sends back copies. The first of equal entries wins.
        for number, api in reversed(list(enumerate(knowledge().removed_apis))):
            numbers[api] = number
    uses = []
    for use in source.uses:
        api = use.api
        uses.append(
            {
                "api": [numbers[api], api.package, api.qualified_name, str(api.removed_in), api.shape],
                "name": use.qualified_name,
                "kind": use.kind,
                "span": _span(use.span),
                "statement": _span(use.statement),
                "references": [_span(reference) for reference in use.references],
            }
        )
    return {"uses": uses}


def _rebuild(entry: dict, path: str, data: bytes) -> tuple | None:
    from deploylint.diagnostics import Span
    from deploylint.text import DecodeProblem, decode_python

    def text():
        return decode_python(path, data)

    try:
        if "problem" in entry:
            from deploylint.project import Problem

            start, end, message = entry["problem"]
            file = text()
            if not (type(start) is int and type(end) is int and 0 <= start <= end <= len(file.text)):
                return None
            return path, file, None, Problem(Span(path, start, end), str(message)), None
        if "keep" in entry:
            if type(entry["keep"]) is not bool:
                return None
            return path, text() if entry["keep"] else None, None, None, None
    except DecodeProblem:
        return None
    from deploylint.knowledge import knowledge
    from deploylint.sources.python import ApiUse, PythonSource

    try:
        file = text()
    except DecodeProblem:
        return None

    def span(offsets) -> Span:
        start, end = offsets
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= len(file.text)):
            raise ValueError("not a span of this file")
        return Span(path, start, end)

    apis = knowledge().removed_apis
    uses = []
    for use in entry["uses"]:
        number, package, qualified_name, removed_in, shape = use["api"]
        api = apis[number]
        # The index is what the key's knowledge makes it; checked all the same.
        if (api.package, api.qualified_name, str(api.removed_in), api.shape) != (package, qualified_name, removed_in, shape):
            return None
        statement = span(use["statement"]) if use["statement"] is not None else None
        references = [span(reference) for reference in use["references"]]
        uses.append(ApiUse(api, str(use["name"]), span(use["span"]), str(use["kind"]), statement, references))
    if not uses:
        return None  # a source is stored only with uses: this entry is not one deploylint wrote
    return path, file, PythonSource(file, uses), None, None
