"""requirements*.txt and constraints*.txt, read the way pip reads them.

pip joins lines that end in a backslash, then strips comments (`#` at the
start or after whitespace), then treats each line as options (`-r`, `-c`,
`--index-url`, ...) or a requirement with optional per-requirement options
(`--hash=...`). Offsets map back to the physical text for exact positions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from packaging.requirements import InvalidRequirement, Requirement

from deploylint.diagnostics import Span
from deploylint.facts import Facts, RequirementFact, SourceProblem
from deploylint.text import SourceText

_COMMENT = re.compile(r"(^|\s+)#.*$")
_URL_OR_PATH = re.compile(r"^(\.{0,2}/|[a-zA-Z][a-zA-Z0-9+.-]*://|git\+|hg\+|svn\+|bzr\+|file:)|\.(whl|zip|tar\.gz|tgz|tar\.bz2)$")
_INCLUDE = re.compile(r"^(-r|--requirement|-c|--constraint)(?:\s*=\s*|\s+|(?<=-[rc]))(\S+)")


@dataclass
class Include:
    kind: str  # "requirement" or "constraint"
    target: str
    span: Span


@dataclass
class RequirementsFile:
    file: SourceText
    is_constraints: bool
    includes: list[Include] = field(default_factory=list)
    facts: Facts = field(default_factory=Facts)


@dataclass
class _LogicalLine:
    text: str
    # (offset in `text`, offset in the file) where each physical piece starts
    pieces: list[tuple[int, int]]
    line_end: int  # physical offset of the end of the last physical line

    def physical(self, index: int) -> int:
        piece = bisect.bisect_right(self.pieces, (index, float("inf"))) - 1
        logical_start, physical_start = self.pieces[max(piece, 0)]
        return physical_start + index - logical_start

    def span(self, start: int, end: int) -> tuple[int, int]:
        if not self.text:
            return self.line_end, self.line_end
        return self.physical(start), self.physical(max(end - 1, start)) + 1


def logical_lines(text: str) -> list[_LogicalLine]:
    lines: list[_LogicalLine] = []
    pending: list[str] = []
    pieces: list[tuple[int, int]] = []
    length = 0
    position = 0
    for physical in text.splitlines(keepends=True):
        body = physical.rstrip("\r\n")
        start = position
        position += len(physical)
        if body.endswith("\\") and not _COMMENT.match(body):
            pieces.append((length, start))
            pending.append(body[:-1])
            length += len(body) - 1
            continue
        if _COMMENT.match(body):
            # pip keeps a comment line inside a continuation as a comment.
            pieces.append((length, start))
            pending.append(" ")
            length += 1
        pieces.append((length, start))
        pending.append(body)
        lines.append(_LogicalLine("".join(pending), pieces, start + len(body)))
        pending, pieces, length = [], [], 0
    if pending:
        lines.append(_LogicalLine("".join(pending), pieces, position))
    return lines


def read(file: SourceText, is_constraints: bool = False) -> RequirementsFile:
    result = RequirementsFile(file, is_constraints)
    newline = file.newline()
    for line in logical_lines(file.text):
        stripped = _COMMENT.sub("", line.text)
        content = stripped.strip()
        if not content:
            continue
        lead = len(stripped) - len(stripped.lstrip())
        if content.startswith("-"):
            include = _INCLUDE.match(content)
            if include:
                kind = "requirement" if include.group(1) in ("-r", "--requirement") else "constraint"
                target_start = lead + include.start(2)
                result.includes.append(
                    Include(kind, include.group(2), Span(file.path, *line.span(target_start, target_start + len(include.group(2)))))
                )
            continue  # other global options (-i, --extra-index-url, ...) carry no requirement
        # A requirement, maybe followed by per-requirement options ("--hash=...").
        requirement_text = re.split(r"\s+--?[a-zA-Z]", content, maxsplit=1)[0].rstrip()
        start, end = lead, lead + len(requirement_text)
        span = Span(file.path, *line.span(start, end))
        if _URL_OR_PATH.search(requirement_text.split(";")[0].strip()) and " @ " not in requirement_text:
            continue  # a local path or a bare URL: no name to reason about
        try:
            requirement = Requirement(requirement_text)
        except InvalidRequirement as error:
            message, column = requirement_error(error)
            raise SourceProblem(f"invalid requirement {requirement_text!r}: {message}", line.span(start + column, start + column + 1)[0]) from None
        result.facts.requirements.append(
            RequirementFact(
                requirement,
                span,
                "requirements",
                insert_at=line.line_end,
                insert_template=newline + "{requirement}",
                is_constraint=is_constraints,
            )
        )
    return result


def read_constraints(file: SourceText) -> RequirementsFile:
    """A constraints file (`-c`): the same format, whose lines only limit versions."""
    return read(file, is_constraints=True)


def requirement_error(error: InvalidRequirement) -> tuple[str, int]:
    """packaging's message is 'Expected ...' plus the text and a caret line."""
    lines = str(error).splitlines()
    column = 0
    if len(lines) >= 3 and lines[-1].strip() == "^":
        column = max(0, len(lines[-1]) - 1 - 4)  # packaging indents the echo by four spaces
    return lines[0] if lines else "invalid requirement", column
