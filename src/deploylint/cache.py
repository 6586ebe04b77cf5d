"""The content cache: each Python file's analysis, kept on disk between runs.

Reading a Python file (decode, pre-filter, parse, resolve names) is most of a
run's time, and its result depends only on the file's bytes, deploylint's
code, the knowledge (packaged and extended) and the Pythons it is judged
against. Like ruff's, the cache is one index file per workspace and context
(deploylint's version and code, the knowledge), holding for each Python file
its size, modification time, content hash, Pythons and analysis:

- a file whose size and modification time match its entry is not read at all,
  unless its analysis points into its text (a use, a directive, a DPL001):
  then it is read and its hash checked;
- a file whose stats differ is read and hashed; the same hash reuses the
  analysis (a checkout or a `touch` does not cost a parse), another is
  analysed afresh;
- a file modified within two seconds of being read is stored without its
  modification time ("racily clean", as git calls it): a second write in the
  same clock tick could keep both the size and the time, so the next run
  hashes it rather than trust its stats.

Cross-file rules always run again, on the facts, cached or not.

Safety: the index is written to a temporary file and renamed into place, so a
concurrent run reads a whole index or none; before writing, the index on disk
is read again and this run's entries laid over it, so concurrent runs lose
little of each other's work. An index or an entry that does not parse, or does
not match what it claims to be, is ignored (and rewritten), never trusted.
Files that could not be read or decoded are not cached: their DPL001 needs
the bytes.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from deploylint.limits import MAX_PYTHON_BYTES

DIRECTORY_NAME = ".deploylint_cache"
_FORMAT = 2  # bump when the index's layout changes
# A file modified this close to the moment it was read may change again
# without its stats changing (coarse clocks; FAT keeps two seconds).
RACY_NANOSECONDS = 2_000_000_000
_PACKAGE = Path(__file__).parent


def digest(data: bytes) -> str:
    # SHA-256, cut to 128 bits: CPUs hash it in hardware (twice blake2b's speed here).
    # Imported here: a warm run that reads no file never loads OpenSSL (4 ms).
    import hashlib

    return hashlib.sha256(data).hexdigest()[:32]


# The code an analysis comes from (with the knowledge/ folder): deploylint's version
# names a release, but a working copy keeps its version while this code changes.
_ANALYSIS_CODE = (
    "cache.py",
    "limits.py",
    "project.py",
    "suppressions.py",
    "text.py",
    "sources/python.py",
    "sources/python_prefilter.py",
)


def _code_and_knowledge() -> list[str]:
    """The name, size and modification time of the analysis code and of every knowledge
    file: a changed one starts a new index. Stats rather than contents: read on every run."""
    found = []
    paths = [_PACKAGE / name for name in _ANALYSIS_CODE]
    for folder in (_PACKAGE / "knowledge", _PACKAGE / "knowledge" / "removed"):
        try:
            paths += sorted(path for path in folder.iterdir() if path.suffix in (".py", ".toml", ".json"))
        except OSError:
            found.append(f"{folder}:unreadable")
    for path in paths:
        try:
            stat = path.stat()
            found.append(f"{path}:{stat.st_size}:{stat.st_mtime_ns}")
        except OSError:
            found.append(f"{path}:unreadable")
    return found


def _context(root: Path) -> str:
    """Everything but a file's bytes and Pythons that decides its analysis, and the workspace
    (one cache directory may serve several, through DEPLOYLINT_CACHE_DIR)."""
    from deploylint import __version__
    from deploylint.knowledge import checksum, extension_paths

    parts = [f"{_FORMAT}\0{__version__}\0{root.resolve()}", *_code_and_knowledge()]
    for path in extension_paths:
        try:
            parts.append(path.read_text("utf-8", errors="replace"))
        except OSError:
            parts.append("unreadable")  # then extend() failed already; never match a readable one
    # The pre-filter's switch (a test hook) changes which files are parsed.
    parts.append(os.environ.get("DEPLOYLINT_PREFILTER", ""))
    return checksum("\0".join(parts).encode())


class Stamp:
    """What a file was when it was read: its stats and its hash. The stats are taken
    before the read, so a change during the read leaves them older than the bytes, and
    the next run hashes the file again."""

    __slots__ = ("mtime_ns", "size", "digest")

    def __init__(self, mtime_ns: int, size: int, digest: str) -> None:
        self.mtime_ns, self.size, self.digest = mtime_ns, size, digest


class Cache:
    def __init__(self, directory: Path, root: Path) -> None:
        self.directory = Path(directory)
        self.root = root
        self._root_text = str(root)
        self._index_path: Path | None = None
        self._entries: dict[str, list] | None = None
        self._changed: dict[str, list] = {}
        self._started_ns = time.time_ns()
        self._numbers: dict = {}  # RemovedApi -> its index in the knowledge, filled on first need

    def _load(self) -> dict[str, list]:
        if self._entries is None:
            self._index_path = self.directory / f"index-{_context(self.root)}.json"
            self._entries = _read_index(self._index_path)
        return self._entries

    def prepare(self) -> None:
        """Read the index once, in this process (before worker processes fork)."""
        self._load()

    def lookup(self, path: str, pythons: tuple[str, ...]) -> tuple | None:
        """The `_analyse` result kept for `path` if it still holds, rebuilt; else None."""
        entry = self._load().get(path)
        if not (type(entry) is list and len(entry) == 5 and entry[3] == ",".join(pythons)):
            return None
        mtime_ns, size, known_digest, _pythons, plain = entry
        full = os.path.join(self._root_text, path)  # a str, not a Path: this runs for every file
        try:
            stat = os.stat(full)
        except OSError:
            return None
        if mtime_ns == stat.st_mtime_ns and size == stat.st_size:
            if type(plain) is dict and plain.get("keep") is False:
                return path, None, None, None, None  # most files: nothing to read, nothing to rebuild
            data = None
        else:
            data = _read(full, stat.st_size)
            if data is None or digest(data) != known_digest:
                return None
            self._changed[path] = self._entry(Stamp(stat.st_mtime_ns, stat.st_size, known_digest), pythons, plain)

        def same_bytes() -> bytes | None:
            # Read after all (the analysis points into the text): then checked, never trusted.
            if data is not None:
                return data
            read = _read(full, size)
            return read if read is not None and digest(read) == known_digest else None

        try:
            return _rebuild(plain, path, same_bytes)
        except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError):
            return None

    def store(self, path: str, stamp: Stamp, pythons: tuple[str, ...], result: tuple) -> None:
        """Keep one fresh `_analyse` result (written by `save`)."""
        plain = _plain(result, self._numbers)
        if plain is not None:
            self._changed[path] = self._entry(stamp, pythons, plain)

    def _entry(self, stamp: Stamp, pythons: tuple[str, ...], plain) -> list:
        racy = stamp.mtime_ns >= self._started_ns - RACY_NANOSECONDS
        return [None if racy else stamp.mtime_ns, stamp.size, stamp.digest, ",".join(pythons), plain]

    def save(self) -> None:
        """Write what changed, over the index as it is on disk now; a failure only costs speed."""
        if not self._changed or self._index_path is None:
            return
        current = _read_index(self._index_path)
        current.update(self._changed)
        # Entries of files that are gone would otherwise stay for good.
        current = {path: entry for path, entry in current.items() if path in self._changed or (self.root / path).is_file()}
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            if not (self.directory / ".gitignore").exists():
                _write_atomically(self.directory / ".gitignore", b"# deploylint's cache: never committed\n*\n")
                # The cache directory tag (https://bford.info/cachedir/): backups skip it.
                _write_atomically(self.directory / "CACHEDIR.TAG", b"Signature: 8a477f597d28d172789f06886806bc55\n")
            _write_atomically(self._index_path, json.dumps({"format": _FORMAT, "entries": current}, separators=(",", ":")).encode())
            _drop_stale_indexes(self.directory)
        except OSError:
            pass
        self._changed = {}


# An index nobody wrote for this long belongs to an old version, knowledge or checkout.
STALE_INDEX_SECONDS = 30 * 24 * 3600


def _drop_stale_indexes(directory: Path) -> None:
    cutoff = time.time() - STALE_INDEX_SECONDS
    for index in directory.glob("index-*.json"):
        try:
            if index.stat().st_mtime < cutoff:
                index.unlink()
        except OSError:
            pass


def _read_index(path: Path) -> dict[str, list]:
    try:
        with open(path, "rb") as handle:
            index = json.loads(handle.read())
    except (OSError, ValueError, RecursionError):
        return {}
    if type(index) is not dict or index.get("format") != _FORMAT or type(index.get("entries")) is not dict:
        return {}
    return index["entries"]


def _read(full: str, size: int) -> bytes | None:
    """The file's bytes, if it still has `size` of them; None past the size limit for
    Python files (the analysis afresh reports that), or when it cannot be read."""
    if size > MAX_PYTHON_BYTES:
        return None
    try:
        with open(full, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return data if len(data) == size else None


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


def _rebuild(entry: dict, path: str, read) -> tuple | None:
    """An `_analyse` result from its plain form; `read()` gives the file's bytes (or None)."""
    from deploylint.diagnostics import Span
    from deploylint.text import DecodeProblem, decode_python

    if entry.get("keep") is False:
        return path, None, None, None, None  # the common case: nothing to read
    data = read()
    if data is None:
        return None
    try:
        file = decode_python(path, data)
    except DecodeProblem:
        return None
    if "keep" in entry:
        return (path, file, None, None, None) if entry["keep"] is True else None

    def span(offsets) -> Span:
        start, end = offsets
        if not (type(start) is int and type(end) is int and 0 <= start <= end <= len(file.text)):
            raise ValueError("not a span of this file")
        return Span(path, start, end)

    if "problem" in entry:
        from deploylint.project import Problem

        start, end, message = entry["problem"]
        return path, file, None, Problem(span([start, end]), str(message)), None
    from deploylint.knowledge import knowledge
    from deploylint.sources.python import ApiUse, PythonSource

    apis = knowledge().removed_apis
    uses = []
    for use in entry["uses"]:
        number, package, qualified_name, removed_in, shape = use["api"]
        api = apis[number]
        # The index is what the context's knowledge makes it; checked all the same.
        if (api.package, api.qualified_name, str(api.removed_in), api.shape) != (package, qualified_name, removed_in, shape):
            return None
        statement = span(use["statement"]) if use["statement"] is not None else None
        references = [span(reference) for reference in use["references"]]
        uses.append(ApiUse(api, str(use["name"]), span(use["span"]), str(use["kind"]), statement, references))
    if not uses:
        return None  # a source is stored only with uses: this entry is not one deploylint wrote
    return path, file, PythonSource(file, uses), None, None
