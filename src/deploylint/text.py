"""Decoded file contents, and the offset <-> line/column arithmetic every reader shares.

Files are decoded without newline translation, so offsets index the exact text
that will be written back, and a fix never changes a file's line endings.
"""

from __future__ import annotations

import bisect
import codecs


class DecodeProblem(Exception):
    """The bytes are not text deploylint can read faithfully."""

    def __init__(self, message: str, offset: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


class SourceText:
    """A file's decoded text. A plain class, not a dataclass: the one-file fast path
    loads this module, and `dataclasses` (with `inspect`) would cost it 8 ms."""

    __slots__ = ("path", "text", "bom", "encoding", "_line_starts")

    def __init__(self, path: str, text: str, bom: bool = False, encoding: str = "utf-8") -> None:
        self.path = path  # workspace-relative, POSIX separators
        self.text = text
        self.bom = bom
        self.encoding = encoding  # Python sources may declare another (PEP 263); requirements may be UTF-16
        self._line_starts: list[int] | None = None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceText):
            return NotImplemented
        return (self.path, self.text, self.bom, self.encoding) == (other.path, other.text, other.bom, other.encoding)

    __hash__ = None  # equal by value, and mutable: never a dict key

    def __repr__(self) -> str:
        return f"SourceText(path={self.path!r}, text={self.text!r}, bom={self.bom!r}, encoding={self.encoding!r})"

    @property
    def line_starts(self) -> list[int]:
        """Offsets where lines start; computed on first use (most files never need them)."""
        if self._line_starts is None:
            starts = [0]
            text = self.text
            index = text.find("\n")
            while index != -1:
                starts.append(index + 1)
                index = text.find("\n", index + 1)
            self._line_starts = starts
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (row, column) of a character offset, columns counted in characters."""
        offset = max(0, min(offset, len(self.text)))
        row = bisect.bisect_right(self.line_starts, offset) - 1
        return row + 1, offset - self.line_starts[row] + 1

    def offset(self, row: int, column: int = 1) -> int:
        """Character offset of a 1-based (row, column); clamps to the text."""
        if row < 1:
            return 0
        if row > len(self.line_starts):
            return len(self.text)
        return min(self.line_starts[row - 1] + column - 1, len(self.text))

    def line_span(self, row: int) -> tuple[int, int]:
        """Offsets of a 1-based line, without its line ending."""
        start = self.offset(row)
        end = self.text.find("\n", start)
        end = len(self.text) if end == -1 else end
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def newline(self) -> str:
        """The line ending this file already uses, for text a fix inserts."""
        index = self.text.find("\n")
        if index > 0 and self.text[index - 1] == "\r":
            return "\r\n"
        return "\n"

    def encode(self, text: str | None = None) -> bytes:
        """Bytes as the file was: same encoding, and its byte-order mark if it had one."""
        body = (self.text if text is None else text).encode(self.encoding)
        return _BOMS[self.encoding] + body if self.bom else body


# The byte-order marks a file may start with, by the codec that reads what follows.
_BOMS = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}

# Readers that decode a UTF-16 file by its byte-order mark: pip's auto_decode
# (pip/_internal/utils/encoding.py) does, for requirements and constraints
# files, so PowerShell's `pip freeze > requirements.txt` (UTF-16 LE with a
# BOM) installs. Every other consumer deploylint models expects UTF-8.
_UTF16_READ_BY = {"requirements": "pip", "constraints": "pip"}


def decode(path: str, data: bytes, *, bom_rejected_by: str | None = None) -> SourceText:
    """Decode a file as its consumer does: UTF-8, or UTF-16 where the consumer reads a BOM.

    A byte-order mark is kept aside (and written back) where the consumer
    tolerates it. UTF-16 is read only for the kinds whose reader decodes it
    (requirements and constraints, which pip decodes by their BOM); anywhere
    else it, and any byte sequence its BOM does not explain, is reported,
    never guessed at.
    """
    from deploylint.workspace import file_kind

    for encoding in ("utf-16-le", "utf-16-be"):
        if data.startswith(_BOMS[encoding]):
            if file_kind(path) not in _UTF16_READ_BY:
                raise DecodeProblem("file is UTF-16 encoded; expected UTF-8")
            return _decode_body(path, data[2:], encoding, True)
    bom = data.startswith(codecs.BOM_UTF8)
    if bom and bom_rejected_by:
        raise DecodeProblem(f"file starts with a UTF-8 byte-order mark, which {bom_rejected_by} rejects")
    return _decode_body(path, data[3:] if bom else data, "utf-8", bom)


def decode_python(path: str, data: bytes) -> SourceText:
    """Decode a Python source as CPython does: BOM, then a PEP 263 coding cookie, then UTF-8."""
    if not data.startswith(b"\xef\xbb\xbf") and b"coding" not in data[: _second_line_end(data)]:
        # No BOM, no cookie: UTF-8, as tokenize would say, without its per-file cost
        # (a fifth of a tree's decoding). A failure is described by the full path.
        try:
            return _decode_body(path, data, "utf-8", False)
        except DecodeProblem:
            pass
    import io
    import tokenize

    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    except SyntaxError as error:
        raise DecodeProblem(str(error)) from None
    bom = encoding == "utf-8-sig"
    if bom:
        return _decode_body(path, data[3:], "utf-8", bom)
    return _decode_body(path, data, encoding, bom)


def _second_line_end(data: bytes) -> int:
    """Where the first two lines end: a coding cookie is read from them only."""
    first = data.find(b"\n")
    if first == -1:
        return len(data)
    second = data.find(b"\n", first + 1)
    return len(data) if second == -1 else second


def _decode_body(path: str, body: bytes, encoding: str, bom: bool) -> SourceText:
    """Decode what follows any byte-order mark; a failure names its position."""
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError as error:
        name = {"utf-8": "UTF-8", "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE"}.get(encoding, encoding)
        raise DecodeProblem(f"invalid {name} ({error.reason})", _char_offset(body, error.start, encoding)) from None
    except LookupError:
        raise DecodeProblem(f"unknown encoding {encoding!r}") from None
    if "\x00" in text:
        raise DecodeProblem("file contains a NUL byte", text.index("\x00"))
    return SourceText(path, text, bom=bom, encoding=encoding)


def lossy(path: str, data: bytes) -> SourceText:
    """A best-effort text, only for turning a problem's offset into a line and column.

    Decoded as the failed decode read it: the body after any byte-order mark,
    in the BOM's encoding, so the problem's offset lands on the right line.
    """
    for encoding, bom in _BOMS.items():
        if data.startswith(bom):
            return SourceText(path, data[len(bom) :].decode(encoding, errors="replace"))
    return SourceText(path, data.decode("utf-8", errors="replace"))


def _char_offset(data: bytes, byte_offset: int, encoding: str) -> int:
    return len(data[:byte_offset].decode(encoding, errors="replace"))
