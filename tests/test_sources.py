"""The file readers: what facts they yield, and where."""

from __future__ import annotations

import pytest

from deploylint.facts import SourceProblem
from deploylint.knowledge import knowledge
from deploylint.sources import dockerfile, nixpacks, python, requirements
from deploylint.sources.python_prefilter import load_index
from deploylint.text import DecodeProblem, SourceText, decode, lossy


def spans(file: SourceText, facts):
    return [file.text[f.span.start : f.span.end] for f in facts]


def test_requirements_handles_comments_includes_hashes_markers_and_urls():
    text = (
        "Flask==2.3.3  # web\n-r base.txt\n-c constraints.txt\nwerkzeug==1.0.1 \\\n    --hash=sha256:abc\n"
        "numpy ; python_version < '3.12'\n# comment\nfoo @ https://example.com/foo.whl\n./local\n-e .\n"
    )
    file = SourceText("requirements.txt", text)
    result = requirements.read(file)
    assert spans(file, result.facts.requirements) == [
        "Flask==2.3.3",
        "werkzeug==1.0.1",
        "numpy ; python_version < '3.12'",
        "foo @ https://example.com/foo.whl",
    ]
    assert [(i.kind, i.target) for i in result.includes] == [("requirement", "base.txt"), ("constraint", "constraints.txt")]


def test_requirements_continuation_maps_back_to_physical_lines():
    text = "numpy\\\n==1.26.4\nflask\n"
    file = SourceText("requirements.txt", text)
    fact = requirements.read(file).facts.requirements[0]
    assert str(fact.requirement) == "numpy==1.26.4"
    assert file.position(fact.span.start) == (1, 1) and file.position(fact.span.end) == (2, 9)


def test_requirements_invalid_line_is_a_problem_with_position():
    file = SourceText("requirements.txt", "flask\nnumpy==\n")
    with pytest.raises(SourceProblem) as error:
        requirements.read(file)
    assert file.position(error.value.offset)[0] == 2


PINS = "flask==3.0.0\r\nnumpy==1.26.4\r\n"


@pytest.mark.parametrize(
    ("bom", "encoding"),
    [(b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"), (b"\xef\xbb\xbf", "utf-8")],
)
@pytest.mark.parametrize("path", ["requirements.txt", "requirements/prod.txt", "constraints.txt"])
def test_requirements_are_decoded_by_their_byte_order_mark_as_pip_does(bom, encoding, path):
    data = bom + PINS.encode(encoding)
    file = decode(path, data)
    assert file.text == PINS and file.bom and file.encoding == encoding
    assert file.encode() == data  # a fix writes it back as it was
    assert file.encode(PINS + "numpy<2\r\n") == bom + (PINS + "numpy<2\r\n").encode(encoding)
    assert spans(file, requirements.read(file).facts.requirements) == ["flask==3.0.0", "numpy==1.26.4"]


@pytest.mark.parametrize("path", ["Dockerfile", "pyproject.toml", "vercel.json", "runtime.txt", ".python-version", "app.yaml"])
@pytest.mark.parametrize("bom", [b"\xff\xfe", b"\xfe\xff"])
def test_utf16_is_read_only_where_the_consumer_reads_it(path, bom):
    with pytest.raises(DecodeProblem, match="UTF-16"):
        decode(path, bom + "python-3.12\n".encode("utf-16-le" if bom == b"\xff\xfe" else "utf-16-be"))


@pytest.mark.parametrize(
    ("data", "message", "position"),
    [
        (PINS.encode("utf-16-le"), "NUL byte", (1, 2)),  # UTF-16 without a BOM: pip would not read it either
        (b"\xff\xfe" + "flask\nnum".encode("utf-16-le") + b"\x00\xd8p\x00", "invalid UTF-16 LE", (2, 4)),  # lone surrogate
        (b"\xfe\xff" + "flask\n".encode("utf-16-be") + b"\x00", "invalid UTF-16 BE", (2, 1)),  # odd byte count
    ],
)
def test_requirements_bytes_no_bom_explains_are_a_located_problem(data, message, position):
    with pytest.raises(DecodeProblem, match=message) as error:
        decode("requirements.txt", data)
    assert lossy("requirements.txt", data).position(error.value.offset) == position


def test_dockerfile_pip_install_through_continuations_comments_exec_and_heredoc():
    text = (
        "FROM python:3.12-slim AS base\nRUN pip install \\\n# a comment\n    numpy==1.24.3 \\\n\n"
        '    "opencv-python-headless==4.8.1.78"\nRUN ["pip", "install", "flask==2.0"]\n'
        "RUN <<EOF\npip install gunicorn==20.1.0\nEOF\nFROM base\n"
    )
    file = SourceText("Dockerfile", text)
    result = dockerfile.read(file)
    assert spans(file, result.facts.requirements)[:2] == ["numpy==1.24.3", '"opencv-python-headless==4.8.1.78"']
    assert [str(f.requirement) for f in result.facts.requirements] == [
        "numpy==1.24.3",
        "opencv-python-headless==4.8.1.78",
        "flask==2.0",
        "gunicorn==20.1.0",
    ]
    assert result.python_stage().python.minor == "3.12"


def test_dockerfile_parse_error_is_a_problem():
    with pytest.raises(SourceProblem):
        dockerfile.read(SourceText("Dockerfile", "RUN <<EOF\npip install x\n"))


def test_nixpacks_phases_and_commands():
    text = '[phases.setup]\nnixPkgs = ["python311"]\n[phases.install]\ncmds = ["python3 -m pip install -r r.txt flask==3.0.0"]\n'
    file = SourceText("nixpacks.toml", text)
    config = nixpacks.read(file)
    assert [p.name for p in config.ordered_phases()] == ["setup", "install", "build"]
    assert [d.minor for d in config.facts.pythons] == ["3.11"]
    assert spans(file, config.facts.requirements) == ["flask==3.0.0"]


def _uses(text: str):
    source = python.read(SourceText("app.py", text), knowledge())
    return [(u.kind, u.qualified_name, text[u.span.start : u.span.end]) for u in source.uses]


def test_python_resolves_aliases_and_ignores_local_names():
    text = (
        "import werkzeug.security as ws\nfrom werkzeug.security import safe_str_cmp as eq\n"
        "def f():\n    def safe_str_cmp(a, b):\n        return a == b\n    return safe_str_cmp(1, 2)\n"
        "ws.safe_str_cmp('a', 'b')\neq('a', 'b')\n"
    )
    assert _uses(text) == [
        ("import-from", "werkzeug.security.safe_str_cmp", "safe_str_cmp as eq"),
        ("attribute", "werkzeug.security.safe_str_cmp", "ws.safe_str_cmp"),
    ]


def test_python_removed_module_import():
    assert _uses("import werkzeug.contrib.cache\n") == [("import", "werkzeug.contrib.cache", "werkzeug.contrib.cache")]


def test_python_prefilter():
    can_hold_finding = load_index()
    assert can_hold_finding("import werkzeug\nwerkzeug.secure_filename('x')\n")
    assert can_hold_finding("from werkzeug.security import safe_str_cmp")
    assert not can_hold_finding("from werkzeug.serving import run_simple\n")
    assert not can_hold_finding("import json\nprint('hello')\n")


@pytest.mark.parametrize("text", ["def f(:\n", "x = (" * 300 + ")" * 300, "a" + ".b" * 1000 + "\n"])
def test_python_bad_or_pathological_source_is_a_problem(text):
    with pytest.raises(SourceProblem):
        python.read(SourceText("app.py", text), knowledge())


def test_python_resolver_walks_every_construct():
    # Dict unpacking leaves None among the keys; match, walrus, comprehensions,
    # lambdas, f-strings and star-expressions must all be walked.
    text = (
        "import numpy as np\n"
        "d = {**{}, 'a': np.float}\n"
        "match d:\n    case {'a': x, **rest}:\n        pass\n"
        "if (y := np.NaN):\n    pass\n"
        "z = [np.int for _ in range(1)]\n"
        "f = lambda: np.object\n"
        "s = f'{np.str}'\n"
        "print(*[np.complex])\n"
    )
    assert [name for _, name, _ in _uses(text)] == [
        "numpy.float", "numpy.NaN", "numpy.int", "numpy.object", "numpy.str", "numpy.complex",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"builds": [{"src": "api/index.py", "use": "@vercel/python"}]}', True),
        ('{"builds": [{"src": "api/index.py", "use": "@vercel/python@3.1.0"}]}', True),
        ('{"builds": [{"src": "index.py", "use": "vercel-python-wsgi"}]}', True),
        ('{"builds": [{"src": "api/*.py", "use": "@vercel-community/python@1.0.0"}]}', True),
        ('{"builds": [{"src": "main.py", "use": "@now/python"}]}', True),
        ('{"builds": [{"src": "api/app.py", "use": "@vercel/python3.10"}]}', True),  # misspelt, but Python
        ('{"builds": [{"src": "package.json", "use": "@vercel/static-build"}, {"src": "a.py", "use": "@vercel/python"}]}', True),
        ('{"functions": {"api/*.py": {"maxDuration": 30}}}', True),
        ('{"functions": {"api/**/*.{js,py}": {"memory": 1024}}}', True),
        ('{"functions": {"api/**": {"runtime": "@vercel/python@4.1.1"}}}', True),
        # Only a frontend: not a Python deployment.
        ('{"framework": "nextjs", "buildCommand": "next build", "outputDirectory": ".next", "rewrites": [{"source": "/(.*)", "destination": "/"}]}', False),
        ('{"builds": [{"src": "package.json", "use": "@vercel/static-build"}]}', False),
        ('{"functions": {"api/*.js": {"maxDuration": 10}, "api/*.php": {"runtime": "vercel-php@0.7.1"}}}', False),
        ("{}", False),
        ("[]", False),
    ],
)
def test_vercel_config_says_whether_it_builds_python(text, expected):
    from deploylint.sources import vercel

    assert vercel.read(SourceText("vercel.json", text)).builds_python is expected
