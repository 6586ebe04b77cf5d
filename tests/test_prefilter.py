"""The text pre-filter never hides a finding: wherever the resolver finds a
removed name, the pre-filter must have let the file through. The index-built
pre-filter checked here is the one the CLI's fast path uses, and a superset of
the per-unit ones (`Knowledge.prefilter_for`), which the CLI test covers."""

from __future__ import annotations

import json
import re

import pytest
from test_knowledge_entries import _code

from deploylint.knowledge import knowledge
from deploylint.rules import all_rules
from deploylint.sources import python
from deploylint.sources.python_prefilter import INDEX, Imports, Prefilter, load_index
from deploylint.text import SourceText

ALIASED = [
    "import numpy as n\nn.float(1)\n",
    "import werkzeug.security as s\ns.safe_str_cmp\n",
    "from werkzeug import security as s\ns.safe_str_cmp\n",
    "from werkzeug \\\n    import (\n        secure_filename as sf,\n    )\n",
    "try: import imp as i\nexcept ImportError: pass\nimport cgi as c\n",
    "import os, collections as c; c.Mapping\n",
    "from flask import Flask as F\nweb = F(__name__)\n@web.before_first_request\ndef f(): pass\n",
    "import numpy as np\nnp \\\n    .NaN\n",
    "if True: import pkg_resources as p\n",
    "from werkzeug.security import (  # a comment may hold a )\n    safe_str_cmp,\n)\n",
    "from __future__ import annotations; from werkzeug.security import safe_str_cmp\n",
    "from numpy import (float_ as f)  # one line\nf(1)\n",
    "import os; import numpy \\\n    as np\nnp.float_\n",
]


def _texts():
    for rule in all_rules():
        for example in (*rule.VALID, *rule.INVALID):
            for path, text in example.files.items():
                if path.endswith(".py"):
                    yield text
    for api in knowledge().removed_apis:
        yield _code(api)[0]
    yield from ALIASED
    yield from (text.replace("\n", "\r\n") for text in ALIASED)


def _uses(text: str) -> list[str]:
    return [use.qualified_name for use in python.read(SourceText("app.py", text), knowledge()).uses]


# Only the texts in which the resolver finds something: for the others the
# pre-filter's answer does not matter.
WITH_USES = [text for text in _texts() if _uses(text)]


@pytest.mark.parametrize("text", WITH_USES)
def test_prefilter_lets_through_every_text_with_a_finding(text):
    assert load_index()(text), _uses(text)


def test_aliased_examples_do_have_findings():
    for text in ALIASED:
        assert _uses(text), text


def test_findings_are_the_same_with_prefilter_and_parallelism_on_or_off(tmp_path):
    import json
    import os
    import subprocess
    import sys

    files = {f"pkg/m{index}.py": text for index, text in enumerate(_texts())}
    files["requirements.txt"] = "flask\nnumpy>=2\n"
    files["Dockerfile"] = "FROM python:3.13-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n"
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)

    def run(**env):
        command = [sys.executable, "-m", "deploylint", "check", ".", "--output-format", "json", "--as-of", "2026-11-23"]
        result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env={**os.environ, **env})
        assert result.returncode == 1, result.stderr
        return json.loads(result.stdout)

    parallel = run(DEPLOYLINT_JOBS="2")
    assert len(parallel) > 600
    assert run(DEPLOYLINT_JOBS="1") == parallel
    assert run(DEPLOYLINT_JOBS="1", DEPLOYLINT_PREFILTER="0") == parallel


# Texts the pre-filter reads in one of its ways: each search kind, the loose
# reading's corners, and one pass for several modules' names.
TRICKY = [
    "from \\\n  numpy import float_\n",
    "from numpy \\\r\n import (float_)\r\n",
    "import os, numpy as np\nnp.float_\n",
    "import os; import numpy\nnumpy.float_\n",
    "x = 1; from numpy import float_\n",
    "x = 1 \\\nfrom numpy import float_\n",  # a continued line: `from` starts no statement
    "from numpy \\\nimport float_\n",  # `import` starts a line, `from` its logical line
    "from sysimport x\nsys.getcheckinterval()\n",  # the head ends inside a word: module "sys"
    "from importlib import x\nimportlib.find_loader\n",
    "from numpy import array  # important: float_ is gone\n",
    "from numpy import array  # important float_ is gone\n",  # "important" holds `import`
    "from numpy.linalg import (  # a comment with a )\n    norm,\n    float_,\n)\n",
    "from . import sys\nsys.getcheckinterval()\n",
    "# we import sys here\nsys.getcheckinterval()\n",
    "import sys\nfilesys.getcheckinterval()\n",
    "import sys\nx = (sys\n     .getcheckinterval())\n",
    "import sys\nx = sys. \\\n getcheckinterval()\n",
    "import sys as _sys\n_sys.getcheckinterval()\n",
    "import sys, xml.etree.ElementTree as ET\nET.getcheckinterval()\n",
    "import sys\nfrom typing import Mapping\nfrom collections import OrderedDict\n",
    "from collections.abc import Mapping\n",
    "import time\nt = time.clock()\n",
    "import time\nt = time \\\n    .clock()\n",
    "import time\nclock()\n",
    "import time\nt = time.clocks()\n",
    "from time import clock\n",
    "import time as t\nt.clock()\n",
    "import typing, re\nre.compile('x')\n",
    "import imp\n",
    "from email import parser\n",
    "import os\nos.path.join('a', 'b')\n",
    "print('no imports')\n",
    # Long enough for one pass for all the modules' names to cost less than one each.
    "import sys, unittest, inspect, locale, collections as c\n" + "x = 1\n" * 100_000 + "c.Mapping\n",
    "import sys, unittest, inspect, locale, collections as c\n" + "x = 1\n" * 100_000,
]


def _rule(text: str, qualified_names=None, words=None) -> bool:
    """The pre-filter's rule, read the plain way: one pass per imported module
    (the packaged index's removals, unless given)."""
    index = json.loads(INDEX.read_text("utf-8"))
    qualified_names = index["qualified_names"] if qualified_names is None else qualified_names
    names_by_top, receivers, removed = {}, {}, set()
    for qualified in qualified_names:
        parts = qualified.split(".")
        if len(parts) == 1:
            removed.add(parts[0])
            continue
        names_by_top.setdefault(parts[0], set()).add(parts[-1])
        if parts[-2].endswith("()") or receivers.get(parts[-1], set()) is None:
            receivers[parts[-1]] = None
        else:
            receivers.setdefault(parts[-1], set()).add(parts[-2])
    words_by_top = {}
    for top, word in index["words"] if words is None else words:
        words_by_top.setdefault(top, []).append(word)
    imports = Imports(text)
    if imports.tops & removed or any(word in text for top in imports.tops & words_by_top.keys() for word in words_by_top[top]):
        return True
    for top in imports.tops & names_by_top.keys():
        if any(names_by_top[top] & set(re.findall(r"[A-Za-z_]\w*", listed)) for listed in imports.from_lists.get(top, ())):
            return True
        for match in re.finditer(r"\.(?:\s|\\)*(" + "|".join(sorted(names_by_top[top], key=len, reverse=True)) + r")\b", text):
            receiver = re.search(r"(\w*)(?:\s|\\)*$", text[max(0, match.start() - 200) : match.start()])[1]
            found = receivers[match[1]]
            if found is None or receiver in found or receiver in imports.aliases():
                return True
    return False


@pytest.mark.parametrize("text", TRICKY + [text.replace("\n", "\r\n") for text in TRICKY])
def test_prefilter_answers_as_its_rule(text):
    assert load_index()(text) == _rule(text)


@pytest.mark.parametrize(
    "text",
    [
        "import éclair\néclair.gâteau\n",  # `Imports` reads the list's word from its ASCII letter on: "clair"
        "import clair\néclair.gâteau\n",
        "from éclair import gâteau\n",  # a `from` module is the whole word
        "from  éclair import x\nx.crème()\n",
        "from éclair import y\néclair.gâteau\n",
        "import 2to3\n2to3.x\n",
        "from 2to3 import x\n",
        "import éclairs\néclairs.gâteau\n",
    ],
)
def test_prefilter_answers_as_its_rule_for_modules_named_oddly(text):
    removals = ["éclair.gâteau", "éclair.Tarte().crème", "2to3.x", "clair.gâteau"]
    assert Prefilter(removals)(text) == _rule(text, removals, [])


def test_prefilter_answers_as_its_rule_on_every_example():
    prefilter = load_index()
    assert [text for text in _texts() if prefilter(text) != _rule(text)] == []


def test_prefilter_index_is_up_to_date():
    from deploylint.knowledge import index

    assert index.PATH.read_text(encoding="utf-8") == index.render(), "run `python -m deploylint.knowledge.index`"


def test_knowledge_bundle_is_up_to_date():
    from deploylint.knowledge import index

    assert index.BUNDLE.read_text(encoding="utf-8") == index.render_bundle(), "run `python -m deploylint.knowledge.index`"


def test_a_bundle_that_does_not_match_the_toml_is_not_used(monkeypatch):
    import deploylint.knowledge as data

    texts = data.data_files()
    edited = dict(texts, **{"compat.toml": texts["compat.toml"] + "\n# edited after the bundle was written\n"})
    monkeypatch.setattr(data, "data_files", lambda: edited)
    monkeypatch.setattr(data.tomllib, "loads", _counting(data.tomllib.loads))
    parsed = data._parsed_data()
    assert parsed["compat.toml"]["requires"] and _counting.calls == len(edited)  # every file parsed from its TOML


def _counting(loads):
    _counting.calls = 0

    def counted(text):
        _counting.calls += 1
        return loads(text)

    return counted
