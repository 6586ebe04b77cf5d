"""Every removed-API entry of the knowledge base, exercised both ways.

For each entry a positive example (code that uses the name, where the removal
applies) must get DPL401/DPL402 on the right line, and a negative one (the
same code, with a requirement or target Python older than the removal) must
get nothing, so no entry can be mistyped or silently unreachable.
"""

from __future__ import annotations

import pytest
from packaging.version import Version

from deploylint.knowledge import knowledge

ENTRIES = knowledge().removed_apis


def _id(api) -> str:
    return f"{api.package}:{api.qualified_name}"


def _code(api) -> tuple[str, int]:
    """A module that uses `api`, and the line the finding belongs on."""
    if api.name is None:
        return f"import {api.module}\n", 1
    if api.module.endswith("()"):  # a method of instances: app = Flask(__name__)
        cls_module, _, cls = api.module[:-2].rpartition(".")
        return f"from {cls_module} import {cls}\n\nobj = {cls}()\nobj.{api.name}\n", 4
    return f"from {api.module} import {api.name}\n\nprint({api.name})\n", 1


def _older(version: Version) -> str:
    """A Python just before `version` (3.12 -> 3.11)."""
    major, minor = version.release[:2]
    return f"{major}.{minor - 1}"


@pytest.mark.parametrize("api", ENTRIES, ids=[_id(a) for a in ENTRIES])
def test_entry_fires_where_the_removal_applies(project, api):
    code, line = _code(api)
    if api.package == "python":
        project.write({"app.py": code})
        found = project.check(python=str(api.removed_in))
        expected = ("DPL402", "app.py", line)
    else:
        project.write({"requirements.txt": f"{api.package}>={api.removed_in}\n", "app.py": code})
        found = project.check()
        expected = ("DPL401", "app.py", line)
    assert expected in [f[:3] for f in found], [f[3].message for f in found]


@pytest.mark.parametrize("api", ENTRIES, ids=[_id(a) for a in ENTRIES])
def test_entry_is_silent_where_the_removal_does_not_apply(project, api):
    code, _ = _code(api)
    if api.package == "python":
        project.write({"app.py": code})
        found = project.check(python=_older(api.removed_in))
    else:
        project.write({"requirements.txt": f"{api.package}<{api.removed_in}\n", "app.py": code})
        found = project.check()
    assert [f[3].message for f in found if f[0] in ("DPL401", "DPL402")] == []


def test_entries_have_sources_and_known_fix_kinds():
    for api in ENTRIES:
        assert api.source.startswith("https://"), _id(api)
        assert api.fix in (None, "safe", "unsafe"), _id(api)
        assert (api.fix is None) == (api.replace_with is None), _id(api)
