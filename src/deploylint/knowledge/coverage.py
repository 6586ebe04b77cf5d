"""The coverage table in docs/knowledge.md: every package whose removals deploylint knows, with counts.

Run `python -m deploylint.knowledge.coverage` after changing the removal data;
tests/test_docs.py fails while the table is stale.
"""

from __future__ import annotations

from pathlib import Path

from deploylint.knowledge import Knowledge, knowledge

DOC = Path(__file__).resolve().parents[3] / "docs" / "knowledge.md"
START, END = "<!-- coverage:start -->", "<!-- coverage:end -->"


def render(data: Knowledge) -> str:
    by_package: dict[str, list] = {}
    for api in data.removed_apis:
        by_package.setdefault(api.package, []).append(api)
    rows = ["| package | entries | releases that removed them | kinds | sources |", "|---|---:|---|---|---:|"]
    for package in sorted(by_package, key=lambda name: (name == "python", name)):
        apis = by_package[package]
        releases = sorted({api.removed_in for api in apis})
        shown = ", ".join(str(release) for release in releases[:6]) + (", …" if len(releases) > 6 else "")
        kinds = sorted({"module" if api.shape == "name" and api.name is None else api.shape for api in apis})
        name = "Python (stdlib)" if package == "python" else package
        rows.append(f"| {name} | {len(apis)} | {shown} | {', '.join(kinds)} | {len({api.source for api in apis})} |")
    packages = len([p for p in by_package if p != "python"])
    total = len(data.removed_apis)
    return "\n".join([START, f"{packages} packages and the standard library, {total} entries in all.", "", *rows, END])


def updated(text: str, table: str) -> str:
    before, _, rest = text.partition(START)
    _, _, after = rest.partition(END)
    return before + table + after


if __name__ == "__main__":
    DOC.write_text(updated(DOC.read_text(encoding="utf-8"), render(knowledge())), encoding="utf-8")
    print(f"wrote the coverage table in {DOC}")
