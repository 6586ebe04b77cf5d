"""The development tools that derive knowledge from the packages' own releases
(tools/, never run at lint time): what they read from a release's sources, with no
index needed."""

from __future__ import annotations

import importlib.util
from pathlib import Path

TOOLS = Path(__file__).resolve().parents[1] / "tools"


def _tool(name: str):
    spec = importlib.util.spec_from_file_location(name, TOOLS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


OLD = '''
__all__ = ["Listed"]
from .core import Session, _private
import json as _json
try:
    from fast import speedups
except ImportError:
    speedups = None
ANTIALIAS = 1
LANCZOS = 1
def escape(s): ...
class Response: ...
_hidden = 1

def __getattr__(name):
    old = {"NEAREST_OLD": "NEAREST"}
    if name in ("CONTAINER", "SEQUENCE") or name == "linear":
        return 0
    raise AttributeError(name)
'''
NEW = '''
from .core import Session
LANCZOS = 1
class Response: ...
'''


def test_public_names_cover_definitions_imports_all_and_getattr():
    api_diff = _tool("api_diff")
    names = api_diff.public_names(OLD)
    assert names == {
        "Listed", "Session", "speedups", "ANTIALIAS", "LANCZOS", "escape", "Response",
        "NEAREST_OLD", "CONTAINER", "SEQUENCE", "linear",
    }
    assert api_diff.public_names("def broken(:\n") is None


def test_diff_lists_removed_modules_and_names():
    api_diff = _tool("api_diff")
    old = {"pkg": api_diff.public_names(OLD), "pkg.compat": {"text_type"}, "pkg.compat.six": {"PY2"}}
    new = {"pkg": api_diff.public_names(NEW)}
    modules, names = api_diff.diff(old, new)
    assert modules == ["pkg.compat"]  # its submodule goes with it, listed once
    assert names == {"pkg": ["ANTIALIAS", "CONTAINER", "Listed", "NEAREST_OLD", "SEQUENCE", "escape", "linear", "speedups"]}
    assert api_diff.diff(old, new, prefix="pkg.compat") == (["pkg.compat"], {})
