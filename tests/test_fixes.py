"""The fix engine's guarantees, with rules made up to break them."""

from __future__ import annotations

import os
import stat

import pytest

from deploylint import checker
from deploylint.diagnostics import Applicability, Diagnostic, Edit, Fix, Span
from deploylint.fixes import write_atomically
from deploylint.rules import Rule


class _BreaksJson(Rule):
    code = "DPL999"
    name = "test-breaks-json"

    def check_project(self, project):
        if "vercel.json" in project.files and "{" in project.files["vercel.json"].text:
            edit = Edit("vercel.json", 0, 1, "[")  # '{' -> '[' no longer parses
            yield Diagnostic(self.code, "breaks", Span("vercel.json", 0, 1), Fix("break", Applicability.SAFE, (edit,)))


class _NeverSettles(Rule):
    code = "DPL998"
    name = "test-never-settles"

    def check_project(self, project):
        text = project.files["requirements.txt"].text
        edit = Edit("requirements.txt", len(text), len(text), "# more\n")
        yield Diagnostic(self.code, "grows", Span("requirements.txt", 0, 0), Fix("grow", Applicability.SAFE, (edit,)))


class _CannotBuild(Rule):
    code = "DPL997"
    name = "test-cannot-build"

    def check_project(self, project):
        # A deferred fix whose build fails, as a libcst rewrite does when
        # libcst rejects code that CPython accepts.
        yield Diagnostic(self.code, "unbuildable", Span("requirements.txt", 0, 0), Fix("never", Applicability.SAFE, build=lambda: ()))


@pytest.fixture
def only(monkeypatch):
    def use(rule):
        monkeypatch.setattr(checker, "selected_rules", lambda selection: [rule()])

    return use


def test_a_fix_whose_result_does_not_parse_is_rolled_back(project, only):
    only(_BreaksJson)
    project.write({"vercel.json": '{"builds": []}\n'})
    outcome = project.fix()
    assert [d.code for d in outcome.rolled_back] == ["DPL999"]
    assert outcome.new_texts == {}
    assert (project.root / "vercel.json").read_text() == '{"builds": []}\n'


def test_fixes_that_never_settle_are_reported_not_written(project, only):
    from deploylint.checker import Selection
    from deploylint.fixes import fix_project
    from deploylint.project import Options
    from deploylint.workspace import Workspace

    only(_NeverSettles)
    project.write({"requirements.txt": "flask\n"})
    outcome = fix_project(Workspace(project.root), ["requirements.txt"], Options(as_of=__import__("datetime").date.today()), Selection(), False)
    assert not outcome.converged
    assert (project.root / "requirements.txt").read_text() == "flask\n"


def test_a_deferred_fix_that_cannot_be_built_is_reported_and_left_unfixed(project, only):
    only(_CannotBuild)
    project.write({"requirements.txt": "flask\n"})
    outcome = _fix(project)
    assert [d.code for d in outcome.unbuilt] == ["DPL997"]
    assert outcome.converged and outcome.new_texts == {}
    assert [(d.code, d.fix) for d in outcome.remaining] == [("DPL997", None)]


def test_deferred_edits_are_built_once_on_first_use():
    calls = []
    edit = Edit("app.py", 0, 1, "x")
    fix = Fix("lazy", Applicability.SAFE, build=lambda: calls.append(1) or (edit,))
    assert calls == []
    assert fix.edits == (edit,) and fix.edits == (edit,)
    assert calls == [1]


def test_atomic_write_keeps_mode_and_follows_symlinks(tmp_path):
    target = tmp_path / "real.txt"
    target.write_text("old\n")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    write_atomically(link, b"new\n")
    assert link.is_symlink() and target.read_text() == "new\n"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if "deploylint-tmp" in p.name] == []


def test_a_file_created_by_a_fix_is_read_by_the_next_pass(project):
    # DPL103's fix writes .python-version; the pass after it must read that
    # file (Vercel's Python then comes from it) instead of writing it again.
    project.write({"vercel.json": '{"builds": [{"src": "a.py", "use": "@vercel/python", "config": {"runtime": "python3.9", "pythonVersion": "3.9"}}]}\n'})
    project.fix()
    assert (project.root / ".python-version").read_text() == "3.12\n"
    assert (project.root / "vercel.json").read_text() == '{"builds": [{"src": "a.py", "use": "@vercel/python"}]}\n'


OPENCV = {"requirements.txt": "opencv-python==4.8.0.76\n"}


def test_read_only_file_is_reported_and_kept(project):
    project.write(OPENCV)
    target = project.root / "requirements.txt"
    target.chmod(0o444)
    outcome = _fix(project)
    assert outcome.write(project.root) == ["requirements.txt is read-only; it is unchanged"]
    assert target.read_text() == "opencv-python==4.8.0.76\n"


def test_never_writes_through_a_link_out_of_the_workspace(project, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside") / "requirements.txt"
    outside.write_text("opencv-python==4.8.0.76\n")
    (project.root / "requirements.txt").symlink_to(outside)
    assert _fix(project).new_texts == {}  # not even read
    assert outside.read_text() == "opencv-python==4.8.0.76\n"
    from deploylint.fixes import _write_problem

    assert _write_problem(project.root.resolve(), outside, None) == "links outside the workspace; deploylint writes only inside it"


def test_file_changed_or_vanished_mid_run_is_not_overwritten(project):
    project.write(OPENCV)
    outcome = _fix(project)
    (project.root / "requirements.txt").write_text("edited meanwhile\n")
    assert outcome.write(project.root) == ["requirements.txt changed while deploylint ran; it is unchanged"]
    assert (project.root / "requirements.txt").read_text() == "edited meanwhile\n"
    (project.root / "requirements.txt").unlink()
    assert outcome.write(project.root) == ["requirements.txt vanished while deploylint ran; it is unchanged"]
    assert not (project.root / "requirements.txt").exists()


@pytest.mark.parametrize(
    "before, after",
    [
        ("opencv-python==4.8.0.76", "opencv-python==4.8.0.76\nnumpy<2"),  # no final newline: none added
        ("opencv-python==4.8.0.76\r\n", "opencv-python==4.8.0.76\r\nnumpy<2\r\n"),
        ("numpy\t# keep this comment\nopencv-python==4.8.0.76\n", "numpy<2\t# keep this comment\nopencv-python==4.8.0.76\n"),
    ],
)
def test_fix_keeps_line_endings_tabs_and_comments(project, before, after):
    project.write({"requirements.txt": before})
    project.fix()
    assert (project.root / "requirements.txt").read_bytes() == after.encode()


def _fix(project):
    from deploylint.checker import Selection
    from deploylint.fixes import fix_project
    from deploylint.project import Options
    from deploylint.workspace import Workspace

    from conftest import AS_OF

    workspace = Workspace(project.root)
    return fix_project(workspace, sorted(workspace.walk("")), Options(as_of=AS_OF), Selection(), True)
