"""The text pre-filter never hides a finding: wherever the resolver finds a
removed name, the pre-filter must have let the file through."""

from __future__ import annotations

import pytest

from deploylint.knowledge import knowledge
from deploylint.rules import all_rules
from deploylint.sources import python
from deploylint.text import SourceText

from test_knowledge_entries import _code

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


@pytest.mark.parametrize("text", list(_texts()))
def test_prefilter_lets_through_every_text_with_a_finding(text):
    source = python.read(SourceText("app.py", text), knowledge())
    if source.uses:
        assert knowledge().python_prefilter(text), [u.qualified_name for u in source.uses]


def test_aliased_examples_do_have_findings():
    for text in ALIASED:
        assert python.read(SourceText("app.py", text), knowledge()).uses, text
