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
    owner, _, callee = api.module.rpartition(".")
    if api.shape == "keyword":
        return f"from {owner} import {callee}\n\n{callee}({api.name}=None)\n", 3
    if api.shape == "call":
        return f"import {owner}\n\n{api.module}(stream)\n", 3
    if api.shape == "result":
        return f"import {owner}\n\n{api.module}(payload).{api.name}()\n", 3
    if api.shape == "method":
        return f"import {api.module}\n\nobj.{api.name}()\n", 3
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
        # A name's fix rewrites to replace_with; dropping `.decode()` and spelling a
        # selenium lookup with By need none.
        if api.shape in ("name", "keyword", "call"):
            assert (api.fix is None) == (api.replace_with is None), _id(api)


# -- Python support rows (DPL302) ------------------------------------------

SUPPORT = knowledge().python_support


def _support_id(row) -> str:
    return f"{row.package}:{row.python}"


@pytest.mark.parametrize("row", SUPPORT, ids=[_support_id(r) for r in SUPPORT])
def test_a_support_row_gives_one_reason(row):
    # DPL302 prints `why` and then the row's first/last release: `why` must not
    # name another release (a Pillow row once called 10.1.0 the first with 3.12
    # support next to first = 10.0.0).
    import re

    own = {str(v) for v in (row.first, row.last, row.dropped_in, row.since) if v is not None}
    named = set(re.findall(r"\b\d+\.\d+\.\d+\b", row.why))
    # A `last` row may name the release that dropped the Python, which follows it.
    stray = {v for v in named - own if not (row.last and Version(v) > row.last)}
    assert not stray, (row.why, own)
    assert row.source.startswith("https://")


def test_rows_of_one_package_agree_on_the_order_of_pythons():
    # A newer Python never gets an earlier first release, nor an older Python a later last one.
    by_package: dict[str, list] = {}
    for row in SUPPORT:
        by_package.setdefault(row.package, []).append(row)
    for package, rows in by_package.items():
        firsts = sorted((r.python, r.first) for r in rows if r.first)
        assert [f for _, f in firsts] == sorted(f for _, f in firsts), package
        ends = sorted((r.python, r.last or r.dropped_in) for r in rows if r.last or r.dropped_in)
        assert [e for _, e in ends] == sorted(e for _, e in ends), package


@pytest.mark.parametrize(
    ("python", "pin", "first"),
    [("3.12", "9.5.0", "10.0.0"), ("3.13", "10.3.0", "10.4.0"), ("3.14", "11.2.1", "11.3.0")],
)
def test_pillow_without_a_wheel_gets_one_coherent_reason(project, python, pin, first):
    project.write({"Dockerfile": f"FROM python:{python}-slim\nRUN pip install -r requirements.txt\n", "requirements.txt": f"pillow=={pin}\n"})
    messages = [d.message for code, *_, d in project.check() if code == "DPL302"]
    assert len(messages) == 1, messages
    assert f"older releases have no wheels for Python {python}; pillow {first} is the first release for Python {python}" in messages[0]
    assert set(__import__("re").findall(r"\b\d+\.\d+\.\d+\b", messages[0])) == {pin, first}


@pytest.mark.parametrize(("python", "pin"), [("3.12", "10.0.0"), ("3.13", "10.4.0"), ("3.14", "11.3.0")])
def test_pillow_with_a_wheel_for_the_python_is_not_reported(project, python, pin):
    # Their wheels were built against pre-releases, but pip installs them.
    project.write({"Dockerfile": f"FROM python:{python}-slim\nRUN pip install -r requirements.txt\n", "requirements.txt": f"pillow=={pin}\n"})
    assert [code for code, *_ in project.check() if code == "DPL302"] == []


def test_a_row_since_a_release_leaves_older_pins_alone(project):
    # Werkzeug used ast.Str (gone in 3.14) from 0.15.3 to 2.3.4; 0.9.6 never did.
    dockerfile = "FROM python:3.14-slim\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\n"
    project.write({"Dockerfile": dockerfile, "requirements.txt": "Werkzeug==0.9.6\n"})
    assert [f[:3] for f in project.check() if f[0] == "DPL302"] == []
    project.write({"requirements.txt": "Werkzeug==2.2.3\n"})
    assert [f[:3] for f in project.check() if f[0] == "DPL302"] == [("DPL302", "requirements.txt", 1)]
