"""Write knowledge/prefilter_index.json, the pre-filter's view of the removals.

Run `python -m deploylint.knowledge.index` after editing removed_apis.toml,
removed_stdlib.toml or removed/*.toml; tests/test_prefilter.py fails while
the index is stale.
"""

from __future__ import annotations

import json
from pathlib import Path

from deploylint.knowledge import knowledge

PATH = Path(__file__).with_name("prefilter_index.json")


def render() -> str:
    data = knowledge()
    index = {"as_of": data.as_of, "qualified_names": sorted(data.removed_by_qualified_name), "words": data.prefilter_words}
    return json.dumps(index, indent=0) + "\n"


if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
    print(f"wrote {PATH}")
