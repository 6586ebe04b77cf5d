"""`extend-knowledge`: a team's own removals, Python floors and platform minimums.

The command line runs as a subprocess, as a user (and pre-commit) runs it: the
one-file fast path then starts without the knowledge module loaded, which is
the case its pre-filter must get right.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_files

EXTENSION = """\
# Our own libraries' history.
as_of = "2026-12-01"

[[removed]]
module = "acme_auth.tokens"
names = ["make_token"]
package = "acme-auth"
removed_in = "3.0.0"
replacement = "acme_auth.tokens.issue"
replace_with = "acme_auth.tokens.issue"
fix = "safe"
source = "https://wiki.acme.example/auth/changelog#3-0-0"

[[removed]]
call = "acme_auth.client.Client"
keyword = "legacy_mode"
package = "acme-auth"
removed_in = "3.0.0"
replacement = "drop legacy_mode="
source = "https://wiki.acme.example/auth/changelog#3-0-0"

[[python_support]]
package = "acme-auth"
python = "3.10"
dropped_in = "3.0.0"
why = "acme-auth 3.0.0 and later require Python 3.11 or newer"
source = "https://wiki.acme.example/auth/changelog#3-0-0"

[[platform_minimum]]
platform = "docker"
python = "3.12"
why = "the platform team builds no older base images"
source = "https://wiki.acme.example/platform/python"
"""
CONFIG = '[tool.deploylint]\nextend-knowledge = ["ops/deploylint.toml"]\n'
APP = "from acme_auth.tokens import make_token\n\nprint(make_token())\n"
DOCKERFILE = "FROM python:{python}-slim\nCOPY . .\nRUN pip install -r requirements.txt\n"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deploylint", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def check(cwd: Path, *paths: str) -> subprocess.CompletedProcess:
    return run("check", *paths, "--as-of", "2026-11-23", "--output-format", "concise", cwd=cwd)


@pytest.fixture
def team(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the workspace root, where pyproject.toml is found
    write_files(tmp_path, {"pyproject.toml": CONFIG, "ops/deploylint.toml": EXTENSION, "app.py": APP, "requirements.txt": "acme-auth\n"})
    return tmp_path


@pytest.fixture(autouse=True)
def packaged_knowledge_afterwards():
    """A test that extends the knowledge in this process leaves the packaged one behind it."""
    yield
    from deploylint.knowledge import extend

    extend(())


def test_a_removed_name_of_an_internal_package_is_found_when_the_requirements_allow_the_release(team):
    result = check(team)
    assert result.returncode == 1, result.stderr
    assert "app.py:1:30: DPL401 [*] `acme_auth.tokens.make_token`: name removed in acme-auth 3.0.0" in result.stdout
    assert "use acme_auth.tokens.issue" in result.stdout


def test_it_is_silent_when_the_requirements_keep_the_release_out(team):
    (team / "requirements.txt").write_text("acme-auth<3\n")
    result = check(team)
    assert (result.returncode, result.stdout) == (0, "All checks passed!\n"), result.stderr


def test_without_the_configuration_nothing_is_known_about_the_package(team):
    (team / "pyproject.toml").write_text("[tool.deploylint]\n")
    assert check(team).returncode == 0


def test_the_one_file_fast_path_uses_a_prefilter_built_from_the_extended_knowledge(team):
    from deploylint.sources.python_prefilter import load_index

    # The packaged index would rule the file out, and the run would stop there.
    assert not load_index()(APP)
    result = check(team, "app.py")
    assert result.returncode == 1 and "DPL401" in result.stdout, result.stdout + result.stderr
    # A file the extended knowledge rules out still takes the fast path and passes.
    (team / "other.py").write_text("import acme_auth\n\nprint(acme_auth.tokens.issue())\n")
    assert check(team, "other.py").stdout == "All checks passed!\n"


def test_a_removed_keyword_is_found_through_the_call_shapes(team):
    (team / "app.py").write_text("from acme_auth.client import Client\n\nClient(legacy_mode=True)\n")
    result = check(team, "app.py")
    assert "app.py:3:8: DPL401" in result.stdout and "legacy_mode" in result.stdout, result.stdout + result.stderr


def test_a_python_floor_makes_a_pin_uninstallable_on_an_older_python(team):
    write_files(team, {"Dockerfile": DOCKERFILE.format(python="3.12"), "requirements.txt": "acme-auth==3.1.0\n"})
    assert "DPL302" not in check(team).stdout
    (team / "Dockerfile").write_text(DOCKERFILE.format(python="3.10"))
    result = check(team)
    assert "requirements.txt:1:1: DPL302 `acme-auth==3.1.0` cannot install on Python 3.10" in result.stdout, result.stdout
    assert "acme-auth 3.0.0 and later require Python 3.11 or newer" in result.stdout


def test_the_floor_keeps_an_unpinned_package_below_the_release_that_removed_the_name(team):
    # On 3.10 pip can only get acme-auth 2.x, which still has make_token.
    (team / "Dockerfile").write_text(DOCKERFILE.format(python="3.10"))
    assert "DPL401" not in check(team).stdout


def test_a_platform_minimum_is_enforced_by_dpl101(team):
    write_files(team, {"Dockerfile": DOCKERFILE.format(python="3.11"), "requirements.txt": "acme-auth<3\n"})
    result = check(team)
    assert (
        "Dockerfile:1:6: DPL101 Docker (Dockerfile) runs Python 3.11, older than the Python 3.12 that ops/deploylint.toml "
        "requires on docker (the platform team builds no older base images)"
    ) in result.stdout, result.stdout
    (team / "Dockerfile").write_text(DOCKERFILE.format(python="3.12"))
    assert check(team).returncode == 0


def test_knowledge_shows_the_entries_with_their_sources_and_file(team):
    result = run("knowledge", "acme-auth", cwd=team)
    assert result.returncode == 0, result.stderr
    assert "3.0.0  acme_auth.tokens.make_token -> acme_auth.tokens.issue; fix: safe" in result.stdout
    assert "https://wiki.acme.example/auth/changelog#3-0-0  (from ops/deploylint.toml)" in result.stdout
    assert "dropped Python 3.10 in 3.0.0" in result.stdout
    docker = run("knowledge", "docker", cwd=team).stdout
    assert "Minimum Python (DPL101):\n  3.12 (the platform team builds no older base images)\n" in docker
    assert "https://wiki.acme.example/platform/python  (from ops/deploylint.toml)" in docker
    listing = run("knowledge", cwd=team).stdout
    assert "Extended by ops/deploylint.toml." in listing and "\n  acme-auth\n" in listing
    # The packaged knowledge knows nothing of it.
    assert run("knowledge", "acme-auth", cwd=team.parent).returncode == 2


def test_paths_are_relative_to_the_configuration_file(team):
    (team / "sub").mkdir()
    result = check(team / "sub", "../app.py")
    assert "DPL401" in result.stdout, result.stderr


def _entry(**keys) -> str:
    base = {
        "module": '"acme_auth.tokens"',
        "names": '["make_token"]',
        "package": '"acme-auth"',
        "removed_in": '"3.0.0"',
        "replacement": '"acme_auth.tokens.issue"',
        "source": '"https://wiki.acme.example/auth"',
    }
    base.update(keys)
    return "[[removed]]\n" + "".join(f"{key} = {value}\n" for key, value in base.items() if value is not None)


# (the file's text, the line and key the message must name)
MALFORMED = {
    "bad version": (_entry(removed_in='"three"'), 5, "removed_in"),
    "missing key": ("\n" + _entry(package=None), 2, "package"),
    "unknown key": (_entry(fixx='"safe"'), 8, "fixx"),
    "unknown table": ('as_of = "2026-12-01"\n\n[[remove]]\nmodule = "a"\n', 3, "remove"),
    "wrong type": (_entry(names='"make_token"'), 3, "names"),
    "two shapes": (_entry(call='"acme_auth.tokens.make"', keyword='"x"'), 1, "module"),
    "call form without its argument": (_entry(module=None, names=None, call='"acme_auth.load"', missing_argument='"loader"'), 1, "argument_position"),
    "fix without replace_with": (_entry(fix='"safe"'), 1, "replace_with"),
    "support row without a release": ('[[python_support]]\npackage = "acme-auth"\npython = "3.10"\nwhy = "w"\nsource = "s"\n', 1, "first"),
    "support row bad python": ('[[python_support]]\npackage = "acme-auth"\npython = "3"\ndropped_in = "3.0"\nwhy = "w"\nsource = "s"\n', 3, "python"),
    "unknown platform": ('[[platform_minimum]]\nplatform = "dokcer"\npython = "3.12"\nsource = "s"\n', 2, "platform"),
}


@pytest.mark.parametrize("name", sorted(MALFORMED))
def test_a_malformed_entry_is_a_usage_error_naming_file_line_and_key(team, name):
    text, line, key = MALFORMED[name]
    (team / "ops/deploylint.toml").write_text(text)
    for command in (("check",), ("check", "app.py"), ("knowledge", "acme-auth")):
        result = run(*command, cwd=team)
        assert result.returncode == 2, (command, result.stdout)
        assert result.stdout == ""
        assert f"ops/deploylint.toml:{line}: `{key}`: " in result.stderr, result.stderr
        assert "Traceback" not in result.stderr


def test_invalid_toml_names_the_file_and_line(team):
    (team / "ops/deploylint.toml").write_text(EXTENSION + "\n[[removed\n")
    result = check(team)
    assert result.returncode == 2
    assert f"ops/deploylint.toml:{EXTENSION.count(chr(10)) + 2}: not valid TOML" in result.stderr


def test_the_configuration_key_is_checked(team):
    (team / "pyproject.toml").write_text('[tool.deploylint]\nextend-knowledge = "ops/deploylint.toml"\n')
    assert "`extend-knowledge` must be a list of strings" in check(team).stderr
    (team / "pyproject.toml").write_text('[tool.deploylint]\nextend-knowledge = ["ops/missing.toml"]\n')
    result = check(team)
    assert result.returncode == 2 and "`extend-knowledge` names 'ops/missing.toml'" in result.stderr


def test_nothing_is_half_loaded(team):
    from deploylint.knowledge import extend, knowledge, packaged
    from deploylint.knowledge.extensions import KnowledgeError

    other = team / "ops/other.toml"
    other.write_text(_entry(module='"acme_billing"', names=None, package='"acme-billing"'))
    broken = team / "ops/broken.toml"
    broken.write_text(_entry(removed_in='"three"'))
    extend([team / "ops/deploylint.toml"])
    before = knowledge()
    with pytest.raises(KnowledgeError):
        extend([other, broken])  # the first file is good; the second is not
    assert knowledge() is before
    assert not any(api.package == "acme-billing" for api in knowledge().removed_apis)
    extend([])
    assert knowledge() is packaged() and not any(api.package == "acme-auth" for api in knowledge().removed_apis)


def test_extended_knowledge_keeps_the_packaged_date(team):
    # An extension's as_of must not hide that the packaged data has aged.
    from deploylint.knowledge import extend, knowledge, packaged

    extend([team / "ops/deploylint.toml"])
    assert knowledge().as_of == packaged().as_of
    assert knowledge().removed_apis[: len(packaged().removed_apis)] == packaged().removed_apis


def test_an_extension_entry_becomes_the_same_objects_as_a_packaged_one(team, monkeypatch):
    # The packaged entries' own test (test_knowledge_entries) exercises every shape;
    # an extension's entries are built by the same code, with where they came from added.
    from deploylint.knowledge import extend, knowledge

    monkeypatch.chdir(team)
    extend([team / "ops/deploylint.toml"])
    mine = [api for api in knowledge().removed_apis if api.package == "acme-auth"]
    assert [(api.qualified_name, api.shape, api.origin) for api in mine] == [
        ("acme_auth.tokens.make_token", "name", "ops/deploylint.toml"),
        ("acme_auth.client.Client(legacy_mode=)", "keyword", "ops/deploylint.toml"),
    ]
    assert knowledge().prefilter_for(("3.12",))(APP) and knowledge().prefilter_for(None)(APP)
