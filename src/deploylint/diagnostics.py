"""What rules produce: diagnostics, and the fixes some of them carry."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, order=True)
class Span:
    """A range of characters in one workspace file (offsets into its decoded text)."""

    path: str
    start: int
    end: int


class Applicability(str, enum.Enum):
    # As ruff: a safe fix keeps behaviour or repairs what cannot work at all;
    # an unsafe one may change behaviour and needs --unsafe-fixes.
    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Edit:
    """Replace text[start:end] of a file with `content`. A missing file reads as ""."""

    path: str
    start: int
    end: int
    content: str


class Fix:
    """The rewrite that resolves a diagnostic.

    Some edits (libcst rewrites of Python) cost far more to build than the
    finding did, so a rule may pass `build` instead of `edits`: the edits are
    built on first use, which check mode with text output never makes. A
    build that fails returns no edits, and `settle_fixes` drops the fix.
    """

    __slots__ = ("message", "applicability", "_edits", "_build")

    def __init__(
        self,
        message: str,
        applicability: Applicability,
        edits: tuple[Edit, ...] = (),
        build: Callable[[], tuple[Edit, ...]] | None = None,
    ) -> None:
        self.message = message
        self.applicability = applicability
        self._edits = edits
        self._build = build

    @property
    def edits(self) -> tuple[Edit, ...]:
        if self._build is not None:
            self._edits, self._build = self._build(), None
        return self._edits

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Fix):
            return NotImplemented
        return (self.message, self.applicability, self.edits) == (other.message, other.applicability, other.edits)

    def __repr__(self) -> str:
        return f"Fix({self.message!r}, {self.applicability!r}, {self.edits!r})"


@dataclass(frozen=True)
class Related:
    """Another place that is part of the evidence for a diagnostic."""

    span: Span
    message: str


@dataclass
class Diagnostic:
    code: str
    message: str
    span: Span
    fix: Fix | None = None
    related: tuple[Related, ...] = field(default_factory=tuple)

    def sort_key(self) -> tuple:
        return (self.span.path, self.span.start, self.code, self.message)


def settle_fixes(diagnostics: list[Diagnostic]) -> None:
    """Build every deferred fix now, and drop the ones that could not be built."""
    for diagnostic in diagnostics:
        if diagnostic.fix is not None and not diagnostic.fix.edits:
            diagnostic.fix = None
