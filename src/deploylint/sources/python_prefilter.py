"""The text pre-filter for Python sources: can this file hold a finding at all?

It runs on every Python file of a tree, so it must be cheap, and it must
never say no to a file the resolver would find something in (a test checks
that on every rule example and knowledge entry). It loads nothing but `re`
and `json`: a pre-commit run over Python files that cannot hold a finding
stops here, without parsing the knowledge base (see `INDEX`).

Its cost is whole-text passes of `re`'s scanner, which is fast only for a
pattern that starts with a literal (it then skips to each occurrence of it):
a text gets one pass for its `import` and `from` keywords, then one for the
names each imported module lost, anchored on the rarest literal that cannot
miss one. Those passes answer a looser question than the rule (`Prefilter`),
which `Imports` reads exactly: every yes they find is confirmed with it, so
the answers are the rule's.
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
            if position == 0 or text[position - 1] == "\n":
                plain.append(names)  # no head
                continue
            # The statement's head: back to the line start, across `\` continuations.
            line_start = text.rfind("\n", 0, position) + 1
            while line_start >= 2 and (text[line_start - 2] == "\\" or text[line_start - 3 : line_start - 1] == "\\\r"):
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
    """A pattern for `word` that starts at its rarest character, the rest
    checked behind: `re` skips to the literal it starts with, and stops at
    fewer places. A common character starts it only with another after it
    (`re` checks the second without stopping). What follows it in a pattern
    must not be a word character: then no match can hide another occurrence,
    which would overlap it."""

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
        # Built on first need: per top-level module, how to look for its names
        # (`_Search`); for several modules, one pattern for all their names.
        self._searches: dict[str, _Search] = {}
        self._unions: dict[frozenset, re.Pattern] = {}

    def __call__(self, text: str) -> bool:
        # The loose reading, in one pass: the lists after every `import` and the
        # word after every `from`, their first words the modules the text may
        # import (every module `Imports` reads, and more).
        lists = _KEYWORDS.findall(text)
        if not lists:
            return False
        joined = "," + ",".join(lists)
        tops = self._tops.intersection(_FIRST_WORDS.findall(joined))
        if self._first_runs:
            tops.update(self._tops.intersection(self._first_runs.findall(joined)))
        return bool(tops) and self._check(text, joined, tops)

    def _check(self, text: str, joined: str, tops: set[str]) -> bool:
        """The rule, for the modules `tops` a text may import: each yes the
        loose reading finds is confirmed with `Imports`."""
        imports = None
        if not tops.isdisjoint(self._removed_tops):
            imports = Imports(text)
            if not imports.tops.isdisjoint(self._removed_tops):
                return True
        for top in tops.intersection(self._words):
            if any(word in text for word in self._words[top]):
                imports = imports or Imports(text)
                if top in imports.tops:
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
            imports = imports or Imports(text)
            for top in relevant & imports.tops:
                names = self._names_by_top[top]
                if any(not names.isdisjoint(_WORD.findall(listed)) for listed in imports.from_lists.get(top, ())):
                    return True
        # A removed name after a dot. The names bound with `as` in the lists are
        # those `Imports.aliases` reads: any receiver may be one of them, so
        # where there are some, no search can anchor on the module's name.
        aliases = set(_ALIAS.findall(joined)) if "as" in joined else ()
        dotted = [search for search in searches if search.kind == "dot" or (aliases and search.kind == "owner")]
        anchored = [search for search in searches if search not in dotted]
        if len(searches) > 1:
            united = self._cheapest_union(searches, dotted, anchored, len(text))
            if united:
                candidates = [search.top for search in united]
                for match in self._union(united).finditer(text):
                    imports = self._confirm(text, match.start(), match[1], candidates, aliases, imports)
                    if imports is True:
                        return True
                dotted = []
                anchored = [search for search in anchored if search not in united]
        for search in anchored:
            for dot, name in search.hits(text):
                imports = self._confirm(text, dot, name, (search.top,), aliases, imports)
                if imports is True:
                    return True
        for search in dotted:
            for match in search.dotted().finditer(text):
                imports = self._confirm(text, match.start(), match[1], (search.top,), aliases, imports)
                if imports is True:
                    return True
        return False

    def _confirm(self, text: str, dot: int, name: str, tops, aliases, imports):
        """True if `name`, after the dot at `dot`, is a yes: its receiver fits,
        and `Imports` reads an import of one of `tops` that lost it. Otherwise
        `imports` (`Imports(text)`, once it was needed)."""
        receivers = self._receivers[name]
        receiver = "" if receivers is None else _receiver(text, dot)
        if receivers is not None and receiver not in receivers and receiver not in aliases:
            return imports
        imports = imports or Imports(text)
        if not any(top in imports.tops and name in self._names_by_top[top] for top in tops):
            return imports
        return receivers is None or receiver in receivers or receiver in imports.aliases() or imports

    def _search(self, top: str) -> _Search:
        search = self._searches.get(top)
        if search is None:
            search = self._searches[top] = _Search(top, self._names_by_top[top], self._receivers)
        return search

    def _cheapest_union(self, searches, dotted, anchored, length: int) -> tuple:
        """The searches to make one pass for, if any pays: all of them, or all
        the dotted ones; () for one pass each."""
        costs = {(): len(dotted) * _NS_DOT + len(anchored) * _NS_ANCHORED}
        costs[tuple(searches)] = self._union_cost(searches, length)
        if anchored and len(dotted) > 1:
            costs[tuple(dotted)] = self._union_cost(dotted, length) + len(anchored) * _NS_ANCHORED
        return min(costs, key=costs.__getitem__)

    def _union_cost(self, searches, length: int) -> float:
        """The cost of one pass for the names of all `searches`, in nanoseconds
        a character of a text `length` long: more than one module's (more names
        to try at each dot), and its pattern's compilation, unless it was."""
        cost = min(_NS_DOT + _NS_PER_NAME * sum(search.size() for search in searches), _NS_MOST)
        if frozenset(search.top for search in searches) not in self._unions:
            pattern = sum(len(search.trie) for search in searches)
            cost += (_NS_COMPILE + pattern * _NS_PER_PATTERN_CHAR) / length
        return cost

    def _union(self, searches) -> re.Pattern:
        key = frozenset(search.top for search in searches)
        pattern = self._unions.get(key)
        if pattern is None:
            # The modules' tries side by side: merging them into one would
            # cost about as much as compiling it.
            tries = "|".join(sorted(search.trie for search in searches))
            pattern = self._unions[key] = re.compile(r"\.(?:\s|\\)*(" + tries + r")\b")
        return pattern


# The costs `Prefilter._check` weighs, measured with CPython 3.11. In
# nanoseconds a character of text: a pass for one module's names after dots
# (a few dozen names), more for more; a pass anchored on something rarer than
# a dot. In nanoseconds: compiling a pattern, and a character of it.
_NS_DOT = 1.3
_NS_PER_NAME = 0.02
_NS_MOST = 4.5
_NS_ANCHORED = 0.7
_NS_COMPILE = 60_000
_NS_PER_PATTERN_CHAR = 1_100
# Above this many names, a module's names are looked for in the import lists
# as the set of their words, not one by one.
_MANY_NAMES = 16


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
        if len(names) == 1 and len(self.name) >= 5:
            self.kind, self._pattern = "name", _anchored(self.name) + r"\b"
        elif owners is not None and len(owners) == 1:
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
