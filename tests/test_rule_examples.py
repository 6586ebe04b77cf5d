"""Every rule's own VALID / INVALID examples, Fixit-style.

VALID: the rule stays silent. INVALID: it fires at the given file and line.
With `fixed`: `--fix --unsafe-fixes` (this rule only) produces exactly those
files, each still parses, and fixing again changes nothing.
"""

from __future__ import annotations

import pytest

from deploylint.fixes import _parses
from deploylint.rules import all_rules

from conftest import read_files

CASES_VALID = [(rule, i, ex) for rule in all_rules() for i, ex in enumerate(rule.VALID)]
CASES_INVALID = [(rule, i, ex) for rule in all_rules() for i, ex in enumerate(rule.INVALID)]
CASES_FIXED = [(rule, i, ex) for rule, i, ex in CASES_INVALID if ex.fixed is not None]


def _id(case):
    rule, index, _ = case
    return f"{rule.code}-{index}"


def test_every_rule_has_examples():
    for rule in all_rules():
        assert rule.VALID, f"{rule.code} has no VALID example"
        assert rule.INVALID, f"{rule.code} has no INVALID example"


def test_fixable_rules_show_a_fix():
    for rule in all_rules():
        has_fixed = any(ex.fixed is not None for ex in rule.INVALID)
        assert has_fixed == (rule.fix != "none"), rule.code


@pytest.mark.parametrize("case", CASES_VALID, ids=[_id(c) for c in CASES_VALID])
def test_valid(project, case):
    rule, _, example = case
    project.write(example.files)
    assert [f for f in project.check(python=example.python) if f[0] == rule.code] == []


@pytest.mark.parametrize("case", CASES_INVALID, ids=[_id(c) for c in CASES_INVALID])
def test_invalid(project, case):
    rule, _, example = case
    project.write(example.files)
    found = [(code, path, line) for code, path, line, _ in project.check(python=example.python) if code == rule.code]
    assert (rule.code, example.path, example.line) in found, found


@pytest.mark.parametrize("case", CASES_FIXED, ids=[_id(c) for c in CASES_FIXED])
def test_fix(project, case):
    rule, _, example = case
    project.write(example.files)
    project.fix(select=(rule.code,), python=example.python)
    after = read_files(project.root)
    for path, expected in example.fixed.items():
        assert after.get(path) == expected, path
        assert _parses(path, expected), f"{path} does not parse after the fix"
    assert [f for f in project.check(select=(rule.code,), python=example.python)] == []
    second = project.fix(select=(rule.code,), python=example.python)
    assert second.new_texts == {}, "a second fix changed something"
    assert read_files(project.root) == after
