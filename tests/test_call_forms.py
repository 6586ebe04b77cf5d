"""Removals the name index cannot see: a removed keyword argument, a call that now
needs an argument, an attribute of a result whose type changed, and methods only one
package has. Each is found where the code really uses it, never on a look-alike, and
its fix gives code that parses and that a second fix leaves alone."""

from __future__ import annotations

import ast

import pytest

REQUIREMENTS = "requests\npyyaml\npyjwt\nselenium\n"


def _found(project, code: str, requirements: str = REQUIREMENTS) -> list[tuple[str, int]]:
    project.write({"requirements.txt": requirements, "app.py": code})
    return [(f[0], f[2]) for f in project.check() if f[1] == "app.py"]


@pytest.mark.parametrize(
    "code, line",
    [
        ("from urllib3.util.retry import Retry\n\nRetry(total=3, method_whitelist=['GET'])\n", 3),
        ("from requests.adapters import HTTPAdapter, Retry\n\nHTTPAdapter(max_retries=Retry(method_whitelist=None))\n", 3),
        ("import urllib3\n\nr = urllib3.Retry(\n    method_whitelist=False,\n)\n", 4),
        ("import yaml\n\nwith open('c.yml') as f:\n    config = yaml.load(f)\n", 4),
        ("import yaml as y\n\ndocs = list(y.load_all(open('c.yml')))\n", 3),
        ("import jwt\n\ntoken = jwt.encode({'sub': 1}, 'key', algorithm='HS256').decode('utf-8')\n", 3),
        ("from selenium import webdriver\n\nd = webdriver.Firefox()\nd.find_element_by_xpath('//a').click()\n", 4),
        ("from selenium.webdriver.common.by import By\n\n\ndef search(driver):\n    return driver.find_elements_by_name('q')\n", 5),
    ],
)
def test_found_where_the_code_uses_it(project, code, line):
    assert ("DPL401", line) in _found(project, code)


@pytest.mark.parametrize(
    "code",
    [
        # The argument is there, or might be: *args/**kwargs.
        "import yaml\n\nyaml.load(open('c.yml'), Loader=yaml.SafeLoader)\n",
        "import yaml\n\nyaml.load(open('c.yml'), yaml.FullLoader)\n",
        "import yaml\n\nargs = (open('c.yml'), yaml.SafeLoader)\nyaml.load(*args)\n",
        "import yaml\n\nyaml.load(open('c.yml'), **options)\n",
        # Look-alikes: a local load, a local Retry, a decode of something else.
        "import yaml\n\n\ndef load(path):\n    return path\n\nload('c.yml')\n",
        "class Retry:\n    def __init__(self, **kw):\n        pass\n\nRetry(method_whitelist=['GET'])\n",
        "import jwt\n\nclaims = jwt.decode(token, 'key', algorithms=['HS256'])\ntext = payload.encode('utf-8').decode('ascii')\n",
        # selenium's method names only count in a file that imports selenium...
        "def run(driver):\n    return driver.find_element_by_id('q')\n",
        # ...and not where the file defines its own.
        "import selenium\n\n\nclass Page:\n    def find_element_by_id(self, x):\n        return x\n\nPage().find_element_by_id('q')\n",
        # Fallback code for older releases.
        "import yaml\n\ntry:\n    data = yaml.load(open('c.yml'))\nexcept TypeError:\n    data = yaml.safe_load(open('c.yml'))\n",
    ],
)
def test_silent_on_look_alikes(project, code):
    assert [f for f in _found(project, code) if f[0] == "DPL401"] == []


def test_silent_where_the_old_release_is_pinned(project):
    code = "import yaml\nimport jwt\nfrom requests.adapters import Retry\n\nyaml.load(s)\njwt.encode(p, 'k').decode('utf-8')\nRetry(method_whitelist=None)\n"
    # requests 2.28 caps urllib3 below 2; PyYAML 5.4 and PyJWT 1.7 still had the old forms.
    assert _found(project, code, "requests==2.28.1\npyyaml==5.4.1\npyjwt==1.7.1\n") == []


@pytest.mark.parametrize(
    "before, after",
    [
        (
            "from requests.adapters import Retry\n\nr = Retry(total=3, method_whitelist=['GET'])\n",
            "from requests.adapters import Retry\n\nr = Retry(total=3, allowed_methods=['GET'])\n",
        ),
        ("import yaml\n\nconfig = yaml.load(open('c.yml'))\n", "import yaml\n\nconfig = yaml.safe_load(open('c.yml'))\n"),
        (
            "import jwt\n\ntoken = jwt.encode({'a': ')'}, 'k').decode('utf-8')\nprint(token)\n",
            "import jwt\n\ntoken = jwt.encode({'a': ')'}, 'k')\nprint(token)\n",
        ),
        (
            "import os\nfrom selenium import webdriver\n\nd = webdriver.Chrome()\nd.find_element_by_id('q')\nd.find_elements_by_css_selector('a.b')\n",
            "import os\nfrom selenium import webdriver\nfrom selenium.webdriver.common.by import By\n\nd = webdriver.Chrome()\n"
            "d.find_element(By.ID, 'q')\nd.find_elements(By.CSS_SELECTOR, 'a.b')\n",
        ),
    ],
)
def test_fix_before_after_parses_and_settles(project, before, after):
    project.write({"requirements.txt": "requests>=2.30\npyyaml>=6\npyjwt>=2\nselenium>=4.3\n", "app.py": before})
    project.fix()
    fixed = (project.root / "app.py").read_text()
    assert fixed == after
    ast.parse(fixed)
    assert project.fix().new_texts == {}  # a second fix changes nothing


def test_a_mock_of_the_old_method_is_not_a_use(project):
    code = (
        "from unittest.mock import MagicMock\nimport selenium\n\n"
        "driver = MagicMock()\ndriver.find_element_by_id.return_value.text = 'x'\ndriver.find_element_by_id.assert_called_with('q')\n"
    )
    assert _found(project, code) == []


def test_an_old_fastapi_keeps_starlette_graphql(project):
    code = "from starlette.graphql import GraphQLApp\n"
    assert _found(project, code, "fastapi==0.65.2\n") == []
    assert _found(project, code, "fastapi==0.71.0\n") == [("DPL401", 1)]


@pytest.mark.parametrize("path", ["tests/test_model.py", "tests/helpers.py", "app/test_views.py", "app/views_test.py", "conftest.py"])
def test_tests_are_not_judged(project, path):
    # A deploy never runs them; the same code in the app is reported.
    code = "import tensorflow as tf\n\nx = tf.placeholder(tf.float32)\n"
    project.write({"requirements.txt": "tensorflow\n", path: code, "app/model.py": code})
    assert {f[1] for f in project.check() if f[0] == "DPL401"} == {"app/model.py"}


def test_an_upper_case_requirements_file_is_read(project):
    project.write({"REQUIREMENTS.txt": "django>=1.11,<1.12\n", "urls.py": "from django.conf.urls import url\n"})
    assert project.check() == []
