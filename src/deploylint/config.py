"""The user's settings: `.deploylint.toml`, or `[tool.deploylint]` in pyproject.toml.

Found at the workspace root (`.deploylint.toml` wins, as `.ruff.toml` does
over pyproject.toml), or named with `--config`. The command line overrides
what is read here. A mistake in the file is a usage error (exit 2) that names
the key, never a silently ignored setting.
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

CODE = re.compile(r"DPL\d{0,3}")


class ConfigError(Exception):
    pass


# Named tuples, not frozen dataclasses: the one-file fast path reads the settings, and
# `dataclasses` (with `inspect`) would cost it 8 ms. Both are immutable and hashable.
class FileIgnore(namedtuple("FileIgnore", "pattern pointer codes")):
    """`per-file-ignores`: codes ignored in files matching a glob, or only
    under one JSON value of them (`"vercel.json#/builds/0" = [...]`)."""

    __slots__ = ()
    pattern: str
    pointer: str | None
    codes: tuple[str, ...]


# Every setting, with its type and its default: one list, from which Config is made.
_CONFIG_DEFAULTS = {
    "path": None,  # Path | None: where it was read from; None: no file
    "select": None,  # tuple[str, ...] | None
    "extend_select": (),  # tuple[str, ...]
    "ignore": (),  # tuple[str, ...]
    "per_file_ignores": (),  # tuple[FileIgnore, ...]
    "unsafe_fixes": None,  # bool | None
    "python": None,  # str | None
    "platforms": None,  # tuple[str, ...] | None
    # tuple[Path, ...]: knowledge files of the team's own (knowledge/extensions.py), relative to this file.
    "extend_knowledge": (),
    # Path | None: where the content cache lives, relative to this file; None: .deploylint_cache at the workspace root.
    "cache_dir": None,
}


class Config(namedtuple("Config", _CONFIG_DEFAULTS, defaults=_CONFIG_DEFAULTS.values())):
    """The settings as read (see _CONFIG_DEFAULTS)."""

    __slots__ = ()


def python_minor(value: str) -> str | None:
    """"3.12", "3.12.4" or "python3.12" as "3.12"; None if it is not a Python version."""
    match = re.fullmatch(r"(?:python)?(\d+)\.(\d+)(?:\.\d+)?", value.strip())
    return f"{int(match.group(1))}.{int(match.group(2))}" if match else None


def find_config(root: Path) -> Path | None:
    dedicated = root / ".deploylint.toml"
    if dedicated.is_file():
        return dedicated
    pyproject = root / "pyproject.toml"
    if pyproject.is_file() and re.search(r"^\s*\[\s*tool\s*\.\s*deploylint\b", _read(pyproject), re.MULTILINE):
        return pyproject
    return None


def load_config(path: Path | None) -> Config:
    if path is None:
        return Config()
    from deploylint.parsing.toml import TOMLDecodeError, error_message, tomllib

    text = _read(path)
    try:
        document = tomllib.loads(text)
    except TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error_message(error)}") from None
    if path.name == "pyproject.toml":
        tool = document.get("tool", {})
        table = tool.get("deploylint", {}) if isinstance(tool, dict) else {}
        where = "[tool.deploylint]"
    else:
        table, where = document, path.name
    return _parse(table, f"{path}: {where}", path)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None


_KEYS = ("select", "extend-select", "ignore", "per-file-ignores", "unsafe-fixes", "python", "platforms", "extend-knowledge", "cache-dir")


def _parse(table: dict, where: str, path: Path) -> Config:
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table")
    for key in table:
        if key not in _KEYS:
            hint = _closest(key, _KEYS)
            raise ConfigError(f"{where}: unknown key `{key}`" + (f"; did you mean `{hint}`?" if hint else f" (known: {', '.join(_KEYS)})"))
    python = table.get("python")
    if python is not None:
        minor = python_minor(python) if isinstance(python, str) else None
        if minor is None:
            raise ConfigError(f'{where}: `python` must be a version string such as "3.12", not {python!r}')
        python = minor
    unsafe = table.get("unsafe-fixes")
    if unsafe is not None and not isinstance(unsafe, bool):
        raise ConfigError(f"{where}: `unsafe-fixes` must be true or false, not {unsafe!r}")
    cache_dir = table.get("cache-dir")
    if cache_dir is not None and (not isinstance(cache_dir, str) or not cache_dir.strip()):
        raise ConfigError(f'{where}: `cache-dir` must be a directory path such as ".deploylint_cache", not {cache_dir!r}')
    platforms = table.get("platforms")
    if platforms is not None:
        from deploylint.deployments import PLATFORMS  # packaging and all: not for configurations without it

        platforms = _strings(platforms, "platforms", where)
        for name in platforms:
            if name not in PLATFORMS:
                raise ConfigError(f"{where}: unknown platform `{name}` in `platforms` (known: {', '.join(PLATFORMS)})")
    return Config(
        path=path,
        select=_codes(table["select"], "select", where) if "select" in table else None,
        extend_select=_codes(table.get("extend-select", []), "extend-select", where),
        ignore=_codes(table.get("ignore", []), "ignore", where),
        per_file_ignores=_file_ignores(table.get("per-file-ignores", {}), where),
        unsafe_fixes=unsafe,
        python=python,
        platforms=tuple(platforms) if platforms is not None else None,
        extend_knowledge=_knowledge_files(table.get("extend-knowledge", []), where, path),
        cache_dir=path.parent / cache_dir if cache_dir is not None else None,
    )


def _strings(value, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{where}: `{key}` must be a list of strings")
    return value


def _knowledge_files(value, where: str, path: Path) -> tuple[Path, ...]:
    """`extend-knowledge`, each relative to the configuration file, as ruff's `extend` is."""
    files = tuple(path.parent / item for item in _strings(value, "extend-knowledge", where))
    for written, file in zip(value, files):
        if not file.is_file():
            raise ConfigError(f"{where}: `extend-knowledge` names {written!r}, but {file} is not a file")
    return files


def _codes(value, key: str, where: str) -> tuple[str, ...]:
    codes = []
    for item in _strings(value, key, where):
        code = item.strip().upper()
        if code == "ALL":
            code = "DPL"
        if not CODE.fullmatch(code):
            raise ConfigError(f"{where}: `{key}` has {item!r}, which is not a rule code or prefix (e.g. DPL401, DPL4)")
        codes.append(code)
    return tuple(codes)


def _file_ignores(value, where: str) -> tuple[FileIgnore, ...]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: `per-file-ignores` must be a table of glob = [codes]")
    found = []
    for key, codes in value.items():
        pattern, _, pointer = key.partition("#")
        if pointer and not pointer.startswith("/"):
            raise ConfigError(f"{where}: `per-file-ignores` key {key!r}: a JSON pointer after # starts with / (RFC 6901)")
        found.append(FileIgnore(pattern, pointer or None, _codes(codes, f"per-file-ignores.{key}", where)))
    return tuple(found)


def _closest(key: str, known: tuple[str, ...]) -> str | None:
    import difflib

    matches = difflib.get_close_matches(key.replace("_", "-"), known, n=1, cutoff=0.6)
    return matches[0] if matches else None
