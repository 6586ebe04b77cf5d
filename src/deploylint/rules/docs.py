"""docs/rules.md, generated from the rules' docstrings (a test fails when it is stale).

    python -m deploylint.rules.docs > docs/rules.md
"""

from __future__ import annotations

from deploylint.rules import all_rules

SECTIONS = ("What it does", "Why is this bad?", "Example", "Fix safety", "References")
_FIX = {"always": "always available", "sometimes": "sometimes available", "none": "none"}


def render() -> str:
    rules = all_rules()
    lines = [
        "# Rules",
        "",
        "<!-- Generated from the rules' docstrings by `python -m deploylint.rules.docs > docs/rules.md`; do not edit. -->",
        "",
        "`deploylint rule CODE` prints the same text. Select and ignore codes or",
        "prefixes with `--select`/`--ignore` or in the configuration (see the README).",
        "",
        "| code | name | fix |",
        "|---|---|---|",
    ]
    for rule in rules:
        lines.append(f"| [{rule.code}](#{rule.code.lower()}-{rule.name}) | {rule.name} | {_FIX[rule.fix]} |")
    for rule in rules:
        lines += ["", f"## {rule.code}: {rule.name}", "", f"Fix: {_FIX[rule.fix]}.", ""]
        # The docstring's sections become subsections of the rule's heading.
        lines += [f"#{line}" if line.startswith("## ") else line for line in rule.doc().splitlines()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
