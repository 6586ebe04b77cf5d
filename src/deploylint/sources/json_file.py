"""Shared reading of JSON deployment files into positioned nodes or a DPL001 problem."""

from __future__ import annotations

from deploylint.facts import DeclaredPython, Facts, SourceProblem
from deploylint.diagnostics import Span
from deploylint.parsing import json as jsonparse
from deploylint.text import SourceText


def read_json(file: SourceText) -> jsonparse.JValue:
    try:
        return jsonparse.parse(file.text)
    except jsonparse.JSONError as error:
        raise SourceProblem(error.message, error.offset) from None


def at(node: jsonparse.JValue | None, *keys: str) -> jsonparse.JValue | None:
    """node[keys[0]][keys[1]]..., or None where an object or key is missing."""
    for key in keys:
        if not isinstance(node, jsonparse.JObject):
            return None
        node = node.get(key)
    return node


def string(node: jsonparse.JValue | None) -> str | None:
    return node.value if isinstance(node, jsonparse.JScalar) and isinstance(node.value, str) else None


def declare(facts: Facts, file: SourceText, node: jsonparse.JValue | None, source: str) -> DeclaredPython | None:
    """A Python version held in a JSON string, as a declared fact."""
    value = string(node)
    if not value:
        return None
    declared = DeclaredPython(value, Span(file.path, node.start + 1, node.end - 1), source)
    facts.pythons.append(declared)
    return declared
