"""Write knowledge/prefilter_index.json, the pre-filter's view of the removals,
and knowledge/bundle.json, every data file parsed, for fast loading.

Run `python -m deploylint.knowledge.index` after editing any knowledge TOML
file; tests/test_prefilter.py fails while either is stale (a stale bundle is
never used: its fingerprint no longer matches, and the TOML is parsed).
"""

from __future__ import annotations

import json
from pathlib import Path

from deploylint.knowledge import knowledge

PATH = Path(__file__).with_name("prefilter_index.json")
BUNDLE = Path(__file__).with_name("bundle.json")


def render() -> str:
    data = knowledge()
    index = {"as_of": data.as_of, "qualified_names": sorted(data.removed_by_qualified_name), "words": data.prefilter_words}
    return json.dumps(index, indent=0) + "\n"


def render_bundle() -> str:
    from deploylint.knowledge import data_files, fingerprint
    from deploylint.parsing.toml import tomllib

    texts = data_files()
    return json.dumps({"fingerprint": fingerprint(texts), "data": {name: tomllib.loads(text) for name, text in texts.items()}}, separators=(",", ":")) + "\n"


if __name__ == "__main__":
    PATH.write_text(render(), encoding="utf-8")
    BUNDLE.write_text(render_bundle(), encoding="utf-8")
    print(f"wrote {PATH} and {BUNDLE}")
