"""Shared reading of TOML files into a positioned document or a DPL001 problem."""

from __future__ import annotations

from deploylint.facts import SourceProblem
from deploylint.parsing import toml as tomlparse
from deploylint.text import SourceText


def read_toml(file: SourceText) -> tomlparse.TomlDocument:
    try:
        return tomlparse.parse(file.text)
    except tomlparse.TOMLDecodeError as error:
        raise SourceProblem(tomlparse.error_message(error), tomlparse.error_position(error, file.text)) from None
    except RecursionError:
        raise SourceProblem("TOML nesting is too deep to read", 0) from None
