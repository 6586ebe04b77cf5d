"""The text pre-filter for Python sources: can this file hold a finding at all?

It runs on every Python file of a tree, so it must be cheap, and it must
never say no to a file the resolver would find something in (a test checks
that on every rule example and knowledge entry). It loads nothing but `re`
and `json`: a pre-commit run over Python files that cannot hold a finding
stops here, without parsing the knowledge base (see `INDEX`).

Its cost is whole-text passes of `re`'s scanner, which is fast only for a
pattern that starts with a literal (it skips from one occurrence of it to
the next): a text gets one pass for its `import` and `from` keywords, and
one for the names each module it imports lost, anchored on the rarest
literal that cannot miss one. These passes read imports loosely (every
import `Imports` reads, and more); each yes they find is confirmed with
`Imports`, so the answers are those of the rule (`Prefilter`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_FROM_TOP = re.compile(r"(?:^|[;:])[ \t]*from(?:[ \t]|\\\r?\n)+(\w+)[^;:]*$")
_WORD = re.compile(r"[A-Za-z_]\w*")
# What follows an `import` keyword, up to where its list ends: a parenthesized
# list up to its `)` (comments skipped: they may hold one), or up to a newline
# not continued by `\` (LF or CRLF), `#` or `;`.
_LIST = r"[ \t]*\((?:[^)#]+|#[^\n]*)*\)?|(?:[^\n#;\\]+|\\\r?\n|\\)*"
# Every `import` keyword, with its list in a lookahead (so that a keyword in
# the list, "important", is found too), and every `from` followed by white
# space, with the word after it (the module, if it starts an import): both in
# one pass, anchored on their common letter, each branch starting with a
# literal; which is captured depends on the letter before it. A match of
# `import` is "mport", 5 characters; one of `from` is shorter.
_KEYWORDS = re.compile(
    r"m(?:port(?<=import)| (?<=from )|\t(?<=from\t)|\\\n(?<=from\\\n)|\\\r\n(?<=from\\\r\n))"
    r"(?=((?<=t)(?:" + _LIST + r")|(?:[ \t]|\\\r?\n)*\w+))"
)
# The first word of each comma-separated part, in lists joined with ",".
_FIRST_WORDS = re.compile(r",[^A-Za-z_,]*([A-Za-z_]\w*)")
# An `import` a word runs into.
_GLUED = re.compile(r"import(?<=\wimport)")
# A name an import binds with `as` (`\bas`, but starting with a literal).
_ALIAS = re.compile(r"as(?<!\was)(?:\s|\\)+(\w+)")
# The characters most common in Python source, most common first: a pass
# anchored on a rarer one stops less often.
_COMMON = "estaronilfcd_pumhgb"


class Imports:
    """What a text's import statements may bind (more is fine; never less).

    Every `import` keyword counts, even in a string or comment: `from X import
    a, b` names top-level module X (read from the statement's head, back to
    the start of its logical line or its last `;` or `:`) and the list "a, b";
    `import a.b, c as d` names a and c. The lists are kept as text and split
    only when a removal makes them matter.
    """

    def __init__(self, text: str) -> None:
        self.tops: set[str] = set()
        self.from_lists: dict[str, list[str]] = {}
        self._lists: list[str] = []
        plain = []
        for match in _KEYWORDS.finditer(text):
            if match.end() - match.start() != 5:
                continue  # `from`: its head is read back from its `import`
            names = match[1]
            self._lists.append(names)
            position = match.start() - 1
            if position == 0 or (text[position - 1] == "\n" and not _continued(text, position)):
                plain.append(names)  # no head
                continue
            # The statement's head: back to the line start, across `\` continuations.
            line_start = text.rfind("\n", 0, position) + 1
            while line_start >= 2 and _continued(text, line_start):
                line_start = text.rfind("\n", 0, line_start - 1) + 1
            found = _FROM_TOP.search(text[line_start:position]) if text.find("from", line_start, position) != -1 else None
            if found:
                self.tops.add(found[1])
                self.from_lists.setdefault(found[1], []).append(names)
            else:
                plain.append(names)
        self.tops.update(_FIRST_WORDS.findall("," + ",".join(plain)))

    def aliases(self) -> set[str]:
        """The names bound with `as` (`import numpy as np` binds np)."""
        return {name for names in self._lists if "as" in names for name in _ALIAS.findall(names)}


def _continued(text: str, line_start: int) -> bool:
    """Whether the line that starts at `line_start` continues the one before
    (which ends with `\\`, LF or CRLF)."""
    return text[line_start - 2 : line_start - 1] == "\\" or text[line_start - 3 : line_start - 1] == "\\\r"


def _receiver(text: str, dot: int) -> str:
    """The receiver of the name after the dot at `dot`: the word before it,
    white space and backslashes between, within 200 characters. It is what
    the pattern `(\\w*)(?:\\s|\\\\)*$` finds searched from 200 characters back,
    read backwards: a pattern that starts with \\w* cannot be searched fast."""
    start = max(0, dot - 200)
    end = dot
    while end > start and (text[end - 1].isspace() or text[end - 1] == "\\"):
        end -= 1
    begin = end
    while begin > start and (text[begin - 1].isalnum() or text[begin - 1] == "_"):
        begin -= 1
    return text[begin:end]


def _trie_pattern(words) -> str:
    """A regex alternation shaped as a trie: `re` tries one branch per character,
    where a flat `a|b|c...` of hundreds of words tries them all at every dot."""

    def build(words: list[str]) -> str:
        # `words`: sorted, the suffixes after a common prefix ("" if it is a word)
        optional = words[0] == ""
        words = words[1:] if optional else words
        if not words:
            return ""
        branches = []
        start = 0
        while start < len(words):
            char, end = words[start][0], start + 1
            while end < len(words) and words[end][0] == char:
                end += 1
            escaped = char if char.isalnum() or char == "_" else re.escape(char)
            branches.append(escaped + build([word[1:] for word in words[start:end]]))
            start = end
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return build(sorted(set(words)))


def _anchored(word: str) -> str:
    """A pattern for the identifier `word` that starts at its rarest character,
    the rest checked behind: `re` skips to the literal it starts with, and
    stops at fewer places. A common character starts it only with another
    after it (`re` checks the second without stopping). The pattern must go on
    with no word character: a match then hides no occurrence that overlaps
    it, which would put one there."""

    def rarity(index: int) -> tuple:
        common = _COMMON.find(word[index])
        return (2, 0) if common == -1 else (int(index < len(word) - 1), common)

    index = max(range(len(word)), key=rarity)
    if index == 0:
        return re.escape(word)
    return re.escape(word[index:]) + "(?<=" + re.escape(word) + ")"


class Prefilter:
    """Can a text hold a finding at all? Cheap, and never wrong when it says no.

    A finding needs an import of the removal's top-level module (`import
    numpy as np`, `from werkzeug.security import ...`), and the removed name
    either in a `from <top>... import` list, or after a dot whose receiver can
    be the module that lost it: its own name (`security.safe_str_cmp`,
    `collections.Mapping`), or a name some import binds with `as`
    (`np.float`). `collections.abc.Mapping` is thus ruled out: `abc` is not
    `collections`. Methods of instances (`app.before_first_request`) accept
    any receiver. A removed top-level module (`import imp`) needs only its
    import. The imports are those `Imports` reads.
    """

    def __init__(self, qualified_names, words=()) -> None:
        # (top-level module, word): calls with a removed keyword, call forms and
        # package-only methods need the module imported and the word anywhere.
        self._words: dict[str, list[str]] = {}
        for top, word in words:
            self._words.setdefault(top, []).append(word)
        self._removed_tops: set[str] = set()
        names_by_top: dict[str, set[str]] = {}
        # removed name -> the receivers it can follow (None: any receiver)
        self._receivers: dict[str, set[str] | None] = {}
        for qualified in qualified_names:
            parts = qualified.split(".")
            if len(parts) == 1:
                self._removed_tops.add(parts[0])
                continue
            name, owner = parts[-1], parts[-2]
            names_by_top.setdefault(parts[0], set()).add(name)
            if owner.endswith("()"):
                self._receivers[name] = None
            elif name not in self._receivers or self._receivers[name] is not None:
                self._receivers.setdefault(name, set()).add(owner)
        self._names_by_top = {top: frozenset(names) for top, names in names_by_top.items()}
        # The top-level modules whose import can matter.
        self._tops = frozenset(self._removed_tops | self._words.keys() | self._names_by_top.keys())
        # `_FIRST_WORDS` reads a word from its first ASCII letter or `_` on, as
        # `Imports` reads a list; a `from` module named otherwise needs \w+.
        self._first_runs = None
        if any(not _WORD.fullmatch(top) for top in self._tops):
            self._first_runs = re.compile(r",[^\w,]*(\w+)")
        # Per top-level module, how to look for its names, built on first need.
        self._searches: dict[str, _Search] = {}

    def __call__(self, text: str) -> bool:
        # The loose reading, in one pass: the lists after every `import` and the
        # word after every `from`; their first words are the modules the text
        # may import (every module `Imports` reads, and more).
        lists = _KEYWORDS.findall(text)
        if not lists:
            return False
        joined = "," + ",".join(lists)
        tops = self._tops.intersection(_FIRST_WORDS.findall(joined))
        if self._first_runs:
            tops |= self._tops.intersection(self._first_runs.findall(joined))
        if "import" in joined:
            # `from osimport x`: where a word runs into an `import`, what is
            # before it is a module too (`Imports` reads the head up to there).
            for match in _GLUED.finditer(joined):
                start = match.start()
                while joined[start - 1].isalnum() or joined[start - 1] == "_":
                    start -= 1
                if joined[start : match.start()] in self._tops:
                    tops |= {joined[start : match.start()]}
        return bool(tops) and self._check(text, joined, tops)

    def _check(self, text: str, joined: str, tops: set[str]) -> bool:
        """The rule, for the modules `tops` a text may import: each yes the
        loose reading finds is confirmed with `Imports` (`_Reading`)."""
        reading = _Reading(text)
        for top in tops.intersection(self._removed_tops):
            if reading.imports(top):
                return True
        for top in tops.intersection(self._words):
            if any(word in text for word in self._words[top]) and reading.imports(top):
                return True
        relevant = tops.intersection(self._names_by_top)
        if not relevant:
            return False
        # The larger sets of names first: they are likelier to hold a yes, which
        # ends the search.
        searches = sorted(map(self._search, relevant), key=_Search.size, reverse=True)
        # A removed name in a `from` list: first as a word of any list.
        if searches[0].size() > _MANY_NAMES:
            words = set(_WORD.findall(joined))
            listed = any(not search.names.isdisjoint(words) for search in searches)
        else:
            listed = any(search.listed(joined) for search in searches)
        if listed:
            imports = reading.all()
            for top in relevant & imports.tops:
                names = self._names_by_top[top]
                if any(not names.isdisjoint(_WORD.findall(listed)) for listed in imports.from_lists.get(top, ())):
                    return True
        # A removed name after a dot. The names bound with `as` in the lists read
        # are those `Imports.aliases` reads (a `from` adds a word, no `as`): any
        # receiver may be one of them, so where there are some, a search cannot
        # anchor on the module's own name.
        aliases = set(_ALIAS.findall(joined)) if "as" in joined else ()
        for search in searches:
            if search.kind == "dot" or (aliases and search.kind == "owner"):
                hits = ((match.start(), match[1]) for match in search.dotted().finditer(text))
            else:
                hits = search.hits(text)
            for dot, name in hits:
                receivers = self._receivers[name]
                if receivers is not None:
                    receiver = _receiver(text, dot)
                    if receiver not in receivers and receiver not in aliases:
                        continue
                if reading.imports(search.top):
                    return True
                break  # not imported: none of its names counts
        return False

    def _search(self, top: str) -> _Search:
        search = self._searches.get(top)
        if search is None:
            search = self._searches[top] = _Search(top, self._names_by_top[top], self._receivers)
        return search


# Above this many names, a module's names are looked for in the import lists
# as the set of their words, not one by one.
_MANY_NAMES = 16


class _Reading:
    """`Imports(text)`, read only where a quick look cannot tell."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._imports: Imports | None = None

    def all(self) -> Imports:
        if self._imports is None:
            self._imports = Imports(self._text)
        return self._imports

    def imports(self, top: str) -> bool:
        """Whether `Imports` reads an import of `top`: yes at once where a
        logical line starts with `import top` or `from top ... import`."""
        return _starts_import(self._text, top) or top in self.all().tops


def _starts_import(text: str, top: str) -> bool:
    """Whether a logical line of `text` starts with `import top` (`top` the
    first word of the list, and no `from` before it) or `from top`, `import`
    after it on its line, no `;` or `:` between (`top` the module of a `from`
    head): `Imports` reads an import of `top` there. (It reads a list's words
    from an ASCII letter or `_` on: `import éclair` imports "clair".)"""
    for keyword in ("import ", "from ") if _WORD.fullmatch(top) else ("from ",):
        needle = keyword + top
        position = text.find(needle)
        while position != -1:
            end = position + len(needle)
            if (end == len(text) or not (text[end].isalnum() or text[end] == "_")) and _line_start(text, position):
                if keyword == "import ":
                    return True
                line_end = text.find("\n", end)
                found = text.find("import", end, len(text) if line_end == -1 else line_end)
                if found != -1 and ";" not in text[end:found] and ":" not in text[end:found]:
                    return True
            position = text.find(needle, position + 1)
    return False


def _line_start(text: str, position: int) -> bool:
    """Whether only spaces and tabs are between the start of `position`'s
    logical line (not continued from the one before by a backslash) and it."""
    start = position
    while start and text[start - 1] in " \t":
        start -= 1
    if start == 0:
        return True
    return text[start - 1] == "\n" and not _continued(text, start)


class _Search:
    """How to look for the names removed under one top-level module: one pass
    anchored on the rarest literal that cannot miss one of them.

    - "name": its only name (the dot before it is checked after);
    - "owner": the one receiver all its names need, then the dot and a name;
      only where no import binds a name with `as`, which may be the receiver;
    - "dot": the dot, then a name (`dotted`), as for any receiver.
    """

    def __init__(self, top: str, names: frozenset, receivers: dict) -> None:
        self.top, self.names = top, names
        self.trie = _trie_pattern(names)
        self.kind, self.name = "dot", next(iter(names))
        self._pattern: str | re.Pattern | None = None
        self._dotted: re.Pattern | None = None
        owners: set[str] | None = set()
        for name in names:
            owners = None if receivers[name] is None or owners is None else owners | receivers[name]
        # (Identifiers only: a pattern anchored on a word must be followed by no
        # word character, see `_anchored`. A short name would stop it too often.)
        if len(names) == 1 and len(self.name) >= 5 and self.name.isidentifier():
            self.kind, self._pattern = "name", _anchored(self.name) + r"\b"
        elif owners and len(owners) == 1 and next(iter(owners)).isidentifier():
            self.kind = "owner"
            self._pattern = _anchored(*owners) + r"(?=((?:\s|\\)*)\.(?:\s|\\)*(" + self.trie + r")\b)"

    def size(self) -> int:
        return len(self.names)

    def dotted(self) -> re.Pattern:
        """`.name` for its names."""
        if self._dotted is None:
            self._dotted = re.compile(r"\.(?:\s|\\)*(" + self.trie + r")\b")
        return self._dotted

    def listed(self, joined: str) -> bool:
        """Whether one of its names may be a word of the lists `joined`: after
        no ASCII letter or `_` (`_WORD` starts no word after one), before no \\w."""
        for name in self.names:
            start = joined.find(name)
            while start != -1:
                before, end = joined[start - 1 : start], start + len(name)
                if not (before.isascii() and (before.isalpha() or before == "_")):
                    if end == len(joined) or not (joined[end].isalnum() or joined[end] == "_"):
                        return True
                start = joined.find(name, start + 1)
        return False

    def hits(self, text: str):
        """(position of the dot, name) for its names after a dot, by its
        anchored pattern ("name" or "owner")."""
        if not isinstance(self._pattern, re.Pattern):
            self._pattern = re.compile(self._pattern)
        if self.kind == "owner":
            for match in self._pattern.finditer(text):
                yield match.end() + len(match[1]), match[2]
            return
        for match in self._pattern.finditer(text):
            # A dot before the name, white space and backslashes between.
            dot = match.end() - len(self.name) - 1
            while dot >= 0 and (text[dot].isspace() or text[dot] == "\\"):
                dot -= 1
            if dot >= 0 and text[dot] == ".":
                yield dot, self.name


# The (top-level module, removed name) pairs of every removal, derived from the
# knowledge base's TOML files by `python -m deploylint.knowledge.index`; a
# test fails when it is stale.
INDEX = Path(__file__).resolve().parents[1] / "knowledge" / "prefilter_index.json"


def load_index() -> Prefilter:
    # A plain path, not importlib.resources: the package is installed as files,
    # and importing resources costs the fast path a fifth of its time.
    index = json.loads(INDEX.read_text("utf-8"))
    return Prefilter(index["qualified_names"], index.get("words", ()))
