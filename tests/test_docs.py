"""The README shows real output, and names every rule and hook."""

from __future__ import annotations

import re
import subprocess
import sys

import yaml

from deploylint.rules import all_rules

from conftest import REPO


def test_readme_sample_is_the_real_demo_output():
    readme = (REPO / "README.md").read_text()
    sample = re.search(r"`make demo` on the three incidents in `examples/`:\n\n```text\n(.*?)```", readme, re.S).group(1)
    result = subprocess.run(
        [sys.executable, "-m", "deploylint", "check", "examples", "--as-of", "2026-11-23"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    assert result.stdout == sample


def test_readme_names_every_rule_and_hook():
    readme = (REPO / "README.md").read_text()
    for rule in all_rules():
        assert f"| {rule.code} | {rule.name} |" in readme, rule.code
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()):
        assert f"id: {hook['id']}" in readme, hook["id"]


def test_knowledge_page_covers_every_package_and_platform():
    from deploylint.knowledge import knowledge
    from deploylint.knowledge.describe import topics

    page = (REPO / "docs" / "knowledge.md").read_text().lower()
    missing = [topic for topic in topics(knowledge()) if topic.replace("-", " ") not in page.replace("-", " ")]
    assert missing == []


def test_rules_page_is_generated_from_the_docstrings():
    from deploylint.rules import docs

    assert (REPO / "docs" / "rules.md").read_text(encoding="utf-8") == docs.render(), "run `python -m deploylint.rules.docs > docs/rules.md`"


def test_every_rule_doc_has_ruffs_sections_in_order():
    from deploylint.rules.docs import SECTIONS

    for rule in all_rules():
        headings = [line[3:] for line in rule.doc().splitlines() if line.startswith("## ")]
        assert headings == list(SECTIONS), rule.code
        references = rule.doc().split("## References", 1)[1]
        assert re.search(r"^- \[.+\]\(https://\S+\)$", references, re.M), f"{rule.code} cites no source"


def test_rule_command_prints_the_whole_doc():
    from deploylint.rules import rule_by_code

    result = subprocess.run([sys.executable, "-m", "deploylint", "rule", "DPL401"], cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0
    assert rule_by_code("DPL401").doc() in result.stdout


def test_every_code_and_hook_id_is_documented():
    documented = (REPO / "README.md").read_text() + "".join(page.read_text() for page in (REPO / "docs").glob("*.md"))
    for rule in all_rules():
        assert rule.code in documented and rule.name in documented, rule.code
    for hook in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text()):
        assert hook["id"] in documented, hook["id"]


def test_knowledge_coverage_table_is_current():
    from deploylint.knowledge import coverage, knowledge

    text = (REPO / "docs" / "knowledge.md").read_text(encoding="utf-8")
    assert coverage.updated(text, coverage.render(knowledge())) == text, "run `python -m deploylint.knowledge.coverage`"
