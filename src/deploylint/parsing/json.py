"""A strict RFC 8259 JSON parser that records where every value lives.

Vercel reads vercel.json with JavaScript's JSON.parse, which rejects NaN,
comments and trailing commas, so this parser does too (Python's json module
accepts NaN). It is iterative, so deep nesting cannot exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


class JSONError(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


@dataclass
class JNode:
    start: int
    end: int
    # Where the node hangs: its container and its key or index there. The
    # JSON pointer is derived on demand; storing it per node would cost
    # memory quadratic in the nesting depth.
    parent: "JNode | None" = field(default=None, repr=False)
    key: "str | int | None" = None

    @property
    def pointer(self) -> str:
        """RFC 6901 pointer from the document root."""
        tokens = []
        node = self
        while node.parent is not None:
            tokens.append(_pointer_token(str(node.key)))
            node = node.parent
        return "".join("/" + token for token in reversed(tokens))


@dataclass
class JScalar(JNode):
    value: str | int | float | bool | None = None


@dataclass
class JMember:
    key: str
    key_start: int
    key_end: int
    value: "JValue"


@dataclass
class JObject(JNode):
    members: list[JMember] = field(default_factory=list)

    def get(self, key: str) -> "JValue | None":
        # JSON.parse keeps the last of duplicate keys.
        for member in reversed(self.members):
            if member.key == key:
                return member.value
        return None

    def member(self, key: str) -> JMember | None:
        for member in reversed(self.members):
            if member.key == key:
                return member
        return None


@dataclass
class JArray(JNode):
    items: list["JValue"] = field(default_factory=list)


JValue = JScalar | JObject | JArray

_WS = " \t\n\r"
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f]*')


def _pointer_token(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def parse(text: str) -> JValue:
    parser = _Parser(text)
    return parser.document()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str, offset: int | None = None):
        raise JSONError(message, self.pos if offset is None else offset)

    def skip_ws(self) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in _WS:
            pos += 1
        self.pos = pos

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def document(self) -> JValue:
        self.skip_ws()
        if self.pos >= len(self.text):
            self.error("unexpected end of input: expected a JSON value")
        root = self.value()
        self.skip_ws()
        if self.pos < len(self.text):
            self.error(f"unexpected {self.describe()} after the JSON value")
        return root

    def describe(self) -> str:
        char = self.peek()
        if not char:
            return "end of input"
        if char == "\ufeff":
            return "byte-order mark"
        return repr(char)

    def value(self) -> JValue:
        """Parse one value; containers are filled iteratively with an explicit stack."""
        # Each stack entry is an open container; objects also remember a pending key.
        stack: list[tuple[JValue, str | None, int, int]] = []
        while True:
            self.skip_ws()
            start = self.pos
            char = self.peek()
            if char == "{":
                node: JValue = JObject(start, start)
                self.pos += 1
                self.skip_ws()
                if self.peek() == "}":
                    self.pos += 1
                    node.end = self.pos
                else:
                    stack.append((node, None, 0, 0))
                    key, key_start, key_end = self.object_key()
                    stack[-1] = (node, key, key_start, key_end)
                    continue
            elif char == "[":
                node = JArray(start, start)
                self.pos += 1
                self.skip_ws()
                if self.peek() == "]":
                    self.pos += 1
                    node.end = self.pos
                else:
                    stack.append((node, None, 0, 0))
                    continue
            elif char == '"':
                node = JScalar(start, 0, value=self.string())
                node.end = self.pos
            else:
                node = JScalar(start, 0, value=self.literal())
                node.end = self.pos

            # Attach the finished value to its parent, closing parents as they end.
            while True:
                if not stack:
                    return node
                parent, key, key_start, key_end = stack[-1]
                node.parent = parent
                if isinstance(parent, JObject):
                    node.key = key
                    parent.members.append(JMember(key, key_start, key_end, node))
                else:
                    node.key = len(parent.items)
                    parent.items.append(node)
                self.skip_ws()
                char = self.peek()
                closer = "}" if isinstance(parent, JObject) else "]"
                if char == ",":
                    self.pos += 1
                    if isinstance(parent, JObject):
                        self.skip_ws()
                        key, key_start, key_end = self.object_key()
                        stack[-1] = (parent, key, key_start, key_end)
                    break
                if char == closer:
                    self.pos += 1
                    parent.end = self.pos
                    stack.pop()
                    node = parent
                    continue
                what = "object" if closer == "}" else "array"
                self.error(f"expected ',' or '{closer}' in {what}, found {self.describe()}")

    def object_key(self) -> tuple[str, int, int]:
        if self.peek() != '"':
            self.error(f"expected a double-quoted property name, found {self.describe()}")
        start = self.pos
        key = self.string()
        end = self.pos
        self.skip_ws()
        if self.peek() != ":":
            self.error(f"expected ':' after property name, found {self.describe()}")
        self.pos += 1
        return key, start, end

    def string(self) -> str:
        text = self.text
        self.pos += 1  # opening quote
        parts: list[str] = []
        while True:
            match = _PLAIN_STRING.match(text, self.pos)
            parts.append(match.group())
            self.pos = match.end()
            if self.pos >= len(text):
                self.error("unterminated string")
            char = text[self.pos]
            if char == '"':
                self.pos += 1
                return "".join(parts)
            if char == "\\":
                escape = text[self.pos + 1 : self.pos + 2]
                if escape in _ESCAPES:
                    parts.append(_ESCAPES[escape])
                    self.pos += 2
                elif escape == "u":
                    digits = text[self.pos + 2 : self.pos + 6]
                    if len(digits) != 4 or not all(c in "0123456789abcdefABCDEF" for c in digits):
                        self.error("invalid \\u escape: expected four hex digits")
                    parts.append(chr(int(digits, 16)))
                    self.pos += 6
                else:
                    self.error("invalid escape " + repr("\\" + escape) + " in string")
            else:
                self.error(f"unescaped control character U+{ord(char):04X} in string")

    def literal(self):
        text = self.text
        for word, value in (("true", True), ("false", False), ("null", None)):
            if text.startswith(word, self.pos):
                self.pos += len(word)
                return value
        match = _NUMBER.match(text, self.pos)
        if match and match.end() > self.pos:
            self.pos = match.end()
            number = match.group()
            if any(c in number for c in ".eE"):
                return float(number)
            return int(number) if len(number) < 4000 else float(number)
        if not self.peek():
            self.error("unexpected end of input: expected a JSON value")
        for word in ("NaN", "Infinity", "-Infinity"):
            if text.startswith(word, self.pos):
                self.error(f"{word} is not valid JSON")
        self.error(f"unexpected {self.describe()}: expected a JSON value")


def walk(node: JValue):
    """Every node of a document, iteratively, parents before children."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, JObject):
            stack.extend(reversed([m.value for m in current.members]))
        elif isinstance(current, JArray):
            stack.extend(reversed(current.items))
