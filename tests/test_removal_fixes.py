"""The rewrites issue 12 names, as a user runs them: each before/after, parsed, and
left alone by a second fix. Safe ones under --fix, unsafe ones only with --unsafe-fixes."""

from __future__ import annotations

import ast

import pytest

CASES = {
    "pillow-antialias": (
        "pillow\n",
        "from PIL import Image\n\nimg = Image.open('a.png').resize((64, 64), Image.ANTIALIAS)\n",
        "from PIL import Image\n\nimg = Image.open('a.png').resize((64, 64), Image.LANCZOS)\n",
    ),
    "django-url": (
        # re_path came with Django 2.0: the fix is safe where the requirements guarantee it.
        "django>=4\n",
        "from django.conf.urls import url\n\nfrom . import views\n\nurlpatterns = [url(r'^$', views.index)]\n",
        "from django.urls import re_path\n\nfrom . import views\n\nurlpatterns = [re_path(r'^$', views.index)]\n",
    ),
    "django-ugettext-lazy": (
        "django>=4\n",
        "from django.utils.translation import ugettext_lazy as _\n\nTITLE = _('Home')\n",
        "from django.utils.translation import gettext_lazy as _\n\nTITLE = _('Home')\n",
    ),
    "django-force-text": (
        "django>=4\n",
        "from django.utils.encoding import force_text\n\n\ndef label(x):\n    return force_text(x)\n",
        "from django.utils.encoding import force_str\n\n\ndef label(x):\n    return force_str(x)\n",
    ),
    "sklearn-joblib": (
        "scikit-learn\n",
        "from sklearn.externals import joblib\n\nmodel = joblib.load('model.pkl')\n",
        "import joblib\n\nmodel = joblib.load('model.pkl')\n",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_safe_fix_before_after(project, name):
    requirements, before, after = CASES[name]
    project.write({"requirements.txt": requirements, "app.py": before})
    assert [f[0] for f in project.check() if f[1] == "app.py"] == ["DPL401"]
    project.fix(unsafe=False)
    fixed = (project.root / "app.py").read_text()
    assert fixed == after
    ast.parse(fixed)
    assert project.fix(unsafe=False).new_texts == {}
    assert [f for f in project.check() if f[1] == "app.py"] == []


def test_yaml_load_is_rewritten_only_as_an_unsafe_fix(project):
    before = "import yaml\n\nconfig = yaml.load(open('c.yml'))\n"
    project.write({"requirements.txt": "pyyaml\n", "app.py": before})
    project.fix(unsafe=False)
    assert (project.root / "app.py").read_text() == before  # it loads less: not applied by --fix alone
    project.fix(unsafe=True)
    assert (project.root / "app.py").read_text() == "import yaml\n\nconfig = yaml.safe_load(open('c.yml'))\n"


def test_an_api_that_changed_shape_gets_no_fix_and_names_the_migration_guide(project):
    project.write({"requirements.txt": "openai\n", "app.py": "import openai\n\nr = openai.ChatCompletion.create(model='x', messages=[])\n"})
    [finding] = [f[3] for f in project.check() if f[1] == "app.py"]
    assert finding.fix is None and "openai-python/discussions/742" in finding.message
