"""Small projects as users write them: one per platform, one per common breakage.

Each must get the right code at the right line (and nothing else of note);
a modern, correct project must get nothing at all.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

WORKFLOW = """name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    strategy:
      matrix:
        python-version: [3.9, 3.10, "3.11"]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: ${{ matrix.python-version }}
"""

SAM = """AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Timeout: 10
Resources:
  HelloFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello/
      Handler: app.lambda_handler
      Runtime: python3.8
      Events:
        Hello:
          Type: Api
          Properties: {Path: /hello, Method: get}
"""

PLATFORMS = {
    "vercel-functions-runtime": (
        {"vercel.json": '{\n  "functions": {\n    "api/*.py": { "runtime": "python3.12" }\n  }\n}\n', "api/index.py": "app = None\n"},
        ("DPL106", "vercel.json", 3),
    ),
    "vercel-runtime-txt": (
        {"vercel.json": "{}\n", "runtime.txt": "python-3.11.9\n", "requirements.txt": "flask==3.1.0\n", "api/index.py": "from flask import Flask\n\napp = Flask(__name__)\n"},
        ("DPL103", "runtime.txt", 1),
    ),
    "nixpacks-python-3.14": (
        {"nixpacks.toml": "[phases.setup]\nnixPkgs = ['...']\n", ".python-version": "3.14\n", "requirements.txt": "flask==3.1.0\n"},
        ("DPL101", ".python-version", 1),
    ),
    "railpack-old-python": (
        {"railway.json": '{"build": {"builder": "RAILPACK"}}\n', "runtime.txt": "python-3.9.18\n", "requirements.txt": "flask==3.0.0\n"},
        ("DPL101", "runtime.txt", 1),
    ),
    "heroku-python-3.9": (
        {"Procfile": "web: gunicorn app:app\n", ".python-version": "3.9\n", "requirements.txt": "flask==3.0.0\n"},
        ("DPL101", ".python-version", 1),
    ),
    "lambda-sam-python3.8": ({"template.yaml": SAM, "hello/app.py": "def lambda_handler(e, c):\n    return e\n"}, ("DPL101", "template.yaml", 12)),
    "lambda-serverless": (
        {"serverless.yml": "service: api\nprovider:\n  name: aws\n  runtime: python3.12\nfunctions:\n  hello:\n    handler: h.hello\n    runtime: python3.7\n"},
        ("DPL101", "serverless.yml", 8),
    ),
    "app-engine-python39": ({"app.yaml": "runtime: python39\nentrypoint: gunicorn -b :$PORT main:app\n"}, ("DPL101", "app.yaml", 1)),
    "render-float-version": (
        {"render.yaml": "services:\n  - type: web\n    name: api\n    runtime: python\n    envVars:\n      - key: PYTHON_VERSION\n        value: 3.10\n"},
        ("DPL105", "render.yaml", 7),
    ),
    "netlify-runtime-txt": ({"netlify.toml": "[build]\ncommand = 'mkdocs build'\n", "runtime.txt": "python-3.8\n"}, ("DPL106", "runtime.txt", 1)),
    "docker-bullseye": ({"Dockerfile": "FROM python:3.11-slim-bullseye\nCOPY . /app\n"}, ("DPL101", "Dockerfile", 1)),
    "github-actions-float": ({".github/workflows/ci.yml": WORKFLOW}, ("DPL105", ".github/workflows/ci.yml", 8)),
    "conflicting-versions": (
        {".python-version": "3.12\n", "runtime.txt": "python-3.11.9\n", "Procfile": "web: gunicorn app:app\n", "requirements.txt": "flask==3.1.0\n"},
        ("DPL102", "runtime.txt", 1),
    ),
}

BREAKAGES = {
    "1-numpy2-abi": ({"requirements.txt": "pandas==2.1.4\nscikit-learn==1.3.2\n"}, ("DPL301", "requirements.txt", 1)),
    "2-numpy-1.24-alias": (
        {"requirements.txt": "numpy>=1.26\n", "features.py": "import numpy as np\n\nX = np.zeros(3, dtype=np.float)\n"},
        ("DPL401", "features.py", 3),
    ),
    "3-werkzeug3-old-flask": ({"requirements.txt": "Flask==2.2.2\n"}, ("DPL304", "requirements.txt", 1)),
    "4-numpy-sdist-on-3.12": (
        {"Dockerfile": "FROM python:3.12-slim\nRUN pip install -r requirements.txt\n", "requirements.txt": "numpy==1.24.4\n"},
        ("DPL302", "requirements.txt", 1),
    ),
    "5-markupsafe-jinja2": ({"requirements.txt": "Flask==1.1.4\n"}, ("DPL304", "requirements.txt", 1)),
    "6-jinja2-markup": (
        {"requirements.txt": "jinja2\n", "views.py": "from jinja2 import Markup\n\nbold = Markup('<b>x</b>')\n"},
        ("DPL401", "views.py", 1),
    ),
    "7-itsdangerous-json": (
        {"requirements.txt": "itsdangerous\n", "tokens.py": "from itsdangerous import json\n\njson.dumps({})\n"},
        ("DPL401", "tokens.py", 1),
    ),
    "8-safe-str-cmp": (
        {"requirements.txt": "flask\n", "auth.py": "from werkzeug.security import safe_str_cmp\n\nsafe_str_cmp('a', 'b')\n"},
        ("DPL401", "auth.py", 1),
    ),
    "9-collections-mapping": (
        {"Dockerfile": "FROM python:3.11-slim\n", "util.py": "import collections\n\nisinstance({}, collections.Mapping)\n"},
        ("DPL402", "util.py", 3),
    ),
    "10-imp": ({".python-version": "3.12\n", "loader.py": "import imp\n\nimp.reload\n"}, ("DPL402", "loader.py", 1)),
    "11-pkg-resources": (
        {
            "Dockerfile": "FROM python:3.12-slim\nWORKDIR /app\nCOPY requirements.txt .\nRUN pip install -r requirements.txt\nCOPY . .\n",
            "requirements.txt": "gunicorn==20.1.0\n",
            "version.py": "import pkg_resources\n",
        },
        ("DPL304", "requirements.txt", 1),
    ),
    "12-cgi": ({"Dockerfile": "FROM python:3.13-slim\nCOPY . /app\n", "form.py": "import cgi\n\ncgi.escape\n"}, ("DPL402", "form.py", 1)),
    "13-before-first-request": (
        {"requirements.txt": "flask>=3\n", "app.py": "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.before_first_request\ndef setup():\n    pass\n"},
        ("DPL401", "app.py", 6),
    ),
    "14-pydantic-basesettings": (
        {"requirements.txt": "pydantic>=2\n", "config.py": "from pydantic import BaseSettings\n"},
        ("DPL401", "config.py", 1),
    ),
    "15-werkzeug-top-level": (
        {"requirements.txt": "flask\n", "upload.py": "from werkzeug import secure_filename, FileStorage\n"},
        ("DPL401", "upload.py", 1),
    ),
}


@pytest.mark.parametrize("name", sorted(PLATFORMS) + sorted(BREAKAGES))
def test_scenario_gets_the_right_code_at_the_right_line(project, name):
    files, expected = {**PLATFORMS, **BREAKAGES}[name]
    project.write(files)
    found = [f[:3] for f in project.check()]
    assert expected in found, found


def test_modern_project_has_no_finding(project):
    project.write(
        {
            ".python-version": "3.13\n",
            "Dockerfile": "FROM python:3.13-slim-bookworm\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n",
            "requirements.txt": "flask==3.1.0\nwerkzeug==3.1.3\nnumpy==2.2.6\npandas==2.2.3\nopencv-python-headless==4.11.0.86\ngunicorn==23.0.0\n",
            "Procfile": "web: gunicorn app:app\n",
            "render.yaml": 'services:\n  - type: web\n    runtime: python\n    envVars:\n      - key: PYTHON_VERSION\n        value: "3.13.5"\n',
            ".github/workflows/ci.yml": WORKFLOW.replace("[3.9, 3.10, \"3.11\"]", '["3.12", "3.13"]'),
            "app.py": (
                "from collections.abc import Mapping\n\nimport numpy as np\nfrom flask import Flask\nfrom markupsafe import Markup\n\n"
                "app = Flask(__name__)\nVALUE = np.float64(1.0) + np.nan\nSAFE = Markup('<b>')\n"
                "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
            ),
        }
    )
    assert [f[3].message for f in project.check()] == []


FIXES = {
    "collections.Mapping": (
        {"Dockerfile": "FROM python:3.12-slim\n", "u.py": "from collections import Mapping, OrderedDict\n\nisinstance({}, Mapping)\n"},
        "u.py",
        "from collections import OrderedDict\nfrom collections.abc import Mapping\n\nisinstance({}, Mapping)\n",
        False,
    ),
    "jinja2.Markup": (
        {"requirements.txt": "jinja2>=3.1\n", "v.py": "import jinja2\n\nB = jinja2.Markup('<b>')\n"},
        "v.py",
        "import jinja2\nimport markupsafe\n\nB = markupsafe.Markup('<b>')\n",
        False,
    ),
    "np.float and np.NaN": (
        {"requirements.txt": "numpy>=2\n", "n.py": "import numpy as np\n\nA = np.float(1) + np.NaN\n"},
        "n.py",
        "import numpy as np\n\nA = float(1) + np.nan\n",
        False,
    ),
    "url_quote is unsafe": (
        {"requirements.txt": "werkzeug>=3\n", "q.py": "from werkzeug.urls import url_quote\n\nurl_quote('a b')\n"},
        "q.py",
        "import urllib.parse\n\nurllib.parse.quote('a b')\n",
        True,
    ),
    "np.trapz is safe once numpy>=2 is guaranteed": (
        {"requirements.txt": "numpy>=2.1\n", "t.py": "import numpy as np\n\nnp.trapz([1, 2])\n"},
        "t.py",
        "import numpy as np\n\nnp.trapezoid([1, 2])\n",
        False,
    ),
}


@pytest.mark.parametrize("name", sorted(FIXES))
def test_exact_rewrites(project, name):
    files, path, expected, needs_unsafe = FIXES[name]
    project.write(files)
    project.fix(unsafe=False)
    if needs_unsafe:
        assert (project.root / path).read_text() == files[path], "an unsafe rewrite was applied as safe"
        project.fix(unsafe=True)
    assert (project.root / path).read_text() == expected
    compile(expected, path, "exec")


def test_trapz_fix_is_unsafe_while_numpy_1_is_allowed(project):
    project.write({"requirements.txt": "numpy>=1.26\n", "t.py": "import numpy as np\n\nnp.trapz([1, 2])\n"})
    [finding] = [f[3] for f in project.check() if f[0] == "DPL401"]
    assert finding.fix.applicability.value == "unsafe"


def test_knowledge_command_names_facts_and_sources(tmp_path):
    result = subprocess.run([sys.executable, "-m", "deploylint", "knowledge", "werkzeug"], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 0
    assert "2.1.0  werkzeug.security.safe_str_cmp -> hmac.compare_digest" in result.stdout
    assert "https://werkzeug.palletsprojects.com/en/stable/changes/#version-2-1-0" in result.stdout
    unknown = subprocess.run([sys.executable, "-m", "deploylint", "knowledge", "herok"], capture_output=True, text=True, cwd=tmp_path)
    assert unknown.returncode == 2 and "did you mean heroku" in unknown.stderr


def test_procfile_beside_another_platforms_config_is_not_heroku(project):
    # Nixpacks reads Procfile for the start command; Heroku's rules must not apply.
    project.write({"Procfile": "web: gunicorn app:app\n", "nixpacks.toml": "[start]\ncmd = 'gunicorn app:app'\n", "runtime.txt": "python-3.12.7\n"})
    assert [f[3].message for f in project.check()] == []


# DPL201 names the error the Nixpacks build really stops with (platforms.md §3.4).
_PIP_PKG = '[phases.setup]\nnixPkgs = ["python311", "python311Packages.pip"]\n\n'


@pytest.mark.parametrize(
    ("nixpacks", "error"),
    [
        ('[phases.install]\ncmds = ["python -m pip install -r requirements.txt"]\n', "(`No module named pip`)"),
        (_PIP_PKG + '[phases.install]\ncmds = ["python3 -m pip install -r requirements.txt"]\n', "fails with `No module named pip`: `python311Packages.pip`"),
        # The module is missing whatever the flags say.
        (_PIP_PKG + '[phases.install]\ncmds = ["python -m pip install --break-system-packages flask"]\n', "`No module named pip`"),
        (_PIP_PKG + '[phases.install]\ncmds = ["pip install -r requirements.txt"]\n', "`error: externally-managed-environment`"),
        (_PIP_PKG + '[phases.install]\ncmds = ["pip3 install --user --upgrade pip"]\n', "`error: externally-managed-environment`"),
        ('[phases.install]\ncmds = ["pip install -r requirements.txt"]\n', "`pip: command not found`"),
        ('[phases.install]\ncmds = ["pip3 install --break-system-packages -r requirements.txt"]\n', "`pip3: command not found`"),
        ('[phases.install]\ncmds = ["/opt/venv/bin/pip install -r requirements.txt"]\n', "`/opt/venv/bin/pip: No such file or directory`: /opt/venv does not exist, because phases.install replaces"),
        ('[phases.install]\ncmds = ["/opt/venv/bin/python -m pip install -r requirements.txt"]\n', "`/opt/venv/bin/python: No such file or directory`"),
        ('[phases.setup]\ncmds = ["/opt/venv/bin/pip install wheel"]\n', "the Python provider creates it in phases.install, which runs after this"),
    ],
)
def test_pip_on_nix_names_the_error_the_build_stops_with(project, nixpacks, error):
    project.write({"nixpacks.toml": nixpacks, "requirements.txt": "flask==3.1.0\n"})
    messages = [d.message for code, *_, d in project.check() if code == "DPL201"]
    assert len(messages) == 1 and error in messages[0], messages


@pytest.mark.parametrize(
    "nixpacks",
    [
        # PEP 668 overridden or skipped on the pip package's wrapper: whether it then installs is unconfirmed.
        _PIP_PKG + '[phases.install]\ncmds = ["pip install --break-system-packages -r requirements.txt"]\n',
        _PIP_PKG + '[phases.install]\ncmds = ["export PIP_BREAK_SYSTEM_PACKAGES=1 && pip install -r requirements.txt"]\n',
        '[variables]\nPIP_BREAK_SYSTEM_PACKAGES = "1"\n\n' + _PIP_PKG + '[phases.install]\ncmds = ["pip install -r requirements.txt"]\n',
        _PIP_PKG + '[phases.install]\ncmds = ["pip install --prefix=/app/deps -r requirements.txt"]\n',
        _PIP_PKG + '[phases.install]\ncmds = ["pip install -t deps -r requirements.txt"]\n',
        _PIP_PKG + '[phases.install]\ncmds = ["pip freeze"]\n',  # the wrapper runs; it changes nothing
        # Somewhere else a pip may come from, or a path deploylint cannot see into.
        '[phases.setup]\nnixPkgs = ["(python311.withPackages (ps: with ps; [ pip ]))"]\n\n[phases.install]\ncmds = ["python -m pip install -r requirements.txt"]\n',
        '[phases.setup]\naptPkgs = ["python3-pip"]\n\n[phases.install]\ncmds = ["pip install -r requirements.txt"]\n',
        '[phases.install]\ncmds = ["uv pip install --system -r requirements.txt"]\n',
        '[phases.install]\ncmds = ["/usr/local/bin/pip install -r requirements.txt"]\n',
        # The venv exists: the provider's install phase ran, or the phase extends it.
        '[phases.build]\ncmds = ["/opt/venv/bin/pip install gunicorn"]\n',
        '[phases.install]\ncmds = ["...", "/opt/venv/bin/python -m pip install gunicorn"]\n',
    ],
)
def test_pip_on_nix_is_silent_where_the_outcome_is_uncertain_or_fine(project, nixpacks):
    project.write({"nixpacks.toml": nixpacks, "requirements.txt": "flask==3.1.0\n"})
    assert [code for code, *_ in project.check() if code == "DPL201"] == []
