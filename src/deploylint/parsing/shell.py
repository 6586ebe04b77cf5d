"""Split shell command lines into simple commands of words, keeping offsets.

Enough of POSIX sh for what deploy configs put in RUN lines and build
commands: quoting, backslash escapes and line continuations, comments, and the
operators that separate commands. Expansions are kept verbatim (a word that
contains `$` is marked, because its value is unknown until build time).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Word:
    value: str  # with quotes and escapes removed
    start: int  # offsets of the raw word in the scanned text
    end: int
    dynamic: bool = False  # contains an expansion ($VAR, $(...), `...`)


_OPERATOR_CHARS = "&|;()\n"


def commands(text: str, base: int = 0) -> list[list[Word]]:
    """The simple commands in `text`; offsets are shifted by `base`."""
    result: list[list[Word]] = []
    current: list[Word] = []
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char == "\\" and text.startswith("\n", i + 1):
            i += 2
            continue
        if char == "\\" and text.startswith("\r\n", i + 1):
            i += 3
            continue
        if char in " \t\r":
            i += 1
            continue
        if char == "#":
            end = text.find("\n", i)
            i = n if end == -1 else end
            continue
        if char in _OPERATOR_CHARS:
            if current:
                result.append(current)
                current = []
            i += 1
            continue
        start = i
        parts: list[str] = []
        dynamic = False
        while i < n:
            char = text[i]
            if char in " \t\r" or char in _OPERATOR_CHARS:
                break
            if char == "\\":
                if text.startswith("\n", i + 1):
                    i += 2
                    continue
                parts.append(text[i + 1 : i + 2])
                i += 2
            elif char == "'":
                close = text.find("'", i + 1)
                close = n if close == -1 else close
                parts.append(text[i + 1 : close])
                i = close + 1
            elif char == '"':
                i += 1
                while i < n and text[i] != '"':
                    if text[i] == "\\" and i + 1 < n and text[i + 1] in '$`"\\\n':
                        if text[i + 1] != "\n":
                            parts.append(text[i + 1])
                        i += 2
                        continue
                    if text[i] in "$`":
                        dynamic = True
                    parts.append(text[i])
                    i += 1
                i += 1
            else:
                if char in "$`":
                    dynamic = True
                parts.append(char)
                i += 1
        current.append(Word("".join(parts), base + start, base + min(i, n), dynamic))
    if current:
        result.append(current)
    return result
