"""YAML nodes with their positions, and the scalar's style and resolved type.

PyYAML's composer is used, not its constructor: nodes keep their start and
end marks (character offsets for str input), whether a scalar was quoted, and
the type YAML resolved it to, which is how `python-version: 3.10` is known to
be the float 3.1. Unknown tags (CloudFormation's `!Ref`, `!Sub`) compose
without complaint, and aliases are shared nodes, never expanded copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

FLOAT_TAG = "tag:yaml.org,2002:float"
INT_TAG = "tag:yaml.org,2002:int"
STR_TAG = "tag:yaml.org,2002:str"

Node = yaml.Node
MappingNode = yaml.MappingNode
SequenceNode = yaml.SequenceNode
ScalarNode = yaml.ScalarNode


@dataclass
class YAMLError(Exception):
    message: str
    offset: int


def parse(text: str) -> Node | None:
    """The document's root node (None for an empty document)."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = " ".join(part for part in (error.context, error.problem) if part) or "invalid YAML"
        raise YAMLError(message, mark.index if mark else 0) from None
    except yaml.YAMLError as error:
        raise YAMLError(str(error).splitlines()[0], 0) from None
    except RecursionError:
        raise YAMLError("nesting is too deep to read", 0) from None


def get(node: Node | None, key: str) -> Node | None:
    """The value of `key` in a mapping node (the last one, as YAML loaders keep)."""
    if not isinstance(node, MappingNode):
        return None
    found = None
    for key_node, value in node.value:
        if isinstance(key_node, ScalarNode) and key_node.value == key:
            found = value
    return found


def items(node: Node | None) -> list[tuple[ScalarNode, Node]]:
    if not isinstance(node, MappingNode):
        return []
    return [(k, v) for k, v in node.value if isinstance(k, ScalarNode)]


def elements(node: Node | None) -> list[Node]:
    return list(node.value) if isinstance(node, SequenceNode) else []


def text(node: Node | None) -> str | None:
    """A scalar's value as written (for `3.10` that is "3.10", not 3.1)."""
    return node.value if isinstance(node, ScalarNode) else None


def span(node: Node) -> tuple[int, int]:
    return node.start_mark.index, node.end_mark.index


def as_loaded(node: ScalarNode) -> str:
    """What a YAML 1.1 loader hands the consumer: `3.10` -> "3.1", `3.20` -> "3.2"."""
    if node.style is None and node.tag == FLOAT_TAG:
        try:
            return repr(float(node.value.replace("_", "")))
        except ValueError:
            return node.value
    return node.value


def is_unquoted_number(node: Node | None) -> bool:
    return isinstance(node, ScalarNode) and node.style is None and node.tag in (FLOAT_TAG, INT_TAG)
