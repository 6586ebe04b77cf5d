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
