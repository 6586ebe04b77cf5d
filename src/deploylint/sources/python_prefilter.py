"""The text pre-filter for Python sources: can this file hold a finding at all?

It runs on every Python file of a tree, so it must be cheap, and it must
never say no to a file the resolver would find something in (a test checks
that on every rule example and knowledge entry). It loads nothing but `re`
and `json`: a pre-commit run over Python files that cannot hold a finding
stops here, without parsing the knowledge base (see `INDEX`).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

_FROM_TOP = re.compile(r"(?:^|[;:])[ \t]*from(?:[ \t]|\\\r?\n)+(\w+)[^;:]*$")
_WORD = re.compile(r"[A-Za-z_]\w*")
# The end of an unparenthesized import list: a newline not continued by `\`
# (LF or CRLF), `#` or `;`.
_IMPORT_LIST_END = re.compile(r"(?<!\\)(?<!\\\r)\n|[#;]")
# A name an import binds with `as`.
_ALIAS = re.compile(r"\bas(?:\s|\\)+(\w+)")


class Imports:
    """What a text's import statements may bind (more is fine; never less).

    One pass over every `import` keyword (str.find, not a regex over the
    whole text): `from X import a, b` names top-level module X and the list
    "a, b"; `import a.b, c as d` names a and c. The lists are kept as text
    and split only when a removal makes them matter.
    """

    def __init__(self, text: str) -> None:
        self.tops: set[str] = set()
        self.from_lists: dict[str, list[str]] = {}
        self._lists: list[str] = []
        position = text.find("import")
        while position != -1:
            after = position + 6
            # The statement's head: back to the line start, across `\` continuations.
            line_start = text.rfind("\n", 0, position) + 1
            while line_start >= 2 and (text[line_start - 2] == "\\" or text[line_start - 3 : line_start - 1] == "\\\r"):
                line_start = text.rfind("\n", 0, line_start - 1) + 1
            names = text[after : _list_end(text, after)]
            self._lists.append(names)
            match = _FROM_TOP.search(text[line_start:position])
            if match:
                self.tops.add(match.group(1))
                self.from_lists.setdefault(match.group(1), []).append(names)
            else:
                for part in names.split(","):
                    word = _WORD.search(part)
                    if word:
                        self.tops.add(word.group())
            position = text.find("import", after)

    def aliases(self) -> set[str]:
        """The names bound with `as` (`import numpy as np` binds np)."""
        return {name for names in self._lists if "as" in names for name in _ALIAS.findall(names)}


def _list_end(text: str, start: int) -> int:
    """Where the import list that starts at `start` ends."""
    opening = start
    while opening < len(text) and text[opening] in " \t":
        opening += 1
    if text.startswith("(", opening):
        # Up to the closing parenthesis, skipping comments, which may hold one.
        position = opening + 1
        while True:
            close, comment = text.find(")", position), text.find("#", position)
            if close == -1:
                return len(text)
            if comment == -1 or close < comment:
                return close + 1
            position = text.find("\n", comment)
            if position == -1:
                return len(text)
    end = _IMPORT_LIST_END.search(text, start)
    return end.start() if end else len(text)


def _trie_pattern(words) -> str:
    """A regex alternation shaped as a trie: `re` tries one branch per character,
    where a flat `a|b|c...` of hundreds of words tries them all at every dot."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if "" in node else body

    return build(trie)


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
    import.
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
        self._dotted: dict[str, re.Pattern] = {}  # per top-level module, compiled on first need

    def _dotted_names(self, top: str) -> re.Pattern:
        """`.name` for the names removed under `top`."""
        if top not in self._dotted:
            self._dotted[top] = re.compile(r"\.(?:\s|\\)*(" + _trie_pattern(self._names_by_top[top]) + r")\b")
        return self._dotted[top]

    def __call__(self, text: str) -> bool:
        imports = Imports(text)
        if imports.tops & self._removed_tops:
            return True
        for top in imports.tops & self._words.keys():
            if any(word in text for word in self._words[top]):
                return True
        relevant = [top for top in imports.tops if top in self._names_by_top]
        for top in relevant:
            names = self._names_by_top[top]
            if any(not names.isdisjoint(_WORD.findall(listed)) for listed in imports.from_lists.get(top, ())):
                return True
        aliases: set[str] | None = None
        for top in relevant:
            for match in self._dotted_names(top).finditer(text):
                receivers = self._receivers[match.group(1)]
                if receivers is None:
                    return True
                # The receiver: the word before the dot (looked for backwards,
                # because a pattern that starts with \w* cannot be searched fast).
                before = _RECEIVER.search(text, max(0, match.start() - 200), match.start())
                receiver = before.group(1) if before else ""
                if receiver in receivers:
                    return True
                if aliases is None:
                    aliases = imports.aliases()
                if receiver in aliases:
                    return True
        return False


_RECEIVER = re.compile(r"(\w*)(?:\s|\\)*$")


# The (top-level module, removed name) pairs of every removal, derived from the
# knowledge base's TOML files by `python -m deploylint.knowledge.index`; a
# test fails when it is stale.
INDEX = Path(__file__).resolve().parents[1] / "knowledge" / "prefilter_index.json"


def load_index() -> Prefilter:
    # A plain path, not importlib.resources: the package is installed as files,
    # and importing resources costs the fast path a fifth of its time.
    index = json.loads(INDEX.read_text("utf-8"))
    return Prefilter(index["qualified_names"], index.get("words", ()))
