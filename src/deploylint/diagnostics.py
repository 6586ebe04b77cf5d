"""What rules produce: diagnostics, and the fixes some of them carry."""

from __future__ import annotations

import enum
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


@dataclass(frozen=True)
class Fix:
    message: str
    applicability: Applicability
    edits: tuple[Edit, ...]


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
